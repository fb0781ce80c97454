"""Read-only questions about a person's place in the university: their class groups, their
timetable and their ECTS credits. The API and the portal ask them here, in a fixed number of
queries whatever the number of rows."""
from datetime import datetime, time, timedelta

from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from .models import (ClassGroup, CourseEdition, CourseUnit, Room, Term, TimetableMeeting, group_lecturers,
                     group_participants)

ROLES = {"lecturer": group_lecturers, "participant": group_participants}


def _group_ids(user_id, roles):
    ids = set()
    for role in roles:
        table = ROLES[role]
        ids |= set(db.session.scalars(db.select(table.c.group_id).where(table.c.user_id == user_id)))
    return ids


def group_loads():
    """What a group's API fields read: its unit, class type, edition, course and term."""
    unit = joinedload(ClassGroup.unit)
    edition = unit.joinedload(CourseUnit.edition)
    return [unit.joinedload(CourseUnit.classtype), edition.joinedload(CourseEdition.course),
            edition.joinedload(CourseEdition.term)]


def groups_of(user_id, roles=("lecturer", "participant"), active_only=False, options=()):
    """The class groups a person teaches or attends (as `roles` says), by term and course."""
    ids = _group_ids(user_id, roles)
    if not ids:
        return []
    query = (db.select(ClassGroup).join(CourseUnit).join(CourseEdition).join(Term)
             .where(ClassGroup.id.in_(ids)).options(*group_loads(), *options)
             .order_by(Term.order_key, CourseEdition.course_id, CourseUnit.classtype_id, ClassGroup.number))
    if active_only:
        query = query.where(Term.is_active)
    return list(db.session.scalars(query).unique())


def timetable(user_id, roles, start, days):
    """The meetings of a person's groups from the day `start` for `days` days, by start time."""
    ids = _group_ids(user_id, roles)
    if not ids:
        return []
    since = datetime.combine(start, time.min)
    until = since + timedelta(days=days)
    group = joinedload(TimetableMeeting.group)
    query = (db.select(TimetableMeeting)
             .where(TimetableMeeting.group_id.in_(ids), TimetableMeeting.start_time >= since,
                    TimetableMeeting.start_time < until)
             .options(joinedload(TimetableMeeting.room).joinedload(Room.building),
                      group.selectinload(ClassGroup.lecturers),
                      *(group.options(o) for o in group_loads()))
             .order_by(TimetableMeeting.start_time, TimetableMeeting.id))
    return list(db.session.scalars(query).unique())


def frequencies(group_ids):
    """{group id: weekly, biweekly, once or irregular}, from the gaps between a group's meetings."""
    starts = {}
    if group_ids:
        for group_id, start in db.session.execute(
                db.select(TimetableMeeting.group_id, TimetableMeeting.start_time)
                .where(TimetableMeeting.group_id.in_(group_ids)).order_by(TimetableMeeting.start_time)):
            starts.setdefault(group_id, []).append(start.date())
    out = {}
    for group_id, dates in starts.items():
        gaps = {(b - a).days for a, b in zip(dates, dates[1:])}
        out[group_id] = ("once" if not gaps else "weekly" if gaps == {7} else "biweekly" if gaps == {14}
                         else "irregular")
    return out


def attended_editions(user_id, options=()):
    """The course editions a person attends a group of, with their course and term."""
    ids = _group_ids(user_id, ("participant",))
    if not ids:
        return []
    query = (db.select(CourseEdition).join(CourseUnit).join(ClassGroup).join(Term)
             .where(ClassGroup.id.in_(ids))
             .options(joinedload(CourseEdition.course), joinedload(CourseEdition.term), *options)
             .order_by(Term.order_key, CourseEdition.course_id))
    return list(db.session.scalars(query).unique())


def ects_points(user_id):
    """{term id: {course id: credits (Decimal) or None}} of the editions a person attends."""
    out = {}
    for edition in attended_editions(user_id):
        out.setdefault(edition.term_id, {})[edition.course_id] = edition.credits
    return out


def editions_with_units(edition_ids):
    """Editions by id with their units, groups and lecturers loaded (for lists of editions)."""
    if not edition_ids:
        return {}
    query = (db.select(CourseEdition).where(CourseEdition.id.in_(edition_ids))
             .options(joinedload(CourseEdition.course), joinedload(CourseEdition.term),
                      selectinload(CourseEdition.coordinators),
                      selectinload(CourseEdition.units).selectinload(CourseUnit.groups)
                      .selectinload(ClassGroup.lecturers)))
    return {e.id: e for e in db.session.scalars(query).unique()}

