"""Exam registration: examination sessions, exams, groups, slots, registrations, fair draws."""
from datetime import timedelta

from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..langdict import LangDictType

SESSION_STATUSES = ("in_preparation", "active_reg_only", "active", "closed", "archived")
# Students see these sessions; "in_preparation" is for staff only, "archived" is history.
VISIBLE_STATUSES = ("active_reg_only", "active", "closed")


class ExaminationSession(db.Model):
    """An examination session of a faculty (e.g. the winter session)."""
    __tablename__ = "exam_sessions"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    description = db.Column(LangDictType)
    status = db.Column(db.String(20), nullable=False, default="in_preparation")
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    faculty = db.relationship("Faculty")
    exams = db.relationship("Exam", back_populates="session", order_by="Exam.id")

    @property
    def allows_registration(self):
        return self.status in ("active", "active_reg_only")

    @property
    def allows_changes(self):
        """Unregistering and switching: "active_reg_only" lets students only register."""
        return self.status == "active"

    def span(self):
        """(first exam's start, last exam's end) over its exam groups, or None without any."""
        groups = [g for e in self.exams for g in e.groups]
        return (min(g.start for g in groups), max(g.end for g in groups)) if groups else None


class Exam(db.Model):
    __tablename__ = "exams"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("exam_sessions.id"), nullable=False, index=True)
    course_id = db.Column(db.String(32), db.ForeignKey("courses.id"), nullable=False)
    term_id = db.Column(db.String(20), db.ForeignKey("terms.id"), nullable=False)
    code = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(LangDictType, nullable=False)
    description = db.Column(LangDictType)
    registration_start = db.Column(db.DateTime)
    registration_end = db.Column(db.DateTime)
    register_until = db.Column(db.DateTime)
    unregister_until = db.Column(db.DateTime)
    exchange_until = db.Column(db.DateTime)
    examiners_visible = db.Column(db.Boolean, nullable=False, default=True)
    has_priorities = db.Column(db.Boolean, nullable=False, default=False)
    preferences_limit = db.Column(db.Integer, nullable=False, default=1)
    micro_round_length = db.Column(db.Integer)  # seconds; None = first come, first served
    micro_break_length = db.Column(db.Integer)  # seconds between micro-rounds
    # The linked exam report (portal.grades); a plain integer to keep the packages apart.
    examrep_id = db.Column(db.Integer, index=True)
    examrep_session_number = db.Column(db.Integer)

    session = db.relationship("ExaminationSession", back_populates="exams")
    course = db.relationship("Course")
    term = db.relationship("Term")
    groups = db.relationship("ExamGroup", back_populates="exam", order_by="ExamGroup.number",
                             cascade="all, delete-orphan")
    conditions = db.relationship("ExamCondition", back_populates="exam",
                                 order_by="ExamCondition.examrep_id", cascade="all, delete-orphan")

    # --- windows ------------------------------------------------------------------------
    def _within(self, now, until):
        if self.registration_start is None or now < self.registration_start:
            return False
        ends = [t for t in (self.registration_end, until) if t is not None]
        return all(now <= t for t in ends)

    def dates_open(self, now):
        """Whether the registration dates include `now`, whatever the session's status allows."""
        return self._within(now, self.register_until)

    def registration_open(self, now):
        return self.session.allows_registration and self.dates_open(now)

    def unregistration_open(self, now):
        return self.session.allows_changes and self._within(now, self.unregister_until)

    def exchange_open(self, now):
        return self.session.allows_changes and self._within(now, self.exchange_until)

    def state(self, now):
        """upcoming, open or closed: what a student sees at a glance."""
        if self.registration_start is None or now < self.registration_start:
            return "upcoming"
        return "open" if self.registration_open(now) else "closed"

    @property
    def uses_micro_rounds(self):
        return bool(self.micro_round_length) and self.registration_start is not None

    def micro_round(self, now):
        """(index, start, end) of the micro-round a request made at `now` belongs to.

        Rounds of `micro_round_length` seconds follow each other from the registration
        start, separated by `micro_break_length` seconds; a request made during a break
        belongs to the next round."""
        length = timedelta(seconds=self.micro_round_length)
        period = length + timedelta(seconds=self.micro_break_length or 0)
        elapsed = max(now - self.registration_start, timedelta(0))
        index = int(elapsed / period)
        if elapsed - index * period >= length:
            index += 1
        start = self.registration_start + index * period
        return index, start, start + length

    def time_boundaries(self, now):
        """Moments no column holds that change what a page shows (portal.pagecache): while
        registration runs in micro-rounds, the start and end of the round a request made
        now belongs to (the next round's start comes after that end)."""
        if not self.uses_micro_rounds or now < self.registration_start:
            return ()
        _index, start, end = self.micro_round(now)
        return start, end

    # --- people -------------------------------------------------------------------------
    def edition(self):
        """The course edition, with its coordinators; remembered for the object's life (a
        request), as pages ask it of every exam they list (see preload_editions)."""
        key = (self.course_id, self.term_id)
        known = self.__dict__.get("_edition")
        if known is not None and known[0] == key:
            return known[1]
        from ..university.models import CourseEdition
        edition = db.session.scalars(db.select(CourseEdition).filter_by(course_id=self.course_id, term_id=self.term_id)
                                     .options(joinedload(CourseEdition.coordinators))).unique().one_or_none()
        if edition is not None:
            self._edition = (key, edition)
        return edition

    def is_coordinator(self, user):
        edition = self.edition()
        return edition is not None and edition.is_coordinator(user)

    def is_examiner(self, user):
        return user is not None and any(g.is_examiner(user) for g in self.groups)

    def can_manage(self, user):
        """Staff who may edit it: administrators and the course's coordinators."""
        return user is not None and (user.is_admin or self.is_coordinator(user))

    def can_see_attendees(self, user):
        return user is not None and (user.is_admin or self.is_coordinator(user) or self.is_examiner(user))


