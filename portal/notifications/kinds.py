"""What each kind of notification says, in the reader's language.

A notification stores facts (`context`, JSON); the functions here turn them into a subject
and a few lines in the current locale (the portal page renders them in the interface
language, the sender under `force_locale` of the recipient's). One wording serves the
portal, the e-mail and the outbox page.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import current_app
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from .. import formatting
from ..langdict import pick


@dataclass(frozen=True)
class Kind:
    name: str
    group: object   # heading on the settings page
    label: object   # what the person turns e-mail on or off for
    words: Callable  # context -> (subject, [lines])


@dataclass
class Text:
    subject: str
    lines: list


KINDS = {}
CONSULTATIONS, EXAMS, GRADES = _l("Consultations"), _l("Exams"), _l("Grades")


def kind(name, group, label):
    def register(words):
        KINDS[name] = Kind(name, group, label, words)
        return words
    return register


def words_of(name, context, strict=False):
    """The subject and lines of a notification, in the current locale.

    Facts a kind cannot word (a kind this version no longer knows, a key missing) raise when
    `strict` (the sender fails that one e-mail, for administrators to see); pages show the
    kind's heading instead, so that one odd row never breaks a list."""
    found = KINDS.get(name)
    try:
        if found is None:
            raise KeyError(name)
        subject, lines = found.words(context)
    except (KeyError, TypeError, ValueError):
        if strict:
            raise
        current_app.logger.warning("Notification of kind %r cannot be worded from %r", name, context)
        return Text(str(found.group) if found else name, [])
    return Text(subject, [line for line in lines if line])


# --- formatting of the facts ------------------------------------------------------------------

def _dt(text):
    return datetime.fromisoformat(text) if text else None


def when(start, end=None):
    """"pon., 7 gru 2026, 10:00–11:00" in the current locale (the sender forces the reader's)."""
    return formatting.span(_dt(start), _dt(end), lang=str(get_locale() or "pl"))


def _room(ctx, key="room"):
    return _("Room: %(room)s", room=ctx[key]) if ctx.get(key) else ""


def _meeting(ctx):
    return _("%(meeting)s with %(lecturer)s", meeting=pick(ctx["meeting"]), lecturer=ctx["lecturer"])


def _place(ctx):
    if ctx.get("reserve_place"):
        return _("You are number %(n)s on the reserve list.", n=ctx["reserve_place"])
    if ctx.get("status") == "waiting":
        return _("You have a seat; the lecturer will accept or reject your booking.")
    return _("You have a seat.")


# --- consultations ---------------------------------------------------------------------------

