"""A person's profile page (what services/users/user calls profile_url)."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..university.models import EmploymentPosition, Position, StudentProgramme
from ..university.programmes import Programme

bp = Blueprint("people", __name__, url_prefix="/people", static_folder="static",
               static_url_path="/static/people")


def load_person(user_id):
    """The person with what the profile shows, in a fixed number of queries; 404 when unknown."""
    person = db.session.scalar(db.select(User).where(User.id == user_id).options(
        selectinload(User.employment_positions).joinedload(EmploymentPosition.position)
        .joinedload(Position.employment_group),
        selectinload(User.employment_positions).joinedload(EmploymentPosition.faculty),
        selectinload(User.employment_functions),
        selectinload(User.student_programmes).joinedload(StudentProgramme.programme).joinedload(Programme.faculty)))
    if person is None:
        abort(404)
    return person


@bp.route("/<int:user_id>")
@login_required
def profile(user_id):
    """A person's profile: staff members' to everyone signed in, anyone else's to them and staff."""
    person = load_person(user_id)
    if not (person.is_staff or person.shows_personal_data_to(current_user)):
        abort(404)  # a student's existence is not disclosed to other students
    return render_template("people/profile.html", person=person,
                           personal=person.shows_personal_data_to(current_user),
                           email=person.shows_email_to(current_user),
                           phones=person.shows_contact_to(current_user))
