"""Shared fixtures: a fresh application and database per test, users, login, CSRF."""
from __future__ import annotations

import functools
import inspect
import os
import re
import shutil
import tempfile
import threading
import uuid
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from conference import create_app
from conference.accounts.models import Role, User
from conference.accounts.services import grant_role
from conference.events.models import Conference
from conference.extensions import db

pytest_plugins = ["tests.smtp"]  # the real SMTP server fixture, for every area that sends mail

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# The folder of this run's compiled catalogs, named in the environment: test modules import this file a second
# time (as tests.conftest), with globals of their own, and app_config must find it from both.
TRANSLATIONS = "CONFERENCE_TEST_TRANSLATIONS"


def compile_catalogs(folder: Path) -> None:
    """Compile the committed .po catalogs into `folder`, so tests see the translations as committed."""
    source = ROOT / "conference" / "translations"
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        mo_path = folder / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="conference-translations-")  # not the source tree: a run leaves it as it was
    compile_catalogs(Path(folder))
    os.environ[TRANSLATIONS] = folder
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; the PostgreSQL pass leaves it out")
    config.addinivalue_line("markers", "browser: opens Chromium or a page checker (set by the fixtures it uses); "
                                       "`make test-fast` leaves it out")


def pytest_unconfigure(config) -> None:
    folder = os.environ.pop(TRANSLATIONS, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


# Browser tests reach the application through live_server; the page checkers are the axe and vnu fixtures.
BROWSER_FIXTURES = {"live_server", "axe", "vnu"}
BROWSER_CALLS = re.compile(r"\b(sync_playwright|axe_violations|vnu_errors)\b")


@functools.cache
def calls_a_browser(function) -> bool:
    """Whether a test's own code starts Chromium or a page checker."""
    return bool(BROWSER_CALLS.search(inspect.getsource(function)))


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items) -> None:
    """Mark browser tests by the fixtures they use; deselect SQLite-only tests in the PostgreSQL pass."""
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        elif "browser" not in item.keywords and hasattr(item, "function") and calls_a_browser(item.function):
            raise pytest.UsageError(f"{item.nodeid} starts a browser or a page checker without a fixture that marks "
                                    f"it (one of {', '.join(sorted(BROWSER_FIXTURES))}) or @pytest.mark.browser")
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if "sqlite_only" not in item.keywords]
    dropped = [item for item in items if "sqlite_only" in item.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@contextmanager
def new_database(like_url: str, prefix: str = "scratch"):
    """A brand-new empty database of the kind of `like_url` (a SQLite file, or a PostgreSQL database on the same
    server, dropped afterwards); yields its URL."""
    url = make_url(like_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp()}/{prefix}.db"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_together(tasks, app=None, expected: tuple[type[BaseException], ...] = ()) -> list:
    """Run each task in its own thread (in its own app context and session with `app`), released at one instant.

    A task is called with `ready`, which it calls just before the step that races: the threads wait there for one
    another, so what each loads first is not part of the race. With `app`, a task's session is committed when it
    returns and rolled back when it raises. Returns what each task returned or, for an `expected` exception, the
    error it raised, in the tasks' order; any other error is raised here, with its traceback.
    """
    barrier = threading.Barrier(len(tasks), timeout=60)
    outcomes: list = [None] * len(tasks)

    def run(index: int, task) -> None:
        waited = []

        def ready() -> None:
            waited.append(True)
            barrier.wait()

        with app.app_context() if app is not None else nullcontext():
            try:
                outcomes[index] = task(ready)
                assert waited, f"task {index} of run_together never called ready()"
                if app is not None:
                    db.session.commit()
            except BaseException as error:  # handed to the main thread
                # Failing before the start, a task would keep the others waiting until the timeout; after it, it
                # leaves the barrier alone (an abort would break the threads still waking up there).
                if not waited:
                    barrier.abort()
                if app is not None:
                    db.session.rollback()
                outcomes[index] = error
            finally:
                if app is not None:
                    db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, expected)]
    if unexpected:  # the cause first, before the others' broken barrier
        raise min(unexpected, key=lambda error: isinstance(error, threading.BrokenBarrierError))
    return outcomes


@pytest.fixture
def empty_database_url(database_url):
    """A brand-new empty database of the same kind as the test database (for migrations run from scratch)."""
    with new_database(database_url, "empty") as url:
        yield url


@pytest.fixture(scope="session")
def database_url() -> str:
    """PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file for this run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    folder = tempfile.mkdtemp(prefix="conference-tests-")
    return f"sqlite:///{folder}/test.db"


def app_config(database_url: str, **extra) -> dict:
    """Settings for a test application."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_BACKEND": "log",
        "RATELIMIT_STORAGE_URI": "memory://",
        "TASK_QUEUE_URL": "memory://",  # tests run the queue's tasks in their own process (core.tasks.run_pending)
        "PAGE_CACHE_URL": "",  # each test application's own memory
        "SERVER_NAME": None,
        "BABEL_TRANSLATION_DIRECTORIES": os.environ[TRANSLATIONS],
        # Concurrency tests run dozens of threads, each with its own connection.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 60, "pool_timeout": 60},
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def _schema(database_url: str):
    """Create the tables once per run from the models."""
    app = create_app(app_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_schema, database_url):
    """A fresh application with empty tables."""
    app = create_app(app_config(database_url))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_conference(app):
    """Factory: a conference whose registration is open now."""

    def make(slug: str = "doha", **fields) -> Conference:
        today = datetime.now(timezone.utc).date()
        values = {
            "slug": slug, "name_en": "Test Conference", "name_ar": "مؤتمر تجريبي",
            "timezone": "Asia/Qatar", "country": "QA",
            "start_date": today + timedelta(days=30), "end_date": today + timedelta(days=31),
            "registration_opens_at": datetime.now(timezone.utc) - timedelta(days=1),
            "registration_closes_at": datetime.now(timezone.utc) + timedelta(days=20),
            "capacity": 100,
        }
        values.update(fields)
        conference = Conference(**values)
        db.session.add(conference)
        db.session.commit()
        return conference

    return make


