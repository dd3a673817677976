"""Organizer pages: dashboard, delegates (table, detail, actions, exports), delegations."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view
from ..accounts.models import Role
from ..core.actions import perform
from ..core.charts import bar_chart, column_chart
from ..core.i18n import fmt_date, fmt_number, lang, text_direction
from ..core.params import page_number, parse_id
from ..core.signals import delegate_shown
from ..core.spreadsheet import csv_response, xlsx_response
from ..events.models import Conference
from ..extensions import db
from ..mail.services import mail_of_recipient
from ..questions.answers import answered, answers_for, form_values, read_answers
from ..questions.models import QuestionTarget
from ..questions.services import choice_counts, questions_of
from ..registration.letters import visa_letter_pdf
from ..registration.models import Category, Delegate, DelegateStatus
from ..registration.queries import DelegateFilters, countries_present, delegate_query
from ..registration.services import (
    apply_bulk_action,
    delegates_by_ids,
    delegation_choices,
    issue_visa_letter,
    registration_questions,
    update_details,
)
from ..registration.workflow import TRANSITIONS, allowed_actions, waitlist_position
from ..registration.workflow import change_status as change_registration_status
from . import bp
from .exports import delegate_header, delegate_rows
from .forms import BulkForm, NoteForm, OrganizerDetailsForm
from .services import dashboard as dashboard_numbers
from .services import delegation_names

PAGE_SIZE = 50
ORGANIZER = Role.ORGANIZER


@bp.get("/<slug>/manage/")
@conference_view(ORGANIZER)
def dashboard(conference: Conference):
    """Registrations at a glance: by status, country, category and over time."""
    numbers = dashboard_numbers(conference, lang())
    rtl = text_direction() == "rtl"
    countries = bar_chart([(name, n) for _, name, n in numbers.by_country[:30]], rtl, fmt=fmt_number)
    categories = bar_chart([(c.title, n) for c, n in numbers.by_category], rtl, fmt=fmt_number)
    days = column_chart([(fmt_date(day, "medium"), n) for day, n in numbers.per_day], rtl)
    counts = choice_counts(conference)
    answer_charts = [(question, bar_chart([(choice.label, counts.get(choice.id, 0)) for choice in question.choices],
                                          rtl, fmt=fmt_number))
                     for question in questions_of(conference, QuestionTarget.REGISTRATION)
                     if question.kind.has_choices and question.retired_at is None]
    return render_template("manage/dashboard.html", conference=conference, numbers=numbers,
                           country_chart=countries, category_chart=categories, day_chart=days,
                           statuses=list(DelegateStatus), answer_charts=answer_charts)


@bp.get("/<slug>/manage/delegates")
@conference_view(ORGANIZER)
def delegates(conference: Conference):
    """The delegates table: search, filters, sorting, pages, bulk actions."""
    filters = DelegateFilters.from_args(request.args)
    page = db.paginate(delegate_query(conference, filters), page=page_number(request.args), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("manage/delegates.html", conference=conference, page=page, filters=filters,
                           countries=countries_present(conference), delegations=delegation_choices(conference),
                           statuses=list(DelegateStatus), categories=list(Category), bulk=BulkForm(),
                           question_filters=[q for q in questions_of(conference, QuestionTarget.REGISTRATION)
                                             if q.kind.filterable])


@bp.post("/<slug>/manage/delegates/bulk")
@conference_view(ORGANIZER)
def bulk(conference: Conference):
    """Show the chosen delegates for confirmation, then apply the action to them."""
    form = BulkForm()
    chosen = delegates_by_ids(conference, [n for n in map(parse_id, request.form.getlist("ids")) if n])
    if not form.validate_on_submit() or not chosen:
        flash(_("Choose at least one delegate and an action."), "error")
        return redirect(url_for("manage.delegates", slug=conference.slug))
    if form.confirmed.data != "yes":
        label = next((c.label for c in form.action.choices if c.value == form.action.data), form.action.data)
        return render_template("manage/bulk_confirm.html", conference=conference, form=form, chosen=chosen,
                               label=label)
    perform(lambda: apply_bulk_action(chosen, form.action.data, current_user),
            lambda counts: _("%(done)s changed, %(skipped)s left as they were.", done=counts[0], skipped=counts[1]))
    return redirect(url_for("manage.delegates", slug=conference.slug))


@bp.get("/<slug>/manage/delegates/<int:delegate_id>")
@conference_view(ORGANIZER)
def delegate(conference: Conference, delegate_id: int):
    """One delegate: details, passport data, history and the actions that apply."""
    item = Delegate.get_or_404(conference, delegate_id)
    return render_template("manage/delegate.html", conference=conference, delegate=item, form=NoteForm(),
                           position=waitlist_position(item), allowed=allowed_actions(item),
                           answered=answered(conference, QuestionTarget.REGISTRATION, delegate_id=item.id),
                           mails=mail_of_recipient(conference.id, item.email),
                           sections=[section for _receiver, section in delegate_shown.send(conference, delegate=item)
                                     if section])


@bp.post("/<slug>/manage/delegates/<int:delegate_id>/status/<action>")
@conference_view(ORGANIZER)
def change_status(conference: Conference, delegate_id: int, action: str):
    """Approve, reject, waitlist, promote or cancel one delegate."""
    item = Delegate.get_or_404(conference, delegate_id)
    form = NoteForm()
    if action not in TRANSITIONS:
        abort(404)
    if form.validate_on_submit():
        perform(lambda: change_registration_status(item, action, current_user, form.note.data or ""),
                lambda _result: _("The registration is now “%(status)s”.", status=item.status.title))
    else:
        flash(" ".join(str(e) for e in form.note.errors), "error")
    return redirect(url_for("manage.delegate", slug=conference.slug, delegate_id=item.id))


@bp.route("/<slug>/manage/delegates/<int:delegate_id>/edit", methods=["GET", "POST"])
@conference_view(ORGANIZER)
def edit_delegate(conference: Conference, delegate_id: int):
    """An organizer edits a delegate's details, category and answers to the registration questions."""
    item = Delegate.get_or_404(conference, delegate_id)
    form = OrganizerDetailsForm(obj=item, delegations=delegation_choices(conference), conference=conference)
    if request.method == "GET":
        form.category.data = item.category.value
    asked = registration_questions(conference, item.category)
    answers, question_errors = read_answers(asked, request.form, conference.tz, require=False)
    valid = form.validate_on_submit()
    if valid and not question_errors and perform(
            lambda: update_details(item, {**form.details(), "answers": answers}, current_user, by_organizer=True),
            _("The details have been saved.")).ok:
        return redirect(url_for("manage.delegate", slug=conference.slug, delegate_id=item.id))
    shown = (request.form.to_dict(flat=False) if request.method == "POST"
             else form_values(asked, answers_for(delegate_ids=[item.id])[item.id], conference.tz))
    return render_template("manage/delegate_edit.html", conference=conference, delegate=item, form=form,
                           asked=asked, answers=shown,
                           question_errors=question_errors if request.method == "POST" else {})


