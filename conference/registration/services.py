"""Registration: register, a registration's details and category, visa letters, delegations, speakers."""
from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..accounts.models import User
from ..accounts.services import create_user, find_user, normalize_email
from ..core.countries import is_country
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, queue_mail
from ..questions.answers import asked_questions, save_answers
from ..questions.models import QuestionTarget
from ..types import utcnow
from .errors import RegistrationError
from .models import Category, Delegate, DelegateStatus, Delegation
from .workflow import bulk_change, free_places, notify_delegate, record_event, waiting_count

# Fields a delegate fills in; organizers may also change category and delegation.
DETAIL_FIELDS = (
    "name", "name_latin", "name_ar", "country", "organization", "job_title", "diet", "accessibility",
    "visa_requested", "passport_name", "nationality", "passport_number", "passport_expiry", "consent_public_list",
)


def new_badge_token() -> str:
    """128 random bits as 39 decimal digits: the badge token of the QR contract."""
    return f"{secrets.randbits(128):039d}"


def next_code(conference_id: int, country: str) -> str:
    """The next human code for a country, e.g. 'OM-0042'."""
    prefix = f"{country}-"
    codes = db.session.scalars(
        select(Delegate.code).where(Delegate.conference_id == conference_id, Delegate.code.like(f"{prefix}%"))
    ).all()
    numbers = [int(code[len(prefix):]) for code in codes if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def find_registration(conference_id: int, email: str) -> Delegate | None:
    """The registration of this e-mail for the conference, if any."""
    return db.session.scalar(
        Delegate.of(conference_id).where(Delegate.email == normalize_email(email))
    )


def registration_of(user: User, conference: Conference) -> Delegate | None:
    """The user's own registration for the conference."""
    return db.session.scalar(
        Delegate.of(conference).where(Delegate.user_id == user.id)
    )


def _check_delegation(conference: Conference, delegation_id: int | None, country: str) -> None:
    if delegation_id is None:
        return
    delegation = Delegation.get_for(conference, delegation_id)
    if delegation is None or delegation.country != country:
        raise RegistrationError(_l("This delegation does not belong to the chosen country."))


def _check_registration(conference: Conference, data: dict) -> None:
    """Refuse a registration whose answers cannot be accepted, whoever sends them."""
    if not conference.registration_open():
        raise RegistrationError(_l("Registration for this conference is closed."))
    if not data.get("consent_privacy"):
        raise RegistrationError(_l("Please accept the privacy notice to register."))
    if not is_country(data.get("country")):
        raise RegistrationError(_l("Please choose a country from the list."))
    _check_delegation(conference, data.get("delegation_id"), data["country"])


ATTEMPT_MAIL_INTERVAL = timedelta(minutes=15)  # at most one "someone used your address" mail per conference


def register_visitor(conference: Conference, email: str, password: str, data: dict,
                     locale: str = "en") -> Delegate | None:
    """Register a visitor who is not logged in, without telling them whether the address has an account.

    A new address gets an account and the registration (returned). An address that has an account gets
    nothing but a mail to its owner, telling how to log in and register (None): the caller answers both alike.
    """
    _check_registration(conference, data)  # the same refusals for both, so an error cannot tell them apart
    owner = find_user(email)
    if owner is None:
        user = create_user(email, password, data.get("name") or "", locale=locale)
        return register_delegate(conference, user, data, locale=locale)
    generate_password_hash(password)  # as slow as making an account, so the time taken tells nothing either
    _tell_owner_of_attempt(conference, owner)
    return None


def _tell_owner_of_attempt(conference: Conference, owner: User) -> None:
    """Mail the owner of an address that someone used to register, in the owner's language."""
    recent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == owner.email, OutboxMessage.template == "registration_attempt",
        OutboxMessage.conference_id == conference.id,
        OutboxMessage.created_at > utcnow() - ATTEMPT_MAIL_INTERVAL))
    if recent:
        return  # repeated attempts must not flood the owner's mailbox
    register_url = absolute_url("registration.register", slug=conference.slug)
    queue_mail(owner.email, "registration_attempt", owner.locale, conference=conference, user=owner,
               registered=registration_of(owner, conference) is not None, register_url=register_url,
               login_url=absolute_url("accounts.login", next=urlsplit(register_url).path),
               forgot_url=absolute_url("accounts.forgot_password"))


