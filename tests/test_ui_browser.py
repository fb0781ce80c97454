"""Every page each role reaches, opened as its users do: a 390 px phone, Polish.

Starting from the home page, the test follows the portal's own links (one page per address
pattern) and on each page checks that nothing scrolls sideways, that axe-core finds no serious
or critical accessibility violation, and that no English interface word shows on a Polish page.
"""
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.extensions import db

from .conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.live]

PHONE = {"width": 390, "height": 844}
# Links the crawl does not follow: downloads, the API, signing out, switching the language.
SKIP = re.compile(r"\.(csv|ics)(\?|$)|^/services/|^/logout|^/lang/|^/static/")
# Words of the English interface that a Polish page must not show (untranslated strings,
# English weekdays and months from strftime, Werkzeug's error texts).
ENGLISH = re.compile(r"\b(Sign (?:in|out|up|off)|Save|Cancel|Back|Slot|Seats|free|Group|Comment|History|Attendance|"
                     r"Present|Absent|Remote|Excused|Room|Registration|Details|Actions|reserve|Exams?|Grades?|"
                     r"Meeting|Consultations|Report|Week|Edit|Delete|Print|Download|Export|Not found|"
                     r"requested URL|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
                     r"of|and|the|your|none)\b")
MAX_PAGES = 80


@pytest.fixture
def demo_server(app, runner, live_server):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return live_server(workers=2)


def pattern(path):
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def crawl(page, base_url):
    """Visit every page reachable by links from the home page, once per address pattern."""
    seen, queue = set(), ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if pattern(path) in seen:
            continue
        seen.add(pattern(path))
        response = page.goto(base_url + path)
        yield path, response.status
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            if href.startswith("/") and not SKIP.search(href) and pattern(href) not in seen:
                queue.append(href)


@pytest.mark.parametrize("login", ["student1", "lecturer1", "admin"])
def test_every_page_on_a_phone_in_polish(demo_server, browser, login):
    context = browser.new_context(locale="pl-PL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe = Axe()
    try:
        browser_login(page, demo_server.url, login)
        assert page.locator("html").get_attribute("lang") == "pl"
        problems, visited = [], []
        for path, status in crawl(page, demo_server.url):
            visited.append(path)
            if status != 200:
                problems.append((path, "status", status))
                continue
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append((path, "scrolls sideways", width))
            text = page.evaluate("""() => { const body = document.body.cloneNode(true);
                body.querySelectorAll('[lang=en], script, style, code, textarea').forEach(e => e.remove());
                return body.innerText; }""")
            english = sorted(set(ENGLISH.findall(text)))
            if english:
                problems.append((path, "English on a Polish page", english))
            violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                          for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            if violations:
                problems.append((path, "axe", violations))
        assert len(visited) >= {"student1": 10, "lecturer1": 25, "admin": 25}[login], visited
        assert problems == [], "\n".join(map(repr, problems))
    finally:
        context.close()


LONG = "https://drive.example.edu.pl/zwolnienia/2026/grudzien/skan-dokumentu-0001-" + "x" * 60 + ".pdf"


def test_long_words_people_type_wrap_on_a_phone(app, demo_server, browser):
    """A comment or a name may be one long word or a URL: the page still fits a phone."""
    from portal.attendance.models import AttendanceEntry, AttendanceList
    from portal.auth.models import User
    from portal.exams.models import ExaminationSession
    from portal.grades.models import Grade
    with app.app_context():
        lecturer = db.session.scalar(db.select(User).filter_by(login="lecturer1"))
        student = db.session.scalar(db.select(User).filter_by(login="student1"))
        entry = db.session.scalar(db.select(AttendanceEntry).join(AttendanceList)
                                  .where(AttendanceList.owner_id == lecturer.id).limit(1))
        entry.comment = LONG
        db.session.scalars(db.select(ExaminationSession).limit(1)).one().name = {"pl": LONG, "en": LONG}
        grade = db.session.scalar(db.select(Grade).where(Grade.student_id == student.id, Grade.value_id.is_not(None))
                                  .limit(1))
        grade.comment = LONG
        db.session.commit()
        pages = {"lecturer1": f"/attendance/lists/{entry.list_id}", "admin": "/exams/manage", "student1": "/grades/my"}
    for login, path in pages.items():
        context = browser.new_context(locale="pl-PL", viewport=PHONE)
        page = context.new_page()
        try:
            browser_login(page, demo_server.url, login)
            assert page.goto(demo_server.url + path).status == 200
            assert LONG[:40] in page.content(), path
            assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        finally:
            context.close()


def test_undoing_at_once_asks_first(demo_server, browser):
    """Sign out of all devices asks; dismissed, nothing happens; accepted, it is done."""
    context = browser.new_context(locale="pl-PL", viewport=PHONE)
    page = context.new_page()
    try:
        browser_login(page, demo_server.url, "student1")
        page.goto(demo_server.url + "/account/sessions")
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("[data-testid=end-all]")
        assert asked == ["Wylogować ze wszystkich urządzeń, także z tego?"]
        assert page.goto(demo_server.url + "/account/sessions").url.endswith("/account/sessions")  # still signed in
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("[data-testid=end-all]")
        page.wait_for_url(lambda url: "/account/sessions" not in url)
        assert "/login" in page.goto(demo_server.url + "/account/sessions").url
    finally:
        context.close()
