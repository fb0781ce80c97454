"""In a real browser: a student books a date, lands on the reserve list of a full one and is promoted
when someone signs off; the lecturer accepts and rejects participants in place."""
import pytest

from .conftest import browser_login
from .factories_meetings import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def setup(app, make):
    mf = MeetingFactory(app)
    uni = make.university()
    sub = mf.substantiation(uni.faculty, name="Pytania")
    rejection = mf.substantiation(uni.faculty, kind="rejection", name="Nie teraz")
    meeting = mf.meeting(uni.coordinator, uni.faculty, name="Konsultacje")
    free = mf.date(meeting, days=2, seats=2, reserve=1)
    full = mf.date(meeting, days=3, seats=1, reserve=1)
    mf.entry(full, uni.students[1])
    manual = mf.meeting(uni.coordinator, uni.faculty, auto_accept=False, name="Dyżur")
    pending = mf.date(manual, days=4, seats=2, reserve=0)
    waiting = [mf.entry(pending, s, status="waiting") for s in uni.students[2:4]]
    return uni, sub, rejection, free, full, pending, waiting


def test_student_books_waits_on_reserve_and_is_promoted(page, setup, live_server):
    uni, sub, _rej, free, full, _pending, _waiting = setup
    srv = live_server(workers=2)
    browser_login(page, srv.url, "stud1")
    page.goto(srv.url + "/meetings/")
    page.locator(f"a[href='/meetings/dates/{free.id}']").first.click()
    page.select_option("select[name=substantiation]", str(sub.id))
    page.fill("textarea[name=message]", "Zadanie 3")
    page.get_by_test_id("sign-up").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "accepted"

    page.goto(f"{srv.url}/meetings/dates/{full.id}")
    page.select_option("select[name=substantiation]", str(sub.id))
    page.get_by_test_id("sign-up").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "reserve list, place 1"

    other = srv.session("stud2")
    assert other.post(f"{srv.url}/meetings/dates/{full.id}/sign-off").status_code == 200
    page.goto(srv.url + "/meetings/my")
    statuses = page.get_by_test_id("status").all_inner_texts()
    assert statuses == ["accepted", "accepted"]


def test_lecturer_accepts_and_rejects_in_place(page, setup, live_server):
    uni, _sub, rejection, _free, _full, pending, waiting = setup
    srv = live_server(workers=2)
    browser_login(page, srv.url, "coord")
    page.goto(f"{srv.url}/meetings/manage/dates/{pending.id}/participants")
    first = page.locator(f"tr[data-entry='{waiting[0].id}']")
    first.get_by_test_id("accept").click()
    page.locator(f"tr[data-entry='{waiting[0].id}'] [data-testid=status]", has_text="accepted").wait_for()
    second = page.locator(f"tr[data-entry='{waiting[1].id}']")
    second.get_by_test_id("reject-open").click()
    second.locator("select").select_option(str(rejection.id))
    second.locator("input[name='reject-message']").fill("Proszę napisać e-mail")
    second.get_by_test_id("reject").click()
    page.locator(f"tr[data-entry='{waiting[1].id}'] [data-testid=status]", has_text="rejected").wait_for()
    assert "Proszę napisać e-mail" in page.locator(f"tr[data-entry='{waiting[1].id}']").inner_text()
    # a full page load shows the same state (it was saved, not only swapped in)
    page.reload()
    assert page.locator(f"tr[data-entry='{waiting[0].id}'] [data-testid=status]").inner_text() == "accepted"
    assert page.locator(f"tr[data-entry='{waiting[1].id}'] [data-testid=status]").inner_text() == "rejected"
