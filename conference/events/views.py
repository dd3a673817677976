"""Public conference pages and the conference settings form."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.access import admin_required, conference_view
from ..accounts.models import Role
from ..core.actions import perform
from ..types import utcnow
from . import bp
from .forms import ConferenceForm
from .models import Conference
from .services import LOCAL_TIME_FIELDS, list_conferences, save_conference, to_local

# Public pages of a conference, each shown once its area is installed.
PUBLIC_LINKS = (
    ("registration.register", _l("Register")),
    ("agenda.agenda", _l("Agenda")),
    ("agenda.speakers", _l("Speakers")),
    ("submissions.cfp", _l("Call for proposals")),
    ("registration.participants", _l("Participants")),
    ("registration.me", _l("My registration")),
)


@bp.app_context_processor
def conference_helpers() -> dict:
    """Template helpers: the conference's public links and the current time."""

    def conference_links(conference: Conference) -> list[tuple[str, str]]:
        return [(endpoint, str(label)) for endpoint, label in PUBLIC_LINKS]

    return {"conference_links": conference_links, "now": utcnow}


@bp.get("/")
def index():
    """Every conference on this installation, upcoming first."""
    return render_template("events/index.html", conferences=list_conferences())


@bp.get("/<slug>/")
@conference_view()
def home(conference: Conference):
    """A conference's front page."""
    return render_template("events/home.html", conference=conference)


def _save(form: ConferenceForm, conference: Conference | None):
    """Validate and store the form; answer with a redirect, or None to show it again."""
    if not form.validate_on_submit():
        return None
    # The conference's refusals are about its address (ConferenceError.field is "slug"), written under it.
    saved = perform(lambda: save_conference(conference, form.data), _("The conference has been saved."),
                    field=form.slug)
    return redirect(url_for("events.home", slug=saved.value.slug)) if saved.ok else None


@bp.route("/admin/conferences/new", methods=["GET", "POST"])
@admin_required
def create():
    """A site administrator creates a conference."""
    form = ConferenceForm()
    return _save(form, None) or render_template("events/edit.html", form=form, conference=None)


@bp.route("/<slug>/manage/settings", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def settings(conference: Conference):
    """Organizers and site administrators edit a conference."""
    # Only a GET is filled from the stored conference: a POST is judged on what was sent alone.
    form = ConferenceForm(obj=conference) if request.method == "GET" else ConferenceForm()
    if request.method == "GET":
        for field in LOCAL_TIME_FIELDS:
            form[field].data = to_local(getattr(conference, field), conference.timezone)
    return _save(form, conference) or render_template("events/edit.html", form=form, conference=conference)
