"""Exam reports and grades: services/examrep2, services/grades, grading grids, students' grades."""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import register_seed
    from ..web import register_nav
    from .demo import seed
    from .routes import bp

    app.register_blueprint(bp)
    register_nav(app, "grades.reports", _l("Exam reports"), lambda user: user.is_staff,
                 _l("Grade students in the exam reports you coordinate, teach or examine."))
    register_nav(app, "grades.my_grades", _l("My grades"), lambda user: user.is_student,
                 _l("Your grades by term, the latest ones, your average."))
    register_seed(app, 30, seed)  # before exams (40), which link its exams to these reports
