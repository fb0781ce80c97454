"""Field selectors: nesting to any depth, primary/secondary rules, bare ids, errors, and
"selecting few fields must also fetch little" (counted SQL statements)."""
import pytest
from sqlalchemy import event
from sqlalchemy.orm import selectinload

from portal.api.registry import METHODS, RESOURCES, F, attr, id_attr, method, ref, resource
from portal.extensions import db
from portal.university.models import ClassGroup, CourseUnit


@pytest.fixture
def units_api():
    """Test-only methods over course units and their groups; removed afterwards."""
    group = resource("services/apitest/group", {
        "number": attr("number"),
        "lecturers": ref(lambda g, call: list(g.lecturers), "services/users/user",
                         load=lambda: selectinload(ClassGroup.lecturers)),
        "note": F(lambda g, call: f"group {g.number}", primary=False),
    })
    fields = {
        "id": id_attr(),
        "classtype_id": attr("classtype_id"),
        "secret": F(lambda u, call: "s", primary=False),
        "groups": ref(lambda u, call: list(u.groups), "services/apitest/group",
                      load=lambda: selectinload(CourseUnit.groups)),
        "groups_p": ref(lambda u, call: list(u.groups), "services/apitest/group", only_primary=True,
                        load=lambda: selectinload(CourseUnit.groups)),
        "edition": ref(lambda u, call: u.edition, "services/courses/course_edition"),
        "course": ref(lambda u, call: u.edition.course, "services/courses/course", bare_id=True),
        "staff_only": F(lambda u, call: "staff", forbidden=lambda call: None if call.user and call.user.is_staff
                        else "staff_only"),
    }

    def units(call):
        return list(db.session.scalars(db.select(CourseUnit).options(*call.load_options()).order_by(CourseUnit.id)))
    method("services/apitest/units", fields=fields, result="list", default_fields="id|classtype_id",
           consumer="ignored", token="ignored")(units)
    method("services/apitest/units_primary", fields=fields, result="list", default_fields="id",
           only_primary=True, consumer="ignored", token="ignored")(units)
    yield group
    for path in ("services/apitest/units", "services/apitest/units_primary"):
        METHODS.pop(path, None)
        RESOURCES.pop(path, None)
    RESOURCES.pop("services/apitest/group", None)


def get(client, path, **params):
    return client.get("/services/apitest/" + path, query_string=params)


def test_nested_to_any_depth(client, uni, units_api):
    r = get(client, "units", fields="id|groups[number|lecturers[id|last_name]]|edition[term_id|coordinators[id]]")
    assert r.status_code == 200, r.get_json()
    first = r.get_json()[0]
    assert first["id"] == str(uni.lecture_unit.id)
    assert first["groups"] == [{"number": 1, "lecturers": [{"id": str(uni.coordinator.id), "last_name": "Last" +
                                                            uni.coordinator.last_name[4:]}]}]
    assert first["edition"] == {"term_id": uni.term.id, "coordinators": [{"id": str(uni.coordinator.id)}]}


def test_defaults_and_exact_keys(client, uni, units_api):
    r = get(client, "units")
    assert r.get_json()[0] == {"id": str(uni.lecture_unit.id), "classtype_id": "WYK"}
    r = get(client, "units", fields="groups")  # a reference without brackets: the referenced defaults
    assert r.get_json()[0] == {"groups": [{"number": 1}]}


def test_bare_id_reference(client, uni, units_api):
    assert get(client, "units", fields="course").get_json()[0] == {"course": "C-1"}
    assert get(client, "units", fields="course[id|fac_id]").get_json()[0] == {"course": {"id": "C-1", "fac_id": "FAC"}}


def test_secondary_fields(client, uni, units_api):
    assert get(client, "units", fields="secret").get_json()[0] == {"secret": "s"}
    assert get(client, "units", fields="groups[note]").get_json()[0] == {"groups": [{"note": "group 1"}]}
    r = get(client, "units", fields="groups_p[note]")  # "only primary are allowed" on this field
    assert r.status_code == 400 and r.get_json()["error"] == "field_invalid"
    assert r.get_json()["field_name"] == "note" and r.get_json()["method_name"] == "services/apitest/group"
    r = get(client, "units_primary", fields="id|secret")  # "must contain subset of primary fields"
    assert r.status_code == 400 and r.get_json()["field_name"] == "secret"
    assert get(client, "units_primary", fields="id|groups[note]").status_code == 200


def test_a_field_named_twice_is_asked_for_once(client, uni, units_api):
    both = get(client, "units", fields="groups[number]|id|groups[note]").get_json()[0]
    assert both == {"groups": [{"number": 1, "note": "group 1"}], "id": str(uni.lecture_unit.id)}
    assert get(client, "units", fields="id|id").get_json()[0] == {"id": str(uni.lecture_unit.id)}
    assert get(client, "units", fields="groups|groups[note]").get_json()[0] == {"groups": [{"note": "group 1"}]}


