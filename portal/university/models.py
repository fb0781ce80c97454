"""Reference data of the university that every module hangs on.

Later modules add their own tables and point at these; they never change them.
"""
from ..extensions import db
from ..langdict import LangDictType, pick


def _holds(user, people):
    """Whether `user` is among `people` (reading the id once: `user` is often Flask-Login's
    proxy, whose every attribute access costs a lookup)."""
    if user is None:
        return False
    user_id = user.id
    return any(u.id == user_id for u in people)


class Faculty(db.Model):
    __tablename__ = "faculties"

    id = db.Column(db.String(32), primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    parent_id = db.Column(db.String(32), db.ForeignKey("faculties.id"))
    parent = db.relationship("Faculty", remote_side=[id], backref="children")

    def with_parents(self):
        """This faculty, then its parent, its parent's parent, ..."""
        chain, node = [], self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class Term(db.Model):
    __tablename__ = "terms"

    id = db.Column(db.String(20), primary_key=True)  # e.g. "2026Z"
    name = db.Column(LangDictType, nullable=False)
    start_date = db.Column(db.Date, nullable=False)
    end_date = db.Column(db.Date, nullable=False)
    finish_date = db.Column(db.Date, nullable=False)  # last day to settle the term
    order_key = db.Column(db.Integer, nullable=False)
    is_active = db.Column(db.Boolean, nullable=False, default=True)


class Building(db.Model):
    __tablename__ = "buildings"

    id = db.Column(db.String(32), primary_key=True)
    name = db.Column(LangDictType, nullable=False)


class Room(db.Model):
    __tablename__ = "rooms"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(32), nullable=False)
    building_id = db.Column(db.String(32), db.ForeignKey("buildings.id"), nullable=False)
    capacity = db.Column(db.Integer)
    building = db.relationship("Building")

    @property
    def label(self):
        return f"{pick(self.building.name)} {self.number}"


class Course(db.Model):
    __tablename__ = "courses"

    id = db.Column(db.String(32), primary_key=True)  # e.g. "INF-ALG"
    name = db.Column(LangDictType, nullable=False)
    fac_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    lang_id = db.Column(db.String(8), default="pl")
    ects_credits = db.Column(db.Numeric(5, 2))  # the usual credits; an edition may differ
    homepage_url = db.Column(db.String(500))
    # The syllabus, as far as the university publishes it.
    description = db.Column(LangDictType)
    bibliography = db.Column(LangDictType)
    learning_outcomes = db.Column(LangDictType)
    assessment_criteria = db.Column(LangDictType)
    practical_placement = db.Column(LangDictType)
    faculty = db.relationship("Faculty")
    editions = db.relationship("CourseEdition", viewonly=True, order_by="CourseEdition.term_id")


