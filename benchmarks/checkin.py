"""Scan API throughput under gunicorn, measured from outside with wrk, next to the app's own /healthz.

Run: .venv/bin/python benchmarks/checkin.py [--delegates 120000] [--seconds 8] [--rounds 3] [--connections 16]
[--threads N]
Seeds approved delegates into a fresh SQLite file (and, with TEST_DATABASE_URL set, a fresh PostgreSQL
database), serves the app with gunicorn, 2 workers as the README deploys them for that database (SQLite: sync
workers; PostgreSQL: 2 threads each; --threads sets it for both), and drives it with wrk (Debian package `wrk`):
a Lua script posts distinct nonces over distinct badges. For each database and each kind of scanner (a scanner
page's door token for its staff member, a gate device's token: both bearer tokens) it alternates /healthz and the
scan API, three rounds, and prints the medians: scans/s, p50/p99 latency and the ratio to /healthz, and the ratio of
gunicorn's CPU time per request (from /proc; a machine shared with other work disturbs it less; PostgreSQL's own
CPU is not in it). Afterwards it checks that every scan got the verdict it must (each badge admitted once) and
that the database holds exactly those admissions and one log line per scan. It asserts nothing.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, literal, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from conference import create_app  # noqa: E402
from conference.accounts.models import Role, User  # noqa: E402
from conference.accounts.services import grant_role  # noqa: E402
from conference.checkin.devices import issue_device_token  # noqa: E402
from conference.checkin.models import CheckIn, ScanLog  # noqa: E402
from conference.events.models import Conference  # noqa: E402
from conference.extensions import db  # noqa: E402
from conference.registration.models import Delegate  # noqa: E402

COUNTRIES = ("QA", "OM", "MA", "EG", "JO", "SA", "AE", "KW", "BH", "LB")
SLUG = "bench"
STAFF_EMAIL = "staff@bench.example.org"
STAFF_PASSWORD = "benchmark-staff-password"
SECRET = "benchmark-" + "x" * 32
WRK_THREADS = 2

# wrk's Lua side: each connection-thread posts the next badge of its own slice with a fresh nonce, and counts
# the verdicts it reads back, so the run can be checked against what must have happened.
SCAN_SCRIPT = r"""
local badges = dofile(os.getenv("BENCH_BADGES"))
local first, count = tonumber(os.getenv("BENCH_FIRST")), tonumber(os.getenv("BENCH_COUNT"))
local auth_header, auth_value = os.getenv("BENCH_AUTH_HEADER"), os.getenv("BENCH_AUTH_VALUE")
local cookie = os.getenv("BENCH_COOKIE")
local threads, made = {}, 0

function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(threads, thread)
end

function init(args)
  slice = math.floor(count / tonumber(os.getenv("BENCH_THREADS")))
  next_badge = first + id * slice
  last_badge = next_badge + slice
  ok, already, other, bad = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers[auth_header] = auth_value
  if cookie ~= "" then wrk.headers["Cookie"] = cookie end
end

