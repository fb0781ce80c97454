"""Security plumbing every page shares: trusted proxies, HTTPS, headers, the secret key.

Sign-in throttling and server-side sessions live in portal/auth; the API's TLS rules in
tls.py; the `next` rule in redirects.py.
"""
from werkzeug.middleware.proxy_fix import ProxyFix

from . import headers, tls


class TrustedProxies:
    """werkzeug's ProxyFix for PORTAL_TRUSTED_PROXIES hops (read per request): the client's
    address and scheme come from X-Forwarded-For / X-Forwarded-Proto only when a proxy we
    trust set them. With 0 (the default, a direct `make run`) both headers are ignored."""

    def __init__(self, app):
        self.app, self.wsgi_app = app, app.wsgi_app

    def __call__(self, environ, start_response):
        hops = self.app.config["PORTAL_TRUSTED_PROXIES"]
        if hops:
            return ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops)(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_app(app):
    if app.config["PORTAL_REQUIRE_SSL"]:
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    app.wsgi_app = TrustedProxies(app)
    app.before_request(headers.require_https)
    app.before_request(tls.refuse_plain_http)
    app.after_request(headers.add_headers)
