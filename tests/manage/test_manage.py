"""Organizer pages: dashboard, delegates table, bulk actions, detail, exports, delegations."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, insert, select

from conference.accounts.models import Role, User
from conference.extensions import db
from conference.registration.models import Category, Delegate, DelegateStatus, Delegation
from conference.registration.services import new_badge_token
from tests.conftest import login, password_hash, post_form
from tests.pdfcheck import assert_clean_pdf


@pytest.fixture
def organizer_client(client, doha, make_user):
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    return client


def bulk_delegates(conference, count: int, country: str = "QA") -> None:
    """Insert many delegates quickly (two statements), for query-count and export tests."""
    start = db.session.scalar(select(func.count(User.id)))
    db.session.execute(insert(User), [
        {"email": f"bulk{start + n}@example.org", "password_hash": password_hash(), "display_name": f"Bulk {n}",
         "locale": "en", "is_admin": False, "created_at": datetime.now(timezone.utc)} for n in range(count)])
    ids = db.session.scalars(select(User.id).where(User.email.like("bulk%")).order_by(User.id)).all()[-count:]
    statuses = list(DelegateStatus)
    db.session.execute(insert(Delegate), [
        {"conference_id": conference.id, "user_id": user_id, "email": f"bulk{start + n}@example.org",
         "name": f"Bulk Person {n}", "country": country if n % 2 else "OM", "status": statuses[n % 5],
         "category": Category.DELEGATE, "code": f"{country}-B{n:05d}", "badge_token": new_badge_token(),
         "consent_privacy": True, "organization": "=HYPERLINK(\"http://evil\")" if n == 0 else "UNICEF"}
        for n, user_id in enumerate(ids)])
    db.session.commit()


def count_queries(client, path: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
        response.get_data()
        assert response.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


@pytest.mark.parametrize("path", ["/doha/manage/", "/doha/manage/delegates", "/doha/manage/delegates.csv",
                                  "/doha/manage/delegates.xlsx"])
def test_query_count_does_not_grow_with_delegates(organizer_client, doha, path):
    bulk_delegates(doha, 20)
    few = count_queries(organizer_client, path)
    bulk_delegates(doha, 1980, country="EG")
    assert count_queries(organizer_client, path) == few


def test_dashboard_numbers_in_both_languages(organizer_client, doha, make_delegate):
    make_delegate(doha, status="approved", country="OM")
    make_delegate(doha, status="pending", country="OM")
    make_delegate(doha, status="waitlisted", country="EG", category="press")
    english = organizer_client.get("/doha/manage/?lang=en").get_data(as_text=True)
    assert "Oman" in english and "Egypt" in english and "<svg" in english
    arabic = organizer_client.get("/doha/manage/?lang=ar").get_data(as_text=True)
    assert "عُمان" in arabic and "مصر" in arabic


def test_dashboard_empty_state(organizer_client, doha):
    assert "No registrations yet" in organizer_client.get("/doha/manage/?lang=en").get_data(as_text=True)


def test_table_search_filters_sorting_and_pages(organizer_client, doha, make_delegate):
    make_delegate(doha, name="حمد بن سيف الحوسني", name_latin="Hamad Al-Housni", country="OM")
    make_delegate(doha, name="Sara Haddad", country="JO", status="pending", organization="UNICEF")
    page = organizer_client.get("/doha/manage/delegates?q=الحوسني").get_data(as_text=True)
    assert "حمد بن سيف الحوسني" in page and "Sara Haddad" not in page
    assert "Sara Haddad" in organizer_client.get("/doha/manage/delegates?q=unicef").get_data(as_text=True)
    assert "Sara Haddad" in organizer_client.get("/doha/manage/delegates?q=JO-0001").get_data(as_text=True)
    filtered = organizer_client.get("/doha/manage/delegates?status=pending&country=JO").get_data(as_text=True)
    assert "Sara Haddad" in filtered and "الحوسني" not in filtered
    by_name = organizer_client.get("/doha/manage/delegates?sort=name&dir=asc").get_data(as_text=True)
    assert by_name.index("Sara Haddad") < by_name.index("حمد بن سيف")
    assert organizer_client.get("/doha/manage/delegates?q=%25&sort=evil&status=nope&page=999").status_code == 200
    bulk_delegates(doha, 120)
    assert "rel=\"next\"" in organizer_client.get("/doha/manage/delegates").get_data(as_text=True)


def test_bulk_approve_asks_for_confirmation(organizer_client, doha, make_delegate):
    pending = [make_delegate(doha, status="pending") for _ in range(3)]
    ids = [str(d.id) for d in pending]
    confirm = post_form(organizer_client, "/doha/manage/delegates/bulk", {"action": "approve", "ids": ids})
    assert "Please confirm" in confirm.get_data(as_text=True)
    assert all(d.status == DelegateStatus.PENDING for d in pending)
    done = post_form(organizer_client, "/doha/manage/delegates/bulk",
                     {"action": "approve", "ids": ids, "confirmed": "yes"})
    assert done.status_code == 302
    for delegate in pending:
        db.session.refresh(delegate)
        assert delegate.status == DelegateStatus.APPROVED


def test_bulk_sets_category_and_ignores_other_conferences(organizer_client, doha, make_conference, make_delegate):
    ours = make_delegate(doha)
    theirs = make_delegate(make_conference("other"))
    post_form(organizer_client, "/doha/manage/delegates/bulk",
              {"action": "category:press", "ids": [str(ours.id), str(theirs.id)], "confirmed": "yes"})
    db.session.refresh(ours)
    db.session.refresh(theirs)
    assert ours.category == Category.PRESS and theirs.category == Category.DELEGATE


def test_status_change_with_note_and_history(organizer_client, doha, make_delegate):
    delegate = make_delegate(doha, status="pending")
    response = post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/status/approve",
                         {"note": "verified by phone"})
    assert response.status_code == 302
    page = organizer_client.get(f"/doha/manage/delegates/{delegate.id}?lang=en").get_data(as_text=True)
    assert "verified by phone" in page and "Test User" in page  # the note and who made the change
    again = post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/status/approve", {})
    assert again.status_code == 302
    assert post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/status/explode", {}).status_code == 404


def test_organizer_edits_category_and_sees_passport(organizer_client, doha, make_delegate):
    delegate = make_delegate(doha, visa_requested=True, passport_number="P999", nationality="OM",
                             passport_name="HAMAD")
    page = organizer_client.get(f"/doha/manage/delegates/{delegate.id}").get_data(as_text=True)
    assert "P999" in page
    response = post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/edit",
                         {"name": delegate.name, "country": "OM", "category": "vip"})
    assert response.status_code == 302
    db.session.refresh(delegate)
    assert delegate.category == Category.VIP
    assert post_form(organizer_client, "/doha/manage/delegates/99999/edit", {}).status_code == 404


def test_organizer_issues_visa_letter(organizer_client, doha, make_delegate):
    from datetime import date

    delegate = make_delegate(doha, visa_requested=True, passport_number="P999", nationality="OM",
                             passport_name="HAMAD", passport_expiry=date(2035, 1, 1))
    post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/visa-letter", {})
    db.session.refresh(delegate)
    assert delegate.visa_letter_ref
    response = organizer_client.get(f"/doha/manage/delegates/{delegate.id}/visa-letter.pdf")
    assert response.data.startswith(b"%PDF")
    assert_clean_pdf(response.data)


def test_csv_export_has_bom_is_formula_safe_and_filtered(organizer_client, doha):
    bulk_delegates(doha, 10)
    response = organizer_client.get("/doha/manage/delegates.csv?country=OM&lang=ar")
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1 + 5 and all(row[6] == "OM" for row in rows[1:])
    assert rows[1][7] == "عُمان"
    assert any(row[8] == "'=HYPERLINK(\"http://evil\")" for row in rows[1:])


def test_xlsx_export(organizer_client, doha):
    bulk_delegates(doha, 10)
    response = organizer_client.get("/doha/manage/delegates.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 11 and rows[0][0] == "Code"
    assert not any(str(cell).startswith("=") for row in rows for cell in row if cell)


def test_delegations_create_head_and_member(organizer_client, doha, make_delegate):
    hamad = make_delegate(doha, country="OM")
    colleague = make_delegate(doha, name="Second", country="OM")
    response = post_form(organizer_client, "/doha/manage/delegations",
                         {"country": "OM", "name": "Delegation of the Sultanate of Oman", "name_ar": "وفد سلطنة عمان"})
    delegation = db.session.scalar(select(Delegation))
    assert response.status_code == 302 and delegation.country == "OM"
    assert "وفد سلطنة عمان</a>" in organizer_client.get("/doha/manage/delegations?lang=ar").get_data(as_text=True)
    assert "Sultanate of Oman</a>" in organizer_client.get("/doha/manage/delegations?lang=en").get_data(as_text=True)
    post_form(organizer_client, f"/doha/manage/delegations/{delegation.id}/head", {"delegate_id": str(hamad.id)})
    post_form(organizer_client, f"/doha/manage/delegations/{delegation.id}/member",
              {"delegate_id": str(colleague.id)})
    db.session.refresh(delegation)
    assert delegation.head_id == hamad.id and {m.id for m in delegation.members} == {hamad.id, colleague.id}
    duplicate = post_form(organizer_client, "/doha/manage/delegations",
                          {"country": "OM", "name": "Delegation of the Sultanate of Oman"})
    assert duplicate.status_code == 200
