"""A decision reaches the speakers with its letter: until the organizers release it, the speakers see no decision.

Reversals: while the first letter is released and the new one is a draft, the speakers keep seeing the decision
of the released letter (without Confirm/Decline) until the new letter is released.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import release_drafts
from conference.submissions.errors import SubmissionError
from conference.submissions.models import ProposalStatus
from conference.submissions.services import decision_released, speaker_log, speaker_status
from conference.submissions.workflow import accept_proposal, confirm_proposal, reverse_rejection, revoke_acceptance
from tests.conftest import login, post_form

S = ProposalStatus


def _pill(html: str, status: ProposalStatus) -> bool:
    return f'class="pill pill-{status.value}">{status.title}<' in html


@pytest.fixture
def accepted(cfp, organizer, speaker, make_proposal):
    """A proposal just accepted: its letter waits in the outbox as a draft."""
    proposal = make_proposal(speaker)
    accept_proposal(proposal, organizer)
    db.session.commit()
    return proposal


def test_the_letter_carries_its_proposal(accepted):
    [letter] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "proposal_accepted")).all()
    assert letter.proposal_id == accepted.id and letter.state == MailState.DRAFT


@pytest.mark.parametrize("path", ["/doha/me/proposals/{id}", "/doha/me/proposals"], ids=["proposal", "list"])
def test_the_speaker_sees_submitted_while_the_letter_is_a_draft(client, accepted, speaker, path):
    login(client, speaker)
    html = client.get(path.format(id=accepted.id)).get_data(as_text=True)
    assert _pill(html, S.SUBMITTED) and not _pill(html, S.ACCEPTED)
    assert "Confirm that I will speak" not in html and "/confirm" not in html


def test_me_offers_no_confirmation_while_the_letter_is_a_draft(client, accepted, speaker):
    login(client, speaker)
    html = client.get("/doha/me").get_data(as_text=True)
    assert "Confirm that I will speak" not in html
    assert accepted.title in html and _pill(html, S.SUBMITTED) and not _pill(html, S.ACCEPTED)  # as it was sent


def test_the_speaker_history_hides_the_unreleased_decision(accepted):
    assert [entry.to_status for entry in speaker_log(accepted)] == ["draft", "submitted"]


def test_confirming_is_refused_while_the_letter_is_a_draft(accepted, speaker):
    assert not decision_released(accepted)
    with pytest.raises(SubmissionError, match="has not been sent yet"):
        confirm_proposal(accepted, speaker)


def test_confirming_over_http_is_refused_with_a_message(client, accepted, speaker):
    login(client, speaker)
    response = post_form(client, f"/doha/me/proposals/{accepted.id}/confirm", {"consent": "y"},
                         follow_redirects=True)
    db.session.refresh(accepted)
    assert accepted.status == S.ACCEPTED and "has not been sent yet" in response.get_data(as_text=True)


def test_after_release_the_speaker_sees_accepted_and_can_confirm(client, cfp, accepted, speaker):
    release_drafts(cfp.id)
    db.session.commit()
    login(client, speaker)
    html = client.get(f"/doha/me/proposals/{accepted.id}").get_data(as_text=True)
    assert _pill(html, S.ACCEPTED) and "Confirm that I will speak" in html
    post_form(client, f"/doha/me/proposals/{accepted.id}/confirm", {"consent": "y"})
    db.session.refresh(accepted)
    assert accepted.status == S.CONFIRMED


def test_a_reversal_shows_the_released_decision_until_its_letter_is_released(cfp, accepted, organizer, speaker):
    release_drafts(cfp.id)
    revoke_acceptance(accepted, organizer)
    db.session.commit()
    assert speaker_status(accepted) == S.ACCEPTED and not decision_released(accepted)
    with pytest.raises(SubmissionError):
        confirm_proposal(accepted, speaker)
    release_drafts(cfp.id)
    db.session.commit()
    assert speaker_status(accepted) == S.REJECTED and decision_released(accepted)


def test_a_reversal_of_a_reversal_keeps_showing_the_released_decision(client, cfp, accepted, organizer, speaker):
    release_drafts(cfp.id)
    revoke_acceptance(accepted, organizer)
    reverse_rejection(accepted, organizer)
    db.session.commit()
    login(client, speaker)
    html = client.get(f"/doha/me/proposals/{accepted.id}").get_data(as_text=True)
    assert _pill(html, S.ACCEPTED) and "Confirm that I will speak" not in html
    assert "reviewing its decision" in html
    assert [entry.to_status for entry in speaker_log(accepted)] == ["draft", "submitted", "accepted"]


def test_organizers_always_see_the_real_status(client, accepted, organizer):
    login(client, organizer)
    html = client.get(f"/doha/manage/proposals/{accepted.id}").get_data(as_text=True)
    assert _pill(html, S.ACCEPTED)


def test_me_links_to_the_proposals_and_the_profile_before_any_decision(client, doha, make_user):
    from conference.submissions.models import Proposal, ProposalSpeaker, ProposalType

    user = make_user("new-speaker@example.org")
    kind = ProposalType(conference_id=doha.id, name_en="Talk", name_ar="محاضرة", duration_minutes=30)
    db.session.add(kind)
    db.session.flush()
    draft = Proposal(conference_id=doha.id, title="A first draft", abstract="Soon.", proposal_type_id=kind.id,
                     status=ProposalStatus.DRAFT)
    draft.speakers = [ProposalSpeaker(user_id=user.id, email=user.email, position=0, role="submitter")]
    db.session.add(draft)
    db.session.commit()
    login(client, user)
    html = client.get("/doha/me").get_data(as_text=True)
    assert "A first draft" in html and "/doha/me/proposals" in html and "/doha/me/speaker-profile" in html


def test_the_outbox_releases_one_batch_of_letters_or_the_ticked_drafts_and_says_what(client, cfp, organizer,
                                                                                     speaker, make_proposal):
    """The drafts panel names each batch (acceptance letters written at a time) and how many it holds; releasing
    one batch or the ticked drafts leaves the others waiting."""
    from datetime import timedelta

    from conference.mail.services import draft_batches
    from conference.submissions.workflow import reject_proposal

    first, second, third = (make_proposal(speaker, title=f"Talk {n}") for n in range(3))
    accept_proposal(first, organizer)
    db.session.commit()
    reject_proposal(second, organizer)
    reject_proposal(third, organizer)
    db.session.commit()
    later = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "proposal_rejected")).all()
    for letter in later:
        letter.created_at += timedelta(minutes=5)  # a second decision, later
    db.session.commit()
    batches = draft_batches(cfp.id)
    assert [(b.title, len(b.ids)) for b in batches] == [("Acceptance letters", 1), ("Rejection letters", 2)]
    login(client, organizer)
    page = client.get("/doha/manage/outbox").get_data(as_text=True)
    assert "Acceptance letters written" in page and "Rejection letters written" in page
    assert "Release all 3 drafts" in page and "Release these 2" in page
    answer = post_form(client, "/doha/manage/outbox/release", {"ids": [str(i) for i in batches[1].ids]})
    assert answer.status_code == 302
    db.session.expire_all()
    states = dict(db.session.execute(select(OutboxMessage.template, OutboxMessage.state).where(
        OutboxMessage.template.in_(("proposal_accepted", "proposal_rejected")))).all())
    assert states == {"proposal_accepted": MailState.DRAFT, "proposal_rejected": MailState.QUEUED}
    listing = client.get("/doha/manage/outbox?state=draft").get_data(as_text=True)
    assert f'name="ids" value="{batches[0].ids[0]}"' in listing and "Release the ticked drafts" in listing
    post_form(client, "/doha/manage/outbox/release", {"ids": ["x", "0"]})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, batches[0].ids[0]).state == MailState.DRAFT  # nothing ticked: nothing sent