function request()
  local badge = badges[(next_badge % #badges) + 1]
  local nonce = string.format("r%s-%d", os.getenv("BENCH_ROUND"), next_badge)
  next_badge = next_badge + 1
  return wrk.format(nil, nil, nil, '{"code":"' .. badge .. '","gate":"Bench","nonce":"' .. nonce .. '"}')
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1
  elseif body:find('"status":"ok"', 1, true) then ok = ok + 1
  elseif body:find('"already_checked_in"', 1, true) then already = already + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {ok = 0, already = 0, other = 0, bad = 0, overrun = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      if key ~= "overrun" then totals[key] = totals[key] + thread:get(key) end
    end
    if thread:get("next_badge") > thread:get("last_badge") then totals.overrun = 1 end
  end
  io.write(string.format("RESULT %d %d %d %d %d %d %.3f %.3f\n", summary.requests, totals.ok, totals.already,
    totals.other, totals.bad, totals.overrun, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""

HEALTH_SCRIPT = r"""
function done(summary, latency, requests)
  io.write(string.format("RESULT %d 0 0 0 0 0 %.3f %.3f\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def seed(url: str, delegates: int) -> tuple[str, list[str]]:
    """A conference on today with `delegates` approved registrations and a staff account; a device token."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.drop_all()
        db.create_all()
        today = datetime.now(timezone.utc).date()
        conference = Conference(slug=SLUG, name_en="Benchmark", timezone="Asia/Qatar", country="QA",
                                start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
        db.session.add(conference)
        staff = User(email=STAFF_EMAIL, password_hash=generate_password_hash(STAFF_PASSWORD),
                     display_name="Door staff")
        db.session.add(staff)
        db.session.flush()
        grant_role(staff, conference.id, Role.STAFF)
        password = generate_password_hash("not-used-for-login", method="pbkdf2:sha256:1")
        now = datetime.now(timezone.utc)
        tokens = [f"{secrets.randbits(128):039d}" for _ in range(delegates)]
        for start in range(0, delegates, 5000):
            numbers = range(start, min(start + 5000, delegates))
            user_ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
                {"email": f"d{n}@example.org", "password_hash": password, "display_name": f"Delegate {n}",
                 "created_at": now} for n in numbers]).all()
            db.session.execute(insert(Delegate), [
                {"conference_id": conference.id, "user_id": user_id, "email": f"d{n}@example.org",
                 "name": f"Delegate {n}", "name_ar": f"مندوب {n}", "country": COUNTRIES[n % len(COUNTRIES)],
                 "organization": "Child Helpline", "status": "approved",
                 "code": f"{COUNTRIES[n % len(COUNTRIES)]}-{n:05d}", "badge_token": tokens[n],
                 "consent_privacy": True, "created_at": now, "updated_at": now}
                for n, user_id in zip(numbers, user_ids, strict=False)])
        _, token = issue_device_token(conference, "Benchmark gate", None)
        # The scans fall on the conference's second day: everyone was admitted on the first.
        yesterday = conference.local_date(now) - timedelta(days=1)
        db.session.execute(insert(CheckIn).from_select(
            ["conference_id", "delegate_id", "day", "at", "recorded_at", "gate"],
            select(Delegate.conference_id, Delegate.id, literal(yesterday), literal(now), literal(now),
                   literal("Main entrance"))))
        db.session.commit()
        settle(db.engine)
        db.engine.dispose()
    return token, tokens


def settle(engine) -> None:
    """Finish what the load leaves the database to do, before anything is measured.

    PostgreSQL: the tables are analyzed (as autovacuum would do within a minute, in the middle of the rounds) and
    the dirty pages written out. SQLite: the WAL is checkpointed.
    """
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
        else:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, body: bytes | None = None,
        method: str = "GET") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@contextmanager
def gunicorn(url: str, port: int, threads: int, rate_limits: str):
    """The app under gunicorn with 2 workers of `threads` threads; the scan limit is raised so the benchmark
    measures the scan."""
    env = dict(os.environ, DATABASE_URL=url, SCAN_RATE_LIMIT="100000000 per minute", FLASK_DEBUG="0",
               APP_ENV="development", SECRET_KEY=SECRET, RATELIMIT_STORAGE_URI=rate_limits)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=15)


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's master and workers, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def staff_door_token(port: int) -> str:
    """Log in as door staff through the login form and ask for a door token as the scanner page does."""
    cookies: dict[str, str] = {}

    def remember(response):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]

    def cookie_header() -> str:
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    login = get(port, "/login")
    remember(login)
    csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', login.body).group(1).decode()
    form = urllib.parse.urlencode({"csrf_token": csrf, "email": STAFF_EMAIL, "password": STAFF_PASSWORD}).encode()
    answer = get(port, "/login", {"Cookie": cookie_header(), "Content-Type": "application/x-www-form-urlencoded"},
                 form, "POST")
    remember(answer)
    page = get(port, f"/{SLUG}/checkin", {"Cookie": cookie_header()})
    if page.status != 200:
        raise RuntimeError(f"staff log-in failed: door page answered {page.status} {page.getheader('Location')}")
    remember(page)
    csrf = re.search(rb'data-csrf="([^"]+)"', page.body).group(1).decode()
    answer = get(port, f"/api/v1/{SLUG}/door-token", {"Cookie": cookie_header(), "X-CSRFToken": csrf}, b"", "POST")
    if answer.status != 200:
        raise RuntimeError(f"door token refused: {answer.status}")
    return json.loads(answer.body)["token"]


def wrk(port: int, path: str, script: Path, seconds: float, connections: int, env: dict) -> dict:
    """One wrk run: requests/s, p50/p99 in ms and the verdict counts its script reported."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(WRK_THREADS, connections)),
            "-c",
            str(connections),
            "-d",
            f"{round(seconds)}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"wrk failed: {result.stdout} {result.stderr}")
    output = result.stdout
    numbers = re.search(r"^RESULT (.*)$", output, re.MULTILINE).group(1).split()
    requests, ok, already, other, bad, overrun = (int(value) for value in numbers[:6])
    return {"requests": requests, "rate": requests / seconds, "ok": ok, "already": already, "other": other,
            "bad": bad, "overrun": bool(overrun), "p50": float(numbers[6]), "p99": float(numbers[7])}


def stored_counts(url: str) -> tuple[int, int]:
    """(admissions, scan log lines) in the database now."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        counts = (db.session.scalar(select(func.count(CheckIn.id))), db.session.scalar(select(func.count(ScanLog.id))))
        db.engine.dispose()
    return counts


# Threads per worker as the README deploys them. On PostgreSQL a scan waits for the server's durable commit (about a
# quarter of a millisecond here), and a second thread answers another request meanwhile (measured: 0.50-0.55x with
# sync workers, 0.58-0.63x with 2 threads). SQLite's writes take the file's lock within the worker: a second thread
# only waits for it, and costs every request a little (measured: 0.47-0.52x with 2 threads, 0.52-0.54x sync).
THREADS = {"SQLite": 1, "PostgreSQL": 2}
# Where the rate limits are counted, as the README deploys each database: SQLite serves one host, whose workers each
# count in memory; PostgreSQL serves several workers on several hosts, which count together in Redis (a round trip per
# scan: measured on SQLite, 0.41x with Redis against 0.49-0.51x in memory).
RATE_LIMITS = {"SQLite": "memory://", "PostgreSQL": "redis://127.0.0.1:6379/1"}


def run(label: str, url: str, args, folder: Path) -> list[tuple]:
    """Every scanner kind on one database; returns table rows."""
    started = time.perf_counter()
    device_token, badges = seed(url, args.delegates)
    print(f"\n== {label}: seeded {len(badges):,} approved delegates in {time.perf_counter() - started:.1f} s ==")
    badge_file = folder / "badges.lua"
    badge_file.write_text("return {" + ",".join(f'"{badge}"' for badge in badges) + "}\n")
    scan_script, health_script = folder / "scan.lua", folder / "health.lua"
    scan_script.write_text(SCAN_SCRIPT)
    health_script.write_text(HEALTH_SCRIPT)
    port = free_port()
    rows = []
    next_badge = 0
    threads = args.threads or THREADS[label]
    print(f"   gunicorn: 2 workers of {threads} thread{'s' if threads > 1 else ''}")
    rate_limits = args.rate_limits or RATE_LIMITS[label]
    print(f"   rate limits counted in {rate_limits}")
    with gunicorn(url, port, threads, rate_limits) as server:
        def measured(path, script, env):
            """A wrk run, with the server's CPU time per request (less sensitive to a busy machine)."""
            before = server_cpu_seconds(server)
            result = wrk(port, path, script, args.seconds, args.connections, env)
            result["cpu_ms"] = (server_cpu_seconds(server) - before) * 1000 / max(result["requests"], 1)
            return result

        scanners = {"staff door token": ("Authorization", f"Bearer {staff_door_token(port)}", ""),
                    "device token": ("Authorization", f"Bearer {device_token}", "")}
        for _ in range(20):  # both workers warm: imports, connections, compiled statements
            get(port, "/healthz")
        for kind, (header, value, cookie_value) in scanners.items():
            health, scans = [], []
            for round_number in range(args.rounds):
                health.append(measured("/healthz", health_script, {}))
                admissions_before, lines_before = stored_counts(url)
                slice_size = len(badges) // (args.rounds * len(scanners))
                result = measured(f"/api/v1/{SLUG}/checkin", scan_script, {
                    "BENCH_BADGES": str(badge_file), "BENCH_FIRST": str(next_badge), "BENCH_COUNT": str(slice_size),
                    "BENCH_AUTH_HEADER": header, "BENCH_AUTH_VALUE": value, "BENCH_COOKIE": cookie_value,
                    "BENCH_ROUND": f"{kind[0]}{round_number}", "BENCH_THREADS": str(WRK_THREADS)})
                next_badge += slice_size
                time.sleep(1)  # wrk stops with scans in flight: let the server finish them before counting
                admissions_after, lines_after = stored_counts(url)
                admissions, lines = admissions_after - admissions_before, lines_after - lines_before
                # Exact: each badge of the slice is scanned at most once, so every answer must be an admission,
                # every logged scan must be one, and the database holds at least one per "ok" (plus those still
                # in flight when wrk stopped, at most one per connection).
                result["exact"] = (not result["overrun"] and result["ok"] == result["requests"] and admissions == lines
                                   and result["ok"] <= admissions <= result["ok"] + args.connections)
                scans.append(result)
                print(f"  {kind} round {round_number + 1}: healthz {health[-1]['rate']:7.0f}/s "
                      f"({health[-1]['cpu_ms']:.2f} ms CPU each), scans {result['rate']:7.0f}/s "
                      f"({result['cpu_ms']:.2f} ms CPU each; ok {result['ok']}, already {result['already']}, "
                      f"other {result['other']}, non-200 {result['bad']}, exact {result['exact']})")
            rate = statistics.median(result["rate"] for result in scans)
            health_rate = statistics.median(result["rate"] for result in health)
            cpu_ratio = (statistics.median(r["cpu_ms"] for r in health)
                         / statistics.median(r["cpu_ms"] for r in scans))
            rows.append((label, kind, health_rate, rate, statistics.median(r["p50"] for r in scans),
                         statistics.median(r["p99"] for r in scans), rate / health_rate, cpu_ratio,
                         all(result["exact"] for result in scans)))
    return rows


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
    # Each round scans its own slice of the badges, and each wrk thread half of it: enough for 2,500 scans/s.
    parser.add_argument("--delegates", type=int, default=120_000)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating healthz/scan rounds (median taken)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker for both databases (1: sync)")
    parser.add_argument("--rate-limits", help="RATELIMIT_STORAGE_URI of the server for both databases "
                                              "(default: as deployed, memory:// for SQLite, Redis for PostgreSQL)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("benchmarks/checkin.py needs wrk (apt-get install wrk)")
    print(f"{os.cpu_count()} CPUs; gunicorn 2 workers; wrk 2 threads, {args.connections} connections, "
          f"{args.seconds:g} s per run, median of {args.rounds} alternating rounds")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as folder:
        if args.only != "postgresql":
            rows += run("SQLite", f"sqlite:///{folder}/bench.db", args, Path(folder))
        if os.environ.get("TEST_DATABASE_URL") and args.only != "sqlite":
            with postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
                rows += run("PostgreSQL", url, args, Path(folder))
    print(f"\n{'database':<11} {'scanner':<14} {'healthz/s':>9} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'ratio':>6} {'CPU ratio':>9}  verdicts exact")
    for label, kind, health_rate, rate, p50, p99, ratio, cpu_ratio, exact in rows:
        print(f"{label:<11} {kind:<14} {health_rate:9.0f} {rate:8.0f} {p50:7.1f} {p99:7.1f} {ratio:5.2f}x "
              f"{cpu_ratio:8.2f}x  {exact}")
    print(f"target: ratio >= 0.5x. CPU ratio: the server's CPU time per /healthz over that per scan, the rate ratio "
          f"the server would reach with the CPUs to itself. Load average now: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
