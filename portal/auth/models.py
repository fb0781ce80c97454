"""People who sign in, with their roles."""
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    login = db.Column(db.String(64), unique=True, nullable=False)
    # The institution's own person id (imports, sync, SSO); none for people made in Indeks itself.
    external_id = db.Column(db.String(64), unique=True)
    password_hash = db.Column(db.String(256), nullable=False, default="!")
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    email = db.Column(db.String(200))
    student_number = db.Column(db.String(32), unique=True)
    titles_before = db.Column(db.String(100))
    titles_after = db.Column(db.String(100))
    # Roles; one person may hold several (a doctoral student who also teaches).
    is_student = db.Column(db.Boolean, nullable=False, default=False)
    is_lecturer = db.Column(db.Boolean, nullable=False, default=False)
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    # Faculty the person belongs to (students: their programme's; staff: their unit's).
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"))
    faculty = db.relationship("Faculty")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return self.password_hash != "!" and check_password_hash(self.password_hash, password)

    @property
    def is_staff(self):
        """University employees: lecturers and administrative staff."""
        return bool(self.is_lecturer or self.is_admin)

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
