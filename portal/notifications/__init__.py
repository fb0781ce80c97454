"""Notifications: people are told what happens to them, in the portal and by e-mail.

Other modules call `notify(...)` from their services, inside the transaction of the change
(see services.py); `flask notifications send` delivers the e-mail (see sender.py).
"""
from flask_babel import lazy_gettext as _l

from .services import iso, link, notify  # noqa: F401  (the API other modules use)


def init_app(app):
    from flask import request, session
    from flask_login import current_user
    from sqlalchemy.exc import SQLAlchemyError

    from ..auth.models import User
    from ..extensions import db
    from ..i18n import select_locale
    from ..web import register_nav
    from . import cli, models, outbox, routes, services  # noqa: F401  (tables, the views on routes.bp)
    from .mail import mail

    app.config["MAIL_BACKEND"] = "smtp"  # Flask-Mailman would pick an in-memory one under TESTING
    mail.init_app(app)
    app.register_blueprint(routes.bp)
    app.register_blueprint(cli.bp)
    register_nav(app, "notifications.outbox", _l("E-mail outbox"), lambda user: user.is_admin,
                 _l("E-mails to people: waiting, sent and failed ones."))

    def unread_notifications():
        """The header's unread count, rendered with the page; None (no count shown, the
        minute's poll brings it) when the database cannot say, e.g. on an error page."""
        try:
            return services.unread_count(current_user)
        except SQLAlchemyError:
            db.session.rollback()
            return None

    app.jinja_env.globals["unread_notifications"] = unread_notifications

    @app.after_request
    def _remember_language(response):
        """Keep the person's interface language as the language of their messages: written on
        the first request that changes something after signing in or switching the language
        (both are such requests), never on pages that only read."""
        if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400 \
                or request.path.startswith("/services/") or not current_user.is_authenticated:
            return response
        lang = select_locale()  # not get_locale(): a language switch has just changed it
        mark = f"{current_user.id}:{lang}"
        if session.get("notifications_lang") != mark:
            try:
                user_id = current_user.id
                db.session.rollback()  # the view has committed what it meant to; write only this
                services.record_language(db.session.get(User, user_id), lang)
                session["notifications_lang"] = mark
            except SQLAlchemyError:
                db.session.rollback()
                app.logger.warning("Could not record the language of user %s", user_id, exc_info=True)
        return response

