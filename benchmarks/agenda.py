"""The public pages at 150 sessions, next to /healthz, under gunicorn in the same run: the agenda in full from the
page cache and as a 304 (If-None-Match), the venue board, agenda.ics and schedule.json.

Run: .venv/bin/python benchmarks/agenda.py [--sessions 150] [--speakers 300] [--seconds 8] [--connections 16]
Seeds a fresh SQLite file (and, with TEST_DATABASE_URL set, a fresh PostgreSQL database beside it) with a
published agenda, serves the app with gunicorn (2 workers) on 127.0.0.1 and drives each path with wrk
(/usr/bin/wrk) when installed, else with threads. It prints requests per second, latencies and the ratio
to /healthz; it asserts nothing.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))

from sqlalchemy import insert  # noqa: E402

from conference import create_app  # noqa: E402
from conference.accounts.models import User  # noqa: E402
from conference.agenda.models import AgendaSession, SessionPerson  # noqa: E402
from conference.agenda.versions import publish_agenda  # noqa: E402
from conference.events.models import Conference  # noqa: E402
from conference.events.services import add_room, add_track  # noqa: E402
from conference.extensions import db  # noqa: E402
from conference.registration.models import Delegate  # noqa: E402

SLUG = "bench"
SECRET = "benchmark-" + "x" * 32
AGENDA = f"/{SLUG}/agenda"
PHONE = {"Accept-Language": "ar-QA,ar;q=0.9,en;q=0.8"}  # a phone set to Arabic, following the link it was sent
# (row, path, headers of a first visit, True for a repeat: the ETag it holds and the cookie it was given, if any)
ROWS = (("/healthz", "/healthz", {}, False),
        ("agenda, first visit", AGENDA, PHONE, False),
        ("agenda, repeat (304)", AGENDA, PHONE, True),
        ("agenda?lang=ar, first visit", AGENDA + "?lang=ar", {}, False),
        ("agenda?lang=ar, repeat (304)", AGENDA + "?lang=ar", {}, True),
        ("venue board", f"/{SLUG}/screen/board", {}, False),
        ("agenda.ics", f"/{SLUG}/agenda.ics", {}, False),
        ("schedule.json", f"/{SLUG}/schedule.json", {}, False))


def seed(url: str, sessions: int, speakers: int) -> None:
    """A two-day conference, four rooms, `speakers` delegates and `sessions` published sessions."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.drop_all()
        db.create_all()
        today = datetime.now(timezone.utc).date()
        conference = Conference(slug=SLUG, name_en="Benchmark", name_ar="قياس", timezone="Asia/Qatar", country="QA",
                                city_en="Doha", city_ar="الدوحة", start_date=today + timedelta(days=10),
                                end_date=today + timedelta(days=11))
        db.session.add(conference)
        db.session.flush()
        add_published_agenda(conference, sessions, speakers)
        db.session.commit()
        db.engine.dispose()


