"""What people see: meetings available to them, open dates, calendars, their bookings."""
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock
from ..auth.models import User
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import ClassGroup, Course, CourseEdition, CourseUnit, Room
from .models import Meeting, MeetingDate, Participant, Substantiation
from .services import TAKEN_COUNTS, _int, not_found


def _member_of_groups(user):
    return Meeting.groups.any(ClassGroup.participants.any(User.id == user.id))


def get_meeting(user, meeting_id, param="meeting_id", method_name="services/meetings/meeting"):
    meeting = db.session.get(Meeting, _int(meeting_id)) if _int(meeting_id) else None
    if meeting is None or not meeting.can_view(user):
        raise not_found(param, method_name, "Meeting")
    return meeting


def visible_date(user, date_id, param="meeting_date_id", method_name="services/meetings/meeting_date"):
    """A date the person may see, with what its page shows (meeting, lecturer, room,
    participants) in two queries."""
    meeting = joinedload(MeetingDate.meeting)
    return _visible_date(user, date_id, param, method_name, meeting.joinedload(Meeting.faculty),
                         meeting.joinedload(Meeting.lecturer), joinedload(MeetingDate.room).joinedload(Room.building))


def bookable_date(user, date_id):
    """(a date the person may see with its meeting, services.taken_places of it for the
    person): what a sign-up's check reads on the rush path, in one query."""
    key = _int(date_id)
    row = db.session.execute(_BOOKABLE, {"date": key, "user": user.id}).first() if key else None
    if row is None:
        return _check_visible(user, None, "meeting_date_id", "services/meetings/meeting_date")
    date, meeting, *taken = row
    set_committed_value(date, "meeting", meeting)  # as a joined eager load would
    return _check_visible(user, date, "meeting_date_id", "services/meetings/meeting_date"), tuple(taken)


# Built once (every sign-up click runs it). The date and its meeting are grouped by their
# primary keys, which PostgreSQL accepts for every column of both.
_BOOKABLE = select(MeetingDate, Meeting, *TAKEN_COUNTS).join(Meeting, Meeting.id == MeetingDate.meeting_id).outerjoin(
    Participant, Participant.meeting_date_id == MeetingDate.id).where(MeetingDate.id == bindparam("date")).group_by(
    MeetingDate.id, Meeting.id)


def _visible_date(user, date_id, param, method_name, *options):
    date = db.session.scalars(
        select(MeetingDate).where(MeetingDate.id == _int(date_id))
        .options(*options, selectinload(MeetingDate.participants))).one_or_none() if _int(date_id) else None
    return _check_visible(user, date, param, method_name)


def _check_visible(user, date, param, method_name):
    if date is None or not date.meeting.can_view(user):
        raise not_found(param, method_name, "Meeting date")
    return date


def meetings_by_ids(user, ids):
    found = {str(m.id): m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_([_int(i) for i in ids if _int(i)])))}
    return {i: (found[i] if i in found and found[i].can_view(user) else None) for i in ids}


def dates_by_ids(user, ids):
    found = {str(d.id): d for d in db.session.scalars(
        select(MeetingDate).where(MeetingDate.id.in_([_int(i) for i in ids if _int(i)])))}
    return {i: (found[i] if i in found and found[i].meeting.can_view(user) else None) for i in ids}


def available_meetings(user):
    """Active meetings the person may attend: open ones and those of their groups."""
    stmt = select(Meeting).where(Meeting.state == "active", or_(Meeting.open.is_(True), _member_of_groups(user)))
    return list(db.session.scalars(stmt.order_by(Meeting.id).options(joinedload(Meeting.lecturer),
                                                                      joinedload(Meeting.faculty))))


def upcoming_dates(meetings):
    """{meeting id: its dates that have not ended, soonest first}, with their rooms and
    participants (seats left, the person's own entry), in two queries for any number."""
    found = {m.id: [] for m in meetings}
    if found:
        for date in db.session.scalars(
                select(MeetingDate).where(MeetingDate.meeting_id.in_(found), MeetingDate.end_time >= clock.now())
                .order_by(MeetingDate.start_time, MeetingDate.id)
                .options(joinedload(MeetingDate.room).joinedload(Room.building), selectinload(MeetingDate.participants))):
            found[date.meeting_id].append(date)
    return found


