"""What every page shares: Babel formatting, error pages in the person's language, the
navigation's current section, home cards in each role's terms, the /grades index."""
from datetime import date, datetime

import pytest

from portal import formatting


@pytest.fixture
def people(make):
    make.user("stud", student=True)
    make.user("lect", lecturer=True)
    make.user("both", student=True, lecturer=True)


def lang(client, code):
    client.post(f"/lang/{code}")


@pytest.mark.parametrize("code, expected", [
    ("pl", ("pt., 11 gru 2026", "pt., 11 gru 2026, 09:00", "pt., 11 gru 2026, 09:00–11:00", "3,75", "4,00",
            "100%", "83,3%", "Piątek, 11 grudnia 2026")),
    ("en", ("Fri, Dec 11, 2026", "Fri, Dec 11, 2026, 09:00", "Fri, Dec 11, 2026, 09:00\u2009–\u200911:00", "3.75", "4.00",
            "100%", "83.3%", "Friday, December 11, 2026")),
])
def test_dates_and_numbers_in_the_interface_language(code, expected):
    start, end = datetime(2026, 12, 11, 9, 0), datetime(2026, 12, 11, 11, 0)
    got = (formatting.date(start.date(), lang=code), formatting.datetime(start, lang=code),
           formatting.span(start, end, lang=code), formatting.decimal(3.75, lang=code),
           formatting.decimal(4, 2, lang=code), formatting.percent(100.0, lang=code),
           formatting.percent(83.3, lang=code), formatting.day_heading(date(2026, 12, 11), lang=code))
    assert got == expected


def test_span_over_two_days_names_both():
    text = formatting.span(datetime(2026, 12, 11, 9, 0), datetime(2026, 12, 12, 10, 0), lang="en")
    assert text == "Fri, Dec 11, 2026, 09:00 – Sat, Dec 12, 2026, 10:00"


def test_error_pages_speak_polish_not_werkzeug(client, auth, people):
    auth.login("stud")
    lang(client, "pl")
    r = client.get("/exams/999999")
    page = r.get_data(as_text=True)
    assert r.status_code == 404 and "Nie znaleziono" in page and "Nie ma takiej strony" in page
    assert "The requested URL was not found" not in page
    r = client.get("/exams/999999", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"


def test_grades_index_leads_each_role(client, auth, people):
    auth.login("stud")
    assert client.get("/grades/").headers["Location"].endswith("/grades/my")
    auth.logout()
    auth.login("lect")
    assert client.get("/grades/").headers["Location"].endswith("/grades/reports")
    auth.logout()
    auth.login("both")
    page = client.get("/grades/").get_data(as_text=True)
    assert 'href="/grades/my"' in page and 'href="/grades/reports"' in page


def test_navigation_marks_the_section_of_a_sub_page(client, auth, people):
    auth.login("stud")
    page = client.get("/grades/my/latest").get_data(as_text=True)
    assert 'href="/grades/my"\n                 aria-current="true"' in page
    page = client.get("/grades/my").get_data(as_text=True)
    assert 'href="/grades/my"\n                 aria-current="page"' in page


def test_home_cards_in_staff_wording(client, auth, people):
    auth.login("lect")
    lang(client, "en")
    page = client.get("/").get_data(as_text=True)
    assert "The exams you examine or coordinate" in page and "pick a slot" not in page
    auth.logout()
    auth.login("stud")
    lang(client, "en")
    page = client.get("/").get_data(as_text=True)
    assert "pick a slot" in page and "The exams you examine or coordinate" not in page
