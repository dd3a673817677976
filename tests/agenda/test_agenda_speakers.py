"""Speaker pages of the published agenda (with the call for proposals' profiles), and the now-and-next strip."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conference.agenda.models import AgendaSession
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from conference.submissions.models import SpeakerProfile


def _publish(venue, add_session, speakers):
    add_session("Oman's child protection hotline", speaker_ids=[speakers[0].id], chair_id=speakers[2].id)
    db.session.add(
        SpeakerProfile(
            conference_id=venue["conference"].id,
            user_id=speakers[0].user_id,
            name="حمد بن سيف الحوسني",
            name_latin="Hamad bin Saif Al-Housni",
            name_ar="حمد بن سيف الحوسني",
            bio_en="Works on child protection in Oman.",
            bio_ar="يعمل في حماية الطفل في سلطنة عمان.",
            organization="Ministry of Social Development",
            country="OM",
            photo=b"\xff\xd8\xff\xe0jpeg-bytes",
        )
    )
    db.session.commit()
    publish_agenda(venue["conference"], None)
    db.session.commit()


def test_the_speakers_page_lists_people_of_the_published_agenda(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    html = client.get("/doha/speakers?lang=en").get_data(as_text=True)
    assert "Hamad bin Saif Al-Housni" in html and "Youssef Benali" in html
    assert "Charlotte Evans" not in html  # not on the agenda
    assert "@example.org" not in html


def test_a_speaker_page_in_both_languages(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    english = client.get(f"/doha/speakers/{speakers[0].id}?lang=en").get_data(as_text=True)
    arabic = client.get(f"/doha/speakers/{speakers[0].id}?lang=ar").get_data(as_text=True)
    assert "Works on child protection in Oman." in english and "Oman&#39;s child protection hotline" in english
    assert "يعمل في حماية الطفل في سلطنة عمان." in arabic and "حمد بن سيف الحوسني" in arabic


def test_someone_not_on_the_agenda_has_no_page_and_no_photo(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    assert client.get(f"/doha/speakers/{speakers[1].id}").status_code == 404
    assert client.get(f"/doha/speakers/{speakers[1].id}/photo.jpg").status_code == 404


def test_the_photo_is_served_for_a_speaker_on_the_agenda(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    response = client.get(f"/doha/speakers/{speakers[0].id}/photo.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data == b"\xff\xd8\xff\xe0jpeg-bytes"


def test_a_speaker_without_a_photo_has_none(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    assert client.get(f"/doha/speakers/{speakers[2].id}/photo.jpg").status_code == 404


def test_now_and_next_during_the_conference(client, make_conference, make_delegate):
    from conference.events.services import add_room

    today = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=3))).date()
    conference = make_conference("live", start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
    room = add_room(conference, "Main Hall", "القاعة الرئيسية", 100)
    db.session.flush()
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    for title, start, end in (("Running now", now - timedelta(minutes=10), now + timedelta(minutes=20)),
                              ("Coming next", now + timedelta(minutes=30), now + timedelta(minutes=60)),
                              ("Later still", now + timedelta(minutes=90), now + timedelta(minutes=120))):
        db.session.add(AgendaSession(conference_id=conference.id, title_en=title, room_id=room.id, starts_at=start,
                                     ends_at=end, duration_minutes=30, people=[]))
    db.session.flush()
    publish_agenda(conference, None)
    db.session.commit()
    html = client.get("/live/agenda?lang=en").get_data(as_text=True)
    strip = html.split('class="now-next', 1)[1].split("</section>", 1)[0]
    assert "Running now" in strip and "Coming next" in strip and "Later still" not in strip


def test_no_now_and_next_before_the_conference(client, venue, add_session, speakers):
    _publish(venue, add_session, speakers)
    assert 'class="now-next' not in client.get("/doha/agenda").get_data(as_text=True)


