"""services/fac (faculties and other units) and services/geo (rooms)."""
from ..api.registry import F, P, attr, id_attr, method, module, resource
from ..extensions import db
from ..university.models import Faculty, Room
from ..api.reference import load, load_many
from .common import NAME_QUERY, search_named

module("services/fac", "Faculties", "Faculties and other organizational units.")
module("services/geo", "Geography", "Buildings and rooms.")

FACULTY = resource("services/fac/faculty", {
    "id": attr("id", description="ID of the faculty."),
    "name": attr("name", description="A LangDict with its name."),
    "parent_id": attr("parent_id", description="ID of the unit it belongs to, or null for the top one."),
})
PUBLIC = dict(consumer="ignored", token="ignored")


@method("services/fac/faculty", resource=FACULTY, default_fields="id|name", **PUBLIC,
        params=[P("fac_id", required=True, type="id", description="ID of the faculty.")],
        errors=("object_not_found",), brief="A faculty.")
def faculty_method(call):
    return load(Faculty, call.params["fac_id"], "fac_id", call.method.path, "Faculty", integer=False)


@method("services/fac/faculties", resource=FACULTY, result="dict", default_fields="id|name", **PUBLIC,
        params=[P("fac_ids", required=True, type="ids", description="Pipe-separated IDs of faculties.")],
        brief="Get information on multiple faculties.",
        returns="A dictionary: each given ID maps to the faculty, or null when there is none.")
def faculties(call):
    return load_many(Faculty, call.params["fac_ids"], integer=False)


@method("services/fac/search", resource=FACULTY, result="raw", default_fields="id|name", **PUBLIC, params=NAME_QUERY,
        errors=("param_invalid",), brief="Search for faculties.",
        returns="A dictionary: items (the faculties found, by name, with the fields you select) and next_page.")
def search(call):
    result, _words = search_named(call, db.session.scalars(db.select(Faculty)))
    return {"items": call.project([f for f, _name in result.items]), "next_page": result.next_page}


ROOM = resource("services/geo/room", {
    "id": id_attr(description="ID of the room."),
    "number": attr("number", description="The room's number (or name) in its building."),
    "building_id": attr("building_id", description="ID of the building."),
    "building_name": F(lambda r, call: r.building.name, description="A LangDict with the building's name."),
    "capacity": attr("capacity", description="How many people it seats, or null."),
})


@method("services/geo/room", resource=ROOM, default_fields="id|number|building_name", **PUBLIC,
        params=[P("room_id", required=True, type="id", description="ID of the room.")],
        errors=("object_not_found",), brief="A room.")
def room_method(call):
    return load(Room, call.params["room_id"], "room_id", call.method.path, "Room")
