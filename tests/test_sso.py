"""Single sign-on against real providers on free ports: CAS (protocol 2 and 3) and OpenID Connect."""
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal import create_app
from portal.auth.models import User, UserSession
from portal.extensions import db

from .pg import free_port
from .sso_providers import CasServer, OidcProvider


@pytest.fixture(scope="module")
def cas():
    server = CasServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def idp():
    provider = OidcProvider()
    yield provider
    provider.stop()


@pytest.fixture
def sso(app, db_url, cas, idp):
    """`sso(**settings)`: a test client of Indeks configured for both providers."""
    cas.user, cas.attributes, cas.validations[:], cas.issued[:] = None, {}, [], []
    idp.claims, idp.tweak, idp.logs_out = {}, None, True
    apps = []

    def build(**settings):
        config = {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": db_url,
                  "WTF_CSRF_ENABLED": False, "CAS_SERVER_URL": cas.url, "OIDC_DISCOVERY_URL": idp.discovery_url,
                  "OIDC_CLIENT_ID": idp.client_id, "OIDC_CLIENT_SECRET": idp.client_secret, **settings}
        sso_app = create_app(config)
        apps.append(sso_app)
        client = sso_app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client
    yield build
    for sso_app in apps:
        with sso_app.app_context():
            db.engine.dispose()


def signed_in_as(client):
    """The user id of the browser's live sign-in ("<user id>:<sign-in id>"), or None."""
    with client.session_transaction() as session:
        value = session.get("_user_id")
    return value.partition(":")[0] if value else None


def user_id(app, login):
    with app.app_context():
        return str(db.session.scalar(db.select(User.id).filter_by(login=login)))


def local_path(url):
    parts = urlsplit(url)
    assert parts.netloc == "localhost", url
    return parts.path + ("?" + parts.query if parts.query else "")


def through_cas(client, cas, next_page="/exams"):
    """What a browser does: Indeks -> CAS /login -> back to Indeks with a ticket."""
    start = client.get(f"/login/cas?next={next_page}")
    assert start.status_code == 302 and start.location.startswith(cas.url + "/login?service="), start.location
    at_cas = requests.get(start.location, allow_redirects=False, timeout=10)
    assert at_cas.status_code == 302
    return client.get(local_path(at_cas.headers["Location"]))


