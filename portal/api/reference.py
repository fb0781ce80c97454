"""Objects the five modules refer to: users, terms, courses, editions, units, faculties, rooms, groups."""
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..university.models import (ClassGroup, Course, CourseEdition, CourseUnit, Faculty, Room, Term)
from .errors import object_not_found
from .params import int_id
from .registry import F, P, attr, date_attr, id_attr, method, module, ref, resource

module("services/users", "Users", "Information on users.")
module("services/terms", "Terms", "Academic terms.")
module("services/courses", "Courses", "Courses, their editions and units.")
module("services/fac", "Faculties", "Faculties and other organizational units.")
module("services/geo", "Geography", "Buildings and rooms.")
module("services/groups", "Groups", "Class groups.")


def _may_see_email(u, call):
    if call.user is None:
        return False
    if call.user.id == u.id:
        return call.has_scope("email")
    return call.user.is_staff and call.has_scope("other_emails")


def _titles(u, call):
    return {"before": u.titles_before, "after": u.titles_after}


USER = resource("services/users/user", {
    "id": id_attr(),
    "first_name": attr("first_name"),
    "last_name": attr("last_name"),
    "email": F(lambda u, call: u.email if _may_see_email(u, call) else None,
               description="E-mail address: your own with the email scope; staff see others' with other_emails."),
    "student_number": F(lambda u, call: u.student_number if call.user is not None and (call.user.id == u.id or call.user.is_staff) else None),
    "titles": F(_titles),
})


def load(model, key, param, method_name, what, integer=True):
    """The row `key` names (an integer id from text, or a string key), or object_not_found."""
    key = int_id(key) if integer else key
    row = db.session.get(model, key) if key is not None else None
    if row is None:
        raise object_not_found(param, method_name, f"{what} not found.")
    return row


def get_user(user_id, param="user_id", method_name="services/users/user"):
    return load(User, user_id, param, method_name, "User")


@method("services/users/user", resource=USER, default_fields="id|first_name|last_name",
        params=[P("user_id", type="id")], consumer="required", token="optional",
        brief="Information on a user.")
def user_method(call):
    if call.params["user_id"] is None:
        if call.user is None:
            from .errors import param_missing
            raise param_missing("user_id")
        return call.user
    return get_user(call.params["user_id"])


@method("services/users/users", resource=USER, result="dict", default_fields="id|first_name|last_name",
        params=[P("user_ids", required=True, type="ids")], consumer="required", token="optional",
        brief="Information on many users.")
def users_method(call):
    ids = [int_id(i) for i in call.params["user_ids"] if int_id(i) is not None]
    found = {str(u.id): u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))} if ids else {}
    return {i: found.get(i) for i in call.params["user_ids"]}


TERM = resource("services/terms/term", {
    "id": attr("id"),
    "name": attr("name"),
    "start_date": date_attr("start_date"),
    "end_date": date_attr("end_date"),
    "finish_date": date_attr("finish_date"),
    "order_key": attr("order_key"),
    "is_active": attr("is_active"),
})
TERM_DEFAULT = "id|name|start_date|end_date|finish_date|order_key|is_active"


def get_term(term_id, param="term_id", method_name="services/terms/term"):
    return load(Term, term_id, param, method_name, "Term", integer=False)


@method("services/terms/term", resource=TERM, default_fields=TERM_DEFAULT,
        params=[P("term_id", required=True, type="id")], consumer="ignored", token="ignored",
        brief="A single term.")
def term_method(call):
    return get_term(call.params["term_id"])


@method("services/terms/terms_index", resource=TERM, result="list", default_fields=TERM_DEFAULT,
        consumer="ignored", token="ignored", brief="All terms.")
def terms_index(call):
    return list(db.session.scalars(db.select(Term).order_by(Term.order_key)))


FACULTY = resource("services/fac/faculty", {
    "id": attr("id"),
    "name": attr("name"),
    "parent_id": attr("parent_id"),
})


@method("services/fac/faculty", resource=FACULTY, default_fields="id|name",
        params=[P("fac_id", required=True, type="id")], consumer="ignored", token="ignored",
        brief="A faculty.")
def faculty_method(call):
    return load(Faculty, call.params["fac_id"], "fac_id", call.method.path, "Faculty", integer=False)


COURSE = resource("services/courses/course", {
    "id": attr("id"),
    "name": attr("name"),
    "fac_id": attr("fac_id"),
    "lang_id": attr("lang_id"),
    "ects_credits_simplified": F(lambda c, call: float(c.ects_credits) if c.ects_credits is not None else None),
    "is_currently_conducted": F(lambda c, call: db.session.scalar(
        db.select(db.func.count(CourseEdition.id)).join(Term).where(
            CourseEdition.course_id == c.id, Term.is_active)) > 0),
})


@method("services/courses/course", resource=COURSE, default_fields="id|name",
        params=[P("course_id", required=True, type="id")], consumer="ignored", token="ignored",
        brief="A course.")
def course_method(call):
    return load(Course, call.params["course_id"], "course_id", call.method.path, "Course", integer=False)


