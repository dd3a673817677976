"""The signals one area sends for others (core.signals): declared once, connected by every application, and backed
by the database where a receiver missing would lose data."""
from __future__ import annotations

from datetime import time

import pytest
from blinker import NamedSignal
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from conference import create_app
from conference.agenda.models import AgendaSession
from conference.agenda.services import SessionData, create_session
from conference.core import signals
from conference.events.models import Room, Track
from conference.events.services import add_room, add_track, delete_room
from conference.extensions import db
from conference.submissions.models import Proposal, ProposalType
from tests.conftest import app_config


def _receiver_modules(signal) -> set[str]:
    return {receiver.__module__ for receiver in signal.receivers_for(object())}


@pytest.mark.parametrize("signal", list(signals.RECEIVERS), ids=lambda signal: signal.name)
def test_every_declared_receiver_is_connected(app, signal):
    assert set(signals.RECEIVERS[signal]) <= _receiver_modules(signal)


def test_every_signal_sent_between_areas_is_declared_in_core():
    declared = {value for value in vars(signals).values() if isinstance(value, NamedSignal)}
    assert declared == set(signals.RECEIVERS) == set(signals.signals.values())
    assert all(signal.__doc__ for signal in declared)


def test_a_second_application_connects_each_receiver_once(app, database_url):
    before = {signal: len(signal.receivers) for signal in signals.RECEIVERS}
    create_app(app_config(database_url))
    assert {signal: len(signal.receivers) for signal in signals.RECEIVERS} == before


@pytest.fixture
def room_with_session(doha):
    room = add_room(doha, "Main Hall", "القاعة الرئيسية", 400)
    db.session.flush()
    create_session(doha, SessionData(title_en="Opening", day=doha.days[0], start=time(9), end=time(10),
                                     room_id=room.id))
    db.session.commit()
    return room


def test_without_its_receivers_a_room_in_use_is_still_not_deleted(app, room_with_session):
    """Had the agenda's receiver not been connected, the database refuses: the session keeps its room."""
    with signals.room_in_use.muted(), pytest.raises(IntegrityError):
        delete_room(room_with_session)
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count(AgendaSession.id)).where(
        AgendaSession.room_id == room_with_session.id)) == 1


def test_the_database_refuses_to_delete_a_track_that_proposals_use(doha):
    track = add_track(doha, "Child protection", "حماية الطفل")
    kind = ProposalType(conference_id=doha.id, name_en="Talk", duration_minutes=20)
    db.session.add(kind)
    db.session.flush()
    db.session.add(Proposal(conference_id=doha.id, title="Hotlines", proposal_type_id=kind.id, track_id=track.id))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(delete(Track).where(Track.id == track.id))
        db.session.commit()
    db.session.rollback()


def test_a_conference_with_rooms_in_use_can_still_be_deleted_whole(doha, room_with_session):
    """The check is at the end of the statement: the cascade removes the sessions and the rooms together."""
    from conference.events.models import Conference

    db.session.execute(delete(Conference).where(Conference.id == doha.id))
    db.session.commit()
    assert db.session.scalar(select(func.count(Room.id))) == 0