def preload_editions(exams):
    """Fetch the editions (and coordinators) of many exams in two queries, for Exam.edition()."""
    from ..university.models import CourseEdition
    keys = {(e.course_id, e.term_id) for e in exams}
    if not keys:
        return
    found = {(ed.course_id, ed.term_id): ed for ed in db.session.scalars(
        db.select(CourseEdition).where(db.tuple_(CourseEdition.course_id, CourseEdition.term_id).in_(keys))
        .options(selectinload(CourseEdition.coordinators)))}
    for exam in exams:
        key = (exam.course_id, exam.term_id)
        if key in found:
            exam._edition = (key, found[key])


class ExamCondition(db.Model):
    """Admission condition: a passing grade (or `grade_value` or better) in an exam report."""
    __tablename__ = "exam_conditions"

    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True)
    examrep_id = db.Column(db.Integer, primary_key=True)
    grade_value_id = db.Column(db.Integer, db.ForeignKey("grade_values.id"))
    exam = db.relationship("Exam", back_populates="conditions")
    grade_value = db.relationship("GradeValue")


exam_group_examiners = db.Table(
    "exam_group_examiners",
    db.Column("group_id", db.Integer, db.ForeignKey("exam_groups.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class ExamGroup(db.Model):
    __tablename__ = "exam_groups"
    __table_args__ = (db.UniqueConstraint("exam_id", "number"),)

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    start = db.Column(db.DateTime, nullable=False)
    end = db.Column(db.DateTime, nullable=False)
    room_id = db.Column(db.Integer, db.ForeignKey("rooms.id"))
    capacity = db.Column(db.Integer, nullable=False)
    number_of_slots = db.Column(db.Integer, nullable=False, default=1)

    exam = db.relationship("Exam", back_populates="groups")
    room = db.relationship("Room")
    examiners = db.relationship("User", secondary=exam_group_examiners, order_by="User.id")
    slots = db.relationship("ExamSlot", back_populates="group", order_by="ExamSlot.number",
                            cascade="all, delete-orphan")

    def is_examiner(self, user):
        user_id = user.id if user is not None else None  # once: `user` may be a proxy
        return user_id is not None and any(u.id == user_id for u in self.examiners)

    def attendees_refusal(self, user):
        """None when `user` may see who is registered in this group, else why not:
        "coordinator_only" (an examiner of another group) or "examiner_only"."""
        if user.is_admin or self.exam.is_coordinator(user) or self.is_examiner(user):
            return None
        return "coordinator_only" if self.exam.is_examiner(user) else "examiner_only"


class ExamSlot(db.Model):
    __tablename__ = "exam_slots"
    __table_args__ = (db.UniqueConstraint("group_id", "number"),
                      db.CheckConstraint("taken >= 0 AND taken <= capacity", name="ck_exam_slot_taken"))

    id = db.Column(db.Integer, primary_key=True)
    group_id = db.Column(db.Integer, db.ForeignKey("exam_groups.id", ondelete="CASCADE"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    start = db.Column(db.DateTime, nullable=False)
    end = db.Column(db.DateTime, nullable=False)
    capacity = db.Column(db.Integer, nullable=False)
    # Seats taken, kept by atomic conditional UPDATEs (see registration.py).
    taken = db.Column(db.Integer, nullable=False, default=0)

    group = db.relationship("ExamGroup", back_populates="slots")
    registrations = db.relationship("ExamRegistration", back_populates="slot", order_by="ExamRegistration.id")

    @property
    def free(self):
        return max(self.capacity - self.taken, 0)


class ExamRegistration(db.Model):
    """A student's seat: at most one per exam (the unique constraint guards it under races)."""
    __tablename__ = "exam_registrations"
    __table_args__ = (db.UniqueConstraint("exam_id", "user_id"),)

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    slot_id = db.Column(db.Integer, db.ForeignKey("exam_slots.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False)
    slot = db.relationship("ExamSlot", back_populates="registrations")
    user = db.relationship("User")
    exam = db.relationship("Exam")


class ExamRequest(db.Model):
    """A student's request in a micro-round: ranked slot preferences, decided by the draw."""
    __tablename__ = "exam_requests"
    __table_args__ = (db.UniqueConstraint("exam_id", "user_id", "round_index"),)

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    round_index = db.Column(db.Integer, nullable=False)
    round_end = db.Column(db.DateTime, nullable=False)
    preferences = db.Column(db.JSON, nullable=False)  # slot ids, best first
    created_at = db.Column(db.DateTime, nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")  # pending, accepted, refused
    slot_id = db.Column(db.Integer, db.ForeignKey("exam_slots.id", ondelete="SET NULL"))
    draw_id = db.Column(db.Integer, db.ForeignKey("exam_draws.id", ondelete="SET NULL"))
    user = db.relationship("User")


class ExamDraw(db.Model):
    """The audit record of one micro-round's draw: the seed, the drawn order, the outcome."""
    __tablename__ = "exam_draws"
    __table_args__ = (db.UniqueConstraint("exam_id", "round_index"),)

    id = db.Column(db.Integer, primary_key=True)
    exam_id = db.Column(db.Integer, db.ForeignKey("exams.id", ondelete="CASCADE"), nullable=False)
    round_index = db.Column(db.Integer, nullable=False)
    round_start = db.Column(db.DateTime, nullable=False)
    round_end = db.Column(db.DateTime, nullable=False)
    drawn_at = db.Column(db.DateTime, nullable=False)
    seed = db.Column(db.String(64), nullable=False)
    order = db.Column(db.JSON, nullable=False)    # user ids in drawn order
    outcome = db.Column(db.JSON, nullable=False)  # {user id: slot id or null}
