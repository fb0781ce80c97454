"""Attendance lists (one per meeting of a class group) and their entries (one per student)."""
from .. import clock
from ..extensions import db

LIST_MODES = ("intramural", "remote", "hybrid")
ATTENDANCE_MODES = ("intramural", "remote", "justified_absence", "absence")
# Modes that count as having been at the meeting.
PRESENT_MODES = ("intramural", "remote")


class AttendanceList(db.Model):
    __tablename__ = "attendance_lists"
    # One list per meeting: the same group and date twice is `already_exists`, and the
    # constraint keeps two simultaneous creations from making a duplicate.
    __table_args__ = (db.UniqueConstraint("group_id", "date", name="uq_attendance_list_group_date"),)

    id = db.Column(db.Integer, primary_key=True)
    group_id = db.Column(db.Integer, db.ForeignKey("class_groups.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    date = db.Column(db.DateTime, nullable=False)
    mode = db.Column(db.String(16), nullable=False, default="intramural")
    created_at = db.Column(db.DateTime, nullable=False, default=clock.now)

    group = db.relationship("ClassGroup")
    owner = db.relationship("User")
    entries = db.relationship("AttendanceEntry", back_populates="list", cascade="all, delete-orphan",
                              passive_deletes=True)

    @property
    def unit(self):
        return self.group.unit

    @property
    def group_number(self):
        return self.group.number

    def allows(self, attendance_mode):
        """Whether this list accepts the attendance mode (absences are always allowed)."""
        if attendance_mode == "intramural":
            return self.mode != "remote"
        if attendance_mode == "remote":
            return self.mode != "intramural"
        return attendance_mode in ATTENDANCE_MODES or attendance_mode is None

    @property
    def allowed_modes(self):
        return [m for m in ATTENDANCE_MODES if self.allows(m)]

    @property
    def present_mode(self):
        """What "present" means on this list: in the room, or online on a remote list."""
        return "remote" if self.mode == "remote" else "intramural"

    def can_manage(self, user):
        return can_manage_group(self.group, user)


class AttendanceEntry(db.Model):
    __tablename__ = "attendance_entries"
    # One entry per student per list; writes are upserts on this key, so two lecturers
    # marking the same student at once never collide on an insert.
    __table_args__ = (db.UniqueConstraint("list_id", "student_id", name="uq_attendance_entry_list_student"),)

    id = db.Column(db.Integer, primary_key=True)
    list_id = db.Column(db.Integer, db.ForeignKey("attendance_lists.id", ondelete="CASCADE"),
                        nullable=False)
    student_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    # None: not set yet (an entry may exist only to hold a comment).
    mode = db.Column(db.String(20))
    comment = db.Column(db.Text)
    updated_at = db.Column(db.DateTime, nullable=False, default=clock.now)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    list = db.relationship("AttendanceList", back_populates="entries")
    student = db.relationship("User", foreign_keys=[student_id])


def can_manage_group(group, user):
    """The group's lecturers and administrative staff create and fill its lists."""
    return user is not None and getattr(user, "is_authenticated", True) and (
        bool(user.is_admin) or group.is_lecturer(user))
