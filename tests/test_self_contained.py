"""The suite stands alone: no test reads a file outside the repository (a clone alone must pass `make test`)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

TESTS = ROOT / "tests"
# Strings that name a place outside the repository: the team's machine, a folder beside the clone, a parent.
OUTSIDE = re.compile(r"/work(/|$)|(^|/)shared(/|$)|(^|/)\.\.(/|$)")
# Strings that look like such a path but are data sent to the application, never opened by the tests.
NOT_PATHS = {("test_fuzzing.py", "../../etc/passwd")}


def steps_up(node: ast.AST) -> tuple[str, int] | None:
    """How many folders `node` climbs from `__file__` or ROOT, as (start, steps); None if it starts elsewhere."""
    if isinstance(node, ast.Name) and node.id in {"__file__", "ROOT"}:
        return node.id, 0
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "Path" and len(node.args) == 1:
            return steps_up(node.args[0])
        if isinstance(node.func, ast.Attribute) and node.func.attr in {"resolve", "absolute"}:
            return steps_up(node.func.value)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        found = steps_up(node.value)
        return found and (found[0], found[1] + 1)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        found = steps_up(node.value.value)
        index = node.slice.value if isinstance(node.slice, ast.Constant) else None
        return found and isinstance(index, int) and (found[0], found[1] + index + 1)
    return None


def outside_references(path: Path) -> list[str]:
    """Every place in a test file that points outside the repository, as 'file:line: what'."""
    name = path.relative_to(TESTS).as_posix()
    depth = len(path.relative_to(ROOT).parts)  # steps from the file up to ROOT
    found, climbs = [], {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and OUTSIDE.search(node.value) \
                and (path.name, node.value) not in NOT_PATHS:
            found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "pardir":
            found.append(f"{name}:{node.lineno}: os.pardir")
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and (climb := steps_up(node)) \
                and climb[1] > (depth if climb[0] == "__file__" else 0):
            # `a.parent.parent` holds `a.parent`, which starts at the same place: report the whole chain once.
            start = (node.lineno, node.col_offset)
            climbs[start] = max(climbs.get(start, climb), climb, key=lambda c: c[1])
    found += [f"{name}:{line}: climbs {steps} folders from {start}, above the repository"
              for (line, _), (start, steps) in sorted(climbs.items())]
    return found


def test_no_test_reads_a_file_outside_the_repository():
    this = Path(__file__).resolve()
    files = [path for path in sorted(TESTS.rglob("*.py")) if path != this]
    assert len(files) > 50
    assert [where for path in files for where in outside_references(path)] == []


@pytest.mark.parametrize("source, expected", [
    ('SCHEMAS = ROOT.parent / "shared" / "schemas"', ["ROOT", "'shared'"]),
    ("HERE = Path(__file__).resolve().parents[3]", ["climbs 4"]),
    ("HERE = Path(__file__).parent.parent.parent.parent", ["climbs 4"]),
    ('DATA = Path("/work/shared/schemas")', ["'/work/shared/schemas'"]),
    ('DATA = ROOT / "tests" / ".." / ".." / "x"', ["'..'", "'..'"]),
    ("import os\nUP = os.path.join(ROOT, os.pardir)", ["os.pardir"]),
])
def test_the_check_finds_each_way_out(tmp_path, monkeypatch, source, expected):
    """A file two folders below ROOT (tests/agenda/x.py) climbs three folders from itself to ROOT, no more."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.TESTS", tmp_path / "tests")
    path = tmp_path / "tests" / "agenda" / "test_example.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    found = outside_references(path)
    assert len(found) == len(expected) and all(any(word in line for line in found) for word in expected), found


@pytest.mark.parametrize("source", [
    "HERE = Path(__file__).resolve().parents[2]",
    "HERE = Path(__file__).parent.parent.parent",
    'SCHEMAS = ROOT / "tests" / "agenda" / "schemas"',
    '"""Helpers shared by the tests."""',
])
def test_the_check_lets_paths_inside_the_repository_pass(tmp_path, monkeypatch, source):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.TESTS", tmp_path / "tests")
    path = tmp_path / "tests" / "agenda" / "test_example.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert outside_references(path) == []
