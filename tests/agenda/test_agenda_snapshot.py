"""The published snapshot as frozen data: a version stored in the first shape reads as it was, and JSON round trips."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from conference import create_app
from conference.agenda import snapshot as snapshots
from conference.agenda.models import INTERPRETATION, LANGUAGES, AgendaVersion, SessionKind
from conference.agenda.snapshot import (
    SCHEMA,
    PublishedPerson,
    PublishedRoom,
    PublishedSession,
    PublishedTrack,
    Snapshot,
)
from conference.agenda.versions import publish_agenda, published, read_version, snapshot_text
from conference.extensions import db
from tests.conftest import OLD_CONFERENCE, app_config, insert_rows

# Version 2 of a small agenda exactly as the code before agenda_versions.content_schema wrote it: two days, a
# ceremony with a chair, a panel with speakers and a moderator, an Arabic-only talk, and a cancelled coffee break.
FIRST_SHAPE = (Path(__file__).parent / "snapshots" / "schema1.json").read_text(encoding="utf-8")
UTC = timezone.utc


@pytest.fixture
def doha_in_january(make_conference):
    """The conference the stored version was published for (its days are the snapshot's)."""
    return make_conference("doha", start_date=date(2027, 1, 6), end_date=date(2027, 1, 7))


def _store(conference) -> AgendaVersion:
    """The stored version as it was before the schema number existed (the column's default numbers it)."""
    version = AgendaVersion(conference_id=conference.id, number=2, published_at=datetime(2026, 12, 1, tzinfo=UTC),
                            content=FIRST_SHAPE)
    db.session.add(version)
    db.session.flush()
    conference.agenda_version_id = version.id  # as migration 0025 left every conference published before it
    db.session.commit()
    return version


def test_a_version_in_the_first_shape_reads_as_it_was(doha_in_january):
    version = _store(doha_in_january)
    assert version.content_schema == 1
    agenda = published(doha_in_january)
    assert [s.id for s in agenda.sessions] == [1, 2, 4] and [s.title_en for s in agenda.cancelled] == ["Coffee"]
    opening, panel, oman = agenda.sessions
    assert (opening.title_en, opening.title_ar, opening.kind) == ("Opening ceremony", "حفل الافتتاح", "ceremony")
    assert opening.starts_at == datetime(2027, 1, 6, 6, tzinfo=UTC)  # 09:00 in Doha
    assert opening.ends_at == datetime(2027, 1, 6, 7, tzinfo=UTC)
    assert opening.description_ar == "كلمة ترحيب.\nالبلد المضيف يفتتح المؤتمر."
    assert (opening.language, opening.interpretation) == ("both", "both")
    assert opening.chair.name_latin == "Hamad bin Saif Al-Housni" and opening.chair.country == "OM"
    assert (opening.room.name_ar, opening.track.name_en) == ("القاعة الرئيسية", "Child protection")
    assert [p.name for p in panel.speakers] == ["Charlotte Evans", "Youssef Benali"]
    assert [p.name for p in panel.moderators] == ["حمد بن سيف الحوسني"] and panel.chair is None
    assert (panel.room.name_en, panel.track.colour, panel.interpretation) == ("Workshop Room 1", "#b91c1c", "en")
    assert (oman.title_en, oman.title_ar, oman.track_id, oman.track) == ("", "خطوط نجدة الطفل في عُمان", None, None)
    assert agenda.cancelled[0].room.name_en == "Main Hall"
    assert [r.capacity for r in agenda.rooms] == [400, 120, 60, 10]
    assert sorted(agenda.people()) == [1, 2, 3] and [s.id for s in agenda.sessions_of(1)] == [1, 2, 4]
    # Written back, it is the text that was stored: nothing in today's shape was lost or added.
    assert snapshot_text(agenda.snapshot) == FIRST_SHAPE.rstrip("\n")


def test_the_public_pages_read_a_version_in_the_first_shape(client, doha_in_january):
    _store(doha_in_january)
    opening = client.get("/doha/agenda/1?lang=ar").get_data(as_text=True)
    assert "حفل الافتتاح" in opening and "حمد بن سيف الحوسني" in opening and "القاعة الرئيسية" in opening
    assert "This session has been cancelled." in client.get("/doha/agenda/3?lang=en").get_data(as_text=True)
    day = client.get("/doha/agenda?lang=en&day=2027-01-06").get_data(as_text=True)
    assert "Helplines in emergencies" in day and "Workshop Room 1" in day
    schedule = client.get("/doha/schedule.json?lang=en").get_json()
    events = [e for d in schedule["schedule"]["conference"]["days"] for room in d["rooms"].values() for e in room]
    assert sorted(e["title"] for e in events) == ["Helplines in emergencies", "Opening ceremony",
                                                  "خطوط نجدة الطفل في عُمان"]
    assert client.get("/doha/speakers/3?lang=en").status_code == 200


def test_migration_0018_numbers_the_versions_already_published(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0017")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", {**OLD_CONFERENCE, "start_date": "2027-01-06", "end_date": "2027-01-07",
                                              "agenda_published": True, "changeover_minutes": 0})
            conn.execute(text("INSERT INTO agenda_versions (id, conference_id, number, published_at, note, content) "
                              "VALUES (1, 1, 1, '2026-12-01 00:00:00', '', :content)"), {"content": FIRST_SHAPE})
        upgrade(revision="0018")
        version = db.session.get(AgendaVersion, 1)
        schema, titles = version.content_schema, [s.title_en for s in read_version(version).sessions]
        db.session.remove()
        db.engine.dispose()
    assert schema == 1 and titles == ["Opening ceremony", "Helplines in emergencies", ""]


def test_publishing_stores_the_schema_it_writes(venue, add_session, speakers):
    add_session("Opening", speaker_ids=[speakers[0].id])
    version = publish_agenda(venue["conference"], None)
    assert version.content_schema == SCHEMA
    assert Snapshot.from_json(json.loads(version.content)) == read_version(version)


def test_a_schema_newer_than_the_code_is_refused():
    with pytest.raises(ValueError, match="schema 2"):
        Snapshot.from_json(json.loads(FIRST_SHAPE), SCHEMA + 1)


def test_an_older_schema_goes_through_each_upgrade_step(monkeypatch):
    monkeypatch.setattr(snapshots, "SCHEMA", 3)
    monkeypatch.setitem(snapshots.UPGRADES, 1, lambda data: {**data, "tracks": []})
    monkeypatch.setitem(snapshots.UPGRADES, 2, lambda data: {**data, "cancelled": data["cancelled"] * 2})
    read = Snapshot.from_json(json.loads(FIRST_SHAPE), 1)
    assert read.tracks == () and [s.title_en for s in read.cancelled] == ["Coffee", "Coffee"]
    assert read.sessions[0].track is None  # the sessions were linked to the upgraded tracks
    assert len(Snapshot.from_json(json.loads(FIRST_SHAPE), 2).tracks) == 2  # from schema 2, only the second step


ids = st.integers(min_value=1, max_value=2**31 - 1)
words = st.text(max_size=12)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
people = st.builds(PublishedPerson, id=ids, user_id=ids, name=words, name_latin=words, name_ar=words,
                   organization=words, country=st.text(max_size=2))


@st.composite
def snapshots_of(draw) -> Snapshot:
    """Snapshots whose sessions mostly sit in their own rooms and tracks (some in ones gone since)."""
    rooms = draw(st.lists(st.builds(PublishedRoom, id=ids, name_en=words, name_ar=words,
                                    capacity=st.none() | st.integers(0, 100_000)), max_size=3))
    tracks = draw(st.lists(st.builds(PublishedTrack, id=ids, name_en=words, name_ar=words, colour=words), max_size=3))
    room_ids = st.sampled_from([r.id for r in rooms]) | ids if rooms else ids
    track_ids = st.none() | (st.sampled_from([t.id for t in tracks]) if tracks else ids)
    sessions = st.builds(
        PublishedSession, id=ids, uid=st.uuids().map(str), title_en=words, title_ar=words, description_en=words,
        description_ar=words, kind=st.sampled_from([k.value for k in SessionKind]), starts_at=moments,
        ends_at=moments, room_id=room_ids, track_id=track_ids, language=st.sampled_from(LANGUAGES),
        interpretation=st.sampled_from(INTERPRETATION), proposal_id=st.none() | ids,
        chair=st.none() | people, speakers=st.lists(people, max_size=3).map(tuple),
        moderators=st.lists(people, max_size=2).map(tuple))
    return Snapshot(rooms=tuple(rooms), tracks=tuple(tracks), sessions=tuple(draw(st.lists(sessions, max_size=4))),
                    cancelled=tuple(draw(st.lists(sessions, max_size=2))))


@settings(max_examples=150, deadline=None)
@given(snapshots_of())
def test_a_snapshot_reads_back_from_its_json_unchanged(snapshot):
    stored = snapshot_text(snapshot)
    again = Snapshot.from_json(json.loads(stored), SCHEMA)
    assert again == snapshot and snapshot_text(again) == stored
    rooms, tracks = {r.id: r for r in again.rooms}, {t.id: t for t in again.tracks}
    for session in again.sessions + again.cancelled:
        assert session.room == rooms.get(session.room_id) and session.track == tracks.get(session.track_id)
