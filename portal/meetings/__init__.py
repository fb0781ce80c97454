"""Consultation meetings: lecturers publish dates, people book seats or reserve places."""


def init_app(app):
    from . import models  # noqa: F401
    from . import routes
    routes.init_app(app)
