"""The university's reference data (faculties, terms, courses, groups, grade types)."""


def init_app(app):
    from .cli import university_cli
    app.cli.add_command(university_cli)
