"""Organizers manage their conference's team: add by e-mail, remove, keep one organizer."""
from __future__ import annotations

from sqlalchemy import select

from conference.accounts.models import Membership, Role
from conference.extensions import db
from tests.conftest import login, post_form


def test_organizer_adds_and_removes_staff(client, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    door = make_user("door@example.org")
    login(client, boss)
    response = post_form(client, "/doha/manage/team", {"email": "DOOR@example.org", "role": "staff"})
    assert response.status_code == 302
    assert Role.STAFF in door.roles_for(doha.id)
    page = client.get("/doha/manage/team?lang=ar").get_data(as_text=True)
    assert "door@example.org" in page and "موظفو الدخول" in page
    membership = db.session.scalar(select(Membership).where(Membership.user_id == door.id))
    assert post_form(client, f"/doha/manage/team/{membership.id}/remove", {}).status_code == 302
    assert db.session.get(Membership, membership.id) is None


def test_unknown_email_and_last_organizer(client, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    login(client, boss)
    response = post_form(client, "/doha/manage/team?lang=en", {"email": "nobody@example.org", "role": "staff"})
    assert "sign up first" in response.get_data(as_text=True)
    own = db.session.scalar(select(Membership).where(Membership.user_id == boss.id))
    post_form(client, f"/doha/manage/team/{own.id}/remove", {})
    assert db.session.get(Membership, own.id) is not None


def test_memberships_of_another_conference_cannot_be_removed(client, doha, make_conference, make_user):
    other = make_conference("other")
    theirs = make_user("them@example.org", Role.ORGANIZER, other)
    make_user("them2@example.org", Role.ORGANIZER, other)
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == theirs.id))
    post_form(client, f"/doha/manage/team/{membership.id}/remove", {})
    assert db.session.get(Membership, membership.id) is not None
