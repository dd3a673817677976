"""Conference morning through the proxy: does the door wait behind the crowd loading the agenda?

Run: .venv/bin/python benchmarks/conference_morning.py [--delegates 20000] [--seconds 10] [--rounds 3]
[--crowd 32] [--doors 4]
Seeds a conference on today (approved delegates, a staff member's door token, a published agenda of 150 sessions)
into a fresh SQLite file (and, with TEST_DATABASE_URL set, a fresh PostgreSQL database beside it), and serves it as
deploy/ lays it out: nginx (deploy/nginx/conference.conf) in front of a web pool (gunicorn, 2 workers) and the door's
own pool (gunicorn, 1 worker of 2 threads) that its location sends the scan API to. Each round measures the door
alone (wrk scanning at the rate of `--doors` doors, one scan every half second each) and then the door beside wrk
loading the agenda with `--crowd` connections (saturation); it prints the medians of the door's p50 and p99 idle and
under load, their ratio (the target: p99 under load within 2x of idle) and the agenda's pages per second. It asserts
nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))
sys.path.append(str(ROOT / "deploy" / "smoke"))

import checkin  # noqa: E402  (the door's seed, scan script, wrk runner and door token)
from agenda import add_published_agenda, with_wrk  # noqa: E402
from driver import nginx_command, nginx_config, wait_for  # noqa: E402

from conference import create_app  # noqa: E402
from conference.events.models import Conference  # noqa: E402
from conference.extensions import db  # noqa: E402

AGENDA = f"/{checkin.SLUG}/agenda?lang=ar"
# One scan every half second per door (wrk's delay, per connection): four doors scan 8 badges a second.
DOOR_PACE = "\nfunction delay()\n  return 500\nend\n"


def seed(url: str, delegates: int) -> tuple[list[str]]:
    """The door's conference (checkin.seed) with a published agenda of 150 sessions."""
    _, badges = checkin.seed(url, delegates)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": checkin.SECRET})
    with app.app_context():
        conference = db.session.query(Conference).filter_by(slug=checkin.SLUG).one()
        add_published_agenda(conference, 150, 300)
        db.session.commit()
        db.engine.dispose()
    return badges


