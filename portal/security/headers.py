"""Security headers on every answer, and HTTPS only when PORTAL_REQUIRE_SSL is on.

The Content-Security-Policy allows scripts and styles from this site only: no inline
<script>, no on*= or style= attributes, no eval (htmx's hx-on and its inline indicator
styles are not used; `<meta name="htmx-config">` turns the latter off). Pico's icons are
data: images. Framing is refused (frame-ancestors and X-Frame-Options, for older browsers),
so the OAuth "Allow" button cannot be clicked through from another site.
"""
from flask import current_app, redirect, render_template, request
from flask_babel import lazy_gettext as _l

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


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["PORTAL_REQUIRE_SSL"] and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={current_app.config['PORTAL_HSTS_MAX_AGE']}")
    static = request.endpoint == "static" or (request.endpoint or "").endswith(".static")
    if not static and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # pages, CSVs and API answers are personal
    return response


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
