"""perform(): one place where a page's change is committed and the person told, or rolled back and told why."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import get_flashed_messages
from sqlalchemy import select
from wtforms import Form, StringField

from conference.accounts.models import User
from conference.core.actions import CONCURRENT_CHANGE, ServiceError, perform
from conference.extensions import db
from conference.submissions.models import Proposal
from tests.conftest import login, post_form, quick_user

ROOT = Path(__file__).resolve().parents[2]


class Refused(ServiceError):
    """A refusal of the kind a service raises."""


class AlreadyDone(ServiceError):
    """A refusal that only tells what is so."""

    category = "info"


def _emails() -> set[str]:
    db.session.rollback()  # read what the database holds, not the session
    return set(db.session.scalars(select(User.email)))


def _flashes() -> list[tuple[str, str]]:
    return get_flashed_messages(with_categories=True)


def test_a_change_is_committed_and_the_success_flashed(app):
    with app.test_request_context("/"):
        outcome = perform(lambda: quick_user("saved@example.org"), "Saved.")
        assert outcome.ok and outcome.value.email == "saved@example.org"
        assert _flashes() == [("success", "Saved.")]
    assert _emails() == {"saved@example.org"}


def test_no_success_message_flashes_nothing(app):
    with app.test_request_context("/"):
        assert perform(lambda: quick_user("quiet@example.org")).ok
        assert _flashes() == []
    assert _emails() == {"quiet@example.org"}


def test_the_success_message_may_be_a_function_of_the_result(app):
    with app.test_request_context("/"):
        perform(lambda: quick_user("named@example.org"), lambda user: f"Welcome, {user.email}.")
        assert _flashes() == [("success", "Welcome, named@example.org.")]


def test_a_success_function_answering_none_flashes_nothing(app):
    with app.test_request_context("/"):
        assert perform(lambda: quick_user("none@example.org"), lambda user: None).ok
        assert _flashes() == []


def _refuse(error: ServiceError):
    def action():
        quick_user("half-done@example.org")  # written, then refused: it must not stay
        raise error
    return action


@pytest.mark.parametrize("error, category", [(Refused("Not now."), "error"), (AlreadyDone("Done already."), "info")],
                         ids=["error", "info-category"])
def test_a_refusal_rolls_everything_back_and_flashes_its_message(app, error, category):
    with app.test_request_context("/"):
        outcome = perform(_refuse(error), "Saved.")
        assert not outcome.ok and outcome.error is error and outcome.value is None
        assert _flashes() == [(category, str(error))]
    assert _emails() == set()


def test_a_refusal_goes_under_a_form_field_instead_of_a_flash(app):
    class NameForm(Form):
        name = StringField()

    form = NameForm()
    form.validate()
    with app.test_request_context("/"):
        assert not perform(_refuse(Refused("This name is taken.")), "Saved.", field=form.name).ok
        assert _flashes() == []
    assert form.name.errors == ["This name is taken."]
    assert _emails() == set()


def _collide():
    quick_user("first-step@example.org")
    quick_user("taken@example.org")  # the unique address refuses this one: the first step goes too


@pytest.fixture
def taken(app):
    quick_user("taken@example.org")
    db.session.commit()


@pytest.mark.parametrize("conflict, flashes", [
    (None, [("error", str(CONCURRENT_CHANGE))]),
    ("That address is in use.", [("error", "That address is in use.")]),
    ("", []),
], ids=["default-message", "own-message", "silent"])
def test_a_collision_writes_nothing_and_says_the_conflict_message(app, taken, conflict, flashes):
    with app.test_request_context("/"):
        outcome = perform(_collide, "Saved.", conflict=conflict)
        assert not outcome.ok and not isinstance(outcome.error, ServiceError)
        assert _flashes() == flashes
    assert _emails() == {"taken@example.org"}


def test_a_collision_is_not_written_under_the_form_field(app, taken):
    class EmailForm(Form):
        email = StringField()

    form = EmailForm()
    form.validate()
    with app.test_request_context("/"):
        perform(_collide, field=form.email)
        assert _flashes() == [("error", str(CONCURRENT_CHANGE))]
    assert form.email.errors == []


def test_a_work_in_progress_of_the_request_before_perform_is_committed_with_it(app):
    """perform() commits the request's transaction, not only what the action did."""
    with app.test_request_context("/"):
        quick_user("before@example.org")
        perform(lambda: quick_user("inside@example.org"))
    assert _emails() == {"before@example.org", "inside@example.org"}


# ---- pages that use it ------------------------------------------------------------------------------------------

def test_a_proposal_sent_twice_leads_to_the_first_with_an_info_message(client, make_conference, make_user):
    from datetime import datetime, timedelta, timezone

    from conference.submissions.call import call_of, proposal_types

    now = datetime.now(timezone.utc)
    conference = make_conference("doha", cfp_opens_at=now - timedelta(days=1), cfp_closes_at=now + timedelta(days=1))
    call_of(conference)
    db.session.commit()
    login(client, make_user("speaker@example.org"))
    form = {"title": "Listening to children", "abstract": "Helplines answer children in crisis.",
            "proposal_type_id": str(proposal_types(conference)[0].id), "language": "en"}
    post_form(client, "/doha/cfp/new", form)
    client.get("/doha/")  # the first success message is shown and gone
    second = post_form(client, "/doha/cfp/new", form)
    first = db.session.scalar(select(Proposal))
    assert second.status_code == 302 and second.headers["Location"].endswith(f"/doha/me/proposals/{first.id}")
    with client.session_transaction() as session:
        assert session["_flashes"] == [("info", "You have sent this proposal already: here it is.")]


# ---- no page commits by itself ------------------------------------------------------------------------------------

# Every module that defines routes, found by reading the source: a new one is checked without being listed.
PAGES = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("conference/**/*.py")
               if re.search(r"^@bp\.(?:route|get|post)\(", path.read_text(encoding="utf-8"), re.M))
# Where a page may still end a transaction itself, and why.
ALLOWED = {
    ("conference/core/views.py", "db.session.rollback()"),  # healthz: a failed ping leaves a broken transaction
}
COMMIT_OR_ROLLBACK = re.compile(r"db\.session\.(?:commit|rollback)\(\)")


@pytest.mark.parametrize("path", PAGES)
def test_no_page_commits_or_rolls_back_by_itself(path):
    found = {(path, call) for call in COMMIT_OR_ROLLBACK.findall((ROOT / path).read_text(encoding="utf-8"))}
    assert found <= ALLOWED, f"{path} ends a transaction itself: use conference.core.actions.perform()"


def test_the_check_finds_the_page_modules():
    assert {"conference/accounts/views.py", "conference/agenda/editor.py", "conference/events/venue.py",
            "conference/checkin/api.py", "conference/submissions/manage.py"} <= set(PAGES)
