"""Reading exams for pages and API lists: each loads what it shows in a fixed number of queries.

The rules (visibility, attendance, admission) live in services.py; these are the loaders and
lists that the views and the services/exams methods share.
"""
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..university.models import ClassGroup, CourseEdition, CourseUnit, Room, edition_coordinators, group_participants
from .models import (VISIBLE_STATUSES, Exam, ExamCondition, ExamGroup, ExaminationSession, ExamRegistration, ExamSlot,
                     exam_group_examiners, preload_editions)
from .services import as_int, attending


def slot_list_options():
    """Loader options for an exam with everything its slot list shows: a fixed number of
    queries however many groups, slots and examiners it has."""
    groups = selectinload(Exam.groups)
    return (joinedload(Exam.session), joinedload(Exam.course), groups.selectinload(ExamGroup.slots),
            groups.joinedload(ExamGroup.room).joinedload(Room.building), groups.selectinload(ExamGroup.examiners),
            selectinload(Exam.conditions).joinedload(ExamCondition.grade_value))


def attendee_options():
    """Loader options for an exam with its slot list and every seat's student (attendee lists)."""
    return (*slot_list_options(), selectinload(Exam.groups).selectinload(ExamGroup.slots)
            .selectinload(ExamSlot.registrations).joinedload(ExamRegistration.user))


def listed_exam_options():
    """Loader options for lists of services/exams/exam objects: their session, course, term,
    groups with slots, seats taken, examiners and rooms, and conditions."""
    groups = selectinload(Exam.groups)
    return (joinedload(Exam.session).joinedload(ExaminationSession.faculty), joinedload(Exam.course),
            joinedload(Exam.term), groups.selectinload(ExamGroup.slots).selectinload(ExamSlot.registrations),
            groups.selectinload(ExamGroup.examiners), groups.joinedload(ExamGroup.room).joinedload(Room.building),
            selectinload(Exam.conditions))


def listed(exams):
    """The exams, with their editions preloaded for the visibility checks of each one."""
    preload_editions(exams)
    return exams


def exams_by_ids(ids):
    """{id: Exam or None} for ids as given, in a fixed number of queries."""
    keys = [as_int(i) for i in ids if as_int(i) is not None]
    found = {e.id: e for e in listed(db.session.scalars(
        db.select(Exam).where(Exam.id.in_(keys)).options(*listed_exam_options())).all())} if keys else {}
    return {i: found.get(as_int(i)) for i in ids}


def sessions_query(*where):
    """Examination sessions with their faculty and exams as lists of them show them."""
    return (db.select(ExaminationSession).where(*where).order_by(ExaminationSession.id)
            .options(joinedload(ExaminationSession.faculty),
                     selectinload(ExaminationSession.exams).options(*listed_exam_options())))


def sessions(*where):
    found = db.session.scalars(sessions_query(*where)).all()
    listed([e for s in found for e in s.exams])
    return found


def load_exam_briefly(exam_id, user_id):
    """(exam with its session, whether `user_id` attends its course), what a poll reads; or
    None. The admission conditions are loaded only when the exam has some."""
    key = as_int(exam_id)
    row = db.session.execute(_EXAM_BRIEFLY, {"exam": key, "user": user_id}).first() if key is not None else None
    if row is None:
        return None
    exam, session, has_conditions, attends = row
    set_committed_value(exam, "session", session)
    if not has_conditions:
        set_committed_value(exam, "conditions", [])  # nothing to load (most exams)
    return exam, attends


def load_exam(exam_id, *options):
    """The exam with these loader options (fresh from the database, as after a commit), or None."""
    key = as_int(exam_id)
    if key is None:
        return None
    return db.session.scalar(db.select(Exam).where(Exam.id == key).options(*options)
                             .execution_options(populate_existing=True))


def load_click(slot_id, user_id):
    """(slot with its group, exam and session; whether `user_id` attends the exam's course;
    their registration in the exam or None), in one query (a click's first read); or None."""
    key = as_int(slot_id)
    row = db.session.execute(_CLICK, {"slot": key, "user": user_id}).first() if key is not None else None
    if row is None:
        return None
    slot, group, exam, session, attends, registration = row
    set_committed_value(slot, "group", group)  # as a joined eager load would (the identity map is weak)
    set_committed_value(group, "exam", exam)
    set_committed_value(exam, "session", session)
    return slot, attends, registration


# Statements of the rush path and the live seats' polls, built once: per click or poll only
# their parameters change (building a statement with joins costs more than running it).
# The slot's group, exam and session come as entities of the same row, with the person's
# attendance and registration: one statement instead of a chain of joined eager loads and two
# lookups (load_click links them as eager loads would).
_ATTENDS_EXAM = attending(Exam.course_id, Exam.term_id, db.bindparam("user"))
_CLICK = db.select(ExamSlot, ExamGroup, Exam, ExaminationSession, _ATTENDS_EXAM, ExamRegistration).join(
    ExamGroup, ExamGroup.id == ExamSlot.group_id).join(Exam, Exam.id == ExamGroup.exam_id).join(
    ExaminationSession, ExaminationSession.id == Exam.session_id).outerjoin(
    ExamRegistration, db.and_(ExamRegistration.exam_id == Exam.id, ExamRegistration.user_id == db.bindparam("user"))
).where(ExamSlot.id == db.bindparam("slot"))