@functools.lru_cache(maxsize=1)
def password_hash() -> str:
    """PASSWORD hashed once: hashing is slow on purpose, and factories make many users."""
    return generate_password_hash(PASSWORD)


def quick_user(email: str, name: str = "Test User", admin: bool = False, verified: bool = True) -> User:
    """A user with PASSWORD, without paying for a fresh hash; its address confirmed unless `verified` is False."""
    user = User(email=email.lower(), password_hash=password_hash(), display_name=name, is_admin=admin,
                email_verified_at=datetime.now(timezone.utc) if verified else None)
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def make_user(app):
    """Factory: a user, optionally with a role for a conference."""
    counter = iter(range(1, 10_000))

    def make(email: str | None = None, role: Role | None = None, conference: Conference | None = None,
             admin: bool = False, name: str = "Test User", verified: bool = True):
        email = email or f"user{next(counter)}@example.org"
        user = quick_user(email, name, admin, verified)
        if role is not None:
            grant_role(user, conference.id, role)
        db.session.commit()
        return user

    return make


def login(client, user) -> None:
    """Log a test client in as `user` without going through the rate-limited form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    # Requests share the test's app context, and so its `g`, where Flask-Login caches the user.
    from flask import g

    g.pop("_login_user", None)


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """A valid CSRF token for this client's session, read from a real form."""
    from flask import g

    g.pop("csrf_token", None)  # Flask-WTF keeps the last page's token in `g`, which requests share in tests
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a form the way a browser does, with the page's CSRF token."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client))
    return client.post(path, data=payload, **kwargs)


@pytest.fixture
def doha(make_conference):
    return make_conference("doha")


@pytest.fixture
def people(doha, make_conference, make_user):
    """One user of every kind the authorization matrix knows."""
    other = make_conference("other", name_en="Other Conference")
    return {
        "anonymous": None,
        "delegate": make_user("delegate@example.org"),
        "reviewer": make_user("reviewer@example.org", Role.REVIEWER, doha),
        "staff": make_user("staff@example.org", Role.STAFF, doha),
        "other_organizer": make_user("other-org@example.org", Role.ORGANIZER, other),
        "organizer": make_user("organizer@example.org", Role.ORGANIZER, doha),
        "admin": make_user("admin@example.org", admin=True),
    }


@pytest.fixture
def make_delegate(app):
    """Factory: a registration (with its own account) in a given status."""
    from conference.registration.models import Category, Delegate, DelegateStatus
    from conference.registration.services import new_badge_token, next_code

    counter = iter(range(1, 1_000_000))

    def make(conference: Conference, name: str = "Hamad bin Saif Al-Housni", status: str = "approved",
             country: str = "OM", **fields) -> Delegate:
        n = next(counter)
        email = fields.pop("email", f"delegate{n}@example.org")
        user = quick_user(email, name, verified=fields.pop("verified", True))
        delegate = Delegate(
            conference_id=conference.id, user_id=user.id, email=user.email, name=name, country=country,
            status=DelegateStatus(status), category=Category(fields.pop("category", "delegate")),
            code=next_code(conference.id, country), badge_token=new_badge_token(), consent_privacy=True,
            waitlisted_at=datetime.now(timezone.utc) if status == "waitlisted" else None, **fields,
        )
        db.session.add(delegate)
        db.session.commit()
        return delegate

    return make


@pytest.fixture
def axe(app, live_server):
    """axe-core in Chromium: `axe(pages, who, language)`, the serious violations per page (tests/pagecheck.py)."""
    from tests.pagecheck import axe_violations

    return functools.partial(axe_violations, app, live_server)


@pytest.fixture
def vnu(app, tmp_path):
    """The Nu Html Checker: `vnu(pages, who)`, its errors on the pages in both languages (tests/pagecheck.py)."""
    from tests.pagecheck import vnu_errors

    return functools.partial(vnu_errors, app, folder=tmp_path)


@pytest.fixture
def live_server(app):
    """The test application served over HTTP from a thread, on the test database (for browser tests)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


# A conference and an account as the oldest migrations know them, for tests of a migration on existing rows.
OLD_CONFERENCE = {"id": 1, "slug": "doha", "name_en": "D", "name_ar": "D", "description_en": "", "description_ar": "",
                  "venue_en": "", "venue_ar": "", "city_en": "", "city_ar": "", "country": "QA",
                  "timezone": "Asia/Qatar", "start_date": "2027-05-23", "end_date": "2027-05-24",
                  "auto_approve": False, "agenda_published": False, "admit_only_on_conference_days": True,
                  "created_at": "2026-01-01 00:00:00"}
OLD_USER = {"password_hash": "x", "display_name": "", "locale": "en", "is_admin": False,
            "created_at": "2026-01-01 00:00:00", "session_generation": 0}


def insert_rows(conn, table: str, *rows: dict) -> None:
    """Rows written with plain SQL, as a migration test writes them on the schema of an older revision."""
    for row in rows:
        columns = ", ".join(row)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + name for name in row)})"), row)
