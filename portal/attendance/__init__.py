"""Attendance lists: lecturers tick who came, students see their own record, services/attendance."""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import register_seed
    from ..web import register_nav
    from . import demo, reports, routes  # noqa: F401  (reports adds its views to the blueprint)

    app.register_blueprint(routes.bp)
    register_nav(app, "attendance.index", _l("Attendance"),
                 lambda user: bool(user.is_staff or user.is_student),
                 _l("Your attendance in each of your class groups."),
                 staff_description=_l("Take attendance in the groups you teach; summaries and CSV."))
    register_seed(app, 70, demo.seed)
