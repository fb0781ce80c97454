"""Flask-WTF's app-wide CSRF check, with a token checked once, and signed once, per worker.

A page's htmx requests and forms send the same signed token until the session changes, and
checking its signature is a good part of what a rush's refused click costs. Each worker keeps
the tokens it has accepted (with the key of the moment) and the session token each matched;
a kept token is accepted again only for a session holding that same session token, so a token
is still worth nothing with another person's session. Tokens that expire
(WTF_CSRF_TIME_LIMIT; the portal's do not, they last as long as the session) are always
checked in full.

Pages put the token into every form they render: the worker also keeps the signed token it
made for a session token and gives the same one to that session's next pages, instead of
signing it again for each (a signature's time means nothing when tokens do not expire).
"""
import hmac

from flask import current_app, g, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import generate_csrf, same_origin

from ..kept import Kept

TOKENS_KEPT = 4096  # per worker; then they start anew


class KeptTokensCSRF(CSRFProtect):
    def __init__(self, app=None):
        self._accepted = Kept(TOKENS_KEPT)  # (secret key, signed token) -> the session token it matched
        self._signed = Kept(TOKENS_KEPT)  # (secret key, session token) -> the signed token pages carry
        super().__init__(app)

    def init_app(self, app):
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = self.token

        @app.context_processor
        def _kept_token():  # Flask-WTF's own context processor offers generate_csrf
            return {"csrf_token": self.token}

    def token(self):
        """Flask-WTF's generate_csrf(), signing a session's token once per worker (forms
        rendered later in the request take it from `g`, as they take generate_csrf's)."""
        config = current_app.config
        field = config["WTF_CSRF_FIELD_NAME"]
        raw = session.get(field)
        if field in g or config["WTF_CSRF_TIME_LIMIT"] is not None or not isinstance(raw, str):
            return generate_csrf()
        key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
        signed = self._signed.get(key)
        if signed is None:
            return self._signed.keep(key, generate_csrf())
        setattr(g, field, signed)
        return signed

    def protect(self, apply_exemptions=False):
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return  # a GET: nothing to check (Flask-WTF works out the view's exemption first)
        key, field = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, config["WTF_CSRF_FIELD_NAME"]
        exempt = apply_exemptions and (not request.endpoint or self._is_exempt())
        if exempt or config["WTF_CSRF_TIME_LIMIT"] is not None:
            return super().protect(apply_exemptions)
        token = self._get_csrf_token()
        known = self._accepted.get((key, token))
        expected = session.get(field)
        if known is None or not isinstance(expected, str) or not hmac.compare_digest(known, expected):
            super().protect(apply_exemptions)  # the full check: signature, session token, referrer
            self._accepted.keep((key, token), session[field])
            return
        # The token is good for this session; what Flask-WTF checks after the token:
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True
