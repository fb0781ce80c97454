"""services/courses: courses, their editions and units, class types, a person's courses and ECTS."""
from sqlalchemy.orm import joinedload, selectinload

from ..api.reference import get_edition, get_unit, load, load_many
from ..api.registry import F, P, attr, id_attr, method, module, ref, resource
from ..extensions import db
from ..grades import queries as grades
from ..university import queries
from ..university.models import ClassGroup, ClassType, Course, CourseEdition, CourseUnit
from .common import Answer, conducted_course_ids, memo
from .users import trusted

module("services/courses", "Courses", "Courses, their editions and units.")
M = "services/courses/"


def _text(name, what):
    return attr(name, description=f"A LangDict: {what}, or null.")


COURSE = resource(M + "course", {
    "id": attr("id", description="ID of the course."),
    "name": attr("name", description="A LangDict with its name."),
    "homepage_url": attr("homepage_url", description="The course's homepage, or null."),
    "profile_url": F(lambda c, call: None, description="A page about the course: Indeks has none (null)."),
    "is_currently_conducted": F(lambda c, call: c.id in conducted_course_ids(call),
                                description="Whether the course has an edition in an active term."),
    "terms": ref(lambda c, call: [e.term for e in c.editions], "services/terms/term", primary=False,
                 description="The terms the course has editions in.",
                 load=lambda: selectinload(Course.editions).joinedload(CourseEdition.term)),
    "fac_id": attr("fac_id", description="ID of the faculty running the course."),
    "lang_id": attr("lang_id", description="Language of the course."),
    "ects_credits_simplified": F(lambda c, call: float(c.ects_credits) if c.ects_credits is not None else None,
                                 description="The course's usual ECTS credits (a number), or null."),
    "description": _text("description", "the course's description"),
    "bibliography": _text("bibliography", "its bibliography"),
    "learning_outcomes": _text("learning_outcomes", "its learning outcomes"),
    "assessment_criteria": _text("assessment_criteria", "how it is assessed"),
    "practical_placement": _text("practical_placement", "its practical placement"),
    "attributes": F(lambda c, call: [], description="Course attributes: Indeks keeps none (an empty list)."),
})
PUBLIC = dict(consumer="ignored", token="ignored")


@method(M + "course", resource=COURSE, default_fields="id|name", **PUBLIC, errors=("object_not_found",),
        params=[P("course_id", required=True, type="id", description="ID of the course.")], brief="A course.")
def course_method(call):
    return load(Course, call.params["course_id"], "course_id", call.method.path, "Course", integer=False)


@method(M + "courses", resource=COURSE, result="dict", default_fields="id|name", **PUBLIC,
        params=[P("course_ids", required=True, type="ids", description="Pipe-separated IDs of courses.")],
        brief="Get information on multiple courses.",
        returns="A dictionary: each given ID maps to the course, or null when there is none.")
def courses_method(call):
    return load_many(Course, call.params["course_ids"], integer=False, options=call.load_options())


def _lecturers(e):
    return sorted({u.id: u for un in e.units for g in un.groups for u in g.lecturers}.values(), key=lambda u: u.id)


def _participants(e, call):
    if not (trusted(call) or e.shows_participants_to(call.user)):
        return []
    people = {u.id: u for un in e.units for g in un.groups for u in g.participants}
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.id))


def _my_groups(e, call):
    if call.user is None:
        return []
    mine = memo(call, "my_groups",
                lambda: queries.groups_of(call.user.id, options=[selectinload(ClassGroup.lecturers)]))
    return [g for g in mine if g.unit.edition_id == e.id]


def per_edition(call, key, compute, edition):
    """What `compute(user id, edition ids)` says of `edition`, for the call's user: worked out at
    once for every edition the call projects (see `projecting`), then read per edition."""
    cache = memo(call, key, dict)
    if edition.id not in cache:
        ids = (memo(call, "edition_ids", set) | {edition.id}) - cache.keys()
        found = compute(call.user.id, ids)
        cache.update({i: found.get(i) for i in ids})
    return cache[edition.id]


def projecting(call, editions):
    """Tell the per-edition fields which editions this call answers with (one query for all)."""
    memo(call, "edition_ids", set).update(e.id for e in editions)
    return editions


