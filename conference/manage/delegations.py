"""Organizer pages for official delegations: create, name the head, add members."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..accounts.access import conference_view
from ..accounts.models import Role
from ..core.actions import perform
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Delegate, Delegation
from ..registration.services import (
    add_delegation_member,
    create_delegation,
    set_delegation_head,
)
from . import bp
from .forms import DelegationForm, DelegationMemberForm
from .services import delegations_of


def _member_form(conference: Conference, delegation: Delegation) -> DelegationMemberForm:
    """A form listing the delegates of the delegation's country."""
    form = DelegationMemberForm()
    candidates = db.session.scalars(
        Delegate.of(conference).where(Delegate.country == delegation.country).order_by(Delegate.name)).all()
    form.delegate_id.choices = [SelectChoice(d.id, f"{d.name} ({d.code})") for d in candidates]
    return form


@bp.route("/<slug>/manage/delegations", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def delegations(conference: Conference):
    """Every delegation of the conference, and a form to create one."""
    form = DelegationForm()
    if form.validate_on_submit():
        created = perform(lambda: create_delegation(conference, form.country.data, form.name.data, form.name_ar.data),
                          _("The delegation has been created."), field=form.name)
        if created.ok:
            return redirect(url_for("manage.delegation", slug=conference.slug, delegation_id=created.value.id))
    return render_template("manage/delegations.html", conference=conference, form=form,
                           delegations=delegations_of(conference))


@bp.get("/<slug>/manage/delegations/<int:delegation_id>")
@conference_view(Role.ORGANIZER)
def delegation(conference: Conference, delegation_id: int):
    """One delegation: head, members, and forms to change them."""
    item = Delegation.get_or_404(conference, delegation_id)
    return render_template("manage/delegation.html", conference=conference, delegation=item,
                           form=_member_form(conference, item))


@bp.post("/<slug>/manage/delegations/<int:delegation_id>/<role>")
@conference_view(Role.ORGANIZER)
def delegation_member(conference: Conference, delegation_id: int, role: str):
    """Add a member to the delegation, or name its head (who also becomes a member)."""
    item = Delegation.get_or_404(conference, delegation_id)
    if role not in {"member", "head"}:
        abort(404)
    form = _member_form(conference, item)
    if form.validate_on_submit():
        chosen = Delegate.get_for(conference, form.delegate_id.data)
        change = set_delegation_head if role == "head" else add_delegation_member
        perform(lambda: change(item, chosen), _("The delegation has been updated."))
    else:
        flash(_("Please choose a delegate from the list."), "error")
    return redirect(url_for("manage.delegation", slug=conference.slug, delegation_id=item.id))
