"""A published version's content as frozen data: what agenda_versions.content holds (JSON) and what pages read.

Plain data: no Flask, no database (versions.py builds a `Snapshot` from the working copy and stores it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Self

SCHEMA = 1  # the shape to_json writes, stored beside it in agenda_versions.content_schema
# How a snapshot of schema n becomes one of schema n + 1, for every n below SCHEMA. Schema 1 is the shape of the
# first version ever published, so there is nothing to upgrade yet; the next change of shape adds its step here.
UPGRADES: dict[int, Callable[[dict], dict]] = {}


def upgraded(data: dict, schema: int) -> dict:
    """The JSON of a snapshot stored with `schema`, in the shape of SCHEMA (a newer number is refused)."""
    if not 1 <= schema <= SCHEMA:
        raise ValueError(f"agenda snapshot schema {schema} is not one this code reads (1 to {SCHEMA})")
    for step in range(schema, SCHEMA):
        data = UPGRADES[step](data)
    return data


class _Plain:
    """The JSON of a dataclass whose fields are all stored, as they are, under their own names."""

    @classmethod
    def from_json(cls, data: dict) -> Self:
        return cls(**{f.name: data[f.name] for f in fields(cls)})

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class PublishedPerson(_Plain):
    """What the public may know of a person on the agenda (never the e-mail address)."""

    id: int  # the delegate's id
    user_id: int
    name: str
    name_latin: str
    name_ar: str
    organization: str
    country: str


@dataclass(frozen=True)
class PublishedRoom(_Plain):
    """A room as it was named when the version was published."""

    id: int
    name_en: str
    name_ar: str
    capacity: int | None


@dataclass(frozen=True)
class PublishedTrack(_Plain):
    """A track as it was named when the version was published."""

    id: int
    name_en: str
    name_ar: str
    colour: str


@dataclass(frozen=True)
class PublishedSession:
    """A session of a published version: its times (aware, UTC), room, track, people and languages."""

    id: int
    uid: str  # stable across versions: the iCal UID and the frab guid
    title_en: str
    title_ar: str
    description_en: str
    description_ar: str
    kind: str  # a SessionKind value
    starts_at: datetime
    ends_at: datetime
    room_id: int
    track_id: int | None
    language: str
    interpretation: str  # "" when none
    proposal_id: int | None
    chair: PublishedPerson | None
    speakers: tuple[PublishedPerson, ...]
    moderators: tuple[PublishedPerson, ...]
    # The snapshot's own room and track rows, looked up when the snapshot is made (never stored; None once gone).
    room: PublishedRoom | None = field(default=None, compare=False, repr=False)
    track: PublishedTrack | None = field(default=None, compare=False, repr=False)

    @property
    def people(self) -> tuple[PublishedPerson, ...]:
        """Everyone on stage: speakers, moderators, then the chair."""
        return self.speakers + self.moderators + ((self.chair,) if self.chair else ())

    @classmethod
    def from_json(cls, data: dict) -> PublishedSession:
        return cls(
            id=data["id"], uid=data["uid"], title_en=data["title_en"], title_ar=data["title_ar"],
            description_en=data["description_en"], description_ar=data["description_ar"], kind=data["kind"],
            starts_at=datetime.fromisoformat(data["starts_at"]), ends_at=datetime.fromisoformat(data["ends_at"]),
            room_id=data["room_id"], track_id=data["track_id"], language=data["language"],
            interpretation=data["interpretation"], proposal_id=data["proposal_id"],
            chair=PublishedPerson.from_json(data["chair"]) if data["chair"] else None,
            speakers=tuple(PublishedPerson.from_json(p) for p in data["speakers"]),
            moderators=tuple(PublishedPerson.from_json(p) for p in data["moderators"]),
        )

    def to_json(self) -> dict:
        return {
            "id": self.id, "uid": self.uid, "title_en": self.title_en, "title_ar": self.title_ar,
            "description_en": self.description_en, "description_ar": self.description_ar, "kind": self.kind,
            "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat(), "room_id": self.room_id,
            "track_id": self.track_id, "language": self.language, "interpretation": self.interpretation,
            "proposal_id": self.proposal_id, "chair": self.chair.to_json() if self.chair else None,
            "speakers": [p.to_json() for p in self.speakers], "moderators": [p.to_json() for p in self.moderators],
        }


@dataclass(frozen=True)
class Snapshot:
    """A version's content: the rooms and tracks, the sessions in time order, and those cancelled since."""

    rooms: tuple[PublishedRoom, ...] = ()
    tracks: tuple[PublishedTrack, ...] = ()
    sessions: tuple[PublishedSession, ...] = ()
    # Once published, a session that disappears stays listed as cancelled (calendars then drop it).
    cancelled: tuple[PublishedSession, ...] = ()

    def __post_init__(self) -> None:
        rooms = {room.id: room for room in self.rooms}
        tracks = {track.id: track for track in self.tracks}
        for name in ("sessions", "cancelled"):
            linked = tuple(replace(s, room=rooms.get(s.room_id), track=tracks.get(s.track_id))
                           for s in getattr(self, name))
            object.__setattr__(self, name, linked)  # frozen: the documented way to finish one in __post_init__

    @classmethod
    def from_json(cls, data: dict, schema: int = SCHEMA) -> Snapshot:
        """A snapshot stored with `schema` (older shapes are upgraded first)."""
        data = upgraded(data, schema)
        return cls(
            rooms=tuple(PublishedRoom.from_json(r) for r in data["rooms"]),
            tracks=tuple(PublishedTrack.from_json(t) for t in data["tracks"]),
            sessions=tuple(PublishedSession.from_json(s) for s in data["sessions"]),
            cancelled=tuple(PublishedSession.from_json(s) for s in data["cancelled"]),
        )

    def to_json(self) -> dict:
        """The JSON of schema SCHEMA."""
        return {"rooms": [r.to_json() for r in self.rooms], "tracks": [t.to_json() for t in self.tracks],
                "sessions": [s.to_json() for s in self.sessions], "cancelled": [s.to_json() for s in self.cancelled]}
