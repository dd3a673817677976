"""An invitation holds under races: accepted once, and not after it was withdrawn (SQLite and PostgreSQL)."""
from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from conference.accounts.invitations import accept_invitation, cancel_invitation, invite_team_member
from conference.accounts.models import Membership, Role, TeamInvitation, User
from conference.accounts.services import AccountError
from conference.extensions import db
from tests.conftest import run_together


def run_at_once(app, actions) -> list[AccountError]:
    """Run each action in its own thread and app context, all starting together; the AccountErrors they raised."""

    def run(action, ready) -> None:
        ready()
        action()

    outcomes = run_together([partial(run, action) for action in actions], app, expected=(AccountError,))
    return [outcome for outcome in outcomes if isinstance(outcome, AccountError)]


def test_two_clicks_on_accept_grant_the_role_once(app, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    future = make_user("future-staff@example.org")
    invitation_id = invite_team_member(doha, future.email, Role.STAFF, boss).id
    user_id = future.id
    db.session.commit()

    def accept() -> None:
        accept_invitation(db.session.get(TeamInvitation, invitation_id), db.session.get(User, user_id))

    errors = run_at_once(app, [accept] * 4)
    assert len(errors) == 3 and all(isinstance(error, AccountError) for error in errors), errors
    assert db.session.scalar(select(func.count(Membership.id)).where(Membership.user_id == user_id)) == 1


def test_a_withdrawal_and_an_acceptance_at_once_leave_no_half_state(app, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    future = make_user("future-staff@example.org")
    invitation_id = invite_team_member(doha, future.email, Role.STAFF, boss).id
    user_id, conference_id = future.id, doha.id
    db.session.commit()

    errors = run_at_once(app, [
        lambda: accept_invitation(db.session.get(TeamInvitation, invitation_id), db.session.get(User, user_id)),
        lambda: cancel_invitation(conference_id, invitation_id),
    ])
    assert len(errors) == 1 and isinstance(errors[0], AccountError)
    db.session.expire_all()
    invitation = db.session.get(TeamInvitation, invitation_id)
    granted = db.session.scalar(select(func.count(Membership.id)).where(Membership.user_id == user_id))
    assert (invitation.accepted_at is not None, invitation.cancelled_at is not None, granted) in [
        (True, False, 1), (False, True, 0)]
