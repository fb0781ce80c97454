"""The university's reference data (faculties, terms, courses, groups, grade types)."""


def init_app(app):
    pass