edition_coordinators = db.Table(
    "course_edition_coordinators",
    db.Column("edition_id", db.Integer, db.ForeignKey("course_editions.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
)


class CourseEdition(db.Model):
    __tablename__ = "course_editions"
    __table_args__ = (db.UniqueConstraint("course_id", "term_id"),)

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(db.String(32), db.ForeignKey("courses.id"), nullable=False)
    term_id = db.Column(db.String(20), db.ForeignKey("terms.id"), nullable=False)
    ects_credits = db.Column(db.Numeric(5, 2))  # None: the course's usual credits
    homepage_url = db.Column(db.String(500))
    description = db.Column(LangDictType)
    bibliography = db.Column(LangDictType)
    notes = db.Column(LangDictType)
    course = db.relationship("Course")
    term = db.relationship("Term")
    coordinators = db.relationship("User", secondary=edition_coordinators, order_by="User.id")
    units = db.relationship("CourseUnit", back_populates="edition", order_by="CourseUnit.id")

    def is_coordinator(self, user):
        return _holds(user, self.coordinators)

    def shows_participants_to(self, viewer):
        """Who attends an edition: staff and the edition's own students."""
        return viewer is not None and (viewer.is_staff or any(g.has_participant(viewer)
                                                              for u in self.units for g in u.groups))

    @property
    def credits(self):
        """ECTS credits a student gets for this edition."""
        return self.ects_credits if self.ects_credits is not None else self.course.ects_credits


class ClassType(db.Model):
    __tablename__ = "class_types"

    id = db.Column(db.String(8), primary_key=True)  # WYK, CW, LAB, ...
    name = db.Column(LangDictType, nullable=False)


class CourseUnit(db.Model):
    __tablename__ = "course_units"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("course_editions.id"), nullable=False)
    classtype_id = db.Column(db.String(8), db.ForeignKey("class_types.id"), nullable=False)
    topics = db.Column(LangDictType)
    learning_outcomes = db.Column(LangDictType)
    assessment_criteria = db.Column(LangDictType)
    teaching_methods = db.Column(LangDictType)
    bibliography = db.Column(LangDictType)
    edition = db.relationship("CourseEdition", back_populates="units")
    classtype = db.relationship("ClassType")
    groups = db.relationship("ClassGroup", back_populates="unit", order_by="ClassGroup.number")

    @property
    def course(self):
        return self.edition.course

    @property
    def term_id(self):
        return self.edition.term_id


group_lecturers = db.Table(
    "class_group_lecturers",
    db.Column("group_id", db.Integer, db.ForeignKey("class_groups.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
)

group_participants = db.Table(
    "class_group_participants",
    db.Column("group_id", db.Integer, db.ForeignKey("class_groups.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class ClassGroup(db.Model):
    __tablename__ = "class_groups"
    __table_args__ = (db.UniqueConstraint("unit_id", "number"),)

    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("course_units.id"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    unit = db.relationship("CourseUnit", back_populates="groups")
    lecturers = db.relationship("User", secondary=group_lecturers, order_by="User.id")
    participants = db.relationship("User", secondary=group_participants,
                                   order_by="(User.last_name, User.first_name, User.id)")
    meetings = db.relationship("TimetableMeeting", back_populates="group",
                               order_by="TimetableMeeting.start_time")

    def is_lecturer(self, user):
        return _holds(user, self.lecturers)

    def has_participant(self, user):
        return _holds(user, self.participants)

    def shows_participants_to(self, viewer):
        """Who attends a group: staff and the group's own members."""
        return viewer is not None and (viewer.is_staff or self.has_participant(viewer))


class TimetableMeeting(db.Model):
    """One class meeting of a group in the timetable."""
    __tablename__ = "timetable_meetings"

    id = db.Column(db.Integer, primary_key=True)
    group_id = db.Column(db.Integer, db.ForeignKey("class_groups.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    start_time = db.Column(db.DateTime, nullable=False)
    end_time = db.Column(db.DateTime, nullable=False)
    room_id = db.Column(db.Integer, db.ForeignKey("rooms.id"))
    group = db.relationship("ClassGroup", back_populates="meetings")
    room = db.relationship("Room")


class GradeType(db.Model):
    """A grading scale, e.g. the Polish 2-5 scale, or pass/fail."""
    __tablename__ = "grade_types"

    id = db.Column(db.String(16), primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    values = db.relationship("GradeValue", back_populates="grade_type",
                             order_by="GradeValue.order_key")

    def value_for(self, symbol):
        """The value whose symbol matches, tolerating "4.5" for "4,5", "3,0" for "3" (as grades
        are often written), any case, and the English symbols ("pass" for ZAL) that English
        pages show."""
        if symbol is None:
            return None
        wanted = str(symbol).strip().replace(".", ",").upper()
        if wanted.endswith(",0") and wanted[:-2].isdigit():
            wanted = wanted[:-2]
        for value in self.values:
            if wanted in (value.symbol.upper(), SYMBOLS_EN.get(value.symbol, "").upper()):
                return value
        return None


# Pass/fail symbols as English pages write them; numeric grades read the same in both languages.
SYMBOLS_EN = {"ZAL": "pass", "NZAL": "fail"}


def shown_symbol(symbol, lang):
    """A grade symbol in the interface language: ZAL / NZAL in Polish, pass / fail in English."""
    return SYMBOLS_EN.get(symbol, symbol) if lang == "en" and symbol else (symbol or "")


class GradeValue(db.Model):
    __tablename__ = "grade_values"
    __table_args__ = (db.UniqueConstraint("grade_type_id", "symbol"),)

    id = db.Column(db.Integer, primary_key=True)
    grade_type_id = db.Column(db.String(16), db.ForeignKey("grade_types.id"), nullable=False)
    symbol = db.Column(db.String(16), nullable=False)
    name = db.Column(LangDictType, nullable=False)
    passes = db.Column(db.Boolean, nullable=False)
    decimal_value = db.Column(db.Numeric(4, 2))
    order_key = db.Column(db.Integer, nullable=False)
    grade_type = db.relationship("GradeType", back_populates="values")


# Tables that hang on the ones above, kept in their own modules.
from .programmes import Programme, StudentProgramme  # noqa: E402,F401
from .staff import EmploymentFunction, EmploymentGroup, EmploymentPosition, Position  # noqa: E402,F401
