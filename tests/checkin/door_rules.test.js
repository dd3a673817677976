// The door page's offline rules (static/js/door-rules.js, the very file the page loads) against the cases the
// server is held to (door_vectors.json, checked on the server by test_door_vectors.py). Run: node --test <this file>.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const SCRIPT = path.join(__dirname, "..", "..", "static", "js", "door-rules.js");
const DoorRules = require(SCRIPT);
const VECTORS = JSON.parse(fs.readFileSync(path.join(__dirname, "door_vectors.json"), "utf8"));
const VERDICTS = VECTORS.verdicts;

function textOf(value) {
  if (typeof value === "string") { return value; }
  return value.map((part) => (typeof part === "string" ? part : part.repeat.repeat(part.times))).join("");
}

function parsed(raw) {
  const result = DoorRules.parse(raw);
  return result ? [result.kind, result.value] : null;
}

for (const vector of VECTORS.parse) {
  test(`parse: ${vector.name}`, () => {
    assert.deepEqual(parsed(textOf(vector.input)), vector.expect);
  });
}

// The door list of a case, as door_list() writes it (test_door_vectors.py checks that it does): the badge's entry
// when it is of this conference, a replaced badge's hash with its owner's code; nothing of another conference.
async function doorList(badge, day) {
  const fixture = VERDICTS.badge;
  const badges = new Map();
  const replaced = new Map();
  if (badge.conference !== "other") {
    // The list holds the admission of its own day only.
    const onTheDay = badge.admitted && (!day || badge.admitted.at.startsWith(day));
    const admitted = onTheDay ? badge.admitted : { at: null, gate: null };
    badges.set(await DoorRules.tokenHash(fixture.token), {
      hash: await DoorRules.tokenHash(fixture.token), code: fixture.code, name: "Hamad Al-Housni",
      status: badge.status, admitted_at: admitted.at, gate: admitted.gate,
    });
    if (badge.replaced) {
      const hash = await DoorRules.tokenHash(fixture.replaced_token);
      replaced.set(hash, { hash: hash, code: fixture.code });
    }
  }
  return {
    badge: async (hash) => badges.get(hash),
    badgeByCode: async (code) => [...badges.values()].find((entry) => entry.code === code),
    replaced: async (hash) => replaced.get(hash),
    put: (entry) => badges.set(entry.hash, entry),
  };
}

function rulesOf(testCase) {
  const conference = VERDICTS.conference;
  const onlyOnDays = "only_on_days" in testCase ? testCase.only_on_days : conference.only_on_days;
  const room = testCase.room || null;
  return { only_on_days: onlyOnDays, first: conference.first_day, last: conference.last_day,
           room: room ? 1 : null, room_only: !!(room && room.room_only) };
}

const AT = "2031-01-01T09:00:00.000Z";

for (const testCase of VERDICTS.cases) {
  test(`verdict: ${testCase.name}`, async () => {
    const list = await doorList(testCase.badge, testCase.day);
    const expect = testCase.offline || testCase.expect;
    const answer = await DoorRules.judge(VERDICTS.scans[testCase.scan], list, rulesOf(testCase), testCase.day,
                                         VERDICTS.gate, AT);
    assert.equal(answer.offline, true);
    assert.deepEqual([answer.status === "ok" ? "ok" : answer.reason, answer.delegate !== null],
                     [expect.verdict, expect.delegate]);
    assert.equal(answer.status, expect.verdict === "ok" ? "ok" : "error");
    if (expect.delegate) { assert.equal(answer.delegate.code, VERDICTS.badge.code); }
    if ("first_checked_in_at" in expect) { assert.equal(answer.first_checked_in_at, expect.first_checked_in_at); }
    assert.equal(answer.gate, "gate" in expect ? expect.gate : (expect.verdict === "ok" ? VERDICTS.gate : null));
    assert.equal(answer.checked_in_at, expect.verdict === "ok" ? AT : null);
  });
}

test("a badge admitted offline is amber at its next local scan", async () => {
  const list = await doorList({ status: "approved" });
  const rules = rulesOf({});
  const first = await DoorRules.judge(VERDICTS.scans.token, list, rules, "2031-05-13", "North", AT);
  assert.equal(first.status, "ok");
  list.put(DoorRules.admitted(first.delegate, AT, "North"));
  assert.equal(first.delegate.admitted_at, null, "the answer keeps the entry as it was judged");
  const again = await DoorRules.judge(VERDICTS.scans.code, list, rules, "2031-05-13", "South", AT);
  assert.deepEqual([again.reason, again.first_checked_in_at, again.gate], ["already_checked_in", AT, "North"]);
});

test("the token's hash is the door list's (SHA-256, hex)", async () => {
  assert.equal(await DoorRules.tokenHash("0".repeat(39)),
               require("node:crypto").createHash("sha256").update("0".repeat(39)).digest("hex"));
});

test("the file runs as the page runs it: a classic script that defines window.DoorRules", () => {
  const page = { crypto: globalThis.crypto, TextEncoder: TextEncoder, Promise: Promise };
  page.window = page;
  page.self = page;
  vm.runInNewContext(fs.readFileSync(SCRIPT, "utf8"), page, { filename: SCRIPT });
  assert.equal(typeof page.DoorRules.parse, "function");
  assert.equal(typeof page.module, "undefined");
  assert.deepEqual(JSON.parse(JSON.stringify(page.DoorRules.parse("om12345"))), { kind: "code", value: "OM-12345" });
});
