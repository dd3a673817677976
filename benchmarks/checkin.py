"""Check-in API throughput under gunicorn, next to a trivial JSON endpoint of the same app.

Run: .venv/bin/python benchmarks/checkin.py [--delegates 20000] [--scans 3000] [--seconds 20]
Seeds approved delegates into a fresh SQLite file (and, with TEST_DATABASE_URL set, a fresh PostgreSQL
database), serves the app with gunicorn (2 workers) on 127.0.0.1, and drives it from threads on loopback,
each request bounded in count and time. It prints numbers and ratios; it asserts nothing.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from conference import create_app  # noqa: E402
from conference.accounts.models import User  # noqa: E402
from conference.checkin.models import CheckIn  # noqa: E402
from conference.checkin.services import issue_device_token  # noqa: E402
from conference.events.models import Conference  # noqa: E402
from conference.extensions import db  # noqa: E402
from conference.registration.models import Delegate  # noqa: E402

COUNTRIES = ("QA", "OM", "MA", "EG", "JO", "SA", "AE", "KW", "BH", "LB")
SLUG = "bench"


def seed(url: str, delegates: int) -> tuple[str, list[str]]:
    """A conference on today with `delegates` approved registrations; returns a device token and the badges."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        today = datetime.now(timezone.utc).date()
        conference = Conference(slug=SLUG, name_en="Benchmark", timezone="Asia/Qatar", country="QA",
                                start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
        db.session.add(conference)
        db.session.flush()
        password = generate_password_hash("not-used-for-login")
        now = datetime.now(timezone.utc)
        db.session.execute(insert(User), [
            {"email": f"d{n}@example.org", "password_hash": password, "display_name": f"Delegate {n}",
             "created_at": now} for n in range(delegates)])
        user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
        tokens = [f"{secrets.randbits(128):039d}" for _ in range(delegates)]
        db.session.execute(insert(Delegate), [
            {"conference_id": conference.id, "user_id": user_id, "email": f"d{n}@example.org",
             "name": f"Delegate {n}", "name_ar": f"مندوب {n}", "country": COUNTRIES[n % len(COUNTRIES)],
             "organization": "Child Helpline", "status": "approved", "code": f"{COUNTRIES[n % len(COUNTRIES)]}-{n:05d}",
             "badge_token": tokens[n], "consent_privacy": True, "created_at": now, "updated_at": now}
            for n, user_id in enumerate(user_ids)])
        _, token = issue_device_token(conference, "Benchmark gate", None)
        db.session.commit()
        db.engine.dispose()
    return token, tokens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, port: int):
    """The app under gunicorn with 2 workers; the scan limit is raised so the benchmark measures the scan."""
    env = dict(os.environ, DATABASE_URL=url, SCAN_RATE_LIMIT="1000000 per minute", FLASK_DEBUG="0",
               APP_ENV="development", SECRET_KEY="benchmark-" + "x" * 32)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        server.terminate()
        server.wait(timeout=15)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, seconds, body) of one request on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, elapsed, data


def drive(port: int, make_request, count: int, seconds: float, threads: int) -> dict:
    """Send up to `count` requests from `threads` threads, stopping after `seconds`."""
    lock = threading.Lock()
    next_index = iter(range(count))
    results: list[tuple[int, float, bytes]] = []
    stop_at = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop_at:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            outcome = request(port, *make_request(index))
            with lock:
                results.append(outcome)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    latencies = sorted(elapsed for _, elapsed, _ in results)
    return {
        "requests": len(results), "seconds": wall, "rate": len(results) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "statuses": sorted({status for status, _, _ in results}), "bodies": [body for _, _, body in results],
    }


def run(label: str, url: str, args) -> None:
    print(f"\n== {label} ==")
    started = time.perf_counter()
    token, badges = seed(url, args.delegates)
    print(f"seeded {len(badges):,} approved delegates in {time.perf_counter() - started:.1f} s")
    port = free_port()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    scans = min(args.scans, len(badges))

    def scan(index: int):
        body = json.dumps({"code": badges[index], "gate": "Bench", "nonce": f"bench-{index}"}).encode()
        return "POST", f"/api/v1/{SLUG}/checkin", body, headers

    with gunicorn(url, port):
        for path in ("/healthz", f"/api/v1/{SLUG}/checkin"):  # warm both workers' imports and connections
            for _ in range(10):
                request(port, "GET", path)
        trivial = drive(port, lambda i: ("GET", "/healthz"), args.scans, args.seconds, args.threads)
        checkin = drive(port, scan, scans, args.seconds, args.threads)
    verdicts: dict[str, int] = {}
    for body in checkin["bodies"]:
        answer = json.loads(body)
        key = answer["status"] if answer["reason"] is None else answer["reason"]
        verdicts[key] = verdicts.get(key, 0) + 1
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        stored = db.session.scalar(select(func.count(CheckIn.id)))
        db.engine.dispose()
    for name, numbers in (("GET /healthz", trivial), ("POST scan", checkin)):
        print(f"{name:<14} {numbers['requests']:>6} requests in {numbers['seconds']:5.1f} s  "
              f"{numbers['rate']:7.0f}/s  p50 {numbers['p50']:6.1f} ms  p99 {numbers['p99']:6.1f} ms  "
              f"HTTP {numbers['statuses']}")
    print(f"ratio scan/healthz: {checkin['rate'] / trivial['rate']:.2f}x (target >= 0.5x)")
    print(f"verdicts: {verdicts}; distinct badges scanned: {checkin['requests']}; admissions stored: {stored}; "
          f"admitted == distinct badges: {verdicts.get('ok', 0) == checkin['requests'] == stored}")


@contextmanager
def postgres_database(base_url: str):
    """A brand-new PostgreSQL database next to the test one, dropped afterwards."""
    url = make_url(base_url)
    name = f"bench_checkin_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=3_000, help="requests per endpoint (at most)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per endpoint")
    parser.add_argument("--threads", type=int, default=8, help="concurrent client connections")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; gunicorn 2 sync workers; {args.threads} client threads on loopback")
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args)
    if os.environ.get("TEST_DATABASE_URL"):
        with postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
            run("PostgreSQL", url, args)


if __name__ == "__main__":
    main()
