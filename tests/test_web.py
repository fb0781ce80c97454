"""What every page shares: business-rule errors and unexpected errors keep the layout, htmx gets a fragment."""
from portal.errors import ServiceError
from portal.langdict import ld


def test_service_error_page_and_fragment(app, client):
    @app.route("/_broken_rule")
    def broken_rule():
        raise ServiceError("object_invalid", "Slot is full.", reason="slot_full",
                           user_message=ld("Termin jest pełny.", "The slot is full."))

    @app.route("/_crash")
    def crash():
        raise RuntimeError("boom")

    r = client.get("/_broken_rule", headers={"Accept-Language": "en"})
    assert r.status_code == 400 and b"The slot is full." in r.data and b"<nav" in r.data
    r = client.get("/_broken_rule", headers={"Accept-Language": "pl", "HX-Request": "true"})
    assert r.status_code == 400 and "Termin jest pełny.".encode() in r.data and b"<nav" not in r.data
    r = client.get("/_crash")
    assert r.status_code == 500 and b"<nav" in r.data and b"boom" not in r.data


def test_api_answers_service_error_with_envelope():
    err = ServiceError("object_invalid", "Slot is full.", reason="slot_full",
                       user_message=ld("Termin jest pełny.", "The slot is full."), slot_id="3")
    body = err.to_api().body()
    assert body == {"message": "Slot is full.", "error": "object_invalid", "reason": "slot_full", "slot_id": "3",
                    "user_messages": {"generic_message": {"pl": "Termin jest pełny.", "en": "The slot is full."}}}


def test_a_nul_character_is_refused_clearly_on_every_database(client, auth, make):
    """PostgreSQL cannot compare text holding NUL (a 500 there, stored as is by SQLite): every
    page, form and OAuth endpoint refuses it before any view runs, in the person's language."""
    make.user("student1", student=True)
    auth.login()
    r = client.get("/meetings/?q=a%00b", headers={"Accept-Language": "pl"})
    assert r.status_code == 400
    assert "Żądanie zawiera znak NUL, którego nie przyjmuje żadne pole." in r.get_data(as_text=True)
    r = client.post("/meetings/dates/1/sign-up", data={"substantiation": "a\x00b"}, headers={"Accept-Language": "en"})
    assert r.status_code == 400 and "The request contains a NUL character" in r.get_data(as_text=True)
    r = client.get("/services/oauth/authorize?oauth_token=nul%00byte")
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"
    r = client.post("/services/oauth/access_token", headers={"Authorization": 'OAuth oauth_token="a%00b"'})
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"


def test_an_id_beyond_what_a_column_holds_names_no_page(client, auth, make):
    """Every route's <int:...> stops at PostgreSQL's integer range: past it, 404 rather than
    the database failing (SQLite fails past 64 bits)."""
    make.user("student1", student=True)
    auth.login()
    for url in ("/grades/my/course/2147483648", "/attendance/my/18446744073709551616", "/people/2147483648",
                "/exams/2147483648"):
        assert client.get(url).status_code == 404, url
    assert client.get("/people/2147483647").status_code == 404  # the largest id is still looked up
