"""The suite stands alone: no test reads a file outside the repository (a clone alone must pass `make test`)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

TESTS = ROOT / "tests"
# A string naming a parent folder; an absolute path opened by a test is caught apart (ABSOLUTE_OPENERS).
OUTSIDE = re.compile(r"(^|/)\.\.(/|$)")
# Calls that open what their first argument names: an absolute path there is a place on one machine only.
ABSOLUTE_OPENERS = {"Path", "open", "PurePath", "read_text", "read_bytes"}
# Strings that look like such a path but are not a file the tests read: data sent to the application, and the
# browser the project installs from Debian (.ci/run).
NOT_PATHS = {("test_fuzzing.py", "../../etc/passwd"), ("browser.py", "/usr/bin/chromium")}


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


def _opens_an_absolute_path(call: ast.Call) -> bool:
    """Path("/…") or open("/…"): a file of this machine, not of the clone (URLs such as "/doha/…" go elsewhere)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    first = call.args[0] if call.args else None
    return (name in ABSOLUTE_OPENERS and isinstance(first, ast.Constant) and isinstance(first.value, str)
            and first.value.startswith("/"))


def outside_references(path: Path) -> list[str]:
    """Every place in a test file that points outside the repository, as 'file:line: what'."""
    name = path.relative_to(TESTS).as_posix()
    depth = len(path.relative_to(ROOT).parts)  # steps from the file up to ROOT
    found, climbs = [], {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and OUTSIDE.search(node.value) \
                and (path.name, node.value) not in NOT_PATHS:
            found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
        elif isinstance(node, ast.Call) and _opens_an_absolute_path(node) \
                and (path.name, node.args[0].value) not in NOT_PATHS:
            found.append(f"{name}:{node.lineno}: absolute path {node.args[0].value[:60]!r}")
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
    ('SCHEMAS = ROOT.parent / "beside" / "schemas"', ["climbs 1 folders from ROOT"]),
    ("HERE = Path(__file__).resolve().parents[3]", ["climbs 4"]),
    ("HERE = Path(__file__).parent.parent.parent.parent", ["climbs 4"]),
    ('DATA = Path("/srv/data/schemas")', ["absolute path '/srv/data/schemas'"]),
    ('DATA = open("/srv/data/schedule.json").read()', ["absolute path"]),
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
    'page = client.get("/doha/manage/delegates")',
])
def test_the_check_lets_paths_inside_the_repository_pass(tmp_path, monkeypatch, source):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.TESTS", tmp_path / "tests")
    path = tmp_path / "tests" / "agenda" / "test_example.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert outside_references(path) == []
