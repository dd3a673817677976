"""Rows of the authorization matrix (tests/test_authorization.py) for the call for proposals."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.access import LOGGED_IN, ORGANIZER, POST_ONLY, PUBLIC, expect  # noqa: F401

REVIEWERS = expect(302, 403, 200, 403, 403, 200, 200)
# The sample proposal is the reviewer's assignment: the organizer (not assigned) does not find it on the review page.
ASSIGNED_REVIEWER = expect(302, 403, 200, 403, 403, 404, 404)
# The sample proposal belongs to the delegate; every other logged-in visitor does not find it.
OWN_PROPOSAL = expect(302, 200, 404, 404, 404, 404, 404)

# endpoint -> (path to GET, expected status per visitor); "{name}" parts come from samples().
ROUTES: dict[str, tuple[str, dict[str, int]]] = {
    "submissions.cfp": ("/doha/cfp", PUBLIC),
    "submissions.new_proposal": ("/doha/cfp/new", LOGGED_IN),
    "submissions.invitation": ("/doha/cfp/invitation/not-a-valid-token", expect(404, 404, 404, 404, 404, 404, 404)),
    "submissions.my_proposals": ("/doha/me/proposals", LOGGED_IN),
    "submissions.my_proposal": ("/doha/me/proposals/{proposal_id}", OWN_PROPOSAL),
    "submissions.edit_proposal": ("/doha/me/proposals/{proposal_id}/edit", OWN_PROPOSAL),
    "submissions.submit": ("/doha/me/proposals/{proposal_id}/submit", POST_ONLY),
    "submissions.withdraw": ("/doha/me/proposals/{proposal_id}/withdraw", OWN_PROPOSAL),
    "submissions.confirm": ("/doha/me/proposals/{proposal_id}/confirm", OWN_PROPOSAL),
    "submissions.decline": ("/doha/me/proposals/{proposal_id}/decline", OWN_PROPOSAL),
    "submissions.profile": ("/doha/me/speaker-profile", LOGGED_IN),
    "submissions.my_photo": ("/doha/me/speaker-profile/photo.jpg", expect(302, 200, 404, 404, 404, 404, 404)),
    "submissions.availability": ("/doha/me/availability", LOGGED_IN),
    "submissions.proposals": ("/doha/manage/proposals", ORGANIZER),
    "submissions.proposal": ("/doha/manage/proposals/{proposal_id}", ORGANIZER),
    "submissions.assign": ("/doha/manage/proposals/{proposal_id}/assign", POST_ONLY),
    "submissions.unassign": ("/doha/manage/proposals/{proposal_id}/reviews/{assignment_id}/remove", POST_ONLY),
    "submissions.duration": ("/doha/manage/proposals/{proposal_id}/duration", POST_ONLY),
    "submissions.auto_assign": ("/doha/manage/proposals/assign", POST_ONLY),
    "submissions.decide": ("/doha/manage/proposals/decide", POST_ONLY),
    "submissions.call_settings": ("/doha/manage/cfp", ORGANIZER),
    "submissions.save_type": ("/doha/manage/cfp/types", POST_ONLY),
    "submissions.review": ("/doha/manage/review", REVIEWERS),
    "submissions.review_proposal": ("/doha/manage/review/{proposal_id}", ASSIGNED_REVIEWER),
    # the outbox's drafts (decision letters) and their release, added to the mail area with this area
    "mail.release_all": ("/doha/manage/outbox/release", POST_ONLY),
    "mail.release_message": ("/doha/manage/outbox/{message_id}/release", POST_ONLY),
}


def samples(people, conference) -> dict[str, int]:
    """Rows the paths above need (their ids fill the "{name}" parts), created for the doha conference."""
    from conference.extensions import db
    from conference.submissions.call import proposal_types
    from conference.submissions.models import ReviewAssignment
    from conference.submissions.profiles import process_photo, save_profile
    from conference.submissions.workflow import submit_proposal
    from conference.submissions.writing import create_proposal

    now = datetime.now(timezone.utc)
    conference.cfp_opens_at, conference.cfp_closes_at = now - timedelta(days=1), now + timedelta(days=1)
    delegate = people["delegate"]
    from conference.submissions.call import call_of

    call_of(conference)
    proposal = create_proposal(conference, delegate, {
        "title": "Sample proposal", "abstract": "Sample abstract", "language": "en", "track_id": None,
        "proposal_type_id": proposal_types(conference)[0].id, "co_speakers": []})
    submit_proposal(proposal, delegate)
    assignment = ReviewAssignment(proposal_id=proposal.id, reviewer_id=people["reviewer"].id)
    db.session.add(assignment)
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    save_profile(conference, delegate, {"name": "Sample Speaker"}, photo=process_photo(buffer.getvalue()))
    db.session.commit()
    return {"proposal_id": proposal.id, "assignment_id": assignment.id}
