"""Fuzzing every form and the scan API: whatever arrives, never a 500, and a refused submission changes no row.

Every state-changing route of the application is posted to with generated fields (any Unicode, right-to-left and
control characters, NUL, 100,000 characters, numbers where text is expected, missing and repeated fields), with
a valid CSRF token so that the handlers themselves are reached. Ids in addresses, dates in query strings and the
`next` a page goes back to are generated too: a page or a 404/400, and never a redirect off the site.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, union_all
from werkzeug.datastructures import MultiDict

from conference import create_app
from conference.core.params import safe_next
from conference.extensions import db
from tests.conftest import app_config, csrf_token, login
from tests.test_authorization import ROUTES, post_path, samples  # noqa: F401  (samples is the matrix's fixture)

# Forms used by visitors who are not logged in, and forms of a delegate's own pages; the rest as a site admin.
ANONYMOUS = {"accounts.login", "accounts.signup", "accounts.forgot_password", "accounts.reset_password",
             "registration.register", "submissions.invitation"}
DELEGATE_PREFIXES = ("registration.", "agenda.star", "agenda.reset_feed_token", "submissions.")
ORGANIZER_ONLY = ("submissions.assign", "submissions.unassign", "submissions.duration", "submissions.auto_assign",
                  "submissions.decide", "submissions.call_settings", "submissions.save_type",
                  "submissions.review_proposal")
# Rows that an answer may add whatever it says: every scan is logged; mail about an attempt is the reply itself.
WRITTEN_ANYWAY = {"checkin_scans", "outbox_messages"}
# Successes answered with 200 rather than a redirect: a new device's token is shown once, on its page; a door token
# is the answer of its API.
SUCCESS_ANSWERED_200 = {"checkin.devices", "checkin.door_token_api"}
GENERIC_FIELDS = ["name", "title", "email", "q", "id", "status", "code", "action", "ids", "day", "start", "room_id"]

NASTY_TEXT = st.sampled_from([
    "", " ", "\x00", "\u202e\u202d", "\u2066x\u2069", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
    "١٢٣٤", "²", "-1", "0", "99999999999999999999999", "1e309", "NaN", "2026-02-30", "2026-12-01T25:61",
    "x" * 100_000, "null", "[]", "{}", "../../etc/passwd", "%00", "'; DROP TABLE users; --",
])
VALUES = st.one_of(NASTY_TEXT, st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
                   st.integers().map(str))


def _visitor(endpoint: str) -> str:
    if endpoint in ANONYMOUS:
        return "anonymous"
    if endpoint.startswith(DELEGATE_PREFIXES) and not endpoint.startswith(ORGANIZER_ONLY):
        return "delegate"
    return "admin"


def _form_endpoints() -> list[str]:
    """Every endpoint that takes a POST, but the scan API (fuzzed with JSON below)."""
    app = create_app(app_config("sqlite:///:memory:", SQLALCHEMY_ENGINE_OPTIONS={}))
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if rule.endpoint != "checkin.scan_api" and "POST" in rule.methods})


def _form_fields(html: str, path: str) -> list[str]:
    """Names of the fields of the page's POST forms (all of them: the action may differ from the page)."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    names = {element.get("name") for form in tree.forms if (form.method or "").upper() == "POST"
             for element in form.inputs if element.get("name")}
    return sorted(names - {"csrf_token"})


def _row_counts() -> dict[str, int]:
    """Rows per table, in one statement."""
    tables = [table for table in db.metadata.sorted_tables if table.name not in WRITTEN_ANYWAY]
    query = union_all(*(select(func.count().label("n")).select_from(table) for table in tables))
    counts = [row.n for row in db.session.execute(query)]
    db.session.rollback()  # end the read transaction, so the next count sees the request's writes
    return dict(zip((table.name for table in tables), counts, strict=False))


@pytest.mark.parametrize("endpoint", _form_endpoints())
def test_any_form_input_gives_no_server_error(app, people, samples, endpoint):  # noqa: F811
    path = post_path(ROUTES[endpoint]).format(**samples)
    client = app.test_client()
    if people[_visitor(endpoint)] is not None:
        login(client, people[_visitor(endpoint)])
    page = client.get(path)
    fields = _form_fields(page.get_data(as_text=True), path) if page.status_code == 200 else []
    token = csrf_token(client, path if page.status_code == 200 and "csrf_token" in page.get_data(as_text=True)
                       else "/password/forgot")
    names = fields + GENERIC_FIELDS

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(form=st.dictionaries(st.sampled_from(names), st.lists(VALUES, min_size=1, max_size=3), max_size=12))
    def post_anything(form):
        data = MultiDict([(name, value) for name, values in form.items() for value in values])
        data["csrf_token"] = token
        before = _row_counts()
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, dict(form))
        if response.status_code not in (301, 302, 303) and endpoint not in SUCCESS_ANSWERED_200:
            changed = {
                name: (count, after)
                for (name, count), after in zip(before.items(), _row_counts().values(), strict=False)
                if count != after
            }
            assert changed == {}, f"{path} refused ({response.status_code}) but changed rows: {changed}"

    post_anything()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | VALUES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def test_any_scan_body_gives_no_server_error(app, people, samples):  # noqa: F811
    client = app.test_client()
    login(client, people["staff"])
    token = csrf_token(client, "/doha/checkin")

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(body=st.one_of(
        st.fixed_dictionaries({"code": JSON_VALUES}, optional={"gate": JSON_VALUES, "nonce": JSON_VALUES,
                                                               "scanned_at": JSON_VALUES}),
        JSON_VALUES,
        st.binary(max_size=200),
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
        st.integers(1, 3000).map(lambda depth: '{"code": ' + "[" * depth + "1" + "]" * depth + "}"),
    ))
    def scan_anything(body):
        if isinstance(body, (bytes, str)):
            response = client.post("/api/v1/doha/checkin", data=body, content_type="application/json",
                                   headers={"X-CSRFToken": token})
        else:
            response = client.post("/api/v1/doha/checkin", json=body, headers={"X-CSRFToken": token})
        assert response.status_code in (200, 400, 429), (response.status_code, body)
        assert response.is_json

    scan_anything()