_EXAM_BRIEFLY = db.select(
    Exam, ExaminationSession, db.select(ExamCondition.exam_id).where(ExamCondition.exam_id == Exam.id).exists(),
    _ATTENDS_EXAM).join(ExaminationSession, ExaminationSession.id == Exam.session_id).where(
    Exam.id == db.bindparam("exam"))


def student_exams(user, include_hidden=False, options=()):
    """Exams of the courses the student attends, plus any they are registered for."""
    attended = db.select(CourseEdition.id).join(
        CourseUnit, CourseUnit.edition_id == CourseEdition.id).join(
        ClassGroup, ClassGroup.unit_id == CourseUnit.id).join(
        group_participants, group_participants.c.group_id == ClassGroup.id).where(
        group_participants.c.user_id == user.id, CourseEdition.course_id == Exam.course_id,
        CourseEdition.term_id == Exam.term_id)
    registered = db.select(ExamRegistration.exam_id).where(ExamRegistration.user_id == user.id)
    query = (db.select(Exam).join(ExaminationSession)
             .where(db.or_(attended.exists(), Exam.id.in_(registered)))
             .options(joinedload(Exam.session), joinedload(Exam.course), selectinload(Exam.conditions), *options))
    if not include_hidden:
        query = query.where(ExaminationSession.status.in_(VISIBLE_STATUSES))
    return db.session.scalars(query.order_by(Exam.id)).all()


def examined_or_coordinated(user):
    """SQL condition on Exam: the person examines one of its groups or coordinates its course."""
    examines = db.select(ExamGroup.exam_id).join(
        exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id).where(
        exam_group_examiners.c.user_id == user.id)
    coordinates = db.select(edition_coordinators.c.edition_id).join(
        CourseEdition, CourseEdition.id == edition_coordinators.c.edition_id).where(
        edition_coordinators.c.user_id == user.id, CourseEdition.course_id == Exam.course_id,
        CourseEdition.term_id == Exam.term_id)
    return db.or_(Exam.id.in_(examines), coordinates.exists())


def staff_exams(user):
    """Exams the person examines, coordinates or (administrators) all of them."""
    query = db.select(Exam).options(selectinload(Exam.groups).selectinload(ExamGroup.examiners)).order_by(Exam.id)
    if not user.is_admin:
        query = query.where(examined_or_coordinated(user))
    exams = listed(db.session.scalars(query).all())
    return [e for e in exams if e.can_see_attendees(user)]


def _seats_statement():
    links = exam_group_examiners.c
    n_examiners = db.select(db.func.count(links.user_id)).where(links.group_id == ExamGroup.id).scalar_subquery()
    examiner_ids = db.select(db.func.coalesce(db.func.sum(links.user_id), 0)).where(
        links.group_id == ExamGroup.id).scalar_subquery()
    mine = db.and_(ExamRegistration.slot_id == ExamSlot.id, ExamRegistration.user_id == db.bindparam("user"))
    return (db.select(ExamSlot.id, ExamSlot.number, ExamSlot.taken, ExamSlot.capacity, ExamSlot.start, ExamSlot.end,
                      ExamGroup.id, ExamGroup.number, ExamGroup.start, ExamGroup.end, ExamGroup.room_id,
                      ExamGroup.capacity, n_examiners, examiner_ids, ExamRegistration.id)
            .join(ExamGroup, ExamGroup.id == ExamSlot.group_id).outerjoin(ExamRegistration, mine)
            .where(ExamGroup.exam_id == db.bindparam("exam")).order_by(ExamGroup.number, ExamSlot.number))


_SEATS = _seats_statement()


def seats_state(exam, user_id):
    """What others' clicks and staff edits change in an exam's slot list, in one query: per
    slot its seats and times, its group's times, room, capacity and examiners, and whether it
    is the person's seat (what a slot list's ETag is made of)."""
    # Plain columns: run on the session's connection, past the ORM's handling of entities.
    return tuple(tuple(row) for row in db.session.connection().execute(_SEATS, {"exam": exam.id, "user": user_id}))


def registrations_of(user):
    """The student's seats with what lists and calendars show of them (exam, slot, group, room)."""
    slot = joinedload(ExamRegistration.slot)
    return db.session.scalars(
        db.select(ExamRegistration).filter_by(user_id=user.id).order_by(ExamRegistration.id)
        .options(joinedload(ExamRegistration.exam).joinedload(Exam.course),
                 slot.joinedload(ExamSlot.group).joinedload(ExamGroup.room).joinedload(Room.building))).all()