def lecturer_meetings(viewer, lecturer_id):
    lecturer = db.session.get(User, _int(lecturer_id)) if _int(lecturer_id) else None
    if lecturer is None:
        raise not_found("user_id", "services/meetings/lecturer", "User")
    if not lecturer.is_staff:
        raise ServiceError("object_invalid", "User is not a staff member.", reason="not_a_staff",
                           user_message=ld("Ta osoba nie jest pracownikiem.", "This person is not a staff member."))
    meetings = db.session.scalars(select(Meeting).where(Meeting.lecturer_id == lecturer.id).order_by(Meeting.id))
    return [m for m in meetings if m.can_view(viewer)]


def course_meetings(user, course_id):
    """Meetings tied to groups of a course the person attends."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise not_found("course_id", "services/meetings/course_meetings", "Course")
    groups = list(db.session.scalars(select(ClassGroup).join(CourseUnit).join(CourseEdition).where(
        CourseEdition.course_id == course.id, ClassGroup.participants.any(User.id == user.id))))
    if not groups:
        raise ServiceError("object_invalid", "User is not registered to specified course.", reason="not_in_course",
                           user_message=ld("Nie jesteś zapisany(-a) na ten przedmiot.",
                                           "You are not registered for this course."))
    group_ids = [g.id for g in groups]
    stmt = select(Meeting).where(Meeting.state == "active", Meeting.groups.any(ClassGroup.id.in_(group_ids)))
    return list(db.session.scalars(stmt.order_by(Meeting.id)))


def courses_with_meetings(user):
    """Course units of the person's groups that have an active meeting."""
    # Units by id (not SELECT DISTINCT over whole rows: PostgreSQL cannot compare JSON columns).
    unit_ids = (select(ClassGroup.unit_id)
                .where(ClassGroup.participants.any(User.id == user.id),
                       ClassGroup.id.in_(select(Meeting.groups.property.secondary.c.group_id).join(
                           Meeting, Meeting.id == Meeting.groups.property.secondary.c.meeting_id)
                           .where(Meeting.state == "active"))))
    return list(db.session.scalars(select(CourseUnit).where(CourseUnit.id.in_(unit_ids)).order_by(CourseUnit.id)))


def meeting_dates(viewer, meeting, upcoming=False, include_cancelled=False):
    """A meeting's dates (only those that have not ended, when `upcoming`), soonest first, with
    their rooms and participants; cancelled ones are only in their bookings and, with
    `include_cancelled`, on the lecturer's page."""
    stmt = select(MeetingDate).where(MeetingDate.meeting_id == meeting.id)
    if not include_cancelled:
        stmt = stmt.where(MeetingDate.cancelled_at.is_(None))
    if upcoming:
        stmt = stmt.where(MeetingDate.end_time >= clock.now())
    return list(db.session.scalars(stmt.order_by(MeetingDate.start_time, MeetingDate.id).options(
        joinedload(MeetingDate.room).joinedload(Room.building), selectinload(MeetingDate.participants))))


def _listed_date():
    """Loader options for lists of dates: the meeting with what can_view / can_attend read,
    the room, the participants (seats left)."""
    meeting = joinedload(MeetingDate.meeting)
    return (meeting.selectinload(Meeting.groups).selectinload(ClassGroup.participants),
            joinedload(MeetingDate.room).joinedload(Room.building), selectinload(MeetingDate.participants))


def _lecturer(lecturer_id, method_name):
    lecturer = db.session.get(User, _int(lecturer_id)) if _int(lecturer_id) else None
    if lecturer is None:
        raise not_found("lecturer_id", method_name, "Lecturer")
    return lecturer


