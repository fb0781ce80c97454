"""The demo university's people model, read as the real clients read it (their pydantic models)."""
import pytest
from usos_api.models import CourseEdition, Group, Programme, StudentProgramme, Term, User as UsosUser

from portal.auth.models import User
from portal.extensions import db
from portal.university.models import CourseEdition as Edition, Programme as ProgrammeRow, StudentProgramme as Enrolment

USOS_API_USER = ("id|first_name|last_name|sex|email|student_number|student_programmes|student_status|staff_status|"
                 "has_photo|photo_urls[original]")
STAFF = "has_email|staff_status|employment_positions|homepage_url|profile_url|phone_numbers|office_hours|titles"


@pytest.fixture
def demo(app):
    from portal.demo import seed_demo
    with app.app_context():
        seed_demo()
        return {u.login: u.id for u in db.session.scalars(db.select(User))}


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_people_programmes_ects_and_staff_details(app, api, demo):
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).where(User.sex.is_(None))) == 0
        students = db.session.scalars(db.select(User).where(User.is_student)).all()
        assert all(any(p.is_active for p in s.student_programmes) for s in students)
        assert db.session.scalar(db.select(db.func.count(ProgrammeRow.id))) == 6
        assert db.session.scalar(db.select(db.func.count(Enrolment.id)).where(Enrolment.status != "active")) == 41
        assert db.session.scalar(db.select(db.func.count(Edition.id)).where(Edition.ects_credits.is_(None))) == 0
        lecturers = db.session.scalars(db.select(User).where(User.is_lecturer)).all()
        assert all(u.office_hours and u.phone_numbers and u.employment_positions for u in lecturers)
    for login in ("lecturer1", "lecturer12", "admin"):
        body = ok(api.call("services/users/users", user_ids=str(demo[login]), fields=STAFF))[str(demo[login])]
        user = UsosUser.model_validate(body)
        assert user.employment_positions and user.phone_numbers and user.has_email, login
    body = ok(api.call("services/users/user", user=demo["lecturer11"],
                       fields="student_status|staff_status|phd_student_status|student_programmes[programme[level]]"))
    assert body == {"student_status": 2, "staff_status": 2, "phd_student_status": 2,
                    "student_programmes": [{"programme": {"level": "phd_school"}}]}


def test_student1_as_usos_api_and_usos_mcp_see_them(api, demo):
    me = demo["student1"]
    user = UsosUser.model_validate(ok(api.call("services/users/user", user=me, fields=USOS_API_USER)))
    assert user.student_status.value == 2 and user.student_programmes[0].programme.id == "INF-S1"
    for sp in ok(api.call("services/progs/student", user=me, fields="id|programme|status|admission_date|is_primary")):
        StudentProgramme.model_validate(sp)
    programme = ok(api.call("services/progs/programme", programme_id="INF-S1", fields="id|name|faculty[id|name]|"
                            "mode_of_studies|level_of_studies|duration|professional_status|level"))
    assert Programme.model_validate(programme).faculty["id"] == "WMI"
    courses = ok(api.call("services/courses/user", user=me, fields="course_editions[course_id|course_name|term_id|"
                          "coordinators|lecturers|passing_status|user_groups|grades|attributes]|terms"))
    for editions in courses["course_editions"].values():
        for edition in editions:
            CourseEdition.model_validate(edition)
    for term in courses["terms"]:
        Term.model_validate(term)
    points = ok(api.call("services/courses/user_ects_points", user=me))
    assert {float(p) for term in points.values() for p in term.values()} <= {4.0, 5.0, 6.0, 7.0}
    groups = ok(api.call("services/groups/participant", user=me, fields="course_unit_id|group_number|course_name|"
                         "term_id|class_type|lecturers"))
    for term_groups in groups["groups"].values():
        for group in term_groups:
            Group.model_validate(group)
    week = ok(api.call("services/tt/student", user=me, days=7))
    assert all(set(a) == {"start_time", "end_time", "name"} for a in week)  # empty outside the teaching weeks
    found = ok(api.call("services/users/search2", user=me, query="a", num=20))
    assert len(found["items"]) == 20 and found["next_page"] is True
