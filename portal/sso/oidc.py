"""OpenID Connect through Authlib's Flask client: discovery, code flow with PKCE (S256), nonce.

Authlib checks the state, exchanges the code, and validates the ID token: its signature
against the provider's JWKS, issuer, audience (our client id, which we must ask for), expiry
(two minutes' leeway for clocks) and nonce.
"""
import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError

from ..errors import ServiceError
from .cas import unreachable
from .people import Identity


def register(app):
    """One Authlib registry per application: each knows its own provider."""
    oauth = OAuth(app)
    oauth.register("university", client_id=app.config["OIDC_CLIENT_ID"],
                   client_secret=app.config["OIDC_CLIENT_SECRET"] or None,
                   server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
                   client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256",
                                  "timeout": app.config["SSO_TIMEOUT"]})
    app.extensions["indeks_oidc"] = oauth


def client():
    return current_app.extensions["indeks_oidc"].university


def refused(detail):
    return ServiceError("oidc_refused", f"OpenID Connect sign-in refused: {detail}", status=403,
                        user_message={"pl": "Logowanie uczelniane nie powiodło się lub zostało odrzucone. Spróbuj ponownie.",
                                      "en": "The university's sign-in failed or was refused. Please try again."})


def start(redirect_uri):
    """The redirect to the provider's authorization endpoint (state, nonce, PKCE made here)."""
    try:
        return client().authorize_redirect(redirect_uri)
    except requests.RequestException as err:  # discovery document unreachable
        raise unreachable(str(err)) from err


def logout_url(back):
    """The provider's end_session_endpoint (OpenID Connect RP-Initiated Logout) with our client
    id and where to come back to (`back`, which must be registered at the provider as a post-
    logout redirect URI); None when the provider has none or cannot be asked."""
    try:
        endpoint = client().load_server_metadata().get("end_session_endpoint")
    except requests.RequestException as err:
        current_app.logger.warning("OpenID provider unreachable at sign-out: %s", err)
        return None
    if not endpoint:
        return None
    return add_params_to_uri(endpoint, [("client_id", current_app.config["OIDC_CLIENT_ID"]),
                                        ("post_logout_redirect_uri", back)])


def finish():
    """The Identity of the person the provider sent back; ServiceError on any failed check."""
    university = client()
    try:
        # Authlib checks the audience only when told to (by default just azp): say it, and
        # keep its issuer check, which these options replace.
        issuer = university.load_server_metadata().get("issuer")
        token = university.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
        })
    except (OAuthError, JoseError, ValueError) as err:
        raise refused(f"{type(err).__name__}: {err}") from err
    except requests.RequestException as err:
        raise unreachable(str(err)) from err
    claims = token.get("userinfo")
    if not claims:
        raise refused("no ID token in the answer")
    config = current_app.config

    def claim(setting):
        value = claims.get(config[setting]) if config[setting] else None
        return str(value) if value not in (None, "") else None

    return Identity(provider="oidc", login=claim("OIDC_LOGIN_CLAIM"), student_number=claim("OIDC_STUDENT_NUMBER_CLAIM"),
                    first_name=claims.get("given_name"), last_name=claims.get("family_name"),
                    email=claims.get("email") if claims.get("email_verified", True) else None,
                    sso_session=text_claim(claims, "sid"), sso_subject=text_claim(claims, "sub"),
                    sso_issuer=claims.get("iss"))


def text_claim(claims, name):
    """A claim that must be a non-empty string (sid, sub), or None."""
    value = claims.get(name)
    return value if isinstance(value, str) and value else None
