"""Who may open what: the login loader and the role check every protected view uses."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..events.services import get_conference_or_404
from ..extensions import limiter, login_manager
from .models import Role, User


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


# One budget per address for every way of making an account (/signup and each conference's /register),
# so that neither can be used to create accounts in bulk or to probe which addresses have one.
signup_rate_limit = limiter.shared_limit(_signup_limit, scope="signup", methods=["POST"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user stored in the session."""
    return User.from_session_id(user_id)


@login_manager.unauthorized_handler
def unauthorized():
    """JSON 401 for the API, a redirect to the login page otherwise."""
    if request.path.startswith("/api/"):
        abort(401)
    flash(_("Please log in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def has_role(user, conference, *roles: Role | str) -> bool:
    """True when `user` is a site admin or holds one of `roles` for `conference`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return bool(user.roles_for(conference.id) & {Role(role) for role in roles})


def conference_view(*roles: Role) -> Callable:
    """Decorator: load the conference named by `slug` and require one of `roles` (none: public)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(slug: str, **kwargs):
            conference = get_conference_or_404(slug)
            if roles:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if not has_role(current_user, conference, *roles):
                    abort(403)
            return view(conference, **kwargs)

        return wrapper

    return decorator


def admin_required(view: Callable) -> Callable:
    """Decorator: site administrators only."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def login_required_view(view: Callable) -> Callable:
    """Decorator: any logged-in user."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapper
