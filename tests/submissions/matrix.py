"""Rows of the authorization matrix (tests/test_authorization.py) for the call for proposals."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.access import (
    DONE,
    FORBIDDEN,
    LOGGED_IN,
    LOGGED_IN_POST,
    NOT_FOUND,
    ORGANIZER,
    ORGANIZER_POST,
    OWN_POST,
    POST_ONLY,
    PUBLIC,
    SHOWN,
    TO_LOGIN,
    Route,
    expect,
)

REVIEWERS = expect(302, 403, 200, 403, 403, 200, 200)
# The sample proposal is the reviewer's assignment: the organizer (not assigned) does not find it on the review page.
ASSIGNED_REVIEWER = expect(302, 403, 200, 403, 403, 404, 404)
# The sample proposal belongs to the delegate; every other logged-in visitor does not find it.
OWN_PROPOSAL = expect(302, 200, 404, 404, 404, 404, 404)
PROPOSAL = {"title": "Listening to children online", "abstract": "Chat counselling, two years on.",
            "proposal_type_id": "{proposal_type_id}", "language": "en"}

ROUTES: dict[str, Route] = {
    "submissions.cfp": Route("/doha/cfp", PUBLIC),
    "submissions.new_proposal": Route("/doha/cfp/new", LOGGED_IN, LOGGED_IN_POST, form=PROPOSAL),
    # A co-speaker's link is accepted only by the account of the invited address (co-speaker@example.org, none of
    # these visitors): logged out, the page asks to log in; any other account is told whom it was sent to, and
    # nothing changes (tests/submissions/test_submissions_invitations.py accepts it as the invited account).
    "submissions.invitation": Route("/doha/cfp/invitation/not-a-valid-token", expect(404, 404, 404, 404, 404, 404, 404),
                                    expect(SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN),
                                    post_path="/doha/cfp/invitation/{co_speaker_token}", form={"consent": "y"}),
    "submissions.my_proposals": Route("/doha/me/proposals", LOGGED_IN),
    "submissions.my_proposal": Route("/doha/me/proposals/{proposal_id}", OWN_PROPOSAL),
    "submissions.edit_proposal": Route("/doha/me/proposals/{proposal_id}/edit", OWN_PROPOSAL, OWN_POST,
                                       form={**PROPOSAL, "title": "Sample proposal, sharper"}),
    "submissions.submit": Route("/doha/me/proposals/{draft_proposal_id}/submit", POST_ONLY, OWN_POST),
    "submissions.withdraw": Route("/doha/me/proposals/{proposal_id}/withdraw", OWN_PROPOSAL, OWN_POST),
    "submissions.confirm": Route("/doha/me/proposals/{proposal_id}/confirm", OWN_PROPOSAL, OWN_POST,
                                 post_path="/doha/me/proposals/{accepted_proposal_id}/confirm", form={"consent": "y"}),
    "submissions.decline": Route("/doha/me/proposals/{proposal_id}/decline", OWN_PROPOSAL, OWN_POST,
                                 post_path="/doha/me/proposals/{accepted_proposal_id}/decline"),
    "submissions.profile": Route("/doha/me/speaker-profile", LOGGED_IN, LOGGED_IN_POST,
                                 form={"name": "Amal Haddad", "organization": "Himaya", "country": "JO",
                                       "consent": "y"}),
    "submissions.my_photo": Route("/doha/me/speaker-profile/photo.jpg", expect(302, 200, 404, 404, 404, 404, 404)),
    "submissions.availability": Route("/doha/me/availability", LOGGED_IN, LOGGED_IN_POST, form={
        "ranges-0-day": "{first_day}", "ranges-0-starts": "09:00", "ranges-0-ends": "12:00"}),
    "submissions.proposals": Route("/doha/manage/proposals", ORGANIZER),
    "submissions.proposal": Route("/doha/manage/proposals/{proposal_id}", ORGANIZER),
    "submissions.assign": Route("/doha/manage/proposals/{proposal_id}/assign", POST_ONLY, ORGANIZER_POST,
                                form={"reviewer_id": "{second_reviewer_id}"}),
    "submissions.unassign": Route("/doha/manage/proposals/{proposal_id}/reviews/{assignment_id}/remove", POST_ONLY,
                                  ORGANIZER_POST),
    "submissions.duration": Route("/doha/manage/proposals/{proposal_id}/duration", POST_ONLY, ORGANIZER_POST,
                                  form={"duration_minutes": "45"}),
    "submissions.auto_assign": Route("/doha/manage/proposals/assign", POST_ONLY, ORGANIZER_POST,
                                     form={"per_proposal": "2"}),
    # the confirmed second step of a decision (the first lists what will change)
    "submissions.decide": Route("/doha/manage/proposals/decide", POST_ONLY, ORGANIZER_POST,
                                form={"action": "accept", "ids": "{proposal_id}", "confirmed": "1"}),
    "submissions.call_settings": Route("/doha/manage/cfp", ORGANIZER, ORGANIZER_POST, form={
        "text_en": "Tell us what your helpline learned.", "abstract_word_limit": "250",
        "reviewers_per_proposal": "2"}),
    "submissions.save_type": Route("/doha/manage/cfp/types", POST_ONLY, ORGANIZER_POST,
                                   form={"new-name_en": "Round table", "new-name_ar": "طاولة مستديرة",
                                         "new-duration_minutes": "45"}),
    "submissions.save_type (existing)": Route(
        "/doha/manage/cfp/types/{proposal_type_id}", POST_ONLY, ORGANIZER_POST,
        form={"t{proposal_type_id}-name_en": "Short talk", "t{proposal_type_id}-duration_minutes": "15"}),
    "submissions.review": Route("/doha/manage/review", REVIEWERS),
    "submissions.review_proposal": Route("/doha/manage/review/{proposal_id}", ASSIGNED_REVIEWER,
                                         expect(TO_LOGIN, FORBIDDEN, DONE, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
                                         form={"score": "4", "comment": "Clear, and useful to other helplines."}),
}


def samples(people, conference) -> dict[str, int]:
    """Rows the paths above need (their ids fill the "{name}" parts), created for the doha conference: the delegate's
    submitted proposal (assigned to the reviewer), their draft (with a co-speaker invited) and their accepted
    proposal (its letter sent), their speaker profile, and a second reviewer."""
    import io

    from PIL import Image
    from sqlalchemy import select

    from conference.accounts.models import Role
    from conference.accounts.services import grant_role
    from conference.extensions import db
    from conference.mail.models import MailState, OutboxMessage
    from conference.mail.services import release
    from conference.submissions.call import call_of, proposal_types
    from conference.submissions.models import CO_SPEAKER, ReviewAssignment
    from conference.submissions.profiles import process_photo, save_profile
    from conference.submissions.workflow import change_status, submit_proposal
    from conference.submissions.writing import create_proposal, invitation_token
    from tests.conftest import quick_user

    now = datetime.now(timezone.utc)
    conference.cfp_opens_at, conference.cfp_closes_at = now - timedelta(days=1), now + timedelta(days=1)
    delegate = people["delegate"]
    call_of(conference)
    talk = proposal_types(conference)[0]

    def proposal(title: str, co_speakers: tuple[str, ...] = ()):
        return create_proposal(conference, delegate, {
            "title": title, "abstract": "Sample abstract", "language": "en", "track_id": None,
            "proposal_type_id": talk.id, "co_speakers": list(co_speakers)})

    submitted = proposal("Sample proposal")
    submit_proposal(submitted, delegate)
    assignment = ReviewAssignment(proposal_id=submitted.id, reviewer_id=people["reviewer"].id)
    db.session.add(assignment)
    draft = proposal("Sample draft", ("co-speaker@example.org",))
    accepted = proposal("Sample accepted proposal")
    submit_proposal(accepted, delegate)
    change_status(accepted, "accept", people["organizer"])
    for letter in db.session.scalars(select(OutboxMessage).where(OutboxMessage.proposal_id == accepted.id,
                                                                 OutboxMessage.state == MailState.DRAFT)):
        release(letter)
    second_reviewer = quick_user("second-reviewer@example.org", "Rania Khalil")
    grant_role(second_reviewer, conference.id, Role.REVIEWER)

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    save_profile(conference, delegate, {"name": "Sample Speaker"}, photo=process_photo(buffer.getvalue()))
    db.session.commit()
    co_speaker = next(s for s in draft.speakers if s.role == CO_SPEAKER)
    return {"proposal_id": submitted.id, "assignment_id": assignment.id, "draft_proposal_id": draft.id,
            "accepted_proposal_id": accepted.id, "co_speaker_token": invitation_token(co_speaker),
            "second_reviewer_id": second_reviewer.id, "proposal_type_id": talk.id}
