"""Exam reports (protocols), their sessions, the grades in them and every change of a grade."""
from dataclasses import dataclass

from sqlalchemy.ext.hybrid import hybrid_property

from ..extensions import db
from ..langdict import LangDictType, ld

# Session statuses; only "active" lets graders write.
STATUS_ACTIVE, STATUS_CLOSED, STATUS_ARCHIVED = "active", "closed", "archived"
EDITABLE_STATUSES = (STATUS_ACTIVE,)
STATUS_NAMES = {
    STATUS_ACTIVE: ld("otwarty", "open"),
    STATUS_CLOSED: ld("zamknięty", "closed"),
    STATUS_ARCHIVED: ld("zarchiwizowany", "archived"),
}


@dataclass(frozen=True)
class ReportType:
    """Kinds of exam reports (static reference data, not a table)."""
    id: str
    name: dict
    grade_type_id: str


REPORT_TYPES = {
    "E": ReportType("E", ld("Egzamin", "Exam"), "PL"),
    "ZO": ReportType("ZO", ld("Zaliczenie na ocenę", "Graded credit"), "PL"),
    "Z": ReportType("Z", ld("Zaliczenie", "Credit"), "ZAL"),
}


class ExamReport(db.Model):
    """A protocol of a course edition (a general report) or of one of its course units."""
    __tablename__ = "grade_exam_reports"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("course_editions.id"), nullable=False, index=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("course_units.id"), index=True)
    type_id = db.Column(db.String(8), nullable=False, default="ZO")
    grade_type_id = db.Column(db.String(16), db.ForeignKey("grade_types.id"), nullable=False)
    description = db.Column(LangDictType, nullable=False)
    counts_into_average = db.Column(db.Boolean, nullable=False, default=True)

    edition = db.relationship("CourseEdition")
    unit = db.relationship("CourseUnit")
    grade_type = db.relationship("GradeType")
    sessions = db.relationship("ExamSession", back_populates="report", order_by="ExamSession.number",
                               cascade="all, delete-orphan")

    @property
    def is_general(self):
        return self.unit_id is None

    @property
    def report_type(self):
        return REPORT_TYPES.get(self.type_id)

    def session(self, number):
        return next((s for s in self.sessions if s.number == number), None)

    def groups(self):
        """The class groups whose participants this report grades."""
        units = [self.unit] if self.unit is not None else list(self.edition.units)
        return [g for u in units for g in u.groups]

    def students(self):
        """Every student graded here: the groups' participants, by name."""
        seen = {}
        for group in self.groups():
            for user in group.participants:
                seen.setdefault(user.id, user)
        return sorted(seen.values(), key=lambda u: (u.last_name, u.first_name, u.id))

    def has_student(self, user_id):
        return any(u.id == user_id for g in self.groups() for u in g.participants)


class ExamSession(db.Model):
    """A numbered sitting of a report (1 = first sitting, 2 = resit, ...)."""
    __tablename__ = "grade_exam_sessions"
    __table_args__ = (db.UniqueConstraint("report_id", "number"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("grade_exam_reports.id", ondelete="CASCADE"),
                          nullable=False)
    number = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(16), nullable=False, default=STATUS_ACTIVE)
    description = db.Column(LangDictType, nullable=False)
    deadline = db.Column(db.DateTime)
    is_acquisition_date_required = db.Column(db.Boolean, nullable=False, default=False)

    report = db.relationship("ExamReport", back_populates="sessions")

    def is_expired(self, now):
        return self.deadline is not None and self.deadline <= now

    def is_open(self, now):
        """Open for writing: an editable status and the deadline not reached."""
        return self.status in EDITABLE_STATUSES and not self.is_expired(now)


class Grade(db.Model):
    """A student's grade in one session; absent row = no grade yet."""
    __tablename__ = "grade_grades"
    __table_args__ = (db.UniqueConstraint("session_id", "student_id"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("grade_exam_sessions.id", ondelete="CASCADE"),
                           nullable=False)
    student_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    value_id = db.Column(db.Integer, db.ForeignKey("grade_values.id"))
    comment = db.Column(db.Text)
    private_comment = db.Column(db.Text)
    date_acquisition = db.Column(db.Date)
    # Whole seconds (the wire precision), strictly increasing per grade: the concurrency token.
    date_modified = db.Column(db.DateTime, nullable=False, index=True)
    modified_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    resignation = db.Column(db.Boolean, nullable=False, default=False)
    inactive_links = db.Column(db.Boolean, nullable=False, default=False)

    session = db.relationship("ExamSession")
    student = db.relationship("User", foreign_keys=[student_id])
    value = db.relationship("GradeValue")
    modified_by = db.relationship("User", foreign_keys=[modified_by_id])

    @property
    def report(self):
        return self.session.report

    @hybrid_property
    def given(self):
        """Whether the student has a grade here to see: a value or a public comment. A grade
        cleared in the report keeps its row (and its history) but is no grade for the student's
        pages and the grades module."""
        return self.value_id is not None or self.comment is not None

    @given.inplace.expression
    @classmethod
    def _given(cls):
        return db.or_(cls.value_id.is_not(None), cls.comment.is_not(None))

    @property
    def blank(self):
        """Nothing left in it (every value cleared): "no grade yet" to a writer, too."""
        return self.value_id is None and self.comment is None and self.private_comment is None \
            and self.date_acquisition is None


class GradeChange(db.Model):
    """One change of a grade: who, when, what it was and what it became."""
    __tablename__ = "grade_changes"

    id = db.Column(db.Integer, primary_key=True)
    grade_id = db.Column(db.Integer, db.ForeignKey("grade_grades.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    changed_at = db.Column(db.DateTime, nullable=False)
    changed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    old_value_id = db.Column(db.Integer, db.ForeignKey("grade_values.id"))
    new_value_id = db.Column(db.Integer, db.ForeignKey("grade_values.id"))
    old_comment = db.Column(db.Text)
    new_comment = db.Column(db.Text)
    old_private_comment = db.Column(db.Text)
    new_private_comment = db.Column(db.Text)
    old_date_acquisition = db.Column(db.Date)
    new_date_acquisition = db.Column(db.Date)

    grade = db.relationship("Grade")
    changed_by = db.relationship("User")
    old_value = db.relationship("GradeValue", foreign_keys=[old_value_id])
    new_value = db.relationship("GradeValue", foreign_keys=[new_value_id])
