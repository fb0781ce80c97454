"""Single logout: when the university ends a sign-in, the Indeks sign-ins made with it end too.

- CAS Single Logout (protocol 2 and 3): when a CAS session ends (the person signs out at CAS,
  or it expires), the CAS server POSTs a SAML `LogoutRequest` to every service URL it issued
  a ticket for; its `SessionIndex` is that service ticket.
- OpenID Connect Back-Channel Logout 1.0: the provider POSTs a `logout_token`, a JWT it signs
  with its ID-token keys, naming the provider's session (`sid`) and/or the person (`sub`).

A sign-in through the university keeps digests of its ticket or `sid`, and of its subject
(UserSession.sso_session / sso_subject, written by `remember`); ending is deleting those rows,
which the user loader checks on every request, so the person's next click in Indeks is signed
out. Only digests are kept: the ticket is what a CAS logout request is trusted by.
"""
import hashlib
import time

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from flask import current_app
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from ..auth.models import UserSession
from ..database import write_transaction
from ..extensions import db
from . import oidc

SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
EVENT = "http://schemas.openid.net/event/backchannel-logout"
LEEWAY = 120  # seconds of clock difference allowed, as for ID tokens
MAX_AGE = 600  # a logout token older than this (beyond the leeway) is refused: replays stay short
REFETCH_EVERY = 60  # seconds: an unknown key id refetches the provider's keys at most this often
MAX_REQUEST = 20_000  # characters of a CAS logout request


class Refused(ValueError):
    """A logout request that is not what the protocol sends (answered with 400)."""


def digest(provider, issuer, value):
    """What a sign-in keeps of an SSO session or subject id: fixed length, no personal data."""
    raw = "\0".join((provider, issuer or "", value))
    return f"{provider}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cas_issuer():
    return current_app.config["CAS_SERVER_URL"].rstrip("/")


def remember(user, identity):
    """Note on the sign-in just opened (login_user) which SSO session and subject it came from;
    the caller commits."""
    record = db.session.get(UserSession, user.session_id)
    if record is None or identity.sso_session is None and identity.sso_subject is None:
        return
    issuer = _cas_issuer() if identity.provider == "cas" else identity.sso_issuer
    if identity.sso_session:
        record.sso_session = digest(identity.provider, issuer, identity.sso_session)
    if identity.sso_subject:
        record.sso_subject = digest(identity.provider, issuer, identity.sso_subject)


def _end(condition):
    with write_transaction():
        ended = db.session.execute(db.delete(UserSession).where(condition)).rowcount
    current_app.logger.info("single logout from the university: %d sign-in(s) ended", ended)
    return ended


# --- CAS -------------------------------------------------------------------------------------

def cas_ticket(logout_request):
    """The service ticket a CAS LogoutRequest names; Refused when it is no such request."""
    if not logout_request or len(logout_request) > MAX_REQUEST:
        raise Refused("no logoutRequest, or one too long")
    try:
        root = ElementTree.fromstring(logout_request)  # no DTDs or entities (defusedxml)
    except (ElementTree.ParseError, DefusedXmlException) as err:
        raise Refused(f"logoutRequest is not XML: {err}") from err
    ticket = (root.findtext(f"{SAMLP}SessionIndex") or "").strip() if root.tag == f"{SAMLP}LogoutRequest" else ""
    if not ticket:
        raise Refused("logoutRequest without a SessionIndex")
    return ticket


def end_cas(logout_request):
    """End the sign-ins made with the ticket a CAS LogoutRequest names; how many ended."""
    return _end(UserSession.sso_session == digest("cas", _cas_issuer(), cas_ticket(logout_request)))


# --- OpenID Connect --------------------------------------------------------------------------

def _key_set(university, force=False):
    state = current_app.extensions.setdefault("indeks_oidc_keys", {"fetched": float("-inf")})
    if force:
        if time.monotonic() - state["fetched"] < REFETCH_EVERY:
            raise Refused("unknown key id")  # not refetched again so soon: no fetch per forged token
        state["fetched"] = time.monotonic()
    return KeySet.import_key_set(university.fetch_jwk_set(force=force))


def logout_claims(token):
    """The claims of a valid logout token; Refused otherwise. Checked as the specification
    asks: the signature with the provider's ID-token keys and algorithms, issuer, audience
    (our client id), iat (and exp when present), the back-channel logout event, a sid or a
    sub, and no nonce (so that an ID token cannot pass for one)."""
    if not token or not isinstance(token, str):
        raise Refused("no logout_token")
    university = oidc.client()
    metadata = university.load_server_metadata()
    registry = JWSRegistry(algorithms=metadata.get("id_token_signing_alg_values_supported"), strict_check_header=False)
    try:
        try:
            decoded = jwt.decode(token, _key_set(university), registry=registry)
        except InvalidKeyIdError:
            decoded = jwt.decode(token, _key_set(university, force=True), registry=registry)
        claims = decoded.claims
        jwt.JWTClaimsRegistry(leeway=LEEWAY, iss={"essential": True, "value": metadata.get("issuer")},
                              aud={"essential": True, "value": current_app.config["OIDC_CLIENT_ID"]},
                              iat={"essential": True}, events={"essential": True}).validate(claims)
    except Refused:
        raise
    except (JoseError, ValueError, TypeError) as err:
        raise Refused(f"{type(err).__name__}: {err}") from err
    events = claims["events"]
    if not isinstance(events, dict) or not isinstance(events.get(EVENT), dict):
        raise Refused("not a back-channel logout event")
    if "nonce" in claims:
        raise Refused("a logout token has no nonce")
    if not (oidc.text_claim(claims, "sid") or oidc.text_claim(claims, "sub")):
        raise Refused("neither sid nor sub")
    if claims["iat"] < time.time() - MAX_AGE - LEEWAY:
        raise Refused("issued too long ago")
    return claims


def end_oidc(token):
    """End what a logout token names: the sign-ins of its provider session (sid), or with only
    a sub, all of that person's sign-ins through the provider; how many ended."""
    claims = logout_claims(token)
    issuer, sid, sub = claims["iss"], oidc.text_claim(claims, "sid"), oidc.text_claim(claims, "sub")
    by_subject = UserSession.sso_subject == digest("oidc", issuer, sub) if sub else None
    if sid:
        by_session = UserSession.sso_session == digest("oidc", issuer, sid)
        return _end(by_session if by_subject is None else by_session & by_subject)
    return _end(by_subject)
