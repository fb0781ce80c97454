"""`flask notifications send` (once, for cron; or `--watch`, long-running) and `status`."""
import logging
import signal
import sys
import threading

import click
from flask import Blueprint
from sqlalchemy import func, select

from ..extensions import db
from . import mail, sender
from .models import Notification

bp = Blueprint("notifications_cli", __name__, cli_group="notifications")
log = logging.getLogger(__name__)


def _waiting():
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.mail_status == "queued"))


@bp.cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running: deliver, wait --interval seconds, again, until "
                                            "SIGTERM or Ctrl-C.")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds between delivery runs with --watch.")
@click.option("--limit", type=click.IntRange(1), help="Deliver at most this many messages (one run).")
def send(watch, interval, limit):
    """Deliver the e-mail outbox over SMTP, retrying failures with back-off."""
    if not mail.configured():
        click.echo(f"No SMTP server configured (MAIL_SERVER): {_waiting()} message(s) wait in the outbox.",
                   err=True)
        sys.exit(1)
    if not watch:
        report = sender.deliver(limit=limit)
        click.echo(str(report))
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(1 if report.server_down else 0)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    click.echo(f"Delivering the outbox every {interval:g} s; SIGTERM or Ctrl-C stops.")
    while not stop.is_set():
        try:
            report = sender.deliver()
            if report.sent or report.failed or report.retried:
                click.echo(str(report))
        except Exception:  # the database went away, say: keep watching, report it
            log.exception("Delivery run failed")
            db.session.rollback()
        stop.wait(interval)


@bp.cli.command("status")
def status():
    """How many messages are in each e-mail state."""
    rows = db.session.execute(select(Notification.mail_status, func.count(Notification.id))
                              .group_by(Notification.mail_status).order_by(Notification.mail_status))
    counts = dict(rows.all())
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()) or "no messages")
    if not mail.configured():
        click.echo("No SMTP server configured (MAIL_SERVER): messages wait in the outbox.")