def through_oidc(client, idp):
    start = client.get("/login/oidc?next=/exams")
    assert start.status_code == 302 and start.location.startswith(idp.issuer + "/authorize?"), start.location
    at_idp = requests.get(start.location, allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302, at_idp.text
    return client.get(local_path(at_idp.headers["Location"]))


# --- CAS ---------------------------------------------------------------------------------

def test_cas_protocol_3_signs_in_the_imported_person(sso, cas, app, make):
    make.user("jnowak", lecturer=True)
    client = sso()
    login_page = client.get("/login")
    assert b'data-testid="sso-cas"' in login_page.data and b'data-testid="login-submit"' in login_page.data
    cas.user = "jnowak"
    done = through_cas(client, cas)
    assert done.status_code == 302 and done.location == "/exams"
    assert signed_in_as(client) == user_id(app, "jnowak")
    path, service, _ticket = cas.validations[0]
    assert path == "/cas/p3/serviceValidate"
    assert service.startswith("http://localhost/login/cas/callback?state=")


def test_cas_protocol_2(sso, cas, app, make):
    make.user("jnowak")
    client = sso(CAS_VERSION=2)
    cas.user = "jnowak"
    assert through_cas(client, cas).status_code == 302
    assert cas.validations[0][0] == "/cas/serviceValidate"
    assert signed_in_as(client) == user_id(app, "jnowak")


def test_cas_matches_by_student_number_attribute(sso, cas, app, make):
    make.user("s300001", student=True, student_number="300001")
    client = sso(CAS_STUDENT_NUMBER_ATTRIBUTE="studentNumber")
    cas.user, cas.attributes = "someone@uni.example", {"studentNumber": "300001"}
    assert through_cas(client, cas).status_code == 302
    assert signed_in_as(client) == user_id(app, "s300001")


def test_cas_login_from_an_attribute(sso, cas, app, make):
    make.user("anowak")
    client = sso(CAS_LOGIN_ATTRIBUTE="uid")
    cas.user, cas.attributes = "1234567", {"uid": "anowak"}
    assert through_cas(client, cas).status_code == 302
    assert signed_in_as(client) == user_id(app, "anowak")


def test_cas_refused_ticket(sso, cas, make):
    make.user("jnowak")
    client = sso()
    start = client.get("/login/cas")
    state = parse_qs(urlsplit(parse_qs(urlsplit(start.location).query)["service"][0]).query)["state"][0]
    answer = client.get(f"/login/cas/callback?state={state}&ticket=ST-forged")
    assert answer.status_code == 403
    assert b"The university&#39;s sign-in refused this ticket." in answer.data
    assert cas.validations[0][2] == "ST-forged"
    assert signed_in_as(client) is None


def test_cas_ticket_is_good_once(sso, cas, make):
    make.user("jnowak")
    client = sso()
    cas.user = "jnowak"
    start = client.get("/login/cas")
    back = local_path(requests.get(start.location, allow_redirects=False, timeout=10).headers["Location"])
    assert client.get(back).status_code == 302
    other = sso()  # another browser replaying the same callback URL
    other.get("/login/cas")
    replay = other.get(back)
    assert replay.status_code == 403 and signed_in_as(other) is None


def test_cas_callback_without_this_browsers_state(sso, cas, make):
    make.user("jnowak")
    client = sso()
    cas.user = "jnowak"
    client.get("/login/cas")
    answer = client.get("/login/cas/callback?state=guessed&ticket=ST-1")
    assert answer.status_code == 403
    assert b"This sign-in was not started in this browser." in answer.data
    assert cas.validations == []  # refused before asking CAS


def test_unknown_person_is_refused_unless_the_operator_allows(sso, cas, app):
    cas.user, cas.attributes = "newcomer", {"givenName": "Nowy", "sn": "Człowiek", "mail": "n@uni.example"}
    refused = sso()
    answer = through_cas(refused, cas)
    assert answer.status_code == 403
    assert "Indeks has no record of you" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(login="newcomer")) is None
    allowed = sso(PORTAL_SSO_CREATE_PEOPLE=True)
    assert through_cas(allowed, cas).status_code == 302
    with app.app_context():
        person = db.session.scalar(db.select(User).filter_by(login="newcomer"))
        assert (person.first_name, person.last_name, person.email, person.roles) == ("Nowy", "Człowiek", "n@uni.example", [])
        assert person.password_hash == "!"
    assert signed_in_as(allowed) == user_id(app, "newcomer")


def test_cas_server_down_is_a_clear_page(sso, make):
    make.user("jnowak")
    client = sso(CAS_SERVER_URL=f"http://127.0.0.1:{free_port()}/cas")
    client.get("/login/cas")
    with client.session_transaction() as session:
        state = session["sso_cas_state"]
    answer = client.get(f"/login/cas/callback?state={state}&ticket=ST-1")
    assert answer.status_code == 502
    assert b"did not answer properly" in answer.data


def test_local_login_can_be_switched_off(sso, cas, make):
    make.user("student1", student=True)
    client = sso(PORTAL_LOCAL_LOGIN=False)
    page = client.get("/login")
    assert page.status_code == 200
    assert b'data-testid="login-submit"' not in page.data and b'data-testid="local-login-off"' in page.data
    assert b'data-testid="sso-cas"' in page.data and b'data-testid="sso-oidc"' in page.data
    answer = client.post("/login", data={"login": "student1", "password": "demo"})
    assert answer.status_code == 403 and signed_in_as(client) is None
    with_password = sso()
    assert with_password.post("/login", data={"login": "student1", "password": "demo"}).status_code == 302


def test_public_url_behind_a_proxy(sso, cas, idp):
    client = sso(SSO_PUBLIC_URL="https://indeks.example.edu.pl/")
    service = parse_qs(urlsplit(client.get("/login/cas").location).query)["service"][0]
    assert service.startswith("https://indeks.example.edu.pl/login/cas/callback?state=")
    redirect_uri = parse_qs(urlsplit(client.get("/login/oidc").location).query)["redirect_uri"][0]
    assert redirect_uri == "https://indeks.example.edu.pl/login/oidc/callback"


def test_no_sso_configured_shows_no_buttons_and_no_routes(client):
    page = client.get("/login")
    assert b"sso-" not in page.data
    assert client.get("/login/cas").status_code == 404
    assert client.get("/login/oidc").status_code == 404


# --- OpenID Connect ----------------------------------------------------------------------

