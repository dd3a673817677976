"""The registration workflow, walked from its one table: every status × every action, allowed or refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.models import AuditEntry, DelegateStatus
from conference.registration.services import ACTIONS, TRANSITIONS, RegistrationError, allowed_actions

CASES = [(action, status) for action in TRANSITIONS for status in DelegateStatus]


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-from-{s.value}" for a, s in CASES])
def test_every_action_from_every_status_follows_the_table(doha, make_user, make_delegate, action, status):
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    delegate = make_delegate(doha, status=status.value)
    transition = TRANSITIONS[action]
    audit_before = db.session.scalar(select(func.count(AuditEntry.id)))
    if status in transition.allowed_from:
        ACTIONS[action](delegate, organizer)
        db.session.commit()
        assert delegate.status == transition.to
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before + 1
        assert db.session.scalar(select(OutboxMessage.template).order_by(OutboxMessage.id.desc())) == transition.mail
    else:
        with pytest.raises(RegistrationError):
            ACTIONS[action](delegate, organizer)
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
