"""Registration: register, the status workflow with its audit and e-mails, the waiting list."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..accounts.models import User
from ..accounts.services import create_user, find_user, normalize_email
from ..accounts.verification import confirmation_link
from ..core.actions import ServiceError
from ..core.countries import is_country
from ..core.signals import address_confirmed, conference_saved
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, queue_mail
from ..types import utcnow
from .models import HOLDS_PLACE, AuditEntry, Category, Delegate, DelegateStatus, Delegation

S = DelegateStatus
# Fields a delegate fills in; organizers may also change category and delegation.
DETAIL_FIELDS = (
    "name", "name_latin", "name_ar", "country", "organization", "job_title", "diet", "accessibility",
    "visa_requested", "passport_name", "nationality", "passport_number", "passport_expiry", "consent_public_list",
)


class RegistrationError(ServiceError):
    """A registration change that cannot be made, with a message for the person."""


@dataclass(frozen=True)
class Transition:
    """A change of status: from which states, to which, the e-mail that tells the delegate, and its place rules."""

    allowed_from: frozenset[DelegateStatus]
    to: DelegateStatus
    mail: str
    needs_confirmed_address: bool = False
    needs_free_place: bool = False  # only while the conference has a place free
    refills: bool = False  # a place it frees goes to the waiting list


# The registration workflow: every status change, by organizers, delegates or the system, is one of these.
TRANSITIONS = {
    "approve": Transition(frozenset({S.PENDING}), S.APPROVED, "registration_approved", needs_confirmed_address=True),
    "reject": Transition(frozenset({S.PENDING, S.WAITLISTED}), S.REJECTED, "registration_rejected", refills=True),
    # Moving someone to the list by hand frees no place for another.
    "waitlist": Transition(frozenset({S.PENDING}), S.WAITLISTED, "registration_waitlisted"),
    "cancel": Transition(frozenset({S.PENDING, S.APPROVED, S.WAITLISTED}), S.CANCELLED, "registration_cancelled",
                         refills=True),
    "promote": Transition(frozenset({S.WAITLISTED}), S.APPROVED, "registration_promoted", needs_confirmed_address=True,
                          needs_free_place=True),
}


def address_is_confirmed(delegate: Delegate) -> bool:
    """The rule behind needs_confirmed_address: a registration takes effect (is approved, by an organizer, by
    auto-approval or from the waiting list) only once its account's owner has proven the e-mail address, so
    that nobody gets a badge under someone else's address. Confirming a proposal (register_speaker) is done by
    the speaker's own account and is not a transition, so it is not held."""
    return delegate.user.email_verified_at is not None


def _in_line():
    """Condition on waiting delegates: those whose address is confirmed, who may be let in."""
    return Delegate.user_id.in_(select(User.id).where(User.email_verified_at.is_not(None)))


def allowed_actions(delegate: Delegate) -> list[str]:
    """The status changes that apply to the delegate now, in the order pages offer them."""
    return [action for action, transition in TRANSITIONS.items() if delegate.status in transition.allowed_from
            and (not transition.needs_confirmed_address or address_is_confirmed(delegate))
            and (not transition.needs_free_place
                 or free_places(db.session.get(Conference, delegate.conference_id)) != 0)]


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


def places_taken(conference_id: int) -> int:
    """Registrations holding a place: approved and pending."""
    return db.session.scalar(
        select(func.count(Delegate.id)).where(Delegate.conference_id == conference_id, Delegate.status.in_(HOLDS_PLACE))
    )


def free_places(conference: Conference) -> int | None:
    """Places left within the capacity (None: no limit)."""
    if conference.capacity is None:
        return None
    return max(conference.capacity - places_taken(conference.id), 0)


def waiting_count(conference_id: int) -> int:
    """How many registrations wait in line: on the waiting list with a confirmed address (nobody overtakes them)."""
    return db.session.scalar(
        select(func.count(Delegate.id)).where(Delegate.conference_id == conference_id, Delegate.status == S.WAITLISTED,
                                              _in_line())
    )


def find_registration(conference_id: int, email: str) -> Delegate | None:
    """The registration of this e-mail for the conference, if any."""
    return db.session.scalar(
        select(Delegate).where(Delegate.conference_id == conference_id, Delegate.email == normalize_email(email))
    )


def registration_of(user: User, conference: Conference) -> Delegate | None:
    """The user's own registration for the conference."""
    return db.session.scalar(
        select(Delegate).where(Delegate.conference_id == conference.id, Delegate.user_id == user.id)
    )


