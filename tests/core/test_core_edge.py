"""Never a 500 for what people type, swept through HTTP: every <int:> address, every form that takes an id, every
query parameter a page reads, a NUL anywhere in an address (the pages that go back to a `next`: test_core_next.py).

The routes come from the application's url_map and their sample addresses from the authorization matrix; the table of
forms with ids is checked against the forms the views build, so that a new one is swept too.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from flask import g
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectFieldBase
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange

from conference import create_app
from conference.agenda.forms import optional_date
from conference.core.params import IdField, IdsField, coerce_id, coerce_optional_id
from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from conference.submissions.call import proposal_types
from conference.types import utcnow
from tests.conftest import PASSWORD, app_config, csrf_token, login
from tests.test_authorization import ROUTES, endpoint_of, samples  # noqa: F401  (samples is the matrix's fixture)
from tests.test_fuzzing import _row_counts

ROOT = Path(__file__).resolve().parents[2]
BIG = str(2**64)
HOST = "localhost"  # the test client's host


def rules_app():
    """An application to read routes and views from (no database needed)."""
    return create_app(app_config("sqlite:///:memory:", SQLALCHEMY_ENGINE_OPTIONS={}))


def forget_the_last_client() -> None:
    """The tests' requests share one `g`, where Flask-WTF keeps the CSRF token and Flask-Login the user of the last
    request: forgotten before another client's request."""
    g.pop("csrf_token", None)
    g.pop("_login_user", None)


def fresh_client(app, user=None):
    """A test client logged in as `user` (None: anonymous)."""
    forget_the_last_client()
    client = app.test_client()
    if user is not None:
        login(client, user)
    return client


def post_as_browser(client, path: str, data: dict):
    """POST a form as a browser does, with this client's CSRF token."""
    forget_the_last_client()
    token = csrf_token(client, "/password/forgot")
    return client.post(path, data={**data, "csrf_token": token})


# --- every <int:…> in an address --------------------------------------------------------------------------------

INT_PART = re.compile(r"<int(?:\([^)]*\))?:(\w+)>")


def _id_rules(app) -> list[tuple[str, str, list[str]]]:
    """(endpoint, method, names of its <int:> parts) of every route with an id in its address."""
    return sorted((rule.endpoint, method, INT_PART.findall(rule.rule)) for rule in app.url_map.iter_rules()
                  if INT_PART.search(rule.rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64], ids=["beyond-int32", "beyond-int64", "2**64"])
def test_an_id_beyond_the_database_in_any_address_is_not_found(app, people, samples, huge):  # noqa: F811
    client = fresh_client(app, people["admin"])
    adapter = app.url_map.bind(HOST)
    answers = {}
    for endpoint, method, names in _id_rules(app):
        _, values = adapter.match(ROUTES[endpoint].path.format(**samples).partition("?")[0], method=method)
        path = adapter.build(endpoint, {**values, **dict.fromkeys(names, huge)}, method=method)
        answers[f"{method} {path}"] = client.open(path, method=method).status_code
    assert len(answers) >= 40
    assert {path: status for path, status in answers.items() if status != 404} == {}


def test_digits_that_are_not_ascii_in_an_address_are_not_found(client, people, samples):  # noqa: F811
    login(client, people["admin"])
    assert client.get(f"/doha/manage/delegates/{samples['delegate_id']}").status_code == 200
    for digits in ("١", "²", "１", "0"):
        assert client.get(f"/doha/manage/delegates/{digits}").status_code == 404


# --- every form that takes an id ----------------------------------------------------------------------------------

SESSION = {"title_en": "Edge session", "kind": "talk", "duration_minutes": "30", "language": "en",
           "interpretation": ""}
SESSION_IDS = ("room_id", "track_id", "chair_id", "speaker_ids", "moderator_ids")
PLACE = {"day": "{day}", "start": "11:00"}
PROPOSAL = {"title": "Edge proposal", "abstract": "What we learnt.", "proposal_type_id": "{proposal_type_id}",
            "language": "en"}
