"""Exports of the published agenda: iCalendar (RFC 5545), frab/c3voc schedule XML and JSON."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta

from icalendar import Calendar, Event
from lxml import etree

from ..core.text import BIDI_CONTROLS, in_latin_letters
from ..events.models import Conference
from .snapshot import PublishedPerson, PublishedRoom, PublishedSession
from .versions import Published, published_room

GENERATOR = "conference-system"
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + "".join(BIDI_CONTROLS) + "]")


def clean(value: str | None) -> str:
    """Text safe for any export: no control or bidi-override characters (XML 1.0 refuses most controls)."""
    return _UNSAFE.sub("", value or "")


def pick(item: object, field: str, language: str) -> str:
    """The attribute `field`_`language` of `item` (a published row, a conference), falling back to the other one."""
    other = "en" if language == "ar" else "ar"
    return clean(getattr(item, f"{field}_{language}", None) or getattr(item, f"{field}_{other}", None) or "")


def person_name(person: PublishedPerson, language: str) -> str:
    """A person's name for `language`: the Arabic form on Arabic pages; elsewhere the name as they wrote it
    (Testerová), or its Latin form when they wrote it in another script."""
    if language == "ar" and person.name_ar:
        return clean(person.name_ar)
    if language == "ar" or in_latin_letters(person.name) or not person.name_latin:
        return clean(person.name)
    return clean(person.name_latin)


def acronym(conference: Conference) -> str:
    """The schedule formats' conference acronym: lowercase letters, digits and underscores, at least four."""
    return re.sub(r"[^a-z0-9_]", "_", conference.slug.lower()).ljust(4, "_")


def person_guid(conference: Conference, person: PublishedPerson) -> str:
    """A stable UUID for a person on this conference's agenda (no e-mail address in it)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"conference:{conference.slug}:person:{person.id}"))


def room_guid(conference: Conference, room: PublishedRoom) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"conference:{conference.slug}:room:{room.id}"))


def _ical_event(conference: Conference, session: PublishedSession, agenda: Published, language: str, url: str,
                status: str) -> Event:
    event = Event()
    tz = conference.tz
    event.add("uid", f"{session.uid}@{conference.slug}")
    event.add("dtstamp", agenda.published_at)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("summary", pick(session, "title", language))
    if session.room:
        event.add("location", pick(session.room, "name", language))
    people = [person_name(p, language) for p in session.speakers + session.moderators]
    description = "\n\n".join(part for part in (", ".join(people), pick(session, "description", language)) if part)
    if description:
        event.add("description", description)
    event.add("status", status)
    event.add("sequence", agenda.number)
    event.add("url", url.format(id=session.id))
    return event


def agenda_ics(conference: Conference, agenda: Published | None, language: str, session_url: str,
               only: set[int] | None = None, name: str = "") -> bytes:
    """The published agenda (or a person's selection of it) as an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{GENERATOR}//{conference.slug}//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean(name or pick(conference, "name", language)))
    calendar.add("x-wr-timezone", conference.timezone)
    if agenda is not None:
        for session in agenda.sessions:
            if only is None or session.id in only:
                calendar.add_component(_ical_event(conference, session, agenda, language, session_url, "CONFIRMED"))
        for session in agenda.cancelled:
            if only is None or session.id in only:
                calendar.add_component(_ical_event(conference, session, agenda, language, session_url, "CANCELLED"))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _duration(session: PublishedSession) -> str:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days(conference: Conference, agenda: Published | None) -> list[dict]:
    """Each conference day with its sessions by room, in the conference's time zone."""
    tz = conference.tz
    days = []
    for index, day in enumerate(conference.days, start=1):
        start = datetime.combine(day, time(0), tzinfo=tz)
        sessions = [s for s in (agenda.sessions if agenda else []) if s.starts_at.astimezone(tz).date() == day]
        days.append({"index": index, "date": day, "start": start, "end": start + timedelta(days=1),
                     "sessions": sessions})
    return days


def _event_fields(conference: Conference, session: PublishedSession, language: str, url: str) -> dict:
    return {
        "id": session.id, "guid": session.uid, "title": pick(session, "title", language),
        "room": pick(session.room, "name", language), "date": session.starts_at.astimezone(conference.tz),
        "start": session.starts_at.astimezone(conference.tz).strftime("%H:%M"), "duration": _duration(session),
        "abstract": pick(session, "description", language), "slug": f"{acronym(conference)}-{session.id:04d}",
        "track": pick(session.track, "name", language) if session.track else "", "type": session.kind,
        "language": session.language if session.language != "both" else "ar,en",
        "url": url.format(id=session.id),
        "persons": [(person_guid(conference, p), p.id, person_name(p, language))
                    for p in session.speakers + session.moderators],
    }


def schedule_json(conference: Conference, agenda: Published | None, language: str, base_url: str,
                  session_url: str) -> dict:
    """The schedule in the c3voc JSON format."""
    rooms = agenda.rooms if agenda else [published_room(r) for r in conference.rooms]
    days = []
    for day in _days(conference, agenda):
        by_room: dict[str, list] = {pick(r, "name", language): [] for r in rooms}
        for session in day["sessions"]:
            fields = _event_fields(conference, session, language, session_url)
            by_room.setdefault(fields["room"], []).append({
                **{k: v for k, v in fields.items() if k != "persons"},
                "date": fields["date"].isoformat(), "subtitle": "", "description": fields["abstract"],
                "links": [], "persons": [{"guid": guid, "id": number, "name": name}
                                         for guid, number, name in fields["persons"]],
            })
        days.append({"index": day["index"], "date": day["date"].isoformat(), "day_start": day["start"].isoformat(),
                     "day_end": day["end"].isoformat(), "rooms": by_room})
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR, "version": "1"},
        "schedule": {
            "version": str(agenda.number) if agenda else "0",
            "base_url": base_url,
            "conference": {
                "acronym": acronym(conference),
                "title": pick(conference, "name", language),
                "start": conference.start_date.isoformat(), "end": conference.end_date.isoformat(),
                "daysCount": len(conference.days), "timeslot_duration": "00:05", "time_zone_name": conference.timezone,
                "url": base_url,
                "rooms": [{"name": pick(r, "name", language), "guid": room_guid(conference, r),
                           "capacity": r.capacity} for r in rooms],
                "tracks": [{"name": pick(t, "name", language), "color": t.colour}
                           for t in (agenda.tracks if agenda else [])],
                "days": days,
            },
        },
    }


