// Door check-in while the network is down: today's door list in IndexedDB, local verdicts, a queue of scans
// that is sent in order, with each scan's own time, when the network returns.
// window.DoorOffline(options) returns {judge, queue, sync, refresh, forget, ready}; checkin.js drives it.
// The local verdict is advisory: on sync the server judges every queued scan again. The rules it is judged by
// (reading a code, the verdicts) are door-rules.js's, loaded before this file.
(function () {
  "use strict";

  var REFRESH_MS = 60000;

  function request(idbRequest) {
    return new Promise(function (resolve, reject) {
      idbRequest.onsuccess = function () { resolve(idbRequest.result); };
      idbRequest.onerror = function () { reject(idbRequest.error); };
    });
  }

  function done(transaction) {
    return new Promise(function (resolve, reject) {
      transaction.oncomplete = function () { resolve(); };
      transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
    });
  }

  window.DoorOffline = function (options) {
    // options: slug, listUrl, scanUrl, auth (DoorAuth), tz, onChange(state), onSession(kind)
    var db = null;
    var syncing = false;
    var state = { waiting: 0, lastSync: null, refused: 0, hasList: false };

    function today() {
      // The conference's calendar day, as the server's Conference.local_date().
      try {
        return new Intl.DateTimeFormat("en-CA", { timeZone: options.tz, year: "numeric", month: "2-digit", day: "2-digit" })
          .format(new Date());
      } catch (e) {
        return new Date().toISOString().slice(0, 10);
      }
    }

    function open() {
      return new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var opening = window.indexedDB.open("door:" + options.slug, 1);
        opening.onupgradeneeded = function () {
          var base = opening.result;
          var badges = base.createObjectStore("badges", { keyPath: "hash" });
          badges.createIndex("code", "code", { unique: false });
          base.createObjectStore("revoked", { keyPath: "hash" });
          base.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
          base.createObjectStore("meta");
        };
        opening.onsuccess = function () { resolve(opening.result); };
        opening.onerror = function () { reject(opening.error); };
      });
    }

    function store(name, mode) {
      return db.transaction([name], mode || "readonly").objectStore(name);
    }

    function getMeta(key) { return request(store("meta").get(key)); }

    function changed() {
      return request(store("queue").count()).then(function (count) {
        state.waiting = count;
        options.onChange(state);
      });
    }

    // The list belongs to one conference and one day: yesterday's is deleted, never used.
    function dropList() {
      var transaction = db.transaction(["badges", "revoked", "meta"], "readwrite");
      transaction.objectStore("badges").clear();
      transaction.objectStore("revoked").clear();
      ["day", "version", "generated_at", "rules"].forEach(function (key) { transaction.objectStore("meta").delete(key); });
      state.hasList = false;
      return done(transaction);
    }

    function checkDay() {
      return getMeta("day").then(function (day) {
        if (day && day !== today()) { return dropList(); }
        state.hasList = !!day;
      });
    }

    function saveList(list) {
      var transaction = db.transaction(["badges", "revoked", "meta"], "readwrite");
      var badges = transaction.objectStore("badges");
      var revoked = transaction.objectStore("revoked");
      if (list.full) {
        badges.clear();
        revoked.clear();
      }
      list.delegates.forEach(function (entry) { badges.put(entry); });
      list.revoked.forEach(function (entry) { revoked.put(entry); });
      var meta = transaction.objectStore("meta");
      meta.put(list.day, "day");
      meta.put(list.version, "version");
      meta.put(list.generated_at, "generated_at");
      meta.put({ only_on_days: list.admit_only_on_conference_days, first: list.first_day, last: list.last_day,
                 room_only: !!list.allow_room_only_scanning }, "rules");
      return done(transaction).then(function () { state.hasList = true; });
    }

    function markSynced() {
      state.lastSync = new Date().toISOString();
      return request(store("meta", "readwrite").put(state.lastSync, "last_sync")).then(changed);
    }

    // Today's list, or what changed since the one we hold (If-None-Match: an unchanged list costs one query).
    function refresh() {
      if (!db) { return Promise.resolve(); }
      return checkDay().then(function () {
        return Promise.all([getMeta("version"), getMeta("generated_at"), getMeta("day")]);
      }).then(function (held) {
        var url = options.listUrl;
        var headers = { "Accept": "application/json" };
        if (held[2] === today() && held[0] && held[1]) {
          url += "?since=" + encodeURIComponent(held[1]);
          headers["If-None-Match"] = '"' + held[0] + '"';
        }
        return options.auth.fetch(url, { cache: "no-store", headers: headers });
      }).then(function (response) {
        if (response.status === 304) { return markSynced(); }
        if (response.status === 401 || response.status === 403) {
          // Logged out or the device was revoked: the personal data goes at once.
          return dropList().then(changed).then(function () { options.onSession("session"); });
        }
        if (!response.ok) { return; }
        return response.json().then(saveList).then(markSynced);
      }).catch(function () { /* offline: the list we hold serves */ });
    }

    // The door list in IndexedDB, read as DoorRules.find() asks.
    var doorList = {
      badge: function (hash) { return request(store("badges").get(hash)); },
      badgeByCode: function (code) { return request(store("badges").index("code").get(code)); },
      replaced: function (hash) { return request(store("revoked").get(hash)); }
    };

    // The local verdict of a scan (DoorRules.judge); null when there is no door list of today to judge with
    // (never loaded on this device, or yesterday's). An admission is noted in the list, so a second local scan of
    // the badge is amber.
    // At a room's door (`room` set) nothing is noted: the entrance's admissions are what a room is judged by.
    function judge(code, gate, at, room) {
      if (!db) { return Promise.resolve(null); }
      var day = today();
      return getMeta("day").then(function (listDay) {
        if (listDay !== day) { return null; }
        return getMeta("rules").then(function (rules) {
          var judged = {};
          Object.keys(rules || {}).forEach(function (key) { judged[key] = rules[key]; });
          judged.room = room || null;
          return window.DoorRules.judge(code, doorList, judged, day, gate, at);
        }).then(function (answer) {
          if (answer.status !== "ok" || room) { return answer; }
          return request(store("badges", "readwrite").put(window.DoorRules.admitted(answer.delegate, at, gate)))
            .then(function () { return answer; });
        });
      });
    }

    function queue(scan) {
      if (!db) { return Promise.resolve(); }
      return request(store("queue", "readwrite").add(scan)).then(changed);
    }

    // Queued scans go to the scan API in the order they were made, each with its own time and nonce: a replay
    // (the same queue sent twice) gets the first answers back and admits nobody twice.
    function sync() {
      if (!db || syncing || navigator.onLine === false) { return Promise.resolve(); }
      syncing = true;
      var sent = 0;
      function next() {
        return request(store("queue").openCursor()).then(function (cursor) {
          if (!cursor) { return; }
          var scan = cursor.value;
          return options.auth.fetch(options.scanUrl, {
            method: "POST", cache: "no-store",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify({ code: scan.code, gate: scan.gate, nonce: scan.nonce, scanned_at: scan.scanned_at,
                                   offline_verdict: scan.offline_verdict, room: scan.room || undefined })
          }).then(function (response) {
            if (response.status === 401 || response.status === 403) {
              options.onSession("session");
              return false;
            }
            if (response.status === 429 || response.status >= 500) { return false; }
            // 200: judged and logged by the server. 400: refused for good (e.g. older than a day): not retried.
            if (response.status === 400) { state.refused += 1; }
            sent += 1;
            return request(store("queue", "readwrite").delete(scan.id)).then(function () { return true; });
          }).then(function (goOn) { return goOn ? next() : undefined; });
        });
      }
      return next().catch(function () { /* the network went again: the rest stays queued */ }).then(function () {
        syncing = false;
        return changed();
      }).then(function () {
        if (sent) { return refresh(); }
      });
    }

    function forget() {
      if (!db) { return Promise.resolve(); }
      return dropList().then(changed);
    }

    var ready = open().then(function (opened) {
      db = opened;
      return Promise.all([checkDay(), getMeta("last_sync")]);
    }).then(function (values) {
      state.lastSync = values[1] || null;
      return changed();
    }).then(function () {
      window.setInterval(function () { refresh().then(sync); }, REFRESH_MS);
      window.addEventListener("online", function () { sync().then(refresh); });
      return refresh().then(sync);
    }).catch(function () { db = null; });

    return { judge: judge, queue: queue, sync: sync, refresh: refresh, forget: forget, ready: ready, state: state };
  };
})();
