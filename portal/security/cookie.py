"""Flask's signed-cookie sessions, with the signing serializer built once per key.

Flask builds a new itsdangerous serializer (key list, signer, JSON tagger) for every request
that opens or saves a session, and works out the cookie's attributes even when an empty
session has nothing to save; that is a good part of what a trivial API call costs here.
"""
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self):
        self._serializer = (None, None)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        known, serializer = self._serializer
        if known != keys:  # a new key (tests, a rotation) gets a new serializer
            serializer = super().get_signing_serializer(app)
            self._serializer = (keys, serializer)
        return serializer

    def save_session(self, app, session, response):
        if not session and not session.modified:
            # Nothing to write or delete. Flask would still add `Vary: Cookie` (Flask-Login
            # reads the session on every request), but every answer but a static file is
            # `Cache-Control: no-store` (portal.security.headers), so no cache keeps one.
            return
        super().save_session(app, session, response)


def init_app(app):
    app.session_interface = CookieSessions()