@bp.post("/<slug>/manage/delegates/<int:delegate_id>/visa-letter")
@conference_view(ORGANIZER)
def issue_letter(conference: Conference, delegate_id: int):
    """Issue the visa invitation letter (the delegate can then download it)."""
    item = Delegate.get_or_404(conference, delegate_id)
    if NoteForm().validate_on_submit():
        perform(lambda: issue_visa_letter(item, current_user),
                lambda reference: _("Visa letter %(ref)s issued.", ref=reference))
    return redirect(url_for("manage.delegate", slug=conference.slug, delegate_id=item.id))


@bp.get("/<slug>/manage/delegates/<int:delegate_id>/visa-letter.pdf")
@conference_view(ORGANIZER)
def letter_pdf(conference: Conference, delegate_id: int):
    """Download a delegate's issued visa letter."""
    item = Delegate.get_or_404(conference, delegate_id)
    if not item.visa_letter_ref:
        abort(404)
    return send_file(visa_letter_pdf(item, conference), mimetype="application/pdf", as_attachment=True,
                     download_name=f"visa-letter-{item.visa_letter_ref}.pdf")


def _export(conference: Conference) -> tuple[list[str], object]:
    """The header and the rows of the filtered delegates, with a column per registration question."""
    filters = DelegateFilters.from_args(request.args)
    query = delegate_query(conference, filters, load_delegation=False)
    questions = questions_of(conference, QuestionTarget.REGISTRATION)
    return (delegate_header(questions, lang()),
            delegate_rows(query, delegation_names(conference, lang()), lang(), questions, conference.tz))


@bp.get("/<slug>/manage/delegates.csv")
@conference_view(ORGANIZER)
def export_csv(conference: Conference):
    """The filtered delegates as CSV (UTF-8 with BOM, safe against formula injection)."""
    return csv_response(f"{conference.slug}-delegates.csv", *_export(conference))


@bp.get("/<slug>/manage/delegates.xlsx")
@conference_view(ORGANIZER)
def export_xlsx(conference: Conference):
    """The filtered delegates as an Excel workbook."""
    return xlsx_response(f"{conference.slug}-delegates.xlsx", _("Delegates"), *_export(conference))