# --- what people put in addresses: ids, dates, the page to go back to -------------------------------------------

def browser_stays_on_site(location: str, host: str = "localhost") -> bool:
    """True when a browser that follows `location` stays on `host`, reading it as browsers do: leading and trailing
    spaces trimmed, backslashes read as slashes (tabs, newlines and other controls cannot be in a header at all)."""
    if not location.isascii() or any(ord(ch) < 32 or ord(ch) == 127 for ch in location):
        return False
    target = urlsplit(urljoin(f"https://{host}/page", location.strip(" ").replace("\\", "/")))
    return target.scheme == "https" and target.netloc == host


NEXT_PARTS = st.sampled_from(["/", "//", "\\", "\t", "\n", "\r", " ", "\x00", "\x7f", "evil.example", "localhost",
                              ":", "@", "https", "javascript", "%2f", "%0a", ".", "?", "#", "\u3000", "\uff0f",
                              "\u2215", "\u200e", "é"])
# A slash, something a browser drops or reads as a slash, another slash: how '/\t/evil.example' becomes //evil.example.
SLASH, BROWSER_DROPS = st.sampled_from(["/", "\\", ""]), st.sampled_from(["", "\t", "\n", "\r", " ", "\x00", "\uff0f"])
NEXT_VALUES = st.one_of(
    st.tuples(SLASH, BROWSER_DROPS, SLASH, st.lists(NEXT_PARTS, max_size=5).map("".join)).map("".join),
    st.lists(NEXT_PARTS, max_size=8).map("".join), st.text(max_size=30))
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(target=NEXT_VALUES)
def test_safe_next_never_leads_off_the_site(target):
    assert browser_stays_on_site(safe_next(target, "/fallback"))


def test_any_next_sent_with_a_star_stays_on_the_site(app, people, samples):  # noqa: F811
    client = app.test_client()
    login(client, people["delegate"])
    token = csrf_token(client)
    path = f"/doha/agenda/{samples['agenda_session_id']}/star"

    @settings(FUZZ, max_examples=60)
    @given(target=NEXT_VALUES)
    @example(target="/\t/evil.example/")  # issue #17: redirected to //evil.example/
    @example(target="/a\nb")  # issue #17: a 500 (a newline in a header)
    def star_with(target):
        response = client.post(path, data={"csrf_token": token, "starred": "1", "next": target})
        assert response.status_code == 302 and browser_stays_on_site(response.headers["Location"]), target

    star_with()


def test_any_number_as_an_id_in_an_address_is_a_page_or_not_found(app, people, samples):  # noqa: F811
    client = app.test_client()
    login(client, people["admin"])

    @settings(FUZZ, max_examples=60)
    @given(number=st.one_of(st.integers(), st.integers(min_value=2**31 - 2, max_value=2**80)))
    @example(number=2**64)
    def open_delegate(number):
        assert client.get(f"/doha/manage/delegates/{number}").status_code in (200, 404), number

    open_delegate()


ZONES = st.builds(timezone, st.timedeltas(min_value=-timedelta(hours=23, minutes=59),
                                          max_value=timedelta(hours=23, minutes=59)))
# datetime's own limits, where moving a time to another zone overflows, as well as any other time.
EDGE_TIMES = st.one_of(st.sampled_from([datetime.min, datetime.max]), st.datetimes())
MOMENTS = st.one_of(st.builds(lambda moment, zone: moment.replace(tzinfo=zone).isoformat(), EDGE_TIMES, ZONES),
                    st.one_of(st.sampled_from([date.min, date.max]), st.dates()).map(date.isoformat),
                    EDGE_TIMES.map(datetime.isoformat), st.text(max_size=45), st.integers().map(str))


def test_any_since_of_the_door_list_is_a_list_or_a_bad_request(app, people, samples):  # noqa: F811
    client = app.test_client()
    login(client, people["staff"])

    @settings(FUZZ, max_examples=80)
    @given(since=MOMENTS)
    @example(since="9999-12-31T23:59:59+14:00")  # issue #17: date value out of range
    def door_list_since(since):
        response = client.get("/api/v1/doha/door-list", query_string={"since": since})
        assert response.status_code in (200, 400) and response.is_json, since

    door_list_since()


def test_any_day_of_the_attendance_page_is_a_page(app, people, samples):  # noqa: F811
    client = app.test_client()
    login(client, people["organizer"])

    @settings(FUZZ, max_examples=40)
    @given(day=MOMENTS)
    @example(day="9999-12-31")
    def attendance_on(day):
        assert client.get("/doha/manage/attendance", query_string={"day": day}).status_code == 200, day

    attendance_on()
