"""The database in the exchange format: what an import of the result would reproduce."""
from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import selectinload

from ...auth.models import User
from ...extensions import db
from ..models import (Building, ClassGroup, ClassType, Course, CourseEdition, CourseUnit,
                      Faculty, Room, Term, TimetableMeeting, edition_coordinators,
                      group_lecturers, group_participants)
from ..programmes import Programme, StudentProgramme
from .schema import (BuildingRecord, ClassTypeRecord, CourseRecord, EditionRecord,
                     FacultyRecord, GroupRecord, MeetingRecord, PersonRecord, ProgrammeRecord,
                     RoomRecord, StudentProgrammeRecord, TermRecord)
from .state import person_key


def _names(value):
    return {"pl": (value or {}).get("pl"), "en": (value or {}).get("en")}


def _maybe_names(value):
    return _names(value) if value and (value.get("pl") or value.get("en")) else None


def _members(table, owner_column, keys):
    members = defaultdict(list)
    owner = table.c[owner_column]
    for owner_id, user_id in db.session.execute(db.select(owner, table.c.user_id).order_by(owner, table.c.user_id)):
        members[owner_id].append(keys[user_id])
    return members


def _student_programmes(keys):
    first = {}  # the format keeps one row per person and programme
    for sp in db.session.scalars(db.select(StudentProgramme).order_by(StudentProgramme.id)):
        first.setdefault((sp.user_id, sp.programme_id), sp)
    return sorted((StudentProgrammeRecord(person=keys[sp.user_id], programme=sp.programme_id, status=sp.status,
                                          admission_date=sp.admission_date, is_primary=sp.is_primary)
                   for sp in first.values()), key=lambda r: (r.person, r.programme))


def export_records():
    """kind -> [record], every kind, in key order."""
    s = db.session
    users = list(s.scalars(db.select(User).order_by(User.id)))
    keys = {u.id: person_key(u) for u in users}
    out = {
        "faculties": sorted((FacultyRecord(id=f.id, name=_names(f.name), parent=f.parent_id)
                             for f in s.scalars(db.select(Faculty))), key=lambda r: r.id),
        "terms": [TermRecord(id=t.id, name=_names(t.name), start_date=t.start_date, end_date=t.end_date,
                             finish_date=t.finish_date, order_key=t.order_key, is_active=t.is_active)
                  for t in s.scalars(db.select(Term).order_by(Term.order_key, Term.id))],
        "class_types": [ClassTypeRecord(id=c.id, name=_names(c.name))
                        for c in s.scalars(db.select(ClassType).order_by(ClassType.id))],
        "buildings": [BuildingRecord(id=b.id, name=_names(b.name))
                      for b in s.scalars(db.select(Building).order_by(Building.id))],
        "rooms": [RoomRecord(building=r.building_id, number=r.number, capacity=r.capacity)
                  for r in s.scalars(db.select(Room).order_by(Room.building_id, Room.number, Room.id))],
        "people": [PersonRecord(id=keys[u.id], login=u.login, first_name=u.first_name, last_name=u.last_name,
                                email=u.email, student_number=u.student_number, titles_before=u.titles_before,
                                titles_after=u.titles_after, roles=u.roles, faculty=u.faculty_id)
                   for u in users],
        "programmes": [ProgrammeRecord(
            id=p.id, name=_names(p.name), faculty=p.faculty_id, level=p.level,
            **{f: _maybe_names(getattr(p, f)) for f in ("level_of_studies", "mode_of_studies", "duration",
                                                        "professional_status")})
            for p in s.scalars(db.select(Programme).order_by(Programme.id))],
        "student_programmes": _student_programmes(keys),
        "courses": [CourseRecord(id=c.id, name=_names(c.name), faculty=c.fac_id, lang=c.lang_id, ects=c.ects_credits)
                    for c in s.scalars(db.select(Course).order_by(Course.id))],
    }
    coordinators = _members(edition_coordinators, "edition_id", keys)
    editions = list(s.scalars(db.select(CourseEdition).order_by(CourseEdition.course_id, CourseEdition.term_id)))
    out["editions"] = [EditionRecord(course=e.course_id, term=e.term_id, coordinators=coordinators[e.id],
                                     ects=e.ects_credits)
                       for e in editions]
    lecturers = _members(group_lecturers, "group_id", keys)
    participants = _members(group_participants, "group_id", keys)
    groups = list(s.scalars(db.select(ClassGroup).join(CourseUnit).join(CourseEdition).options(
        selectinload(ClassGroup.unit).selectinload(CourseUnit.edition)).order_by(
        CourseEdition.course_id, CourseEdition.term_id, CourseUnit.classtype_id, ClassGroup.number)))
    out["groups"] = [GroupRecord(course=g.unit.edition.course_id, term=g.unit.edition.term_id,
                                 class_type=g.unit.classtype_id, number=g.number,
                                 lecturers=lecturers[g.id], participants=participants[g.id]) for g in groups]
    rooms = {r.id: r for r in s.scalars(db.select(Room))}
    by_id = {g.id: g for g in groups}
    meetings = []
    t = TimetableMeeting.__table__
    for row in s.execute(db.select(t.c.group_id, t.c.start_time, t.c.end_time, t.c.room_id)):
        g, room = by_id[row.group_id], rooms.get(row.room_id)
        meetings.append(MeetingRecord(course=g.unit.edition.course_id, term=g.unit.edition.term_id,
                                      class_type=g.unit.classtype_id, group=g.number,
                                      start=row.start_time, end=row.end_time,
                                      building=room.building_id if room else None,
                                      room=room.number if room else None))
    out["timetable"] = sorted(meetings, key=lambda m: (m.group_key(), m.start))
    return out


def export_manifest():
    return {"exported_at": datetime.now().replace(microsecond=0).isoformat(), "generator": "Indeks"}
