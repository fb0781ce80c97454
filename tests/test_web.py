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
