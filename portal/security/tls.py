"""With PORTAL_REQUIRE_SSL, what of the services/* API refuses plain HTTP outright.

The OAuth endpoints (request_token, access_token, authorize) and any call signed with
PLAINTEXT, which carries the consumer and token secrets as they are, are refused before
anything reads or stores them; HMAC-SHA1 calls of methods not marked "SSL required" keep
working over HTTP, as in USOS (the dispatcher checks the per-method rule). Whether a request
came over HTTPS is `request.is_secure`: directly, or from a trusted proxy (TrustedProxies).
"""
import json
import re
from urllib.parse import parse_qs

from flask import Response, current_app, request

from ..api.errors import method_forbidden
from .headers import https_required_page

OAUTH_ENDPOINTS = ("/services/oauth/request_token", "/services/oauth/access_token")
PLAINTEXT_RE = re.compile(r'oauth_signature_method\s*=\s*"?PLAINTEXT\b', re.IGNORECASE)


def _plaintext_signed():
    """Whether the request says PLAINTEXT anywhere OAuth parameters may be (header, query, body)."""
    if PLAINTEXT_RE.search(request.headers.get("Authorization", "")):
        return True
    if request.args.get("oauth_signature_method", "").upper() == "PLAINTEXT":
        return True
    if request.mimetype == "application/x-www-form-urlencoded":
        # The raw bytes, not request.form: the dispatcher checks their encoding before parsing.
        body = request.get_data(cache=True)
        return b"PLAINTEXT" in body.upper() and any(
            v.upper() == "PLAINTEXT" for v in parse_qs(body.decode("latin-1")).get("oauth_signature_method", []))
    return False


def refuse_plain_http():
    """With PORTAL_REQUIRE_SSL: the OAuth endpoints, and any call signed with PLAINTEXT (which
    carries both secrets as they are), refuse plain HTTP before anything else reads them."""
    if not current_app.config["PORTAL_REQUIRE_SSL"] or request.is_secure or not request.path.startswith("/services/"):
        return None
    path = request.path.rstrip("/")
    if path == "/services/oauth/authorize":
        return https_required_page()
    if path in OAUTH_ENDPOINTS or _plaintext_signed():
        error = method_forbidden("secure_required", "This request requires SSL (https): OAuth endpoints "
                                 "and PLAINTEXT signatures are refused over plain HTTP.")
        return Response(json.dumps(error.body()), status=403, content_type="application/json")
    return None
