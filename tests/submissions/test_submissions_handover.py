"""What the agenda reads from the call for proposals, and the demo data."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from conference.extensions import db
from conference.mail.services import release_drafts
from conference.registration.models import Category, DelegateStatus
from conference.registration.services import registration_of
from conference.submissions.models import Proposal, ProposalStatus, SpeakerAvailability, SpeakerProfile
from conference.submissions.profiles import save_profile, set_availability
from conference.submissions.services import set_duration
from conference.submissions.workflow import change_status
from conference.submissions.writing import accept_invitation

S = ProposalStatus


def test_a_confirmed_proposal_gives_the_agenda_what_it_needs(cfp, organizer, speaker, make_user, make_proposal):
    proposal = make_proposal(speaker, track_id=cfp.tracks[1].id, language="both", co_speakers=["amina@example.org"])
    amina = make_user("amina@example.org", name="Amina")
    accept_invitation(proposal.speakers[1], amina)
    save_profile(cfp, speaker, {"name": "حمد بن سيف الحوسني", "name_latin": "Hamad bin Saif Al-Housni",
                                "organization": "Ministry of Social Development", "country": "OM"})
    set_availability(cfp, speaker, [(cfp.start_date, time(9), time(12))])
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    set_duration(proposal, 30, organizer)
    change_status(proposal, "confirm", speaker)
    db.session.commit()
    confirmed = db.session.scalars(select(Proposal).where(Proposal.conference_id == cfp.id,
                                                          Proposal.status == S.CONFIRMED)).all()
    assert confirmed == [proposal]
    assert (proposal.duration_minutes, proposal.track.name_en, proposal.language) == (30, "Emergencies", "both")
    assert [s.user for s in proposal.speakers] == [speaker, amina]
    hamad = registration_of(speaker, cfp)
    assert (hamad.category, hamad.status, hamad.name, hamad.country) == (
        Category.SPEAKER, DelegateStatus.APPROVED, "حمد بن سيف الحوسني", "OM")
    assert registration_of(amina, cfp).status == DelegateStatus.APPROVED
    [window] = db.session.scalars(select(SpeakerAvailability)).all()
    assert window.starts_at.tzinfo is not None and window.starts_at.astimezone(cfp.tz).hour == 9


def test_a_co_speaker_joining_a_confirmed_proposal_is_registered(cfp, organizer, speaker, make_user, make_proposal):
    proposal = make_proposal(speaker, co_speakers=["late@example.org"])
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    change_status(proposal, "confirm", speaker)
    late = make_user("late@example.org")
    accept_invitation(proposal.speakers[1], late)
    db.session.commit()
    assert registration_of(late, cfp).category == Category.SPEAKER


def test_demo_is_idempotent_and_covers_every_state(app):
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    counts = dict(db.session.execute(select(Proposal.status, func.count(Proposal.id))
                                     .where(Proposal.conference_id == conference.id).group_by(Proposal.status)).all())
    assert set(counts) == set(S) and sum(counts.values()) >= 40 and counts[S.CONFIRMED] >= 12
    seed_demo(date(2026, 12, 1))
    assert db.session.scalar(select(func.count(Proposal.id))) == sum(counts.values())
    hamad = db.session.scalar(select(Proposal).where(Proposal.title == "تجربة سلطنة عمان في خط حماية الطفل"))
    assert hamad.status == S.CONFIRMED and hamad.speakers[0].email == "hamad.alhousni@example.org"
    for proposal in db.session.scalars(select(Proposal).where(Proposal.status == S.CONFIRMED)):
        for speaker in proposal.speakers:
            if speaker.user is not None:
                assert registration_of(speaker.user, conference).status == DelegateStatus.APPROVED
    assert db.session.scalar(select(func.count(SpeakerProfile.id))) >= 40