def waitlist_position(delegate: Delegate) -> int | None:
    """1 for the next to be promoted; None when not waiting."""
    if delegate.status != S.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Delegate.id)).where(
            Delegate.conference_id == delegate.conference_id,
            Delegate.status == S.WAITLISTED,
            (Delegate.waitlisted_at < delegate.waitlisted_at)
            | ((Delegate.waitlisted_at == delegate.waitlisted_at) & (Delegate.id < delegate.id)),
        )
    )
    return ahead + 1


def _check_delegation(conference: Conference, delegation_id: int | None, country: str) -> None:
    if delegation_id is None:
        return
    delegation = Delegation.get_for(conference, delegation_id)
    if delegation is None or delegation.country != country:
        raise RegistrationError(_l("This delegation does not belong to the chosen country."))


def record_event(delegate: Delegate, event: str, actor: User | None, note: str = "",
                 old: DelegateStatus | None = None) -> None:
    """Add an entry to the delegate's audit trail (status changes give the old status)."""
    delegate.audit.append(AuditEntry(
        event=event, from_status=old.value if old else None, to_status=delegate.status.value,
        actor_id=actor.id if actor else None, note=(note or "")[:2000],
    ))


def _notify(delegate: Delegate, template: str) -> None:
    conference = db.session.get(Conference, delegate.conference_id)
    approved = delegate.status == S.APPROVED
    me_path = urlsplit(absolute_url("registration.me", slug=conference.slug)).path
    queue_mail(
        delegate.email, template, delegate.locale, conference=conference, delegate=delegate,
        me_url=absolute_url("registration.me", slug=conference.slug),
        badge_url=absolute_url("badging.my_badge", slug=conference.slug) if approved else None,
        position=waitlist_position(delegate),
        confirm_url=None if address_is_confirmed(delegate) else confirmation_link(delegate.user, me_path),
    )


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
        status = S.WAITLISTED
    else:  # auto-approval waits for the address to be confirmed (admit_confirmed_registrations)
        status = S.APPROVED if conference.auto_approve and user.email_verified_at is not None else S.PENDING
    delegate = Delegate(
        conference_id=conference.id, user_id=user.id, email=user.email, locale=locale, status=status,
        code=next_code(conference.id, data["country"]), badge_token=new_badge_token(),
        consent_privacy=bool(data.get("consent_privacy")), delegation_id=data.get("delegation_id"),
        waitlisted_at=utcnow() if status == S.WAITLISTED else None,
        **{field: data.get(field) for field in DETAIL_FIELDS if field in data},
    )
    db.session.add(delegate)
    record_event(delegate, "registered", user)
    db.session.flush()
    _notify(delegate, {S.APPROVED: "registration_approved", S.WAITLISTED: "registration_waitlisted"}
            .get(status, "registration_received"))
    return delegate


def _change_status(delegate: Delegate, action: str, actor: User | None, note: str = "") -> None:
    """Apply one transition (caller holds the conference lock): check its rules, audit it, tell the delegate,
    refill a freed place."""
    transition = TRANSITIONS[action]
    if delegate.status not in transition.allowed_from:
        raise RegistrationError(_l("This registration cannot be changed from “%(status)s”.",
                                   status=delegate.status.title))
    if transition.needs_confirmed_address and not address_is_confirmed(delegate):
        raise RegistrationError(_l("%(name)s has not confirmed their e-mail address yet: the registration can be "
                                   "approved once they have.", name=delegate.name))
    if transition.needs_free_place and free_places(db.session.get(Conference, delegate.conference_id)) == 0:
        raise RegistrationError(_l("The conference is full: free a place first."))
    old = delegate.status
    delegate.status = transition.to
    if transition.to == S.WAITLISTED:
        delegate.waitlisted_at = utcnow()
    record_event(delegate, "status", actor, note, old=old)
    db.session.flush()
    _notify(delegate, transition.mail)
    if transition.refills and old in HOLDS_PLACE:
        promote_from_waitlist(db.session.get(Conference, delegate.conference_id))


def _locked(delegate: Delegate) -> Delegate:
    """Take the conference lock and re-read the delegate, so the transition sees the latest state."""
    lock_conference(delegate.conference_id)
    db.session.refresh(delegate)
    return delegate


def change_status(delegate: Delegate, action: str, actor: User | None, note: str = "") -> None:
    """Apply TRANSITIONS[action] to a registration, under the conference lock so that it sees the latest state;
    RegistrationError when its rules refuse it."""
    if action not in TRANSITIONS:
        raise RegistrationError(_l("This registration cannot be changed from “%(status)s”.",
                                   status=delegate.status.title))
    _change_status(_locked(delegate), action, actor, note)


