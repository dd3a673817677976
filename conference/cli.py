"""Flask commands: seed-demo, demo-if-empty, create-user, send-mail, badges, certificates, export- and
import-conference, place-sessions, purge-personal-data."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from badges import LAYOUTS

from .accounts.models import Role, User
from .accounts.services import AccountError, create_user, find_user, grant_role, set_password
from .accounts.verification import confirm_address, send_confirmation_again
from .agenda.assistant import accept_placement, parse_item, propose_placement
from .backup import BackupError, export_conference, import_conference
from .badging.services import badge_query, count_badges, render_batch
from .certificates.document import write_certificates
from .certificates.entitlements import count_eligible, eligible_query
from .certificates.services import batch_records, issue_certificates, settings_of
from .core.tasks import run_pending, run_worker
from .events.models import Conference
from .events.services import get_conference
from .extensions import db
from .mail.models import MailState
from .mail.services import deliver_all, outbox_counts
from .registration.models import Category, Delegate, DelegateStatus
from .registration.queries import DelegateFilters
from .registration.retention import purge_expired_personal_data
from .seed import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG, seed_demo
from .types import utcnow


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the Doha demo conference and its demo data (safe to run again)."""
    conference = seed_demo(utcnow().date())
    click.echo(f"Demo conference '{conference.slug}': {conference.start_date} to {conference.end_date}.")
    _demo_banner()


def _demo_banner() -> None:
    """Where the demo is served and every demo account (printed at each start of `make run`)."""
    click.echo(f"Serving {current_app.config['PUBLIC_URL']}/{DEMO_SLUG}; every demo account's password is "
               f"'{DEMO_PASSWORD}':")
    for emails, role in DEMO_ACCOUNTS:
        click.echo(f"  {emails}\n      {role}")


@click.command("demo-if-empty")
def demo_if_empty_command() -> None:
    """Load the demo on a database without any conference (used by `make run`), and say how to log in to it."""
    if db.session.scalar(select(Conference.id).limit(1)) is None:
        seed_demo_command.callback()
    elif db.session.scalar(select(Conference.id).where(Conference.slug == DEMO_SLUG)) is not None:
        _demo_banner()


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Role for --conference.")
@click.option("--conference", "slug", help="Conference slug the role is for.")
@click.option("--password", help="Password (asked for when left out).")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
def create_user_command(email: str, role: str | None, slug: str | None, password: str | None,
                        name: str, admin: bool) -> None:
    """Create a user (or update an existing one) and grant a role."""
    if bool(role) != bool(slug):
        raise click.UsageError("--role and --conference go together.")
    conference = get_conference(slug) if slug else None
    if slug and conference is None:
        raise click.UsageError(f"No conference with slug '{slug}'.")
    user = find_user(email)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=user is None)
    try:
        if user is None:
            # Whoever runs the command vouches for the address: its roles take effect without a mailed link.
            user = create_user(email, password, name or email.split("@")[0], is_admin=admin, verified=True)
        else:
            set_password(user, password)
            user.is_admin = user.is_admin or admin
            confirm_address(user)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if conference is not None:
        grant_role(user, conference.id, Role(role))
    db.session.commit()
    what = f" as {role} of {slug}" if role else ""
    click.echo(f"User {user.email}{what}{' (site admin)' if user.is_admin else ''} is ready.")


@click.command("send-mail")
@click.option("--retry-failed", is_flag=True, help="Also retry messages that failed before.")
@click.option("--watch", is_flag=True, help="Keep running: be a worker of the task queue (delivery, queuing, "
              "scheduled messages, periodic work).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Threads of a watching worker.")
def send_mail_command(retry_failed: bool, watch: bool, workers: int) -> None:
    """Do all pending background work once (queue messages, deliver the outbox) and exit, or keep going (--watch)."""
    if watch:
        click.echo(f"Worker with {workers} threads on the task queue (Ctrl-C stops).")
        run_worker(workers)
        return
    sent_before = outbox_counts().get(MailState.SENT, 0)
    tasks = run_pending()
    deliver_all(include_failed=retry_failed)
    db.session.expire_all()  # the tasks wrote in sessions of their own
    counts = outbox_counts()
    click.echo(f"{tasks} tasks run; {counts.get(MailState.SENT, 0) - sent_before} sent; "
               f"{counts.get(MailState.FAILED, 0)} failed and {counts.get(MailState.QUEUED, 0)} queued in the outbox.")


