"""Team invitations: a role is offered to an address and takes effect when that address's owner accepts it."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..db_locks import lock_conference
from ..extensions import db
from ..mail.services import absolute_url, queue_mail
from ..types import utcnow
from .models import Membership, Role, TeamInvitation, User
from .services import AccountError, find_user, grant_role, normalize_email
from .verification import confirm_address

if TYPE_CHECKING:  # accounts sits below events: the conference is only passed through, never imported
    from ..events.models import Conference

INVITATION_SALT = "team-invitation"
INVITATION_VALID_FOR = timedelta(days=7)


def mask_email(email: str) -> str:
    """The address as someone else holding an invitation link may see it: l***@example.org (the owner knows it)."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if local and at and domain else "***"


def invitation_token(invitation: TeamInvitation) -> str:
    """A signed token naming one invitation and the address it was sent to."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)
    return serializer.dumps([invitation.id, invitation.email])


def invitation_for_token(token: str) -> TeamInvitation | None:
    """The invitation a genuine token was made for (whatever its state now), or None."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)
    try:
        invitation_id, email = serializer.loads(token, max_age=int(INVITATION_VALID_FOR.total_seconds()))
    except (BadData, TypeError, ValueError):
        return None
    invitation = TeamInvitation.get_signed(invitation_id)
    return invitation if invitation is not None and invitation.email == email else None


def open_invitations(conference_id: int) -> list[TeamInvitation]:
    """Invitations of the conference that can still be accepted, newest first."""
    return db.session.scalars(
        select(TeamInvitation).options(joinedload(TeamInvitation.invited_by))
        .where(TeamInvitation.conference_id == conference_id, TeamInvitation.accepted_at.is_(None),
               TeamInvitation.cancelled_at.is_(None), TeamInvitation.expires_at > utcnow())
        .order_by(TeamInvitation.sent_at.desc(), TeamInvitation.id.desc())
    ).all()


def invite_team_member(conference: Conference, email: str, role: Role, inviter: User,
                       locale: str = "en") -> TeamInvitation:
    """Offer a role to an address by e-mail; inviting the same address to the same role again renews the offer.

    The mail is in the language of the address's account when it has one, else in `locale`.
    """
    email = normalize_email(email)
    lock_conference(conference.id)  # a double-clicked form must not open two invitations
    holder = find_user(email)
    if holder is not None and role in holder.roles_for(conference.id):
        raise AccountError(_l("%(email)s is already %(role)s.", email=email, role=role.title))
    invitation = db.session.scalar(select(TeamInvitation).where(
        TeamInvitation.conference_id == conference.id, TeamInvitation.email == email, TeamInvitation.role == role,
        TeamInvitation.accepted_at.is_(None), TeamInvitation.cancelled_at.is_(None)))
    now = utcnow()
    details = {"locale": holder.locale if holder is not None else locale, "invited_by_id": inviter.id,
               "sent_at": now, "expires_at": now + INVITATION_VALID_FOR}
    if invitation is None:
        invitation = TeamInvitation(conference_id=conference.id, email=email, role=role, **details)
        db.session.add(invitation)
    else:
        for name, value in details.items():
            setattr(invitation, name, value)
    db.session.flush()
    queue_mail(email, "team_invitation", invitation.locale, conference=conference, invitation=invitation,
               inviter=inviter, role_title=role.title, accept_url=absolute_url(
                   "accounts.invitation", token=invitation_token(invitation)))
    return invitation


def cancel_invitation(conference_id: int, invitation_id: int) -> TeamInvitation:
    """Withdraw an invitation that has not been accepted yet; its link stops working."""
    lock_conference(conference_id)  # against an acceptance at the same moment
    invitation = TeamInvitation.get_for(conference_id, invitation_id)
    if invitation is None:
        raise AccountError(_l("This invitation does not exist."))
    db.session.refresh(invitation)
    if invitation.accepted_at is not None:
        raise AccountError(_l("This invitation has been accepted already: remove the role instead."))
    if invitation.cancelled_at is None:
        invitation.cancelled_at = utcnow()
    return invitation


def accept_invitation(invitation: TeamInvitation, user: User) -> Membership:
    """Give the invited role to the logged-in owner of the invited address; the invitation then stops working.

    Opening the link from the invitation proves, as a confirmation link does, that the user reads mail at the
    invited address; together with being logged in to the account that has that address, it confirms it.
    """
    lock_conference(invitation.conference_id)  # two clicks, or a cancellation at the same moment
    db.session.refresh(invitation)
    if invitation.cancelled_at is not None:
        raise AccountError(_l("This invitation has been withdrawn."))
    if invitation.accepted_at is not None:
        raise AccountError(_l("This invitation has been used already."))
    if invitation.expires_at <= utcnow():
        raise AccountError(_l("This invitation has expired. Ask the organizers to invite you again."))
    if normalize_email(user.email) != invitation.email:
        raise AccountError(_l("This invitation was sent to another e-mail address. Log out, then log in with the "
                              "account of that address."))
    confirm_address(user)
    db.session.refresh(user)
    membership = grant_role(user, invitation.conference_id, invitation.role)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    return membership
