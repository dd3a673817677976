"""Publishing: numbered versions, the changelog between them, and the e-mails about changes."""
from __future__ import annotations

import json
from datetime import time

import pytest
from sqlalchemy import select

from conference.agenda.models import AgendaVersion, Star
from conference.agenda.services import AgendaError, SessionData, delete_session, update_session
from conference.agenda.snapshot import Snapshot
from conference.agenda.versions import changelog, compare, publish_agenda, published
from conference.extensions import db
from conference.mail.models import OutboxMessage


def _publish(conference, organizer=None, **kwargs):
    version = publish_agenda(conference, organizer, **kwargs)
    db.session.commit()
    return version


def _move(venue, session, start, end, room=0, title=None):
    conference = venue["conference"]
    data = SessionData(title_en=title or session.title_en, day=conference.days[0], start=time.fromisoformat(start),
                       end=time.fromisoformat(end), room_id=venue["rooms"][room].id,
                       speaker_ids=[p.delegate_id for p in session.people if p.role == "speaker"])
    update_session(conference, session, data)
    db.session.commit()


def test_nothing_on_the_grid_cannot_be_published(venue):
    with pytest.raises(AgendaError, match="at least one session"):
        publish_agenda(venue["conference"], None)


def test_the_first_publication_is_version_one_and_freezes_the_sessions(venue, add_session, speakers):
    session = add_session("Opening ceremony", speaker_ids=[speakers[0].id])
    version = _publish(venue["conference"])
    assert version.number == 1
    content = json.loads(version.content)
    assert [s["title_en"] for s in content["sessions"]] == ["Opening ceremony"]
    assert content["sessions"][0]["speakers"][0]["name"] == "حمد بن سيف الحوسني"
    assert "email" not in json.dumps(content)
    session.title_en = "Changed in the working copy"
    db.session.commit()
    assert published(venue["conference"]).sessions[0].title_en == "Opening ceremony"


def test_open_warnings_need_a_confirmation(venue, add_session):
    add_session("A", start="09:00", end="10:00")
    add_session("B", start="09:30", end="10:30")
    with pytest.raises(AgendaError, match="warnings"):
        publish_agenda(venue["conference"], None)
    db.session.rollback()
    assert _publish(venue["conference"], warnings_seen=True).number == 1


def test_the_changelog_lists_added_cancelled_moved_and_renamed(venue, add_session):
    keep = add_session("Keynote", start="09:00", end="10:00")
    move = add_session("Panel", start="10:00", end="11:00")
    rename = add_session("Workshop", start="11:00", end="12:00")
    drop = add_session("Break", start="12:00", end="12:30")
    _publish(venue["conference"])
    _move(venue, move, "14:00", "15:00", room=1)
    _move(venue, rename, "11:00", "12:00", title="Hands-on workshop")
    delete_session(venue["conference"], drop)
    add_session("Closing", start="16:00", end="17:00")
    db.session.commit()
    _publish(venue["conference"])
    (latest, changes), (first, none) = changelog(venue["conference"])
    assert (latest.number, first.number, none) == (2, 1, [])
    assert sorted((c.kind, c.session.title_en) for c in changes) == [
        ("added", "Closing"), ("cancelled", "Break"), ("moved", "Panel"), ("retitled", "Hands-on workshop")]
    assert keep.id not in {c.session.id for c in changes}


def test_a_cancelled_session_stays_listed_as_cancelled(venue, add_session):
    drop = add_session("Break", start="12:00", end="12:30")
    add_session("Keynote")
    _publish(venue["conference"])
    delete_session(venue["conference"], drop)
    db.session.commit()
    _publish(venue["conference"])
    agenda = published(venue["conference"])
    assert [s.title_en for s in agenda.cancelled] == ["Break"]
    assert [s.title_en for s in agenda.sessions] == ["Keynote"]


def test_compare_before_any_version_is_empty():
    assert compare(None, Snapshot()) == []


def test_speakers_and_starrers_of_changed_sessions_get_one_mail_in_their_language(venue, add_session, speakers,
                                                                                  make_user):
    conference = venue["conference"]
    speakers[0].locale = "ar"
    session = add_session("Panel", start="10:00", end="11:00", speaker_ids=[speakers[0].id])
    untouched = add_session("Keynote", room=1, start="10:00", end="11:00", speaker_ids=[speakers[1].id])
    _publish(conference)
    fan = make_user("fan@example.org")
    fan.locale = "en"
    db.session.add(Star(conference_id=conference.id, user_id=fan.id, session_id=session.id))
    db.session.add(Star(conference_id=conference.id, user_id=fan.id, session_id=untouched.id))
    db.session.commit()
    assert db.session.query(OutboxMessage).count() == 0
    _move(venue, session, "15:00", "16:00")
    _publish(conference)
    mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "agenda_changed"))}
    assert set(mails) == {speakers[0].email, "fan@example.org"}
    assert mails[speakers[0].email].locale == "ar" and "جدول الأعمال" in mails[speakers[0].email].subject
    assert "Panel" in mails["fan@example.org"].body_text and "Keynote" not in mails["fan@example.org"].body_text


def test_a_republish_without_changes_is_refused_and_sends_nothing(venue, add_session, speakers):
    add_session("Panel", speaker_ids=[speakers[0].id])
    _publish(venue["conference"])
    with pytest.raises(AgendaError, match="Nothing has changed since version 1"):
        _publish(venue["conference"])
    db.session.rollback()
    assert db.session.query(AgendaVersion).count() == 1
    assert db.session.query(OutboxMessage).count() == 0


def test_a_change_of_speakers_only_can_be_published(venue, add_session, speakers):
    session = add_session("Panel", speaker_ids=[speakers[0].id])
    _publish(venue["conference"])
    conference = venue["conference"]
    update_session(conference, session, SessionData(title_en="Panel", day=conference.days[0], start=time(9),
                                                    end=time(10), room_id=venue["rooms"][0].id,
                                                    speaker_ids=[speakers[1].id]))
    assert _publish(conference).number == 2
    assert db.session.query(AgendaVersion).count() == 2
