"""The OAuth 1.0a provider: temporary credentials and token credentials (Authlib's
AuthorizationServer), stored in the database."""
import json
import random
from datetime import timedelta
from urllib.parse import urlencode

from authlib.oauth1.errors import InvalidTokenError, OAuth1Error
from authlib.oauth1.rfc5849.authorization_server import AuthorizationServer
from flask import Response, current_app, request
from sqlalchemy.orm.exc import ObjectDeletedError

from .. import clock
from ..extensions import db
from . import oauth
from .errors import ApiError, oauth_error, param_invalid
from .models import Token
from .registry import SCOPES


class Provider(oauth.Verifier, AuthorizationServer):
    """Temporary credentials (Token kind "request") and access tokens (kind "access")."""

    def create_oauth1_request(self, req):
        return req

    def handle_response(self, status_code, payload, headers):
        body = payload
        if isinstance(payload, list):
            body = urlencode([(k, "true" if v is True else v) for k, v in payload])
        return Response(body, status=status_code, headers=headers)

    def handle_error_response(self, error):
        db.session.rollback()
        return _json(oauth_error(error))

    def create_temporary_credential(self, req):
        if random.random() < 0.02:  # forget request tokens nobody finished with
            horizon = clock.now() - timedelta(seconds=current_app.config.get("OAUTH_REQUEST_TOKEN_TTL", 3600))
            db.session.execute(db.delete(Token).where(Token.kind == "request", Token.created < horizon))
        token = Token(kind="request", consumer=req.client, callback=req.redirect_uri,
                      scopes="|".join(requested_scopes()))
        db.session.add(token)
        db.session.flush()
        return token

    def get_temporary_credential(self, req):
        token = db.session.scalar(db.select(Token).filter_by(token=req.token, kind="request"))
        if token is None or token.revoked or oauth.request_token_expired(token):
            return None
        if req.client is not None and token.consumer_id != req.client.id:
            return None
        return token

    def delete_temporary_credential(self, req):
        db.session.execute(db.delete(Token).where(Token.token == (req.token or ""), Token.kind == "request"))
        db.session.commit()

    def create_token_credential(self, req):
        temporary = req.credential
        try:
            # Expired by the nonce's commit, the row is read again: gone when another exchange
            # of the same verifier used it up meanwhile (a 500 once).
            user_id, scopes, temporary_id = temporary.user_id, temporary.scopes, temporary.id
        except ObjectDeletedError:
            raise InvalidTokenError() from None
        db.session.expunge(temporary)
        # The request token is used up here, in the transaction that creates the access token:
        # of two exchanges of one verifier at once, the second deletes nothing (on PostgreSQL it
        # waits for the first's row lock) and is refused. Checks before this point may commit.
        used = db.session.execute(db.delete(Token).where(Token.id == temporary_id, Token.kind == "request")
                                  .execution_options(synchronize_session=False)).rowcount
        if used != 1:
            raise InvalidTokenError()
        token = Token(kind="access", consumer=req.client, user_id=user_id, scopes=scopes)
        db.session.add(token)
        db.session.flush()
        return token


def requested_scopes():
    """The `scopes` parameter of request_token: pipe-separated keys from services/apiref/scopes."""
    raw = request.values.get("scopes", "")
    scopes = [s for s in raw.split("|") if s]
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise param_invalid("scopes", "unknown scopes: " + ", ".join(unknown[:10]))
    return list(dict.fromkeys(scopes))


def _json(error):
    return Response(json.dumps(error.body()), status=error.status, content_type="application/json")


def _answer(step):
    """Run one provider step; OAuth failures are 401, other API errors their envelope."""
    server = oauth.new_server(Provider)
    try:
        req = oauth.signed_request()
        response = step(server, req)
    except ApiError as error:
        db.session.rollback()
        return _json(error)
    except OAuth1Error as error:
        return server.handle_error_response(error)
    if response.status_code == 200:
        db.session.commit()
    return response


def request_token_response():
    """services/oauth/request_token: a temporary credential for `scopes` and `oauth_callback`."""
    def step(server, req):
        server.TEMPORARY_CREDENTIALS_METHOD = request.method
        if req.client_id:
            requested_scopes()  # refuse unknown scopes before spending a nonce
        return server.create_temporary_credentials_response(req)
    return _answer(step)


def access_token_response():
    """services/oauth/access_token: the authorized temporary credential and verifier for an access token."""
    def step(server, req):
        return server.create_token_response(req)
    return _answer(step)
