"""Applying a checked dataset: create what is new, change what differs, leave the rest.

A field a file does not give (no such CSV column, no such JSON key) keeps its stored value;
an empty cell or null clears it. Lists given on their owner are complete sets: a group's
lecturers and participants, an edition's coordinators, and the timetable meetings of each
group the timetable file names (meetings of those groups missing from it are removed).
Rows the files do not mention are never deleted: exam reports, grades and bookings hang on
them. Membership and timetable rows go through Core in bulk, so a university-sized import
costs a fixed number of queries per kind.
"""
from collections import defaultdict

from ...auth.models import User
from ...extensions import db
from ..models import (Building, ClassGroup, ClassType, Course, CourseEdition, CourseUnit,
                      Faculty, Room, Term, TimetableMeeting, edition_coordinators,
                      group_lecturers, group_participants)
from ..programmes import Programme, StudentProgramme
from .report import Report, change
from .schema import KINDS
from .state import final_login, person_key


def apply_dataset(dataset, state):
    applier = _Applier(dataset, state)
    for kind in KINDS:
        if kind in dataset.rows:
            getattr(applier, kind)(dataset.records(kind))
            db.session.flush()
    return applier.report


def _same(value):
    return value


def _names(value):
    return value.langdict() if value is not None else None


class _Applier:
    def __init__(self, dataset, state):
        self.dataset, self.state, self.report = dataset, state, Report()

    def _upsert(self, kind, table, key, label, record, fields, make):
        """Find `table[key]` or make it, then set `fields` (record field -> (attribute, convert))."""
        obj = table.get(key)
        creating = obj is None
        if creating:
            obj = make()
            db.session.add(obj)
            table[key] = obj
        changes = []
        for field, (attr, convert) in fields.items():
            if not creating and field not in record.model_fields_set:
                continue
            new, old = convert(getattr(record, field)), getattr(obj, attr)
            if creating or old != new:
                setattr(obj, attr, new)
                changes.append(change(field, old, new))
        if creating:
            self.report.created(kind, label)
        else:
            self.report.compared(kind, label, changes)
        return obj, creating, changes

    def faculties(self, records):
        fresh = set()
        for r in records:
            _obj, created, _ = self._upsert("faculties", self.state.faculties, r.id, r.id, r,
                                            {"name": ("name", _names)}, lambda r=r: Faculty(id=r.id))
            if created:
                fresh.add(r.id)
        db.session.flush()  # parents may come later in the file: link them once all exist
        for r in records:
            faculty = self.state.faculties[r.id]
            if (r.id in fresh or "parent" in r.model_fields_set) and faculty.parent_id != r.parent:
                if r.id not in fresh:
                    self.report.amend("faculties", r.id, change("parent", faculty.parent_id, r.parent))
                faculty.parent_id = r.parent

    def terms(self, records):
        for r in records:
            self._upsert("terms", self.state.terms, r.id, r.id, r, {
                "name": ("name", _names), "start_date": ("start_date", _same),
                "end_date": ("end_date", _same),
                "finish_date": ("finish_date", lambda v, r=r: v or r.end_date),
                "order_key": ("order_key", lambda v, r=r: v if v is not None else r.start_date.toordinal()),
                "is_active": ("is_active", _same),
            }, lambda r=r: Term(id=r.id))

    def class_types(self, records):
        for r in records:
            self._upsert("class_types", self.state.class_types, r.id, r.id, r,
                         {"name": ("name", _names)}, lambda r=r: ClassType(id=r.id))

    def buildings(self, records):
        for r in records:
            self._upsert("buildings", self.state.buildings, r.id, r.id, r,
                         {"name": ("name", _names)}, lambda r=r: Building(id=r.id))

    def rooms(self, records):
        for r in records:
            self._upsert("rooms", self.state.rooms, r.key(), f"{r.building}/{r.number}", r,
                         {"capacity": ("capacity", _same)},
                         lambda r=r: Room(building_id=r.building, number=r.number))

    def people(self, records):
        people, plans = self.state.people, []
        for r in records:
            stored = people.match(r)
            wanted = self._person_values(r, stored)
            user = stored or User(**wanted)
            if stored is None:
                db.session.add(user)
            plans.append((r, stored, user, wanted, {attr: getattr(user, attr) for attr in wanted}))
            people.by_key[r.id] = user
        # A login, student number or id may move from one person to another in one import
        # (a swap): clear the moving ones first, so no step breaks their unique constraints.
        moving = [(user, wanted) for _r, stored, user, wanted, _old in plans if stored is not None]
        for user, wanted in moving:
            for attr in ("login", "student_number", "external_id"):
                if getattr(user, attr) != wanted[attr]:
                    setattr(user, attr, f"~moving~{user.id}" if attr == "login" else None)
        db.session.flush()
        for r, stored, user, wanted, olds in plans:
            changes = []
            for attr, new in wanted.items():
                old = olds[attr]
                if stored is None or old != new:
                    changes.append(change(attr, old, new))
                if getattr(user, attr) != new:  # (a moving value was cleared above) an unchanged row stays clean
                    setattr(user, attr, new)
            label = r.id if r.id == wanted["login"] else f"{r.id} ({wanted['login']})"
            if stored is None:
                self.report.created("people", label)
            else:
                self.report.compared("people", label, changes)
        db.session.flush()

    @staticmethod
    def _person_values(r, stored):
        """Attribute -> value the person gets; attributes the file does not give are left out."""
        login = final_login(r, stored)
        wanted = {"login": login, "external_id": r.id if r.id != login else None}
        for field in ("first_name", "last_name", "email", "student_number", "titles_before", "titles_after"):
            if stored is None or field in r.model_fields_set:
                wanted[field] = getattr(r, field)
        if "student_number" not in wanted:
            wanted["student_number"] = stored.student_number
        if stored is None or "faculty" in r.model_fields_set:
            wanted["faculty_id"] = r.faculty
        if stored is None or "roles" in r.model_fields_set:
            for role in ("student", "lecturer", "admin"):
                wanted[f"is_{role}"] = role in r.roles
        return wanted

    def programmes(self, records):
        for r in records:
            self._upsert("programmes", self.state.programmes, r.id, r.id, r, {
                "name": ("name", _names), "faculty": ("faculty_id", _same), "level": ("level", _same),
                **{f: (f, _names) for f in ("level_of_studies", "mode_of_studies", "duration", "professional_status")},
            }, lambda r=r: Programme(id=r.id))

    def student_programmes(self, records):
        for r in records:
            user = self.state.people.by_key[r.person]
            self._upsert("student_programmes", self.state.student_programmes, (user.id, r.programme),
                         f"{r.person}/{r.programme}", r, {
                             "status": ("status", _same), "admission_date": ("admission_date", _same),
                             "is_primary": ("is_primary", _same),
                         }, lambda r=r, user=user: StudentProgramme(user_id=user.id, programme_id=r.programme))

    def courses(self, records):
        for r in records:
            self._upsert("courses", self.state.courses, r.id, r.id, r, {
                "name": ("name", _names), "faculty": ("fac_id", _same),
                "lang": ("lang_id", _same), "ects": ("ects_credits", _same),
            }, lambda r=r: Course(id=r.id))

    def _person_ids(self, keys):
        return [self.state.people.by_key[key].id for key in keys]

    def editions(self, records):
        wanted = {}
        for r in records:
            edition, created, _ = self._upsert(
                "editions", self.state.editions, r.key(), f"{r.course}/{r.term}", r,
                {"ects": ("ects_credits", _same)},
                lambda r=r: CourseEdition(course_id=r.course, term_id=r.term))
            if created or "coordinators" in r.model_fields_set:
                wanted[r.key()] = r.coordinators
        db.session.flush()
        self._sets(edition_coordinators, "edition_id", "editions",
                   {self.state.editions[k].id: (f"{k[0]}/{k[1]}", self._person_ids(v)) for k, v in wanted.items()},
                   "coordinators")

    def groups(self, records):
        lecturers, participants, units_seen = {}, {}, set()
        for r in records:
            unit_key = (r.course, r.term, r.class_type)
            unit = self.state.units.get(unit_key)
            if unit is not None and unit_key not in units_seen:
                self.report.compared("course units", "/".join(unit_key), [])
            units_seen.add(unit_key)
            if unit is None:
                unit = CourseUnit(edition=self.state.editions[(r.course, r.term)], classtype_id=r.class_type)
                db.session.add(unit)
                self.state.units[unit_key] = unit
                self.report.created("course units", "/".join(unit_key))
            label = "/".join(str(k) for k in r.key())
            group, created, _ = self._upsert("groups", self.state.groups, r.key(), label, r, {},
                                             lambda r=r, unit=unit: ClassGroup(unit=unit, number=r.number))
            for field, target in (("lecturers", lecturers), ("participants", participants)):
                if created or field in r.model_fields_set:
                    target[r.key()] = (label, self._person_ids(getattr(r, field)))
        db.session.flush()
        for table, wanted, what in ((group_lecturers, lecturers, "lecturers"),
                                    (group_participants, participants, "participants")):
            self._sets(table, "group_id", "groups",
                       {self.state.groups[k].id: v for k, v in wanted.items()}, what)

    def _sets(self, table, owner_column, kind, wanted, what):
        """Make each owner's members exactly `wanted[owner_id] = (label, [user ids])`."""
        if not wanted:
            return
        owner, member = table.c[owner_column], table.c.user_id
        have = defaultdict(set)
        for owner_id, user_id in db.session.execute(db.select(owner, member)):
            have[owner_id].add(user_id)
        add, remove = [], []
        for owner_id, (label, user_ids) in wanted.items():
            target = set(user_ids)
            plus, minus = target - have[owner_id], have[owner_id] - target
            add += [{owner_column: owner_id, "user_id": u} for u in sorted(plus)]
            remove += [{"o": owner_id, "u": u} for u in sorted(minus)]
            if plus or minus:
                self.report.amend(kind, label, f"{what} +{len(plus)} -{len(minus)}")
        if add:
            db.session.execute(table.insert(), add)
        if remove:
            db.session.execute(table.delete().where(owner == db.bindparam("o"), member == db.bindparam("u")), remove)

    def timetable(self, records):
        by_group = defaultdict(list)
        for r in records:
            by_group[r.group_key()].append(r)
        group_ids = {self.state.groups[k].id: k for k in by_group}
        have = defaultdict(list)
        t = TimetableMeeting.__table__
        for row in db.session.execute(db.select(t.c.id, t.c.group_id, t.c.start_time, t.c.end_time, t.c.room_id)
                                      .order_by(t.c.start_time, t.c.id)):
            if row.group_id in group_ids:
                have[row.group_id].append(row)
        add, update, remove = [], [], []
        for group_id, key in group_ids.items():
            stored = defaultdict(list)
            for row in have[group_id]:
                stored[row.start_time].append(row)
            prefix = "/".join(str(k) for k in key)
            for r in sorted(by_group[key], key=lambda r: r.start):
                room = self.state.rooms[r.room_key()].id if r.room_key() else None
                label = f"{prefix} {r.start.isoformat(sep=' ')}"
                if stored[r.start]:
                    row = stored[r.start].pop(0)
                    changes = [change(f, o, n) for f, o, n in (("end", row.end_time, r.end), ("room", row.room_id, room)) if o != n]
                    if changes:
                        update.append({"i": row.id, "end_time": r.end, "room_id": room})
                    self.report.compared("timetable", label, changes)
                else:
                    add.append({"group_id": group_id, "start_time": r.start, "end_time": r.end, "room_id": room})
                    self.report.created("timetable", label)
            for rows in stored.values():
                for row in rows:
                    remove.append({"i": row.id})
                    self.report.removed("timetable", f"{prefix} {row.start_time.isoformat(sep=' ')}")
        if add:
            db.session.execute(t.insert(), add)
        if update:
            db.session.execute(t.update().where(t.c.id == db.bindparam("i")).values(
                end_time=db.bindparam("end_time"), room_id=db.bindparam("room_id")), update)
        if remove:
            db.session.execute(t.delete().where(t.c.id == db.bindparam("i")), remove)


__all__ = ["apply_dataset", "person_key"]
