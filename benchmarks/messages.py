"""Messages to groups: recipients queued per second (20,000 delegates, in batches, with peak memory) and mail
delivered per second by 1 and by 2 workers against a local SMTP server (aiosmtpd).

Run: .venv/bin/python benchmarks/messages.py [--recipients N] [--deliver N]   (prints; asserts nothing)
Each run is a fresh process on its own SQLite file.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _seed(count: int) -> None:
    from sqlalchemy import insert

    from conference.accounts.models import User
    from conference.events.models import Conference
    from conference.extensions import db
    from conference.registration.models import Category, Delegate, DelegateStatus

    db.create_all()
    today = date.today()
    db.session.add(Conference(slug="bench", name_en="Bench", name_ar="قياس", start_date=today, end_date=today,
                              timezone="Asia/Qatar"))
    db.session.commit()
    now = datetime.now(timezone.utc)
    db.session.execute(insert(User), [
        {"email": f"b{n}@example.org", "password_hash": "x", "display_name": f"B {n}", "locale": "en",
         "is_admin": False, "created_at": now} for n in range(count + 1)])
    db.session.execute(insert(Delegate), [
        {"conference_id": 1, "user_id": n + 2, "email": f"b{n}@example.org",
         "name": "حمد بن سيف الحوسني" if n % 2 else "Charlotte Evans", "country": "OM",
         "status": DelegateStatus.APPROVED, "category": Category.DELEGATE, "code": f"OM-{n:06d}",
         "badge_token": f"{n:039d}", "consent_privacy": True, "locale": "ar" if n % 2 else "en", "created_at": now}
        for n in range(count)])
    db.session.commit()


def _app(folder: str, **extra):
    from conference import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench",
                       "TASK_QUEUE_URL": "memory://", "MAIL_BACKEND": "smtp", "MAIL_USE_TLS": False,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}}, **extra})


def _message(count: int):
    from conference.accounts.models import User
    from conference.events.models import Conference
    from conference.extensions import db
    from conference.messages.audiences import Audience
    from conference.messages.services import Draft, create_message

    conference, author = db.session.get(Conference, 1), db.session.get(User, 1)
    draft = Draft("Welcome {first_name}", "Dear {name},\n\nyour code is {code}: {badge_link}",
                  "أهلاً {first_name}", "عزيزنا {name}،\n\nرمزك {code}: {badge_link}")
    message = create_message(conference, author, draft, Audience(status="approved"), f"bench-{count}")
    db.session.commit()
    return message.id


def measure_queuing(count: int) -> dict:
    """Seed `count` delegates, then queue one message to all of them (as the worker does)."""
    from conference.events.models import Conference
    from conference.extensions import db
    from conference.messages.services import queue_message

    folder = tempfile.mkdtemp(prefix="bench-messages-")
    app = _app(folder)
    with app.app_context():
        _seed(count)
        message_id = _message(count)
        tracemalloc.start()
        started = time.perf_counter()
        queued = queue_message(db.session.get(Conference, 1), message_id)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"recipients": queued, "per_s": queued / elapsed, "seconds": elapsed, "peak_mib": peak / 2**20}


class _Sink:
    """An SMTP server that accepts everything, a little slowly (as a real relay answers)."""

    def __init__(self, delay: float) -> None:
        self.count = 0
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(self.delay)
        with self.lock:
            self.count += 1
        return "250 OK"


def measure_delivery(count: int, workers: int, delay: float) -> dict:
    """Queue `count` mails, then deliver them with `workers` workers (threads, each its own session) over SMTP."""
    import socket

    from aiosmtpd.controller import Controller

    from conference.events.models import Conference
    from conference.extensions import db
    from conference.mail.services import deliver_all
    from conference.messages.services import queue_message

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = _Sink(delay)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    folder = tempfile.mkdtemp(prefix="bench-delivery-")
    app = _app(folder, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        _seed(count)
        queue_message(db.session.get(Conference, 1), _message(count))

    def worker() -> None:
        with app.app_context():
            deliver_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    controller.stop()
    return {"delivered": sink.count, "per_s": sink.count / elapsed}


def _run(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--deliver", type=int, default=300)
    parser.add_argument("--smtp-delay", type=float, default=0.01, help="seconds the SMTP server takes per mail")
    parser.add_argument("--one", nargs="*")
    options = parser.parse_args()
    if options.one:
        kind, *values = options.one
        result = (measure_queuing(int(values[0])) if kind == "queue"
                  else measure_delivery(int(values[0]), int(values[1]), float(values[2])))
        print(json.dumps(result))
        return
    queued = _run("--one", "queue", str(options.recipients))
    print("Queuing a message (SQLite, batches of 1,000, one transaction each; the worker's part):")
    print(f"  {queued['recipients']:,} recipients in {queued['seconds']:.1f} s: {queued['per_s']:,.0f} recipients/s,"
          f" peak {queued['peak_mib']:.1f} MiB")
    one = _run("--one", "deliver", str(options.deliver), "1", str(options.smtp_delay))
    two = _run("--one", "deliver", str(options.deliver), "2", str(options.smtp_delay))
    print(f"Delivering {options.deliver} mails to a local SMTP server answering in {options.smtp_delay * 1000:.0f} ms:")
    print(f"  1 worker : {one['per_s']:7.1f} mails/s ({one['delivered']} delivered)")
    print(f"  2 workers: {two['per_s']:7.1f} mails/s ({two['delivered']} delivered), "
          f"{two['per_s'] / one['per_s']:.2f}x one worker")


if __name__ == "__main__":
    main()
