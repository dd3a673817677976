// Door check-in: handheld scanners, search, verdicts, the camera (checkin-camera.js: ZXing in a worker);
// offline scanning through checkin-offline.js (door list, queue) and the service worker (opens with no network).
// Attendance page: refresh the live numbers while nobody is using the page.
(function () {
  "use strict";

  var live = document.querySelector("[data-live-refresh]");
  if (live) {
    var lastInput = Date.now();
    ["keydown", "pointerdown", "focusin"].forEach(function (name) {
      document.addEventListener(name, function () { lastInput = Date.now(); });
    });
    var seconds = parseInt(live.getAttribute("data-live-refresh"), 10) || 60;
    window.setInterval(function () {
      var idle = Date.now() - lastInput > 20000;
      var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (document.visibilityState === "visible" && idle && !typing) { window.location.reload(); }
    }, seconds * 1000);
  }

  var root = document.getElementById("checkin");
  if (!root) { return; }

  var texts = JSON.parse(document.getElementById("checkin-texts").textContent);
  var config = root.dataset;
  var byId = function (id) { return document.getElementById(id); };
  var el = {
    gateForm: byId("gate-form"), gateInput: byId("gate-input"), gateShown: byId("gate-shown"),
    gateName: byId("gate-name"), gateChange: byId("gate-change"), scanner: byId("scanner"),
    roomInput: byId("room-input"), roomName: byId("room-name"),
    scanForm: byId("scan-form"), scanInput: byId("scan-input"), searchForm: byId("search-form"),
    searchInput: byId("search-input"), searchStatus: byId("search-status"), results: byId("search-results"),
    video: byId("camera-video"), cameraStatus: byId("camera-status"), cameraToggle: byId("camera-toggle"),
    soundToggle: byId("sound-toggle"), verdict: byId("verdict"), verdictTitle: byId("verdict-title"),
    verdictAdvice: byId("verdict-advice"), person: byId("verdict-person"), name: byId("verdict-name"),
    nameAr: byId("verdict-name-ar"), country: byId("verdict-country"), organization: byId("verdict-organization"),
    category: byId("verdict-category"), swatch: byId("verdict-swatch"), code: byId("verdict-code"),
    next: byId("verdict-next"), offlineMark: byId("verdict-offline"), waiting: byId("sync-waiting"),
    lastSync: byId("sync-last"), network: byId("network-state")
  };

  // Settings survive reloads on this device; private browsing may refuse storage, which is fine.
  function load(name) {
    try { return window.localStorage.getItem(config.storageKey + ":" + name); } catch (e) { return null; }
  }
  function save(name, value) {
    try { window.localStorage.setItem(config.storageKey + ":" + name, value); } catch (e) { /* not remembered */ }
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) { return values[key] != null ? values[key] : whole; });
  }

  function clock(iso) {
    try {
      return new Intl.DateTimeFormat(config.lang, { hour: "2-digit", minute: "2-digit", timeZone: config.tz })
        .format(new Date(iso));
    } catch (e) {
      return iso.slice(11, 16);
    }
  }

  function makeNonce() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- sound: a rising chime for yes, a double tone for "already", a low buzz for no ----
  var sound = { on: load("sound") !== "off", context: null };

  function play(notes, wave) {
    if (!sound.on) { return; }
    try {
      sound.context = sound.context || new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) { return; }
    var ctx = sound.context;
    if (ctx.state === "suspended") { ctx.resume(); }
    var t = ctx.currentTime + 0.01;
    notes.forEach(function (note) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = wave;
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + note[1]);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(t);
      osc.stop(t + note[1] + 0.05);
      t += note[1] + 0.05;
    });
  }
  var SOUNDS = {
    ok: function () { play([[880, 0.12], [1318, 0.18]], "sine"); },
    warn: function () { play([[587, 0.15], [587, 0.15]], "triangle"); },
    bad: function () { play([[180, 0.5]], "sawtooth"); }
  };

  // A remembered on/off switch (sound, camera): the button shows the state and keeps it for next time.
  function bindToggle(button, state, key, afterChange) {
    function show() {
      button.textContent = state.on ? texts[key + "_on"] : texts[key + "_off"];
      button.setAttribute("aria-pressed", String(state.on));
    }
    button.addEventListener("click", function () {
      state.on = !state.on;
      save(key, state.on ? "on" : "off");
      show();
      if (afterChange) { afterChange(); }
    });
    show();
  }
  bindToggle(el.soundToggle, sound, "sound");

  // ---- the verdict panel ----
  var verdictTimer = null;

  function showPanel(kind, title, advice, person, offline) {
    window.clearTimeout(verdictTimer);
    el.verdict.className = "verdict verdict-" + kind;
    el.offlineMark.hidden = !offline;
    el.verdictTitle.textContent = title;
    el.verdictAdvice.textContent = advice;
    el.person.hidden = !person;
    if (person) {
      el.name.textContent = person.name || "";
      el.nameAr.textContent = person.name_ar && person.name_ar !== person.name ? person.name_ar : "";
      el.country.textContent = person.country_name || person.country || "";
      el.organization.textContent = person.organization || "";
      el.category.textContent = person.category_title || person.category || "";
      el.swatch.setAttribute("fill", person.category_colour || "#ffffff");
      el.code.textContent = person.code || "";
    }
    el.verdict.hidden = false;
    SOUNDS[kind]();
    verdictTimer = window.setTimeout(hidePanel, kind === "ok" ? 3000 : 6000);
  }

  function hidePanel() {
    window.clearTimeout(verdictTimer);
    el.verdict.hidden = true;
    if (el.searchInput.value.trim().length >= 2) { search(); }
    if (!el.searchInput.contains(document.activeElement)) { focusScan(); }
  }

  function showAnswer(answer) {
    var offline = !!answer.offline;
    var inRoom = !!room();
    if (answer.status === "ok") {
      showPanel("ok", inRoom ? texts.recorded : texts.ok, sessionTitle(answer) || texts.advice.ok, answer.delegate,
                offline);
    } else if (inRoom && answer.reason === "already_checked_in") {
      showPanel("warn", texts.already_in_session, sessionTitle(answer), answer.delegate, offline);
    } else if (answer.reason === "already_checked_in") {
      var first = answer.first_checked_in_at ? fill(texts.first_admission, { time: clock(answer.first_checked_in_at) }) : "";
      if (first && answer.gate) { first += " " + fill(texts.first_gate, { gate: answer.gate }); }
      showPanel("warn", texts.already_checked_in, (first ? first + ". " : "") + texts.advice.already_checked_in,
                answer.delegate, offline);
    } else {
      showPanel("bad", texts.refused, texts.advice[answer.reason] || texts.advice.invalid, answer.delegate, offline);
    }
  }

  // The room this door scans at (a room's id), or null at the entrance.
  function room() {
    var chosen = parseInt(load("room") || "", 10);
    return chosen > 0 ? chosen : null;
  }

  function sessionTitle(answer) {
    var session = answer.session;
    if (!session) { return ""; }
    return (config.lang === "ar" ? session.title_ar || session.title_en : session.title_en || session.title_ar) || "";
  }

  function showProblem(kind) {
    showPanel("bad", texts.refused, texts.problem[kind], null);
  }

  el.next.addEventListener("click", hidePanel);

  // ---- offline: the door list and the queue (checkin-offline.js); counters on the page ----
  function showSync(state) {
    el.waiting.textContent = fill(texts.waiting, { n: state.waiting });
    el.waiting.setAttribute("data-count", String(state.waiting));
    el.lastSync.textContent = state.lastSync ? fill(texts.last_sync, { time: clock(state.lastSync) }) : texts.never_synced;
  }
  function showNetwork() {
    el.network.textContent = navigator.onLine === false ? texts.offline_now : texts.online_now;
    el.network.className = "pill " + (navigator.onLine === false ? "pill-offline" : "pill-online");
  }
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  showNetwork();
  var auth = window.DoorAuth({ tokenUrl: config.doorTokenUrl, csrf: config.csrf });
  var offline = window.DoorOffline ? window.DoorOffline({
    slug: config.slug, listUrl: config.doorListUrl, scanUrl: config.scanUrl, auth: auth, tz: config.tz,
    onChange: showSync, onSession: function () { showProblem("session"); }
  }) : null;
  var refreshTimer = null;
  function refreshSoon() {
    window.clearTimeout(refreshTimer);
    if (offline) { refreshTimer = window.setTimeout(function () { offline.refresh(); }, 1500); }
  }

  // ---- sending a scan: online with the server's verdict; after 1.5 s without an answer, or with no network,
  // judged here from the door list, shown with the offline mark and queued with the same nonce, so a scan
  // whose answer was lost is not admitted twice when the queue is sent ----
  var ONLINE_WAIT_MS = 1500;
  var inFlight = {};

  function sendScan(code) {
    code = code.trim();
    if (!code || inFlight[code]) { return; }
    inFlight[code] = true;
    var scan = { code: code, gate: load("gate") || "", nonce: makeNonce() };
    if (room()) { scan.room = room(); }
    var finish = function () { delete inFlight[code]; };
    if (navigator.onLine === false) {
      judgeOffline(scan).then(finish, finish);
      return;
    }
    var controller = window.AbortController ? new AbortController() : null;
    var gaveUp = false;
    var timer = window.setTimeout(function () {
      gaveUp = true;
      if (controller) { controller.abort(); }
      judgeOffline(scan).then(finish, finish);
    }, ONLINE_WAIT_MS);
    auth.fetch(config.scanUrl, {
      method: "POST", cache: "no-store", body: JSON.stringify(scan),
      signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", "Accept": "application/json" }
    }).then(function (response) {
      if (gaveUp) { return; }
      window.clearTimeout(timer);
      if (response.ok) {
        return response.json().then(function (answer) { finish(); showAnswer(answer); refreshSoon(); });
      }
      if (response.status >= 502) { return judgeOffline(scan).then(finish, finish); }
      finish();
      if (response.status === 400 && scan.room) {  // a room that is not (or no longer) one of this conference's
        showPanel("bad", texts.refused, texts.advice.room, null);
        return;
      }
      showProblem(response.status === 429 ? "rate" : (response.status < 500 ? "session" : "server"));
    }).catch(function () {
      if (gaveUp) { return; }
      window.clearTimeout(timer);
      judgeOffline(scan).then(finish, finish);
    });
  }

  function judgeOffline(scan) {
    if (!offline) {
      showProblem("network");
      return Promise.resolve();
    }
    var at = new Date().toISOString();
    return offline.ready.then(function () { return offline.judge(scan.code, scan.gate, at, scan.room); }).then(function (answer) {
      if (!answer) {  // no door list of today on this device: nothing to judge with
        showProblem("network");
        return;
      }
      showAnswer(answer);
      // Not waited for: the next badge may be scanned while this one is written (IndexedDB keeps the order).
      offline.queue({ code: scan.code, gate: scan.gate, nonce: scan.nonce, scanned_at: at, room: scan.room,
                      offline_verdict: answer.status === "ok" ? "ok" : answer.reason });
    });
  }

  // ---- handheld scanners type the code and Enter into an input that keeps the focus ----
  function focusScan() {
    if (!el.scanner.hidden) { el.scanInput.focus({ preventScroll: true }); }
  }

  el.scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = el.scanInput.value;
    el.scanInput.value = "";
    sendScan(code);
  });
  el.scanInput.addEventListener("blur", function () {
    window.setTimeout(function () {
      var active = document.activeElement;
      if (!active || active === document.body || active === el.verdict) { focusScan(); }
    }, 0);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !el.verdict.hidden) {
      event.preventDefault();
      hidePanel();
      return;
    }
    var active = document.activeElement;
    var printable = event.key && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (printable && (!active || active === document.body || active === el.next)) { focusScan(); }
  });

  // ---- search by name, e-mail or code, with an admit button on each result ----
  var searchTimer = null;
  var searchRound = 0;

  function search() {
    var query = el.searchInput.value.trim();
    var round = ++searchRound;
    if (query.length < 2) {
      el.results.textContent = "";
      el.searchStatus.textContent = "";
      return;
    }
    el.searchStatus.textContent = texts.searching;
    auth.fetch(config.searchUrl + "?q=" + encodeURIComponent(query), {
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status === 429 ? "rate" : "session"); }
      return response.json();
    }).then(function (data) {
      if (round === searchRound) { showResults(data.results); }
    }).catch(function (error) {
      if (round === searchRound) { el.searchStatus.textContent = texts.problem[error.message] || texts.problem.network; }
    });
  }

  function add(parent, tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    parent.appendChild(node);
    return node;
  }

  function showResults(results) {
    el.results.textContent = "";
    el.searchStatus.textContent = results.length ? "" : texts.no_match;
    results.forEach(function (person) {
      var item = add(el.results, "li");
      var who = add(item, "div", "result-person");
      var name = add(who, "strong", "", person.name);
      name.dir = "auto";
      if (person.name_ar && person.name_ar !== person.name) {
        var other = add(who, "span", "result-other", person.name_ar);
        other.lang = "ar";
        other.dir = "rtl";
      }
      add(who, "span", "meta", [person.country_name, person.organization, person.code].filter(Boolean).join(" · "));
      var facts = add(who, "span", "result-facts");
      add(facts, "span", "pill pill-" + person.status, person.status_title);
      if (person.checked_in_at) {
        add(facts, "span", "pill pill-ok", fill(texts.admitted_today, { time: clock(person.checked_in_at) }));
      }
      var button = add(item, "button", "button primary", texts.admit);
      button.type = "button";
      button.setAttribute("data-code", person.code);
      button.setAttribute("aria-label", texts.admit + ": " + person.name);
    });
  }

  el.searchInput.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(search, 250);
  });
  el.searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  el.results.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-code]");
    if (button) { sendScan(button.getAttribute("data-code")); }
  });

  // ---- camera (checkin-camera.js): a badge read by the camera is scanned like a typed one ----
  var camera = window.DoorCamera({
    video: el.video, status: el.cameraStatus, texts: texts, decoderUrl: config.decoderUrl,
    decoderScript: config.decoderScript, decoderWasm: config.decoderWasm, onCode: sendScan
  });
  camera.on = load("camera") !== "off";
  function startCamera() { if (!el.scanner.hidden) { camera.start(); } }
  function stopCamera() { camera.stop(); }

  bindToggle(el.cameraToggle, camera, "camera", function () {
    if (camera.on) { startCamera(); } else { stopCamera(); }
    focusScan();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { stopCamera(); } else { startCamera(); }
  });

  // ---- the gate, chosen once per device ----
  function showScanner() {
    var gate = load("gate");
    el.gateForm.hidden = !!gate;
    el.scanner.hidden = !gate;
    el.gateShown.hidden = !gate;
    if (gate) {
      el.gateName.textContent = gate;
      var chosen = el.roomInput ? el.roomInput.querySelector('option[value="' + (room() || "") + '"]') : null;
      el.roomName.textContent = room() && chosen ? "· " + chosen.textContent : "";
      startCamera();
      focusScan();
    } else {
      stopCamera();
      el.gateInput.focus();
    }
  }
  el.gateForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var gate = el.gateInput.value.trim();
    if (gate) {
      save("gate", gate);
      save("room", el.roomInput ? el.roomInput.value : "");
      showScanner();
    }
  });
  el.gateChange.addEventListener("click", function () {
    el.gateInput.value = load("gate") || "";
    if (el.roomInput) { el.roomInput.value = room() ? String(room()) : ""; }
    save("gate", "");
    showScanner();
  });

  showScanner();

  // ---- the installable app: a service worker keeps this page and its files for opening with no network ----
  if ("serviceWorker" in navigator && window.isSecureContext && config.serviceWorkerUrl) {
    navigator.serviceWorker.register(config.serviceWorkerUrl, { scope: config.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [window.location.pathname + window.location.search, config.decoderUrl, config.decoderScript,
                  config.decoderWasm];
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], link[rel=icon]")
        .forEach(function (node) { urls.push(node.getAttribute("src") || node.getAttribute("href")); });
      if (registration.active) { registration.active.postMessage({ type: "keep", urls: urls }); }
    }).catch(function () { /* without it the page still scans; it just cannot be reopened offline */ });
  }
})();
