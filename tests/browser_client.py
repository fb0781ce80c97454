"""The Flask test client as a browser uses the portal: CSRF protection stays on in tests.

A browser sends the CSRF token that the page it is on carries: a form its hidden `csrf_token`
field, htmx the X-CSRFToken header from `<body hx-headers>`. Tests usually post without loading
the page first, so the client reads the token from a page itself (`<meta name="csrf-token">`)
when it has none for the current session, and sends it with every unsafe request: in the form
for a plain form post, in the header for htmx and other bodies. A token the test passes itself
is sent as it is. `client.post(url, ..., csrf=False)` sends a request without it: a forged one.
"""
import re
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from werkzeug.datastructures import Headers, MultiDict

CSRF_META_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_HEADERS = ("X-CSRFToken", "X-CSRF-Token")
TOKEN_PAGE = "/login"  # every page exposes the token; the sign-in page exists for everyone


class BrowserClient(FlaskClient):
    """`app.test_client()` in tests: unsafe requests carry the session's CSRF token."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._token = None
        self._token_secret = None  # the session's CSRF secret the token was issued for

    def open(self, *args, csrf=True, **kwargs):
        if csrf and self._needs_token(args, kwargs):
            headers = Headers(kwargs.pop("headers", None) or ())
            data = kwargs.get("data")
            url = args[0] if args else kwargs.get("path", "/")
            if self._is_form_post(url, headers, kwargs):
                form = data.copy() if isinstance(data, MultiDict) else dict(data or {})
                form["csrf_token"] = self.csrf_token()
                kwargs["data"] = form
            else:
                headers["X-CSRFToken"] = self.csrf_token()
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    @staticmethod
    def _is_form_post(url, headers, kwargs):
        """A plain form post (not htmx, not a raw or JSON body, not a services/* API call,
        whose form fields are the call's parameters)."""
        data = kwargs.get("data")
        return ("HX-Request" not in headers and kwargs.get("json") is None
                and (data is None or isinstance(data, dict)) and not urlsplit(url).path.startswith("/services/"))

    @staticmethod
    def _needs_token(args, kwargs):
        if args and not isinstance(args[0], str):
            return False  # a prepared request or environ (e.g. following a redirect): sent as built
        if str(kwargs.get("method", "GET")).upper() not in UNSAFE_METHODS:
            return False
        headers = Headers(kwargs.get("headers") or ())
        if any(name in headers for name in TOKEN_HEADERS):
            return False
        data = kwargs.get("data")
        return not (isinstance(data, dict) and "csrf_token" in data)

    def _session_secret(self):
        field = self.application.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with self.session_transaction() as session:
            return session.get(field)

    def csrf_token(self):
        """The token a page of the current session shows (loading a page when needed)."""
        secret = self._session_secret()
        if self._token is None or secret is None or secret != self._token_secret:
            page = super().open(TOKEN_PAGE, follow_redirects=True)
            found = CSRF_META_RE.search(page.get_data(as_text=True))
            assert found, f"no CSRF token on {TOKEN_PAGE} (status {page.status_code})"
            self._token, self._token_secret = found.group(1), self._session_secret()
        return self._token
