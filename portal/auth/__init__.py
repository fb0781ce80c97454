"""Signing in and out: sign-ins the server can end, sign-in throttling."""
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in

from ..extensions import login_manager


def init_app(app):
    from . import routes, sessions

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    login_manager.user_loader(sessions.load)
    user_logged_in.connect(sessions.record_sign_in, app)

    app.register_blueprint(routes.bp)
