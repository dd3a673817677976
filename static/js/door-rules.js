// The door's rules, as the server has them (conference/checkin/services.py): reading a scanned code, and the
// verdict on a badge judged from the door list while the network is down. One file, loaded as a classic script
// by the scanner page (window.DoorRules, before checkin-offline.js) and by Node's tests (module.exports);
// tests/checkin/door_vectors.json holds the cases both implementations must agree on.
(function () {
  "use strict";

  // Longer input cannot be a badge and is not even read (counted in characters, i.e. code points, as Python).
  var MAX_CODE = 512;
  // Dropped wherever they are, as services._IGNORED: control characters and spaces (Unicode Cc, Zs, Zl, Zp),
  // dashes (Pd, and the minus sign), invisible format marks (Cf: bidi marks, zero-width characters, the soft hyphen,
  // the Arabic letter mark...). Listed character by character rather than by Unicode property, so that every
  // browser and the server read a code alike whatever Unicode version they know.
  var IGNORED = new RegExp("[" +
    "\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000" +
    "\\u002d\\u058a\\u05be\\u1400\\u1806\\u2010-\\u2015\\u2212\\u2e17\\u2e1a\\u2e3a\\u2e3b\\u2e40\\u2e5d\\u301c" +
    "\\u3030\\u30a0\\ufe31\\ufe32\\ufe58\\ufe63\\uff0d\\u{10ead}" +
    "\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u202a-\\u202e" +
    "\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u{110bd}\\u{110cd}\\u{13430}-\\u{13438}" +
    "\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}" +
    "]", "gu");
  // Read as ASCII, as services._READ_AS: Arabic-Indic and Persian digits, full-width forms, a-z as A-Z.
  var READ_AS = /[a-z\u0660-\u0669\u06f0-\u06f9\uff01-\uff5e]/g;
  var TOKEN = /^[0-9]{39}$/;
  var HUMAN_CODE = /^([A-Z]{2})([0-9]{1,6})$/;
  var ADMITTED_STATUS = "approved";

  function readAs(ch) {
    var code = ch.charCodeAt(0);
    if (code <= 0x7a) { return ch.toUpperCase(); }
    if (code <= 0x0669) { return String.fromCharCode(code - 0x0660 + 0x30); }
    if (code <= 0x06f9) { return String.fromCharCode(code - 0x06f0 + 0x30); }
    code -= 0xfee0;  // full-width forms are ASCII shifted
    return (code >= 0x61 && code <= 0x7a ? String.fromCharCode(code).toUpperCase() : String.fromCharCode(code));
  }

  // As normalize_code(): Arabic-Indic digits as ASCII, spaces, dashes and invisible marks dropped, a-z upper-cased.
  function normalize(raw) {
    return raw.replace(READ_AS, readAs).replace(IGNORED, "");
  }

  function codePoints(text) {
    var count = 0;
    for (var i = 0; i < text.length; i += 1) {
      var unit = text.charCodeAt(i);
      var next = text.charCodeAt(i + 1);
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { i += 1; }
      count += 1;
    }
    return count;
  }

  // As parse_code(): {kind: "token", value: 39 digits} for a badge's QR code, {kind: "code", value: "OM-0042"} for
  // a typed human code (the number at least four digits long, as the server writes it), else null.
  function parse(raw) {
    if (typeof raw !== "string") { return null; }
    // A code point is one or two UTF-16 units: only input between 512 and 1024 units needs counting.
    if (raw.length > MAX_CODE && (raw.length > 2 * MAX_CODE || codePoints(raw) > MAX_CODE)) { return null; }
    var text = normalize(raw);
    if (TOKEN.test(text)) { return { kind: "token", value: text }; }
    var match = HUMAN_CODE.exec(text);
    if (!match) { return null; }
    var number = String(parseInt(match[2], 10));
    while (number.length < 4) { number = "0" + number; }
    return { kind: "code", value: match[1] + "-" + number };
  }

  // The SHA-256 of a badge token in hex, as the door list carries it (doorlist.token_hash).
  function tokenHash(token) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); })
        .join("");
    });
  }

  // The door list's entry of a parsed code: {entry, revoked}. `list` reads the door list (promises of an entry or
  // undefined): badge(hash), badgeByCode(code), replaced(hash) (a replaced badge's {hash, code}).
  function find(parsed, list) {
    if (parsed.kind === "code") {
      return list.badgeByCode(parsed.value).then(function (entry) { return { entry: entry || null, revoked: false }; });
    }
    return tokenHash(parsed.value).then(function (hash) {
      return list.badge(hash).then(function (entry) {
        if (entry) { return { entry: entry, revoked: false }; }
        return list.replaced(hash).then(function (replaced) {
          if (!replaced) { return { entry: null, revoked: false }; }
          return list.badgeByCode(replaced.code).then(function (owner) { return { entry: owner || null, revoked: true }; });
        });
      });
    });
  }

  // As the server's judge_scan(), from what the door list knows: the reason to refuse, or null to admit. `rules`
  // are the list's {only_on_days, first, last, room_only} and, at a room's door, the room; days are ISO dates at
  // the venue. A badge of another conference is not in this conference's list: it reads as "invalid" here,
  // "other_conference" on the server. At a room's door (checkin/rooms.py) the entrance's admission of the day is
  // required unless room-only scanning is allowed; the sessions ("no_session", a second scan in one session) are
  // the server's to judge on sync.
  function verdict(found, rules, day) {
    var entry = found.entry;
    if (found.revoked) { return "revoked"; }
    if (!entry) { return "invalid"; }
    if (entry.status === "cancelled") { return "cancelled"; }
    if (entry.status !== ADMITTED_STATUS) { return "not_confirmed"; }
    if (rules.only_on_days && (day < rules.first || day > rules.last)) { return "not_today"; }
    if (rules.room) { return entry.admitted_at || rules.room_only ? null : "not_admitted"; }
    if (entry.admitted_at) { return "already_checked_in"; }
    return null;
  }

  // The answer shown at the door, shaped as the server's (the person is shown except for unknown badges).
  function answer(reason, entry, extra) {
    var shown = { status: reason ? "error" : "ok", reason: reason, delegate: null, checked_in_at: null,
                  first_checked_in_at: null, gate: null, offline: true };
    if (entry && reason !== "invalid" && reason !== "other_conference") { shown.delegate = entry; }
    Object.keys(extra || {}).forEach(function (key) { shown[key] = extra[key]; });
    return shown;
  }

  // A scan judged from the door list: the answer (a promise). On "ok" the caller notes the admission in its list
  // with admitted(), so that a second local scan of the badge is amber.
  function judge(code, list, rules, day, gate, at) {
    var parsed = parse(code);
    if (!parsed) { return Promise.resolve(answer("invalid", null)); }
    return find(parsed, list).then(function (found) {
      var reason = verdict(found, rules || {}, day);
      var entry = found.entry;
      if (reason === "already_checked_in") {
        return answer(reason, entry, { first_checked_in_at: entry.admitted_at, gate: entry.gate });
      }
      return answer(reason, entry, reason ? {} : { checked_in_at: at, gate: gate });
    });
  }

  // A door list entry admitted at `at` through `gate` (a copy: the answer keeps the entry as it was judged).
  function admitted(entry, at, gate) {
    var copy = {};
    Object.keys(entry).forEach(function (key) { copy[key] = entry[key]; });
    copy.admitted_at = at;
    copy.gate = gate;
    return copy;
  }

  var DoorRules = { MAX_CODE: MAX_CODE, normalize: normalize, parse: parse, tokenHash: tokenHash, find: find,
                    verdict: verdict, answer: answer, judge: judge, admitted: admitted };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = DoorRules;  // Node's tests
  } else {
    self.DoorRules = DoorRules;  // the page (window.DoorRules), or a worker that importScripts() it
  }
})();
