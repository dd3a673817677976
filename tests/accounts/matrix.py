"""Rows of the authorization matrix (tests/test_authorization.py) for accounts and the conference team."""
from __future__ import annotations

from tests.access import (
    DONE,
    DONE_200,
    LOGGED_IN,
    LOGGED_IN_AS,
    LOGGED_IN_POST,
    ORGANIZER,
    ORGANIZER_POST,
    POST_ONLY,
    PUBLIC,
    SHOWN,
    TO_LOGIN,
    TURNED_AWAY,
    Route,
    expect,
    for_everyone,
)
from tests.conftest import PASSWORD

NEW_PASSWORD = {"current": PASSWORD, "new": "a-new-horse-battery", "confirm": "a-new-horse-battery"}

ROUTES: dict[str, Route] = {
    # Anyone may log in, as anyone whose password they know (a logged-in visitor becomes that account).
    "accounts.login": Route("/login", PUBLIC, for_everyone(LOGGED_IN_AS),
                            form={"email": "{account_email}", "password": PASSWORD}),
    # Signing up answers on its own page ("check your mail"), whoever asks.
    "accounts.signup": Route("/signup", PUBLIC, for_everyone(DONE_200),
                             form={"display_name": "Noura Al-Thani", "email": "matrix-signup@example.org",
                                   "password": PASSWORD, "confirm": PASSWORD}),
    # Logging out ends every session of the account (a row); a visitor logged in nowhere has nothing to end.
    "accounts.logout": Route("/logout", PUBLIC, expect(TURNED_AWAY, DONE, DONE, DONE, DONE, DONE, DONE)),
    "accounts.password": Route("/account/password", LOGGED_IN, LOGGED_IN_POST, form=NEW_PASSWORD),
    # The same answer whether or not the address has an account; here it has one, so a mail is queued.
    "accounts.forgot_password": Route("/password/forgot", PUBLIC, for_everyone(DONE),
                                      form={"email": "{account_email}"}),
    # Whoever holds the link chooses the account's new password.
    "accounts.reset_password": Route("/password/reset/not-a-valid-token", PUBLIC, for_everyone(DONE),
                                     post_path="/password/reset/{reset_token}",
                                     form={"new": "a-new-horse-battery", "confirm": "a-new-horse-battery"}),
    "accounts.team": Route("/doha/manage/team", ORGANIZER, ORGANIZER_POST,
                           form={"email": "new-member@example.org", "role": "staff", "language": "ar"}),
    "accounts.remove_member": Route("/doha/manage/team/{membership_id}/remove", POST_ONLY, ORGANIZER_POST),
    # The link confirms the address of its own account only: logged out with the password, or logged in as it.
    "accounts.confirm_address": Route("/account/confirm/not-a-valid-token", PUBLIC,
                                      expect(DONE, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN),
                                      post_path="/account/confirm/{confirm_token}", form={"password": PASSWORD}),
    # Every visitor's address is confirmed already: there is nothing to send again.
    "accounts.send_confirmation": Route("/account/confirm", POST_ONLY, expect(TO_LOGIN, *[TURNED_AWAY] * 6)),
    "accounts.cancel_team_invitation": Route("/doha/manage/team/invitations/{team_invitation_id}/cancel",
                                             POST_ONLY, ORGANIZER_POST),
    # The sample invitation is the delegate's: accepted by them; refused on the page for any other account.
    "accounts.invitation": Route("/invitations/not-a-valid-token", PUBLIC,
                                 expect(TO_LOGIN, DONE, SHOWN, SHOWN, SHOWN, SHOWN, SHOWN),
                                 post_path="/invitations/{team_invitation_token}"),
}


def samples(people, conference) -> dict:
    """An account that is no visitor (to log in as, reset, confirm), a team member to remove, an invitation."""
    from conference.accounts.invitations import invitation_token, invite_team_member
    from conference.accounts.models import Role
    from conference.accounts.services import grant_role, password_reset_token
    from conference.accounts.verification import confirmation_token
    from conference.extensions import db
    from tests.conftest import quick_user

    account = quick_user("matrix-account@example.org", "Aisha Al-Mansouri")
    unconfirmed = quick_user("matrix-unconfirmed@example.org", "Yousef Haddad", verified=False)
    member = grant_role(quick_user("matrix-staff@example.org", "Omar Farouk"), conference.id, Role.STAFF)
    invitation = invite_team_member(conference, people["delegate"].email, Role.REVIEWER, people["organizer"])
    db.session.commit()
    return {"account_email": account.email, "reset_token": password_reset_token(account),
            "confirm_token": confirmation_token(unconfirmed), "membership_id": member.id,
            "team_invitation_id": invitation.id, "team_invitation_token": invitation_token(invitation)}
