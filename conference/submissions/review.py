"""Review: reviewers assigned by hand or automatically (balanced, no conflicts), scores, the organizers' table."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Membership, Role, User
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Delegate
from ..types import utcnow
from .call import call_of
from .errors import SubmissionError
from .models import Proposal, ProposalSpeaker, ProposalStatus, ReviewAssignment, SpeakerProfile

REVIEWABLE = (ProposalStatus.SUBMITTED,)  # reviews are given and changed until the decision is made


def reviewers_of(conference: Conference) -> list[User]:
    """Everyone holding the reviewer role for the conference, by name."""
    return db.session.scalars(
        select(User).join(Membership).where(Membership.conference_id == conference.id, Membership.role == Role.REVIEWER)
        .order_by(User.display_name, User.email)
    ).unique().all()


def _organizations(conference: Conference, user_ids: set[int]) -> dict[int, set[str]]:
    """Each user's organizations in this conference (speaker profile and registration), case-folded."""
    found: dict[int, set[str]] = defaultdict(set)
    if not user_ids:
        return found
    rows = db.session.execute(
        select(SpeakerProfile.user_id, SpeakerProfile.organization)
        .where(SpeakerProfile.conference_id == conference.id, SpeakerProfile.user_id.in_(user_ids))
    ).all() + db.session.execute(
        select(Delegate.user_id, Delegate.organization)
        .where(Delegate.conference_id == conference.id, Delegate.user_id.in_(user_ids))
    ).all()
    for user_id, organization in rows:
        if organization and organization.strip():
            found[user_id].add(organization.strip().casefold())
    return found


class _Conflicts:
    """Who may not review what: their own proposals and those of their organization."""

    def __init__(self, conference: Conference, proposals: list[Proposal], reviewers: list[User]) -> None:
        speaker_ids = {s.user_id for p in proposals for s in p.speakers if s.user_id}
        self.organizations = _organizations(conference, speaker_ids | {r.id for r in reviewers})

    def conflicted(self, proposal: Proposal, reviewer: User) -> bool:
        for speaker in proposal.speakers:
            if speaker.user_id == reviewer.id or speaker.email == reviewer.email:
                return True
            if speaker.user_id and self.organizations.get(speaker.user_id, set()) & self.organizations.get(
                    reviewer.id, set()):
                return True
        return False


def _assignment_counts(conference: Conference) -> Counter:
    return Counter(dict(db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count(ReviewAssignment.id)).join(Proposal)
        .where(Proposal.conference_id == conference.id).group_by(ReviewAssignment.reviewer_id)
    ).all()))


def assign_reviewer(proposal: Proposal, reviewer: User, actor: User) -> ReviewAssignment:
    """Assign one reviewer to one proposal by hand (not their own, nor their organization's)."""
    conference = db.session.get(Conference, proposal.conference_id)
    lock_conference(conference.id)
    if reviewer not in reviewers_of(conference):
        raise SubmissionError(_l("This person is not a reviewer of this conference."))
    if proposal.status not in REVIEWABLE:
        raise SubmissionError(_l("Only submitted proposals are reviewed."))
    if any(a.reviewer_id == reviewer.id for a in proposal.reviews):
        raise SubmissionError(_l("This reviewer is assigned already."))
    if _Conflicts(conference, [proposal], [reviewer]).conflicted(proposal, reviewer):
        raise SubmissionError(_l("This reviewer or their organization is behind this proposal."))
    assignment = ReviewAssignment(proposal_id=proposal.id, reviewer_id=reviewer.id, assigned_by_id=actor.id)
    proposal.reviews.append(assignment)
    db.session.flush()
    return assignment


def unassign_reviewer(assignment: ReviewAssignment) -> None:
    """Take a reviewer off a proposal, while they have not scored it."""
    if assignment.score is not None:
        raise SubmissionError(_l("This reviewer has scored the proposal already; the review stays."))
    db.session.delete(assignment)