def register_delegate(conference: Conference, user: User, data: dict, locale: str = "en") -> Delegate:
    """Register `user` for the conference; waitlisted when the capacity is reached."""
    _check_registration(conference, data)
    lock_conference(conference.id)
    if find_registration(conference.id, user.email) or registration_of(user, conference):
        raise RegistrationError(_l("This e-mail address is already registered for this conference."))
    free = free_places(conference)
    if free == 0 or waiting_count(conference.id):  # nobody overtakes those already waiting
        status = DelegateStatus.WAITLISTED
    else:  # auto-approval waits for the address to be confirmed (admit_confirmed_registrations)
        status = (DelegateStatus.APPROVED if conference.auto_approve and user.email_verified_at is not None
                  else DelegateStatus.PENDING)
    delegate = Delegate(
        conference_id=conference.id, user_id=user.id, email=user.email, locale=locale, status=status,
        code=next_code(conference.id, data["country"]), badge_token=new_badge_token(),
        consent_privacy=bool(data.get("consent_privacy")), delegation_id=data.get("delegation_id"),
        waitlisted_at=utcnow() if status == DelegateStatus.WAITLISTED else None,
        **{field: data.get(field) for field in DETAIL_FIELDS if field in data},
    )
    db.session.add(delegate)
    record_event(delegate, "registered", user)
    db.session.flush()
    _save_answers(conference, delegate, data)
    mail = {DelegateStatus.APPROVED: "registration_approved", DelegateStatus.WAITLISTED: "registration_waitlisted"}
    notify_delegate(delegate, mail.get(status, "registration_received"))
    return delegate


def apply_bulk_action(delegates: list[Delegate], action: str, actor: User) -> tuple[int, int]:
    """A bulk action from the delegates table: a transition, or "category:<name>". Returns (done, skipped)."""
    if action.startswith("category:"):
        done = set_category(delegates, Category(action.split(":", 1)[1]), actor)
        return done, len(delegates) - done
    return bulk_change(delegates, action, actor)


def update_details(delegate: Delegate, data: dict, actor: User, by_organizer: bool) -> None:
    """Change a registration's details: the delegate while pending, organizers at any time."""
    if not by_organizer and not delegate.editable_by_delegate:
        raise RegistrationError(_l("Your registration can no longer be edited. Please contact the organizers."))
    if "country" in data and not is_country(data["country"]):
        raise RegistrationError(_l("Please choose a country from the list."))
    conference = db.session.get(Conference, delegate.conference_id)
    delegation_id = data.get("delegation_id", delegate.delegation_id)
    _check_delegation(conference, delegation_id, data.get("country", delegate.country))
    for field in DETAIL_FIELDS:
        if field in data:
            setattr(delegate, field, data[field])
    delegate.delegation_id = delegation_id
    if by_organizer and data.get("category"):
        delegate.category = Category(data["category"])
    _save_answers(conference, delegate, data)
    record_event(delegate, "edited", actor)


def registration_questions(conference: Conference, category: Category | str) -> list:
    """The questions the registration form asks a delegate of this category, in order."""
    return asked_questions(conference, QuestionTarget.REGISTRATION, category=Category(category).value)


def _save_answers(conference: Conference, delegate: Delegate, data: dict) -> None:
    """Store the checked answers in data["answers"] (from questions.answers.read_answers), if the form asked any."""
    if "answers" not in data:
        return
    save_answers(registration_questions(conference, delegate.category), data["answers"], delegate_id=delegate.id)


def issue_visa_letter(delegate: Delegate, actor: User) -> str:
    """Give an approved delegate who asked for one a visa letter reference; returns it."""
    if delegate.status != DelegateStatus.APPROVED or not delegate.visa_requested:
        raise RegistrationError(_l("A visa letter is only issued to approved delegates who asked for one."))
    if not (delegate.passport_name and delegate.passport_number and delegate.nationality):
        raise RegistrationError(_l("The passport details are incomplete."))
    if delegate.visa_letter_ref is None:
        conference = db.session.get(Conference, delegate.conference_id)
        delegate.visa_letter_ref = f"{conference.slug[:12].upper()}-{conference.start_date.year}-V{delegate.id:05d}"
        delegate.visa_letter_issued_at = utcnow()
        record_event(delegate, "visa_letter", actor, delegate.visa_letter_ref)
    return delegate.visa_letter_ref


