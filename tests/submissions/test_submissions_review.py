"""Review: balanced assignment with exclusions, scores, anonymization, the organizers' table, decisions, outbox."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from conference.accounts.models import Role
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.submissions.errors import SubmissionError
from conference.submissions.models import ProposalStatus, ReviewAssignment
from conference.submissions.profiles import save_profile
from conference.submissions.review import (
    TableFilters,
    assign_automatically,
    assign_reviewer,
    proposal_table,
    score_proposal,
)
from conference.submissions.workflow import change_status
from tests.conftest import login, post_form

S = ProposalStatus


@pytest.fixture
def reviewers(cfp, make_user):
    return [make_user(f"reviewer{n}@example.org", Role.REVIEWER, cfp, name=f"Reviewer {n}") for n in range(1, 4)]


def _speakers(make_user, count):
    return [make_user(f"speaker{n}@example.org", name=f"Speaker Number{n}") for n in range(count)]


def test_automatic_assignment_is_balanced(cfp, organizer, reviewers, make_user, make_proposal):
    for author in _speakers(make_user, 9):
        make_proposal(author)
    made = assign_automatically(cfp, organizer, per_proposal=2)
    db.session.commit()
    assert made == 18
    load = Counter(db.session.scalars(select(ReviewAssignment.reviewer_id)).all())
    assert sorted(load.values()) == [6, 6, 6]


def test_automatic_assignment_is_idempotent(cfp, organizer, reviewers, make_user, make_proposal):
    for author in _speakers(make_user, 3):
        make_proposal(author)
    assign_automatically(cfp, organizer, per_proposal=2)
    assert assign_automatically(cfp, organizer, per_proposal=2) == 0


def test_automatic_assignment_skips_own_proposals(cfp, organizer, reviewers, make_proposal):
    own = make_proposal(reviewers[0])
    assign_automatically(cfp, organizer, per_proposal=3)
    assert reviewers[0].id not in {a.reviewer_id for a in own.reviews}
    assert len(own.reviews) == 2


def test_automatic_assignment_skips_the_reviewers_organization(cfp, organizer, reviewers, speaker, make_proposal):
    save_profile(cfp, reviewers[1], {"name": "Reviewer 1", "organization": "Oman Child Helpline"})
    save_profile(cfp, speaker, {"name": "Hamad", "organization": "oman child helpline "})
    proposal = make_proposal(speaker)
    assign_automatically(cfp, organizer, per_proposal=3)
    assert reviewers[1].id not in {a.reviewer_id for a in proposal.reviews}


@pytest.mark.parametrize("conflict", ["own", "organization"])
def test_assigning_by_hand_refuses_conflicts(cfp, organizer, reviewers, speaker, make_proposal, conflict):
    if conflict == "own":
        proposal = make_proposal(reviewers[0])
    else:
        save_profile(cfp, reviewers[0], {"name": "R", "organization": "UNICEF"})
        save_profile(cfp, speaker, {"name": "H", "organization": "UNICEF"})
        proposal = make_proposal(speaker)
    with pytest.raises(SubmissionError, match="behind this proposal"):
        assign_reviewer(proposal, reviewers[0], organizer)


def test_assigning_a_non_reviewer_is_refused(cfp, organizer, speaker, make_user, make_proposal):
    proposal = make_proposal(speaker)
    with pytest.raises(SubmissionError, match="not a reviewer"):
        assign_reviewer(proposal, make_user("nobody@example.org"), organizer)


@pytest.mark.parametrize("score", [0, 6, -1, True], ids=["zero", "six", "negative", "bool"])
def test_scores_outside_one_to_five_are_refused(cfp, organizer, reviewers, speaker, make_proposal, score):
    proposal = make_proposal(speaker)
    assign_reviewer(proposal, reviewers[0], organizer)
    with pytest.raises(SubmissionError, match="1 to 5"):
        score_proposal(proposal, reviewers[0], score)


def test_scoring_an_unassigned_proposal_is_refused(cfp, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker)
    with pytest.raises(SubmissionError, match="not assigned"):
        score_proposal(proposal, reviewers[0], 4)


def test_scores_can_change_until_the_decision(cfp, organizer, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker)
    assign_reviewer(proposal, reviewers[0], organizer)
    score_proposal(proposal, reviewers[0], 2)
    score_proposal(proposal, reviewers[0], 4, "Better on second reading")
    change_status(proposal, "accept", organizer)
    with pytest.raises(SubmissionError, match="decision"):
        score_proposal(proposal, reviewers[0], 5)
    assert proposal.reviews[0].score == 4


def test_table_has_count_mean_and_spread(cfp, organizer, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker)
    for reviewer, score in zip(reviewers, (2, 4, 3), strict=False):
        assign_reviewer(proposal, reviewer, organizer)
        score_proposal(proposal, reviewer, score)
    [row] = proposal_table(cfp, TableFilters())
    assert (row.count, row.mean, round(row.spread, 3), row.low, row.high) == (3, 3.0, 0.816, 2, 4)


def test_table_filters_and_sorts(cfp, organizer, reviewers, make_user, make_proposal):
    authors = _speakers(make_user, 3)
    proposals = [make_proposal(a) for a in authors]
    for proposal, score in zip(proposals, (5, 2), strict=False):
        assign_reviewer(proposal, reviewers[0], organizer)
        score_proposal(proposal, reviewers[0], score)
    assign_reviewer(proposals[2], reviewers[0], organizer)
    by_mean = [r.proposal.id for r in proposal_table(cfp, TableFilters(sort="mean"))]
    assert by_mean == [proposals[0].id, proposals[1].id, proposals[2].id]
    assert [r.proposal.id for r in proposal_table(cfp, TableFilters(min_mean=4))] == [proposals[0].id]
    assert [r.proposal.id for r in proposal_table(cfp, TableFilters(unfinished=True))] == [proposals[2].id]


def test_drafts_never_reach_the_committee(cfp, speaker, make_proposal):
    make_proposal(speaker, submitted=False)
    assert proposal_table(cfp, TableFilters()) == []


# ---- through HTTP ----------------------------------------------------------------------------------------------

def test_reviewer_sees_no_speaker_name_when_anonymized(client, cfp, organizer, reviewers, make_user, make_proposal):
    author = make_user("zainab@example.org", name="Zainab Al-Lawati")
    save_profile(cfp, author, {"name": "Zainab Al-Lawati", "organization": "Secret Helpline Org"})
    proposal = make_proposal(author, title="Anonymous proposal")
    assign_reviewer(proposal, reviewers[0], organizer)
    db.session.commit()
    login(client, reviewers[0])
    for path in ("/doha/manage/review", f"/doha/manage/review/{proposal.id}"):
        html = client.get(path).get_data(as_text=True)
        assert "Anonymous proposal" in html
        assert "Zainab" not in html and "Secret Helpline Org" not in html and "zainab@" not in html


def test_reviewer_sees_names_when_not_anonymized(client, cfp, organizer, reviewers, make_user, make_proposal):
    from conference.submissions.call import call_of

    call_of(cfp).anonymized_review = False
    author = make_user("zainab@example.org", name="Zainab Al-Lawati")
    proposal = make_proposal(author)
    assign_reviewer(proposal, reviewers[0], organizer)
    db.session.commit()
    login(client, reviewers[0])
    assert "Zainab" in client.get(f"/doha/manage/review/{proposal.id}").get_data(as_text=True)


def test_reviewer_scores_through_the_form(client, cfp, organizer, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker)
    assign_reviewer(proposal, reviewers[0], organizer)
    db.session.commit()
    login(client, reviewers[0])
    response = post_form(client, f"/doha/manage/review/{proposal.id}", {"score": "4", "comment": "Strong"})
    assert response.status_code == 302
    assert proposal.reviews[0].score == 4


@pytest.mark.parametrize("score", ["0", "6", "x", ""], ids=["zero", "six", "text", "missing"])
def test_bad_scores_through_the_form_change_nothing(client, cfp, organizer, reviewers, speaker, make_proposal, score):
    proposal = make_proposal(speaker)
    assign_reviewer(proposal, reviewers[0], organizer)
    db.session.commit()
    login(client, reviewers[0])
    response = post_form(client, f"/doha/manage/review/{proposal.id}", {"score": score})
    assert response.status_code == 200
    db.session.refresh(proposal.reviews[0])
    assert proposal.reviews[0].score is None


def test_reviewer_cannot_open_or_score_an_unassigned_proposal(client, cfp, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker)
    login(client, reviewers[0])
    assert client.get(f"/doha/manage/review/{proposal.id}").status_code == 404
    assert post_form(client, f"/doha/manage/review/{proposal.id}", {"score": "5"}).status_code == 404
    assert db.session.scalar(select(ReviewAssignment)) is None


def test_bulk_decision_shows_a_confirmation_then_applies(client, cfp, organizer, make_user, make_proposal):
    authors = _speakers(make_user, 2)
    submitted, draft_like = make_proposal(authors[0]), make_proposal(authors[1])
    change_status(draft_like, "withdraw", authors[1])
    db.session.commit()
    login(client, organizer)
    html = post_form(client, "/doha/manage/proposals/decide",
                     {"action": "accept", "ids": [str(submitted.id), str(draft_like.id)]}).get_data(as_text=True)
    assert "Please confirm" in html and "stays as it is" in html
    assert submitted.status == S.SUBMITTED  # nothing changed yet
    response = post_form(client, "/doha/manage/proposals/decide",
                         {"action": "accept", "ids": f"{submitted.id}", "confirmed": "1"})
    assert response.status_code == 302
    db.session.refresh(submitted)
    assert submitted.status == S.ACCEPTED and submitted.log[-1].actor_id == organizer.id
    letter = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_accepted"))
    assert letter.state == MailState.DRAFT


def test_tampered_decision_is_refused(client, cfp, organizer, speaker, make_proposal):
    proposal = make_proposal(speaker)
    login(client, organizer)
    response = post_form(client, "/doha/manage/proposals/decide",
                         {"action": "confirm", "ids": str(proposal.id), "confirmed": "1"}, follow_redirects=True)
    assert "Please choose a decision" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == S.SUBMITTED


def test_another_conferences_proposal_cannot_be_decided(client, cfp, organizer, make_conference, make_user,
                                                        make_proposal):
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    other = make_conference("other", cfp_opens_at=now - timedelta(days=1), cfp_closes_at=now + timedelta(days=1))
    foreign = make_proposal(make_user("x@example.org"), conference=other)
    login(client, organizer)
    post_form(client, "/doha/manage/proposals/decide", {"action": "accept", "ids": str(foreign.id), "confirmed": "1"})
    db.session.refresh(foreign)
    assert foreign.status == S.SUBMITTED
    assert client.get(f"/doha/manage/proposals/{foreign.id}").status_code == 404


def test_releasing_drafts_from_the_outbox_queues_them(client, cfp, organizer, speaker, make_proposal):
    proposal = make_proposal(speaker)
    change_status(proposal, "reject", organizer)
    db.session.commit()
    login(client, organizer)
    html = client.get("/doha/manage/outbox").get_data(as_text=True)
    assert "Release the draft" in html and "Rejection letters written" in html  # says what it releases
    letter = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_rejected"))
    assert "Release for sending" in client.get(f"/doha/manage/outbox/{letter.id}").get_data(as_text=True)
    post_form(client, "/doha/manage/outbox/release", {})
    db.session.refresh(letter)
    assert letter.state in (MailState.QUEUED, MailState.SENT)  # the mail worker sends what is queued


def test_a_draft_is_never_sent_by_the_queue_worker(cfp, organizer, speaker, make_proposal):
    from conference.mail.services import deliver, deliver_pending

    proposal = make_proposal(speaker)
    change_status(proposal, "accept", organizer)
    db.session.commit()
    deliver_pending(include_failed=True)
    letter = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_accepted"))
    assert deliver(letter) is None  # not claimed: a draft is not the worker's to send
    assert letter.state == MailState.DRAFT


def test_organizer_pages_render(client, cfp, organizer, reviewers, speaker, make_proposal):
    proposal = make_proposal(speaker, title="Helplines and the SDGs")
    assign_automatically(cfp, organizer)
    score_proposal(proposal, proposal.reviews[0].reviewer, 3, "Fine")
    db.session.commit()
    login(client, organizer)
    html = client.get("/doha/manage/proposals?sort=mean").get_data(as_text=True)
    assert "Helplines and the SDGs" in html and "Not finished" in html
    html = client.get(f"/doha/manage/proposals/{proposal.id}").get_data(as_text=True)
    assert "Fine" in html and "Score 3 of 5" in html
    assert "Proposal types" in client.get("/doha/manage/cfp").get_data(as_text=True)
    assert client.get("/doha/manage/proposals?status=nonsense&min_mean=9&track=x&sort=';drop").status_code == 200


def test_call_settings_are_saved(client, cfp, organizer):
    login(client, organizer)
    response = post_form(client, "/doha/manage/cfp", {"text_en": "Send us your talks", "text_ar": "أرسلوا مقترحاتكم",
                                                      "abstract_word_limit": "250", "reviewers_per_proposal": "3"})
    assert response.status_code == 302
    html = client.get("/doha/cfp?lang=ar").get_data(as_text=True)
    assert "أرسلوا مقترحاتكم" in html


def test_proposal_type_duration_is_edited(client, cfp, organizer):
    from conference.submissions.call import proposal_types

    talk = proposal_types(cfp)[0]
    login(client, organizer)
    post_form(client, f"/doha/manage/cfp/types/{talk.id}", {f"t{talk.id}-name_en": "Talk",
                                                            f"t{talk.id}-name_ar": "محاضرة",
                                                            f"t{talk.id}-duration_minutes": "25"})
    db.session.refresh(talk)
    assert talk.duration_minutes == 25
