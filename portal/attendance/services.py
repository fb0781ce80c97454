"""The rules of attendance, in one place for both the portal and the services/* API.

Services raise ServiceError and only flush; the caller (a view or the API dispatcher)
commits or rolls back, so nothing half-written stays behind.
"""
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..auth.models import User
from ..database import begin_write, lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import ClassGroup, CourseEdition, CourseUnit, Term, group_participants
from .models import ATTENDANCE_MODES, LIST_MODES, AttendanceEntry, AttendanceList, can_manage_group

UNSET = object()  # "leave the comment as it is"


def _not_found(reason, param, message, user_message):
    return ServiceError("object_not_found", message, reason=reason, param_name=param,
                        user_message=user_message)


def _invalid(reason, message, user_message):
    return ServiceError("object_invalid", message, reason=reason, user_message=user_message)


def group_not_found():
    return _not_found("group_not_found", "course_unit_id",
                      "Specified course group does not exist or you are not its lecturer.",
                      ld("Nie ma takiej grupy zajęciowej albo nie prowadzisz jej.",
                         "There is no such class group, or you do not teach it."))


def list_not_found():
    return _not_found("attendance_list_not_found", "list_id", "Attendance list does not exist.",
                      ld("Nie ma takiej listy obecności.", "There is no such attendance list."))


def _check_choice(value, choices, param):
    if value not in choices:
        raise ServiceError("param_invalid", f"Invalid value of the {param} parameter.", param_name=param,
                           user_message=ld("Nieprawidłowy tryb.", "Invalid mode."))


# --- finding things -----------------------------------------------------------------------

def find_group(unit_id, number):
    if not str(unit_id).isdigit() or not str(number).lstrip("-").isdigit():
        return None
    return db.session.scalar(db.select(ClassGroup).filter_by(unit_id=int(unit_id), number=int(number)))


def managed_group(user, group):
    """The group, if `user` may create and fill its lists; `group_not_found` otherwise."""
    if group is None or not can_manage_group(group, user):
        raise group_not_found()
    return group


def get_list(user, list_id, for_update=False):
    """A list the user manages (others' lists do not exist for them)."""
    lst = None
    if str(list_id).isdigit() and int(list_id) < 2**62:
        query = db.select(AttendanceList).where(AttendanceList.id == int(list_id))
        lst = db.session.scalar(lock(query) if for_update else query)
    if lst is None or not lst.can_manage(user):
        raise list_not_found()
    return lst


def lists_of_group(group):
    return list(db.session.scalars(db.select(AttendanceList).where(AttendanceList.group_id == group.id)
                                   .order_by(AttendanceList.date, AttendanceList.id)))


def lists_of_user(user):
    """Lists of the groups the user teaches, and any list the user made."""
    taught = db.select(ClassGroup.id).where(ClassGroup.lecturers.any(User.id == user.id))
    return list(db.session.scalars(
        db.select(AttendanceList).where(db.or_(AttendanceList.group_id.in_(taught),
                                               AttendanceList.owner_id == user.id))
        .order_by(AttendanceList.date, AttendanceList.id)))


def lists_by_ids(user, ids):
    """{id: list or None}; lists the user may not manage are None, as if absent."""
    wanted = [int(i) for i in ids if i.isdigit() and int(i) < 2**62]
    found = {}
    if wanted:
        for lst in db.session.scalars(db.select(AttendanceList).where(AttendanceList.id.in_(wanted))):
            if lst.can_manage(user):
                found[str(lst.id)] = lst
    return {i: found.get(i) for i in ids}


def taught_groups(user):
    """Groups whose lists the user manages, the newest term first."""
    query = (db.select(ClassGroup).join(ClassGroup.unit).join(CourseUnit.edition).join(CourseEdition.term)
             .order_by(Term.order_key.desc(), CourseEdition.course_id, CourseUnit.classtype_id, ClassGroup.number))
    if user.is_admin:
        query = query.where(Term.is_active)
    else:
        query = query.where(ClassGroup.lecturers.any(User.id == user.id))
    return list(db.session.scalars(query))


def attended_groups(user):
    """Groups the user takes part in that have at least one attendance list."""
    return list(db.session.scalars(
        db.select(ClassGroup).join(ClassGroup.unit).join(CourseUnit.edition).join(CourseEdition.term)
        .where(ClassGroup.participants.any(User.id == user.id),
               ClassGroup.id.in_(db.select(AttendanceList.group_id)))
        .order_by(Term.order_key.desc(), CourseEdition.course_id, CourseUnit.classtype_id, ClassGroup.number)))


