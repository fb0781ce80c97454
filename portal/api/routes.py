"""The API's own pages and endpoints: OAuth flow, application pages, CLI, navigation."""
from flask_babel import lazy_gettext as _l

from ..web import register_nav


def init_app(app):
    from . import cli, oauth_views, pages
    app.config.setdefault("OAUTH_REQUEST_TOKEN_TTL", 3600)
    app.register_blueprint(oauth_views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(pages.developers_bp)
    app.cli.add_command(cli.consumer_cli)
    app.cli.add_command(cli.token_cli)
    register_nav(app, "apps.index", _l("API applications"), allowed=lambda user: True,
                 description=_l("Applications using your account through the API; your own API keys."))
