"""A notification as an e-mail: plain text and HTML from templates, an iCalendar part, sent
over SMTP by Flask-Mailman (settings MAIL_* from the environment)."""
from datetime import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale, gettext as _
from flask_mailman import EmailMultiAlternatives, Mail
from werkzeug.routing import BuildError

from ..ical import build_calendar
from ..langdict import pick
from .kinds import words_of

mail = Mail()


def configured(app=None):
    """Is there an SMTP server to send to? Without one, messages wait in the outbox."""
    return bool((app or current_app).config.get("MAIL_SERVER"))


def sender_address():
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def _domain():
    address = sender_address()
    return address.rpartition("@")[2] if "@" in address else urlsplit(current_app.config["PORTAL_URL"]).hostname


def message_id(item):
    """The same for every attempt, so a receiving server can tell a repeat from a new message."""
    return f"<notification-{item.id}.{item.created_at:%Y%m%d%H%M%S}@{_domain()}>"


def url_of(link, external=False):
    """The URL of a stored link ({endpoint, values}), or None when the portal no longer has it."""
    if not link:
        return None
    try:
        if not external:
            return url_for(link["endpoint"], **link.get("values", {}))
        with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
            return url_for(link["endpoint"], _external=True, **link.get("values", {}))
    except BuildError:
        return None


def _event(item, to, sequence):
    ev = item.ical
    cancel = ev["method"] == "CANCEL"
    return {"uid": ev["uid"], "start": datetime.fromisoformat(ev["start"]), "end": datetime.fromisoformat(ev["end"]),
            "summary": pick(ev["summary"]), "location": ev.get("location"), "description": pick(ev.get("description")),
            "status": "CANCELLED" if cancel else ev.get("status", "CONFIRMED"), "sequence": sequence,
            "organizer": sender_address(), "attendee": to}


def calendar_part(item, to, sequence):
    """The text/calendar part (METHOD:REQUEST or CANCEL) of an e-mail, in the current locale."""
    ics = build_calendar(None, [_event(item, to, sequence)], method=item.ical["method"])
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", item.ical["method"])
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def compose(item, to, lang, sequence=0):
    """The e-mail of `item` to address `to`, in `lang`."""
    with force_locale(lang):
        text = words_of(item.kind, item.context, strict=True)
        member = item.user_id is not None  # people from outside cannot sign in: no links for them
        page = dict(text=text, lang=lang, url=url_of(item.link, external=True) if member else None,
                    settings_url=url_of({"endpoint": "notifications.settings"}, external=True) if member else None,
                    institution=pick(current_app.config["PORTAL_INSTITUTION_NAME"]),
                    open_label=_("Open in Indeks"),
                    why=_("You receive this message because of what happened to you in Indeks."),
                    settings_label=_("Choose what you receive by e-mail"))
        # Straight from Jinja: no request here, so none of the page's context processors.
        body = current_app.jinja_env.get_template("notifications/mail.txt").render(**page)
        html = current_app.jinja_env.get_template("notifications/mail.html").render(**page)
        message = EmailMultiAlternatives(
            subject=text.subject, body=body, from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[to],
            headers={"Message-ID": message_id(item), "Auto-Submitted": "auto-generated",
                     "Content-Language": lang})
        message.attach_alternative(html, "text/html")
        if item.ical:
            message.attach(calendar_part(item, to, sequence))
    return message