DETAILS = {"name": "Hamad bin Saif Al-Housni", "country": "OM", "consent_privacy": "y"}
QUESTION = {"kind": "yes_no", "label_en": "Edge question"}
QUESTION_IDS = ("condition_question_id", "proposal_type_ids")
# endpoint -> (path, who posts, the rest of a valid submission, the fields that carry ids); "{…}" from the samples.
ID_FORMS: dict[str, tuple[str, str, dict[str, str], tuple[str, ...]]] = {
    "agenda.new_session": ("/doha/manage/agenda/new", "organizer", SESSION, SESSION_IDS),
    "agenda.edit_session": ("/doha/manage/agenda/{agenda_session_id}/edit", "organizer", SESSION, SESSION_IDS),
    "agenda.place": ("/doha/manage/agenda/{agenda_session_id}/place", "organizer", PLACE, ("room_id",)),
    "agenda.schedule": ("/doha/manage/agenda/proposals/{proposal_id}/schedule", "organizer", PLACE, ("room_id",)),
    "agenda.accept_placement_items": ("/doha/manage/agenda/placement/accept", "organizer", {"action": "selected"},
                                      ("item", "offered")),
    "submissions.new_proposal": ("/doha/cfp/new", "delegate", PROPOSAL, ("proposal_type_id", "track_id")),
    "submissions.edit_proposal": ("/doha/me/proposals/{proposal_id}/edit", "delegate", PROPOSAL,
                                  ("proposal_type_id", "track_id")),
    "submissions.assign": ("/doha/manage/proposals/{proposal_id}/assign", "organizer", {}, ("reviewer_id",)),
    "submissions.decide": ("/doha/manage/proposals/decide", "organizer", {"action": "accept"}, ("ids",)),
    "registration.register": ("/doha/register", "reviewer", DETAILS, ("delegation_id",)),
    "registration.edit": ("/doha/me/edit", "delegate", DETAILS, ("delegation_id",)),
    "manage.edit_delegate": ("/doha/manage/delegates/{delegate_id}/edit", "organizer",
                             {**DETAILS, "category": "delegate"}, ("delegation_id",)),
    "manage.delegation_member": ("/doha/manage/delegations/{delegation_id}/member", "organizer", {},
                                 ("delegate_id",)),
    "manage.bulk": ("/doha/manage/delegates/bulk", "organizer", {"action": "approve"}, ("ids",)),
    "manage.new_question": ("/doha/manage/questions/new/registration", "organizer", QUESTION, QUESTION_IDS),
    "manage.edit_question": ("/doha/manage/questions/{question_id}", "organizer", QUESTION, QUESTION_IDS),
    "checkin.devices": ("/doha/manage/devices", "organizer", {"name": "Edge scanner"}, ("room_id",)),
    "messages.compose": ("/doha/manage/messages/new", "organizer",
                         {"kind": "delegates", "subject_en": "Hello", "body_en": "Text", "send": "1"},
                         ("delegation", "session")),
}
# Fields read straight from request.form (lists of ids, or an id inside a token), and what is sent in them.
RAW_ID_FIELDS = {"manage.bulk": {"ids"}, "submissions.decide": {"ids"},
                 "agenda.accept_placement_items": {"item", "offered"}}
SENT = {"item": "s{big}|{room_id}|{day}|09:00|-", "offered": "s1|{big}|{day}|09:00|-"}


def _calls(function, seen: set) -> set:
    """`function` and the application's functions it calls, by name, at any depth."""
    function = inspect.unwrap(function)
    if function in seen or not getattr(function, "__module__", "").startswith("conference"):
        return set()
    seen.add(function)
    codes, names = [function.__code__], set()
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [const for const in code.co_consts if inspect.iscode(const)]
    for name in names:
        target = function.__globals__.get(name)
        if inspect.isfunction(target):
            _calls(target, seen)
    return seen


def _id_fields_taken(view) -> set[str]:
    """The id fields of the forms a view (or a helper it calls) builds, and the raw ids it reads from the form."""
    taken = set()
    for function in _calls(view, set()):
        for name in function.__code__.co_names:
            form = function.__globals__.get(name)
            if isinstance(form, type) and issubclass(form, FlaskForm):
                taken |= {field for field in dir(form) if isinstance(getattr(form, field), UnboundField)
                          and issubclass(getattr(form, field).field_class, (IdField, IdsField))}
        if "getlist" in function.__code__.co_names:
            taken.add("<raw>")
    return taken


