"""The call's settings: its texts and limits (abstracts counted in words of any script) and the proposal types."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..events.models import Conference
from ..extensions import db
from .errors import SubmissionError
from .models import CallForProposals, ProposalType

DEFAULT_TYPES = (("Talk", "محاضرة", 20), ("Panel", "جلسة حوارية", 60), ("Workshop", "ورشة عمل", 90))
# A word is a run of characters that are not spaces, punctuation or symbols: letters, digits AND combining marks,
# so Arabic harakat/tanween and Indic vowel signs stay inside their word; ' ’ - join two runs. Ideographs and kana
# count one each, since those scripts use no spaces. static/js/submissions.js counts the same way.
_IDEOGRAPH = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_JOINERS = "'’-"
_SHAPED_WORD = re.compile(r"i|a+(?:-a+)*")


def _shape(character: str) -> str:
    if character in _JOINERS:
        return "-"
    if _IDEOGRAPH.match(character):
        return "i"
    if character.isspace() or unicodedata.category(character)[0] in "PS":
        return " "
    return "a"


def count_words(text: str) -> int:
    """Words in `text`, in any script (Arabic with or without harakat, Latin, ...; each ideograph counts as one)."""
    return len(_SHAPED_WORD.findall("".join(map(_shape, text or ""))))


# ---- the call's settings -------------------------------------------------------------------------------------

def call_of(conference: Conference) -> CallForProposals:
    """The call's settings, created with defaults (and the three usual proposal types) on first use."""
    call = db.session.scalar(CallForProposals.of(conference))
    if call is None:
        call = CallForProposals(conference_id=conference.id, text_en="", text_ar="", abstract_word_limit=300,
                                anonymized_review=True, reviewers_per_proposal=2)
        db.session.add(call)
        if not proposal_types(conference):
            for position, (name_en, name_ar, minutes) in enumerate(DEFAULT_TYPES):
                db.session.add(ProposalType(conference_id=conference.id, name_en=name_en, name_ar=name_ar,
                                            duration_minutes=minutes, position=position))
        db.session.flush()
    return call


def update_call(conference: Conference, data: dict) -> CallForProposals:
    """Save the call's texts and review settings (organizers)."""
    call = call_of(conference)
    if not 50 <= int(data.get("abstract_word_limit", call.abstract_word_limit)) <= 2000:
        raise SubmissionError(_l("The word limit must be between 50 and 2000."))
    if not 1 <= int(data.get("reviewers_per_proposal", call.reviewers_per_proposal)) <= 10:
        raise SubmissionError(_l("Between 1 and 10 reviewers per proposal."))
    for field in ("text_en", "text_ar", "abstract_word_limit", "anonymized_review", "reviewers_per_proposal"):
        if field in data:
            setattr(call, field, data[field])
    return call


def proposal_types(conference: Conference) -> list[ProposalType]:
    """The conference's proposal types in their order."""
    return db.session.scalars(ProposalType.of(conference)
                              .order_by(ProposalType.position, ProposalType.id)).all()


def save_proposal_type(conference: Conference, proposal_type: ProposalType | None, name_en: str, name_ar: str,
                       duration_minutes: int) -> ProposalType:
    """Add a proposal type or change one; its duration is the default for new proposals of that type."""
    if not name_en:
        raise SubmissionError(_l("Please give the type a name in English."))
    if not 5 <= duration_minutes <= 480:
        raise SubmissionError(_l("A duration is between 5 and 480 minutes."))
    same_name = db.session.scalar(select(ProposalType).where(
        ProposalType.conference_id == conference.id, ProposalType.name_en == name_en))
    if same_name is not None and same_name is not proposal_type:
        raise SubmissionError(_l("A proposal type with this name already exists."))
    if proposal_type is None:
        proposal_type = ProposalType(conference_id=conference.id, position=len(proposal_types(conference)))
        db.session.add(proposal_type)
    proposal_type.name_en, proposal_type.name_ar, proposal_type.duration_minutes = name_en, name_ar, duration_minutes
    db.session.flush()
    return proposal_type


