"""The question builder and the forms that ask, in English and Arabic: no serious accessibility fault (axe-core),
valid HTML (Nu)."""
from __future__ import annotations

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.questions.answers import read_answers, save_answers
from tests.pagecheck import LANGUAGES


@pytest.fixture
def pages(doha, arrival, make_question, make_delegate, make_user):
    """(path, who looks at it) for the builder, a question, the form that asks and the pages that show answers."""
    how, pickup = arrival
    for kind in ("text", "long_text", "number", "date", "datetime", "country"):
        make_question(doha, kind=kind, label_en=f"A {kind} question", label_ar="سؤال", help_en="Help", help_ar="مساعدة")
    make_question(doha, kind="choices", label_en="Workshops", label_ar="ورش العمل", choices=[("A", "أ"), ("B", "ب")])
    delegate = make_delegate(doha, status="pending")
    from werkzeug.datastructures import MultiDict

    given, _errors = read_answers([how, pickup], MultiDict({f"q{how.id}": str(how.choices[0].id),
                                                            f"q{pickup.id}": "yes"}), doha.tz)
    save_answers([how, pickup], given, delegate_id=delegate.id)
    db.session.commit()
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    paths = [("/doha/manage/questions", "organizer"), ("/doha/manage/questions/new/registration", "organizer"),
             (f"/doha/manage/questions/{how.id}", "organizer"), (f"/doha/manage/delegates/{delegate.id}", "organizer"),
             ("/doha/register", None), ("/doha/me/edit", "delegate"), ("/doha/me", "delegate")]
    return paths, {"organizer": organizer, "delegate": delegate.user}


@pytest.mark.parametrize("language", LANGUAGES)
def test_question_pages_have_no_serious_accessibility_violations(axe, pages, language):
    paths, who = pages
    assert axe(paths, who, language) == {}


def test_question_pages_are_valid_html(vnu, pages):
    paths, who = pages
    assert vnu(paths, who) == []
