"""OAuth parameters split between the Authorization header, the query and the form body, as
USOS takes them (usos-api signs request_token with oauth_callback and scopes in the body and
the other oauth_* values in the header): accepted when no parameter comes twice."""
from urllib.parse import parse_qs, urlencode

import pytest
from oauthlib.oauth1 import Client

from portal.api.models import Token
from portal.extensions import db

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
URL = "http://localhost/services/oauth/request_token"


def usos_api_request_token(api, body, url=URL, client=None):
    """Exactly what usos-api's AuthManager does: oauthlib signs with the body as a dict, so
    oauth_callback stays in the body and the other oauth_* go to the header."""
    client = client or Client(api.consumer[0], client_secret=api.consumer[1])
    uri, headers, signed_body = client.sign(url, http_method="POST", body=body, headers=FORM)
    return api.client.post(uri[len("http://localhost"):], data=signed_body, headers=headers)


def test_oauth_callback_in_the_body_and_the_rest_in_the_header(app, api):
    r = usos_api_request_token(api, {"oauth_callback": "oob", "scopes": "studies|grades"})
    assert r.status_code == 200, r.get_data(as_text=True)
    answer = {k: v[0] for k, v in parse_qs(r.get_data(as_text=True)).items()}
    assert answer["oauth_callback_confirmed"] == "true"
    with app.app_context():
        token = db.session.scalar(db.select(Token).filter_by(token=answer["oauth_token"]))
        assert token.callback == "oob" and token.scopes == "studies|grades"


def test_the_split_parameters_are_signed(api):
    """The signature covers the body's oauth_callback: changing it afterwards is refused."""
    client = Client(api.consumer[0], client_secret=api.consumer[1])
    uri, headers, body = client.sign(URL, http_method="POST", body={"oauth_callback": "oob", "scopes": "studies"},
                                     headers=FORM)
    forged = urlencode(dict(body, oauth_callback="https://evil.example/"))
    r = api.client.post(uri[len("http://localhost"):], data=forged, headers=headers)
    assert r.status_code == 401 and r.get_json()["error"] == "method_forbidden"


@pytest.mark.parametrize("where", ["body", "query"])
def test_a_parameter_given_twice_is_refused(api, where):
    client = Client(api.consumer[0], client_secret=api.consumer[1], callback_uri="oob")
    if where == "body":  # oauth_callback both in the header (callback_uri) and in the body
        r = usos_api_request_token(api, {"oauth_callback": "oob", "scopes": "studies"}, client=client)
    else:
        r = usos_api_request_token(api, {"scopes": "studies"}, url=URL + "?" + urlencode({"oauth_callback": "oob"}),
                                   client=client)
    assert r.status_code == 401
    body = r.get_json()
    assert body["error"] == "method_forbidden" and body["reason"] == "duplicated_oauth_protocol_parameter"
    assert "oauth_callback" in body["message"]


def test_a_signed_call_with_oauth_parameters_in_header_and_query(app, api, make):
    """Any method, not only the token endpoints: oauth_token in the query, the rest in the header."""
    uni = make.university()
    key, secret = api.token_for(uni.student)
    client = Client(api.consumer[0], client_secret=api.consumer[1], resource_owner_secret=secret)
    uri, headers, _ = client.sign(f"http://localhost/services/users/user?fields=id&oauth_token={key}",
                                  http_method="GET")
    assert "oauth_token" not in headers["Authorization"]
    r = api.client.get(uri[len("http://localhost"):], headers=headers)
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"id": str(uni.student.id)}
