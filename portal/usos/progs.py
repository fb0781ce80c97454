"""services/progs: study programmes and the programmes students are on."""
from sqlalchemy.orm import joinedload

from ..api.errors import object_forbidden
from ..api.registry import F, P, attr, date_attr, id_attr, inline, method, module, ref, resource
from ..extensions import db
from ..university.programmes import Programme, StudentProgramme
from ..api.reference import load, load_many
from .common import NAME_QUERY, highlight, search_named
from .users import personal

module("services/progs", "Study programmes", "Study programmes and the programmes students are on.")
M = "services/progs/"

PROGRAMME = resource(M + "programme", {
    "id": attr("id", description="ID of the programme."),
    "name": attr("name", description="A LangDict with the name of the programme."),
    "description": attr("name", description="Deprecated alias of name (its name was misleading)."),
    "faculty": ref(lambda p, call: p.faculty, "services/fac/faculty",
                   description="The faculty which administers the programme.",
                   load=lambda: joinedload(Programme.faculty)),
    "all_faculties": ref(lambda p, call: [p.faculty], "services/fac/faculty",
                         description="Every faculty the programme belongs to (Indeks: its one faculty).",
                         load=lambda: joinedload(Programme.faculty)),
    "mode_of_studies": attr("mode_of_studies", description="A LangDict: the mode of studies, e.g. full-time."),
    "level_of_studies": attr("level_of_studies", description="A LangDict: the level, in the university's words."),
    "duration": attr("duration", description="A LangDict: how long the programme lasts, e.g. 3 years."),
    "professional_status": attr("professional_status",
                                description="A LangDict: the title the programme leads to, or null."),
    "level": attr("level", description="first_cycle, second_cycle, long_cycle, third_cycle, phd_school, or null."),
})

STUDENT_PROGRAMME = resource(M + "student_programme", {
    "id": id_attr(description="ID of the student programme."),
    "user": ref(lambda s, call: s.user, "services/users/user", description="The student.",
                load=lambda: joinedload(StudentProgramme.user)),
    "programme": ref(lambda s, call: s.programme, M + "programme", description="The programme.",
                     load=lambda: joinedload(StudentProgramme.programme)),
    "status": attr("status", description="active, cancelled, graduated_end_of_study, graduated_before_diploma "
                                         "or graduated_diploma."),
    "admission_date": date_attr("admission_date", description="The date of admission, or null."),
    "is_primary": attr("is_primary", description="Whether this is the student's primary programme."),
})
PUBLIC = dict(consumer="optional", token="ignored")


@method(M + "programme", resource=PROGRAMME, default_fields="id|description", **PUBLIC,
        params=[P("programme_id", required=True, type="id", description="ID of a programme.")],
        errors=("object_not_found",), brief="Get information on a given study programme.")
def programme(call):
    return load(Programme, call.params["programme_id"], "programme_id", call.method.path, "Programme",
                integer=False)


@method(M + "programmes", resource=PROGRAMME, result="dict", default_fields="id|description", **PUBLIC,
        params=[P("programme_ids", required=True, type="ids", description="Pipe-separated IDs of programmes.")],
        brief="Get information on multiple study programmes.",
        returns="A dictionary: each given ID maps to the programme, or null when there is none.")
def programmes(call):
    return load_many(Programme, call.params["programme_ids"], integer=False, options=call.load_options())


class Found:
    def __init__(self, programme, match):
        self.programme, self.match = programme, match


SEARCH_ITEM = inline(M + "search", "items", {
    "programme": ref(lambda f, call: f.programme, M + "programme", only_primary=True,
                     description="The programme found."),
    "match": F(lambda f, call: f.match, description="Its name in the given language, matched words in <b>...</b>."),
})
SEARCH = resource(M + "search", {
    "items": ref(lambda r, call: r.items, SEARCH_ITEM.method, description="The programmes found, by name."),
    "next_page": F(lambda r, call: r.next_page, description="Whether more programmes match past this page."),
})


@method(M + "search", resource=SEARCH, default_fields="items|next_page", **PUBLIC, params=NAME_QUERY,
        errors=("param_invalid",), brief="Search for programmes.",
        returns="A dictionary: items (each with programme and match) and next_page.")
def search(call):
    tree = (call.fields.get("items") or {}).get("programme")
    result, words = search_named(call, db.session.scalars(db.select(Programme).options(*PROGRAMME.load_options(tree))))
    result.items = [Found(p, highlight(name, words)) for p, name in result.items]
    return result


@method(M + "student", resource=STUDENT_PROGRAMME, result="list", default_fields="id|programme",
        consumer="required", token="required", scopes=("studies",),
        brief="Get information on student programmes of a given user.",
        description="The study programmes of the user of the access token, the primary one first.")
def student(call):
    return list(call.user.student_programmes)


def check_visible(sp, call, param):
    if not personal(sp.user, call):
        raise object_forbidden("not_your_programme", "Student programmes are visible to the student, staff "
                               "and administrative consumers.", param_name=param)
    return sp


@method(M + "student_programme", resource=STUDENT_PROGRAMME, default_fields="id|programme",
        params=[P("student_programme_id", required=True, type="id", description="ID of a student programme.")],
        consumer="required", token="optional", errors=("object_not_found", "object_forbidden"),
        brief="Get information on a given student programme.")
def student_programme(call):
    sp = load(StudentProgramme, call.params["student_programme_id"], "student_programme_id", call.method.path,
              "Student programme")
    return check_visible(sp, call, "student_programme_id")


@method(M + "student_programmes", resource=STUDENT_PROGRAMME, result="dict", default_fields="id|programme",
        params=[P("student_programme_ids", required=True, type="ids",
                  description="Pipe-separated IDs of student programmes.")],
        consumer="required", token="optional", brief="Get information on multiple student programmes.",
        returns="A dictionary: each given ID maps to the student programme, or null when there is none or you "
                "may not see it.")
def student_programmes(call):
    found = load_many(StudentProgramme, call.params["student_programme_ids"],
                      options=[joinedload(StudentProgramme.user), *call.load_options()])
    return {k: (sp if sp is not None and personal(sp.user, call) else None) for k, sp in found.items()}
