"""The registration workflow, walked from its one table: every status × every action, allowed or refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.errors import RegistrationError
from conference.registration.models import HOLDS_PLACE, AuditEntry, DelegateStatus
from conference.registration.workflow import TRANSITIONS, allowed_actions, change_status

CASES = [(action, status) for action in TRANSITIONS for status in DelegateStatus]


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-from-{s.value}" for a, s in CASES])
def test_every_action_from_every_status_follows_the_table(doha, make_user, make_delegate, action, status):
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    delegate = make_delegate(doha, status=status.value)
    transition = TRANSITIONS[action]
    audit_before = db.session.scalar(select(func.count(AuditEntry.id)))
    if status in transition.allowed_from:
        change_status(delegate, action, organizer)
        db.session.commit()
        assert delegate.status == transition.to
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before + 1
        assert db.session.scalar(select(OutboxMessage.template).order_by(OutboxMessage.id.desc())) == transition.mail
    else:
        with pytest.raises(RegistrationError):
            change_status(delegate, action, organizer)
        db.session.rollback()
        db.session.refresh(delegate)
        assert delegate.status == status
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before


@pytest.mark.parametrize("status", list(DelegateStatus), ids=[s.value for s in DelegateStatus])
def test_the_pages_offer_exactly_the_actions_of_the_table(doha, make_delegate, status):
    delegate = make_delegate(doha, status=status.value)
    assert allowed_actions(delegate) == [action for action, t in TRANSITIONS.items() if status in t.allowed_from]


@pytest.mark.parametrize("status", list(DelegateStatus), ids=[s.value for s in DelegateStatus])
def test_a_delegate_edits_only_while_pending_or_waiting(doha, make_delegate, status):
    delegate = make_delegate(doha, status=status.value)
    assert delegate.editable_by_delegate is (status in {DelegateStatus.PENDING, DelegateStatus.WAITLISTED})


PLACE_CASES = [(action, status) for action, transition in TRANSITIONS.items()
               for status in sorted(transition.allowed_from & set(HOLDS_PLACE), key=lambda s: s.value)]


@pytest.mark.parametrize(("action", "status"), PLACE_CASES, ids=[f"{a}-from-{s.value}" for a, s in PLACE_CASES])
def test_a_place_freed_goes_to_the_waiting_list_only_as_the_table_says(doha, make_user, make_delegate, action,
                                                                        status):
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    holder = make_delegate(doha, status=status.value)
    waiting = make_delegate(doha, name="Waiting Delegate", status="waitlisted")
    doha.capacity = 1
    db.session.commit()
    change_status(holder, action, organizer)
    db.session.commit()
    promoted = TRANSITIONS[action].refills and TRANSITIONS[action].to not in HOLDS_PLACE
    assert waiting.status == (DelegateStatus.APPROVED if promoted else DelegateStatus.WAITLISTED)


@pytest.mark.parametrize("action", [a for a, t in TRANSITIONS.items() if t.needs_free_place])
def test_a_change_that_needs_a_free_place_is_refused_while_full(doha, make_user, make_delegate, action):
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    make_delegate(doha, name="Holder", status="approved")
    waiting = make_delegate(doha, name="Waiting Delegate", status="waitlisted")
    doha.capacity = 1
    db.session.commit()
    assert action not in allowed_actions(waiting)  # the page does not offer it
    with pytest.raises(RegistrationError, match="full"):
        change_status(waiting, action, organizer)
    db.session.rollback()
    doha.capacity = 2
    db.session.commit()
    assert action in allowed_actions(waiting)
    change_status(waiting, action, organizer)
    assert waiting.status == TRANSITIONS[action].to
