"""In a real browser: an open exam page shows seats taken elsewhere without a reload (live
seats), asking with its ETag and getting 304 while nothing changed."""
import pytest
from playwright.sync_api import expect

from .conftest import browser_login
from .factories_exams import ExamFactory

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_open_exam_page_shows_a_seat_taken_elsewhere_without_reloading(page, app, make, live_server):
    uni = make.university()
    e = ExamFactory(app).setup(uni, capacity=2, slots=2)
    srv = live_server(workers=2, env={"EXAMS_SEATS_POLL_SECONDS": "1"})
    browser_login(page, srv.url, "stud1")
    page.goto(f"{srv.url}/exams/{e.exam.id}")
    free = page.get_by_test_id("slot-1-1").get_by_test_id("free")
    expect(free).to_have_text("1 of 1 free")
    slot_list = f"{srv.url}/exams/{e.exam.id}/slots"
    with page.expect_response(lambda r: r.url == slot_list and r.status == 304, timeout=10_000):
        pass  # the poller asked with its ETag and nothing had changed
    other = srv.session("stud2")
    taken = other.post(f"{srv.url}/exams/{e.exam.id}/slots/{e.slot1.id}", headers={"HX-Request": "true"})
    assert taken.status_code == 200
    expect(free).to_have_text("0 of 1 free", timeout=10_000)
    expect(page.get_by_test_id("slot-1-1")).to_contain_text("Full")
    expect(page.get_by_test_id("slot-1-2").get_by_test_id("pick")).to_be_visible()
    assert srv.errors() == ""
