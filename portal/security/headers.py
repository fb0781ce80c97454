"""Security headers on every answer, and HTTPS only when PORTAL_REQUIRE_SSL is on.

The Content-Security-Policy allows scripts and styles from this site only: no inline
<script>, no on*= or style= attributes, no eval (htmx's hx-on and its inline indicator
styles are not used; `<meta name="htmx-config">` turns the latter off). Pico's icons are
data: images. Framing is refused (frame-ancestors and X-Frame-Options, for older browsers),
so the OAuth "Allow" button cannot be clicked through from another site.
"""
from flask import current_app, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
])
# form-action is left out on purpose: browsers apply it to the redirect after a form post,
# and the OAuth authorize form redirects to the application's own callback.

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Pages carry tokens in URLs (services/oauth/authorize?oauth_token=...): never send them on.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecureAnswers:
    """WSGI middleware: trusted proxies, then the security headers,
    `Cache-Control: no-store`, `Vary: HX-Request` and any path's own headers (the API's CORS)
    added to every answer in one pass over its header list, as plain tuples built once.

    A header the view set itself wins (`setdefault` semantics). Static files (any
    `static` endpoint's URL prefix) keep their own caching. Doing this here instead of in
    Flask `after_request` hooks saves every request a few dozen werkzeug Headers lookups.

    Trusted proxies: werkzeug's ProxyFix for PORTAL_TRUSTED_PROXIES hops (read per request),
    so the client's address and scheme come from X-Forwarded-For / X-Forwarded-Proto only
    when a proxy we trust set them; with 0 (the default, a direct `make run`) both are ignored."""

    def __init__(self, app):
        self.app, self.wsgi_app = app, app.wsgi_app
        self.always = list(HEADERS.items())
        self.by_prefix = []  # (path prefix, [(name, value)]): add_for_prefix
        self._static = None

    def add_for_prefix(self, prefix, headers):
        """Headers every answer under `prefix` carries (e.g. the API's CORS headers)."""
        self.by_prefix.append((prefix, list(headers)))

    def static_prefixes(self):
        """The URL prefixes of the static endpoints (`/static/`, `/grades/static/`, ...)."""
        if self._static is None:
            self._static = tuple(rule.rule.split("<", 1)[0] for rule in self.app.url_map.iter_rules()
                                 if rule.endpoint == "static" or rule.endpoint.endswith(".static"))
        return self._static

    def __call__(self, environ, start_response):
        config = self.app.config
        path = environ.get("PATH_INFO", "")
        htmx = "HTTP_HX_REQUEST" in environ

        def start(status, headers, exc_info=None):
            present = {name.lower(): i for i, (name, _) in enumerate(headers)}
            for name, value in self.always:
                if name.lower() not in present:
                    headers.append((name, value))
            for prefix, extra in self.by_prefix:
                if path.startswith(prefix):
                    for name, value in extra:
                        if name.lower() not in present:
                            headers.append((name, value))
            if config["PORTAL_REQUIRE_SSL"] and environ.get("wsgi.url_scheme") == "https" \
                    and "strict-transport-security" not in present:
                headers.append(("Strict-Transport-Security", f"max-age={config['PORTAL_HSTS_MAX_AGE']}"))
            if "cache-control" not in present and not path.startswith(self.static_prefixes()):
                headers.append(("Cache-Control", "no-store"))  # pages, CSVs and API answers are personal
            i = present.get("content-type")
            if htmx or (i is not None and headers[i][1].startswith("text/html")):
                _vary_on(headers, present.get("vary"), "HX-Request")
            return start_response(status, headers, exc_info)

        hops = config["PORTAL_TRUSTED_PROXIES"]
        if hops:
            return ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops)(environ, start)
        return self.wsgi_app(environ, start)


def _vary_on(headers, index, name):
    """Add `name` to the Vary header at `index` (or a new one): a page differs by it."""
    if index is None:
        headers.append(("Vary", name))
        return
    current = headers[index][1]
    if name.lower() not in (v.strip().lower() for v in current.split(",")):
        headers[index] = (headers[index][0], f"{current}, {name}" if current.strip() else name)


def require_https():
    """With PORTAL_REQUIRE_SSL, portal pages are served over HTTPS only (the API decides per
    method and signature in portal/api: unsigned HMAC calls may still use plain HTTP)."""
    if not current_app.config["PORTAL_REQUIRE_SSL"] or request.is_secure or request.path.startswith("/services/"):
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(request.url.replace("http://", "https://", 1), code=301)
    return https_required_page()


def https_required_page():
    return render_template("errors/error.html", code=403, title=_l("HTTPS required"),
                           message=_l("This site works over HTTPS only.")), 403
