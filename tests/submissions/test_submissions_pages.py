"""The call for proposals through HTTP: the call, writing and submitting, invitations, profile, availability."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.mail.services import release_drafts
from conference.submissions.call import proposal_types
from conference.submissions.models import Proposal, ProposalStatus, SpeakerAvailability
from conference.submissions.workflow import change_status
from conference.submissions.writing import invitation_token
from tests.conftest import login, post_form

S = ProposalStatus


def _form(cfp, **fields):
    data = {"title": "Oman's child hotline: ten years of answering", "abstract": "What we learnt.",
            "proposal_type_id": str(proposal_types(cfp)[0].id), "track_id": str(cfp.tracks[0].id),
            "language": "both", "notes": "", "co_speakers": ""}
    data.update(fields)
    return data


def test_cfp_page_shows_the_call_and_how_to_get_an_account(client, cfp):
    html = client.get("/doha/cfp").get_data(as_text=True)
    assert "Talk" in html and "Child protection" in html and "Log in to submit" in html
    assert "sign up" in html


@pytest.mark.parametrize("opens,closes,text", [
    (timedelta(days=5), timedelta(days=20), "Not open yet"),
    (timedelta(days=-20), timedelta(days=-5), "Closed"),
], ids=["before-opening", "after-closing"])
def test_cfp_page_before_and_after(client, make_conference, opens, closes, text):
    now = datetime.now(timezone.utc)
    make_conference("doha", cfp_opens_at=now + opens, cfp_closes_at=now + closes)
    assert text in client.get("/doha/cfp").get_data(as_text=True)


def test_closed_call_shows_the_form_read_only_and_refuses_posts(client, make_conference, speaker):
    now = datetime.now(timezone.utc)
    make_conference("doha", cfp_opens_at=now - timedelta(days=20), cfp_closes_at=now - timedelta(days=1))
    login(client, speaker)
    html = client.get("/doha/cfp/new").get_data(as_text=True)
    assert "<fieldset disabled" in html and "read-only" in html
    response = post_form(client, "/doha/cfp/new", {"title": "Late", "abstract": "x", "language": "en"},
                         follow_redirects=True)
    assert "closed" in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_saving_a_draft_then_submitting(client, cfp, speaker):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, save_draft="1"))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == S.DRAFT and proposal.language == "both" and proposal.duration_minutes == 20
    response = post_form(client, f"/doha/me/proposals/{proposal.id}/submit", {})
    db.session.refresh(proposal)
    assert proposal.status == S.SUBMITTED
    assert "Submitted" in client.get(f"/doha/me/proposals/{proposal.id}").get_data(as_text=True)


def test_submitting_at_once_with_a_co_speaker_invites_them(client, cfp, speaker):
    login(client, speaker)
    post_form(client, "/doha/cfp/new", _form(cfp, submit_now="1", co_speakers="Amina@Example.org\n"))
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == S.SUBMITTED
    assert [s.email for s in proposal.speakers] == ["hamad@example.org", "amina@example.org"]
    invitation = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation"))
    assert invitation.recipient == "amina@example.org" and "/doha/cfp/invitation/" in invitation.body_text


@pytest.mark.parametrize("co_speakers,message", [
    ("not-an-address", "is not a valid e-mail address"),
    ("a@example.org\nA@example.org", "is listed twice"),
    ("hamad@example.org", "first speaker already"),
], ids=["invalid", "repeated", "own-address"])
def test_bad_co_speakers_are_refused_and_nothing_saved(client, cfp, speaker, co_speakers, message):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, co_speakers=co_speakers))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_abstract_over_the_limit_is_refused(client, cfp, speaker):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, abstract="كلمة " * 301))
    assert "the limit is 300" in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


@pytest.mark.parametrize("field,value", [("proposal_type_id", "999999"), ("track_id", "999999"), ("language", "fr")],
                         ids=["type", "track", "language"])
def test_tampered_choices_are_refused(client, cfp, speaker, field, value):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, **{field: value}))
    assert response.status_code == 200
    assert db.session.scalar(select(Proposal)) is None


@pytest.mark.parametrize("path", ["", "/edit", "/withdraw", "/confirm", "/decline"])
def test_another_speakers_proposal_is_not_found(client, make_proposal, speaker, make_user, path):
    proposal = make_proposal(speaker)
    login(client, make_user("other@example.org"))
    assert client.get(f"/doha/me/proposals/{proposal.id}{path}").status_code == 404


def test_editing_another_speakers_proposal_by_post_changes_nothing(client, cfp, make_proposal, speaker, make_user):
    proposal = make_proposal(speaker)
    login(client, make_user("other@example.org"))
    response = post_form(client, f"/doha/me/proposals/{proposal.id}/edit", _form(cfp, title="Hijacked"))
    assert response.status_code == 404
    db.session.refresh(proposal)
    assert proposal.title != "Hijacked"


def test_withdraw_asks_first_then_withdraws(client, make_proposal, speaker):
    proposal = make_proposal(speaker)
    login(client, speaker)
    assert "cannot be undone" in client.get(f"/doha/me/proposals/{proposal.id}/withdraw").get_data(as_text=True)
    post_form(client, f"/doha/me/proposals/{proposal.id}/withdraw", {})
    db.session.refresh(proposal)
    assert proposal.status == S.WITHDRAWN


def test_invitation_asks_to_log_in_then_accepts(client, make_proposal, speaker, make_user):
    proposal = make_proposal(speaker, co_speakers=["amina@example.org"])
    token = invitation_token(proposal.speakers[1])
    html = client.get(f"/doha/cfp/invitation/{token}").get_data(as_text=True)
    assert "Log in" in html and "next=" in html
    amina = make_user("amina@example.org", name="Amina")
    login(client, amina)
    response = post_form(client, f"/doha/cfp/invitation/{token}", {"consent": "y"})
    assert response.headers["Location"].endswith("/doha/me/speaker-profile")
    db.session.refresh(proposal)
    assert proposal.speakers[1].user_id == amina.id


def test_tampered_invitation_token_is_refused(client, cfp):
    assert client.get("/doha/cfp/invitation/forged.token.value").status_code == 404


def test_confirming_from_me_registers_the_speaker(client, make_proposal, speaker, organizer, cfp):
    proposal = make_proposal(speaker)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    db.session.commit()
    login(client, speaker)
    html = client.get("/doha/me").get_data(as_text=True)
    assert "Confirm that I will speak" in html and "not registered" in html
    response = post_form(client, f"/doha/me/proposals/{proposal.id}/confirm", {})
    assert response.status_code == 200  # the consent box is required
    post_form(client, f"/doha/me/proposals/{proposal.id}/confirm", {"consent": "y"})
    db.session.refresh(proposal)
    assert proposal.status == S.CONFIRMED
    html = client.get("/doha/me").get_data(as_text=True)
    assert "Speaker" in html and "Approved" in html


def test_availability_is_saved_in_the_conference_time_zone(client, cfp, speaker):
    login(client, speaker)
    day = cfp.start_date.isoformat()
    response = post_form(client, "/doha/me/availability", {
        "ranges-0-day": day, "ranges-0-starts": "09:00", "ranges-0-ends": "12:30"})
    assert response.status_code == 302
    [item] = db.session.scalars(select(SpeakerAvailability)).all()
    assert item.starts_at.astimezone(cfp.tz).hour == 9 and item.starts_at.hour == 6  # Doha is UTC+3
    assert "12:30" in client.get("/doha/me/availability").get_data(as_text=True)


@pytest.mark.parametrize("row,message", [
    ({"ranges-0-day": "2001-01-01", "ranges-0-starts": "09:00", "ranges-0-ends": "10:00"}, "conference days"),
    ({"ranges-0-day": "{day}", "ranges-0-starts": "11:00", "ranges-0-ends": "10:00"}, "must end after"),
    ({"ranges-0-day": "{day}", "ranges-0-starts": "09:00"}, "leave the row empty"),
], ids=["other-day", "backwards", "incomplete"])
def test_bad_availability_is_refused(client, cfp, speaker, row, message):
    login(client, speaker)
    data = {k: v.replace("{day}", cfp.start_date.isoformat()) for k, v in row.items()}
    response = post_form(client, "/doha/me/availability", data)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(SpeakerAvailability)) is None


def test_my_proposals_lists_own_and_profile_link(client, make_proposal, speaker):
    make_proposal(speaker, title="عنوان المقترح")
    login(client, speaker)
    html = client.get("/doha/me/proposals").get_data(as_text=True)
    assert "عنوان المقترح" in html and "Write my speaker profile" in html


def test_pages_in_arabic(client, make_proposal, speaker):
    make_proposal(speaker)
    login(client, speaker)
    html = client.get("/doha/cfp?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert re.search(r"[\u0600-\u06ff]", html)


@pytest.mark.parametrize(
    "account_locale,page_lang,expected",
    [(None, "ar", "ar"), ("ar", "en", "ar"), ("en", "ar", "en")],
    ids=["no-account-page-language", "account-arabic", "account-english"],
)
def test_invitation_is_written_in_the_invitees_language(client, cfp, speaker, make_user, account_locale, page_lang,
                                                         expected):
    if account_locale:
        invitee = make_user("amina@example.org")
        invitee.locale = account_locale
        db.session.commit()
    login(client, speaker)
    post_form(client, f"/doha/cfp/new?lang={page_lang}", _form(cfp, co_speakers="amina@example.org"))
    invitation = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation"))
    assert invitation.locale == expected
    assert ("أنت مدعو" in invitation.subject) == (expected == "ar")


def test_removing_a_co_speaker_on_edit_keeps_the_others(client, cfp, make_proposal, speaker):
    proposal = make_proposal(speaker, co_speakers=["a@example.org", "b@example.org"])
    login(client, speaker)
    response = post_form(client, f"/doha/me/proposals/{proposal.id}/edit", _form(cfp, co_speakers="b@example.org"))
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert [s.email for s in proposal.speakers] == [speaker.email, "b@example.org"]
    invitations = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation")).all()
    assert len(invitations) == 2  # nobody invited twice
