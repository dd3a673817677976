"""Sign-up, login and password forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.text import CleanText, strip_filter
from .models import Role
from .services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """E-mail and password, with 'remember me'."""

    # CleanText: the address is looked up, and PostgreSQL cannot compare text holding a NUL.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), CleanText()], filters=[strip_filter])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me on this device"))


class SignupForm(FlaskForm):
    """A new account."""

    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200), CleanText()],
                               filters=[strip_filter])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip_filter])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
    )


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
                        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords do not match."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    """Replace the password, knowing the current one."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class TeamInvitationForm(FlaskForm):
    """Invite an address to a role for this conference."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[strip_filter])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    language = SelectField(_l("Language of the invitation"),
                           choices=[SelectChoice("ar", "العربية"), SelectChoice("en", "English")],
                           description=_l("Someone who already has an account gets it in the language of their "
                                          "account."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role.value, role.title) for role in Role]


class ConfirmAddressForm(FlaskForm):
    """Confirm one's address from the e-mailed link; the password too when not logged in."""

    password = PasswordField(_l("Password"), validators=[Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    """Ask for a link to choose a new password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip_filter])
