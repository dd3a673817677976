"""Accounts: create users, check passwords, grant roles."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.actions import ServiceError
from ..db_locks import lock_conference
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, queue_mail
from ..types import utcnow
from .models import Membership, Role, User
from .verification import confirm_address, send_welcome

MIN_PASSWORD_LENGTH = 10


class AccountError(ServiceError):
    """An account operation that cannot be done, with a message for the user."""


def normalize_email(email: str) -> str:
    """E-mail addresses are compared and stored in lower case, without spaces."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short to be safe."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(email: str, password: str, display_name: str = "", locale: str = "en",
                is_admin: bool = False, verified: bool = False) -> User:
    """Create an account; the e-mail must not be taken. `verified`: the address is known to be theirs."""
    check_password_strength(password)
    if find_user(email):
        raise AccountError(_l("An account with this e-mail address already exists. Please log in."))
    user = User(
        email=normalize_email(email),
        password_hash=generate_password_hash(password),
        display_name=display_name.strip(),
        locale=locale,
        is_admin=is_admin,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


SIGNUP_ATTEMPT_INTERVAL = timedelta(minutes=15)  # at most one "someone used your address" mail per quarter hour


def sign_up(email: str, password: str, display_name: str, locale: str = "en", next_path: str = "") -> User | None:
    """Create an account whose address still needs confirming, without telling whether the address is taken.

    A new address gets the account (returned) and a welcome mail with the confirmation link; an address that
    has an account gets nothing but a mail to its owner (None). The caller answers both alike.
    """
    check_password_strength(password)
    owner = find_user(email)
    if owner is None:
        user = create_user(email, password, display_name, locale=locale)
        send_welcome(user, next_path)
        return user
    generate_password_hash(password)  # as slow as making an account, so the time taken tells nothing either
    _tell_owner_of_signup(owner)
    return None


def _tell_owner_of_signup(owner: User) -> None:
    """Mail the owner of an address that someone tried to sign up with, in the owner's language."""
    recent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == owner.email, OutboxMessage.template == "signup_attempt",
        OutboxMessage.created_at > utcnow() - SIGNUP_ATTEMPT_INTERVAL))
    if recent:
        return  # repeated attempts must not flood the owner's mailbox
    queue_mail(owner.email, "signup_attempt", owner.locale, user=owner, login_url=absolute_url("accounts.login"),
               forgot_url=absolute_url("accounts.forgot_password"))


def authenticate(email: str, password: str) -> User | None:
    """The user if the e-mail and password match, else None."""
    user = find_user(email)
    if user is None:
        # Hash anyway so that an unknown e-mail takes as long as a wrong password.
        check_password_hash(generate_password_hash("timing"), password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise AccountError(_l("The current password is not correct."))
    check_password_strength(new)
    user.password_hash = generate_password_hash(new)


def set_password(user: User, password: str) -> None:
    """Set a password without knowing the old one (command line, seed)."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)


def reset_password(user: User, password: str) -> None:
    """Choose a new password from an e-mailed reset link, which also proves the address is the user's."""
    set_password(user, password)
    confirm_address(user)


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session and remember-me cookie issued so far stops working."""
    # In SQL, so that two log-outs at once both count and neither overwrites the other's increment.
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_generation=User.session_generation + 1))
    db.session.refresh(user, ["session_generation"])


def grant_role(user: User, conference_id: int, role: Role) -> Membership:
    """Give a user a role for a conference (no-op if held already)."""
    for membership in user.memberships:
        if membership.conference_id == conference_id and membership.role == role:
            return membership
    membership = Membership(user=user, conference_id=conference_id, role=role)
    db.session.add(membership)
    return membership


def team_of(conference_id: int) -> list[Membership]:
    """Everyone holding a role for the conference, by role then e-mail."""
    return db.session.scalars(
        select(Membership).join(User).options(joinedload(Membership.user))
        .where(Membership.conference_id == conference_id).order_by(Membership.role, User.email)
    ).all()


def remove_team_member(conference_id: int, membership_id: int) -> None:
    """Take a role away; the last organizer of a conference stays."""
    membership = Membership.get_for(conference_id, membership_id)
    if membership is None:
        raise AccountError(_l("This person is not on the team."))
    if membership.role == Role.ORGANIZER:
        lock_conference(conference_id)  # two organizers removing each other at once must leave one
        organizers = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.conference_id == conference_id, Membership.role == Role.ORGANIZER))
        if organizers <= 1:
            raise AccountError(_l("A conference keeps at least one organizer."))
    db.session.delete(membership)


RESET_SALT = "password-reset"
RESET_MAX_AGE = 2 * 60 * 60  # seconds a reset link stays valid


def password_reset_token(user: User) -> str:
    """A signed, expiring token; it stops working once the password changes (it carries its fingerprint)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT).dumps(user.get_id())


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused reset token was made for."""
    try:
        session_id = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT).loads(
            token, max_age=RESET_MAX_AGE)
    except BadData:
        return None
    return User.from_session_id(session_id) if isinstance(session_id, str) else None
