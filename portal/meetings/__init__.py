"""Consultation meetings: lecturers publish dates, people book seats or reserve places."""


def init_app(app):
    from . import models  # noqa: F401
    try:
        from . import routes
    except ImportError:  # routes not written yet
        return
    routes.init_app(app)
