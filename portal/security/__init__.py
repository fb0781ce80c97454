"""Security plumbing every page shares: trusted proxies, HTTPS, headers, the secret key.

Sign-in throttling and server-side sessions live in portal/auth; the API's TLS rules in
tls.py; the `next` rule in redirects.py.
"""
from . import cookie, headers, tls


def init_app(app):
    if app.config["PORTAL_REQUIRE_SSL"]:
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    cookie.init_app(app)
    app.wsgi_app = app.extensions["indeks_answers"] = headers.SecureAnswers(app)
    app.before_request(headers.require_https)
    app.before_request(tls.refuse_plain_http)