def test_every_form_that_takes_an_id_is_swept():
    app = rules_app()
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    taken = {endpoint: _id_fields_taken(app.view_functions[endpoint]) for endpoint in posted}
    taken = {endpoint: fields - {"<raw>"} | (RAW_ID_FIELDS.get(endpoint, set()) if "<raw>" in fields else set())
             for endpoint, fields in taken.items()}
    assert {endpoint: fields for endpoint, fields in taken.items() if fields} == \
        {endpoint: set(spec[3]) for endpoint, spec in ID_FORMS.items()}


def _form_classes() -> set[type]:
    """Every form of the application."""
    rules_app()  # imports every area
    found, waiting = set(), [FlaskForm]
    while waiting:
        for sub in waiting.pop().__subclasses__():
            if sub.__module__.startswith("conference.") and sub not in found:
                found.add(sub)
                waiting.append(sub)
    return found


# The coerce functions a choice may use: text (WTForms' default), ids (IdField, IdsField, or for a score read as
# strictly as an id), and a conference day.
SHARED_COERCE = {str, coerce_id, coerce_optional_id, optional_date}


def test_no_form_reads_a_number_by_itself():
    checked = 0
    for form in _form_classes():
        for name in dir(form):
            field = getattr(form, name)
            if not isinstance(field, UnboundField):
                continue
            if issubclass(field.field_class, SelectFieldBase):
                assert field.kwargs.get("coerce", str) in SHARED_COERCE, f"{form.__name__}.{name}: use IdField"
            if issubclass(field.field_class, IntegerField):  # int() reads any size: a NumberRange bounds it
                ranges = [v for v in field.kwargs.get("validators", []) if isinstance(v, NumberRange)]
                assert ranges and ranges[0].max is not None, f"{form.__name__}.{name}: give it a NumberRange"
            checked += 1
    assert checked > 100


# Reading numbers or dates from text by hand, anywhere but core/params.py; the files allowed read what the server
# wrote itself (stored snapshots, backups, human codes it numbered, a command-line option).
HAND_PARSING = re.compile(r"int\(request|type=int|coerce=int\b|\.isdigit\(\)|(date|datetime)\.fromisoformat\(")
SERVER_TEXT = {"conference/core/params.py", "conference/agenda/snapshot.py", "conference/registration/services.py",
               "conference/cli.py"}


def test_numbers_and_dates_from_requests_are_read_in_core_params_only():
    sources = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
               for path in (ROOT / "conference").rglob("*.py")}
    assert sorted(name for name, text in sources.items() if HAND_PARSING.search(text)) == sorted(SERVER_TEXT)


@pytest.fixture
def form_values(people, samples, doha):  # noqa: F811
    """The matrix's samples, with what the forms need besides: a conference day, a room, a proposal type."""
    return {**samples, "big": BIG, "day": doha.start_date.isoformat(), "room_id": doha.rooms[0].id,
            "proposal_type_id": proposal_types(doha)[0].id}


@pytest.mark.parametrize("endpoint,field", [(endpoint, field) for endpoint, spec in ID_FORMS.items()
                                            for field in spec[3]])
def test_an_id_beyond_64_bits_in_any_form_is_refused_without_error(app, people, form_values, endpoint, field):
    path, visitor, rest, _ = ID_FORMS[endpoint]
    if endpoint == "registration.edit":  # a delegate edits their details only while the registration is pending
        db.session.get(Delegate, form_values["delegate_id"]).status = DelegateStatus.PENDING
        db.session.commit()
    client = fresh_client(app, people[visitor])
    data = {name: value.format(**form_values) for name, value in rest.items()}
    data[field] = SENT.get(field, "{big}").format(**form_values)
    before = _row_counts()
    response = post_as_browser(client, path.format(**form_values), data)
    assert response.status_code < 500
    assert _row_counts() == before


@pytest.mark.parametrize("language,message", [("en", "Please choose from the list."),
                                              ("ar", "يرجى الاختيار من القائمة.")])