def fill_free_places(conference: Conference) -> list[Delegate]:
    """Promote waiting delegates into places that are free (e.g. after the capacity was raised)."""
    lock_conference(conference.id)
    return promote_from_waitlist(conference)


def promote_from_waitlist(conference: Conference) -> list[Delegate]:
    """Fill free places with the longest-waiting delegates (caller holds the conference lock)."""
    free = free_places(conference)
    if not free:
        return []
    waiting = db.session.scalars(
        select(Delegate)
        .where(Delegate.conference_id == conference.id, Delegate.status == S.WAITLISTED, _in_line())
        .order_by(Delegate.waitlisted_at, Delegate.id)
        .limit(free)
    ).all()
    for delegate in waiting:
        _change_status(delegate, "promote", None)
    return list(waiting)


def admit_confirmed_registrations(user: User) -> list[Delegate]:
    """Once the owner confirmed the address, let their held registrations proceed: pending ones are approved
    where the conference approves automatically, waiting ones get free places in their turn."""
    held = db.session.scalars(select(Delegate).where(
        Delegate.user_id == user.id, Delegate.status.in_((S.PENDING, S.WAITLISTED)))
        .order_by(Delegate.conference_id)).all()  # conference order: locks always taken in the same order
    admitted = []
    for delegate in held:
        conference = db.session.get(Conference, delegate.conference_id)
        _locked(delegate)
        if delegate.status == S.PENDING and conference.auto_approve:
            _change_status(delegate, "approve", None, "address confirmed")
            admitted.append(delegate)
        elif delegate.status == S.WAITLISTED:
            admitted.extend(d for d in promote_from_waitlist(conference) if d.id == delegate.id)
    return admitted


def _on_address_confirmed(user: User, **_extra) -> None:
    admit_confirmed_registrations(user)


def _on_conference_saved(conference: Conference, **_extra) -> None:
    fill_free_places(conference)  # a larger capacity lets the waiting list in


def connect_receivers() -> None:
    """Listen to what the areas below announce (core.signals): confirmed addresses and saved conferences."""
    address_confirmed.connect(_on_address_confirmed)
    conference_saved.connect(_on_conference_saved)


def bulk_change(delegates: list[Delegate], action: str, actor: User) -> tuple[int, int]:
    """Apply one action to many delegates; those it does not apply to are skipped. Returns (done, skipped)."""
    done = 0
    for delegate in delegates:
        try:
            change_status(delegate, action, actor)
        except RegistrationError:
            continue
        done += 1
    return done, len(delegates) - done


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
    record_event(delegate, "edited", actor)


def issue_visa_letter(delegate: Delegate, actor: User) -> str:
    """Give an approved delegate who asked for one a visa letter reference; returns it."""
    if delegate.status != S.APPROVED or not delegate.visa_requested:
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
        select(Delegation)
        .where(Delegation.conference_id == conference.id)
        .order_by(Delegation.country, Delegation.name)
    ).all()


def create_delegation(conference: Conference, country: str, name: str, name_ar: str = "") -> Delegation:
    """A new official delegation of a country."""
    if not is_country(country):
        raise RegistrationError(_l("Please choose a country from the list."))
    lock_conference(conference.id)  # two organizers creating the same delegation at once
    exists = db.session.scalar(select(Delegation).where(Delegation.conference_id == conference.id,
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
        select(Delegate)
        .where(Delegate.conference_id == conference.id, Delegate.status == S.APPROVED,
               Delegate.consent_public_list.is_(True))
        .order_by(Delegate.country, Delegate.name)
    )


def get_delegate(conference: Conference, delegate_id: int) -> Delegate | None:
    """A delegate of this conference by id (None for another conference's)."""
    return Delegate.get_for(conference, delegate_id)


def delegates_by_ids(conference: Conference, ids: list[int]) -> list[Delegate]:
    """The conference's delegates among `ids` (others' ids are ignored)."""
    if not ids:
        return []
    return db.session.scalars(
        select(Delegate).where(Delegate.conference_id == conference.id, Delegate.id.in_(ids)).order_by(Delegate.id)
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
            status=S.APPROVED, category=Category.SPEAKER, code=next_code(conference.id, country),
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
    if delegate.status != S.APPROVED:
        old = delegate.status
        delegate.status, delegate.waitlisted_at = S.APPROVED, None
        record_event(delegate, "status", actor, "speaker", old=old)
    db.session.flush()
    return delegate
