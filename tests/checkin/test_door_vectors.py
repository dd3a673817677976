"""The door's rules written once: the server reads codes and judges badges as tests/checkin/door_vectors.json says.

The door page's offline rules (static/js/door-rules.js) are checked against the same file by door_rules.test.js.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conference.agenda.models import AgendaSession
from conference.badging.models import RevokedBadge
from conference.checkin import codes, services
from conference.checkin.codes import normalize_code, parse_code
from conference.checkin.devices import issue_device_token
from conference.checkin.doorlist import door_list, token_hash
from conference.checkin.models import CheckIn, SessionAttendance
from conference.checkin.rooms import scan_in_room
from conference.checkin.services import check_in
from conference.events.models import Room
from conference.extensions import db
from conference.registration.models import DelegateStatus
from tests.conftest import IN_CI, ROOT

VECTORS = json.loads((Path(__file__).with_name("door_vectors.json")).read_text(encoding="utf-8"))
PARSE, VERDICTS = VECTORS["parse"], VECTORS["verdicts"]
VENUE = ZoneInfo("Asia/Qatar")


def text_of(value) -> str:
    """A vector's input: a string, or a list of strings and {"repeat": text, "times": n}."""
    if isinstance(value, str):
        return value
    return "".join(part if isinstance(part, str) else part["repeat"] * part["times"] for part in value)


def expected_parse(vector) -> tuple[str, str] | None:
    return tuple(vector["expect"]) if vector["expect"] else None


@pytest.mark.parametrize("vector", PARSE, ids=[vector["name"] for vector in PARSE])
def test_parse(vector):
    assert parse_code(text_of(vector["input"])) == expected_parse(vector)


def test_the_vectors_cover_what_the_issue_names():
    """Each kind of input the door meets has a vector (a vector removed by mistake is noticed)."""
    inputs = "".join(text_of(vector["input"]) for vector in PARSE)
    for char in "\u061c\u00ad\u200b\u200c\u200d\u200e\u200f\u202e\u2067\ufeff \t-\u2013\u2212":
        assert char in inputs, f"no vector has U+{ord(char):04X}"
    for digits in ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"):
        assert any(digits[:5] in text_of(vector["input"]) for vector in PARSE)
    assert any(len(text_of(vector["input"])) > codes.MAX_CODE for vector in PARSE)
    kinds = {vector["expect"][0] if vector["expect"] else None for vector in PARSE}
    assert kinds == {"token", "code", None}
    assert any(expected_parse(vector) == ("code", "OM-12345") for vector in PARSE)


def test_the_ignored_characters_are_exactly_the_unicode_categories_named():
    """The explicit lists (written out so that old browsers read alike) hold every control character, space, dash
    and invisible format mark this Python's Unicode knows, and nothing else but the minus sign."""
    ignored = {chr(code) for code in range(0x110000) if codes._IGNORED.fullmatch(chr(code))}
    categories = {"Cc", "Zs", "Zl", "Zp", "Pd", "Cf"}
    named = {chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) in categories}
    assert ignored - named == {"\u2212"}
    assert named - ignored == set()


def test_the_page_reads_every_character_as_the_server_does():
    """Every Unicode character, alone, is dropped, read as another or kept alike by door-rules.js (under Node) and
    normalize_code(): the lists written out in both languages are the same lists."""
    node = shutil.which("node")
    if node is None and not IN_CI:
        pytest.skip("needs Node (make test runs door_rules.test.js with it too)")
    script = """const rules = require(process.argv[1]); const changed = {};
        for (let code = 0; code <= 0x10ffff; code++) {
          const text = String.fromCodePoint(code); const read = rules.normalize(text);
          if (read !== text) { changed[code] = read; }
        }
        process.stdout.write(JSON.stringify(changed));"""
    run = subprocess.run([node, "-e", script, str(ROOT / "static" / "js" / "door-rules.js")], capture_output=True,
                         text=True, check=True, timeout=120)
    page = {int(code): read for code, read in json.loads(run.stdout).items()}
    server = {code: normalize_code(chr(code)) for code in range(0x110000) if normalize_code(chr(code)) != chr(code)}
    assert page == server
    assert len(server) > 400  # the controls, spaces, dashes, invisible marks, digits and letters


