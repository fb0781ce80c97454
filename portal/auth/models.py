"""People who sign in, with their roles; their sign-ins (sessions) and the sign-in throttle."""
import secrets
from datetime import datetime, timezone

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..langdict import LangDictType


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    login = db.Column(db.String(64), unique=True, nullable=False)
    # The institution's own person id (imports, sync, SSO); none for people made in Indeks itself.
    external_id = db.Column(db.String(64), unique=True)
    password_hash = db.Column(db.String(256), nullable=False, default="!")
    first_name = db.Column(db.String(100), nullable=False)
    middle_names = db.Column(db.String(100))
    last_name = db.Column(db.String(100), nullable=False)
    sex = db.Column(db.String(1))  # "M", "F", or unknown (None)
    email = db.Column(db.String(200))
    student_number = db.Column(db.String(32), unique=True)
    library_card_id = db.Column(db.String(32), unique=True)
    titles_before = db.Column(db.String(100))
    titles_after = db.Column(db.String(100))
    # Contact details a staff member publishes; None for nobody.
    homepage_url = db.Column(db.String(500))
    phone_numbers = db.Column(db.JSON)  # list of strings
    office_hours = db.Column(LangDictType)
    interests = db.Column(LangDictType)
    # Roles; one person may hold several (a doctoral student who also teaches).
    is_student = db.Column(db.Boolean, nullable=False, default=False)
    is_lecturer = db.Column(db.Boolean, nullable=False, default=False)
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    # Faculty the person belongs to (students: their programme's; staff: their unit's).
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"))
    faculty = db.relationship("Faculty")
    # When the student last looked at their grades: grades changed later are marked "new", on
    # every device and after signing in again.
    grades_seen_at = db.Column(db.DateTime)
    student_programmes = db.relationship("StudentProgramme", back_populates="user",
                                         order_by="(StudentProgramme.is_primary.desc(), StudentProgramme.id)")
    employment_positions = db.relationship("EmploymentPosition", order_by="EmploymentPosition.id",
                                           cascade="all, delete-orphan")
    employment_functions = db.relationship("EmploymentFunction", order_by="EmploymentFunction.id",
                                           cascade="all, delete-orphan")

    # The sign-in (UserSession id) this object was loaded for; Flask-Login's id carries it, in
    # the session cookie and in the remember cookie alike, so ending the sign-in ends both.
    session_id = None

    def get_id(self):
        return f"{self.id}:{self.session_id}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return self.password_hash != "!" and check_password_hash(self.password_hash, password)

    @property
    def is_staff(self):
        """University employees: lecturers and administrative staff."""
        return bool(self.is_lecturer or self.is_admin)

    @property
    def staff_status(self):
        """USOS staff status: 2 an academic teacher, 1 other staff, 0 not staff."""
        return 2 if self.is_lecturer else 1 if self.is_admin else 0

    @property
    def student_status(self):
        """USOS student status: 2 an active student, 1 a former (inactive) one, 0 never a student.
        A student without recorded programmes counts as active."""
        if self.is_student and (not self.student_programmes
                                or any(p.is_active for p in self.student_programmes)):
            return 2
        return 1 if self.student_programmes or self.is_student else 0

    @property
    def phd_student_status(self):
        """Like student_status, counting doctoral programmes only."""
        doctoral = [p for p in self.student_programmes if p.programme.is_doctoral]
        if not doctoral:
            return 0
        return 2 if any(p.is_active for p in doctoral) else 1

    def shows_personal_data_to(self, viewer):
        """Student number, library card and study programmes: the person and university staff."""
        return viewer is not None and (viewer.id == self.id or viewer.is_staff)

    def shows_email_to(self, viewer):
        """The e-mail address: the person and staff (applications also need a scope for it)."""
        return viewer is not None and (viewer.id == self.id or viewer.is_staff)

    def shows_contact_to(self, viewer):
        """Phone numbers: a staff member's are public; anyone else's as personal data."""
        return self.is_staff or self.shows_personal_data_to(viewer)

    @property
    def roles(self):
        return [r for r, on in (("student", self.is_student), ("lecturer", self.is_lecturer),
                                ("admin", self.is_admin)) if on]

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self):
        before = f"{self.titles_before} " if self.titles_before else ""
        after = f", {self.titles_after}" if self.titles_after else ""
        return f"{before}{self.first_name} {self.last_name}{after}"

    def __repr__(self):
        return f"<User {self.login}>"


def utcnow():
    """Sign-in bookkeeping runs on UTC (no DST jumps in lifetimes and lock-outs)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class UserSession(db.Model):
    """One sign-in of one person on one device; deleting the row ends it for good."""
    __tablename__ = "user_sessions"

    id = db.Column(db.String(64), primary_key=True, default=lambda: secrets.token_urlsafe(32))
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen = db.Column(db.DateTime, nullable=False, default=utcnow)
    remember = db.Column(db.Boolean, nullable=False, default=False)
    user_agent = db.Column(db.String(300), nullable=False, default="")
    ip = db.Column(db.String(45), nullable=False, default="")
    # A sign-in through the university: digests naming its single sign-on session (CAS service
    # ticket, OpenID Connect sid) and subject, so that the provider's logout can end it
    # (portal/sso/logout.py); None for the password form.
    sso_session = db.Column(db.String(80), index=True)
    sso_subject = db.Column(db.String(80), index=True)

    def expired(self, now, idle, lifetime):
        return now - self.last_seen > idle or now - self.created > lifetime

    @property
    def through_university(self):
        """Whether it was made through the university's single sign-on (which can end it)."""
        return bool(self.sso_session or self.sso_subject)


class SignInThrottle(db.Model):
    """Failed sign-ins counted per key (account, address, account+address, trusted device);
    see portal/auth/throttle.py."""
    __tablename__ = "sign_in_throttle"

    key = db.Column(db.String(200), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    last_failure = db.Column(db.DateTime, nullable=False)
    locked_until = db.Column(db.DateTime)
