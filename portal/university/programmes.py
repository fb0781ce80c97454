"""Study programmes and the students on them (USOS: services/progs)."""
from ..extensions import db
from ..langdict import LangDictType

# USOS levels of a programme; doctoral ones make a doctoral student.
LEVELS = ("first_cycle", "second_cycle", "long_cycle", "third_cycle", "phd_school")
DOCTORAL_LEVELS = ("third_cycle", "phd_school")
# USOS statuses of a student on a programme.
STATUSES = ("active", "cancelled", "graduated_end_of_study", "graduated_before_diploma", "graduated_diploma")


class Programme(db.Model):
    """A study programme the university runs, e.g. Computer Science, first cycle, full-time."""
    __tablename__ = "programmes"

    id = db.Column(db.String(32), primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    level = db.Column(db.String(16))  # one of LEVELS, or unknown
    level_of_studies = db.Column(LangDictType)  # the university's own wording of the level
    mode_of_studies = db.Column(LangDictType)  # e.g. full-time / part-time
    duration = db.Column(LangDictType)  # e.g. 3 years
    professional_status = db.Column(LangDictType)  # the title it leads to, e.g. bachelor
    faculty = db.relationship("Faculty")

    @property
    def is_doctoral(self):
        return self.level in DOCTORAL_LEVELS


class StudentProgramme(db.Model):
    """One person studying (or having studied) one programme."""
    __tablename__ = "student_programmes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    programme_id = db.Column(db.String(32), db.ForeignKey("programmes.id"), nullable=False, index=True)
    status = db.Column(db.String(32), nullable=False, default="active")  # one of STATUSES
    admission_date = db.Column(db.Date)
    is_primary = db.Column(db.Boolean, nullable=False, default=True)
    user = db.relationship("User", back_populates="student_programmes")
    programme = db.relationship("Programme")

    @property
    def is_active(self):
        return self.status == "active"

    def is_visible_to(self, viewer):
        return self.user.shows_personal_data_to(viewer)
