"""Exam reports and grades: services/examrep2, services/grades, grading grids, students' grades."""


def init_app(app):
    from .api_common import resolve_refs
    resolve_refs()  # every api.py is loaded by now (the api feature comes first)
