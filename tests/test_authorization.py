"""The authorization matrix: every route, every kind of visitor, the expected answer to a GET and to a POST.

The rows live beside each area's tests, in tests/<area>/matrix.py (ROUTES and samples()), and are collected here
from every such module on disk: a new area is covered by adding its module. A route of the application without a
row fails, and so does a route that changes state without a POST expectation.

The POST column posts with a valid CSRF token, read from a page of the visitor's own session, so that what answers
is the view's own check of who may change what. Each visitor's test starts from fresh samples, and every POST from
the database as the samples left it: a POST that changed something is undone before the next one.
"""
from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select, update
from werkzeug.exceptions import MethodNotAllowed, NotFound

from conference.extensions import db, limiter
from tests.access import VISITORS, Answer, Route
from tests.conftest import csrf_token, login

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _area_matrices() -> list[ModuleType]:
    """Every tests/<area>/matrix.py, in the order of the areas' names."""
    folder = Path(__file__).parent
    return [importlib.import_module(f"tests.{path.parent.name}.matrix") for path in sorted(folder.glob("*/matrix.py"))]


AREA_MATRICES = _area_matrices()


def _collect() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for area in AREA_MATRICES:
        twice = routes.keys() & area.ROUTES.keys()
        assert not twice, f"{area.__name__} repeats rows of another area: {sorted(twice)}"
        routes.update(area.ROUTES)
    return routes


# label ("endpoint", or "endpoint (variant)" for a second row of one endpoint) -> Route
ROUTES = _collect()


def endpoint_of(label: str) -> str:
    return label.split(" ", 1)[0]


def fill(value, samples: dict):
    """`value` with "{name}" in its strings replaced by the samples (in dicts, their keys, and lists too)."""
    if isinstance(value, str):
        return value.format(**samples)
    if isinstance(value, dict):
        return {fill(key, samples): fill(item, samples) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, samples) for item in value]
    return value


@pytest.fixture
def samples(app, people, doha) -> dict[str, object]:
    """Values for the "{name}" parts of the rows: every area's samples(), for the doha conference."""
    values: dict[str, object] = {}
    for area in AREA_MATRICES:
        made = area.samples(people, doha) if hasattr(area, "samples") else {}
        twice = values.keys() & made.keys()
        assert not twice, f"{area.__name__} repeats sample names of another area: {sorted(twice)}"
        values.update(made)
    return values


# ---- every route has its row -------------------------------------------------------------------------------------

class _AnyValue(dict):
    """Stands for every sample when a path is only matched against the URL map (1 fits ids and tokens alike)."""

    def __missing__(self, key: str) -> str:
        return "1"


