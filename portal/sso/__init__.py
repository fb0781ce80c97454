"""Single sign-on: CAS and OpenID Connect, configured from the environment (settings.py)."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from . import settings


def providers():
    """The sign-in buttons the login page shows: (id, label, url), keeping `next`."""
    config, found = current_app.config, []
    next_page = request.args.get("next")
    if settings.cas_enabled(config):
        found.append(("cas", config["CAS_LABEL"] or _l("Sign in with the university account (CAS)"),
                      url_for("sso.cas_login", next=next_page)))
    if settings.oidc_enabled(config):
        found.append(("oidc", config["OIDC_LABEL"] or _l("Sign in with the university account"),
                      url_for("sso.oidc_login", next=next_page)))
    return found


def public_url(endpoint, **values):
    """The absolute URL a provider sends the person back to: SSO_PUBLIC_URL when set (behind a
    reverse proxy the request may not show the public scheme and host), else this request's."""
    base = current_app.config["SSO_PUBLIC_URL"].rstrip("/")
    return base + url_for(endpoint, **values) if base else url_for(endpoint, **values, _external=True)


def sign_out_url(provider):
    """Where a person who signed in through `provider` ("cas", "oidc"; None: the password form)
    goes after signing out of Indeks: the provider's logout, which ends the university sign-in
    too and sends them back to Indeks's sign-in page, so that on a shared computer the next
    person is not let in as them. None: Indeks's own sign-in page (SSO_LOGOUT off, or an OpenID
    provider without an end_session_endpoint)."""
    config = current_app.config
    if not config["SSO_LOGOUT"]:
        return None
    from . import cas, oidc
    back = public_url("auth.login")
    if provider == "cas" and settings.cas_enabled(config):
        return cas.logout_url(back)
    if provider == "oidc" and settings.oidc_enabled(config):
        return oidc.logout_url(back)
    return None


def init_app(app):
    from . import oidc, routes
    settings.load(app)
    if settings.oidc_enabled(app.config):
        oidc.register(app)
    if not app.config["PORTAL_LOCAL_LOGIN"] and not (settings.cas_enabled(app.config) or settings.oidc_enabled(app.config)):
        app.logger.warning("PORTAL_LOCAL_LOGIN is off and no SSO provider is configured: nobody can sign in.")
    app.jinja_env.globals["sso_providers"] = providers
    app.register_blueprint(routes.bp)
