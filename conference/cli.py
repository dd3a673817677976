"""Flask commands: seed-demo, create-user, send-mail."""
from __future__ import annotations

import click
from flask import Flask

from .accounts.models import Role
from .accounts.services import AccountError, create_user, find_user, grant_role, set_password
from .events.services import get_conference
from .extensions import db
from .types import utcnow


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the Doha demo conference and its demo data (safe to run again)."""
    from .seed import DEMO_PASSWORD, DEMO_USERS, demo_user_count, seed_demo

    conference = seed_demo(utcnow().date())
    click.echo(f"Demo conference '{conference.slug}': {conference.start_date} to {conference.end_date}.")
    click.echo(f"{demo_user_count()} demo accounts, password '{DEMO_PASSWORD}':")
    for email, _, role in DEMO_USERS:
        click.echo(f"  {email:<24} {role.value if role else 'site admin'}")


@click.command("demo-if-empty")
def demo_if_empty_command() -> None:
    """Load the demo on a database without any conference (used by `make run`)."""
    from sqlalchemy import select

    from .events.models import Conference

    if db.session.scalar(select(Conference.id).limit(1)) is None:
        seed_demo_command.callback()


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
            user = create_user(email, password, name or email.split("@")[0], is_admin=admin)
        else:
            set_password(user, password)
            user.is_admin = user.is_admin or admin
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
def send_mail_command(retry_failed: bool) -> None:
    """Deliver queued messages from the outbox."""
    from .mail.services import deliver_pending

    sent, failed = deliver_pending(include_failed=retry_failed)
    click.echo(f"{sent} sent, {failed} failed.")


COMMANDS = [seed_demo_command, demo_if_empty_command, create_user_command, send_mail_command]


def register(app: Flask) -> None:
    """Attach every command to the application."""
    for command in COMMANDS:
        app.cli.add_command(command)
