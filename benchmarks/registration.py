"""Delegate exports: rows per second and peak memory for 1,000 and 20,000 delegates, without and with 20
organizers' questions answered by everyone (a column each).

Run: .venv/bin/python benchmarks/registration.py   (prints; asserts nothing)
Each size runs in a fresh process on its own SQLite file, so the numbers do not mix.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (1_000, 20_000)
QUESTION_COUNTS = (0, 20)
KINDS = ("choice", "choices", "yes_no", "country", "text", "number", "date", "datetime", "long_text")


def _seed_questions(conference_id: int, count: int, questions: int) -> None:
    """`questions` questions of every kind on the registration form, each answered by every delegate."""
    from sqlalchemy import insert

    from conference.extensions import db
    from conference.questions.models import Answer, Question, QuestionChoice

    values = {"yes_no": "yes", "country": "QA", "text": "QR 1234", "number": "3", "date": "2027-05-22",
              "datetime": "2027-05-22T07:30:00+00:00", "long_text": "Arriving late\nfrom Muscat"}
    for n in range(questions):
        kind = KINDS[n % len(KINDS)]
        question = Question(conference_id=conference_id, target="registration", kind=kind, position=n,
                            label_en=f"Question {n}", label_ar=f"السؤال {n}")
        if kind in ("choice", "choices"):
            question.choices = [QuestionChoice(label_en="Marriott", label_ar="ماريوت", position=1),
                                QuestionChoice(label_en="Other", label_ar="آخر", position=2)]
        db.session.add(question)
        db.session.flush()
        choice = question.choices[n % 2].id if question.choices else None
        db.session.execute(insert(Answer), [
            {"question_id": question.id, "delegate_id": d + 1, "choice_id": choice, "value": values.get(kind, "")}
            for d in range(count)])
    db.session.commit()


def _seed(count: int, questions: int = 0) -> None:
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from conference.accounts.models import User
    from conference.events.models import Conference
    from conference.extensions import db
    from conference.registration.models import Category, Delegate, DelegateStatus
    from conference.registration.services import new_badge_token

    db.create_all()
    today = date.today()
    conference = Conference(slug="bench", name_en="Bench", name_ar="قياس", start_date=today, end_date=today,
                            timezone="Asia/Qatar")
    db.session.add(conference)
    db.session.commit()
    hashed = generate_password_hash("benchmark-password")
    now = datetime.now(timezone.utc)
    countries = ["QA", "OM", "SA", "EG", "JO", "MA", "TN", "GB", "FR", "KE"]
    db.session.execute(insert(User), [
        {"email": f"b{n}@example.org", "password_hash": hashed, "display_name": f"B {n}", "locale": "en",
         "is_admin": False, "created_at": now} for n in range(count)])
    db.session.execute(insert(Delegate), [
        {"conference_id": conference.id, "user_id": n + 1, "email": f"b{n}@example.org",
         "name": "حمد بن سيف الحوسني" if n % 2 else "Charlotte Evans", "name_latin": "Hamad Al-Housni",
         "country": countries[n % len(countries)], "status": DelegateStatus.APPROVED, "category": Category.DELEGATE,
         "code": f"QA-{n:06d}", "badge_token": new_badge_token(), "consent_privacy": True,
         "organization": "وزارة التنمية الاجتماعية", "created_at": now - timedelta(minutes=n)}
        for n in range(count)])
    db.session.commit()
    _seed_questions(conference.id, count, questions)


def measure(count: int, questions: int = 0) -> dict:
    """Seed `count` delegates (answering `questions` questions), then stream the CSV and XLSX exports."""
    from conference import create_app
    from conference.accounts.models import Role
    from conference.accounts.services import create_user, grant_role
    from conference.extensions import db

    folder = tempfile.mkdtemp(prefix="bench-registration-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    results = {}
    with app.app_context():
        _seed(count, questions)
        organizer = create_user("organizer@example.org", "benchmark-password")
        grant_role(organizer, 1, Role.ORGANIZER)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = organizer.get_id()
        for kind in ("csv", "xlsx"):
            path = f"/bench/manage/delegates.{kind}"
            started = time.perf_counter()
            size = sum(len(chunk) for chunk in client.get(path, buffered=False).response)
            elapsed = time.perf_counter() - started
            tracemalloc.start()  # a second download, traced: tracing slows Python down, so it is not timed
            sum(len(chunk) for chunk in client.get(path, buffered=False).response)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results[kind] = {"rows_per_s": count / elapsed, "peak_mib": peak / 2**20, "bytes": size}
    return results


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))))
        return
    for questions in QUESTION_COUNTS:
        runs = {}
        for count in SIZES:
            output = subprocess.run([sys.executable, __file__, "--one", str(count), str(questions)],
                                    capture_output=True, text=True, check=True, cwd=ROOT)
            runs[count] = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"Delegate exports with {questions} question columns (SQLite, streamed through the app; "
              "peak = Python heap during the download)")
        for kind in ("csv", "xlsx"):
            for count in SIZES:
                run = runs[count][kind]
                print(f"  {kind:4} {count:>6,} delegates: {run['rows_per_s']:>9,.0f} rows/s   "
                      f"peak {run['peak_mib']:6.2f} MiB   {run['bytes'] / 2**20:6.2f} MiB file")
            small, large = runs[SIZES[0]][kind]["peak_mib"], runs[SIZES[-1]][kind]["peak_mib"]
            print(f"  {kind:4} peak memory ratio {SIZES[-1]:,} / {SIZES[0]:,} delegates: {large / small:.2f}"
                  f" (flat is about 1; the data grew {SIZES[-1] // SIZES[0]}x)")


if __name__ == "__main__":
    main()
