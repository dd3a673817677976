"""The suite's own machinery: run_together, and the catalogs compiled for the run outside the source tree."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_together


def test_tasks_start_together_and_their_results_come_back_in_order():
    arrived = []

    def task(n: int):
        def run(ready):
            arrived.append(n)
            ready()
            return n, len(arrived)  # every task has arrived by the time any passes ready()
        return run

    assert run_together([task(n) for n in range(5)]) == [(n, 5) for n in range(5)]


def test_expected_errors_are_returned_in_their_place_and_leave_the_others_running():
    def refused(ready):
        ready()
        raise LookupError("taken")

    outcomes = run_together([refused, lambda ready: ready() or "done"] * 10, expected=(LookupError,))
    assert [type(outcome) for outcome in outcomes[::2]] == [LookupError] * 10 and outcomes[1::2] == ["done"] * 10


def test_an_unexpected_error_is_raised_at_once_not_after_the_others_time_out():
    def broken(ready):
        raise ValueError("before the start")

    started = time.monotonic()
    with pytest.raises(ValueError, match="before the start"):  # the cause, not the others' broken barrier
        run_together([lambda ready: ready(), lambda ready: ready(), broken])
    assert time.monotonic() - started < 10


def test_a_task_that_never_calls_ready_is_an_error():
    started = time.monotonic()
    with pytest.raises(AssertionError, match="never called ready"):  # reported before the others' broken barrier
        run_together([lambda ready: ready(), lambda ready: None])
    assert time.monotonic() - started < 10


def test_the_app_reads_catalogs_compiled_for_the_run_outside_the_source_tree(client, app):
    """A test run writes no .mo file into conference/: the committed .po files are compiled into a folder of its own."""
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]).resolve()
    assert ROOT.resolve() not in folder.parents and (folder / "ar" / "LC_MESSAGES" / "messages.mo").is_file()
    assert "تسجيل الدخول" in client.get("/login?lang=ar").get_data(as_text=True)
