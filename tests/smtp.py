"""A real SMTP server for tests (aiosmtpd, on a free port of 127.0.0.1) that keeps what it receives."""
import asyncio
import email
import threading
import time
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from portal import clock
from portal.notifications import sender

from .pg import free_port


class Mailbox:
    """aiosmtpd handler: every message received, parsed; addresses in `refuse` get a 550."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.sessions_before_data = 0  # hold each DATA until this many sessions have sent one
        self._sessions = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._sessions.add(id(session))
        deadline = time.monotonic() + 60
        while len(self._sessions) < self.sessions_before_data and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # waits for an event (another sender's session), decides nothing
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(Received(envelope.rcpt_tos, message))
        return "250 Message accepted"

    @property
    def sessions(self):
        return len(self._sessions)


class Received:
    def __init__(self, rcpt_tos, message):
        self.to, self.message = list(rcpt_tos), message

    @property
    def subject(self):
        # A folded encoded-word subject starts on a continuation line; readers drop that blank.
        return str(self.message["Subject"]).strip()

    def text(self):
        return self.message.get_body(("plain",)).get_content()

    def html(self):
        return self.message.get_body(("html",)).get_content()

    def calendar_part(self):
        return next((p for p in self.message.walk() if p.get_content_type() == "text/calendar"), None)

    def calendar(self):
        """The iCalendar part, parsed (None without one)."""
        part = self.calendar_part()
        return Calendar.from_ical(part.get_payload(decode=True)) if part is not None else None

    def event(self):
        return next(iter(self.calendar().walk("VEVENT")))


class SmtpServer:
    """Start, stop and start again on the same port (to play a server that goes away)."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.mailbox.messages

    def config(self):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 10}


@pytest.fixture
def smtp(app):
    """A running SMTP server that the app sends to (import this fixture into a test module)."""
    server = SmtpServer().start()
    app.config.update(server.config())
    yield server
    server.stop()


def deliver(app, later=0):
    """One run of `flask notifications send`, `later` seconds from now (past any grade delay)."""
    with app.app_context():
        return sender.deliver(now=clock.now() + timedelta(seconds=later))


def mail_to(server, address):
    return [m for m in server.messages if address in m.to]
