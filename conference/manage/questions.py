"""The organizers' question builder: the registration form's and the call for proposals' own questions."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import conference_view
from ..accounts.models import Role
from ..core.actions import perform
from ..events.models import Conference
from ..questions.errors import QuestionError
from ..questions.forms import ChoiceForm, QuestionForm
from ..questions.models import CONDITION_KINDS, Question, QuestionChoice, QuestionTarget
from ..questions.services import (
    add_choice,
    answer_counts,
    choice_counts,
    delete_choice,
    delete_question,
    move_choice,
    move_question,
    questions_of,
    retire_choice,
    retire_question,
    save_question,
)
from ..registration.models import Category
from ..registration.retention import retention_schedule
from ..submissions.call import proposal_types
from . import bp
from .forms import NoteForm


@bp.get("/<slug>/manage/questions")
@conference_view(Role.ORGANIZER)
def questions(conference: Conference):
    """Both forms' questions in order, with how many answers each has, and what will be erased when."""
    return render_template("manage/questions.html", conference=conference, form=NoteForm(),
                           registration=questions_of(conference, QuestionTarget.REGISTRATION),
                           proposal=questions_of(conference, QuestionTarget.PROPOSAL),
                           counts=answer_counts(conference), schedule=retention_schedule(conference))


def _question_form(conference: Conference, target: QuestionTarget, question: Question | None) -> QuestionForm:
    earlier = [q for q in questions_of(conference, target) if q.kind in CONDITION_KINDS
               and q.condition_question_id is None
               and (question is None or (q.position, q.id) < (question.position, question.id))]
    form = QuestionForm(obj=question, categories=[(c.value, c.title) for c in Category],
                        types=[(t.id, t.name_en) for t in proposal_types(conference)], conditions=earlier)
    if question is not None and request.method == "GET":
        form.kind.data = question.kind.value
        form.categories.data = question.category_list
        form.proposal_type_ids.data = question.type_id_list
        form.condition_values.data = question.condition_list
        form.min_value.data = "" if question.min_value is None else f"{question.min_value:g}"
        form.max_value.data = "" if question.max_value is None else f"{question.max_value:g}"
    return form


@bp.route("/<slug>/manage/questions/new/<target>", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def new_question(conference: Conference, target: str):
    """Add a question to the registration form or to the call for proposals."""
    if target not in {t.value for t in QuestionTarget}:
        abort(404)
    form = _question_form(conference, QuestionTarget(target), None)
    if form.validate_on_submit():
        outcome = perform(lambda: save_question(conference, None, {**form.data_for_service(), "target": target},
                                                form.choice_lines()), _("The question has been added."))
        if outcome.ok:
            return redirect(url_for("manage.edit_question", slug=conference.slug, question_id=outcome.value.id))
    return render_template("manage/question_form.html", conference=conference, form=form, question=None,
                           target=QuestionTarget(target))


@bp.route("/<slug>/manage/questions/<int:question_id>", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def edit_question(conference: Conference, question_id: int):
    """Change a question; its choices are listed below, each with its number of answers."""
    question = Question.get_or_404(conference, question_id)
    form = _question_form(conference, question.target, question)
    if form.validate_on_submit() and perform(
            lambda: save_question(conference, question, form.data_for_service(), form.choice_lines()),
            _("The question has been saved.")).ok:
        return redirect(url_for("manage.edit_question", slug=conference.slug, question_id=question.id))
    return render_template("manage/question_form.html", conference=conference, form=form, question=question,
                           target=question.target, choice_form=ChoiceForm(prefix="choice"),
                           counts=choice_counts(conference), answers=answer_counts(conference).get(question.id, 0),
                           small=NoteForm())


@bp.post("/<slug>/manage/questions/<int:question_id>/<action>")
@conference_view(Role.ORGANIZER)
def question_action(conference: Conference, question_id: int, action: str):
    """Move a question up or down, retire or restore it, or delete it."""
    question = Question.get_or_404(conference, question_id)
    actions = {
        "up": (lambda: move_question(question, -1), None),
        "down": (lambda: move_question(question, 1), None),
        "retire": (lambda: retire_question(question), _("The question is retired: new forms no longer ask it.")),
        "restore": (lambda: retire_question(question, False), _("The question is asked again.")),
        "delete": (lambda: delete_question(question), _("The question has been deleted.")),
    }
    if action not in actions:
        abort(404)
    if NoteForm().validate_on_submit():
        perform(*actions[action])
    return redirect(url_for("manage.questions", slug=conference.slug))


@bp.post("/<slug>/manage/questions/<int:question_id>/choices")
@conference_view(Role.ORGANIZER)
def new_choice(conference: Conference, question_id: int):
    """Add a choice at the end of a choice question's list."""
    question = Question.get_or_404(conference, question_id)
    form = ChoiceForm(prefix="choice")
    if form.validate_on_submit():
        perform(lambda: add_choice(question, form.label_en.data, form.label_ar.data), _("The choice has been added."))
    else:
        perform(lambda: _refuse(form))
    return redirect(url_for("manage.edit_question", slug=conference.slug, question_id=question.id))


def _refuse(form) -> None:
    raise QuestionError(" ".join(str(e) for errors in form.errors.values() for e in errors))


@bp.post("/<slug>/manage/questions/<int:question_id>/choices/<int:choice_id>/<action>")
@conference_view(Role.ORGANIZER)
def choice_action(conference: Conference, question_id: int, choice_id: int, action: str):
    """Move a choice up or down, retire or restore it, or delete it."""
    question = Question.get_or_404(conference, question_id)
    choice = next((c for c in question.choices if c.id == choice_id), None)
    if choice is None or not isinstance(choice, QuestionChoice) or not question.kind.has_choices:
        abort(404)
    actions = {
        "up": (lambda: move_choice(choice, -1), None),
        "down": (lambda: move_choice(choice, 1), None),
        "retire": (lambda: retire_choice(choice), _("The choice is retired: new forms no longer offer it.")),
        "restore": (lambda: retire_choice(choice, False), _("The choice is offered again.")),
        "delete": (lambda: delete_choice(choice), _("The choice has been deleted.")),
    }
    if action not in actions:
        abort(404)
    if NoteForm().validate_on_submit():
        perform(*actions[action])
    return redirect(url_for("manage.edit_question", slug=conference.slug, question_id=question.id))

