"""Identity providers the SSO tests start on free ports: a CAS server and an OpenID Connect
provider, each a small Flask app behind a real HTTP server in a thread.

They answer the real endpoints with the real formats: CAS 2/3 XML from serviceValidate and
p3/serviceValidate; OpenID Connect discovery, authorize, token (PKCE S256 checked) and JWKS,
with RS256-signed ID tokens. `tweak` makes the provider misbehave in one named way. Both end
sessions as theirs do: CAS POSTs a SAML LogoutRequest to the service URL of each ticket it
issued (`single_logout`), the OpenID provider signs back-channel logout tokens (`logout_token`).
"""
import base64
import hashlib
import itertools
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import requests
from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


class _Server:
    def __init__(self, app):
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(10)


def _with_query(url, **params):
    return url + ("&" if "?" in url else "?") + urlencode(params)


class CasServer:
    """CAS: /login issues a ticket for `self.user`; the validate endpoints redeem it once."""

    def __init__(self):
        self.user, self.attributes = None, {}
        self.tickets, self.validations, self.issued = {}, [], []
        self._numbers = itertools.count(1)
        app = Flask("cas")
        app.add_url_rule("/cas/login", view_func=self._login)
        app.add_url_rule("/cas/serviceValidate", view_func=lambda: self._validate(with_attributes=False))
        app.add_url_rule("/cas/p3/serviceValidate", endpoint="p3", view_func=lambda: self._validate(with_attributes=True))
        self.server = _Server(app)
        self.url = self.server.url + "/cas"

    def _login(self):
        service = request.args.get("service")
        if not service or self.user is None:
            abort(400)
        ticket = f"ST-{next(self._numbers)}-{secrets.token_hex(8)}"
        self.tickets[ticket] = (service, self.user, dict(self.attributes))
        self.issued.append((ticket, service))
        return redirect(_with_query(service, ticket=ticket))

    def _validate(self, with_attributes):
        service, ticket = request.args.get("service"), request.args.get("ticket")
        self.validations.append((request.path, service, ticket))
        issued = self.tickets.pop(ticket, None)  # a ticket is good for one validation only
        if issued is None:
            body = (f'<cas:authenticationFailure code="INVALID_TICKET">Ticket {escape(ticket or "")} not recognized'
                    '</cas:authenticationFailure>')
        elif issued[0] != service:
            body = '<cas:authenticationFailure code="INVALID_SERVICE">Ticket was issued for another service</cas:authenticationFailure>'
        else:
            attributes = "".join(f"<cas:{k}>{escape(v)}</cas:{k}>" for k, v in issued[2].items())
            body = (f"<cas:authenticationSuccess><cas:user>{escape(issued[1])}</cas:user>"
                    + (f"<cas:attributes>{attributes}</cas:attributes>" if with_attributes else "")
                    + "</cas:authenticationSuccess>")
        xml = f'<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n  {body}\n</cas:serviceResponse>\n'
        return xml, 200, {"Content-Type": "application/xml; charset=utf-8"}

    @staticmethod
    def logout_request(ticket, user="@NOT_USED@"):
        """The SAML LogoutRequest CAS sends when the session a ticket belongs to ends."""
        instant = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return ('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
                'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
                f'ID="LR-{uuid.uuid4().hex}" Version="2.0" IssueInstant="{instant}">'
                f"<saml:NameID>{escape(user)}</saml:NameID>"
                f"<samlp:SessionIndex>{escape(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>")

    def single_logout(self, post=None):
        """End the CAS session: POST a LogoutRequest to the service URL of every ticket issued,
        as CAS does (`post(url, data)`: how to reach the service; a real HTTP POST by default)."""
        post = post or (lambda url, data: requests.post(url, data=data, timeout=10))
        answers = [post(service, {"logoutRequest": self.logout_request(ticket)}) for ticket, service in self.issued]
        self.issued.clear()
        return answers

    def stop(self):
        self.server.stop()


class OidcProvider:
    """OpenID Connect: discovery, /authorize for `self.claims`, /token with PKCE, /jwks."""

    def __init__(self, client_id="indeks", client_secret="s3cret"):
        self.client_id, self.client_secret = client_id, client_secret
        self.claims, self.tweak = {}, None
        self.logs_out = True  # whether its discovery document names an end_session_endpoint
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.codes, self.authorize_requests, self.jwks_fetches = {}, [], 0
        app = Flask("oidc")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self._discovery)
        app.add_url_rule("/authorize", view_func=self._authorize)
        app.add_url_rule("/token", view_func=self._token, methods=["POST"])
        app.add_url_rule("/jwks", view_func=self._jwks)
        self.server = _Server(app)
        self.issuer = self.server.url
        self.discovery_url = self.issuer + "/.well-known/openid-configuration"

    def _discovery(self):
        logout = {"end_session_endpoint": self.issuer + "/logout"} if self.logs_out else {}
        return jsonify(issuer=self.issuer, authorization_endpoint=self.issuer + "/authorize",
                       token_endpoint=self.issuer + "/token", jwks_uri=self.issuer + "/jwks",
                       response_types_supported=["code"], subject_types_supported=["public"],
                       id_token_signing_alg_values_supported=["RS256"],
                       code_challenge_methods_supported=["S256"],
                       token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
                       **logout)

    def _jwks(self):
        self.jwks_fetches += 1
        return jsonify(keys=[self.key.as_dict(private=False)])

    def _authorize(self):
        args = request.args
        self.authorize_requests.append(dict(args))
        if args.get("client_id") != self.client_id or args.get("response_type") != "code":
            abort(400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge") or not args.get("nonce"):
            abort(400)  # this provider insists on PKCE and a nonce
        code = secrets.token_urlsafe(16)
        self.codes[code] = dict(args)
        state = "not-the-state" if self.tweak == "state" else args.get("state")
        return redirect(_with_query(args["redirect_uri"], code=code, state=state))

    def _token(self):
        auth = request.authorization
        client_id, secret = (auth.username, auth.password) if auth else (request.form.get("client_id"), request.form.get("client_secret"))
        if (client_id, secret) != (self.client_id, self.client_secret):
            return jsonify(error="invalid_client"), 401
        grant = self.codes.pop(request.form.get("code", ""), None)
        if grant is None or request.form.get("redirect_uri") != grant["redirect_uri"]:
            return jsonify(error="invalid_grant"), 400
        verifier = request.form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["code_challenge"]:
            return jsonify(error="invalid_grant", error_description="PKCE verification failed"), 400
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": self.claims.get("sub", "subject-1"), "aud": self.client_id,
                  "iat": now, "exp": now + 300, "nonce": grant["nonce"], **self.claims}
        key = self.key
        if self.tweak == "audience":
            claims["aud"] = "somebody-else"
        elif self.tweak == "audience-with-azp":
            claims["aud"], claims["azp"] = "somebody-else", self.client_id
        elif self.tweak == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.tweak == "nonce":
            claims["nonce"] = "a-nonce-from-another-sign-in"
        elif self.tweak == "issuer":
            claims["iss"] = "https://evil.example"
        elif self.tweak == "signature":
            key = self.other_key
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer", expires_in=300, id_token=id_token)

    def logout_token(self, key=None, kid="k1", **claims):
        """A back-channel logout token as the provider signs it; `claims` add to or replace the
        usual ones (a value None leaves that claim out)."""
        now = int(time.time())
        body = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 120, "jti": secrets.token_hex(8),
                "events": {"http://schemas.openid.net/event/backchannel-logout": {}}, **claims}
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode({"alg": "RS256", "kid": kid, "typ": "logout+jwt"}, body, key or self.key)

    def stop(self):
        self.server.stop()
