"""`flask consumer create NAME [--admin]` and `flask token create LOGIN --consumer KEY --scopes ...`."""
import click
from flask.cli import AppGroup

from ..auth.models import User
from ..database import write_command
from ..extensions import db
from .models import Consumer
from .registry import SCOPES
from .services import create_consumer, issue_access_token

consumer_cli = AppGroup("consumer", help="OAuth consumers (API applications).")
token_cli = AppGroup("token", help="OAuth access tokens.")


@consumer_cli.command("create")
@click.argument("name")
@click.option("--admin", is_flag=True, help="An administrative consumer (may use as_user_id).")
@click.option("--owner", default=None, help="Login of the person who owns the application.")
@write_command
def consumer_create(name, admin, owner):
    """Register a consumer; prints `KEY SECRET`."""
    owner_user = None
    if owner:
        owner_user = db.session.scalar(db.select(User).filter_by(login=owner))
        if owner_user is None:
            raise click.ClickException(f"No user with login {owner}.")
    consumer = create_consumer(name, owner=owner_user, administrative=admin)
    db.session.commit()
    click.echo(f"{consumer.key} {consumer.secret}")


@token_cli.command("create")
@click.argument("login")
@click.option("--consumer", "consumer_key", required=True, help="The consumer key.")
@click.option("--scopes", default="", help="Pipe-separated scopes, e.g. 'studies|grades'.")
@write_command
def token_create(login, consumer_key, scopes):
    """An authorized access token, as if LOGIN had approved the consumer; prints `TOKEN SECRET`."""
    user = db.session.scalar(db.select(User).filter_by(login=login))
    if user is None:
        raise click.ClickException(f"No user with login {login}.")
    consumer = db.session.scalar(db.select(Consumer).filter_by(key=consumer_key))
    if consumer is None:
        raise click.ClickException(f"No consumer with key {consumer_key}.")
    wanted = [s for s in scopes.replace(",", "|").split("|") if s]
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise click.ClickException("Unknown scopes: " + ", ".join(unknown))
    token = issue_access_token(user, consumer, wanted)
    db.session.commit()
    click.echo(f"{token.token} {token.secret}")
