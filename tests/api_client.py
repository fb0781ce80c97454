"""Signed services/* calls from tests, through Flask's test client, as a real OAuth client signs them."""
from urllib.parse import urlencode

from flask.testing import FlaskClient
from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_AUTH_HEADER, Client

from portal.api.services import create_consumer, issue_access_token
from portal.auth.models import User
from portal.extensions import db

ALL_SCOPES = ("studies", "grades", "grades_write", "staff_perspective", "offline_access", "email",
              "personal", "student_exams", "cards", "events", "other_emails", "mobile_numbers",
              "crstests", "session_debugging", "change_all_preferences", "photo", "slips",
              "surveys_filling", "surveys_reports", "placement_tests", "dormitories", "payments")


class ApiClient:
    """`api.call("services/exams/exam", user=u, id="1")` -> Flask test response."""

    def __init__(self, app):
        self.app = app
        # A plain client: signed API calls carry no CSRF token (services/* is exempt).
        self.client = FlaskClient(app, app.response_class, use_cookies=True)
        with app.app_context():
            c = create_consumer("Test app")
            a = create_consumer("Admin app", administrative=True)
            db.session.commit()
            self.consumer = (c.key, c.secret)
            self.admin_consumer = (a.key, a.secret)
        self._tokens = {}

    def token_for(self, user, scopes=ALL_SCOPES, admin=False):
        user_id = user if isinstance(user, int) else user.id
        key = (user_id, tuple(scopes), admin)
        if key not in self._tokens:
            with self.app.app_context():
                from portal.api.models import Consumer
                consumer = db.session.scalar(db.select(Consumer).filter_by(
                    key=(self.admin_consumer if admin else self.consumer)[0]))
                token = issue_access_token(db.session.get(User, user_id), consumer, scopes)
                db.session.commit()
                self._tokens[key] = (token.token, token.secret)
        return self._tokens[key]

    def call(self, method, user=None, scopes=ALL_SCOPES, signed=True, admin=False, http="POST",
             token=None, **params):
        """Call a method, signed with the test consumer (and a token for `user`)."""
        params = {k: ("true" if v is True else "false" if v is False else str(v))
                  for k, v in params.items() if v is not None}
        path = "/" + method.lstrip("/")
        uri = "http://localhost" + path
        if not signed:
            if http == "GET":
                return self.client.get(path, query_string=params)
            return self.client.post(path, data=params)
        key, secret = self.admin_consumer if admin else self.consumer
        token_key = token_secret = None
        if token is not None:
            token_key, token_secret = token
        elif user is not None:
            token_key, token_secret = self.token_for(user, scopes, admin)
        client = Client(key, client_secret=secret, resource_owner_key=token_key,
                        resource_owner_secret=token_secret, signature_method=SIGNATURE_HMAC,
                        signature_type=SIGNATURE_TYPE_AUTH_HEADER)
        if http == "GET":
            full = uri + ("?" + urlencode(params) if params else "")
            signed_uri, headers, _ = client.sign(full, http_method="GET")
            return self.client.get(signed_uri[len("http://localhost"):], headers=headers)
        if not params:
            _, headers, _ = client.sign(uri, http_method="POST")
            return self.client.post(path, headers=headers)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        _, headers, body = client.sign(uri, http_method="POST", body=urlencode(params), headers=headers)
        return self.client.post(path, data=body, headers=headers)


def signed(test_client, path, consumer, token=None, params=None, http="POST", style="header",
           method="HMAC-SHA1", base="http://localhost", headers=None, **oauth):
    """One request signed by oauthlib, in any style: `style` header, query or body;
    `method` HMAC-SHA1 or PLAINTEXT; `oauth` extra client options (callback_uri, verifier,
    nonce, timestamp). Returns the Flask test response."""
    from oauthlib.oauth1 import SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY
    styles = {"header": SIGNATURE_TYPE_AUTH_HEADER, "query": SIGNATURE_TYPE_QUERY, "body": SIGNATURE_TYPE_BODY}
    client = Client(consumer[0], client_secret=consumer[1],
                    resource_owner_key=token[0] if token else None,
                    resource_owner_secret=token[1] if token else None,
                    signature_method=method, signature_type=styles[style], **oauth)
    params = {k: str(v) for k, v in (params or {}).items()}
    uri = base + path
    extra = dict(headers or {})
    if http == "GET":
        full = uri + ("?" + urlencode(params) if params else "")
        signed_uri, hdrs, _ = client.sign(full, http_method="GET")
        return test_client.get(signed_uri[len(base):], headers={**hdrs, **extra}, base_url=base)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    if params or style == "body":
        signed_uri, hdrs, body = client.sign(uri, http_method="POST", body=urlencode(params), headers=form)
    else:
        signed_uri, hdrs, body = client.sign(uri, http_method="POST")
    return test_client.post(signed_uri[len(base):], data=body or "", headers={**hdrs, **extra},
                            base_url=base, content_type=hdrs.get("Content-Type"))
