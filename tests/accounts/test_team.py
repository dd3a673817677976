"""Organizers manage their conference's team: invite by e-mail, remove, keep one organizer."""
from __future__ import annotations

from sqlalchemy import select

from conference.accounts.invitations import accept_invitation, invite_team_member
from conference.accounts.models import Membership, Role, TeamInvitation
from conference.extensions import db
from tests.conftest import login, post_form


def test_organizer_invites_and_removes_staff(client, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    door = make_user("door@example.org")
    login(client, boss)
    response = post_form(client, "/doha/manage/team", {"email": "DOOR@example.org", "role": "staff", "language": "en"})
    assert response.status_code == 302
    assert Role.STAFF not in door.roles_for(doha.id)  # an invitation, not yet a role
    accept_invitation(db.session.scalar(select(TeamInvitation)), door)
    db.session.commit()
    assert Role.STAFF in door.roles_for(doha.id)
    page = client.get("/doha/manage/team?lang=ar").get_data(as_text=True)
    assert "door@example.org" in page and "موظفو الدخول" in page
    membership = db.session.scalar(select(Membership).where(Membership.user_id == door.id))
    assert post_form(client, f"/doha/manage/team/{membership.id}/remove", {}).status_code == 302
    assert db.session.get(Membership, membership.id) is None


def test_the_last_organizer_stays(client, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    login(client, boss)
    own = db.session.scalar(select(Membership).where(Membership.user_id == boss.id))
    post_form(client, f"/doha/manage/team/{own.id}/remove", {})
    assert db.session.get(Membership, own.id) is not None


def test_an_accepted_organizer_role_lets_the_first_organizer_go(client, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    second = make_user("second@example.org")
    accept_invitation(invite_team_member(doha, second.email, Role.ORGANIZER, boss), second)
    db.session.commit()
    login(client, second)
    own = db.session.scalar(select(Membership).where(Membership.user_id == boss.id))
    post_form(client, f"/doha/manage/team/{own.id}/remove", {})
    assert db.session.get(Membership, own.id) is None


def test_memberships_of_another_conference_cannot_be_removed(client, doha, make_conference, make_user):
    other = make_conference("other")
    theirs = make_user("them@example.org", Role.ORGANIZER, other)
    make_user("them2@example.org", Role.ORGANIZER, other)
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == theirs.id))
    post_form(client, f"/doha/manage/team/{membership.id}/remove", {})
    assert db.session.get(Membership, membership.id) is not None