# ---- verdicts: a badge as the door list holds it, scanned on a day ----

def scene(case, make_conference, make_delegate, shift: timedelta = timedelta(0)):
    """The case's conference (and another one), its badge, a replaced badge and an admission, in the database."""
    conference_days = VERDICTS["conference"]
    days = {key: date.fromisoformat(conference_days[key]) + shift for key in ("first_day", "last_day")}
    only_on_days = case.get("only_on_days", conference_days["only_on_days"])
    ours = make_conference("door", start_date=days["first_day"], end_date=days["last_day"],
                           admit_only_on_conference_days=only_on_days)
    theirs = make_conference("elsewhere", start_date=days["first_day"], end_date=days["last_day"])
    badge, fixture = case["badge"], VERDICTS["badge"]
    owner = theirs if badge.get("conference") == "other" else ours
    delegate = make_delegate(owner, status=badge["status"], country=fixture["country"])
    delegate.badge_token, delegate.code = fixture["token"], fixture["code"]
    if badge.get("replaced"):
        db.session.add(RevokedBadge(token=fixture["replaced_token"], delegate_id=delegate.id, issue=1))
    if badge.get("admitted"):
        at = datetime.fromisoformat(badge["admitted"]["at"]) + shift
        db.session.add(CheckIn(conference_id=owner.id, delegate_id=delegate.id, day=at.astimezone(VENUE).date(),
                               at=at, gate=badge["admitted"]["gate"]))
    room = case.get("room")
    if room is not None:
        ours.allow_room_only_scanning = bool(room.get("room_only"))
        hall = Room(conference_id=ours.id, name_en="Main Hall", name_ar="القاعة الرئيسية", capacity=400)
        db.session.add(hall)
        db.session.flush()
        if room.get("session"):
            day = date.fromisoformat(case["day"]) + shift
            session = AgendaSession(conference_id=ours.id, title_en="Opening", room_id=hall.id,
                                    starts_at=datetime.combine(day, time(0), VENUE),
                                    ends_at=datetime.combine(day, time(23, 59), VENUE))
            db.session.add(session)
            db.session.flush()
            if room.get("attended"):
                db.session.add(SessionAttendance(conference_id=ours.id, delegate_id=delegate.id, session_id=session.id,
                                                 room_id=hall.id, at=datetime.fromisoformat(room["attended"]) + shift))
    db.session.commit()
    return ours


def room_of_case(conference, case) -> int | None:
    """The room a case scans at (None: the entrance)."""
    if case.get("room") is None:
        return None
    return db.session.scalar(Room.of(conference).with_only_columns(Room.id))


def check_answer(answer: dict, case, shift: timedelta = timedelta(0)) -> None:
    expect = case["expect"]
    verdict = answer["reason"] if answer["status"] == "error" else answer["status"]
    assert (verdict, answer["delegate"] is not None) == (expect["verdict"], expect["delegate"])
    if expect["delegate"]:
        assert answer["delegate"]["code"] == VERDICTS["badge"]["code"]
    if "first_checked_in_at" in expect:
        first = datetime.fromisoformat(expect["first_checked_in_at"]) + shift
        assert answer["first_checked_in_at"] == first.isoformat(timespec="seconds")
    expected_gate = expect.get("gate", VERDICTS["gate"] if expect["verdict"] == "ok" else None)
    assert answer["gate"] == expected_gate
    assert (answer["checked_in_at"] is not None) == (expect["verdict"] == "ok")


