"""The compose page, the message page and the history through HTTP: what organizers see and what they cannot break."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from conference.core.tasks import run_pending
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.messages.models import Message, MessageState
from tests.conftest import csrf_token, login

NEW = "/doha/manage/messages/new"


@pytest.fixture
def signed_in(client, organizer):
    login(client, organizer)
    return client


@pytest.fixture
def omanis(doha, make_delegate):
    return [make_delegate(doha, "Hamad Al-Housni", email="hamad@example.org"),
            make_delegate(doha, "ليلى الهاشمي", email="layla@example.org", locale="ar"),
            make_delegate(doha, "From Qatar", country="QA", email="qatar@example.org")]


def post(client, data: dict, path: str = NEW):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "form_token": "page-form", **data})


MESSAGE = {"kind": "delegates", "status": "approved", "country": "OM", "subject_en": "Hello {first_name}",
           "body_en": "See you in {conference}.", "subject_ar": "مرحباً {first_name}", "body_ar": "نراكم قريباً."}


def test_the_delegates_table_filters_are_the_starting_audience(signed_in, omanis):
    page = signed_in.get(NEW + "?status=approved&country=OM").get_data(as_text=True)
    assert "2 recipients." in page
    assert "hamad@example.org" in page and "qatar@example.org" not in page
    assert re.search(r'<option selected value="OM">|<option value="OM" selected>', page)


def test_send_redirects_to_the_message_and_a_double_submit_sends_once(signed_in, omanis, smtp_server):
    first = post(signed_in, {**MESSAGE, "send": "1"})
    assert first.status_code == 302
    message = db.session.scalar(select(Message))
    assert first.headers["Location"].endswith(f"/doha/manage/messages/{message.id}")
    second = post(signed_in, {**MESSAGE, "send": "1"})  # the same form, clicked again
    assert second.headers["Location"] == first.headers["Location"]
    run_pending()
    db.session.expire_all()  # the worker wrote in its own session; a request starts afresh
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == ["hamad@example.org", "layla@example.org"]
    page = signed_in.get(first.headers["Location"]).get_data(as_text=True)
    assert 'data-count="sent">2<' in page
    progress = signed_in.get(first.headers["Location"] + "/progress").get_json()
    assert progress == {"state": "queued", "state_title": "Queued for delivery", "queued": 0, "sent": 2,
                        "failed": 0, "done": True, "recipients": 2}
    history = signed_in.get("/doha/manage/messages").get_data(as_text=True)
    assert "Hello {first_name}" in history and "Noor Organizer" in history
    outbox = signed_in.get(f"/doha/manage/outbox?message={message.id}").get_data(as_text=True)
    assert "Hello Hamad" in outbox and "layla@example.org" in outbox


def test_preview_shows_the_mail_as_it_will_be_sent(signed_in, omanis):
    page = post(signed_in, {**MESSAGE, "preview": "1", "preview_for": "layla@example.org"}).get_data(as_text=True)
    assert "Preview for layla@example.org" in page and "مرحباً ليلى" in page
    assert "Preview for hamad@example.org" in page and "Hello Hamad" in page  # one per language
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_send_a_test_to_me(signed_in, omanis, organizer):
    post(signed_in, {**MESSAGE, "test": "1"})
    tests = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == organizer.email)).all()
    assert sorted(t.locale for t in tests) == ["ar", "en"]
    assert all(t.subject.startswith("[Test]") for t in tests)
    assert db.session.scalar(select(func.count(Message.id))) == 0


@pytest.mark.parametrize("change, says", [
    ({"subject_en": "Hi\r\nBcc: everyone@example.org"}, "A subject is one line."),
    ({"body_en": "Hello {nmae}"}, "Unknown placeholder {nmae}"),
    ({"body_en": "About {proposal_title}"}, "cannot be filled in for delegates"),
    ({"country": "ZZ"}, "Nobody is in this audience"),
    ({"delegation": "999999"}, "not part of this conference"),
    ({"delegation": str(2**64)}, ""),
    ({"status": "bogus"}, ""),
    ({"send_at": "2001-01-01T10:00"}, "The time to send is in the past."),
    ({"body_en": "x" * 1_000_000}, ""),
    ({"checked_in_on": "9999-12-31"}, ""),
])
def test_bad_input_is_a_clear_message_and_sends_nothing(signed_in, omanis, change, says):
    response = post(signed_in, {**MESSAGE, **change, "send": "1"})
    assert response.status_code in (200, 413)
    if says:
        assert says in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_html_in_any_field_is_escaped_on_the_pages(signed_in, omanis):
    evil = "<script>alert(1)</script>"
    page = post(signed_in, {**MESSAGE, "subject_en": evil, "body_en": evil, "preview": "1"}).get_data(as_text=True)
    assert evil not in page
    post(signed_in, {**MESSAGE, "subject_en": evil, "body_en": evil, "send": "1"})
    message = db.session.scalar(select(Message))
    for path in ("/doha/manage/messages", f"/doha/manage/messages/{message.id}"):
        assert evil not in signed_in.get(path).get_data(as_text=True)


def test_scheduled_message_is_cancelled_from_its_page(signed_in, omanis):
    response = post(signed_in, {**MESSAGE, "send_at": "2099-01-01T10:00", "send": "1"})
    message = db.session.scalar(select(Message))
    assert message.state == MessageState.WAITING
    assert message.send_at.isoformat().startswith("2099-01-01T07:00")  # 10:00 in Qatar is 07:00 UTC
    path = response.headers["Location"]
    signed_in.post(path + "/cancel", data={"csrf_token": csrf_token(signed_in, path)})
    db.session.refresh(message)
    assert message.state == MessageState.CANCELLED


def test_every_mail_of_a_delegate_is_on_their_page(signed_in, omanis, doha):
    post(signed_in, {**MESSAGE, "send": "1"})
    run_pending()
    page = signed_in.get(f"/doha/manage/delegates/{omanis[0].id}").get_data(as_text=True)
    assert "E-mails to this person" in page and "Hello Hamad" in page


def test_every_mail_of_a_speaker_is_on_their_proposal_page(signed_in, doha, make_user, organizer):
    from conference.messages.audiences import Audience
    from conference.messages.services import Draft, create_message
    from tests.messages.test_messages_audiences import proposal

    item = proposal(doha, make_user("speaker@example.org"), "accepted", title="Helplines <b>now</b>")
    create_message(doha, organizer, Draft(subject_en="Please confirm {proposal_title}", body_en="Thanks."),
                   Audience(kind="speakers", proposal_state="accepted"), "speakers")
    db.session.commit()
    run_pending()
    page = signed_in.get(f"/doha/manage/proposals/{item.id}").get_data(as_text=True)
    assert "E-mails to the speakers" in page and "Please confirm Helplines &lt;b&gt;now&lt;/b&gt;" in page


def test_the_organizers_address_is_a_setting(signed_in, doha):
    from tests.events.test_events import conference_form

    response = post(signed_in, conference_form(slug="doha", contact_email="team@doha.example.org"),
                    "/doha/manage/settings")
    assert response.status_code == 302
    db.session.refresh(doha)
    assert doha.contact_email == "team@doha.example.org"
    page = post(signed_in, conference_form(slug="doha", contact_email="not an address"), "/doha/manage/settings")
    assert page.status_code == 200
    db.session.refresh(doha)
    assert doha.contact_email == "team@doha.example.org"
