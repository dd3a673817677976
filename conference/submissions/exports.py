"""The organizers' proposal table as CSV and Excel: the table's columns, then one column per question of the call."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ..core.i18n import localized
from ..questions.answers import answer_formatter, answers_for
from ..questions.models import Question
from .review import ProposalRow


def proposal_header(questions: Sequence[Question], language: str) -> list[str]:
    """Column titles in the page language, then each question's label."""
    return [_("Title"), _("Speakers"), _("Type"), _("Track"), _("Language"), _("Status"), _("Reviews"), _("Mean"),
            _("Submitted at (UTC)"), *(question.label_in(language) for question in questions)]


def proposal_rows(rows: list[ProposalRow], questions: Sequence[Question], language: str,
                  zone: ZoneInfo) -> Iterator[list]:
    """One row per proposal of the table, its answers read in one query."""
    answers = answers_for(proposal_ids=[row.proposal.id for row in rows]) if questions else {}
    columns = [(question.id, answer_formatter(question, language, zone, for_page=False)) for question in questions]
    for row in rows:
        proposal, given = row.proposal, answers.get(row.proposal.id, {})
        speakers = ", ".join((s.user.display_name if s.user and s.user.display_name else s.email)
                             for s in proposal.speakers)
        yield [proposal.title, speakers, localized(proposal.proposal_type, "name"),
               localized(proposal.track, "name") if proposal.track else "", proposal.language_title,
               proposal.status.title, row.count, round(row.mean, 2) if row.mean is not None else "",
               proposal.submitted_at.strftime("%Y-%m-%d %H:%M") if proposal.submitted_at else "",
               *(write(given.get(question_id, ())) for question_id, write in columns)]
