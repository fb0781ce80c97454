"""services/users: people, what each caller may see of them, their positions and functions.

Who sees what (the model predicates say it once, for the portal too):
- names, sex, titles, statuses, positions, functions, office hours, homepage: everyone;
- e-mail: your own with the `email` scope; a staff member sees others' with `other_emails`;
- student number, library card, study programmes: the person, staff, administrative consumers;
- phone numbers: a staff member's are public, anyone else's as personal data.
"""
from sqlalchemy.orm import joinedload, selectinload

from ..api.errors import param_missing
from ..api.reference import get_user, load, load_many
from ..api.registry import F, P, attr, id_attr, inline, method, module, ref, resource
from ..auth.models import User
from ..extensions import db
from ..university.models import EmploymentGroup, EmploymentPosition, Position, StudentProgramme
from .common import PAGING, absolute, highlight, matches, page, paging, query_words

module("services/users", "Users", "Information on users: names, titles, contact details, studies and employment.")
M = "services/users/"


def trusted(call):
    return call.consumer is not None and call.consumer.administrative


def personal(u, call):
    return trusted(call) or u.shows_personal_data_to(call.user)


def may_see_email(u, call):
    if call.user is None:
        return trusted(call)
    return u.shows_email_to(call.user) and call.has_scope("email" if call.user.id == u.id else "other_emails")


def _email_access(u, call):
    if not u.email:
        return "no_email"
    return "plaintext" if may_see_email(u, call) else "no_access"


PHOTO_SIZES = ("50x50", "100x100", "150x200", "original")
PHOTO = inline(M + "user", "photo_urls", {
    size: F(lambda u, call, size=size: absolute("static", filename=f"img/nophoto-{size}.png"),
            description=f"URL of the {size} photo.")
    for size in PHOTO_SIZES}, default="50x50")

DESCRIPTIONS = {
    "middle_names": "Middle names, or null.",
    "sex": "'M' or 'F', or null when unknown.",
    "titles": "A dictionary: before (e.g. 'dr hab.') and after (e.g. 'prof. UAM'); either may be null.",
    "student_status": "0 - not a student, 1 - an inactive (former) student, 2 - an active student.",
    "staff_status": "0 - not a staff member, 1 - non-academic staff, 2 - an academic teacher.",
    "phd_student_status": "Like student_status, for doctoral programmes only.",
    "email_access": "no_email, no_access or plaintext: whether you may see the e-mail address.",
    "email": "E-mail address, or null: your own with the email scope; staff see others' with other_emails.",
    "has_email": "Whether the user has an e-mail address (even if you may not see it).",
    "homepage_url": "The user's homepage, or null.",
    "profile_url": "The user's profile page in the portal.",
    "phone_numbers": "Work phone numbers (a list of strings): public for staff members; for others "
                     "visible to the person and staff.",
    "office_hours": "A LangDict with the office hours (consultations), or null.",
    "interests": "A LangDict with the user's interests, or null.",
    "has_photo": "Whether the user has a photo. Indeks keeps no photos: always false.",
    "photo_urls": "URLs of the photo in sizes 50x50, 100x100, 150x200 and original (default 50x50); "
                  "a placeholder image while has_photo is false.",
    "student_number": "Student number, or null: visible to the person, staff and administrative consumers.",
    "library_card_id": "Library card number, or null: visible to the person, staff and administrative consumers.",
    "student_programmes": "Study programmes of the user (visible to the person, staff and administrative "
                          "consumers; otherwise an empty list).",
    "employment_positions": "Positions the user holds, with their faculties.",
    "employment_functions": "Functions the user holds (e.g. dean), with their faculties.",
}


def _d(name):
    return DESCRIPTIONS.get(name, "")