def participant_ids(group):
    return set(db.session.scalars(db.select(group_participants.c.user_id)
                                  .where(group_participants.c.group_id == group.id)))


# --- creating and changing lists ----------------------------------------------------------

def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _require_students(group):
    if not participant_ids(group):
        raise _invalid("no_students", "The group does not have any participants.",
                       ld("Grupa nie ma uczestników.", "The group has no participants."))


def create_list(user, group, date, mode):
    """A new list for one meeting of the group; `already_exists` for the same date twice."""
    begin_write()
    managed_group(user, group)
    _check_choice(mode, LIST_MODES, "mode")
    _require_students(group)
    date = date.replace(microsecond=0)
    # ON CONFLICT DO NOTHING: a simultaneous second creation is refused, never a 500.
    stmt = _insert(AttendanceList.__table__).values(
        group_id=group.id, owner_id=user.id, date=date, mode=mode, created_at=clock.now()
    ).on_conflict_do_nothing(index_elements=["group_id", "date"]).returning(AttendanceList.__table__.c.id)
    new_id = db.session.execute(stmt).scalar()
    if new_id is None:
        raise _invalid("already_exists", "The attendance list already exists.",
                       ld("Lista obecności na to spotkanie już istnieje.",
                          "An attendance list for this meeting already exists."))
    return db.session.get(AttendanceList, new_id)


def create_from_tt(user, group, mode):
    """One list per timetable meeting of the group, skipping meetings that have one; the count made."""
    begin_write()
    managed_group(user, group)
    _check_choice(mode, LIST_MODES, "default_mode")
    _require_students(group)
    meetings = list(group.meetings)
    if not meetings:
        raise _not_found("meeting_not_found", "course_unit_id", "Specified course group has no meetings.",
                         ld("Grupa nie ma spotkań w planie zajęć.", "The group has no meetings in the timetable."))
    rows = [{"group_id": group.id, "owner_id": user.id, "date": m.start_time.replace(microsecond=0),
             "mode": mode, "created_at": clock.now()} for m in meetings]
    stmt = _insert(AttendanceList.__table__).values(rows).on_conflict_do_nothing(
        index_elements=["group_id", "date"]).returning(AttendanceList.__table__.c.id)
    return len(db.session.execute(stmt).all())


def has_entries(lst):
    return db.session.scalar(db.select(db.func.count(AttendanceEntry.id)).where(
        AttendanceEntry.list_id == lst.id, AttendanceEntry.mode.is_not(None))) > 0


def _refuse_if_filled(lst):
    if has_entries(lst):
        raise _invalid("has_entries", "The attendance list has entries.",
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
    sid = int(student_id) if str(student_id).isdigit() and int(student_id) < 2**62 else None
    if sid is None or sid not in participant_ids(lst.group):
        raise _invalid("student_not_in_group", "Student is not in the group of this attendance list.",
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
            raise _invalid(reason, f"{mode.capitalize()} attendance is not allowed in this attendance list.",
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


# --- reading ------------------------------------------------------------------------------

@dataclass
class Row:
    """One student on a list: who, how they attended (None: not set), the comment."""
    student: User
    mode: Optional[str] = None
    comment: Optional[str] = None


def entry_of(lst, sid):
    entry = db.session.scalar(db.select(AttendanceEntry).filter_by(list_id=lst.id, student_id=sid)
                              .execution_options(populate_existing=True))
    return Row(db.session.get(User, sid), entry.mode if entry else None, entry.comment if entry else None)


def roster(lst, student_ids=None):
    """Every participant of the group (and anyone with an entry), by name; optionally filtered."""
    entries = {e.student_id: e for e in db.session.scalars(
        db.select(AttendanceEntry).where(AttendanceEntry.list_id == lst.id)
        .execution_options(populate_existing=True))}
    ids = participant_ids(lst.group) | set(entries)
    if student_ids is not None:
        ids &= {int(s) for s in student_ids if str(s).isdigit() and int(s) < 2**62}
    people = db.session.scalars(db.select(User).where(User.id.in_(ids))
                                .order_by(User.last_name, User.first_name, User.id)) if ids else []
    return [Row(p, entries[p.id].mode if p.id in entries else None,
                entries[p.id].comment if p.id in entries else None) for p in people]
