"""services/groups: class groups, and the groups a person teaches or attends."""
from sqlalchemy.orm import selectinload

from ..api.errors import object_forbidden, param_invalid
from ..ids import int_id
from ..api.reference import get_group, get_user
from ..api.registry import F, P, attr, id_attr, method, module, ref, resource
from ..extensions import db
from ..langdict import pick
from ..university import queries
from ..university.models import ClassGroup
from .common import LANG, conducted_course_ids, project_default
from .users import USER_ID, trusted

module("services/groups", "Groups", "Class groups: who teaches and who attends them.")
M = "services/groups/"


def _participants(g, call):
    return list(g.participants) if trusted(call) or g.shows_participants_to(call.user) else []


PARTICIPANTS_TEXT = "Students of the group: shown to staff and the group's members, otherwise an empty list."
LECTURERS = ref(lambda g, call: list(g.lecturers), "services/users/user", description="Lecturers of the group.",
                load=lambda: selectinload(ClassGroup.lecturers))
PARTICIPANTS = ref(_participants, "services/users/user", description=PARTICIPANTS_TEXT,
                   load=lambda: selectinload(ClassGroup.participants))

CLASS_GROUP = resource(M + "class_group", {
    "course_unit_id": id_attr("unit_id", description="ID of the course unit."),
    "number": attr("number", description="Number of the group within its unit."),
    "course_unit": ref(lambda g, call: g.unit, "services/courses/course_unit", description="The course unit."),
    "lecturers": LECTURERS,
    "participants": PARTICIPANTS,
})


def _course(name, description):
    return F(lambda g, call: getattr(g.unit.edition.course, name), description=description)


GROUP = resource(M + "group", {
    "course_unit_id": id_attr("unit_id", description="ID of the course unit."),
    "group_number": attr("number", description="Number of the group within its unit."),
    "class_type": F(lambda g, call: g.unit.classtype.name, description="A LangDict: the class type, e.g. Lecture."),
    "class_type_id": F(lambda g, call: g.unit.classtype_id, description="ID of the class type."),
    "group_url": F(lambda g, call: None, description="A page about the group: Indeks has none (null)."),
    "course_id": F(lambda g, call: g.unit.edition.course_id, description="ID of the course."),
    "course_name": _course("name", "A LangDict with the course's name."),
    "course_homepage_url": _course("homepage_url", "The course's homepage, or null."),
    "course_profile_url": F(lambda g, call: None, description="A page about the course: Indeks has none (null)."),
    "course_is_currently_conducted": F(lambda g, call: g.unit.edition.course_id in conducted_course_ids(call),
                                       description="Whether the course has an edition in an active term."),
    "course_fac_id": _course("fac_id", "ID of the faculty running the course."),
    "course_lang_id": _course("lang_id", "Language of the course."),
    "term_id": F(lambda g, call: g.unit.edition.term_id, description="ID of the term."),
    "lecturers": LECTURERS,
    "participants": PARTICIPANTS,
    "course_description": _course("description", "A LangDict with the course's description, or null."),
    "course_bibliography": _course("bibliography", "A LangDict with the course's bibliography, or null."),
    "course_learning_outcomes": _course("learning_outcomes", "A LangDict with its learning outcomes, or null."),
    "course_assessment_criteria": _course("assessment_criteria", "A LangDict: how it is assessed, or null."),
    "course_practical_placement": _course("practical_placement", "A LangDict: its placement, or null."),
})
DEFAULT = "course_unit_id|group_number|class_type|course_id|course_name|term_id"
GROUP_PARAMS = [P("course_unit_id", required=True, type="id", description="ID of the course unit."),
                P("group_number", required=True, type="int", description="Number of the group.")]


@method(M + "class_group", resource=CLASS_GROUP, default_fields="course_unit_id|number", params=GROUP_PARAMS,
        consumer="required", token="optional", errors=("object_not_found",), brief="A class group.")
def class_group_method(call):
    return get_group(call.params["course_unit_id"], call.params["group_number"], call.method.path)


@method(M + "group", resource=GROUP, default_fields=DEFAULT, params=GROUP_PARAMS, consumer="required",
        token="optional", errors=("object_not_found",), brief="A class group with its course.")
