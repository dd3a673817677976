"""Public speaker pages: the people of the published agenda, with the profile they gave the call for proposals."""
from __future__ import annotations

from flask import Response, abort
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from ..accounts.access import conference_view
from ..core.pagecache import shared_page
from ..events.models import Conference
from ..extensions import db
from ..submissions.models import SpeakerProfile
from . import bp
from .snapshot import PublishedSession
from .versions import Published, published
from .views import MAX_AGE, PublicAgenda, not_published, page_frame, public_view, shared_key


def _profiles(conference: Conference, user_ids: set[int]) -> dict[int, tuple[object, bool]]:
    """SpeakerProfile (without the photo bytes) and whether it has a photo, by user id, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        SpeakerProfile.of(conference).add_columns(SpeakerProfile.photo.is_not(None))
        .where(SpeakerProfile.user_id.in_(user_ids))
        .options(defer(SpeakerProfile.photo))
    ).all()
    return {profile.user_id: (profile, bool(has_photo)) for profile, has_photo in rows}


def speaker_cards(conference: Conference, agenda: Published) -> list[dict]:
    """Every person on the published agenda with their profile and sessions, by name."""
    people = agenda.people()
    profiles = _profiles(conference, {p.user_id for p in people.values()})
    sessions_by_person: dict[int, list[PublishedSession]] = {}
    for session in agenda.sessions:
        for person in session.people:
            sessions_by_person.setdefault(person.id, [])
            if session not in sessions_by_person[person.id]:
                sessions_by_person[person.id].append(session)
    cards = []
    for person_id, person in people.items():
        profile, has_photo = profiles.get(person.user_id, (None, False))
        cards.append({"person": person, "profile": profile, "has_photo": has_photo,
                      "sessions": sessions_by_person.get(person_id, [])})
    return sorted(cards, key=lambda c: (c["person"].name_latin or c["person"].name).casefold())


@bp.get("/<slug>/speakers")
@public_view
def speakers(page: PublicAgenda):
    """Speakers, moderators and chairs of the published agenda."""
    version = page.version
    if version is None:
        return not_published(page)
    # A profile edited after publication shows at once: the latest edit is part of the key.
    edited = db.session.scalar(select(func.max(SpeakerProfile.updated_at))
                               .where(SpeakerProfile.conference_id == page.head.id))
    changed = max(page.head.updated_at, edited) if edited else page.head.updated_at
    return shared_page(shared_key("speakers", page.head, edited), changed, "agenda/speakers.html",
                       lambda: {"conference": page.conference, "cards": speaker_cards(page.conference, version)},
                       max_age=MAX_AGE, frame=page_frame(page))


@bp.get("/<slug>/speakers/<int:person_id>")
@public_view
def speaker(page: PublicAgenda, person_id: int):
    """One speaker: name, photo, organization, country, biography and sessions."""
    version = page.version
    person = version.people().get(person_id) if version else None
    if person is None:
        abort(404)
    edited = db.session.scalar(select(SpeakerProfile.updated_at).where(
        SpeakerProfile.conference_id == page.head.id, SpeakerProfile.user_id == person.user_id))
    # A profile edited after publication is newer than the version, and part of the key.
    changed = max(page.head.updated_at, edited) if edited else page.head.updated_at

    def context() -> dict:
        conference = page.conference
        profile, has_photo = _profiles(conference, {person.user_id}).get(person.user_id, (None, False))
        return {"conference": conference, "person": person, "profile": profile, "has_photo": has_photo,
                "sessions": version.sessions_of(person_id)}

    return shared_page(shared_key("speaker", page.head, person_id, edited), changed,
                       "agenda/speaker.html", context, max_age=MAX_AGE, frame=page_frame(page))


@bp.get("/<slug>/speakers/<int:person_id>/photo.jpg")
@conference_view()
def speaker_photo(conference: Conference, person_id: int):
    """The speaker's photo, only for people on the published agenda."""
    version = published(conference)
    person = version.people().get(person_id) if version else None
    if person is None:
        abort(404)
    photo = db.session.scalar(select(SpeakerProfile.photo).where(SpeakerProfile.conference_id == conference.id,
                                                                 SpeakerProfile.user_id == person.user_id))
    if not photo:
        abort(404)
    response = Response(photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
