"""Conference-owned rows are loaded for a conference (core.scoping), never by id alone."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conference.core.scoping import ConferenceOwned
from conference.extensions import db
from conference.registration.models import AuditEntry, Delegate
from conference.submissions.models import Proposal, ProposalSpeaker, ProposalType

PACKAGE = Path(__file__).resolve().parents[2] / "conference"
NOT_OWNED = {"users", "conferences"}


def _owned_models() -> dict[str, type]:
    return {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, ConferenceOwned)}


def _page_modules() -> list[Path]:
    """Every module that defines routes (found by reading the source, so a new one is covered)."""
    return [path for path in PACKAGE.rglob("*.py") if "@bp." in path.read_text(encoding="utf-8")]


def _shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else path.name


def _loads_by_id_alone(path: Path, owned: set[str]) -> list[str]:
    """`db.session.get(Owned, …)` calls in a module, as "file:line Model"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and ast.unparse(node.func.value) == "db.session" and node.args
                and isinstance(node.args[0], ast.Name) and node.args[0].id in owned):
            found.append(f"{_shown(path)}:{node.lineno} {node.args[0].id}")
    return found


def _selects_in_pages(path: Path, owned: set[str]) -> list[str]:
    """`select(Owned…)` in a page module: a page asks the model (`of`, `get_for`) or a service instead."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "select"
                and any(isinstance(arg, ast.Name) and arg.id in owned for arg in node.args)):
            found.append(f"{_shown(path)}:{node.lineno}")
    return found


def test_every_table_of_a_conference_has_a_conference_owned_model(app):
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        if table.name in NOT_OWNED:
            continue
        belongs = "conference_id" in table.c or getattr(mapper.class_, "__owner__", None)
        assert belongs and issubclass(mapper.class_, ConferenceOwned), table.name


def test_no_code_loads_a_conference_owned_row_by_id_alone(app):
    owned = set(_owned_models())
    found = [hit for path in PACKAGE.rglob("*.py") for hit in _loads_by_id_alone(path, owned)]
    assert found == [], "load these with Model.get_for(conference, id) or get_or_404: " + ", ".join(found)


def test_pages_select_no_conference_owned_rows_themselves(app):
    owned = set(_owned_models())
    found = [hit for path in _page_modules() for hit in _selects_in_pages(path, owned)]
    assert found == [], "use Model.of(conference) or a service: " + ", ".join(found)


def test_the_guard_sees_a_load_by_id_and_a_select_in_a_page(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def page(i):\n    return db.session.get(Delegate, i), select(Delegate)\n", encoding="utf-8")
    assert _loads_by_id_alone(sample, {"Delegate"}) == ["views.py:2 Delegate"]
    assert _selects_in_pages(sample, {"Delegate"}) == ["views.py:2"]


@pytest.fixture
def two_conferences(make_conference, make_delegate, make_user):
    doha, other = make_conference("doha"), make_conference("other")
    mine, theirs = make_delegate(doha), make_delegate(other)
    kind = ProposalType(conference_id=other.id, name_en="Talk", duration_minutes=20)
    db.session.add(kind)
    db.session.flush()
    proposal = Proposal(conference_id=other.id, title="Hotlines", proposal_type_id=kind.id)
    db.session.add(proposal)
    db.session.flush()
    speaker = ProposalSpeaker(proposal_id=proposal.id, email="s@example.org")
    db.session.add(speaker)
    db.session.commit()
    return doha, other, mine, theirs, speaker


def test_a_row_of_another_conference_is_not_found(two_conferences):
    doha, other, mine, theirs, speaker = two_conferences
    assert Delegate.get_for(doha, mine.id) is mine
    assert Delegate.get_for(doha, theirs.id) is None and Delegate.get_for(other, theirs.id) is theirs
    assert Delegate.get_for(doha, None) is None
    # Through the parent it belongs to.
    assert ProposalSpeaker.get_for(doha, speaker.id) is None and ProposalSpeaker.get_for(other, speaker.id) is speaker
    assert db.session.scalars(Delegate.of(doha)).all() == [mine]


def test_a_page_answers_404_for_another_conferences_row(app, two_conferences):
    doha, _, _, theirs, _ = two_conferences
    with app.test_request_context(), pytest.raises(Exception) as refused:
        AuditEntry.get_or_404(doha, 10**6)
    assert getattr(refused.value, "code", None) == 404
    with app.test_request_context(), pytest.raises(Exception) as refused:
        Delegate.get_or_404(doha, theirs.id)
    assert getattr(refused.value, "code", None) == 404
