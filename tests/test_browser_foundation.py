"""In a real browser: sign-in, each role's home page, the language switch."""
import pytest

from .conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def server(make, live_server):
    make.user("student1", student=True, first_name="Ala", last_name="Studentka")
    make.user("lecturer1", lecturer=True, first_name="Jan", last_name="Wykładowca")
    make.user("admin", admin=True, first_name="Ada", last_name="Admin")
    return live_server(workers=2)


def test_sign_in_wrong_then_right(page, server):
    page.goto(server.url + "/")
    assert "/login" in page.url
    page.fill("input[name=login]", "student1")
    page.fill("input[name=password]", "wrong")
    page.click("[data-testid=login-submit]")
    page.locator(".field-error").wait_for()  # the answer to the POST, however slow
    page.fill("input[name=password]", "demo")
    page.click("[data-testid=login-submit]")
    page.wait_for_url(server.url + "/")
    assert page.get_by_test_id("who").inner_text() == "Ala Studentka"


@pytest.mark.parametrize("login, role_class", [("student1", "role-student"), ("lecturer1", "role-lecturer"),
                                               ("admin", "role-admin")])
def test_home_page_of_each_role(page, server, login, role_class):
    browser_login(page, server.url, login)
    assert page.locator(f".{role_class}").count() == 1
    assert page.locator("main h1").is_visible()


def test_language_switch_and_sign_out(page, server):
    browser_login(page, server.url, "student1")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    lang = page.locator("html").get_attribute("lang")
    other = "pl" if lang == "en" else "en"
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    page.locator("html[lang=pl]").wait_for() if other == "pl" else page.locator("html[lang=en]").wait_for()
    sign_out = "Wyloguj" if other == "pl" else "Sign out"
    page.get_by_role("button", name=sign_out).click()
    page.wait_for_url(lambda url: "/login" in url)
