"""People's profile pages: who someone is, their positions, contact details and studies."""


def init_app(app):
    from . import routes
    app.register_blueprint(routes.bp)
