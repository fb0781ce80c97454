"""services/terms: academic terms."""
from ..api.registry import P, attr, date_attr, method, module, resource
from ..extensions import db
from ..university.models import Term
from ..api.reference import get_term, load_many
from .common import matches, query_words

module("services/terms", "Terms", "Academic terms.")
M = "services/terms/"

TERM = resource(M + "term", {
    "id": attr("id", description="ID of the term, e.g. 2026Z."),
    "name": attr("name", description="A LangDict with its name."),
    "start_date": date_attr("start_date", description="The first day of the term."),
    "end_date": date_attr("end_date", description="The last day of classes."),
    "finish_date": date_attr("finish_date", description="The last day of the term (its settling)."),
    "order_key": attr("order_key", description="Terms sort by this number."),
    "is_active": attr("is_active", description="Whether the term is active."),
})
DEFAULT = "id|name|start_date|end_date|finish_date|order_key|is_active"
PUBLIC = dict(consumer="ignored", token="ignored")


def ordered(query):
    return list(db.session.scalars(query.order_by(Term.order_key, Term.id)))


@method(M + "term", resource=TERM, default_fields=DEFAULT, **PUBLIC, errors=("object_not_found",),
        params=[P("term_id", required=True, type="id", description="ID of the term.")], brief="A single term.")
def term_method(call):
    return get_term(call.params["term_id"], method_name=call.method.path)


@method(M + "terms", resource=TERM, result="dict", default_fields=DEFAULT, **PUBLIC,
        params=[P("term_ids", required=True, type="ids", description="Pipe-separated IDs of terms.")],
        brief="Get information on multiple terms.",
        returns="A dictionary: each given ID maps to the term, or null when there is none.")
def terms_method(call):
    return load_many(Term, call.params["term_ids"], integer=False)


@method(M + "terms_index", resource=TERM, result="list", default_fields=DEFAULT, **PUBLIC,
        params=[P("active_only", type="bool", default="false", description="Return active terms only.")],
        brief="All terms.", returns="A list of terms, by order_key.")
def terms_index(call):
    query = db.select(Term)
    if call.params["active_only"]:
        query = query.where(Term.is_active)
    return ordered(query)


@method(M + "search", resource=TERM, result="list", default_fields=DEFAULT, **PUBLIC,
        params=[P("query", default="", description="Words of the name or ID; every word must match (all terms "
                                                    "when empty)."),
                P("min_finish_date", type="date", description="Only terms finishing on or after this date."),
                P("max_start_date", type="date", description="Only terms starting on or before this date.")],
        brief="Search for terms.", returns="A list of matching terms, by order_key.")
def search(call):
    query = db.select(Term)
    if call.params["min_finish_date"] is not None:
        query = query.where(Term.finish_date >= call.params["min_finish_date"])
    if call.params["max_start_date"] is not None:
        query = query.where(Term.start_date <= call.params["max_start_date"])
    words = query_words(call, required=False)
    return [t for t in ordered(query)
            if matches(" ".join([t.id, *(v for v in (t.name or {}).values() if v)]), words)]