def test_oidc_code_flow_with_pkce_and_nonce(sso, idp, app, make):
    make.user("akowalska", lecturer=True)
    client = sso()
    idp.claims = {"preferred_username": "akowalska", "sub": "u-42"}
    done = through_oidc(client, idp)
    assert done.status_code == 302 and done.location == "/exams"
    assert signed_in_as(client) == user_id(app, "akowalska")
    sent = idp.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["nonce"] and sent["state"]
    assert sent["scope"] == "openid profile email"


def test_oidc_student_number_claim(sso, idp, app, make):
    make.user("s1", student=True, student_number="400500")
    client = sso(OIDC_STUDENT_NUMBER_CLAIM="student_number")
    idp.claims = {"preferred_username": "not-a-login-here", "student_number": "400500"}
    assert through_oidc(client, idp).status_code == 302
    assert signed_in_as(client) == user_id(app, "s1")


@pytest.mark.parametrize("tweak, reason", [
    # an azp naming us must not make up for an audience that does not (Authlib's default would let it)
    ("audience", "Invalid claim: 'aud'"), ("audience-with-azp", "Invalid claim: 'aud'"), ("expired", "expired"), ("nonce", "nonce"), ("state", "MismatchingStateError"),
    ("issuer", "iss"), ("signature", "BadSignatureError")])
def test_oidc_refuses_a_bad_answer(sso, idp, make, caplog, monkeypatch, tweak, reason):
    make.user("akowalska")
    # Alembic's fileConfig (test_migrations) disables the loggers that exist by then, ours too
    monkeypatch.setattr(logging.getLogger("portal"), "disabled", False)
    caplog.set_level("INFO")
    client = sso()
    idp.claims, idp.tweak = {"preferred_username": "akowalska"}, tweak
    answer = through_oidc(client, idp)
    assert answer.status_code == 403
    assert b"The university&#39;s sign-in failed or was refused." in answer.data
    assert signed_in_as(client) is None
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SSO sign-in refused")]
    assert len(refusals) == 1 and reason in refusals[0], refusals


def test_oidc_unknown_person_is_refused(sso, idp, make):
    client = sso()
    idp.claims = {"preferred_username": "stranger"}
    answer = through_oidc(client, idp)
    assert answer.status_code == 403 and "confirmed who you are (stranger), but Indeks has no record of you" in answer.get_data(as_text=True)


def test_polish_refusal(sso, cas):
    client = sso()
    client.get("/login/cas", headers={"Accept-Language": "pl"})
    answer = client.get("/login/cas/callback?state=x&ticket=y", headers={"Accept-Language": "pl"})
    assert answer.status_code == 403
    assert "Ta próba logowania nie została rozpoczęta w tej przeglądarce." in answer.get_data(as_text=True)


# --- signing out -------------------------------------------------------------------------

def test_signing_out_after_cas_ends_the_university_sign_in_too(sso, cas, app, make):
    make.user("jnowak", lecturer=True)
    client = sso()
    cas.user = "jnowak"
    through_cas(client, cas)
    r = client.post("/logout")
    assert r.status_code == 302
    assert r.location == cas.url + "/logout?service=http%3A%2F%2Flocalhost%2Flogin"
    assert signed_in_as(client) is None
    assert client.get("/exams/").status_code == 302  # signed out here as well


def test_signing_out_after_the_password_form_stays_here(sso, make):
    make.user("jnowak", lecturer=True)
    client = sso()
    assert client.post("/login", data={"login": "jnowak", "password": "demo"}).status_code == 302
    r = client.post("/logout")
    assert r.status_code == 302 and r.location == "/login"


def test_university_sign_out_can_be_turned_off(sso, cas, make):
    make.user("jnowak", lecturer=True)
    client = sso(SSO_LOGOUT=False)
    cas.user = "jnowak"
    through_cas(client, cas)
    r = client.post("/logout")
    assert r.status_code == 302 and r.location == "/login" and signed_in_as(client) is None


def test_signing_out_after_openid_connect_goes_to_its_end_session_endpoint(sso, idp, make):
    make.user("anowak", student=True)
    client = sso()
    idp.claims = {"preferred_username": "anowak"}
    assert through_oidc(client, idp).status_code == 302
    r = client.post("/logout")
    assert r.status_code == 302 and r.location.startswith(idp.issuer + "/logout?")
    query = parse_qs(urlsplit(r.location).query)
    assert query == {"client_id": [idp.client_id], "post_logout_redirect_uri": ["http://localhost/login"]}
    assert signed_in_as(client) is None


