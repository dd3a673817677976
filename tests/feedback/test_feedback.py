"""Feedback on sessions: who may rate what and when, bad input, what speakers and organizers read."""
from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from conference.accounts.models import Role
from conference.agenda.models import AgendaSession, SessionPerson
from conference.checkin.models import CheckIn, SessionAttendance
from conference.events.models import Room, Track
from conference.extensions import db
from conference.feedback.models import SessionFeedback
from conference.feedback.services import (
    FeedbackError,
    NotAllowed,
    closes_at,
    save_feedback,
    session_summaries,
    track_summaries,
)
from tests.conftest import login, post_form

NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def scene(make_conference, make_delegate, make_user):
    """A conference on today, a session that started 30 minutes ago and one that starts in an hour; a delegate
    admitted today, one who was not, a speaker of the first session and an organizer."""
    today = NOW.astimezone(timezone(timedelta(hours=3))).date()
    conference = make_conference("feed", start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
    track = Track(conference_id=conference.id, name_en="Helplines", name_ar="خطوط المساعدة")
    room = Room(conference_id=conference.id, name_en="Main Hall", name_ar="القاعة الرئيسية", capacity=100)
    db.session.add_all([track, room])
    db.session.flush()
    started = AgendaSession(conference_id=conference.id, title_en="Opening", title_ar="الافتتاح", room_id=room.id,
                            track_id=track.id, starts_at=NOW - timedelta(minutes=30),
                            ends_at=NOW + timedelta(minutes=30))
    coming = AgendaSession(conference_id=conference.id, title_en="Closing", room_id=room.id,
                           starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=2))
    db.session.add_all([started, coming])
    attendee, absent, speaker = (make_delegate(conference, name=name) for name in ("Hamad", "Aisha", "Mona"))
    db.session.add(SessionPerson(session=started, delegate_id=speaker.id))
    for delegate in (attendee, speaker):
        db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id,
                               day=conference.local_date(NOW), at=NOW - timedelta(hours=1)))
    db.session.commit()
    return {"conference": conference, "started": started, "coming": coming, "attendee": attendee, "absent": absent,
            "speaker": speaker, "track": track, "room": room,
            "organizer": make_user("org@example.org", Role.ORGANIZER, conference)}


def account(delegate):
    from conference.accounts.models import User

    return db.session.get(User, delegate.user_id)


def count_feedback() -> int:
    return db.session.scalar(select(func.count()).select_from(SessionFeedback))


def test_an_attendee_rates_once_and_changes_it(scene):
    conference, session, user = scene["conference"], scene["started"], account(scene["attendee"])
    save_feedback(conference, user, session, 4, "Useful")
    save_feedback(conference, user, session, 5, "Very useful")
    db.session.commit()
    [feedback] = db.session.scalars(select(SessionFeedback)).all()
    assert (feedback.rating, feedback.comment) == (5, "Very useful")


@pytest.mark.parametrize("rating", [0, 6, -1, "abc", "4", None, 4.5, True])
def test_a_rating_outside_1_to_5_is_refused(scene, rating):
    with pytest.raises(FeedbackError):
        save_feedback(scene["conference"], account(scene["attendee"]), scene["started"], rating)
    assert count_feedback() == 0


def test_before_the_start_after_the_close_or_without_attending(scene):
    conference = scene["conference"]
    with pytest.raises(FeedbackError, match="opens when the session starts"):
        save_feedback(conference, account(scene["attendee"]), scene["coming"], 4)
    with pytest.raises(NotAllowed):
        save_feedback(conference, account(scene["absent"]), scene["started"], 4)
    late = closes_at(conference)
    assert late == datetime.combine(conference.end_date + timedelta(days=15), time(0), conference.tz)
    with pytest.raises(FeedbackError, match="closed"):
        save_feedback(conference, account(scene["attendee"]), scene["started"], 4, now=late)
    save_feedback(conference, account(scene["attendee"]), scene["started"], 4, now=late - timedelta(seconds=1))
    assert count_feedback() == 1


def test_when_the_room_was_scanned_only_those_recorded_there_may_rate(scene):
    conference, session = scene["conference"], scene["started"]
    db.session.add(SessionAttendance(conference_id=conference.id, delegate_id=scene["speaker"].id,
                                     session_id=session.id, room_id=scene["room"].id))
    db.session.commit()
    with pytest.raises(NotAllowed):  # admitted at the entrance, but not recorded in the room
        save_feedback(conference, account(scene["attendee"]), session, 4)
    save_feedback(conference, account(scene["speaker"]), session, 3)
    assert count_feedback() == 1


def test_summaries_per_session_and_track(scene, make_delegate):
    conference, session = scene["conference"], scene["started"]
    for rating in (5, 4, 4):
        delegate = make_delegate(conference)
        db.session.add(SessionFeedback(conference_id=conference.id, delegate_id=delegate.id, session_id=session.id,
                                       rating=rating))
    db.session.commit()
    rows = session_summaries(conference, "mean")
    assert rows[0].session == session
    summary = rows[0].summary
    assert (summary.count, round(summary.mean, 2), summary.distribution) == (3, 4.33, {1: 0, 2: 0, 3: 0, 4: 2, 5: 1})
    [(track, by_track), (no_track, empty)] = track_summaries(rows)
    assert (track, by_track.count, no_track, empty.count) == (scene["track"], 3, None, 0)


