"""In a real browser, under the Content-Security-Policy: the main pages of each role, and the
htmx swaps (slot pick, grade row save with the grid's keyboard JS, attendance toggle) work
without a single CSP violation (the `page` fixture fails a test on any)."""
import pytest

from portal.security.headers import CSP

from .conftest import CSP_LISTENER, browser_login
from .factories import at
from .factories_attendance import AttendanceFactory
from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .test_grades_live import patient_start  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_the_violation_catcher_catches(browser):
    """The check every browser test relies on (conftest's `page`) sees what the CSP refuses.
    (Playwright's wait_for_function evaluates strings with eval, which the CSP refuses too:
    browser tests wait on locators instead.)"""
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.route("http://csp.test/", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": CSP},
        body="<p>x</p><script>document.title = 'ran'</script><p style='color:red'>y</p>"))
    with page.expect_console_message(lambda m: "style-src" in m.text):
        page.goto("http://csp.test/")
    caught, title = page.evaluate("window.__csp || []"), page.title()
    context.close()
    assert title != "ran"
    assert any(v.startswith("script-src") for v in caught) and any(v.startswith("style-src") for v in caught)
    assert any("script-src" in text for text in console)


@pytest.fixture
def world(app, make):
    uni = make.university(n_students=3)
    uni.ex = ExamFactory(app).setup(uni, capacity=4, slots=2)
    uni.report = GradesFactory(app).report(uni.edition, uni.classes_unit)
    make.meeting(uni.classes, at(0, 8))
    uni.list = AttendanceFactory(app).list(uni.classes, uni.lecturer)
    return uni


def no_reload(page):
    """Mark the document: a full page load would lose the mark, an htmx swap keeps it."""
    page.evaluate("window.__kept = true")
    return lambda: page.evaluate("window.__kept === true")


def visit(page, url, paths):
    for path in paths:
        response = page.goto(url + path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"] == CSP
        assert page.evaluate("typeof htmx") == "object", path  # the vendored htmx loaded


def test_pages_and_htmx_swaps_live_within_the_csp(world, live_server, page, patient_start):  # noqa: F811
    srv = live_server(workers=2)
    u = world
    browser_login(page, srv.url, "stud1")
    visit(page, srv.url, ["/", "/exams/", "/grades/my", "/meetings/", "/attendance/", "/account/sessions"])
    page.goto(f"{srv.url}/exams/{u.ex.exam.id}")
    kept = no_reload(page)
    page.get_by_test_id("slot-1-1").get_by_test_id("pick").click()
    page.get_by_test_id("my-slot").wait_for()
    assert kept()

    page.context.clear_cookies()
    browser_login(page, srv.url, "lect")
    visit(page, srv.url, ["/grades/reports", "/meetings/manage", "/meetings/days-off", "/attendance/",
                          f"/attendance/groups/{u.classes.id}", f"/exams/{u.ex.exam.id}/attendees",
                          f"/grades/reports/{u.report.id}/sessions/1/print"])
    page.goto(f"{srv.url}/grades/reports/{u.report.id}/sessions/1")
    kept = no_reload(page)
    first = page.locator("tr.grade-row").nth(0).get_attribute("id").split("-")[1]
    second = page.locator("tr.grade-row").nth(1).get_attribute("id").split("-")[1]
    page.get_by_test_id(f"grade-{first}").click()
    page.keyboard.type("4,5")
    page.keyboard.press("Enter")
    page.locator(f"#row-{first}[data-state=saved]").wait_for()
    page.locator(f"[data-testid='grade-{second}']:focus").wait_for()  # grades.js moved the focus
    assert kept()

    page.goto(f"{srv.url}/attendance/lists/{u.list.id}")
    kept = no_reload(page)
    student = u.students[0].id
    page.click(f"#b-{student}-intramural")
    page.locator(f"#b-{student}-intramural[aria-pressed=true]").wait_for()
    page.click(f"#b-{student}-intramural")  # pressing again clears it
    page.locator(f"#b-{student}-intramural[aria-pressed=false]").wait_for()
    assert kept()

    page.context.clear_cookies()
    browser_login(page, srv.url, "admin")
    visit(page, srv.url, ["/exams/manage", "/meetings/days-off", "/api/apps", "/account/sessions"])
