"""Conference list, conference page, creating and editing conferences."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from conference.events.models import Conference
from conference.events.services import list_conferences
from conference.extensions import db
from tests.conftest import login, post_form


def conference_form(**overrides) -> dict:
    data = {
        "slug": "icch-2028", "name_en": "Helplines 2028", "name_ar": "خطوط المساندة ٢٠٢٨",
        "country": "QA", "timezone": "Asia/Qatar", "start_date": "2028-05-23", "end_date": "2028-05-24",
        "registration_opens_at": "2027-11-01T09:00", "registration_closes_at": "2028-05-22T23:00",
        "capacity": "300", "admit_only_on_conference_days": "y",
    }
    data.update(overrides)
    return data


def test_index_lists_upcoming_first(app, make_conference, client):
    today = date.today()
    make_conference("past", start_date=today - timedelta(days=400), end_date=today - timedelta(days=399))
    make_conference("later", start_date=today + timedelta(days=90), end_date=today + timedelta(days=91))
    make_conference("soon", start_date=today + timedelta(days=10), end_date=today + timedelta(days=11))
    assert [c.slug for c in list_conferences()] == ["soon", "later", "past"]
    html = client.get("/").get_data(as_text=True)
    assert html.index("/soon/") < html.index("/later/") < html.index("/past/")


def test_index_empty_state(client):
    assert "No conferences yet." in client.get("/?lang=en").get_data(as_text=True)


def test_conference_page_in_both_languages(client, doha):
    english = client.get("/doha/?lang=en").get_data(as_text=True)
    assert "Test Conference" in english and "Asia/Qatar" in english
    arabic = client.get("/doha/?lang=ar").get_data(as_text=True)
    assert "مؤتمر تجريبي" in arabic and 'dir="rtl"' in arabic


def test_admin_creates_conference(client, make_user):
    login(client, make_user(admin=True))
    response = post_form(client, "/admin/conferences/new", conference_form())
    assert response.status_code == 302
    conference = db.session.scalar(select(Conference).where(Conference.slug == "icch-2028"))
    assert conference.name_ar == "خطوط المساندة ٢٠٢٨"
    # 09:00 in Doha (UTC+3) is 06:00 UTC.
    assert conference.registration_opens_at.hour == 6


def test_conference_form_refuses_bad_input(client, make_user, doha):
    login(client, make_user(admin=True))
    for bad in ({"slug": "Bad Slug!"}, {"end_date": "2028-05-01"}, {"slug": "doha"}, {"slug": "admin"},
                {"name_en": "x" * 10_000}, {"country": "XX"}, {"timezone": "Mars/Olympus"}):
        response = post_form(client, "/admin/conferences/new", conference_form(**bad))
        assert response.status_code == 200, bad
    assert db.session.scalar(select(func.count(Conference.id))) == 1


def test_organizer_edits_settings(client, make_user, doha):
    from conference.accounts.models import Role

    login(client, make_user(role=Role.ORGANIZER, conference=doha))
    page = client.get("/doha/manage/settings").get_data(as_text=True)
    assert 'value="doha"' in page
    response = post_form(client, "/doha/manage/settings", conference_form(slug="doha", name_en="Renamed"))
    assert response.status_code == 302
    db.session.refresh(doha)
    assert doha.name_en == "Renamed"


def test_settings_refuse_impossible_dates_and_partial_posts(client, make_user, doha):
    from conference.accounts.models import Role

    login(client, make_user(role=Role.ORGANIZER, conference=doha))
    before = doha.registration_opens_at
    for bad in ({"registration_opens_at": "0001-01-01T00:00"}, {"start_date": "9999-05-23", "end_date": "9999-05-24"},
                {"end_date": "2028-09-24"}):
        assert post_form(client, "/doha/manage/settings", conference_form(slug="doha", **bad)).status_code == 200
    partial = conference_form(slug="doha")
    del partial["registration_opens_at"]
    assert post_form(client, "/doha/manage/settings", partial).status_code == 302
    db.session.refresh(doha)
    assert doha.registration_opens_at is None or doha.registration_opens_at != before
