"""The placement assistant: its proposals are checked by the agenda's own conflict checks, not by the solver."""
from __future__ import annotations

from datetime import time

from conference.agenda import placement
from conference.agenda.assistant import accept_placement, parse_item, propose_placement
from conference.agenda.services import SessionData, create_session, working_sessions
from conference.extensions import db
from tests.agenda.placement_cases import accept_all, available, confirmed_proposal, warnings_now


def _unplaced(conference, title: str, minutes: int = 60, **fields):
    session = create_session(conference, SessionData(title_en=title, duration_minutes=minutes, **fields))
    db.session.commit()
    return session


def test_a_proposal_places_everything_without_a_conflict(venue, speakers, add_session):
    conference = venue["conference"]
    conference.changeover_minutes = 15
    hamad, charlotte, youssef = speakers
    add_session("Opening", speaker_ids=[hamad.id], kind="ceremony")
    add_session("Coffee", room=0, start="10:30", end="11:00", kind="break")
    for n in range(3):
        confirmed_proposal(conference, f"Helplines {n}", [hamad, charlotte], 60, venue["tracks"][0])
    confirmed_proposal(conference, "Emergencies", [youssef, hamad], 90, venue["tracks"][1])
    _unplaced(conference, "Data workshop", 90, speaker_ids=[charlotte.id], moderator_ids=[youssef.id],
              expected_audience=100)
    proposal = propose_placement(conference, time_limit=5)
    assert proposal.left_out == [] and len(proposal.items) == 5
    assert all(item.is_new for item in proposal.items)
    outcome = accept_all(conference, proposal)
    assert (outcome.applied, outcome.refused) == (5, [])
    assert all(s.placed for s in working_sessions(conference))
    assert warnings_now(conference) == []  # rooms, people with the 15-minute change-over, capacity, availability


def test_pinned_sessions_never_move(venue, speakers, add_session):
    conference = venue["conference"]
    hamad = speakers[0]
    pinned = add_session("Pinned talk", room=3, start="09:00", end="10:00", speaker_ids=[hamad.id],
                         expected_audience=10)
    pinned.pinned = True
    loose = add_session("Loose talk", room=3, start="09:00", end="10:00", speaker_ids=[hamad.id],
                        expected_audience=10)  # a clash the assistant resolves by moving the other one
    db.session.commit()
    before = (pinned.room_id, pinned.starts_at)
    proposal = propose_placement(conference, move_placed=True, time_limit=5)
    assert [item.key for item in proposal.items] == [f"s{loose.id}"]
    accept_all(conference, proposal)
    assert (pinned.room_id, pinned.starts_at) == before
    assert warnings_now(conference) == []


def test_breaks_and_ceremonies_stay_and_placed_sessions_stay_unless_asked(venue, add_session):
    conference = venue["conference"]
    add_session("Coffee", start="10:30", end="11:00", kind="break")
    add_session("Closing", start="16:00", end="17:00", kind="ceremony", day=1)
    add_session("A talk", room=1, start="12:00", end="13:00")
    assert propose_placement(conference, time_limit=5).items == []
    moved = propose_placement(conference, move_placed=True, time_limit=5)
    assert {item.title for item in moved.items} <= {"A talk"}


def test_speakers_are_placed_inside_their_availability(venue, speakers):
    conference = venue["conference"]
    hamad = speakers[0]
    available(conference, hamad, 1, "14:00", "15:30")
    confirmed_proposal(conference, "Oman's hotline", [hamad], 60)
    proposal = propose_placement(conference, time_limit=5)
    (item,) = proposal.items
    assert item.day == conference.days[1] and time(14) <= item.start <= time(14, 30)
    accept_all(conference, proposal)
    assert warnings_now(conference) == []


def test_a_room_too_small_is_explained(venue, speakers):
    conference = venue["conference"]
    huge = _unplaced(conference, "Everyone at once", expected_audience=1000)
    proposal = propose_placement(conference, time_limit=5)
    assert proposal.items == []
    (reason,) = proposal.left_out
    assert "Everyone at once" in reason and "1000" in reason and "400" in reason
    assert not huge.placed