USER_FIELDS = {
    "id": id_attr(description="ID of the user."),
    "first_name": attr("first_name", description="The first name of the user."),
    "middle_names": attr("middle_names", description=_d("middle_names")),
    "last_name": attr("last_name", description="The last name (surname) of the user."),
    "sex": attr("sex", description=_d("sex")),
    "titles": F(lambda u, call: {"before": u.titles_before, "after": u.titles_after}, description=_d("titles")),
    "student_status": F(lambda u, call: u.student_status, description=_d("student_status"),
                        load=lambda: selectinload(User.student_programmes)),
    "staff_status": F(lambda u, call: u.staff_status, description=_d("staff_status")),
    "phd_student_status": F(lambda u, call: u.phd_student_status, description=_d("phd_student_status"),
                            load=lambda: selectinload(User.student_programmes).joinedload(StudentProgramme.programme)),
    "email_access": F(_email_access, description=_d("email_access")),
    "email": F(lambda u, call: u.email if may_see_email(u, call) else None, description=_d("email")),
    "has_email": F(lambda u, call: bool(u.email), description=_d("has_email")),
    "homepage_url": attr("homepage_url", description=_d("homepage_url")),
    "profile_url": F(lambda u, call: absolute("people.profile", user_id=u.id), description=_d("profile_url")),
    "phone_numbers": F(lambda u, call: list(u.phone_numbers or []) if trusted(call) or u.shows_contact_to(call.user)
                       else [], description=_d("phone_numbers")),
    "office_hours": attr("office_hours", description=_d("office_hours")),
    "interests": attr("interests", description=_d("interests")),
    "has_photo": F(lambda u, call: False, description=_d("has_photo")),
    "photo_urls": ref(lambda u, call: u, PHOTO.method, description=_d("photo_urls")),
    "student_number": F(lambda u, call: u.student_number if personal(u, call) else None,
                        description=_d("student_number")),
    "library_card_id": F(lambda u, call: u.library_card_id if personal(u, call) else None,
                         description=_d("library_card_id")),
    "student_programmes": ref(lambda u, call: list(u.student_programmes) if personal(u, call) else [],
                              "services/progs/student_programme", primary=False, description=_d("student_programmes"),
                              load=lambda: selectinload(User.student_programmes)),
    "employment_positions": ref(lambda u, call: list(u.employment_positions), M + "employment_positions",
                                primary=False, description=_d("employment_positions"),
                                load=lambda: selectinload(User.employment_positions)),
    "employment_functions": ref(lambda u, call: list(u.employment_functions), M + "employment_functions",
                                primary=False, description=_d("employment_functions"),
                                load=lambda: selectinload(User.employment_functions)),
}
USER = resource(M + "user", USER_FIELDS)
USER2 = resource(M + "user2", dict(USER_FIELDS))
DEFAULT = "id|first_name|last_name"


def target_user(call):
    """The user `user_id` names, or the token's user when it is absent."""
    if call.params["user_id"] is None:
        if call.user is None:
            raise param_missing("user_id")
        return call.user
    return get_user(call.params["user_id"], method_name=call.method.path)


USER_ID = P("user_id", type="id", description="ID of the user; by default the user of the access token.")
ONE = dict(params=[USER_ID], consumer="required", token="optional", errors=("object_not_found", "param_missing"),
           returns="A dictionary of the fields you select.")


@method(M + "user", resource=USER, default_fields=DEFAULT, brief="Information on a user.", **ONE)
def user_method(call):
    return target_user(call)


@method(M + "user2", resource=USER2, default_fields=DEFAULT, brief="Get information on a given user.", **ONE)
def user2_method(call):
    return target_user(call)


@method(M + "users", resource=USER, result="dict", default_fields=DEFAULT,
        params=[P("user_ids", required=True, type="ids", description="Pipe-separated IDs of users.")],
        consumer="required", token="optional", brief="Information on many users.",
        returns="A dictionary: each given ID maps to the user's fields, or null when there is no such user.")
def users_method(call):
    return load_many(User, call.params["user_ids"], options=call.load_options())


EMPLOYMENT_GROUP = resource(M + "employment_group", {
    "id": attr("id", description="ID of the employment group."),
    "name": attr("name", description="A LangDict with its name."),
    "university_teachers": attr("university_teachers", description="Whether its members are academic teachers."),
})

POSITION = resource(M + "position", {
    "id": attr("id", description="ID of the position."),
    "name": attr("name", description="A LangDict with its name."),
    "employment_group": ref(lambda p, call: p.employment_group, M + "employment_group",
                            description="The employment group of the position, or null.",
                            load=lambda: joinedload(Position.employment_group)),
})

