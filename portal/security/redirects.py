"""Where a `next` (or `back`, or Referer) may send the browser: only to a path on this site.

One rule for every redirect target a request supplies. Refused: other hosts and schemes
(`https://evil.example`, `https:evil.example`), protocol-relative `//host` and `/\\host`
(browsers read a backslash as a slash), and control characters (browsers drop tabs and new
lines from URLs, so `/\\t/evil.example` would become `//evil.example`).
"""
from urllib.parse import urlsplit, urlunsplit

from flask import request, url_for

MAX_LENGTH = 2000


def safe_next(target, fallback=None):
    """`target` reduced to a path on this site, or `fallback` (the home page by default)."""
    default = url_for("home.index") if fallback is None else fallback
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:  # an absolute URL is fine only when it is this site's own
        own = urlsplit(request.host_url)
        if (parts.scheme.lower(), parts.netloc.lower()) != (own.scheme, own.netloc.lower()):
            return default
        target = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    if not target.startswith("/") or target.startswith("//"):
        return default
    return target