def _my_grades(e, call):
    if call.user is None or not call.has_scope("grades"):
        return None
    return per_edition(call, "grades", grades.grades_by_edition, e) or []


def _passing(e, call):
    return None if call.user is None else per_edition(call, "passing", grades.passing_statuses, e)


def units():
    return selectinload(CourseEdition.units)


EDITION_FIELDS = {
    "course_id": attr("course_id", description="ID of the course."),
    "course_name": F(lambda e, call: e.course.name, description="A LangDict with the course's name.",
                     load=lambda: joinedload(CourseEdition.course)),
    "term_id": attr("term_id", description="ID of the term."),
    "homepage_url": attr("homepage_url", description="The edition's homepage, or null."),
    "profile_url": F(lambda e, call: None, description="A page about the edition: Indeks has none (null)."),
    "coordinators": ref(lambda e, call: list(e.coordinators), "services/users/user",
                        description="Coordinators of the edition.",
                        load=lambda: selectinload(CourseEdition.coordinators)),
    "lecturers": ref(lambda e, call: _lecturers(e), "services/users/user",
                     description="Everyone who teaches a group of the edition.",
                     load=lambda: units().selectinload(CourseUnit.groups).selectinload(ClassGroup.lecturers)),
    "participants": ref(_participants, "services/users/user", primary=False,
                        description="Students of the edition: shown to staff and the edition's own students, "
                                    "otherwise an empty list.",
                        load=lambda: units().selectinload(CourseUnit.groups).selectinload(ClassGroup.participants)),
    "passing_status": F(_passing, description="passed, failed or not_yet_passed for the user of the access token "
                                              "(from the final grades of the edition's reports), or null without a "
                                              "token."),
    "user_groups": ref(_my_groups, "services/groups/group",
                       description="The groups of this edition the user of the access token teaches or attends."),
    "grades": ref(_my_grades, "services/grades/grade", primary=False, only_primary=True,
                  description="The grades of the user of the access token in this edition; null without the "
                              "grades scope."),
    "description": _text("description", "the edition's description"),
    "bibliography": _text("bibliography", "its bibliography"),
    "notes": _text("notes", "notes about the edition"),
    "course_units_ids": F(lambda e, call: [str(u.id) for u in e.units], description="IDs of its course units.",
                          load=units),
    "attributes": F(lambda e, call: [], description="Attributes: Indeks keeps none (an empty list)."),
}
EDITION = resource(M + "course_edition", EDITION_FIELDS)
EDITION_PARAMS = [P("course_id", required=True, type="id", description="ID of the course."),
                  P("term_id", required=True, type="id", description="ID of the term.")]


def asked_edition(call):
    return projecting(call, [get_edition(call.params["course_id"], call.params["term_id"], call.method.path)])[0]


@method(M + "course_edition", resource=EDITION, default_fields="course_id|course_name|term_id",
        params=EDITION_PARAMS, consumer="required", token="optional", errors=("object_not_found",),
        brief="A course edition.")
def edition_method(call):
    return asked_edition(call)


EDITION2 = resource(M + "course_edition2", {
    "course": ref(lambda e, call: e.course, M + "course", description="The course.",
                  load=lambda: joinedload(CourseEdition.course)),
    "term": ref(lambda e, call: e.term, "services/terms/term", description="The term.",
                load=lambda: joinedload(CourseEdition.term)),
    "course_units": ref(lambda e, call: list(e.units), M + "unit", description="Its course units.",
                        load=units),
    **{k: v for k, v in EDITION_FIELDS.items() if k not in ("course_id", "course_name", "term_id")},
})


@method(M + "course_edition2", resource=EDITION2, default_fields="course[id|name]|term[id|name]",
        params=EDITION_PARAMS, consumer="required", token="optional", errors=("object_not_found",),
        brief="Get information on a given course edition.")
def edition2_method(call):
    return asked_edition(call)


