"""Single sign-on settings, from the environment (a test or the factory's mapping wins)."""
import os

# name -> (default, kind); kinds: "bool", "str", "int"
SETTINGS = {
    "PORTAL_LOCAL_LOGIN": ("1", "bool"),          # login + password form (demo, operator fallback)
    "PORTAL_SSO_CREATE_PEOPLE": ("0", "bool"),    # let in people no import has brought
    "CAS_SERVER_URL": ("", "str"),                # e.g. https://login.uni.example.edu.pl/cas
    "CAS_VERSION": ("3", "int"),                  # 3: p3/serviceValidate with attributes; 2: serviceValidate
    "CAS_LOGIN_ATTRIBUTE": ("", "str"),           # empty: the CAS user name itself is the login
    "CAS_STUDENT_NUMBER_ATTRIBUTE": ("", "str"),  # e.g. studentNumber
    "CAS_LABEL": ("", "str"),                     # button text; a translated default when empty
    "OIDC_DISCOVERY_URL": ("", "str"),            # .../.well-known/openid-configuration
    "OIDC_ISSUER": ("", "str"),                   # alternative to the discovery URL
    "OIDC_CLIENT_ID": ("", "str"),
    "OIDC_CLIENT_SECRET": ("", "str"),
    "OIDC_SCOPES": ("openid profile email", "str"),
    "OIDC_LOGIN_CLAIM": ("preferred_username", "str"),
    "OIDC_STUDENT_NUMBER_CLAIM": ("", "str"),
    "OIDC_LABEL": ("", "str"),
    "SSO_TIMEOUT": ("10", "int"),                 # seconds to wait for the provider's server
    "SSO_PUBLIC_URL": ("", "str"),                # e.g. https://indeks.uni.example.edu.pl behind a proxy
    "SSO_LOGOUT": ("1", "bool"),                  # signing out of Indeks signs out at the provider too
}


def _convert(value, kind):
    if kind == "bool":
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(value)
    return str(value).strip()


def load(app):
    for name, (default, kind) in SETTINGS.items():
        if name not in app.config:
            app.config[name] = _convert(os.environ.get(name, default), kind)
    if not app.config["OIDC_DISCOVERY_URL"] and app.config["OIDC_ISSUER"]:
        app.config["OIDC_DISCOVERY_URL"] = app.config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration"


def cas_enabled(config):
    return bool(config["CAS_SERVER_URL"])


def oidc_enabled(config):
    return bool(config["OIDC_DISCOVERY_URL"] and config["OIDC_CLIENT_ID"])