@click.command("badges")
@click.argument("slug")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="PDF file to write.")
@click.option("--layout", default="a6", show_default=True, help="a6, a4-4up or cr80.")
@click.option("--country", default="", help="ISO country code, e.g. OM.")
@click.option("--category", default="", help="delegate, speaker, organizer, press, staff or vip.")
@click.option("--status", default="approved", show_default=True, help="Only approved delegates get badges.")
@click.option("--delegation", type=int, default=None, help="Delegation id.")
@click.option("--not-printed", is_flag=True, help="Only badges not printed yet.")
def badges_command(slug: str, out_path: str, layout: str, country: str, category: str, status: str,
                   delegation: int | None, not_printed: bool) -> None:
    """Write the badges of a conference's approved delegates to one PDF for printing."""
    conference = get_conference(slug)
    if conference is None:
        raise click.UsageError(f"No conference with slug '{slug}'.")
    if layout not in LAYOUTS:
        raise click.UsageError(f"Unknown layout '{layout}'. Choose one of: {', '.join(sorted(LAYOUTS))}.")
    if status != "approved":
        raise click.UsageError("Badges are printed for approved delegates only (--status approved).")
    if category and category not in {c.value for c in Category}:
        raise click.UsageError(f"Unknown category '{category}'.")
    filters = DelegateFilters(country=country.upper(), category=category, delegation=delegation,
                              not_printed=not_printed)
    query = badge_query(conference, filters)
    total = count_badges(query)
    if total == 0:
        raise click.ClickException("No approved delegate matches these filters; no PDF was written.")
    with open(out_path, "wb") as stream, click.progressbar(length=total, label="Badges") as bar:
        result = render_batch(conference, query, layout, stream, on_progress=lambda done: bar.update(1))
    click.echo(f"{result.count} badges written to {out_path} ({layout}), {len(result.warnings)} warnings.")
    for code, message in result.warnings:
        click.echo(f"  warning {code}: {message}")


@click.command("certificates")
@click.argument("slug")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="PDF file to write.")
@click.option("--country", default="", help="ISO country code, e.g. OM.")
@click.option("--category", default="", help="delegate, speaker, organizer, press, staff or vip.")
def certificates_command(slug: str, out_path: str, country: str, category: str) -> None:
    """Write every certificate the conference's delegates are entitled to (issued now if need be) to one PDF."""
    conference = get_conference(slug)
    if conference is None:
        raise click.UsageError(f"No conference with slug '{slug}'.")
    if category and category not in {c.value for c in Category}:
        raise click.UsageError(f"Unknown category '{category}'.")
    if settings_of(conference) is None:
        raise click.ClickException("The certificates are not configured (manage/certificates); no PDF was written.")
    if count_eligible(eligible_query(conference, country, category)) == 0:
        raise click.ClickException("Nobody matching these filters is entitled to a certificate; no PDF was written.")
    issued = issue_certificates(conference, country, category)
    db.session.commit()
    partial = Path(f"{out_path}.part")  # written aside, so that a failure leaves no half PDF under the name
    try:
        with partial.open("wb") as stream:
            pages = write_certificates(batch_records(conference, country, category), stream)
        partial.replace(out_path)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"{pages} certificates written to {out_path} ({issued} issued now).")


@click.command("export-conference")
@click.argument("slug")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="JSON file to write.")
def export_conference_command(slug: str, out_path: str) -> None:
    """Write one conference, with everything that belongs to it, to a JSON backup file."""
    partial = Path(f"{out_path}.part")  # written aside, so a failed export leaves an earlier backup there whole
    try:
        with partial.open("w", encoding="utf-8") as out:
            counts = export_conference(slug, out)
        partial.replace(out_path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"{sum(counts.values())} rows from {len(counts)} tables written to {out_path}.")