def test_an_openid_provider_without_an_end_session_endpoint_signs_out_here(sso, idp, make):
    idp.logs_out = False
    make.user("anowak", student=True)
    client = sso()
    idp.claims = {"preferred_username": "anowak"}
    assert through_oidc(client, idp).status_code == 302
    r = client.post("/logout")
    assert r.status_code == 302 and r.location == "/login" and signed_in_as(client) is None


# --- single logout: the university ends the sign-in ----------------------------------------

def alive(client):
    """Whether the browser is still signed in (its sign-in row still there)."""
    r = client.get("/exams/")
    assert r.status_code in (200, 302), r.status_code
    return r.status_code == 200


def provider_post(app, url, data):
    """A POST as the provider's server sends it: no cookies, no CSRF token."""
    return app.test_client().post(local_path(url) if url.startswith("http") else url, data=data)


def two_browsers_through_cas(sso, cas, make):
    """Two browsers of jnowak, each signed in through CAS (two tickets), CSRF checked."""
    make.user("jnowak", lecturer=True)
    first = sso(WTF_CSRF_ENABLED=True)
    second = first.application.test_client()
    cas.user = "jnowak"
    through_cas(first, cas)
    through_cas(second, cas)
    assert alive(first) and alive(second)
    return first, second


def test_cas_single_logout_ends_the_sign_in_made_with_that_ticket(sso, cas, make):
    first, second = two_browsers_through_cas(sso, cas, make)
    (ticket, service), _ = cas.issued
    assert urlsplit(service).path == "/login/cas/callback"  # CAS posts to the service URL itself
    r = provider_post(first.application, service, {"logoutRequest": cas.logout_request(ticket)})
    assert r.status_code == 200
    assert not alive(first) and alive(second)
    with first.application.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 1


def test_cas_ending_its_session_signs_out_every_browser_it_signed_in(sso, cas, make):
    first, second = two_browsers_through_cas(sso, cas, make)
    answers = cas.single_logout(post=lambda url, data: provider_post(first.application, url, data))
    assert [a.status_code for a in answers] == [200, 200]
    assert not alive(first) and not alive(second)


def test_cas_keeps_only_a_digest_of_the_ticket(sso, cas, make):
    make.user("jnowak", lecturer=True)
    client = sso()
    cas.user = "jnowak"
    through_cas(client, cas)
    (ticket, _), = cas.issued
    with client.application.app_context():
        kept = db.session.scalar(db.select(UserSession.sso_session))
    assert kept.startswith("cas:") and len(kept) == 68 and ticket not in kept


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
                  '<samlp:SessionIndex>&lol2;</samlp:SessionIndex></samlp:LogoutRequest>')


@pytest.mark.parametrize("body", [
    {}, {"logoutRequest": "not xml <"}, {"logoutRequest": BILLION_LAUGHS},
    {"logoutRequest": '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'},
    {"logoutRequest": "<LogoutRequest><SessionIndex>ST-1</SessionIndex></LogoutRequest>"},
], ids=["missing", "not-xml", "entities", "no-session-index", "not-saml"])
def test_cas_refuses_what_is_not_a_logout_request(sso, cas, make, body):
    make.user("jnowak", lecturer=True)
    client = sso(WTF_CSRF_ENABLED=True)
    cas.user = "jnowak"
    through_cas(client, cas)
    (_, service), = cas.issued
    r = provider_post(client.application, service, body)
    assert r.status_code == 400 and "Not a CAS logout request." in r.get_data(as_text=True)
    assert alive(client)


def test_cas_logout_of_a_ticket_nobody_signed_in_with_changes_nothing(sso, cas, make):
    make.user("jnowak", lecturer=True)
    client = sso()
    cas.user = "jnowak"
    through_cas(client, cas)
    r = provider_post(client.application, "/login/cas/callback", {"logoutRequest": cas.logout_request("ST-9-unknown")})
    assert r.status_code == 200 and alive(client)


def password_and_university_browsers(sso, cas, make):
    """Two browsers of jnowak: one signed in with the password form, one through CAS."""
    make.user("jnowak", lecturer=True)
    local = sso()
    assert local.post("/login", data={"login": "jnowak", "password": "demo"}).status_code == 302
    university = local.application.test_client()
    cas.user = "jnowak"
    through_cas(university, cas)
    return local, university


def test_the_password_sign_in_is_not_ended_by_a_university_logout(sso, cas, make):
    local, university = password_and_university_browsers(sso, cas, make)
    cas.single_logout(post=lambda url, data: provider_post(local.application, url, data))
    assert alive(local) and not alive(university)