@pytest.mark.parametrize("selector,error,field", [
    ("nope", "field_not_found", "nope"),
    ("id|groups[nope]", "field_not_found", "nope"),
    ("groups[lecturers[id|nope]]", "field_not_found", "nope"),
    ("id[x]", "field_invalid", "id"),
    ("groups[number[x]]", "field_invalid", "number"),
])
def test_field_errors(client, uni, units_api, selector, error, field):
    r = get(client, "units", fields=selector)
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == error and body["field_name"] == field and "method_name" in body


@pytest.mark.parametrize("selector", ["id[", "]", "id]", "groups[number", "[id]", "id||", "a[b]]",
                                      "groups[]", "groups[ ]|id",
                                      "groups[" * 40 + "]" * 40])
def test_malformed_selectors(client, uni, units_api, selector):
    r = get(client, "units", fields=selector)
    assert r.status_code == 400 and r.get_json()["error"] in ("param_invalid", "field_not_found")


@pytest.fixture
def count_selects(app):
    def run(fn):
        statements = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = fn()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.get_json()
        return len(statements)
    return run


def test_few_fields_fetch_little_and_lists_have_no_n_plus_1(client, make, uni, units_api, count_selects):
    def counts():
        return {sel: count_selects(lambda: get(client, "units", fields=sel))
                for sel in ("id", "id|groups[number]", "id|groups[number|lecturers[id]]")}
    few = counts()
    # five more units, each with two groups and lecturers
    with make.context():
        for _ in range(5):
            unit = make.unit(uni.edition)
            make.group(unit, 1, lecturers=[uni.lecturer])
            make.group(unit, 2, lecturers=[uni.other_lecturer, uni.coordinator])
    many = counts()
    assert few == many  # the number of queries does not grow with the number of objects
    assert many == {"id": 1, "id|groups[number]": 2, "id|groups[number|lecturers[id]]": 3}


def test_field_forbidden(client, api, uni, units_api):
    r = get(client, "units", fields="id|staff_only")
    assert r.status_code == 403
    assert r.get_json() | {"message": ""} == {"error": "field_forbidden", "field_name": "staff_only", "message": "",
                                             "method_name": "services/apitest/units", "reason": "staff_only"}
    METHODS["services/apitest/units"].token = "optional"
    METHODS["services/apitest/units"].consumer = "required"
    r = api.call("services/apitest/units", user=uni.lecturer, fields="staff_only")
    assert r.status_code == 200 and r.get_json()[0] == {"staff_only": "staff"}
    assert api.call("services/apitest/units", user=uni.student, fields="staff_only").status_code == 403


def test_bare_reference_where_only_primary_are_allowed_selects_the_primary_defaults(client, uni, units_api):
    method("services/apitest/group", resource=units_api, default_fields="number|note",
           consumer="ignored", token="ignored")(lambda call: None)
    try:
        assert get(client, "units", fields="groups").get_json()[0] == {"groups": [{"number": 1, "note": "group 1"}]}
        assert get(client, "units", fields="groups_p").get_json()[0] == {"groups_p": [{"number": 1}]}
    finally:
        METHODS.pop("services/apitest/group")


def test_a_dangling_reference_stops_the_start_naming_the_field(db_url):
    from portal import create_app
    from portal.api.registry import wire
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": db_url})  # every feature's declarations loaded
    method("services/apitest/orphans", result="list", consumer="ignored", token="ignored", fields={
        "id": id_attr(), "owner": ref(lambda o, call: None, "services/apitest/nobody")})(lambda call: [])
    try:
        with pytest.raises(RuntimeError, match=r"services/apitest/orphans\.owner -> services/apitest/nobody"):
            wire()
        with pytest.raises(RuntimeError, match="services/apitest/nobody"):
            create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": db_url})
        # a resource alone is not enough: the referenced method must be served
        resource("services/apitest/nobody", {"id": id_attr()})
        with pytest.raises(RuntimeError, match=r"services/apitest/orphans\.owner -> services/apitest/nobody"):
            wire()
    finally:
        METHODS.pop("services/apitest/orphans")
        RESOURCES.pop("services/apitest/orphans", None)
        RESOURCES.pop("services/apitest/nobody", None)
    wire()


def test_a_method_declared_twice_stops_the_start(app):
    method("services/apitest/twice", result="raw", consumer="ignored", token="ignored")(lambda call: 1)
    try:
        with pytest.raises(RuntimeError, match="services/apitest/twice is declared twice"):
            method("services/apitest/twice", result="raw", consumer="ignored", token="ignored")(lambda call: 2)
        assert METHODS["services/apitest/twice"].func(None) == 1
    finally:
        METHODS.pop("services/apitest/twice")