UNIT_FIELDS = {
    "id": id_attr(description="ID of the course unit."),
    "course_id": F(lambda u, call: u.edition.course_id, description="ID of the course."),
    "course_name": F(lambda u, call: u.edition.course.name, description="A LangDict with the course's name."),
    "term_id": F(lambda u, call: u.edition.term_id, description="ID of the term."),
    "classtype_id": attr("classtype_id", description="ID of the class type."),
    "homepage_url": F(lambda u, call: None, description="The unit's homepage: Indeks keeps none (null)."),
    "profile_url": F(lambda u, call: None, description="A page about the unit: Indeks has none (null)."),
    "topics": _text("topics", "the unit's topics"),
    "learning_outcomes": _text("learning_outcomes", "its learning outcomes"),
    "assessment_criteria": _text("assessment_criteria", "how it is assessed"),
    "teaching_methods": _text("teaching_methods", "its teaching methods"),
    "bibliography": _text("bibliography", "its bibliography"),
    "course_edition": ref(lambda u, call: u.edition, M + "course_edition", primary=False,
                          description="The course edition."),
    "class_groups": ref(lambda u, call: list(u.groups), "services/groups/class_group", primary=False,
                        description="Its class groups.", load=lambda: selectinload(CourseUnit.groups)),
}
UNIT = resource(M + "unit", UNIT_FIELDS)
COURSE_UNIT = resource(M + "course_unit", dict(UNIT_FIELDS))
UNIT_DEFAULT = "id|course_id|term_id|classtype_id"


@method(M + "course_unit", resource=COURSE_UNIT, default_fields=UNIT_DEFAULT,
        params=[P("course_unit_id", required=True, type="id", description="ID of the course unit.")],
        consumer="required", token="optional", errors=("object_not_found",), brief="A course unit.")
def course_unit_method(call):
    return get_unit(call.params["course_unit_id"], method_name=call.method.path)


@method(M + "unit", resource=UNIT, default_fields=UNIT_DEFAULT,
        params=[P("unit_id", required=True, type="id", description="ID of the course unit.")],
        consumer="required", token="optional", errors=("object_not_found",), brief="A course unit.")
def unit_method(call):
    return get_unit(call.params["unit_id"], "unit_id", call.method.path)


@method(M + "classtypes_index", result="raw", **PUBLIC, brief="Get the list of all class types.",
        returns="A dictionary: class type ID -> {id, name (a LangDict)}.")
def classtypes_index(call):
    return {t.id: {"id": t.id, "name": t.name} for t in db.session.scalars(db.select(ClassType).order_by(ClassType.id))}


COURSES_OF_USER = resource(M + "user", {
    "course_editions": ref(lambda r, call: r.course_editions, M + "course_edition",
                           description="Term ID -> the editions of that term the user attends a group of."),
    "terms": ref(lambda r, call: r.terms, "services/terms/term", description="Those terms, by order."),
})


@method(M + "user", resource=COURSES_OF_USER, default_fields="course_editions|terms", consumer="required",
        token="required", scopes=("studies",),
        params=[P("active_terms_only", type="bool", default="false", description="Only editions of active terms.")],
        brief="Get information on user's courses.",
        returns="A dictionary: course_editions (term ID -> editions) and terms.")
def user_courses(call):
    editions = queries.attended_editions(call.user.id, options=EDITION.load_options(call.fields.get("course_editions")))
    if call.params["active_terms_only"]:
        editions = [e for e in editions if e.term.is_active]
    projecting(call, editions)
    by_term, terms = {}, {}
    for edition in editions:
        by_term.setdefault(edition.term_id, []).append(edition)
        terms[edition.term_id] = edition.term
    return Answer(course_editions=by_term, terms=list(terms.values()))


def ects_text(value):
    """ECTS credits on the wire: a decimal string without needless zeros ("5", "4.5"), or null."""
    return None if value is None else f"{value.normalize():f}"


@method(M + "user_ects_points", result="raw", consumer="required", token="required", scopes=("studies",),
        brief="Get ECTS credits of the user's courses.",
        returns="A dictionary: term ID -> {course ID -> the edition's ECTS credits as a decimal string, or null}.")
def user_ects_points(call):
    return {term: {course: ects_text(points) for course, points in courses.items()}
            for term, courses in queries.ects_points(call.user.id).items()}

