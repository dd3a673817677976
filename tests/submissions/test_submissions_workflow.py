"""The proposal workflow: every allowed and refused transition of the table, the log, the e-mails, deadlines."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import release_drafts
from conference.registration.models import Category, DelegateStatus
from conference.registration.services import registration_of
from conference.submissions.errors import SubmissionError
from conference.submissions.models import ProposalStatus
from conference.submissions.workflow import TRANSITIONS, change_status

S = ProposalStatus
ALL = list(S)
CASES = [(action, state) for action in TRANSITIONS for state in ALL]


def _actor_for(action, speaker, organizer):
    return organizer if TRANSITIONS[action].by == "organizer" else speaker


def _mails(template=None):
    query = select(OutboxMessage)
    if template:
        query = query.where(OutboxMessage.template == template)
    return db.session.scalars(query).all()


@pytest.mark.parametrize("action,state", CASES, ids=[f"{a}-from-{s.value}" for a, s in CASES])
def test_transition_table(make_proposal, speaker, organizer, action, state):
    """Every action from every state: allowed ones move to the table's target, others refuse and change nothing."""
    proposal = make_proposal(speaker, submitted=False, abstract="A short abstract.")
    proposal.status = state
    db.session.commit()
    transition = TRANSITIONS[action]
    if state in transition.allowed_from:
        change_status(proposal, action, _actor_for(action, speaker, organizer))
        db.session.commit()
        assert proposal.status == transition.to
        entry = proposal.log[-1]
        assert (entry.from_status, entry.to_status, entry.actor_id) == (
            state.value, transition.to.value, _actor_for(action, speaker, organizer).id)
    else:
        before = len(proposal.log)
        with pytest.raises(SubmissionError):
            change_status(proposal, action, _actor_for(action, speaker, organizer))
        db.session.rollback()
        db.session.refresh(proposal)
        assert proposal.status == state
        assert len(proposal.log) == before


def test_unknown_action_is_refused(make_proposal, speaker):
    proposal = make_proposal(speaker)
    with pytest.raises(SubmissionError):
        change_status(proposal, "publish", speaker)


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_speaker_cannot_decide_own_proposal(make_proposal, speaker, action):
    proposal = make_proposal(speaker)
    with pytest.raises(SubmissionError):
        change_status(proposal, action, speaker)


@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_another_user_cannot_submit_or_withdraw(make_proposal, speaker, make_user, action):
    proposal = make_proposal(speaker, submitted=action == "withdraw")
    stranger = make_user("stranger@example.org")
    with pytest.raises(SubmissionError):
        change_status(proposal, action, stranger)


def test_organizer_cannot_confirm_for_the_speaker(make_proposal, speaker, organizer):
    proposal = make_proposal(speaker)
    change_status(proposal, "accept", organizer)
    with pytest.raises(SubmissionError):
        change_status(proposal, "confirm", organizer)


@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_after_the_deadline_speakers_cannot_submit_or_withdraw(make_proposal, speaker, action):
    proposal = make_proposal(speaker, submitted=action == "withdraw")
    later = datetime.now(timezone.utc) + timedelta(days=11)
    with pytest.raises(SubmissionError, match="closed"):
        change_status(proposal, action, speaker, now=later)


def test_submitting_an_abstract_over_the_limit_is_refused(make_proposal, speaker, cfp):
    from conference.submissions.call import call_of

    proposal = make_proposal(speaker, submitted=False, abstract="word " * 100)
    call_of(cfp).abstract_word_limit = 50
    db.session.commit()
    with pytest.raises(SubmissionError, match="50"):
        change_status(proposal, "submit", speaker)


def test_submitting_queues_a_mail_to_the_speaker(make_proposal, speaker):
    make_proposal(speaker)
    [mail] = _mails("proposal_submitted")
    assert mail.recipient == speaker.email and mail.state != MailState.DRAFT


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_decision_letters_wait_as_drafts(make_proposal, speaker, organizer, action):
    proposal = make_proposal(speaker)
    change_status(proposal, action, organizer)
    db.session.commit()
    [mail] = _mails(f"proposal_{action}ed")
    assert mail.state == MailState.DRAFT and mail.recipient == speaker.email


def test_withdrawing_a_draft_sends_nothing(make_proposal, speaker):
    proposal = make_proposal(speaker, submitted=False)
    change_status(proposal, "withdraw", speaker)
    assert _mails("proposal_withdrawn") == []


def test_confirmation_registers_every_speaker_as_approved_speaker(make_proposal, speaker, organizer, make_user, cfp):
    from conference.submissions.writing import accept_invitation

    proposal = make_proposal(speaker, co_speakers=["amina@example.org"])
    amina = make_user("amina@example.org", name="Amina")
    accept_invitation(proposal.speakers[1], amina)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    change_status(proposal, "confirm", amina)
    db.session.commit()
    for user in (speaker, amina):
        delegate = registration_of(user, cfp)
        assert delegate.status == DelegateStatus.APPROVED and delegate.category == Category.SPEAKER
    assert _mails("proposal_confirmed")


def test_confirmation_upgrades_an_existing_registration(make_proposal, organizer, make_delegate, cfp):
    delegate = make_delegate(cfp, status="pending", email="pending@example.org")
    proposal = make_proposal(delegate.user)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    change_status(proposal, "confirm", delegate.user)
    db.session.commit()
    db.session.refresh(delegate)
    assert (delegate.status, delegate.category) == (DelegateStatus.APPROVED, Category.SPEAKER)
    assert [e.event for e in delegate.audit][-2:] == ["category", "status"]


def test_declining_withdraws_and_registers_nobody(make_proposal, speaker, organizer, cfp):
    proposal = make_proposal(speaker)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    change_status(proposal, "decline", speaker)
    db.session.commit()
    assert proposal.status == S.WITHDRAWN and registration_of(speaker, cfp) is None


def test_letters_escape_the_title_and_link_to_the_proposal(make_proposal, speaker, organizer):
    proposal = make_proposal(speaker, title="<script>alert(1)</script> & helplines")
    change_status(proposal, "accept", organizer)
    [letter] = _mails("proposal_accepted")
    assert "<script>" not in letter.body_html and "&lt;script&gt;" in letter.body_html
    assert f"/doha/me/proposals/{proposal.id}" in letter.body_text


def test_arabic_speaker_gets_arabic_letters(make_proposal, make_user, organizer):
    author = make_user("layla@example.org", name="ليلى")
    author.locale = "ar"
    proposal = make_proposal(author)
    change_status(proposal, "reject", organizer)
    [letter] = _mails("proposal_rejected")
    assert letter.locale == "ar" and "بشأن مقترحك" in letter.subject


def test_declining_tells_the_organizers(cfp, make_proposal, speaker, organizer):
    proposal = make_proposal(speaker)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    change_status(proposal, "decline", speaker)
    [mail] = _mails("proposal_declined_organizer")
    assert mail.recipient == organizer.email and f"/doha/manage/proposals/{proposal.id}" in mail.body_text