def through_oidc_as(client, idp, **claims):
    idp.claims = {"preferred_username": "anowak", **claims}
    assert through_oidc(client, idp).status_code == 302
    assert alive(client)


BACKCHANNEL = "/login/oidc/backchannel-logout"


def test_oidc_backchannel_logout_by_sid_then_by_subject(sso, idp, make):
    make.user("anowak", student=True)
    first = sso(WTF_CSRF_ENABLED=True)
    second, third = first.application.test_client(), first.application.test_client()
    through_oidc_as(first, idp, sub="s-1", sid="op-1")
    through_oidc_as(second, idp, sub="s-1", sid="op-2")
    through_oidc_as(third, idp, sub="s-2", sid="op-3")  # another subject (the provider's view of it)
    r = provider_post(first.application, BACKCHANNEL, {"logout_token": idp.logout_token(sub="s-1", sid="op-1")})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert not alive(first) and alive(second) and alive(third)
    r = provider_post(first.application, BACKCHANNEL, {"logout_token": idp.logout_token(sub="s-1")})
    assert r.status_code == 200
    assert not alive(second) and alive(third)  # without a sid: every sign-in of that subject


def test_oidc_a_sid_of_another_subject_ends_nothing(sso, idp, make):
    make.user("anowak", student=True)
    client = sso()
    through_oidc_as(client, idp, sub="s-1", sid="op-1")
    r = provider_post(client.application, BACKCHANNEL, {"logout_token": idp.logout_token(sub="s-9", sid="op-1")})
    assert r.status_code == 200 and alive(client)


@pytest.mark.parametrize("change, reason", [
    (dict(key="other"), "BadSignatureError"),
    (dict(kid="k2"), "InvalidKeyIdError"),
    (dict(aud="somebody-else"), "InvalidClaimError"),
    (dict(iss="https://evil.example"), "InvalidClaimError"),
    (dict(events=None), "MissingClaimError"),
    (dict(events={"http://schemas.openid.net/event/other": {}}), "not a back-channel logout event"),
    (dict(nonce="n-1"), "a logout token has no nonce"),
    (dict(sub=None, sid=None), "neither sid nor sub"),
    (dict(iat="old", exp=None), "issued too long ago"),
    (dict(exp="past"), "ExpiredTokenError"),
    (dict(token="not.a.jwt"), "Error"),
    (dict(token=""), "no logout_token"),
])
def test_oidc_refuses_a_bad_logout_token(sso, idp, make, change, reason):
    make.user("anowak", student=True)
    client = sso(WTF_CSRF_ENABLED=True)
    through_oidc_as(client, idp, sub="s-1", sid="op-1")
    claims = {"sub": "s-1", "sid": "op-1"}
    options = {}
    for name, value in change.items():
        if name == "key":
            options["key"] = idp.other_key
        elif name == "kid":
            options["kid"] = value
        elif value == "old":
            claims[name] = int(time.time()) - 3600
        elif value == "past":
            claims[name] = int(time.time()) - 600
        else:
            claims[name] = value
    token = change["token"] if "token" in change else idp.logout_token(**options, **claims)
    r = provider_post(client.application, BACKCHANNEL, {"logout_token": token})
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == "invalid_request" and reason in body["error_description"], body
    assert alive(client)


def test_oidc_unknown_key_ids_refetch_the_keys_at_most_once_a_minute(sso, idp, make):
    make.user("anowak", student=True)
    client = sso()
    through_oidc_as(client, idp, sub="s-1", sid="op-1")
    fetched = idp.jwks_fetches
    for _ in range(3):
        r = provider_post(client.application, BACKCHANNEL, {"logout_token": idp.logout_token(kid="k9", sub="s-1")})
        assert r.status_code == 400
    assert idp.jwks_fetches == fetched + 1  # forged key ids do not make us fetch per request
    r = provider_post(client.application, BACKCHANNEL, {"logout_token": idp.logout_token(sub="s-1", sid="op-1")})
    assert r.status_code == 200 and not alive(client)


def test_single_logout_endpoints_are_not_there_without_a_provider(client):
    assert client.post(BACKCHANNEL, data={"logout_token": "x"}).status_code == 404
    assert client.post("/login/cas/callback", data={"logoutRequest": "x"}).status_code == 404


def test_your_sign_ins_says_which_came_through_the_university(sso, cas, make):
    _, university = password_and_university_browsers(sso, cas, make)
    page = university.get("/account/sessions", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert page.count('data-testid="session"') == 2
    assert page.count("przez konto uczelniane") == 1