# ---- through HTTP ----

def test_the_page_and_its_bad_input(app, scene):
    client = app.test_client()
    login(client, account(scene["attendee"]))
    path = f"/feed/agenda/{scene['started'].id}/feedback"
    assert client.get(path).status_code == 200
    for rating in ("0", "6", "abc", "", "٤"):
        response = post_form(client, path, {"rating": rating, "comment": "x"})
        assert response.status_code == 400, rating
    assert post_form(client, path, {"rating": "4", "comment": "a\u202ebad"}).status_code == 400
    assert count_feedback() == 0
    response = post_form(client, path, {"rating": "4", "comment": "Clear and useful"})
    assert response.status_code == 302
    assert client.get(path).get_data(as_text=True).count('checked') >= 1
    # Before the session starts: a clear message, nothing written.
    early = post_form(client, f"/feed/agenda/{scene['coming'].id}/feedback", {"rating": "4"})
    assert early.status_code == 409 and "opens when the session starts" in early.get_data(as_text=True)
    assert count_feedback() == 1
    assert client.get("/feed/agenda/999999/feedback").status_code == 404


def test_not_attended_is_forbidden(app, scene):
    client = app.test_client()
    login(client, account(scene["absent"]))
    response = post_form(client, f"/feed/agenda/{scene['started'].id}/feedback", {"rating": "4"})
    assert response.status_code == 403 and count_feedback() == 0


def test_a_session_of_another_conference_is_not_found(app, scene, make_conference):
    other = make_conference("elsewhere")
    theirs = AgendaSession(conference_id=other.id, title_en="Theirs", starts_at=NOW - timedelta(hours=1),
                           ends_at=NOW)
    db.session.add(theirs)
    db.session.commit()
    client = app.test_client()
    login(client, account(scene["attendee"]))
    assert post_form(client, f"/feed/agenda/{theirs.id}/feedback", {"rating": "4"}).status_code == 404
    assert count_feedback() == 0


def test_speakers_read_comments_without_names(app, scene):
    save_feedback(scene["conference"], account(scene["attendee"]), scene["started"], 2, "Too fast")
    db.session.commit()
    client = app.test_client()
    login(client, account(scene["speaker"]))
    page = client.get("/feed/me/feedback").get_data(as_text=True)
    assert "Too fast" in page and "Hamad" not in page and "Opening" in page


def test_organizers_read_everything_sorted_and_as_csv(app, scene):
    save_feedback(scene["conference"], account(scene["attendee"]), scene["started"], 5, "=cmd|' /C calc'!A0")
    db.session.commit()
    client = app.test_client()
    login(client, scene["organizer"])
    for sort in ("time", "title", "count", "mean", "nonsense"):
        assert client.get(f"/feed/manage/feedback?sort={sort}").status_code == 200
    detail = client.get(f"/feed/manage/feedback/{scene['started'].id}").get_data(as_text=True)
    assert "Hamad" in detail
    response = client.get("/feed/manage/feedback.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "Opening" and rows[1][3] == "5" and rows[1][4].startswith("'=")


def test_nothing_is_public(app, scene):
    save_feedback(scene["conference"], account(scene["attendee"]), scene["started"], 2, "Secret words")
    db.session.commit()
    client = app.test_client()
    for path in ("/feed/manage/feedback", "/feed/me/feedback", f"/feed/agenda/{scene['started'].id}/feedback"):
        response = client.get(path)
        assert response.status_code == 302 and "Secret words" not in response.get_data(as_text=True)


def count_queries(client, path: str) -> int:
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_organizers_page_reads_as_many_queries_at_30_ratings_as_at_3(app, scene, make_delegate):
    conference, session = scene["conference"], scene["started"]
    client = app.test_client()
    login(client, scene["organizer"])
    counts = []
    for n in (3, 30):
        for _ in range(n - (3 if counts else 0)):
            delegate = make_delegate(conference)
            db.session.add(SessionFeedback(conference_id=conference.id, delegate_id=delegate.id,
                                           session_id=session.id, rating=3))
        db.session.commit()
        client.get("/feed/manage/feedback")
        counts.append(count_queries(client, "/feed/manage/feedback"))
    assert counts[0] == counts[1]


def test_a_person_s_data_download_holds_their_attendance_and_ratings(app, scene):
    save_feedback(scene["conference"], account(scene["attendee"]), scene["started"], 4, "Mine")
    db.session.commit()
    client = app.test_client()
    login(client, account(scene["attendee"]))
    data = client.get("/feed/me/data").get_json()
    assert [day["gate"] for day in data["attendance"]["days"]] == [""]
    assert data["feedback"][0]["comment"] == "Mine" and data["feedback"][0]["rating"] == 4
