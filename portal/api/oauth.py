"""Verifying OAuth 1.0a signed requests (Authlib does the signature work)."""
import random
import time
from urllib.parse import urlencode

from authlib.oauth1.errors import OAuth1Error
from authlib.oauth1.rfc5849.base_server import BaseServer
from authlib.oauth1.rfc5849.wrapper import OAuth1Request
from flask import current_app, request
from sqlalchemy.exc import IntegrityError

from ..database import set_write_intent
from ..extensions import db
from .errors import oauth_failure
from .models import Consumer, Nonce, Token


class Verifier(BaseServer):
    SUPPORTED_SIGNATURE_METHODS = ["HMAC-SHA1", "PLAINTEXT"]

    def get_client_by_id(self, client_id):
        return db.session.scalar(db.select(Consumer).filter_by(key=client_id))

    def exists_nonce(self, nonce, req):
        """Record the nonce; True when it was already used (a replay)."""
        set_write_intent(True)
        db.session.commit()
        db.session.add(Nonce(consumer_key=req.client_id, token=req.token or "", nonce=nonce,
                             timestamp=int(req.timestamp)))
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


def signed_request():
    """The request as Authlib sees it (OAuth parameters from header, query or body)."""
    body = request.form.to_dict(flat=True) if request.mimetype == "application/x-www-form-urlencoded" else None
    # Clients send |, [ and ] raw; Authlib insists on a strictly encoded query, and the
    # signature base string is built from decoded values anyway: re-encode them.
    url = request.base_url
    if request.args:
        url += "?" + urlencode(list(request.args.items(multi=True)))
    return OAuth1Request(request.method, url, body, dict(request.headers))


def has_oauth(req):
    return bool(req.client_id)


def verify(req, token_kind="access", require_token=False):
    """Check consumer, token, timestamp, nonce and signature; returns (consumer, token).

    Raises a 401 ApiError on any failure."""
    server = Verifier()
    server.EXPIRY_TIME = current_app.config["OAUTH_TIMESTAMP_WINDOW"]
    try:
        consumer = server.get_client_by_id(req.client_id)
        if consumer is None:
            raise oauth_failure("Invalid consumer key.")
        req.client = consumer
        token = None
        if req.token:
            token = db.session.scalar(db.select(Token).filter_by(token=req.token, kind=token_kind))
            if token is None or token.revoked or token.consumer_id != consumer.id:
                raise oauth_failure("Invalid, expired or revoked token.")
            req.credential = token
        elif require_token:
            raise oauth_failure("Missing oauth_token.")
        timestamp = req.oauth_params.get("oauth_timestamp")
        if timestamp and timestamp.isdigit() and int(timestamp) - time.time() > server.EXPIRY_TIME:
            raise oauth_failure("Invalid oauth_timestamp value (in the future).")
        server.validate_timestamp_and_nonce(req)
        server.validate_oauth_signature(req)
    except OAuth1Error as error:
        db.session.rollback()
        raise oauth_failure(f"OAuth error: {error.error}. {error.description or ''}".strip()) from None
    return consumer, token