CASES = VERDICTS["cases"]
CASE_IDS = [case["name"] for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_verdict(case, make_conference, make_delegate):
    conference = scene(case, make_conference, make_delegate)
    now = datetime.combine(date.fromisoformat(case["day"]), time(12), tzinfo=VENUE)
    room = room_of_case(conference, case)
    if room is None:
        result = check_in(conference, VERDICTS["scans"][case["scan"]], gate=VERDICTS["gate"], now=now)
    else:
        result = scan_in_room(conference, room, VERDICTS["scans"][case["scan"]], gate=VERDICTS["gate"], now=now)
    check_answer(result.answer, case)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_door_list_holds_what_the_offline_rules_are_given(case, make_conference, make_delegate):
    """door_rules.test.js builds the door list of each case as door_list() writes it: the entry of a badge of this
    conference (its status and today's admission), a replaced badge's hash with its owner's code, nothing of
    another conference."""
    conference = scene(case, make_conference, make_delegate)
    now = datetime.combine(date.fromisoformat(case["day"]), time(12), tzinfo=VENUE)
    listed = door_list(conference, now=now)
    badge, fixture = case["badge"], VERDICTS["badge"]
    assert listed["admit_only_on_conference_days"] == case.get("only_on_days", VERDICTS["conference"]["only_on_days"])
    assert (listed["first_day"], listed["last_day"]) == (VERDICTS["conference"]["first_day"],
                                                         VERDICTS["conference"]["last_day"])
    if badge.get("conference") == "other":
        assert listed["delegates"] == [] and listed["revoked"] == []
        return
    [entry] = listed["delegates"]
    admitted = badge.get("admitted")
    on_the_day = admitted and admitted["at"].startswith(case["day"])
    assert (entry["hash"], entry["code"], entry["status"]) == (token_hash(fixture["token"]), fixture["code"],
                                                               badge["status"])
    assert (entry["admitted_at"], entry["gate"]) == ((admitted["at"], admitted["gate"]) if on_the_day else (None, None))
    replaced = {"hash": token_hash(fixture["replaced_token"]), "code": fixture["code"]}
    assert listed["revoked"] == ([replaced] if badge.get("replaced") else [])


def test_every_status_has_a_verdict_vector():
    assert {case["badge"]["status"] for case in CASES} == {status.value for status in DelegateStatus}
    assert {case["expect"]["verdict"] for case in CASES} == {"ok", *(verdict.value for verdict in services.Verdict)}


# ---- the same through the HTTP scan API (a gate device's token), on today's date ----

def device_client(app, conference, room: int | None = None):
    _, token = issue_device_token(conference, "Turnstile", None)
    db.session.commit()
    client = app.test_client()

    def scan(code):
        body = {"code": code, "gate": VERDICTS["gate"], **({"room": room} if room else {})}
        return client.post(f"/api/v1/{conference.slug}/checkin", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    return scan


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_verdict_through_http(app, case, make_conference, make_delegate):
    today = datetime.now(VENUE).date()
    shift = today - date.fromisoformat(case["day"])
    conference = scene(case, make_conference, make_delegate, shift)
    scan = device_client(app, conference, room_of_case(conference, case))
    response = scan(VERDICTS["scans"][case["scan"]])
    assert response.status_code == 200
    check_answer(response.get_json(), case, shift)


@pytest.mark.parametrize("vector", PARSE, ids=[vector["name"] for vector in PARSE])
def test_parse_through_http(app, vector, today_conference, make_delegate):
    """A badge whose token or code is what the input reads as is admitted; input that reads as nothing is invalid."""
    delegate = make_delegate(today_conference)
    expected = expected_parse(vector)
    if expected and expected[0] == "token":
        delegate.badge_token = expected[1]
    elif expected:
        delegate.code = expected[1]
    db.session.commit()
    code = text_of(vector["input"])
    response = device_client(app, today_conference)(code)
    if not code.strip():  # the API refuses an empty code before reading it
        assert response.status_code == 400 and expected is None
        return
    answer = response.get_json()
    assert response.status_code == 200
    if expected:
        assert (answer["status"], answer["delegate"]["code"]) == ("ok", delegate.code)
    else:
        assert (answer["status"], answer["reason"]) == ("error", "invalid")
