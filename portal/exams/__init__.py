"""Exam registration: sessions, exams, groups and slots; students pick seats, staff run sessions."""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..database import write_command
    from ..demo import register_seed
    from ..web import register_nav
    from . import routes, routes_manage, routes_staff  # noqa: F401  (the views attach to routes.bp)
    from .demo import seed_exams
    app.register_blueprint(routes.bp)
    register_nav(app, "exams.index", _l("Exams"), lambda user: user.is_student or user.is_staff,
                 _l("Exam registration: pick a slot, see your exams, export them to your calendar."),
                 staff_description=_l("The exams you examine or coordinate, with their attendee lists."))
    register_nav(app, "exams.manage_index", _l("Exam sessions"), lambda user: user.is_staff,
                 _l("Examination sessions, exams, groups and slots; attendee lists."))
    register_seed(app, 40, seed_exams)

    @app.cli.command("exams-draw")
    @write_command
    def exams_draw():
        """Run the draws of every micro-round that has ended (pages also run them on the next visit)."""
        import click
        from .rounds import settle_all
        draws = settle_all()
        click.echo(f"{len(draws)} micro-round draw(s) run.")
