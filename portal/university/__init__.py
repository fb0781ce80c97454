"""The university's reference data (faculties, terms, courses, groups, grade types)."""


def init_app(app):
    from . import api  # noqa: F401  (services/courses/search, for USOS syncs)
    from .cli import university_cli
    app.cli.add_command(university_cli)
