"""In a real browser: a lecturer makes lists from the timetable, ticks a roster, marks the rest."""
import pytest

from .conftest import browser_login
from .factories import at
from .factories_attendance import AttendanceFactory, start  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_lecturer_takes_attendance(app, make, start, page):
    uni = make.university(n_students=4)
    for days in (-14, -7, 0):
        make.meeting(uni.classes, at(days, 8))
    s1, s2, s3, s4 = uni.students
    srv = start(2)
    browser_login(page, srv.url, "lect")
    page.goto(srv.url + "/attendance/")
    page.get_by_role("link", name="Classes").first.click() if page.get_by_role("link", name="Classes").count() \
        else page.locator(f"a[href='/attendance/groups/{uni.classes.id}']").click()
    page.wait_for_url(f"**/attendance/groups/{uni.classes.id}")
    page.select_option("#tt-mode", "intramural")
    page.get_by_test_id("from-tt").click()
    page.get_by_text("Lists created from the timetable: 3.").wait_for()
    links = page.locator("[data-testid=lists] tbody a")
    assert links.count() == 3
    links.first.click()
    page.wait_for_url("**/attendance/lists/*")
    assert page.locator(f"#b-{s1.id}-remote").count() == 0  # an in-person list offers no "remote"

    page.click(f"#b-{s1.id}-intramural")
    page.locator(f"#b-{s1.id}-intramural[aria-pressed=true]").wait_for()
    page.click(f"#b-{s2.id}-absence")
    page.locator(f"#b-{s2.id}-absence[aria-pressed=true]").wait_for()
    page.focus(f"#b-{s3.id}-justified_absence")  # from the keyboard
    page.keyboard.press("Enter")
    page.locator(f"#b-{s3.id}-justified_absence[aria-pressed=true]").wait_for()
    assert page.get_by_test_id("roster-count").inner_text() == "3 / 4"

    page.get_by_test_id("mark-rest").click()
    page.get_by_text("Marked as present: 1.").wait_for()
    page.locator(f"#b-{s4.id}-intramural[aria-pressed=true]").wait_for()
    assert page.locator(f"#b-{s2.id}-absence").get_attribute("aria-pressed") == "true"
    assert page.get_by_test_id("roster-count").inner_text() == "4 / 4"

    page.goto(srv.url + f"/attendance/groups/{uni.classes.id}/summary")
    row = lambda s: page.get_by_test_id(f"sum-{s.id}")  # noqa: E731
    assert row(s1).locator("td").all_inner_texts()[1:6] == ["100%", "1", "0", "0", "0"]  # the rate first
    assert row(s2).locator("td").all_inner_texts()[2:6] == ["0", "0", "0", "1"]
    assert "below" in row(s2).inner_text() and "att-below" in row(s2).get_attribute("class")
    assert row(s3).locator("td").all_inner_texts()[4] == "1" and "below" not in row(s3).inner_text()
    assert page.get_by_test_id("below-count").inner_text() == "Students below 80%: 1"
    lists = AttendanceFactory(app).lists(uni.classes)
    assert AttendanceFactory(app).entries(lists[0].id) == {
        s1.id: ("intramural", None), s2.id: ("absence", None), s3.id: ("justified_absence", None),
        s4.id: ("intramural", None)}