EDITION = resource("services/courses/course_edition", {
    "course_id": attr("course_id"),
    "course_name": F(lambda e, call: e.course.name),
    "term_id": attr("term_id"),
    "coordinators": ref(lambda e, call: list(e.coordinators), "services/users/user"),
    "lecturers": ref(lambda e, call: sorted({u.id: u for un in e.units for g in un.groups for u in g.lecturers}.values(),
                                            key=lambda u: u.id), "services/users/user"),
    "course_units_ids": F(lambda e, call: [str(u.id) for u in e.units]),
})


def get_edition(course_id, term_id, method_name="services/courses/course_edition"):
    edition = db.session.scalar(db.select(CourseEdition).filter_by(course_id=course_id, term_id=term_id))
    if edition is None:
        raise object_not_found("course_id", method_name, "Course edition not found.")
    return edition


@method("services/courses/course_edition", resource=EDITION, default_fields="course_id|course_name|term_id",
        params=[P("course_id", required=True, type="id"), P("term_id", required=True, type="id")],
        consumer="required", token="optional", brief="A course edition.")
def edition_method(call):
    return get_edition(call.params["course_id"], call.params["term_id"])


UNIT = resource("services/courses/unit", {
    "id": id_attr(),
    "course_id": F(lambda u, call: u.edition.course_id),
    "course_name": F(lambda u, call: u.edition.course.name),
    "term_id": F(lambda u, call: u.edition.term_id),
    "classtype_id": attr("classtype_id"),
})
RESOURCE_UNIT_ALIAS = resource("services/courses/course_unit", dict(UNIT.fields))


def get_unit(unit_id, param="course_unit_id", method_name="services/courses/course_unit"):
    return load(CourseUnit, unit_id, param, method_name, "Course unit")


@method("services/courses/course_unit", resource=RESOURCE_UNIT_ALIAS, default_fields="id|course_id|term_id|classtype_id",
        params=[P("course_unit_id", required=True, type="id")], consumer="required", token="optional",
        brief="A course unit.")
def course_unit_method(call):
    return get_unit(call.params["course_unit_id"])


@method("services/courses/unit", resource=UNIT, default_fields="id|course_id|term_id|classtype_id",
        params=[P("unit_id", required=True, type="id")], consumer="required", token="optional",
        brief="A course unit.")
def unit_method(call):
    return get_unit(call.params["unit_id"], "unit_id", call.method.path)


ROOM = resource("services/geo/room", {
    "id": id_attr(),
    "number": attr("number"),
    "building_name": F(lambda r, call: r.building.name),
    "capacity": attr("capacity"),
})


@method("services/geo/room", resource=ROOM, default_fields="id|number|building_name",
        params=[P("room_id", required=True, type="id")], consumer="ignored", token="ignored", brief="A room.")
def room_method(call):
    return load(Room, call.params["room_id"], "room_id", call.method.path, "Room")


def _can_see_participants(g, call):
    user = call.user
    return user is not None and (user.is_staff or g.has_participant(user))


CLASS_GROUP = resource("services/groups/class_group", {
    "course_unit_id": id_attr("unit_id"),
    "number": attr("number"),
    "course_unit": ref(lambda g, call: g.unit, "services/courses/course_unit"),
    "lecturers": ref(lambda g, call: list(g.lecturers), "services/users/user",
                     load=lambda: selectinload(ClassGroup.lecturers)),
    "participants": ref(lambda g, call: list(g.participants) if _can_see_participants(g, call) else [],
                        "services/users/user", load=lambda: selectinload(ClassGroup.participants)),
})

GROUP = resource("services/groups/group", {
    "course_unit_id": id_attr("unit_id"),
    "group_number": attr("number"),
    "class_type": F(lambda g, call: g.unit.classtype.name),
    "class_type_id": F(lambda g, call: g.unit.classtype_id),
    "course_id": F(lambda g, call: g.unit.edition.course_id),
    "course_name": F(lambda g, call: g.unit.edition.course.name),
    "term_id": F(lambda g, call: g.unit.edition.term_id),
    "lecturers": CLASS_GROUP.fields["lecturers"],
    "participants": CLASS_GROUP.fields["participants"],
})


def get_group(unit_id, number, method_name="services/groups/group"):
    group = None
    if int_id(unit_id) is not None and int_id(number) is not None:
        group = db.session.scalar(db.select(ClassGroup).filter_by(unit_id=int_id(unit_id), number=int_id(number)))
    if group is None:
        raise object_not_found("course_unit_id", method_name, "Class group not found.")
    return group


@method("services/groups/class_group", resource=CLASS_GROUP, default_fields="course_unit_id|number",
        params=[P("course_unit_id", required=True, type="id"), P("group_number", required=True, type="int")],
        consumer="required", token="optional", brief="A class group.")
def class_group_method(call):
    return get_group(call.params["course_unit_id"], call.params["group_number"], call.method.path)


@method("services/groups/group", resource=GROUP, default_fields="course_unit_id|group_number|class_type|course_id|course_name|term_id",
        params=[P("course_unit_id", required=True, type="id"), P("group_number", required=True, type="int")],
        consumer="required", token="optional", brief="A class group with its course.")
def group_method(call):
    return get_group(call.params["course_unit_id"], call.params["group_number"], call.method.path)
