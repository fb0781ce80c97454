"""services/meetings: the objects (meeting, meeting date, participant, substantiation, note).

The methods live in api_read.py and api_write.py, imported at the end.
"""
from .. import clock
from ..api.registry import F, attr, datetime_attr, id_attr, module, ref, resource
from .manage import notes_about
from .services import has_free_place, sign_up_problem

module("services/meetings", "Meetings", "Retrieve Institution meetings",
       "Consultation meetings: their dates, sign-ups with reserve lists, participants and notes.")

DATE_DEFAULT = ("id|comment|start_time|end_time|registration_start_time|registration_end_time|"
                "seats_limit|reserve_seats_limit|meeting")
MEETING_DEFAULT = "id|name|comment|open"
SUBSTANTIATION_DEFAULT = "id|name|message|type"


def _soonest(meeting, call):
    now = clock.now()
    return clock.fmt_datetime(min((d.start_time for d in meeting.dates if d.start_time >= now and not d.is_cancelled),
                                  default=None))


SUBSTANTIATION = resource("services/meetings/substantiation", {
    "id": id_attr(),
    "name": attr("name"),
    "message": attr("message"),
    "type": attr("type"),
    "faculty": ref(lambda s, call: s.faculty, "services/fac/faculty"),
})

MEETING = resource("services/meetings/meeting", {
    "id": id_attr(),
    "name": attr("name"),
    "comment": attr("comment"),
    "faculty": ref(lambda m, call: m.faculty, "services/fac/faculty"),
    "term": ref(lambda m, call: m.term, "services/terms/term"),
    "lecturer": ref(lambda m, call: m.lecturer, "services/users/user"),
    "open": attr("open"),
    "can_i_attend": F(lambda m, call: m.can_attend(call.user)),
    "state": attr("state"),
    "substantiation_mode": attr("substantiation_mode"),
    "auto_accept": attr("auto_accept"),
    "groups": ref(lambda m, call: list(m.groups), "services/groups/group"),
    "soonest_datetime": F(_soonest),
})


def _entry(date, call):
    return date.entry_of(call.user)


def _can_sign_out(date, call):
    entry = _entry(date, call)
    return entry is not None and entry.status != "rejected" and clock.now() < date.start_time


def _can_sign_up(date, call):
    return call.user is not None and sign_up_problem(call.user, date) is None and has_free_place(date)


MEETING_DATE = resource("services/meetings/meeting_date", {
    "id": id_attr(),
    "comment": attr("comment"),
    "start_time": datetime_attr("start_time"),
    "end_time": datetime_attr("end_time"),
    "registration_start_time": datetime_attr("registration_start_time"),
    "registration_end_time": datetime_attr("registration_end_time"),
    "seats_limit": attr("seats_limit"),
    "reserve_seats_limit": attr("reserve_seats_limit"),
    "meeting": ref(lambda d, call: d.meeting, "services/meetings/meeting"),
    "registered_participants_count": F(lambda d, call: len(d.main_list()) + len(d.reserve_list())),
    "accepted_participants_count": F(lambda d, call: len(d.main_list())),
    "waiting_participants_count": F(lambda d, call: len(d.reserve_list())),
    "user_status": F(lambda d, call: getattr(_entry(d, call), "status", None)),
    "can_i_sign_up": F(_can_sign_up),
    "can_i_sign_out": F(_can_sign_out),
    "room": ref(lambda d, call: d.room, "services/geo/room"),
})


def lecturer_actions(entry, user):
    """What the meeting's lecturer may do with an entry: accept, reject."""
    date = entry.meeting_date
    if not date.meeting.can_manage(user) or date.is_cancelled:
        return []
    actions = []
    if entry.status != "accepted" or entry.is_reserve:
        if (not entry.is_reserve and entry.status == "waiting") or len(date.main_list()) < date.seats_limit:
            actions.append("accept")
    if entry.status != "rejected":
        actions.append("reject")
    return actions


def user_actions(entry, user):
    if user is None or entry.user_id != user.id:
        return []
    if entry.status != "rejected" and clock.now() < entry.meeting_date.start_time:
        return ["sign_off"]
    return []


def _notes(entry, call, kind):
    user = call.user
    if entry.user_id is None or user is None:
        return []
    meeting = entry.meeting_date.meeting
    if kind == "private":
        if not meeting.can_manage(user):
            return []
        return notes_about(entry.user_id, meeting.faculty_id, meeting.term_id, author=user, kind="private")
    if not (user.is_staff or user.id == entry.user_id):
        return []
    return notes_about(entry.user_id, meeting.faculty_id, meeting.term_id)


PARTICIPANT = resource("services/meetings/participant", {
    "id": id_attr(),
    "is_external": F(lambda p, call: p.is_external),
    "user": ref(lambda p, call: p.user, "services/users/user"),
    "meeting_date": ref(lambda p, call: p.meeting_date, "services/meetings/meeting_date"),
    "external_first_name": attr("external_first_name"),
    "external_last_name": attr("external_last_name"),
    "external_email": attr("external_email"),
    "external_contact": attr("external_contact"),
    "status": attr("status"),
    "is_reserve": attr("is_reserve"),
    "lecturer_actions": F(lambda p, call: lecturer_actions(p, call.user)),
    "user_actions": F(lambda p, call: user_actions(p, call.user)),
    "public_notes": ref(lambda p, call: _notes(p, call, "public"), "services/meetings/note"),
    "private_notes": ref(lambda p, call: _notes(p, call, "private"), "services/meetings/note"),
    "substantiation": ref(lambda p, call: p.substantiation, "services/meetings/substantiation"),
    "rejection_substantiation": ref(lambda p, call: p.rejection_substantiation, "services/meetings/substantiation"),
    "substantiation_message": attr("substantiation_message"),
    # A booking of a cancelled date is rejected with the cancellation's reason.
    "rejection_substantiation_message": F(lambda p, call: p.meeting_date.cancel_reason if p.cancelled_at
                                          else p.rejection_substantiation_message),
    "number_in_queue": F(lambda p, call: None if p.status == "rejected" else p.queue_number),
})


def _own(note, call):
    return call.user is not None and note.author_id == call.user.id


NOTE = resource("services/meetings/note", {
    "id": id_attr(),
    "faculty": ref(lambda n, call: n.faculty, "services/fac/faculty"),
    "term": ref(lambda n, call: n.term, "services/terms/term"),
    "user": ref(lambda n, call: n.user, "services/users/user"),
    "creation_date": datetime_attr("creation_date"),
    "private_note": F(lambda n, call: n.private_note if _own(n, call) else None),
    "public_note": attr("public_note"),
})

__all__ = ["MEETING", "MEETING_DATE", "PARTICIPANT", "NOTE", "SUBSTANTIATION"]

from . import api_read, api_write  # noqa: E402,F401  (the methods)
