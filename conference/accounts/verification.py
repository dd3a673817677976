"""Confirmed addresses: the signed link that proves an account's owner reads mail at its address."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from ..core.signals import address_confirmed
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, queue_mail
from ..types import utcnow
from .models import User

CONFIRM_SALT = "address-confirmation"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds a confirmation link stays valid: long enough for a weekend



def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def confirmation_token(user: User, next_path: str = "") -> str:
    """A signed, expiring token for one account and the address it has now (and where to go afterwards)."""
    return _serializer().dumps([user.id, user.email, next_path or ""])


def confirmation_link(user: User, next_path: str = "") -> str:
    """The absolute link, for e-mails, that confirms the user's address."""
    return absolute_url("accounts.confirm_address", token=confirmation_token(user, next_path))


def read_confirmation_token(token: str) -> tuple[User, str] | None:
    """(user, next path) of a valid, unexpired token whose account still has the address it was made for."""
    try:
        user_id, email, next_path = _serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except (BadData, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.email != email:
        return None
    return user, next_path if isinstance(next_path, str) else ""


def confirm_address(user: User) -> bool:
    """Record that the owner proved the address; True when it was not confirmed before."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = utcnow()
    db.session.flush()
    address_confirmed.send(user)
    return True


def send_welcome(user: User, next_path: str = "") -> OutboxMessage:
    """The mail to a new account: welcome, and the link that confirms its address."""
    return queue_mail(user.email, "welcome", user.locale, user=user, login_url=absolute_url("accounts.login"),
                      confirm_url=confirmation_link(user, next_path))


def send_confirmation_again(user: User) -> OutboxMessage | None:
    """Mail the confirmation link again (None: the address is confirmed already)."""
    if user.address_confirmed:
        return None
    return queue_mail(user.email, "confirm_address", user.locale, user=user, confirm_url=confirmation_link(user))
