"""The demo seed and the create-user command."""
from __future__ import annotations

from sqlalchemy import func, select

from conference.accounts.models import Role, User
from conference.accounts.services import authenticate
from conference.events.services import get_conference
from conference.extensions import db


def row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_seed_demo_builds_doha_and_is_idempotent(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    conference = get_conference("doha-helplines")
    assert conference.timezone == "Asia/Qatar"
    assert (conference.start_date.month, conference.start_date.day) == (5, 23)
    assert (conference.end_date - conference.start_date).days == 1
    assert all(room.name_ar for room in conference.rooms) and len(conference.rooms) >= 3
    organizer = db.session.scalar(select(User).where(User.email == "organizer@example.org"))
    assert Role.ORGANIZER in organizer.roles_for(conference.id)
    before = row_counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert row_counts() == before

    banner = runner.invoke(args=["demo-if-empty"]).output  # `make run` prints it at every start
    for email in ("admin@example.org", "organizer@example.org", "reviewer2@example.org", "reviewer3@example.org",
                  "staff@example.org", "hamad.alhousni@example.org", "delegate001@example.org",
                  "delegate259@example.org"):
        assert email in banner and email in result.output
    assert "doha-demo-2027" in banner


def test_links_in_mail_follow_the_port_unless_the_public_address_is_set(monkeypatch):
    from conference.config import load_config

    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8000")
    assert load_config()["PUBLIC_URL"] == "http://127.0.0.1:8000"
    monkeypatch.setenv("PUBLIC_URL", "https://events.example.org")
    assert load_config()["PUBLIC_URL"] == "https://events.example.org"


def test_create_user_with_role(runner, doha):
    result = runner.invoke(args=["create-user", "Door@Example.org", "--role", "staff", "--conference", "doha",
                                 "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    user = authenticate("door@example.org", "a-long-password")
    assert Role.STAFF in user.roles_for(doha.id)


def test_create_admin(runner):
    result = runner.invoke(args=["create-user", "root@example.org", "--admin", "--password", "a-long-password"])
    assert result.exit_code == 0
    assert authenticate("root@example.org", "a-long-password").is_admin


def test_create_user_refuses_bad_arguments(runner, doha):
    assert runner.invoke(args=["create-user", "x@example.org", "--role", "staff", "--password",
                               "a-long-password"]).exit_code != 0
    assert runner.invoke(args=["create-user", "x@example.org", "--role", "staff", "--conference", "nope",
                               "--password", "a-long-password"]).exit_code != 0
    result = runner.invoke(args=["create-user", "x@example.org", "--password", "short"])
    assert result.exit_code != 0 and "at least 10" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