@kind("meeting_accepted", CONSULTATIONS, _l("My consultation booking is accepted"))
def _accepted(ctx):
    return (_("Consultation booking accepted: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_meeting(ctx), when(ctx["start"], ctx["end"]), _room(ctx)])


@kind("meeting_rejected", CONSULTATIONS, _l("My consultation booking is rejected"))
def _rejected(ctx):
    return (_("Consultation booking rejected: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_meeting(ctx), when(ctx["start"], ctx["end"]),
             _("Reason: %(reason)s", reason=pick(ctx["reason"])) if ctx.get("reason") else "",
             pick(ctx.get("reason_note")),
             _("Message from the lecturer: %(message)s", message=ctx["message"]) if ctx.get("message") else ""])


@kind("meeting_promoted", CONSULTATIONS, _l("I move up from a consultation's reserve list"))
def _promoted(ctx):
    return (_("You have moved up from the reserve list: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_meeting(ctx), when(ctx["start"], ctx["end"]), _room(ctx), _place(ctx)])


@kind("meeting_cancelled", CONSULTATIONS, _l("A consultation date I booked is cancelled"))
def _cancelled(ctx):
    return (_("Consultation date cancelled: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_meeting(ctx), when(ctx["start"], ctx["end"]),
             _("Reason: %(reason)s", reason=ctx["reason"]) if ctx.get("reason") else "",
             _("Your booking has been cancelled.")])


@kind("meeting_moved", CONSULTATIONS, _l("A consultation date I booked is moved"))
def _moved(ctx):
    before = when(ctx["old_start"], ctx["old_end"])
    if ctx.get("old_room") != ctx.get("room"):
        before += f" ({ctx['old_room'] or '—'})"
    return (_("Consultation date changed: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_meeting(ctx), _("Now: %(when)s", when=when(ctx["start"], ctx["end"])), _room(ctx),
             _("Before: %(when)s", when=before)])


@kind("meeting_booked", CONSULTATIONS, _l("Staff book me for a consultation"))
def _booked(ctx):
    return (_("You have been booked for a consultation: %(meeting)s", meeting=pick(ctx["meeting"])),
            [_("%(actor)s booked you.", actor=ctx["actor"]), _meeting(ctx), when(ctx["start"], ctx["end"]),
             _room(ctx), _place(ctx)])


# --- exams -----------------------------------------------------------------------------------

def _slot(ctx):
    return _("Group %(group)s, slot %(slot)s: %(when)s", group=ctx["group"], slot=ctx["slot"],
             when=when(ctx["start"], ctx["end"]))


def _exam(ctx):
    return f"{pick(ctx['exam'])} ({ctx['course']})"


@kind("exam_registered", EXAMS, _l("Staff register me for an exam"))
def _registered(ctx):
    return (_("You are registered for an exam: %(exam)s", exam=_exam(ctx)),
            [_("%(actor)s registered you.", actor=ctx["actor"]) if ctx.get("actor") else "", _slot(ctx),
             _room(ctx)])


@kind("exam_unregistered", EXAMS, _l("Staff unregister me from an exam"))
def _unregistered(ctx):
    return (_("Your exam seat has been cancelled: %(exam)s", exam=_exam(ctx)),
            [_("%(actor)s unregistered you.", actor=ctx["actor"]) if ctx.get("actor") else "", _slot(ctx)])


@kind("exam_moved", EXAMS, _l("The time or room of my exam changes"))
def _exam_moved(ctx):
    before = when(ctx["old_start"], ctx["old_end"])
    if ctx.get("old_room") != ctx.get("room"):
        before += f" ({ctx['old_room'] or '—'})"
    return (_("Your exam has been moved: %(exam)s", exam=_exam(ctx)),
            [_slot(ctx), _room(ctx), _("Before: %(when)s", when=before)])


@kind("exam_draw", EXAMS, _l("The draw of an exam's registration round is decided"))
def _draw(ctx):
    if ctx.get("slot"):
        return (_("Draw result: you have a seat in %(exam)s", exam=_exam(ctx)), [_slot(ctx), _room(ctx)])
    return (_("Draw result: no seat in %(exam)s", exam=_exam(ctx)),
            [_("The slots you chose were taken by the students drawn before you."),
             _("You can choose another slot while registration is open.")])


# --- grades ----------------------------------------------------------------------------------

@kind("grade_changed", GRADES, _l("A grade of mine is entered or changed"))
def _grade(ctx):
    subject = _("Grade in %(course)s: %(value)s", course=pick(ctx["course"]), value=ctx["new"] or "—")
    if ctx.get("old") and ctx.get("new") and ctx["old"] != ctx["new"]:
        change = _("Grade %(new)s (before: %(old)s)", new=ctx["new"], old=ctx["old"])
    elif ctx.get("new"):
        change = _("Grade %(new)s", new=ctx["new"])
    elif ctx.get("old"):
        change = _("The grade %(old)s has been removed.", old=ctx["old"])
    else:
        change = ""
    return (subject, [f"{pick(ctx['report'])}, {pick(ctx['session'])}", change,
                      _("Comment: %(comment)s", comment=ctx["comment"]) if ctx.get("comment") else "",
                      _("By %(grader)s", grader=ctx["grader"]) if ctx.get("grader") else ""])