def _rule_of(app, path: str, method: str):
    """The URL rule that answers `method` on `path` (without its query string), or None."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(path.partition("?")[0].format_map(_AnyValue()), method=method, return_rule=True)
    except (NotFound, MethodNotAllowed):
        return None
    return rule


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(endpoints - {endpoint_of(label) for label in ROUTES})
    assert missing == [], f"add rows for these routes to tests/<area>/matrix.py: {missing}"
    wrong = {label: route.path for label, route in ROUTES.items()
             if getattr(_rule_of(app, route.path, "GET") or _rule_of(app, route.path, "POST"), "endpoint", None)
             != endpoint_of(label)}
    assert wrong == {}, f"these rows' paths are not served by the endpoint they name: {wrong}"


def post_path(route: Route) -> str:
    """Where the row POSTs."""
    return route.post_path or route.path


def test_every_state_changing_route_has_a_post_expectation(app):
    """Each rule that takes a POST (PUT, PATCH, DELETE) is posted to by a row that says what every visitor gets."""
    posted = defaultdict(set)
    for label, route in ROUTES.items():
        if route.post is not None:
            assert set(route.post) == set(VISITORS), f"{label}: a POST expectation for every visitor"
            rule = _rule_of(app, post_path(route), "POST")
            assert rule is not None and rule.endpoint == endpoint_of(label), \
                f"{label}: {post_path(route)} does not take a POST at {endpoint_of(label)}"
            posted[rule.endpoint].add(rule.rule)
    missing = sorted(f"{rule.endpoint} {rule.rule}" for rule in app.url_map.iter_rules()
                     if rule.methods & STATE_CHANGING and rule.rule not in posted[rule.endpoint])
    assert missing == [], f"say in tests/<area>/matrix.py what a POST does for every visitor: {missing}"


# ---- GET ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("visitor", VISITORS)
def test_matrix(app, people, samples, visitor):
    client = app.test_client()
    if people[visitor] is not None:
        login(client, people[visitor])
    answers = {}
    for label, route in ROUTES.items():
        status = client.get(route.path.format(**samples), headers=fill(route.headers, samples)).status_code
        answers[label] = (status, route.get[visitor])
    wrong = {label: got for label, got in answers.items() if got[0] != got[1]}
    assert wrong == {}, f"(got, expected) for {visitor}: {wrong}"


def test_every_state_changing_route_needs_csrf(app, people, samples):
    client = app.test_client()
    login(client, people["admin"])
    posted = 0
    for route in ROUTES.values():
        if route.post is None:
            continue
        path = post_path(route).format(**samples)
        for method in sorted(_rule_of(app, post_path(route), "POST").methods & STATE_CHANGING):
            response = client.open(path, method=method, data={"anything": "x"})
            assert response.status_code == 400, f"{method} {path} answered {response.status_code} without CSRF"
            posted += 1
    assert posted >= 5


# ---- POST ---------------------------------------------------------------------------------------------------------

class Snapshot:
    """Every row of every table, to tell which tables a request changed and to put them back as they were."""

    def __init__(self) -> None:
        self.tables = db.metadata.sorted_tables  # parents before children
        self.rows = self.read()
        self.children = defaultdict(set)  # table -> the tables with a foreign key to it
        for table in self.tables:
            for key in table.foreign_keys:
                self.children[key.column.table.name].add(table.name)

    def read(self, names: set[str] | None = None) -> dict[str, list[dict]]:
        """The rows of every table (or of the tables named), in the order of their primary keys."""
        rows = {table.name: [dict(row._mapping) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))]
            for table in self.tables if names is None or table.name in names}
        db.session.rollback()  # end the read transaction: the next read sees the next request's writes
        return rows

    def changed(self, names: set[str] | None = None) -> list[str]:
        """The tables (of those named) whose rows differ from the snapshot's."""
        return [name for name, rows in self.read(names).items() if rows != self.rows[name]]

    def restore(self, changed: list[str]) -> None:
        """Put the changed tables back as they were, with the tables that point at them (deleting a row deletes or
        changes the rows that point at it); the links of a cycle, such as a delegation's head, are set last."""
        names, todo = set(), list(changed)
        while todo:
            name = todo.pop()
            if name not in names:
                names.add(name)
                todo.extend(self.children[name])
        tables = [table for table in self.tables if table.name in names]
        db.session.rollback()
        for table in reversed(tables):
            db.session.execute(table.delete())
        later = []
        for table in tables:
            cyclic = [key.parent.name for key in table.foreign_keys if key.use_alter]
            rows = self.rows[table.name]
            if rows:
                db.session.execute(table.insert(), [{**row, **dict.fromkeys(cyclic)} for row in rows])
            later += [(table, row, cyclic) for row in rows if any(row[name] is not None for name in cyclic)]
        for table, row, cyclic in later:
            keys = [column == row[column.name] for column in table.primary_key.columns]
            db.session.execute(update(table).where(*keys).values({name: row[name] for name in cyclic}))
        db.session.commit()
        assert self.changed(names) == [], "the snapshot was not restored"


def _session_user(client) -> str | None:
    with client.session_transaction() as stored:
        return stored.get("_user_id")


def _post(app, cookie: str | None, route: Route, samples: dict, token: str, snapshot: Snapshot):
    """POST the row's form (or JSON) in the visitor's session, in an application context of its own (so nothing
    cached in `g` or the database session by one request is seen by the next); returns the Answer observed."""
    with app.app_context():
        client = app.test_client()
        if cookie is not None:
            client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        before = _session_user(client)
        path, headers = post_path(route).format(**samples), fill(route.headers, samples)
        if route.json is not None:
            response = client.post(path, json=fill(route.json, samples), headers={"X-CSRFToken": token, **headers})
        else:
            response = client.post(path, data={"csrf_token": token, **fill(route.form, samples)}, headers=headers)
        changed = snapshot.changed()
        effect = "rows" if changed else "session" if _session_user(client) != before else "nothing"
        location = (response.location or "") if response.status_code in (301, 302, 303) else ""
    return Answer(response.status_code, effect, location), changed


def _visitor_session(app, user) -> tuple[str | None, str]:
    """The visitor's session cookie (None when anonymous and no cookie was set) and the CSRF token of its pages."""
    client = app.test_client()
    if user is not None:
        login(client, user)
    token = csrf_token(client, "/login" if user is None else "/account/password")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return (cookie.value if cookie else None), token


def _matches(got: Answer, expected: Answer) -> bool:
    return (got.status, got.effect) == (expected.status, expected.effect) and \
        got.location.startswith(expected.location)


@pytest.mark.parametrize("visitor", VISITORS)
def test_post_matrix(app, people, samples, visitor):
    """Every state-changing route, posted by this visitor with a valid CSRF token: refused, or done."""
    cookie, token = _visitor_session(app, people[visitor])
    snapshot = Snapshot()
    wrong = {}
    for label, route in ROUTES.items():
        if route.post is None:
            continue
        limiter.reset()  # each POST with the budget of a first attempt
        got, changed = _post(app, cookie, route, samples, token, snapshot)
        expected = route.post[visitor]
        if not _matches(got, expected):
            wrong[label] = f"got {got}{' ' + str(changed) if changed else ''}, expected {expected}"
        if changed:
            snapshot.restore(changed)
    assert wrong == {}, f"POST as {visitor}:\n" + "\n".join(f"  {label}: {text}" for label, text in wrong.items())
