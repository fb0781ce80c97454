"""The rules of attendance, in one place for both the portal and the services/* API.

Services raise ServiceError and only flush; the caller (a view or the API dispatcher)
commits or rolls back, so nothing half-written stays behind.
"""
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..database import begin_write
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from .models import ATTENDANCE_MODES, LIST_MODES, AttendanceEntry, AttendanceList
from .queries import entry_of, get_list, has_entries, invalid, managed_group, not_found, participant_ids
from ..ids import int_id

UNSET = object()  # "leave the comment as it is"


def _check_choice(value, choices, param):
    if value not in choices:
        raise ServiceError("param_invalid", f"Invalid value of the {param} parameter.", param_name=param,
                           user_message=ld("Nieprawidłowy tryb.", "Invalid mode."))


# --- creating and changing lists ----------------------------------------------------------

def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _require_students(group):
    if not participant_ids(group):
        raise invalid("no_students", "The group does not have any participants.",
                       ld("Grupa nie ma uczestników.", "The group has no participants."))


def create_list(user, group, date, mode):
    """A new list for one meeting of the group; `already_exists` for the same date twice."""
    begin_write()
    managed_group(user, group)
    _check_choice(mode, LIST_MODES, "mode")
    _require_students(group)
    date = date.replace(microsecond=0)
    _check_in_term(group, date)
    # ON CONFLICT DO NOTHING: a simultaneous second creation is refused, never a 500.
    stmt = _insert(AttendanceList.__table__).values(
        group_id=group.id, owner_id=user.id, date=date, mode=mode, created_at=clock.now()
    ).on_conflict_do_nothing(index_elements=["group_id", "date"]).returning(AttendanceList.__table__.c.id)
    new_id = db.session.execute(stmt).scalar()
    if new_id is None:
        raise invalid("already_exists", "The attendance list already exists.",
                       ld("Lista obecności na to spotkanie już istnieje.",
                          "An attendance list for this meeting already exists."))
    return db.session.get(AttendanceList, new_id)


def _check_in_term(group, date):
    """A list is for a meeting of the group: within its term (up to the day the term is settled),
    not in 1900 nor in 2999."""
    term = group.unit.edition.term
    if not term.start_date <= date.date() <= term.finish_date:
        raise invalid("date_outside_term", "The date is outside the group's term.",
                      ld(f"Data jest poza semestrem grupy ({term.start_date.isoformat()} – {term.finish_date.isoformat()}).",
                         f"The date is outside the group's term ({term.start_date.isoformat()} – {term.finish_date.isoformat()})."))


def create_from_tt(user, group, mode):
    """One list per timetable meeting of the group, skipping meetings that have one; the count made."""
    begin_write()
    managed_group(user, group)
    _check_choice(mode, LIST_MODES, "default_mode")
    _require_students(group)
    meetings = list(group.meetings)
    if not meetings:
        raise not_found("meeting_not_found", "course_unit_id", "Specified course group has no meetings.",
                         ld("Grupa nie ma spotkań w planie zajęć.", "The group has no meetings in the timetable."))
    rows = [{"group_id": group.id, "owner_id": user.id, "date": m.start_time.replace(microsecond=0),
             "mode": mode, "created_at": clock.now()} for m in meetings]
    stmt = _insert(AttendanceList.__table__).values(rows).on_conflict_do_nothing(
        index_elements=["group_id", "date"]).returning(AttendanceList.__table__.c.id)
    return len(db.session.execute(stmt).all())


def _refuse_if_filled(lst):
    if has_entries(lst):
        raise invalid("has_entries", "The attendance list has entries.",
                       ld("Na liście jest już zaznaczona obecność.", "Attendance has already been set on this list."))


def change_list_mode(user, list_id, mode):
    begin_write()
    lst = get_list(user, list_id, for_update=True)
    _check_choice(mode, LIST_MODES, "mode")
    _refuse_if_filled(lst)
    lst.mode = mode
    db.session.flush()
    return lst


def delete_list(user, list_id):
    begin_write()
    lst = get_list(user, list_id, for_update=True)
    _refuse_if_filled(lst)
    group = lst.group
    db.session.delete(lst)
    db.session.flush()
    return group


# --- filling lists ------------------------------------------------------------------------

def _check_student(lst, student_id):
    sid = int_id(student_id)
    if sid is None or sid not in participant_ids(lst.group):
        raise invalid("student_not_in_group", "Student is not in the group of this attendance list.",
                       ld("Tej osoby nie ma w grupie.", "This person is not in the group."))
    return sid


def _upsert(lst, sid, user, values):
    """Insert the entry or update it in place (last write wins; never a duplicate)."""
    now = clock.now()
    stmt = _insert(AttendanceEntry.__table__).values(
        list_id=lst.id, student_id=sid, updated_at=now, updated_by_id=user.id, **values)
    stmt = stmt.on_conflict_do_update(index_elements=["list_id", "student_id"],
                                      set_=dict(values, updated_at=now, updated_by_id=user.id))
    db.session.execute(stmt)


def set_attendance(user, list_id, student_id, mode, comment=UNSET):
    """Set (or, with mode None, clear) one student's attendance; `comment` too when given."""
    begin_write()
    lst = get_list(user, list_id, for_update=True)
    if mode is not None:
        _check_choice(mode, ATTENDANCE_MODES, "attendance_mode")
        if not lst.allows(mode):
            reason = f"{mode}_attendance_not_allowed"
            raise invalid(reason, f"{mode.capitalize()} attendance is not allowed in this attendance list.",
                           ld("Ten tryb obecności nie jest dozwolony na tej liście.",
                              "This kind of attendance is not allowed on this list."))
    sid = _check_student(lst, student_id)
    values = {"mode": mode}
    if comment is not UNSET:
        values["comment"] = (comment or "").strip()[:2000] or None
    _upsert(lst, sid, user, values)
    return entry_of(lst, sid)


def set_comment(user, list_id, student_id, comment):
    begin_write()
    lst = get_list(user, list_id, for_update=True)
    sid = _check_student(lst, student_id)
    _upsert(lst, sid, user, {"comment": (comment or "").strip()[:2000] or None})
    return entry_of(lst, sid)


def mark_rest_present(user, list_id):
    """Mark every participant not yet marked as present; what is already set stays."""
    begin_write()
    lst = get_list(user, list_id, for_update=True)
    sids = participant_ids(lst.group)
    if not sids:
        return 0
    now, mode = clock.now(), lst.present_mode
    table = AttendanceEntry.__table__
    stmt = _insert(table).values([{"list_id": lst.id, "student_id": s, "mode": mode, "updated_at": now,
                                   "updated_by_id": user.id} for s in sorted(sids)])
    # Only rows whose mode is still unset are touched, so a concurrent toggle is never overwritten.
    stmt = stmt.on_conflict_do_update(index_elements=["list_id", "student_id"],
                                      set_={"mode": mode, "updated_at": now, "updated_by_id": user.id},
                                      where=table.c.mode.is_(None)).returning(table.c.id)
    return len(db.session.execute(stmt).all())