def test_a_speaker_with_30_minutes_for_two_60_minute_sessions_is_explained_and_the_rest_placed(venue, speakers):
    conference = venue["conference"]
    hamad, charlotte = speakers[:2]
    available(conference, hamad, 0, "09:00", "09:30")
    confirmed_proposal(conference, "First of Hamad", [hamad], 60)
    confirmed_proposal(conference, "Second of Hamad", [hamad], 60)
    confirmed_proposal(conference, "Charlotte's talk", [charlotte], 60)
    proposal = propose_placement(conference, time_limit=5)
    assert [item.title for item in proposal.items] == ["Charlotte's talk"]  # the best partial placement
    assert len(proposal.left_out) == 2
    assert any("available for 30 minutes" in note and "120" in note for note in proposal.notes)
    accept_all(conference, proposal)
    assert warnings_now(conference) == []


def test_a_speaker_with_time_for_one_of_two_sessions_gets_one(venue, speakers):
    conference = venue["conference"]
    hamad = speakers[0]
    available(conference, hamad, 0, "09:00", "10:00")
    confirmed_proposal(conference, "First of Hamad", [hamad], 60)
    confirmed_proposal(conference, "Second of Hamad", [hamad], 60)
    proposal = propose_placement(conference, time_limit=5)
    assert len(proposal.items) == 1
    (reason,) = proposal.left_out
    assert "available for less time than their sessions need" in reason
    accept_all(conference, proposal)
    assert warnings_now(conference) == []


def test_zero_rooms_is_explained(doha, speakers):
    _unplaced(doha, "Nowhere to go")
    proposal = propose_placement(doha, time_limit=5)
    assert proposal.items == [] and proposal.result.status == "not_run"
    assert any("no rooms" in note for note in proposal.notes)
    assert len(proposal.left_out) == 1


def test_a_session_longer_than_a_day_is_explained(venue):
    conference = venue["conference"]
    _unplaced(conference, "Marathon", 12 * 60)
    proposal = propose_placement(conference, time_limit=5)
    (reason,) = proposal.left_out
    assert "Marathon" in reason and "720" in reason


def test_room_hours_and_booths_are_respected(venue, speakers):
    conference = venue["conference"]
    for room in venue["rooms"]:
        room.opens_at, room.closes_at = time(13), time(15)
    venue["rooms"][1].interpretation_booths = True
    db.session.commit()
    confirmed_proposal(conference, "Interpreted", [speakers[0]], 60, language="both")
    (item,) = propose_placement(conference, time_limit=5).items
    assert item.room.id == venue["rooms"][1].id and time(13) <= item.start <= time(14)


def test_the_time_limit_holds_and_every_session_is_accounted_for(venue, speakers):
    conference = venue["conference"]
    for n in range(12):
        confirmed_proposal(conference, f"Talk {n}", [speakers[n % 3]], 60, venue["tracks"][n % 2])
    proposal = propose_placement(conference, time_limit=0.001)
    assert proposal.result.status in ("optimal", "feasible", "first_fit")
    assert len(proposal.items) + len(proposal.left_out) == 12
    accept_all(conference, proposal)
    assert warnings_now(conference) == []


def test_a_stale_item_is_refused_and_changes_nothing(venue, speakers, add_session):
    conference = venue["conference"]
    talk = _unplaced(conference, "Talk")
    (item,) = propose_placement(conference, time_limit=5).items
    talk_slot = (venue["rooms"][2].id, conference.days[1], time(16))
    from conference.agenda.services import place_session

    place_session(conference, talk, *talk_slot)  # a colleague placed it by hand meanwhile
    db.session.commit()
    outcome = accept_placement(conference, [parse_item(item.token)], "Organizer")
    assert outcome.applied == 0 and "changed since the proposal" in outcome.refused[0]
    assert talk.room_id == venue["rooms"][2].id