def open_meeting_dates(viewer, lecturer_id):
    """A lecturer's dates the person can register for now (registration open)."""
    lecturer = _lecturer(lecturer_id, "services/meetings/open_meeting_dates")
    now = clock.now()
    stmt = (select(MeetingDate).join(Meeting).where(
        Meeting.lecturer_id == lecturer.id, Meeting.state == "active", MeetingDate.cancelled_at.is_(None),
        MeetingDate.registration_start_time <= now, MeetingDate.registration_end_time >= now,
        MeetingDate.start_time > now).order_by(MeetingDate.start_time).options(*_listed_date()))
    return [d for d in db.session.scalars(stmt) if d.meeting.can_attend(viewer) or d.meeting.can_manage(viewer)]


def user_calendar(viewer, lecturer_id, start=None, days=7):
    """A lecturer's dates starting in [start, start + days)."""
    lecturer = _lecturer(lecturer_id, "services/meetings/user_calendar")
    start = start or clock.today()
    if not 1 <= days <= 366:
        raise ServiceError("param_invalid", "days must be 1..366.", param_name="days")
    begin = datetime.combine(start, datetime.min.time())
    stmt = (select(MeetingDate).join(Meeting).where(
        Meeting.lecturer_id == lecturer.id, MeetingDate.cancelled_at.is_(None), MeetingDate.start_time >= begin,
        MeetingDate.start_time < begin + timedelta(days=days)).order_by(MeetingDate.start_time)
        .options(*_listed_date()))
    return [d for d in db.session.scalars(stmt) if d.meeting.can_view(viewer)]


def cart(user, include_past=False):
    """The person's entries on dates that have not ended (or all), soonest first."""
    stmt = select(Participant).join(MeetingDate).where(Participant.user_id == user.id)
    if not include_past:
        stmt = stmt.where(MeetingDate.end_time >= clock.now())
    date = joinedload(Participant.meeting_date)
    return list(db.session.scalars(stmt.order_by(MeetingDate.start_time, Participant.id).options(
        date.joinedload(MeetingDate.meeting).joinedload(Meeting.lecturer),
        date.joinedload(MeetingDate.room).joinedload(Room.building), date.selectinload(MeetingDate.participants))))


def substantiations(fac_id, kind, with_parents=True, method_name="services/meetings/get_meeting_substantiations"):
    from ..university.models import Faculty
    faculty = db.session.get(Faculty, fac_id)
    if faculty is None:
        raise not_found("fac_id", method_name, "Faculty")
    fac_ids = [f.id for f in faculty.with_parents()] if with_parents else [faculty.id]
    stmt = select(Substantiation).where(Substantiation.type == kind, Substantiation.faculty_id.in_(fac_ids))
    return list(db.session.scalars(stmt.order_by(Substantiation.id)))


def meeting_substantiations(meeting, kind="meeting"):
    """The substantiations a person (or, for rejections, the lecturer) may choose for a meeting."""
    fac_ids = [f.id for f in meeting.allowed_faculties()]
    stmt = select(Substantiation).where(Substantiation.type == kind, Substantiation.faculty_id.in_(fac_ids))
    return list(db.session.scalars(stmt.order_by(Substantiation.id)))


def get_substantiation(sub_id):
    sub = db.session.get(Substantiation, _int(sub_id)) if _int(sub_id) else None
    if sub is None:
        raise not_found("id", "services/meetings/substantiation", "Substantiation")
    return sub


def visible_participant(viewer, participant_id, method_name="services/meetings/participant"):
    entry = db.session.get(Participant, _int(participant_id)) if _int(participant_id) else None
    if entry is None or not can_see_participant(viewer, entry):
        raise not_found("participant_id", method_name, "Participant")
    return entry


def can_see_participant(viewer, entry):
    return viewer is not None and (entry.user_id == viewer.id or entry.meeting_date.meeting.can_manage(viewer))


def participants_by_ids(viewer, ids):
    found = {str(p.id): p for p in db.session.scalars(
        select(Participant).where(Participant.id.in_([_int(i) for i in ids if _int(i)])))}
    return {i: (found[i] if i in found and can_see_participant(viewer, found[i]) else None) for i in ids}
