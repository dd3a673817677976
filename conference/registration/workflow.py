"""The registration workflow: every status change with its place rules, its audit trail and its e-mails."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.models import User
from ..accounts.verification import confirmation_link
from ..core.signals import address_confirmed, conference_saved
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..mail.services import absolute_url, queue_mail
from ..types import utcnow
from .errors import RegistrationError
from .models import HOLDS_PLACE, AuditEntry, Delegate, DelegateStatus


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
    "approve": Transition(frozenset({DelegateStatus.PENDING}), DelegateStatus.APPROVED, "registration_approved",
                          needs_confirmed_address=True),
    "reject": Transition(frozenset({DelegateStatus.PENDING, DelegateStatus.WAITLISTED}), DelegateStatus.REJECTED,
                         "registration_rejected", refills=True),
    # Moving someone to the list by hand frees no place for another.
    "waitlist": Transition(frozenset({DelegateStatus.PENDING}), DelegateStatus.WAITLISTED, "registration_waitlisted"),
    "cancel": Transition(frozenset({DelegateStatus.PENDING, DelegateStatus.APPROVED, DelegateStatus.WAITLISTED}),
                         DelegateStatus.CANCELLED, "registration_cancelled", refills=True),
    "promote": Transition(frozenset({DelegateStatus.WAITLISTED}), DelegateStatus.APPROVED, "registration_promoted",
                          needs_confirmed_address=True, needs_free_place=True),
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
        select(func.count(Delegate.id)).where(Delegate.conference_id == conference_id,
                                              Delegate.status == DelegateStatus.WAITLISTED, _in_line())
    )


def waitlist_position(delegate: Delegate) -> int | None:
    """1 for the next to be promoted; None when not waiting."""
    if delegate.status != DelegateStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Delegate.id)).where(
            Delegate.conference_id == delegate.conference_id,
            Delegate.status == DelegateStatus.WAITLISTED,
            (Delegate.waitlisted_at < delegate.waitlisted_at)
            | ((Delegate.waitlisted_at == delegate.waitlisted_at) & (Delegate.id < delegate.id)),
        )
    )
    return ahead + 1


def record_event(delegate: Delegate, event: str, actor: User | None, note: str = "",
                 old: DelegateStatus | None = None) -> None:
    """Add an entry to the delegate's audit trail (status changes give the old status)."""
    delegate.audit.append(AuditEntry(
        event=event, from_status=old.value if old else None, to_status=delegate.status.value,
        actor_id=actor.id if actor else None, note=(note or "")[:2000],
    ))


def notify_delegate(delegate: Delegate, template: str) -> None:
    """Queue `templates/mail/<template>` to the delegate, in their language, with their page and their place."""
    conference = db.session.get(Conference, delegate.conference_id)
    approved = delegate.status == DelegateStatus.APPROVED
    me_path = urlsplit(absolute_url("registration.me", slug=conference.slug)).path
    queue_mail(
        delegate.email, template, delegate.locale, conference=conference, delegate=delegate,
        me_url=absolute_url("registration.me", slug=conference.slug),
        badge_url=absolute_url("badging.my_badge", slug=conference.slug) if approved else None,
        position=waitlist_position(delegate),
        confirm_url=None if address_is_confirmed(delegate) else confirmation_link(delegate.user, me_path),
    )


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
    if transition.to == DelegateStatus.WAITLISTED:
        delegate.waitlisted_at = utcnow()
    record_event(delegate, "status", actor, note, old=old)
    db.session.flush()
    notify_delegate(delegate, transition.mail)
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
        Delegate.of(conference)
        .where(Delegate.status == DelegateStatus.WAITLISTED, _in_line())
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
        Delegate.user_id == user.id, Delegate.status.in_((DelegateStatus.PENDING, DelegateStatus.WAITLISTED)))
        .order_by(Delegate.conference_id)).all()  # conference order: locks always taken in the same order
    admitted = []
    for delegate in held:
        conference = db.session.get(Conference, delegate.conference_id)
        _locked(delegate)
        if delegate.status == DelegateStatus.PENDING and conference.auto_approve:
            _change_status(delegate, "approve", None, "address confirmed")
            admitted.append(delegate)
        elif delegate.status == DelegateStatus.WAITLISTED:
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