def _xml_event(room_element, fields: dict) -> None:
    """One <event> with every element frab writes (empty where this system has nothing: logo, links, files)."""
    event = etree.SubElement(room_element, "event", id=str(fields["id"]), guid=fields["guid"])
    for name in ("date", "start", "duration", "room", "slug", "url"):
        value = fields[name]
        etree.SubElement(event, name).text = value.isoformat() if isinstance(value, datetime) else value
    recording = etree.SubElement(event, "recording")
    etree.SubElement(recording, "license").text = ""
    etree.SubElement(recording, "optout").text = "true"  # sessions are not recorded here
    for name in ("title", "subtitle", "track", "type", "language", "abstract", "description", "logo"):
        etree.SubElement(event, name).text = {"subtitle": "", "logo": "", "description": fields["abstract"]}.get(
            name, fields.get(name))
    persons = etree.SubElement(event, "persons")
    for guid, number, name in fields["persons"]:
        etree.SubElement(persons, "person", id=str(number), guid=guid).text = name
    etree.SubElement(event, "links")
    etree.SubElement(event, "attachments")


def schedule_xml(conference: Conference, agenda: Published | None, language: str, base_url: str,
                 session_url: str) -> bytes:
    """The schedule in the frab/c3voc XML format."""
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR, version="1")
    etree.SubElement(root, "version").text = str(agenda.number) if agenda else "0"
    info = etree.SubElement(root, "conference")
    etree.SubElement(info, "title").text = pick(conference, "name", language)
    etree.SubElement(info, "acronym").text = acronym(conference)
    etree.SubElement(info, "start").text = conference.start_date.isoformat()
    etree.SubElement(info, "end").text = conference.end_date.isoformat()
    etree.SubElement(info, "days").text = str(len(conference.days))
    etree.SubElement(info, "timeslot_duration").text = "00:05"
    etree.SubElement(info, "base_url").text = base_url
    etree.SubElement(info, "time_zone_name").text = conference.timezone
    for track in agenda.tracks if agenda else []:
        etree.SubElement(info, "track", name=pick(track, "name", language), color=track.colour.lower())
    rooms = agenda.rooms if agenda else []
    for day in _days(conference, agenda):
        day_element = etree.SubElement(root, "day", date=day["date"].isoformat(), start=day["start"].isoformat(),
                                       end=day["end"].isoformat(), index=str(day["index"]))
        for room in rooms:
            sessions = [s for s in day["sessions"] if s.room_id == room.id]
            if not sessions:
                continue
            room_element = etree.SubElement(day_element, "room", name=pick(room, "name", language),
                                            guid=room_guid(conference, room))
            for session in sessions:
                _xml_event(room_element, _event_fields(conference, session, language, session_url))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
