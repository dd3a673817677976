"""Second look at the call for proposals: tampered ids, bidi isolation, decisions reversed before confirmation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from conference.extensions import db
from conference.mail.services import release_drafts
from conference.submissions.call import proposal_types
from conference.submissions.models import Proposal, ReviewAssignment
from tests.conftest import login, post_form


def _form(cfp, **fields):
    data = {"title": "Oman's child hotline", "abstract": "What we learnt.",
            "proposal_type_id": str(proposal_types(cfp)[0].id), "track_id": "", "language": "en",
            "notes": "", "co_speakers": ""}
    data.update(fields)
    return data


HUGE = "99999999999999999999"


@pytest.mark.parametrize("field,value", [("proposal_type_id", HUGE), ("track_id", HUGE), ("proposal_type_id", "²")],
                         ids=["type-huge", "track-huge", "type-superscript"])
def test_oversized_ids_in_the_proposal_form_are_refused_without_error(client, cfp, speaker, field, value):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, **{field: value}))
    assert response.status_code == 200
    assert db.session.scalar(select(Proposal)) is None


def test_an_oversized_reviewer_id_is_refused_without_error(client, cfp, organizer, speaker, make_proposal):
    proposal = make_proposal(speaker)
    login(client, organizer)
    response = post_form(client, f"/doha/manage/proposals/{proposal.id}/assign", {"reviewer_id": HUGE})
    assert response.status_code == 302
    assert db.session.scalar(select(ReviewAssignment)) is None


# ---- a decision reversed before the speakers confirm -----------------------------------------------------------

def _letters(proposal=None):
    from conference.mail.models import OutboxMessage

    query = select(OutboxMessage).where(OutboxMessage.template.in_(("proposal_accepted", "proposal_rejected")))
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def test_revoking_an_acceptance_replaces_the_unreleased_acceptance_letter(cfp, organizer, speaker, make_proposal):
    from conference.submissions.workflow import accept_proposal, revoke_acceptance

    proposal = make_proposal(speaker)
    accept_proposal(proposal, organizer)
    revoke_acceptance(proposal, organizer, "Slot lost")
    db.session.commit()
    assert proposal.status.value == "rejected"
    assert [(m.template, m.state.value) for m in _letters()] == [("proposal_rejected", "draft")]


def test_the_other_proposals_letters_stay_when_one_decision_is_reversed(cfp, organizer, speaker, make_proposal):
    from conference.submissions.workflow import accept_proposal, revoke_acceptance

    first, second = make_proposal(speaker), make_proposal(speaker)
    accept_proposal(first, organizer)
    accept_proposal(second, organizer)
    revoke_acceptance(first, organizer)
    db.session.commit()
    assert sorted(m.template for m in _letters()) == ["proposal_accepted", "proposal_rejected"]


def test_a_released_letter_is_followed_by_one_saying_it_replaces_it(cfp, organizer, speaker, make_proposal):
    from conference.mail.services import release
    from conference.submissions.workflow import reject_proposal, reverse_rejection

    proposal = make_proposal(speaker)
    reject_proposal(proposal, organizer)
    release(_letters()[0])
    reverse_rejection(proposal, organizer)
    db.session.commit()
    rejected, accepted = _letters()
    assert rejected.state.value != "draft" and accepted.state.value == "draft"
    assert "replaces our earlier message" in accepted.body_text


def test_a_reversal_is_logged_with_its_note(cfp, organizer, speaker, make_proposal):
    from conference.submissions.workflow import accept_proposal, revoke_acceptance

    proposal = make_proposal(speaker)
    accept_proposal(proposal, organizer)
    revoke_acceptance(proposal, organizer, "Slot lost")
    db.session.commit()
    entry = proposal.log[-1]
    assert (entry.from_status, entry.to_status, entry.note, entry.actor_id) == (
        "accepted", "rejected", "Slot lost", organizer.id)


def test_the_organizer_reverses_a_decision_through_the_confirmation_page(client, cfp, organizer, speaker,
                                                                          make_proposal):
    from conference.submissions.workflow import accept_proposal

    proposal = make_proposal(speaker)
    accept_proposal(proposal, organizer)
    db.session.commit()
    login(client, organizer)
    page = client.get(f"/doha/manage/proposals/{proposal.id}").get_data(as_text=True)
    assert 'value="revoke_acceptance"' in page
    preview = post_form(
        client, "/doha/manage/proposals/decide", {"action": "revoke_acceptance", "ids": str(proposal.id)}
    )
    assert "Withdraw the acceptance" in preview.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status.value == "accepted"  # the preview changes nothing
    post_form(client, "/doha/manage/proposals/decide",
              {"action": "revoke_acceptance", "ids": str(proposal.id), "confirmed": "1"})
    db.session.refresh(proposal)
    assert proposal.status.value == "rejected"


def test_the_bulk_decision_menu_offers_no_reversal(client, cfp, organizer, speaker, make_proposal):
    make_proposal(speaker)
    login(client, organizer)
    html = client.get("/doha/manage/proposals").get_data(as_text=True)
    assert 'value="accept"' in html and 'value="revoke_acceptance"' not in html


def test_a_confirmed_proposal_cannot_be_revoked_over_http(client, cfp, organizer, speaker, make_proposal):
    from conference.submissions.workflow import accept_proposal, confirm_proposal

    proposal = make_proposal(speaker)
    accept_proposal(proposal, organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    confirm_proposal(proposal, speaker)
    db.session.commit()
    login(client, organizer)
    post_form(client, "/doha/manage/proposals/decide",
              {"action": "revoke_acceptance", "ids": str(proposal.id), "confirmed": "1"})
    db.session.refresh(proposal)
    assert proposal.status.value == "confirmed"


# ---- bidi isolation of inserted names --------------------------------------------------------------------------

def _arabic_speaker(make_user):
    user = make_user("latin.name@example.org", name="Hamad Al-Housni")
    user.locale = "ar"
    db.session.commit()
    return user


def test_a_letters_text_isolates_the_speakers_name(cfp, organizer, make_user, make_proposal):
    from conference.submissions.workflow import accept_proposal

    accept_proposal(make_proposal(_arabic_speaker(make_user)), organizer)
    db.session.commit()
    assert "\u2068Hamad Al-Housni\u2069" in _letters()[0].body_text


def test_a_letters_text_isolates_the_title_after_its_label(cfp, organizer, make_user, make_proposal):
    from conference.submissions.workflow import accept_proposal

    accept_proposal(make_proposal(_arabic_speaker(make_user), title="Helplines in Oman"), organizer)
    db.session.commit()
    assert "\u2068Helplines in Oman\u2069" in _letters()[0].body_text


def test_a_letters_html_isolates_the_speakers_name(cfp, organizer, make_user, make_proposal):
    from conference.submissions.workflow import accept_proposal

    accept_proposal(make_proposal(_arabic_speaker(make_user)), organizer)
    db.session.commit()
    assert "<bdi>Hamad Al-Housni</bdi>" in _letters()[0].body_html


def test_an_invitations_text_isolates_the_inviters_name(cfp, speaker, make_proposal):
    from conference.mail.models import OutboxMessage

    make_proposal(speaker, co_speakers=["amina@example.org"])
    invitation = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation"))
    assert "\u2068Hamad bin Saif Al-Housni\u2069" in invitation.body_text


def test_an_invalid_co_speaker_address_is_isolated_in_the_message(cfp, speaker):
    from conference.submissions.errors import SubmissionError
    from conference.submissions.writing import create_proposal

    data = {"title": "T", "abstract": "A", "proposal_type_id": proposal_types(cfp)[0].id, "track_id": None,
            "language": "en", "notes": "", "co_speakers": ["not-an-address"]}
    with pytest.raises(SubmissionError) as error:
        create_proposal(cfp, speaker, data)
    assert "\u2068not-an-address\u2069" in str(error.value)


def test_the_organizers_table_separates_speakers_with_an_arabic_comma_in_arabic(client, cfp, organizer, speaker,
                                                                                make_user, make_proposal):
    from conference.submissions.writing import accept_invitation

    proposal = make_proposal(speaker, co_speakers=["amina@example.org"])
    accept_invitation(proposal.speakers[1], make_user("amina@example.org", name="Amina Al-Balushi"))
    db.session.commit()
    login(client, organizer)
    html = client.get("/doha/manage/proposals?lang=ar").get_data(as_text=True)
    assert "Hamad bin Saif Al-Housni</bdi>، <bdi>Amina Al-Balushi" in html


# ---- word counting in any script, as the page's live counter counts -------------------------------------------

@pytest.mark.parametrize("text,words", [
    ("مُحَمَّدٌ رَسُولُ", 2),
    ("١٢٣ طفلًا", 2),
    ("حمايةُ الأطفالِ، والأسرِ.", 3),
    ("हिन्दी भाषा", 2),
    ("child-helpline isn't new", 3),
    ("电话热线", 4),
], ids=["arabic-with-harakat", "arabic-tanween-and-digits", "arabic-case-endings", "devanagari-vowel-signs",
        "latin-joiners", "ideographs"])
def test_words_are_counted_whole_whatever_their_marks(text, words):
    from conference.submissions.call import count_words

    assert count_words(text) == words


# ---- a double submit --------------------------------------------------------------------------------------------

def test_posting_the_same_new_proposal_twice_keeps_one(client, cfp, speaker):
    login(client, speaker)
    post_form(client, "/doha/cfp/new", _form(cfp, submit_now="1"))
    second = post_form(client, "/doha/cfp/new", _form(cfp, submit_now="1"))
    proposals = db.session.scalars(select(Proposal)).all()
    assert len(proposals) == 1
    assert second.headers["Location"].endswith(f"/doha/me/proposals/{proposals[0].id}")


def test_the_same_title_and_abstract_by_the_same_author_is_refused_by_the_service(cfp, speaker, make_proposal):
    from conference.submissions.writing import DuplicateProposal

    first = make_proposal(speaker, title="Same", abstract="Same words.")
    with pytest.raises(DuplicateProposal) as error:
        make_proposal(speaker, title="Same", abstract="Same words.")
    assert error.value.proposal.id == first.id
