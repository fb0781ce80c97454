"""Flask-WTF's app-wide CSRF check, with a token checked once per worker.

A page's htmx requests and forms send the same signed token until the session changes, and
checking its signature is a good part of what a rush's refused click costs. Each worker keeps
the tokens it has accepted (with the key of the moment) and the session token each matched;
a kept token is accepted again only for a session holding that same session token, so a token
is still worth nothing with another person's session. Tokens that expire
(WTF_CSRF_TIME_LIMIT; the portal's do not, they last as long as the session) are always
checked in full.
"""
import hmac

from flask import current_app, g, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin

from ..kept import Kept

TOKENS_KEPT = 4096  # per worker; then they start anew


class KeptTokensCSRF(CSRFProtect):
    def __init__(self, app=None):
        self._accepted = Kept(TOKENS_KEPT)  # (secret key, signed token) -> the session token it matched
        super().__init__(app)

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
