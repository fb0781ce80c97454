"""`flask seed-demo`: the demo university, extended by each module's own demo data."""
import click
from flask import current_app
from flask.cli import with_appcontext

from ..database import write_command


def register_seed(app, order, func):
    """Let a module add demo data: `func(ctx)` runs after the core university, by `order`."""
    app.extensions.setdefault("indeks_seeds", []).append((order, func))


def database_is_empty():
    from ..auth.models import User
    from ..extensions import db
    return db.session.scalar(db.select(db.func.count(User.id))) == 0


def seed_demo():
    """Load the whole demo university; deterministic for a given day."""
    from ..extensions import db
    from .university import DemoContext, seed_university
    ctx = DemoContext()
    seed_university(ctx)
    db.session.flush()
    for _order, func in sorted(current_app.extensions.get("indeks_seeds", []), key=lambda s: s[0]):
        func(ctx)
        db.session.flush()
    db.session.commit()
    return ctx


def init_app(app):
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has people.")
    @with_appcontext
    @write_command
    def seed_demo_command(if_empty):
        """Load the demo university."""
        if if_empty and not database_is_empty():
            click.echo("Database not empty: demo data not loaded.")
            return
        if not database_is_empty():
            raise click.ClickException("The database already has data; seed-demo loads into an empty one.")
        ctx = seed_demo()
        click.echo(f"Demo university loaded: {len(ctx.students)} students, "
                   f"{len(ctx.lecturers)} lecturers, {len(ctx.groups)} class groups.")