def add_published_agenda(conference: Conference, sessions: int, speakers: int) -> None:
    """Four rooms, three tracks, `speakers` speaking delegates and `sessions` sessions, published as version 1."""
    rooms = [add_room(conference, f"Room {n}", f"القاعة {n}", 200) for n in range(1, 5)]
    tracks = [add_track(conference, f"Track {n}", f"المسار {n}") for n in range(1, 4)]
    now = datetime.now(timezone.utc)
    user_ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": f"speaker{n}@example.org", "password_hash": "x", "display_name": f"Speaker {n}",
         "created_at": now} for n in range(speakers)]).all()
    delegate_ids = db.session.scalars(insert(Delegate).returning(Delegate.id, sort_by_parameter_order=True), [
        {"conference_id": conference.id, "user_id": uid, "email": f"speaker{n}@example.org",
         "name": f"متحدث {n}", "name_latin": f"Speaker {n}", "country": "QA", "status": "approved",
         "code": f"SP-{n:05d}", "badge_token": f"{n:039d}", "consent_privacy": True, "organization": "Helpline",
         "created_at": now, "updated_at": now} for n, uid in enumerate(user_ids)]).all()
    db.session.flush()
    per_day_room = len(conference.days) * len(rooms)
    for n in range(sessions):
        day = conference.days[n % len(conference.days)]
        slot = n // per_day_room
        start = datetime.combine(day, datetime.min.time(), tzinfo=conference.tz) + timedelta(
            hours=8, minutes=15 * slot)
        session = AgendaSession(
            conference_id=conference.id, title_en=f"Session {n} on child helplines", title_ar=f"الجلسة {n}",
            description_en="A description of the session. " * 5, starts_at=start,
            ends_at=start + timedelta(minutes=15), duration_minutes=15,
            room_id=rooms[(n // len(conference.days)) % len(rooms)].id, track_id=tracks[n % 3].id,
            language=("ar", "en", "both")[n % 3], interpretation=("en", "", "both")[n % 3])
        session.people = [SessionPerson(delegate_id=delegate_ids[(2 * n + k) % len(delegate_ids)], position=k)
                          for k in range(2)]
        db.session.add(session)
    db.session.flush()
    publish_agenda(conference, None, warnings_seen=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, float]:
    """(status, seconds) of one GET on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - started


def repeat_headers(port: int, path: str, first: dict) -> dict:
    """What a phone sends when it opens `path` again: the ETag it holds and the cookie it was given (the language)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request("GET", path, headers=first)
    response = connection.getresponse()
    response.read()
    connection.close()
    headers = {**first, "If-None-Match": response.getheader("ETag")}
    cookie = response.getheader("Set-Cookie")
    if cookie:
        headers["Cookie"] = cookie.split(";", 1)[0]
    return headers


@contextmanager
def gunicorn(url: str, port: int):
    """The app under gunicorn with 2 workers, quiet."""
    env = dict(os.environ, DATABASE_URL=url, FLASK_DEBUG="0", APP_ENV="development", SECRET_KEY=SECRET)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        server.terminate()
        server.wait(timeout=15)


def with_wrk(port: int, path: str, seconds: float, connections: int, headers: dict | None = None,
             host: str = "127.0.0.1") -> dict:
    """Requests per second and latencies (ms) measured by wrk."""
    options = [item for name, value in (headers or {}).items() for item in ("-H", f"{name}: {value}")]
    result = subprocess.run(["/usr/bin/wrk", "-t", "2", "-c", str(connections), "-d", f"{round(seconds)}s",
                             "--latency", *options, f"http://{host}:{port}{path}"], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"wrk failed: {result.stdout} {result.stderr}")
    out = result.stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50%"),
            "p99": latency("99%"), "errors": int(errors.group(1)) if errors else 0}


def with_threads(port: int, path: str, seconds: float, connections: int, headers: dict | None = None) -> dict:
    """The same numbers from `connections` threads issuing requests one after another."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work():
        nonlocal errors
        while time.monotonic() < stop:
            status, elapsed = get(port, path, headers)
            with lock:
                times.append(elapsed)
                errors += status not in (200, 304)

    threads = [threading.Thread(target=work) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(times)
    return {"rate": len(times) / seconds, "p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000, "errors": errors}


def run(label: str, url: str, args) -> None:
    started = time.perf_counter()
    seed(url, args.sessions, args.speakers)
    print(f"\n== {label}: {args.sessions} published sessions, {args.speakers} speakers "
          f"(seeded in {time.perf_counter() - started:.1f} s) ==")
    measure = with_wrk if Path("/usr/bin/wrk").exists() and shutil.which("/usr/bin/wrk") else with_threads
    port = free_port()
    with gunicorn(url, port):
        for _row, path, first, _repeat in ROWS:  # warm both workers up (a version's first reader renders it)
            for _ in range(4):
                get(port, path, first)
        results = {}
        for row, path, first, repeat in ROWS:
            headers = repeat_headers(port, path, first) if repeat else first
            if repeat and get(port, path, headers)[0] != 304:
                raise RuntimeError(f"{row} is not a 304")
            results[row] = measure(port, path, args.seconds, args.connections, headers)
    base = results["/healthz"]["rate"]
    print(f"{'path':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs /healthz':>12}")
    for row, r in results.items():
        print(f"{row:38} {r['rate']:9.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d} {r['rate'] / base:11.2f}x")
    print(f"(measured with {'wrk' if measure is with_wrk else 'threads'}, {args.connections} connections, "
          f"{args.seconds:.0f} s per path, gunicorn 2 workers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=150)
    parser.add_argument("--speakers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory(prefix="agenda-bench-") as folder:
            run("SQLite", f"sqlite:///{folder}/bench.db", args)
    if os.environ.get("TEST_DATABASE_URL") and args.only != "sqlite":
        from checkin import postgres_database  # a fresh database beside the test one, dropped afterwards

        with postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
            run("PostgreSQL", url, args)


if __name__ == "__main__":
    main()