def test_an_item_that_would_clash_is_refused_through_the_hand_edit_checks(venue, speakers, add_session):
    conference = venue["conference"]
    add_session("Already there", room=1, start="09:00", end="10:00")
    talk = _unplaced(conference, "Talk")
    forged = parse_item(f"s{talk.id}|{venue['rooms'][1].id}|{conference.days[0].isoformat()}|09:30|-")
    outcome = accept_placement(conference, [forged], "Organizer")
    db.session.commit()
    assert outcome.applied == 0 and "at the same time" in outcome.refused[0]
    assert not talk.placed
    off_grid = parse_item(f"s{talk.id}|{venue['rooms'][1].id}|{conference.days[0].isoformat()}|11:03|-")
    assert "5-minute" in accept_placement(conference, [off_grid], "Organizer").refused[0]


def test_unreadable_items_are_ignored():
    assert parse_item("") is None
    assert parse_item("x1|2|2026-05-23|09:00|-") is None
    assert parse_item("s1|2|not-a-day|09:00|-") is None
    assert parse_item("s1|2|2026-05-23|09:00|3|2026-05-23") is None
    assert parse_item("p7|2|2026-05-23|09:00|-").key == "p7"


def test_the_solver_prefers_the_largest_room_for_plenaries_and_keeps_tracks_apart():
    rooms = [placement.Room(1, 50), placement.Room(2, 300)]
    sessions = [placement.Session("a", 60, kind="plenary"),
                placement.Session("b", 60, track=1), placement.Session("c", 60, track=1)]
    result = placement.solve(placement.Problem(sessions, rooms, [placement.Day(0, 9 * 60, 12 * 60)], time_limit=5))
    where = {a.key: a.slot for a in result.assignments}
    assert where["a"].room == 2
    assert where["b"].start != where["c"].start
    assert result.preferences_met == 1.0


def test_when_the_time_runs_out_first_the_session_by_session_placement_stands_in():
    rooms = [placement.Room(1, 100), placement.Room(2, 100)]
    sessions = [placement.Session(f"s{n}", 60, people=("a",) if n < 3 else ()) for n in range(6)]
    problem = placement.Problem(sessions, rooms, [placement.Day(0, 9 * 60, 12 * 60)], time_limit=0.001)
    chosen = placement.first_fit(problem, placement.pre_check(problem)[0])
    assert len(chosen) == 6
    starts = sorted(start for key, (_, start) in chosen.items() if key in ("s0", "s1", "s2"))
    assert starts[1] - starts[0] >= 12 and starts[2] - starts[1] >= 12  # the person's three hours, one after another
    result = placement.solve(problem)
    assert len(result.assignments) == 6 and result.status in ("optimal", "feasible", "first_fit")


def test_a_refused_move_whose_place_was_taken_changes_nothing(venue, speakers, add_session):
    conference = venue["conference"]
    a = add_session("A", room=0, start="09:00", end="10:00")
    b = add_session("B", room=1, start="09:00", end="10:00")
    day = conference.days[0].isoformat()
    a_to_b = parse_item(f"s{a.id}|{venue['rooms'][1].id}|{day}|09:00|{venue['rooms'][0].id}|{day}|09:00")
    # B's move is refused (a day outside the conference), after A took B's place.
    b_away = parse_item(f"s{b.id}|{venue['rooms'][0].id}|2001-01-01|09:00|{venue['rooms'][1].id}|{day}|09:00")
    outcome = accept_placement(conference, [a_to_b, b_away], "Organizer")
    db.session.commit()
    assert outcome.applied == 0 and "nothing was changed" in outcome.refused[0]
    assert (a.room_id, b.room_id) == (venue["rooms"][0].id, venue["rooms"][1].id)
    assert warnings_now(conference) == []


def test_items_with_ids_that_are_not_plain_numbers_are_unreadable():
    assert parse_item("s²|1|2026-05-23|09:00|-") is None
    assert parse_item("s99999999999999999999|1|2026-05-23|09:00|-") is None
    assert parse_item("s1|99999999999999999999|2026-05-23|09:00|-") is None
    assert parse_item("s1|1|2026-05-23|09:00|²|2026-05-23|09:00") is None