def delegation_choices(conference: Conference) -> list[Delegation]:
    """The conference's delegations by country and name, for lists to choose from."""
    return db.session.scalars(
        Delegation.of(conference)
        .order_by(Delegation.country, Delegation.name)
    ).all()


def create_delegation(conference: Conference, country: str, name: str, name_ar: str = "") -> Delegation:
    """A new official delegation of a country."""
    if not is_country(country):
        raise RegistrationError(_l("Please choose a country from the list."))
    lock_conference(conference.id)  # two organizers creating the same delegation at once
    exists = db.session.scalar(Delegation.of(conference).where(
                                                        Delegation.name == name))
    if exists:
        raise RegistrationError(_l("A delegation with this name already exists."))
    delegation = Delegation(conference_id=conference.id, country=country, name=name, name_ar=name_ar)
    db.session.add(delegation)
    db.session.flush()
    return delegation


def add_delegation_member(delegation: Delegation, delegate: Delegate) -> None:
    """Make a delegate of the same conference and country a member of the delegation."""
    if delegate.conference_id != delegation.conference_id or delegate.country != delegation.country:
        raise RegistrationError(_l("Members of a delegation must be delegates of its country."))
    delegate.delegation_id = delegation.id


def set_delegation_head(delegation: Delegation, delegate: Delegate | None) -> None:
    """Name the head of a delegation (who also becomes a member), or none."""
    if delegate is not None:
        add_delegation_member(delegation, delegate)
    delegation.head_id = delegate.id if delegate else None


def public_participants(conference: Conference):
    """Query of approved delegates who consented to the public list, by country then name."""
    return (
        Delegate.of(conference)
        .where(Delegate.status == DelegateStatus.APPROVED,
               Delegate.consent_public_list.is_(True))
        .order_by(Delegate.country, Delegate.name)
    )




def delegates_by_ids(conference: Conference, ids: list[int]) -> list[Delegate]:
    """The conference's delegates among `ids` (others' ids are ignored)."""
    if not ids:
        return []
    return db.session.scalars(
        Delegate.of(conference).where(Delegate.id.in_(ids)).order_by(Delegate.id)
    ).all()


def set_category(delegates: list[Delegate], category: Category, actor: User) -> int:
    """Give delegates a category (printed on their badges); returns how many changed."""
    changed = 0
    for delegate in delegates:
        if delegate.category != category:
            delegate.category = category
            record_event(delegate, "category", actor, category.value)
            changed += 1
    return changed


# Categories a confirmed speaker keeps: their badge already says more than "speaker".
KEEP_OVER_SPEAKER = (Category.VIP, Category.ORGANIZER)


def register_speaker(conference: Conference, user: User, actor: User | None, profile=None) -> Delegate:
    """Make a confirmed speaker an approved delegate with category speaker, or upgrade their registration.

    `profile` (their speaker profile, when written) gives the name, organization and country of a new
    registration; the speaker consented to the processing of their data when they confirmed or accepted.
    """
    lock_conference(conference.id)
    delegate = registration_of(user, conference) or find_registration(conference.id, user.email)
    if delegate is None:
        country = (profile.country if profile is not None else "") or conference.country or "QA"
        delegate = Delegate(
            conference_id=conference.id, user_id=user.id, email=user.email, locale=user.locale,
            status=DelegateStatus.APPROVED, category=Category.SPEAKER, code=next_code(conference.id, country),
            badge_token=new_badge_token(), consent_privacy=True, country=country,
            name=(profile.name if profile is not None else "") or user.display_name or user.email,
            name_latin=profile.name_latin if profile is not None else "",
            name_ar=profile.name_ar if profile is not None else "",
            organization=profile.organization if profile is not None else "",
        )
        db.session.add(delegate)
        record_event(delegate, "registered", actor, "speaker")
        db.session.flush()
        return delegate
    if delegate.category not in (Category.SPEAKER, *KEEP_OVER_SPEAKER):
        delegate.category = Category.SPEAKER
        record_event(delegate, "category", actor, Category.SPEAKER.value)
    if delegate.status != DelegateStatus.APPROVED:
        old = delegate.status
        delegate.status, delegate.waitlisted_at = DelegateStatus.APPROVED, None
        record_event(delegate, "status", actor, "speaker", old=old)
    db.session.flush()
    return delegate