EMPLOYMENT_POSITION = resource(M + "employment_positions", {
    "position": ref(lambda e, call: e.position, M + "position", description="The position.",
                    load=lambda: joinedload(EmploymentPosition.position)),
    "faculty": ref(lambda e, call: e.faculty, "services/fac/faculty", description="The faculty it is held at.",
                   load=lambda: joinedload(EmploymentPosition.faculty)),
})

EMPLOYMENT_FUNCTION = resource(M + "employment_functions", {
    "function": attr("function", description="A LangDict with the name of the function."),
    "faculty": ref(lambda e, call: e.faculty, "services/fac/faculty", description="The faculty it is held at."),
    "is_official": attr("is_official", description="Whether the function is an official one."),
})


@method(M + "employment_positions", resource=EMPLOYMENT_POSITION, result="list", default_fields="position|faculty",
        brief="Get information on employment positions of a given user.", **ONE)
def employment_positions(call):
    return list(target_user(call).employment_positions)


@method(M + "employment_functions", resource=EMPLOYMENT_FUNCTION, result="list",
        default_fields="function|faculty|is_official",
        brief="Get information on employment functions of a given user.", **ONE)
def employment_functions(call):
    return list(target_user(call).employment_functions)


@method(M + "position", resource=POSITION, default_fields="id|name|employment_group",
        params=[P("position_id", required=True, type="id", description="ID of the position.")],
        consumer="ignored", token="ignored", errors=("object_not_found",), brief="Description of employee position")
def position(call):
    return load(Position, call.params["position_id"], "position_id", call.method.path, "Position", integer=False)


@method(M + "employment_group", resource=EMPLOYMENT_GROUP, default_fields="id|name",
        params=[P("id", required=True, type="id", description="ID of the employment group.")],
        consumer="ignored", token="ignored", errors=("object_not_found",),
        brief="Get information on employment group")
def employment_group(call):
    return load(EmploymentGroup, call.params["id"], "id", call.method.path, "Employment group", integer=False)


class Match:
    def __init__(self, user, match):
        self.user, self.match = user, match


SEARCH_ITEM = inline(M + "search2", "items", {
    "user": ref(lambda m, call: m.user, M + "user", only_primary=True, description="The user found."),
    "match": F(lambda m, call: m.match, description="The user's name with the matched words in <b>...</b> (HTML)."),
})
SEARCH = resource(M + "search2", {
    "items": ref(lambda r, call: r.items, SEARCH_ITEM.method, description="The users found, by last name."),
    "next_page": F(lambda r, call: r.next_page, description="Whether more users match past this page."),
})


def _name(first, middle, last):
    return " ".join(p for p in (first, middle, last) if p)


def search_people(words, staff_only):
    """IDs and names of the people whose names contain every word, by last and first name."""
    query = db.select(User.id, User.first_name, User.middle_names, User.last_name)
    if staff_only:
        query = query.where(db.or_(User.is_lecturer, User.is_admin))
    for word in words:
        if word.isascii():  # ASCII LIKE is case-insensitive on both databases; the rest is checked below
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(db.or_(*(db.func.lower(c).like(pattern, escape="\\")
                                         for c in (User.first_name, User.middle_names, User.last_name))))
    rows = [(r.id, _name(r.first_name, r.middle_names, r.last_name), r.last_name, r.first_name)
            for r in db.session.execute(query)]
    rows = [r for r in rows if matches(r[1], words)]
    return sorted(rows, key=lambda r: (r[2].lower(), r[3].lower(), r[0]))


@method(M + "search2", resource=SEARCH, result="one", default_fields="items|next_page",
        params=[P("query", required=True, description="Words of a name; every word must match."), *PAGING],
        consumer="required", token="optional", errors=("param_invalid",), brief="Search for users.",
        description="Search for users by name. With an access token every user may be found; "
                    "without one, staff members only.",
        returns="A dictionary: items (the users found, each with user and match) and next_page.")
def search2(call):
    words = query_words(call)
    start, num = paging(call)
    rows = search_people(words, staff_only=call.user is None)
    result = page(rows, start, num)
    tree = (call.fields.get("items") or {}).get("user")
    ids = [r[0] for r in result.items]
    users = load_many(User, [str(i) for i in ids], options=USER.load_options(tree) if tree else ())
    result.items = [Match(users[str(r[0])], highlight(r[1], words)) for r in result.items]
    return result