@contextmanager
def layout(url: str, folder: Path, rate_limits: str):
    """nginx in front of the web pool and the door pool; yields nginx's port."""
    ports = {name: checkin.free_port() for name in ("nginx", "web", "door")}
    env = dict(os.environ, DATABASE_URL=url, SCAN_RATE_LIMIT="100000000 per minute", FLASK_DEBUG="0",
               APP_ENV="development", SECRET_KEY=checkin.SECRET, RATELIMIT_STORAGE_URI=rate_limits,
               TRUSTED_PROXIES="1")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    pools = {"web": ["--workers", "2"], "door": ["--workers", "1", "--threads", "2"]}
    with ExitStack() as stack:
        for name, options in pools.items():
            process = subprocess.Popen([gunicorn, *options, "--bind", f"127.0.0.1:{ports[name]}", "--log-level",
                                        "warning", "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
            stack.callback(_stop, process)
        conf = nginx_config(folder, ports["nginx"], (ports["web"], ports["web"]), (ports["door"], ports["door"]))
        nginx = subprocess.Popen(nginx_command(conf), stderr=subprocess.DEVNULL, start_new_session=True)
        stack.callback(_stop, nginx)
        for port in ports.values():
            wait_for(f"http://127.0.0.1:{port}/healthz")
        yield ports["nginx"]


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=15)


def run(label: str, url: str, args, folder: Path) -> tuple:
    badges = seed(url, args.delegates)
    badge_file = folder / "badges.lua"
    badge_file.write_text("return {" + ",".join(f'"{badge}"' for badge in badges) + "}\n")
    script = folder / "door.lua"
    script.write_text(checkin.SCAN_SCRIPT + DOOR_PACE)
    rate_limits = checkin.RATE_LIMITS[label]
    idle, loaded, pages = [], [], []
    with layout(url, folder, rate_limits) as port:
        token = checkin.staff_door_token(port)
        for _ in range(20):
            checkin.get(port, AGENDA)
        next_badge = 0
        slice_size = len(badges) // (2 * args.rounds + 1)

        def door(round_name: str) -> dict:
            nonlocal next_badge
            result = checkin.wrk(port, f"/api/v1/{checkin.SLUG}/checkin", script, args.seconds, args.doors, {
                "BENCH_BADGES": str(badge_file), "BENCH_FIRST": str(next_badge), "BENCH_COUNT": str(slice_size),
                "BENCH_AUTH_HEADER": "Authorization", "BENCH_AUTH_VALUE": f"Bearer {token}", "BENCH_COOKIE": "",
                "BENCH_ROUND": round_name, "BENCH_THREADS": str(min(checkin.WRK_THREADS, args.doors))})
            next_badge += slice_size
            return result

        door("warm")  # the door pool's connections and compiled statements, and wrk's first connections
        for number in range(args.rounds):
            idle.append(door(f"i{number}"))
            crowd: dict = {}
            loader = threading.Thread(target=lambda crowd=crowd: crowd.update(
                with_wrk(port, AGENDA, args.seconds + 2, args.crowd)))
            loader.start()
            time.sleep(1)  # the crowd first, then the door beside it
            loaded.append(door(f"l{number}"))
            loader.join()
            pages.append(crowd["rate"])
            print(f"  {label} round {number + 1}: door alone p50 {idle[-1]['p50']:.1f} ms p99 {idle[-1]['p99']:.1f} ms"
                  f" ({idle[-1]['rate']:.1f} scans/s); beside the crowd p50 {loaded[-1]['p50']:.1f} ms p99 "
                  f"{loaded[-1]['p99']:.1f} ms ({loaded[-1]['rate']:.1f} scans/s, non-200 {loaded[-1]['bad']}); "
                  f"agenda {crowd['rate']:.0f} pages/s (errors {crowd['errors']})")
    median = statistics.median
    return (label, median(r["p50"] for r in idle), median(r["p99"] for r in idle), median(r["p50"] for r in loaded),
            median(r["p99"] for r in loaded), median(pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--crowd", type=int, default=32, help="connections loading the agenda")
    parser.add_argument("--doors", type=int, default=4, help="doors scanning, one badge every half second each")
    args = parser.parse_args()
    if not shutil.which("wrk") or not Path(os.environ.get("SMOKE_NGINX", "/usr/sbin/nginx")).exists():
        sys.exit("benchmarks/conference_morning.py needs wrk and nginx (apt-get install wrk nginx)")
    print(f"{os.cpu_count()} CPUs; nginx → web pool (gunicorn 2 workers) and door pool (1 worker, 2 threads); "
          f"{args.doors} doors at 2 scans/s each, {args.crowd} connections on {AGENDA}, {args.seconds} s runs, "
          f"median of {args.rounds} rounds")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-morning-") as folder:
        rows.append(run("SQLite", f"sqlite:///{folder}/bench.db", args, Path(folder)))
        if os.environ.get("TEST_DATABASE_URL"):
            with checkin.postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
                rows.append(run("PostgreSQL", url, args, Path(folder)))
    print(f"\n{'database':<11} {'idle p50':>9} {'idle p99':>9} {'crowd p50':>10} {'crowd p99':>10} {'p99 ratio':>10} "
          f"{'agenda/s':>9}")
    for label, p50, p99, crowd50, crowd99, rate in rows:
        print(f"{label:<11} {p50:8.1f}ms {p99:8.1f}ms {crowd50:9.1f}ms {crowd99:9.1f}ms {crowd99 / p99:9.2f}x "
              f"{rate:9.0f}")


if __name__ == "__main__":
    main()
