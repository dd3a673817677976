"""Co-speaker invitations are bound to the invited address: another account holding the link cannot accept them."""
from __future__ import annotations

import base64
import html
import re

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from conference.accounts.invitations import mask_email
from conference.events.models import Conference
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.mail.services import release_drafts
from conference.registration.models import Delegate
from conference.submissions.errors import SubmissionError
from conference.submissions.models import ProposalSpeaker
from conference.submissions.workflow import change_status
from conference.submissions.writing import INVITATION_SALT, accept_invitation, invitation_for_token
from tests.conftest import PASSWORD, login, post_form, quick_user

LINK = re.compile(r"/doha/cfp/invitation/([A-Za-z0-9._\-]+)")


@pytest.fixture
def invited(make_proposal, speaker):
    """A submitted proposal whose co-speaker amina@example.org has been invited (and has no account yet)."""
    return make_proposal(speaker, co_speakers=["amina@example.org"])


@pytest.fixture
def confirmed(invited, organizer, speaker, cfp):
    """The same proposal accepted and confirmed by its first speaker: joining it now registers the co-speaker."""
    change_status(invited, "accept", organizer)
    release_drafts(cfp.id)
    change_status(invited, "confirm", speaker)
    db.session.commit()
    return invited


def mailed_path() -> str:
    """The invitation link as the co-speaker received it by e-mail."""
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation")
                              .order_by(OutboxMessage.id.desc())).first()
    return LINK.search(mail.body_text).group(0)


def co_speaker_row(proposal) -> tuple:
    """What accepting would change: the co-speaker's account and acceptance time."""
    row = db.session.scalar(select(ProposalSpeaker).where(ProposalSpeaker.proposal_id == proposal.id,
                                                          ProposalSpeaker.email == "amina@example.org"))
    db.session.refresh(row)
    return row.user_id, row.accepted_at


def delegates() -> int:
    return db.session.scalar(select(func.count(Delegate.id)))


# --- the address mask ---

@pytest.mark.parametrize("email,masked", [
    ("layla@example.org", "l***@example.org"),
    ("a@example.org", "a***@example.org"),
    ("not-an-address", "***"),
    ("", "***"),
], ids=["address", "one-letter", "no-at-sign", "empty"])
def test_an_address_is_masked_to_its_first_letter_and_domain(email, masked):
    assert mask_email(email) == masked


# --- services ---

def test_another_account_cannot_accept_and_nothing_changes(invited, make_user):
    intruder = make_user("intruder@example.org")
    with pytest.raises(SubmissionError, match=r"sent to \u2068a\*\*\*@example\.org\u2069; log in with that address"):
        accept_invitation(invited.speakers[1], intruder)
    db.session.rollback()
    assert co_speaker_row(invited) == (None, None)


def test_another_account_cannot_join_a_confirmed_proposal_nor_be_registered(confirmed, make_user):
    delegates_before = delegates()
    intruder = make_user("intruder@example.org")
    with pytest.raises(SubmissionError, match="log in with that address"):
        accept_invitation(confirmed.speakers[1], intruder)
    db.session.rollback()
    assert co_speaker_row(confirmed) == (None, None) and delegates() == delegates_before


def test_the_invited_address_accepts_whatever_its_case(invited, app):
    legacy = quick_user("amina@example.org")
    legacy.email = "Amina@Example.ORG"  # an account row from before addresses were stored in lower case
    db.session.commit()
    accept_invitation(invited.speakers[1], legacy)
    db.session.commit()
    assert co_speaker_row(invited)[0] == legacy.id


def test_the_invited_address_joining_a_confirmed_proposal_is_registered(confirmed, make_user):
    amina = make_user("amina@example.org")
    accept_invitation(confirmed.speakers[1], amina)
    db.session.commit()
    assert co_speaker_row(confirmed)[0] == amina.id
    assert db.session.scalar(select(Delegate).where(Delegate.user_id == amina.id)) is not None


def conference_of(proposal):
    return db.session.get(Conference, proposal.conference_id)


def test_the_link_does_not_carry_the_address(invited):
    token = mailed_path().rsplit("/", 1)[1]
    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"amina" not in decoded and invitation_for_token(conference_of(invited), token) == invited.speakers[1]


def test_a_link_mailed_before_the_address_was_digested_still_works(invited, app):
    speaker = invited.speakers[1]
    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=INVITATION_SALT).dumps([speaker.id, speaker.email])
    assert invitation_for_token(conference_of(invited), old) == speaker


# --- pages ---

def test_another_account_is_shown_whom_the_invitation_is_for(client, invited, make_user):
    path = mailed_path()
    login(client, make_user("intruder@example.org"))
    response = client.get(path)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "This invitation was sent to \u2068a***@example.org\u2069; log in with that address to accept it." in page
    assert "You are logged in as \u2068intruder@example.org\u2069." in page
    assert "amina@example.org" not in page and 'name="consent"' not in page
    assert f'href="/login?next={path}"' in page and 'href="/logout"' in page


def test_another_account_posting_the_form_changes_nothing(client, confirmed, make_user):
    path = mailed_path()
    delegates_before = delegates()
    login(client, make_user("intruder@example.org"))
    response = post_form(client, path, {"consent": "y"})
    assert response.status_code == 200 and "log in with that address" in response.get_data(as_text=True)
    assert co_speaker_row(confirmed) == (None, None) and delegates() == delegates_before


def test_the_refusal_in_arabic_reads_right_to_left(client, invited, make_user):
    path = mailed_path()
    login(client, make_user("intruder@example.org"))
    page = html.unescape(client.get(f"{path}?lang=ar").get_data(as_text=True))
    assert '<html lang="ar" dir="rtl">' in page
    assert "أُرسلت هذه الدعوة إلى \u2068a***@example.org\u2069" in page and "سجّل الدخول بذلك العنوان" in page


def test_another_account_logs_in_as_the_invited_one_and_accepts(client, invited, make_user):
    path = mailed_path()
    amina = make_user("amina@example.org")
    login(client, make_user("intruder@example.org"))
    response = post_form(client, f"/login?next={path}", {"email": "amina@example.org", "password": PASSWORD})
    assert response.headers["Location"] == path
    response = post_form(client, path, {"consent": "y"})
    assert response.headers["Location"].endswith("/doha/me/speaker-profile")
    assert co_speaker_row(invited)[0] == amina.id


def test_logged_out_the_link_asks_to_log_in_then_comes_back_and_accepts(client, confirmed, make_user):
    path = mailed_path()
    amina = make_user("amina@example.org")
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert "a***@example.org" in page and "amina@example.org" not in page
    assert f'href="/login?next={path}"' in page
    response = post_form(client, f"/login?next={path}", {"email": "amina@example.org", "password": PASSWORD})
    assert response.headers["Location"] == path
    assert 'name="consent"' in client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"consent": "y"})
    assert response.headers["Location"].endswith("/doha/me/speaker-profile")
    assert co_speaker_row(confirmed)[0] == amina.id
    assert db.session.scalar(select(Delegate).where(Delegate.user_id == amina.id)) is not None
