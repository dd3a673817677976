// Door check-in: the service worker that lets the scanner page open with no network.
// It controls only the door page (its scope is /<slug>/checkin). The page asks it to keep the page itself, its
// scripts, styles, icons and the QR decoder; the page is fetched from the network first (so it is fresh when
// the network works) and from this cache when it does not. API answers are never cached here: the door list
// lives in the page's IndexedDB, and scans go to the server or to the page's queue.
"use strict";

var CACHE = "door-page-v1";
var PAGE_TIMEOUT_MS = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("door-page-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  // Only real answers: not a redirect to the log-in page, not an error page.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(data.urls.map(function (url) {
        return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url, response); }
        }).catch(function () { /* kept next time the page opens online */ });
      }));
    }));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(CACHE));
  }
});

function pageFromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, PAGE_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      resolve(keep(request, response));
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (cached) {
        return cached || Response.error();
      });
    }));
    return;
  }
  // Scripts, styles, icons, the decoder: from the cache at once, refreshed in the background when online.
  event.respondWith(caches.match(request).then(function (cached) {
    var fresh = fetch(request).then(function (response) { return keep(request, response); });
    if (cached) {
      fresh.catch(function () { /* offline: the cached copy serves */ });
      return cached;
    }
    return fresh;
  }));
});
