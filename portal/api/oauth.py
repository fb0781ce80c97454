"""Verifying OAuth 1.0a signed requests (Authlib does the signature work)."""
import random
import time
from urllib.parse import urlencode, urlsplit, urlunsplit

from authlib.oauth1.errors import (DuplicatedOAuthProtocolParameterError, InvalidNonceError, InvalidRequestError,
                                   OAuth1Error)
from authlib.oauth1.rfc5849.base_server import BaseServer
from authlib.oauth1.rfc5849.signature import SIGNATURE_TYPE_HEADER
from authlib.oauth1.rfc5849.wrapper import OAuth1Request
from flask import current_app, request
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import set_write_intent
from ..extensions import db
from .errors import oauth_error, oauth_failure
from .models import Consumer, Nonce, Token

SIGNATURE_METHODS = ["HMAC-SHA1", "PLAINTEXT"]


class SignedRequest(OAuth1Request):
    """Authlib's request, minus two of its rules:

    - "https or loopback only": whether a request needs TLS is decided by PORTAL_REQUIRE_SSL:
      the method's own `ssl` option (the dispatcher) and portal/security/tls.py (OAuth
      endpoints, PLAINTEXT signatures);
    - "all oauth_* parameters from one place": USOS installations accept them split between
      the Authorization header, the query and the form body as long as none comes twice, and
      clients rely on it (usos-api signs request_token with oauth_callback in the body and the
      rest in the header). The signature covers every parameter wherever it came from."""

    def __init__(self, method, uri, body=None, headers=None):
        parts = urlsplit(uri)
        try:
            super().__init__(method, urlunsplit(("https",) + tuple(parts[1:])), body, headers)
        except DuplicatedOAuthProtocolParameterError:
            # Authlib refuses after it has read the three sources: join them ourselves.
            self.signature_type, self.oauth_params = SIGNATURE_TYPE_HEADER, split_oauth_params(
                self.query_params, self.body_params, self.auth_params)
            self.params = [*self.query_params, *self.body_params, *self.auth_params]
        else:
            split_oauth_params(self.query_params, self.body_params, self.auth_params)
        self.uri = uri  # the signature base string uses the scheme the client saw


def split_oauth_params(*sources):
    """The oauth_* parameters of all sources together; refused when one appears twice."""
    merged = {}
    for source in sources:
        for name, value in source:
            if name.startswith("oauth_"):
                if name in merged:
                    raise DuplicatedOAuthProtocolParameterError(f'"{name}" is given more than once')
                merged[name] = value
    return merged


def is_secure():
    """HTTPS, directly or behind a trusted TLS-terminating proxy that says so (ProxyFix,
    PORTAL_TRUSTED_PROXIES: X-Forwarded-Proto from anyone else is ignored)."""
    return request.is_secure


def signed_request():
    """The request as Authlib sees it (OAuth parameters from header, query or body).

    Raises a 401 ApiError when the OAuth parameters cannot even be parsed."""
    body = None
    if request.mimetype == "application/x-www-form-urlencoded":
        body = urlencode(list(request.form.items(multi=True)))
    # Clients send |, [ and ] raw; Authlib insists on a strictly encoded query, and the
    # signature base string is built from decoded values anyway: re-encode them.
    url = request.base_url
    if is_secure() and url.startswith("http:"):
        url = "https:" + url[5:]
    if request.args:
        url += "?" + urlencode(list(request.args.items(multi=True)))
    try:
        return SignedRequest(request.method, url, body, dict(request.headers))
    except OAuth1Error as error:
        raise oauth_error(error) from None
    except ValueError:
        raise oauth_failure("Malformed Authorization header.") from None


def has_oauth(req):
    return bool(req.client_id)


class Verifier(BaseServer):
    SUPPORTED_SIGNATURE_METHODS = SIGNATURE_METHODS

    def get_client_by_id(self, client_id):
        return db.session.scalar(db.select(Consumer).filter_by(key=client_id))

    def validate_timestamp_and_nonce(self, req):
        """Authlib's check, plus: a timestamp is ASCII digits and not from the future. Every
        request and token endpoint runs it first, so it also checks `oauth_version`: absent or
        "1.0" (RFC 5849, 3.1), which Authlib leaves alone."""
        version = req.oauth_params.get("oauth_version")
        if version is not None and version != "1.0":
            raise InvalidRequestError('Invalid "oauth_version" value (only "1.0")')
        timestamp = req.oauth_params.get("oauth_timestamp")
        if timestamp and (not timestamp.isascii() or not timestamp.isdecimal() or len(timestamp) > 12):
            raise InvalidRequestError('Invalid "oauth_timestamp" value')
        if timestamp and int(timestamp) - time.time() > self.EXPIRY_TIME:
            raise InvalidRequestError('Invalid "oauth_timestamp" value (in the future)')
        nonce = req.oauth_params.get("oauth_nonce")
        if nonce and len(nonce) > 100:
            raise InvalidRequestError('Invalid "oauth_nonce" value')
        super().validate_timestamp_and_nonce(req)

    def exists_nonce(self, nonce, req):
        """Only note the nonce here: it is recorded once the signature verifies (below), so a
        forged request can neither burn a genuine request's nonce nor cost a database write."""
        req.pending_nonce = nonce
        return False

    def validate_oauth_signature(self, req):
        super().validate_oauth_signature(req)
        nonce = getattr(req, "pending_nonce", None)
        if nonce is not None and self.record_nonce(nonce, req):
            raise InvalidNonceError()

    def record_nonce(self, nonce, req):
        """Record the nonce; True when it was already used (a replay)."""
        set_write_intent(True)
        db.session.commit()
        db.session.add(Nonce(consumer_key=req.client_id[:64], token=(req.token or "")[:64],
                             nonce=nonce, timestamp=int(req.timestamp)))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return True
        if random.random() < 0.01:
            horizon = int(time.time()) - 2 * current_app.config["OAUTH_TIMESTAMP_WINDOW"]
            db.session.execute(db.delete(Nonce).where(Nonce.timestamp < horizon))
            db.session.commit()
        return False


def new_server(cls=Verifier):
    server = cls()
    server.EXPIRY_TIME = current_app.config["OAUTH_TIMESTAMP_WINDOW"]
    return server


def check_timestamp_nonce_signature(server, req):
    """The common tail of every check: timestamp window, nonce, signature (OAuth1Error)."""
    server.validate_timestamp_and_nonce(req)
    server.validate_oauth_signature(req)


def request_token_expired(token):
    ttl = current_app.config.get("OAUTH_REQUEST_TOKEN_TTL", 3600)
    return (clock.now() - token.created).total_seconds() > ttl


def verify(req, token_kind="access", require_token=False):
    """Check consumer, token, timestamp, nonce and signature; returns (consumer, token).

    Raises a 401 ApiError on any failure."""
    server = new_server()
    try:
        consumer = server.get_client_by_id(req.client_id)
        if consumer is None:
            raise oauth_failure("Invalid consumer key.", "invalid_consumer")
        req.client = consumer
        token = None
        if req.token:
            token = db.session.scalar(db.select(Token).filter_by(token=req.token, kind=token_kind))
            if token is None or token.revoked or token.consumer_id != consumer.id:
                raise oauth_failure("Invalid, expired or revoked token.", "invalid_token")
            req.credential = token
        elif require_token:
            raise oauth_failure("Missing oauth_token.", "invalid_token")
        check_timestamp_nonce_signature(server, req)
    except OAuth1Error as error:
        db.session.rollback()
        raise oauth_error(error) from None
    return consumer, token
