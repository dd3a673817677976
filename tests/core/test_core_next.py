"""No `next` leads off the site: every page that goes back to a `next` (found in the views' source, so that a new one
is swept too) is sent values that browsers would read as another site, and must answer with a Location on this one.
"""
from __future__ import annotations

import html
import inspect
import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from conference.accounts.models import User
from conference.accounts.verification import confirmation_token
from conference.extensions import db, limiter
from conference.mail.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login
from tests.core.test_core_edge import forget_the_last_client, fresh_client, post_as_browser, rules_app
from tests.core.test_core_params import EVIL_NEXT
from tests.test_authorization import samples  # noqa: F401  (samples is the matrix's fixture)
from tests.test_fuzzing import browser_stays_on_site

# The unit test's values, and a few that are local although they look odd (a browser stays on the site with them).
SWEPT_NEXT = [*EVIL_NEXT, "/%0d%0aLocation:%20https://evil.example", "/.//evil.example"]


def _login(client, value, _ctx):
    forget_the_last_client()
    return client.post("/login", query_string={"next": value}, data={
        "email": "delegate@example.org", "password": PASSWORD, "csrf_token": csrf_token(client)})


def _send_confirmation(client, value, ctx):
    login(client, ctx["newcomer"])
    return post_as_browser(client, "/account/confirm?" + _query(value), {})


def _star(client, value, ctx):
    login(client, ctx["people"]["delegate"])
    path = f"/doha/agenda/{ctx['samples']['agenda_session_id']}/star"
    return post_as_browser(client, path, {"starred": "1", "next": value})


def _star_page(client, value, ctx):
    """The star page without JavaScript, opened with ?next=: where its button then leads."""
    login(client, ctx["people"]["delegate"])
    session_id = ctx["samples"]["agenda_session_id"]
    page = client.get(f"/doha/me/agenda/{session_id}", query_string={"next": value})
    if page.status_code != 200:
        return page
    kept = html.unescape(re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True)).group(1))
    return post_as_browser(client, f"/doha/agenda/{session_id}/star", {"starred": "1", "next": kept})


def _signup_then_confirm(client, value, ctx):
    """Sign up with ?next=, then follow the mailed link: where the confirmation leads."""
    email = f"newcomer{len(ctx['seen'])}@example.org"
    ctx["seen"].append(email)
    form = {"display_name": "Layla", "email": email, "password": PASSWORD, "confirm": PASSWORD}
    signed_up = post_as_browser(client, "/signup?" + _query(value), form)
    if signed_up.status_code != 200:
        return signed_up
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == email))
    path = re.search(r"/account/confirm/[A-Za-z0-9._\-]+", mail.body_text).group(0)
    return post_as_browser(client, path, {"password": PASSWORD})


def _confirm_address(client, value, ctx):
    """A confirmation link that carries the value itself (signed by us, as every link made before the check)."""
    user = User(email=f"old{len(ctx['seen'])}@example.org", password_hash=ctx["newcomer"].password_hash)
    ctx["seen"].append(user.email)
    db.session.add(user)
    db.session.commit()
    return post_as_browser(client, f"/account/confirm/{confirmation_token(user, value)}", {"password": PASSWORD})


def _query(value) -> str:
    return urlencode({"next": value})


# endpoint -> how to make it redirect to a `next` of our choosing (returns the answer)
NEXT_ROUTES = {
    "accounts.login": _login,
    "accounts.send_confirmation": _send_confirmation,
    "agenda.star": _star,
    "agenda.star_page": _star_page,
    "accounts.signup": _signup_then_confirm,
    "accounts.confirm_address": _confirm_address,
}
READS_NEXT = re.compile(r"""safe_next\(|["']next["']""")


def test_every_page_that_reads_a_next_is_swept():
    app = rules_app()
    reading = {endpoint for endpoint, view in app.view_functions.items()
               if endpoint != "static" and READS_NEXT.search(inspect.getsource(inspect.unwrap(view)))}
    assert reading == set(NEXT_ROUTES)


@pytest.mark.parametrize("endpoint", NEXT_ROUTES)
def test_no_next_leads_off_the_site(app, people, samples, make_user, monkeypatch, endpoint):  # noqa: F811
    monkeypatch.setattr(limiter, "enabled", False)  # dozens of logins and mails in a row
    ctx = {"people": people, "samples": samples, "newcomer": make_user("newcomer@example.org", verified=False),
           "seen": []}
    locations = {}
    for value in SWEPT_NEXT:
        response = NEXT_ROUTES[endpoint](fresh_client(app), value, ctx)
        if "\x00" in value and response.status_code == 400:
            continue  # a NUL in the address is refused before any page (refuse_nul_in_address)
        assert response.status_code in (302, 303), (value, response.status_code)
        locations[value] = response.headers["Location"]
    assert {value: location for value, location in locations.items() if not browser_stays_on_site(location)} == {}


@pytest.mark.parametrize("endpoint", NEXT_ROUTES)
def test_a_local_next_is_followed(app, people, samples, make_user, monkeypatch, endpoint):  # noqa: F811
    monkeypatch.setattr(limiter, "enabled", False)
    ctx = {"people": people, "samples": samples, "newcomer": make_user("newcomer@example.org", verified=False),
           "seen": []}
    response = NEXT_ROUTES[endpoint](fresh_client(app), "/doha/agenda?day=2026-05-23", ctx)
    assert response.headers["Location"] == "/doha/agenda?day=2026-05-23"