def assign_automatically(conference: Conference, actor: User, per_proposal: int | None = None) -> int:
    """Give every submitted proposal up to N reviewers, least-loaded first, skipping conflicts. Returns how many."""
    lock_conference(conference.id)
    per_proposal = per_proposal or call_of(conference).reviewers_per_proposal
    reviewers = reviewers_of(conference)
    proposals = db.session.scalars(
        Proposal.of(conference).where(Proposal.status.in_(REVIEWABLE))
        .options(selectinload(Proposal.speakers), selectinload(Proposal.reviews)).order_by(Proposal.id)
    ).all()
    conflicts = _Conflicts(conference, proposals, reviewers)
    load = _assignment_counts(conference)
    made = 0
    # Proposals with the fewest eligible reviewers go first, so the scarce reviewers are not used up elsewhere.
    eligible = {p.id: [r for r in reviewers if not conflicts.conflicted(p, r)] for p in proposals}
    for proposal in sorted(proposals, key=lambda p: (len(eligible[p.id]), p.id)):
        have = {a.reviewer_id for a in proposal.reviews}
        candidates = sorted((r for r in eligible[proposal.id] if r.id not in have), key=lambda r: (load[r.id], r.id))
        for reviewer in candidates[:max(per_proposal - len(have), 0)]:
            proposal.reviews.append(ReviewAssignment(reviewer_id=reviewer.id, assigned_by_id=actor.id))
            load[reviewer.id] += 1
            made += 1
    db.session.flush()
    return made


def assignment_for(proposal: Proposal, reviewer: User) -> ReviewAssignment | None:
    """The reviewer's assignment to the proposal, if any."""
    return db.session.scalar(select(ReviewAssignment).where(ReviewAssignment.proposal_id == proposal.id,
                                                            ReviewAssignment.reviewer_id == reviewer.id))


def score_proposal(proposal: Proposal, reviewer: User, score: int, comment: str = "") -> ReviewAssignment:
    """Give or change a review: 1 to 5 with a comment, only on an assigned proposal, until the decision."""
    assignment = assignment_for(proposal, reviewer)
    if assignment is None:
        raise SubmissionError(_l("This proposal is not assigned to you."))
    if proposal.status not in REVIEWABLE:
        raise SubmissionError(_l("A decision has been made: reviews can no longer be changed."))
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise SubmissionError(_l("A score is a whole number from 1 to 5."))
    assignment.score, assignment.comment, assignment.reviewed_at = score, comment or "", utcnow()
    db.session.flush()
    return assignment


def reviewer_queue(conference: Conference, reviewer: User) -> list[ReviewAssignment]:
    """The reviewer's assignments, open ones first, with their proposals (a fixed number of queries)."""
    return db.session.scalars(
        select(ReviewAssignment).join(Proposal)
        .where(ReviewAssignment.reviewer_id == reviewer.id, Proposal.conference_id == conference.id)
        .options(selectinload(ReviewAssignment.proposal).selectinload(Proposal.proposal_type),
                 selectinload(ReviewAssignment.proposal).selectinload(Proposal.track))
        .order_by(ReviewAssignment.score.is_not(None), Proposal.id)
    ).all()


# ---- the organizers' table -----------------------------------------------------------------------------------

@dataclass
class ProposalRow:
    """One line of the organizers' table: a proposal and its scores."""

    proposal: Proposal
    count: int
    assigned: int
    mean: float | None
    spread: float | None  # standard deviation of the scores
    low: int | None
    high: int | None


SORTS = ("submitted", "title", "mean", "spread", "count", "status")
TABLE_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.CONFIRMED,
                  ProposalStatus.WITHDRAWN)


@dataclass
class TableFilters:
    """What the organizers' table shows: status, track, type, a minimum mean, unreviewed only, the order."""

    status: str = ""
    track: int | None = None
    type: int | None = None
    min_mean: float | None = None
    unfinished: bool = False
    sort: str = "submitted"

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("track", self.track), ("type", self.type),
                                  ("min_mean", self.min_mean), ("unfinished", "1" if self.unfinished else None),
                                  ("sort", self.sort if self.sort != "submitted" else None)) if v not in (None, "")}