@click.command("import-conference")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_conference_command(path: str) -> None:
    """Restore a conference from a JSON backup file (into a database that holds none of its ids yet).

    The file is checked whole before anything is written; a refusal is one line and leaves the database as it was.
    """
    try:
        with open(path, "rb") as source:
            restored = import_conference(source)
    except (BackupError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{sum(restored.rows.values())} rows restored into {len(restored.rows)} tables; "
               f"{restored.accounts_created} accounts created, {restored.accounts_found} existing accounts "
               "found by e-mail address and left as they are.")


@click.command("send-confirmation-links")
@click.option("--conference", "slug", help="Only accounts registered for this conference.")
def send_confirmation_links_command(slug: str | None) -> None:
    """Mail the address-confirmation link to every unconfirmed account whose registration waits for it."""
    query = (select(User).join(Delegate, Delegate.user_id == User.id)
             .where(User.email_verified_at.is_(None),
                    Delegate.status.in_((DelegateStatus.PENDING, DelegateStatus.WAITLISTED))).distinct())
    if slug:
        conference = get_conference(slug)
        if conference is None:
            raise click.UsageError(f"No conference with slug '{slug}'.")
        query = query.where(Delegate.conference_id == conference.id)
    users = db.session.scalars(query.order_by(User.id)).all()
    for user in users:
        send_confirmation_again(user)
    db.session.commit()
    click.echo(f"Confirmation links queued for {len(users)} accounts (deliver them with send-mail).")


@click.command("place-sessions")
@click.argument("slug")
@click.option("--move-placed", is_flag=True, help="Also move placed sessions that are not pinned.")
@click.option("--time-limit", type=click.FloatRange(min=0.01), help="Seconds to search (default PLACEMENT_TIME_LIMIT).")
@click.option("--apply", "apply_all", is_flag=True, help="Accept the whole proposal into the working copy.")
def place_sessions_command(slug: str, move_placed: bool, time_limit: float | None, apply_all: bool) -> None:
    """Propose a room and time for the sessions still to be scheduled (the placement assistant, for any size)."""
    conference = get_conference(slug)
    if conference is None:
        raise click.UsageError(f"No conference with slug '{slug}'.")
    proposal = propose_placement(conference, move_placed, time_limit or current_app.config["PLACEMENT_TIME_LIMIT"])
    result = proposal.result
    for item in proposal.items:
        where = f"{item.room.name_en}, {item.day} {item.start:%H:%M}-{item.end:%H:%M}"
        if item.is_new:
            click.echo(f"new   {item.title}: {where}")
        else:
            click.echo(f"moves {item.title}: {item.previous_room.name_en}, {item.previous_day} "
                       f"{item.previous_start:%H:%M} -> {where}")
    for reason in proposal.left_out:
        click.echo(f"left out: {reason}")
    for note in proposal.notes:
        click.echo(f"note: {note}")
    click.echo(f"{len(proposal.items)} to place or move, {len(proposal.left_out)} left out; solver {result.status}, "
               f"objective {result.objective}, {result.seconds:.1f} s, preferences kept "
               f"{result.preferences_met:.0%}.")
    if apply_all and proposal.items:
        outcome = accept_placement(conference, [parse_item(item.token) for item in proposal.items], "place-sessions")
        db.session.commit()
        click.echo(f"{outcome.applied} applied to the working copy (publish to show them).")
        for refusal in outcome.refused:
            click.echo(f"refused: {refusal}")


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Say what would be erased, and erase nothing.")
def purge_personal_data_command(dry_run: bool) -> None:
    """Erase the personal data whose retention has ended (answers, passport details); record the counts."""
    report = purge_expired_personal_data(dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    slugs = dict(db.session.execute(select(Conference.id, Conference.slug)).all())
    verb = "would erase" if dry_run else "erased"
    for item in report.erased:
        click.echo(f"{slugs.get(item.conference_id)}: {verb} {item.count} value(s) of {item.what} ({item.label})")
    click.echo(f"{report.total} value(s) {verb} in all.")


COMMANDS = [seed_demo_command, demo_if_empty_command, create_user_command, send_mail_command, badges_command,
            certificates_command,
            export_conference_command, import_conference_command, send_confirmation_links_command,
            place_sessions_command, purge_personal_data_command]


def register(app: Flask) -> None:
    """Attach every command to the application."""
    for command in COMMANDS:
        app.cli.add_command(command)
