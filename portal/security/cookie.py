"""Flask's signed-cookie sessions, with the signing serializer built once per key, and a
cookie checked once.

Flask builds a new itsdangerous serializer (key list, signer, JSON tagger) for every request
that opens or saves a session, and works out the cookie's attributes even when an empty
session has nothing to save; that is a good part of what a trivial API call costs here.

A signed-in browser sends the same cookie with every request until the session changes, and
checking its signature and decoding it is about a tenth of what a rush's refusal costs: each
worker keeps the cookies it has verified (with the keys of the moment) and what they hold, and
checks only their age again (the cookies it signs itself are known from the start). Only sessions of plain values are kept (a list, as flashed
messages are, would be shared by the requests that change it). Whether the sign-in is still
alive is not the cookie's business: the user loader asks the database on every request.
"""
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from ..kept import Kept

VERIFIED_KEPT = 4096  # cookies kept per worker (a few hundred bytes each); then they start anew
PLAIN = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self):
        self._serializer = (None, None)
        self._verified = Kept(VERIFIED_KEPT)  # cookie -> (signed at, seconds since the epoch; its data)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        known, serializer = self._serializer
        if known != keys:  # a new key (tests, a rotation) gets a new serializer
            serializer = super().get_signing_serializer(app)
            serializer.dumps = self._signing(serializer.dumps)
            self._serializer = (keys, serializer)
            self._verified = Kept(VERIFIED_KEPT)  # verified with the old keys
        return serializer

    def _signing(self, dumps):
        def signed(obj, salt=None):
            signed_at = int(time.time())  # at the latest what the signature says: never kept too long
            cookie = dumps(obj, salt)
            self._keep(cookie, signed_at, dict(obj))
            return cookie
        return signed

    def _keep(self, cookie, signed_at, data):
        if all(isinstance(value, PLAIN) for value in data.values()):
            self._verified.keep(cookie, (signed_at, data))

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookies, name = request.cookies, self.get_cookie_name(app)
        cookie = cookies[name] if name in cookies else None  # (a missing name's `get` raises and catches)
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        verified = self._verified
        known = verified.get(cookie)
        # itsdangerous's own test of a signature's age (whole seconds, none from the future)
        if known is not None and 0 <= int(time.time()) - known[0] <= max_age:
            return self.session_class(known[1])  # a copy: the request's changes stay its own
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        self._keep(cookie, int(signed_at.timestamp()), data)
        return self.session_class(data)

    def save_session(self, app, session, response):
        if not session.modified and not self.should_set_cookie(app, session):
            # Nothing to write or delete (an unchanged session, not refreshed on every request).
            # Flask would still add `Vary: Cookie` (Flask-Login reads the session on every
            # request), but every answer but a static file is `Cache-Control: no-store`
            # (portal.security.headers), so no cache keeps one.
            return
        super().save_session(app, session, response)


def init_app(app):
    app.session_interface = CookieSessions()