def proposal_table(conference: Conference, filters: TableFilters) -> list[ProposalRow]:
    """Proposals (never drafts) with count, mean and spread of their scores; 4 queries whatever their number."""
    stats = (
        select(ReviewAssignment.proposal_id.label("pid"),
               func.count(ReviewAssignment.id).label("assigned"),
               func.count(ReviewAssignment.score).label("count"),
               func.avg(ReviewAssignment.score).label("mean"),
               func.avg(ReviewAssignment.score * ReviewAssignment.score).label("mean_sq"),
               func.min(ReviewAssignment.score).label("low"), func.max(ReviewAssignment.score).label("high"))
        .group_by(ReviewAssignment.proposal_id).subquery()
    )
    query = (
        select(Proposal, stats.c.assigned, stats.c.count, stats.c.mean, stats.c.mean_sq, stats.c.low, stats.c.high)
        .outerjoin(stats, stats.c.pid == Proposal.id)
        .where(Proposal.conference_id == conference.id, Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.speakers).selectinload(ProposalSpeaker.user),
                 selectinload(Proposal.proposal_type), selectinload(Proposal.track))
    )
    if filters.status in {s.value for s in TABLE_STATUSES}:
        query = query.where(Proposal.status == filters.status)
    if filters.track:
        query = query.where(Proposal.track_id == filters.track)
    if filters.type:
        query = query.where(Proposal.proposal_type_id == filters.type)
    if filters.min_mean is not None:
        query = query.where(stats.c.mean >= filters.min_mean)
    if filters.unfinished:
        query = query.where(or_(stats.c.assigned.is_(None), stats.c.count < stats.c.assigned))
    rows = []
    for proposal, assigned, count, mean, mean_sq, low, high in db.session.execute(query).all():
        spread = math.sqrt(max(float(mean_sq) - float(mean) ** 2, 0.0)) if count else None
        rows.append(ProposalRow(proposal, count or 0, assigned or 0, float(mean) if count else None, spread, low, high))
    keys = {
        "title": lambda r: r.proposal.title.casefold(),
        "mean": lambda r: (r.mean is None, -(r.mean or 0)),
        "spread": lambda r: (r.spread is None, -(r.spread or 0)),
        "count": lambda r: -r.count,
        "status": lambda r: r.proposal.status.value,
        "submitted": lambda r: (r.proposal.submitted_at is None, r.proposal.submitted_at or utcnow(), r.proposal.id),
    }
    rows.sort(key=keys.get(filters.sort, keys["submitted"]))
    return rows


@dataclass
class ReviewerProgress:
    """How far one reviewer has got."""

    reviewer: User
    assigned: int
    done: int

    @property
    def finished(self) -> bool:
        return self.done >= self.assigned


def reviewer_progress(conference: Conference) -> list[ReviewerProgress]:
    """Every reviewer with their assigned and finished reviews, those with work left first."""
    counts = {reviewer_id: (assigned, done) for reviewer_id, assigned, done in db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count(ReviewAssignment.id), func.count(ReviewAssignment.score))
        .join(Proposal).where(Proposal.conference_id == conference.id, Proposal.status != ProposalStatus.WITHDRAWN)
        .group_by(ReviewAssignment.reviewer_id)
    ).all()}
    reviewers = reviewers_of(conference)
    extra_ids = set(counts) - {r.id for r in reviewers}  # organizers or former reviewers who still hold reviews
    if extra_ids:
        reviewers += db.session.scalars(select(User).where(User.id.in_(extra_ids))).all()
    progress = [ReviewerProgress(r, *counts.get(r.id, (0, 0))) for r in reviewers]
    return sorted(progress, key=lambda p: (p.finished, p.reviewer.display_name or p.reviewer.email))


def reviews_of(proposal: Proposal) -> list[ReviewAssignment]:
    """All reviews of a proposal with their reviewers, given ones first."""
    return db.session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.proposal_id == proposal.id)
        .options(selectinload(ReviewAssignment.reviewer))
        .order_by(ReviewAssignment.score.is_(None), ReviewAssignment.id)
    ).all()


def eligible_reviewers(proposal: Proposal) -> list[User]:
    """Reviewers who could still be assigned to the proposal by hand (no conflict, not assigned yet)."""
    conference = db.session.get(Conference, proposal.conference_id)
    reviewers = reviewers_of(conference)
    conflicts = _Conflicts(conference, [proposal], reviewers)
    have = {a.reviewer_id for a in proposal.reviews}
    return [r for r in reviewers if r.id not in have and not conflicts.conflicted(proposal, r)]

