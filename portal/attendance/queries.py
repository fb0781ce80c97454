"""Finding and reading attendance lists: what the user may see, rosters, who is in a group."""
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..database import lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import ClassGroup, CourseEdition, CourseUnit, Term, group_participants
from .models import AttendanceEntry, AttendanceList, can_manage_group
from ..ids import int_id, small_int


def not_found(reason, param, message, user_message):
    return ServiceError("object_not_found", message, reason=reason, param_name=param,
                        user_message=user_message)


def invalid(reason, message, user_message):
    return ServiceError("object_invalid", message, reason=reason, user_message=user_message)


def group_not_found():
    return not_found("group_not_found", "course_unit_id",
                      "Specified course group does not exist or you are not its lecturer.",
                      ld("Nie ma takiej grupy zajęciowej albo nie prowadzisz jej.",
                         "There is no such class group, or you do not teach it."))


def list_not_found():
    return not_found("attendance_list_not_found", "list_id", "Attendance list does not exist.",
                      ld("Nie ma takiej listy obecności.", "There is no such attendance list."))


# --- finding things -----------------------------------------------------------------------

def find_group(unit_id, number):
    if int_id(unit_id) is None or small_int(number) is None:
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
    if int_id(list_id) is not None:
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
    wanted = [int_id(i) for i in ids if int_id(i) is not None]
    found = {}
    if wanted:
        for lst in db.session.scalars(db.select(AttendanceList).where(AttendanceList.id.in_(wanted))
                                      .options(joinedload(AttendanceList.group).selectinload(ClassGroup.lecturers))):
            if lst.can_manage(user):
                found[str(lst.id)] = lst
    return {i: found.get(i) for i in ids}


def _titled():
    """Loader options for what a group's title shows: course, term, class type."""
    unit = joinedload(ClassGroup.unit)
    return (unit.joinedload(CourseUnit.edition).joinedload(CourseEdition.course), unit.joinedload(CourseUnit.classtype))


def taught_groups(user):
    """Groups whose lists the user manages, the newest term first (with their participants)."""
    query = (db.select(ClassGroup).join(ClassGroup.unit).join(CourseUnit.edition).join(CourseEdition.term)
             .order_by(Term.order_key.desc(), CourseEdition.course_id, CourseUnit.classtype_id, ClassGroup.number)
             .options(*_titled(), selectinload(ClassGroup.participants)))
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
        .order_by(Term.order_key.desc(), CourseEdition.course_id, CourseUnit.classtype_id, ClassGroup.number)
        .options(*_titled())))


def participant_ids(group):
    return set(db.session.scalars(db.select(group_participants.c.user_id)
                                  .where(group_participants.c.group_id == group.id)))


def has_entries(lst):
    return db.session.scalar(db.select(db.func.count(AttendanceEntry.id)).where(
        AttendanceEntry.list_id == lst.id, AttendanceEntry.mode.is_not(None))) > 0



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
    # The entries' columns, not entities: what was just written shows without refreshing
    # objects, and a hundred rows are not built into the session.
    entries = {sid: (mode, comment) for sid, mode, comment in db.session.execute(
        db.select(AttendanceEntry.student_id, AttendanceEntry.mode, AttendanceEntry.comment)
        .where(AttendanceEntry.list_id == lst.id))}
    ids = participant_ids(lst.group) | set(entries)
    if student_ids is not None:
        ids &= {int_id(s) for s in student_ids if int_id(s) is not None}
    people = db.session.scalars(db.select(User).where(User.id.in_(ids))
                                .order_by(User.last_name, User.first_name, User.id)) if ids else []
    none = (None, None)
    return [Row(p, *entries.get(p.id, none)) for p in people]


def shown_list_options():
    """Loader options for what a roster page's title shows (course, class type, group) and its
    permission check reads (the group's lecturers), with the list itself."""
    group = joinedload(AttendanceList.group)
    unit = group.joinedload(ClassGroup.unit)
    return (unit.joinedload(CourseUnit.edition).joinedload(CourseEdition.course), unit.joinedload(CourseUnit.classtype),
            group.selectinload(ClassGroup.lecturers))
