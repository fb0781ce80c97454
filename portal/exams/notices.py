"""What students are told about their exam seats (through portal.notifications): a seat given or
taken by staff, its time or room changed, and the outcome of a micro-round draw. Their own
clicks tell them nothing.

The iCalendar UID of a seat is the one of the "Export my exams" download.
"""
from ..notifications import iso, link, notify
from .calendar import exam_uid


def _facts(exam, slot):
    group = slot.group
    return {"exam": exam.name, "course": exam.course_id, "group": group.number, "slot": slot.number,
            "start": iso(slot.start), "end": iso(slot.end),
            "room": group.room.label if group.room is not None else None}


def _ical(exam, slot, user, method):
    group = slot.group
    return {"uid": exam_uid(exam.id, slot.id, user.id), "method": method,
            "start": iso(slot.start), "end": iso(slot.end),
            "summary": {lang: f"{text} ({exam.course_id})" for lang, text in exam.name.items()},
            "location": group.room.label if group.room is not None else None}


def _tell(kind, exam, slot, user, method, **facts):
    notify(user, kind, {**_facts(exam, slot), **facts}, link("exams.exam_page", exam_id=exam.id),
           ical=_ical(exam, slot, user, method))


def seat_given(exam, slot, user, actor=None):
    """Staff registered the student (batch pages and methods); `actor`, when known, is named."""
    _tell("exam_registered", exam, slot, user, "REQUEST", **({"actor": actor.display_name} if actor else {}))


def seat_taken(exam, slot, user):
    """Staff unregistered the student."""
    _tell("exam_unregistered", exam, slot, user, "CANCEL")


def seat_moved(exam, slot, user, old_start, old_end, old_room):
    """Staff changed the time or room of the student's slot."""
    _tell("exam_moved", exam, slot, user, "REQUEST", old_start=iso(old_start), old_end=iso(old_end),
          old_room=old_room)


def draw_outcome(exam, user, slot, round_index):
    """The draw of a micro-round decided the student's request: a seat in `slot`, or none."""
    facts = {"round": round_index + 1}
    if slot is not None:
        _tell("exam_draw", exam, slot, user, "REQUEST", **facts)
    else:
        notify(user, "exam_draw", {"exam": exam.name, "course": exam.course_id, "slot": None, **facts},
               link("exams.exam_page", exam_id=exam.id))