def group_method(call):
    return get_group(call.params["course_unit_id"], call.params["group_number"], call.method.path)


def parse_group_ids(raw):
    """"unit,number" pairs -> {the text: (unit id, number)}; param_invalid for any other form."""
    pairs = {}
    for item in raw:
        unit, _, number = item.partition(",")
        if int_id(unit) is None or int_id(number) is None:
            raise param_invalid("group_ids", "each group is course_unit_id,group_number")
        pairs[item] = (int_id(unit), int_id(number))
    if len(pairs) > 500:
        raise param_invalid("group_ids", "at most 500 groups")
    return pairs


@method(M + "groups", resource=GROUP, result="dict", default_fields=DEFAULT, consumer="required", token="optional",
        params=[P("group_ids", required=True, type="list",
                  description="Pipe-separated groups, each course_unit_id,group_number (e.g. 12,1|12,2).")],
        errors=("param_invalid",), brief="Get information on multiple class groups.",
        returns="A dictionary: each given course_unit_id,group_number maps to the group, or null.")
def groups_method(call):
    pairs = parse_group_ids(call.params["group_ids"])
    found = {}
    if pairs:
        query = db.select(ClassGroup).where(db.or_(*(db.and_(ClassGroup.unit_id == u, ClassGroup.number == n)
                                                     for u, n in pairs.values())))
        found = {(g.unit_id, g.number): g for g in db.session.scalars(
            query.options(*queries.group_loads(), *call.load_options())).unique()}
    return {key: found.get(pair) for key, pair in pairs.items()}


def person(call, private):
    """Whose groups: `user_id`, or the token's user; someone else's attended groups only for staff."""
    if call.params["user_id"] is None:
        if call.user is None:
            from ..api.errors import param_missing
            raise param_missing("user_id")
        return call.user
    user = get_user(call.params["user_id"], method_name=call.method.path)
    if private and user.id != getattr(call.user, "id", None) and not (
            trusted(call) or (call.user is not None and call.user.is_staff)):
        raise object_forbidden("not_your_groups", "The groups a person attends are visible to them and to staff.")
    return user


def by_term(call, roles, private):
    user = person(call, private)
    lang = call.params["lang"]
    found = queries.groups_of(user.id, roles, active_only=call.params["active_terms"], options=call.load_options())
    found.sort(key=lambda g: (g.unit.edition.term.order_key, pick(g.unit.edition.course.name, lang).lower(),
                              g.unit.classtype_id, g.number))
    grouped, terms = {}, {}
    for group in found:
        grouped.setdefault(group.unit.edition.term_id, []).append(group)
        terms[group.unit.edition.term_id] = group.unit.edition.term
    return {"groups": {t: call.project(gs) for t, gs in grouped.items()},
            "terms": project_default(call, "services/terms/term", list(terms.values()))}


BY_TERM = [USER_ID, P("active_terms", type="bool", default="false", description="Only groups of active terms."),
           LANG]
RETURNS = ("A dictionary: groups (term ID -> the groups of that term, with the fields you select, by course "
           "name in lang) and terms (those terms).")


@method(M + "user", resource=GROUP, result="raw", default_fields=DEFAULT, params=BY_TERM, consumer="required",
        token="required", scopes=("studies",), errors=("object_not_found", "object_forbidden"), returns=RETURNS,
        brief="Get groups the user teaches or attends.")
def user_groups(call):
    return by_term(call, ("lecturer", "participant"), private=True)


@method(M + "participant", resource=GROUP, result="raw", default_fields=DEFAULT, params=BY_TERM,
        consumer="required", token="required", scopes=("studies",), returns=RETURNS,
        errors=("object_not_found", "object_forbidden"), brief="Get groups the user attends.")
def participant_groups(call):
    return by_term(call, ("participant",), private=True)


@method(M + "lecturer", resource=GROUP, result="raw", default_fields=DEFAULT, params=BY_TERM, consumer="required",
        token="optional", errors=("object_not_found", "param_missing"), returns=RETURNS,
        brief="Get groups the user teaches.")
def lecturer_groups(call):
    return by_term(call, ("lecturer",), private=False)
