"""Signing in and out."""
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..ids import int_id


def init_app(app):
    from . import routes
    from .models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_id):
        return db.session.get(User, int_id(user_id)) if int_id(user_id) is not None else None

    app.register_blueprint(routes.bp)
