"""Consultation meetings: meetings, their dates, participants, substantiations, notes, days off."""
from ..extensions import db
from ..langdict import LangDictType

STATES = ("active", "in_preparation", "closed", "archived")
SUBSTANTIATION_MODES = ("this_faculty_only", "this_faculty_and_parents")
STATUSES = ("accepted", "waiting", "rejected", "token_created")

meeting_groups = db.Table(
    "meeting_groups",
    db.Column("meeting_id", db.Integer, db.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    db.Column("group_id", db.Integer, db.ForeignKey("class_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Substantiation(db.Model):
    """A reason to choose from: why a person asks for a meeting, or why the lecturer refuses."""
    __tablename__ = "meeting_substantiations"

    id = db.Column(db.Integer, primary_key=True)
    type = db.Column(db.String(16), nullable=False, default="meeting")  # meeting | rejection
    name = db.Column(LangDictType, nullable=False)
    message = db.Column(LangDictType)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False, index=True)
    faculty = db.relationship("Faculty")


class Meeting(db.Model):
    __tablename__ = "meetings"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    comment = db.Column(LangDictType)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    term_id = db.Column(db.String(20), db.ForeignKey("terms.id"))
    lecturer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    open = db.Column(db.Boolean, nullable=False, default=True)
    state = db.Column(db.String(16), nullable=False, default="active")
    substantiation_mode = db.Column(db.String(32), nullable=False, default="this_faculty_and_parents")
    auto_accept = db.Column(db.Boolean, nullable=False, default=True)

    faculty = db.relationship("Faculty")
    term = db.relationship("Term")
    lecturer = db.relationship("User")
    groups = db.relationship("ClassGroup", secondary=meeting_groups, order_by="ClassGroup.id")
    dates = db.relationship("MeetingDate", back_populates="meeting", order_by="MeetingDate.start_time",
                            cascade="all, delete-orphan")

    def can_manage(self, user):
        """The meeting's lecturer and administrators run it."""
        return user is not None and (user.id == self.lecturer_id or user.is_admin)

    def can_attend(self, user):
        """Open meetings are for everyone; the others for the members of their groups."""
        if user is None:
            return False
        return self.open or any(g.has_participant(user) for g in self.groups)

    def can_view(self, user):
        if self.can_manage(user):
            return True
        if user is None or self.state == "in_preparation":
            return False
        return user.is_staff or self.can_attend(user)

    def allowed_faculties(self):
        if self.substantiation_mode == "this_faculty_only":
            return [self.faculty]
        return self.faculty.with_parents()

    def substantiation_allowed(self, substantiation, kind="meeting"):
        return (substantiation is not None and substantiation.type == kind
                and substantiation.faculty_id in {f.id for f in self.allowed_faculties()})


class MeetingDate(db.Model):
    __tablename__ = "meeting_dates"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True)
    start_time = db.Column(db.DateTime, nullable=False, index=True)
    end_time = db.Column(db.DateTime, nullable=False)
    registration_start_time = db.Column(db.DateTime, nullable=False)
    registration_end_time = db.Column(db.DateTime, nullable=False)
    seats_limit = db.Column(db.Integer, nullable=False, default=1)
    reserve_seats_limit = db.Column(db.Integer, nullable=False, default=0)
    room_id = db.Column(db.Integer, db.ForeignKey("rooms.id"))
    comment = db.Column(LangDictType)
    # A cancelled date stays, with its bookings (rejected, marked cancelled) and the reason, so
    # that the people booked see what happened in their lists.
    cancelled_at = db.Column(db.DateTime)
    cancel_reason = db.Column(db.Text)

    meeting = db.relationship("Meeting", back_populates="dates")
    room = db.relationship("Room")
    participants = db.relationship("Participant", back_populates="meeting_date", cascade="all, delete-orphan",
                                   order_by="(Participant.queue_number, Participant.id)")

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def registration_open(self, now):
        return self.registration_start_time <= now <= self.registration_end_time

    def main_list(self):
        return [p for p in self.participants if p.status != "rejected" and not p.is_reserve]

    def reserve_list(self):
        return [p for p in self.participants if p.status != "rejected" and p.is_reserve]

    def entry_of(self, user):
        if user is None:
            return None
        return next((p for p in self.participants if p.user_id == user.id), None)


class Participant(db.Model):
    """One person on a meeting date: a user, or someone from outside (name and e-mail).

    The queue is every participant who is not rejected, in sign-up order, numbered 1..n
    without gaps; the main list holds at most `seats_limit` of them, the rest are on the
    reserve list (at most `reserve_seats_limit`).
    """
    __tablename__ = "meeting_participants"
    __table_args__ = (
        db.UniqueConstraint("meeting_date_id", "user_id"),
        db.UniqueConstraint("meeting_date_id", "external_email"),
    )

    id = db.Column(db.Integer, primary_key=True)
    meeting_date_id = db.Column(db.Integer, db.ForeignKey("meeting_dates.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    external_first_name = db.Column(db.String(100))
    external_last_name = db.Column(db.String(100))
    external_email = db.Column(db.String(200))  # stored lower-case: one sign-up per address
    external_contact = db.Column(db.String(500))
    status = db.Column(db.String(16), nullable=False, default="waiting")
    is_reserve = db.Column(db.Boolean, nullable=False, default=False)
    queue_number = db.Column(db.Integer)
    substantiation_id = db.Column(db.Integer, db.ForeignKey("meeting_substantiations.id"))
    substantiation_message = db.Column(db.Text)
    rejection_substantiation_id = db.Column(db.Integer, db.ForeignKey("meeting_substantiations.id"))
    rejection_substantiation_message = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False)
    # Set when the lecturer cancelled the date: the entry is then rejected (the API's closest
    # status), with the date's cancel_reason as the reason.
    cancelled_at = db.Column(db.DateTime)

    meeting_date = db.relationship("MeetingDate", back_populates="participants")
    user = db.relationship("User")
    substantiation = db.relationship("Substantiation", foreign_keys=[substantiation_id])
    rejection_substantiation = db.relationship("Substantiation", foreign_keys=[rejection_substantiation_id])

    @property
    def is_external(self):
        return self.user_id is None

    @property
    def display_name(self):
        if self.user is not None:
            return self.user.full_name
        return f"{self.external_first_name} {self.external_last_name}"

    def reserve_position(self):
        """1-based place on the reserve list, or None."""
        if not self.is_reserve or self.status == "rejected":
            return None
        reserves = self.meeting_date.reserve_list()
        return next((i for i, p in enumerate(reserves, 1) if p.id == self.id), None)


class MeetingNote(db.Model):
    """What a staff member writes about a person, per faculty and term: a private note (only
    its author sees it) and a public one (other staff and the person see it)."""
    __tablename__ = "meeting_notes"
    __table_args__ = (db.UniqueConstraint("author_id", "faculty_id", "term_id", "user_id"),)

    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    term_id = db.Column(db.String(20), db.ForeignKey("terms.id"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    private_note = db.Column(db.Text)
    public_note = db.Column(db.Text)
    creation_date = db.Column(db.DateTime, nullable=False)

    author = db.relationship("User", foreign_keys=[author_id])
    user = db.relationship("User", foreign_keys=[user_id])
    faculty = db.relationship("Faculty")
    term = db.relationship("Term")


class DayOff(db.Model):
    """A holiday or break of the academic calendar: of one faculty (and its children), or of
    the whole university when `faculty_id` is empty."""
    __tablename__ = "meeting_days_off"

    id = db.Column(db.Integer, primary_key=True)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), index=True)
    start_date = db.Column(db.Date, nullable=False)
    end_date = db.Column(db.Date, nullable=False)
    name = db.Column(LangDictType, nullable=False)
    faculty = db.relationship("Faculty")

    @staticmethod
    def can_edit(user):
        """Only administrators: a day off moves the dates every lecturer's date rules produce."""
        return user is not None and user.is_authenticated and user.is_admin
