// Door check-in: the service worker that lets the scanner page open with no network.
// It controls only the door page (its scope is /<slug>/checkin). The server writes self.DOOR_CACHE above this file
// (checkin.views.service_worker): this release's cache name and the URLs of the page's files, each carrying its
// content's hash. A new release is a new worker URL (the page registers it by that URL), a new cache filled with
// the new files before the worker takes over, and the old cache deleted: the page never runs last release's
// scripts. The page itself is fetched from the network first (so it is fresh when the network works) and from the
// cache when it is not. API answers are never cached here: the door list lives in the page's IndexedDB, and scans
// go to the server or to the page's queue.
"use strict";

var CACHE = self.DOOR_CACHE.name;
var PRECACHE = self.DOOR_CACHE.precache;
var PAGE_TIMEOUT_MS = 4000;

// This release's cache, or null once a newer worker has deleted it (an old worker still finishing its work must not
// make it again).
function ourCache() {
  return caches.has(CACHE).then(function (has) { return has ? caches.open(CACHE) : null; });
}

function keep(request, response) {
  // Only real answers: not a redirect to the log-in page, not an error page.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    ourCache().then(function (cache) { return cache && cache.put(request, copy); });
  }
  return response;
}

// The page's files must all be kept, or this worker is not installed (the previous one goes on serving its own
// release whole). The page itself is kept when the browser is logged in; otherwise at its next visit.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    var files = cache.addAll(PRECACHE.map(function (url) { return new Request(url, { cache: "no-cache" }); }));
    var page = fetch(self.registration.scope, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
      if (response.ok && !response.redirected) { return cache.put(self.registration.scope, response); }
    }).catch(function () { /* kept when the page is next opened online */ });
    return Promise.all([files, page]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("door-page-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(ourCache().then(function (cache) {
      return cache && Promise.all(data.urls.map(function (url) {
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
      return caches.match(request, { ignoreSearch: true, cacheName: CACHE }).then(function (cached) {
        return cached || Response.error();
      });
    }));
    return;
  }
  // The page's files: a hashed URL's content never changes, so the kept copy serves. Anything else (the manifest)
  // from the cache at once, refreshed in the background when online.
  var hashed = PRECACHE.indexOf(url.pathname + url.search) >= 0;
  event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (cached) {
    if (cached && hashed) { return cached; }
    var fresh = fetch(request).then(function (response) { return keep(request, response); });
    if (cached) {
      fresh.catch(function () { /* offline: the cached copy serves */ });
      return cached;
    }
    return fresh;
  }));
});
