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


def init_app(app):
    from . import oidc, routes
    settings.load(app)
    if settings.oidc_enabled(app.config):
        oidc.register(app)
    if not app.config["PORTAL_LOCAL_LOGIN"] and not (settings.cas_enabled(app.config) or settings.oidc_enabled(app.config)):
        app.logger.warning("PORTAL_LOCAL_LOGIN is off and no SSO provider is configured: nobody can sign in.")
    app.jinja_env.globals["sso_providers"] = providers
    app.register_blueprint(routes.bp)