def test_an_id_out_of_range_is_shown_as_the_field_s_error_in_both_languages(app, people, doha, language, message):
    client = fresh_client(app, people["organizer"])
    response = post_as_browser(client, f"/doha/manage/agenda/new?lang={language}", {**SESSION, "speaker_ids": BIG})
    assert response.status_code == 200 and message in response.get_data(as_text=True)


# --- every query parameter a page reads ---------------------------------------------------------------------------

QUERY_NAME = re.compile(r"""\bargs\.get\(\s*["'](\w+)["']|\bargs\[["'](\w+)["']\]""")
ODD_VALUES = [BIG, "²", "١٢", "-1", "9999-12-31", "0001-01-01", "10000-01-01", "9999-12-31T23:59:59-14:00",
              "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00", "1e309", "x" * 5000, "a\x00b"]


def _query_names() -> set[str]:
    """Every name the application reads from a query string (request.args or an `args` passed on)."""
    names = set()
    for source in (ROOT / "conference").rglob("*.py"):
        names |= {a or b for a, b in QUERY_NAME.findall(source.read_text(encoding="utf-8"))}
    return names


def test_the_query_names_are_found():
    assert {"day", "since", "room", "track", "page", "delegation", "next", "refresh"} <= _query_names()


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda value: value[:30])
def test_odd_values_in_any_query_parameter_of_any_page_give_no_server_error(app, people, samples, value):  # noqa: F811
    client = fresh_client(app, people["admin"])
    query = dict.fromkeys(_query_names(), value)
    answers = {}
    for label, route in ROUTES.items():
        rule = next(app.url_map.iter_rules(endpoint_of(label)))
        if "GET" in rule.methods:
            answers[label] = client.get(route.path.format(**samples).partition("?")[0], query_string=query).status_code
    assert {endpoint: status for endpoint, status in answers.items() if status >= 500} == {}


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z",
                                   "10000-01-01T00:00:00+00:00", "99999999999999", "2026-05-23T09:00:00"])
def test_a_door_list_since_out_of_range_is_a_bad_request(client, people, doha, since):
    login(client, people["staff"])
    response = client.get("/api/v1/doha/door-list", query_string={"since": since})
    assert response.status_code == 400 and response.json["error"] == 400


def test_a_door_list_since_in_range_is_a_delta(client, people, doha):
    login(client, people["staff"])
    whole = client.get("/api/v1/doha/door-list").json
    assert client.get("/api/v1/doha/door-list", query_string={"since": whole["generated_at"]}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_attendance_page_shows_today_for_a_day_out_of_range(client, people, doha, day):
    login(client, people["organizer"])
    response = client.get("/doha/manage/attendance", query_string={"day": day})
    today = doha.local_date(utcnow()).isoformat()
    assert response.status_code == 200
    assert re.search(rf'day={today}" aria-current="page"', response.get_data(as_text=True))


def test_a_scan_time_out_of_range_is_refused_as_unusable(client, people, doha):
    login(client, people["staff"])
    token = csrf_token(client, "/doha/checkin")
    for moment in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        response = client.post("/api/v1/doha/checkin", json={"code": "x", "scanned_at": moment},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 400 and response.json["reason"] == "scanned_at"


def test_a_nul_anywhere_in_an_address_is_a_bad_request(app, people, samples):  # noqa: F811
    client = fresh_client(app, people["admin"])
    answers = {}
    for route in ROUTES.values():
        path = route.path.format(**samples).partition("?")[0]
        for odd in {path.replace("/doha", "/doha%00", 1), path + "%00", path + "?q=a%00b"} - {path}:
            answers[odd] = client.get(odd).status_code
    assert {path: status for path, status in answers.items() if status != 400} == {}


def test_a_scan_for_a_slug_with_a_nul_is_a_bad_request(client, people, doha):
    from conference.checkin.devices import issue_device_token

    _, token = issue_device_token(doha, "Gate with a NUL", people["organizer"])
    db.session.commit()
    response = client.post("/api/v1/doha%00/checkin", json={"code": "1"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.json["error"] == 400


def test_a_login_with_a_nul_in_the_address_is_the_form_s_error(client, people):
    response = post_as_browser(client, "/login", {"email": "delegate\x00@example.org", "password": PASSWORD})
    assert response.status_code == 200 and "invisible control characters" in response.get_data(as_text=True)
