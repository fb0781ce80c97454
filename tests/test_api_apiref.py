"""services/apiref/* and services/apisrv/* (generated from the registry), output formats,
and the dispatcher's wire rules of CONVENTIONS.md."""
import re
import xml.etree.ElementTree as ET


from portal.api.registry import METHODS, MODULES, RESOURCES, SCOPES


def test_method_index_lists_every_registered_method(client):
    r = client.get("/services/apiref/method_index")
    assert r.status_code == 200
    listed = {m["name"]: m["brief_description"] for m in r.get_json()}
    assert set(listed) == set(METHODS)
    for name in ("services/oauth/request_token", "services/oauth/authorize", "services/oauth/access_token",
                 "services/oauth/revoke_token", "services/apiref/scopes", "services/apisrv/now",
                 "services/users/user", "services/terms/terms_index"):
        assert name in listed


def test_method_doc_for_every_method(client):
    for path, m in METHODS.items():
        r = client.get("/services/apiref/method", query_string={"name": path})
        assert r.status_code == 200, (path, r.get_json())
        doc = r.get_json()
        assert doc["name"] == path and doc["short_name"] == path.rsplit("/", 1)[1]
        assert doc["auth_options"] == {"consumer": m.consumer, "token": m.token,
                                       "administrative_only": m.administrative, "ssl_required": m.ssl,
                                       "scopes": list(m.scopes)}
        assert doc["scopes"] == list(m.scopes)
        assert doc["errors"] is None if not m.errors else doc["errors"].startswith("<ul><li><b>")
        assert doc["deprecated"] is None or set(doc["deprecated"]) == {"deprecated_by", "present_until"}
        assert [a["name"] for a in doc["arguments"]] == [p.name for p in m.params]
        if m.resource is not None:
            assert {f["name"]: f["is_primary"] for f in doc["result_fields"]} == {
                n: f.primary for n, f in m.resource.fields.items()}
        assert set(doc) >= {"description", "brief_description", "ref_url", "returns", "errors", "beta",
                            "deprecated", "admin_access", "is_internal"}


def test_method_doc_details(client):
    doc = client.get("/services/apiref/method?name=services/users/user").get_json()
    assert doc["arguments"][0] == {"name": "user_id", "is_required": False, "is_deprecated": False,
                                   "default_value": None,
                                   "description": "ID of the user; by default the user of the access token."}
    fields_arg = next(a for a in doc["arguments"] if a["name"] == "fields")
    assert fields_arg["default_value"] == "id|first_name|last_name"
    r = client.get("/services/apiref/method?name=services/users/user&fields=name|brief_description")
    assert r.get_json() == {"name": "services/users/user", "brief_description": "Information on a user."}
    r = client.get("/services/apiref/method?name=services/nope/nothing")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert r.get_json()["param_name"] == "name"
    r = client.get("/services/apiref/method")
    assert r.status_code == 400 and r.get_json()["error"] == "param_missing"


def test_module_doc(client):
    doc = client.get("/services/apiref/module?name=services/oauth").get_json()
    assert doc["title"] == "OAuth" and "services/oauth/request_token" in doc["methods"]
    assert set(doc) >= {"name", "title", "brief_description", "description", "submodules", "methods", "beta"}
    top = client.get("/services/apiref/module?name=services").get_json()
    assert set(MODULES) <= set(top["submodules"])
    r = client.get("/services/apiref/module?name=services/nope")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


def test_scopes(client):
    scopes = client.get("/services/apiref/scopes").get_json()
    keys = [s["key"] for s in scopes]
    assert set(keys) == set(SCOPES)
    for key in ("studies", "grades", "grades_write", "staff_perspective", "offline_access", "email",
                "personal", "student_exams"):
        assert key in keys
    assert all(s["developers_description"] for s in scopes)


def test_apisrv_now_is_a_bare_string_with_microseconds(client):
    r = client.get("/services/apisrv/now")
    assert r.status_code == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", r.get_json())


def test_apisrv_installation(client):
    body = client.get("/services/apisrv/installation").get_json()
    assert body["base_url"] == "http://localhost/" and body["version"]
    assert body["institution_name"]["en"] and body["contact_emails"]
    assert client.get("/services/apisrv/installation?fields=version").get_json().keys() == {"version"}


def test_apisrv_consumer(api):
    r = api.call("services/apisrv/consumer", fields="name|administrative_methods|token_scopes|date_registered")
    body = r.get_json()
    assert body["name"] == "Test app" and body["administrative_methods"] == []
    assert set(body["token_scopes"]) == set(SCOPES)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", body["date_registered"])
    admin = api.call("services/apisrv/consumer", admin=True, fields="administrative_methods").get_json()
    assert admin["administrative_methods"] == sorted(p for p, m in METHODS.items() if m.administrative)
    assert api.call("services/apisrv/consumer", signed=False).status_code == 401


def test_xmlmap2_shape(client, make):
    make.term("2030Z")
    r = client.get("/services/terms/term?term_id=2030Z&format=xmlmap2&fields=id|name|is_active|order_key")
    assert r.status_code == 200 and r.content_type == "text/xml; charset=utf-8"
    root = ET.fromstring(r.data)
    assert root.tag == "object"
    items = {e.get("key"): e for e in root}
    assert items["id"].tag == "string" and items["id"].text == "2030Z"
    assert items["is_active"].tag == "boolean" and items["is_active"].text == "true"
    assert items["order_key"].tag == "number"
    assert items["name"].tag == "object" and {e.get("key") for e in items["name"]} == {"pl", "en"}
    r = client.get("/services/terms/terms_index?format=xmlmap2")
    root = ET.fromstring(r.data)
    assert root.tag == "array" and root[0].tag == "object" and root[0].get("key") is None
    r = client.get("/services/terms/term?format=xmlmap2")  # errors in the asked format too
    assert r.status_code == 400 and ET.fromstring(r.data).find("string[@key='error']").text == "param_missing"
    root = ET.fromstring(client.get("/services/apisrv/installation?format=xmlmap2&fields=contact_emails").data)
    assert root[0].tag == "array" and root[0][0].tag == "string"


def test_jsonp(client, make):
    make.term("2030Z")
    r = client.get("/services/terms/term?term_id=2030Z&fields=id&format=jsonp&callback=cb.done")
    assert r.status_code == 200 and r.data == b'cb.done({"id": "2030Z"});'
    for bad in ("", "alert(1)", "a b", "1abc", "x" * 500):
        r = client.get("/services/terms/term", query_string={"term_id": "2030Z", "format": "jsonp", "callback": bad})
        assert r.status_code == 400 and r.get_json()["param_name"] == "callback"
    r = client.get("/services/terms/term?term_id=2030Z&format=yaml")
    assert r.status_code == 400 and r.get_json()["param_name"] == "format"


def test_wire_rules(client, make):
    make.term("2030Z")
    r = client.get("/services/nope/nothing")
    assert r.status_code == 404 and r.get_json()["message"]
    assert client.get("/services/nope/nothing?format=xmlmap2").status_code == 404
    r = client.options("/services/terms/term")
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.get("/services/terms/term?term_id=2030Z&fields=id|name&unknown=1")
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.post("/services/terms/term?fields=id", data={"term_id": "2030Z"})  # query and body merged
    assert r.get_json() == {"id": "2030Z"}
    r = client.post("/services/terms/term")
    body = r.get_json()
    assert r.status_code == 400 and body["error"] == "param_missing" and body["param_name"] == "term_id"
    assert body["user_messages"]["fields"]["term_id"] == {"pl": "To pole jest wymagane.", "en": "This field is required."}
    for r in (client.get("/services/terms/term?term_id=20%FF30Z"),
              client.post("/services/terms/term", data=b"term_id=20%FF30Z",
                          content_type="application/x-www-form-urlencoded")):
        assert r.status_code == 400 and r.get_json()["param_name"] == "term_id"
    assert client.get("/services/terms/term?term_id=2030Z&fields=id|name&x=%25FF").status_code == 200
    r = client.put("/services/terms/term")
    assert r.status_code == 405 and "message" in r.get_json()


def test_registry_is_consistent():
    """Every reference resolves, every default selector compiles, every scope is registered."""
    from portal.api.selectors import compile_selector
    problems = []
    for path, res in RESOURCES.items():
        for name, f in res.fields.items():
            if f.ref and f.ref not in RESOURCES:
                problems.append(f"{path}.{name} refers to {f.ref}, which has no fields")
    for path, m in METHODS.items():
        problems += [f"{path} needs the unknown scope {s}" for s in m.scopes if s not in SCOPES]
        if m.resource is not None and m.default_fields:
            try:
                compile_selector(path, m.default_fields, only_primary=m.only_primary, resource=m.resource)
            except Exception as exc:  # noqa: BLE001 - collected and reported
                problems.append(f"{path}: default fields {m.default_fields!r}: {exc}")
    assert not problems, "\n".join(problems)


def test_errors_and_deprecation_as_usos_documents_them(client):
    doc = client.get("/services/apiref/method?name=services/exams/exam").get_json()
    assert doc["errors"] == "<ul><li><b>object_not_found</b> - some of the referenced objects do not exist</li></ul>"
    assert doc["deprecated"] is None
    doc = client.get("/services/apiref/method?name=services/grades/terms").get_json()
    assert doc["deprecated"] == {"deprecated_by": "services/grades/terms2", "present_until": None}
    assert client.get("/services/apiref/method?name=services/apisrv/now").get_json()["errors"] is None


def test_usos_api_models_read_every_apiref_answer(client):
    """usos-api's own pydantic models (usos_api.models.api_documentation) validate what we return."""
    from usos_api.models.api_documentation import APIMethodIndexItem, APIMethodInfo, APIModuleInfo, ScopeInfo
    index = [APIMethodIndexItem(**item) for item in client.get("/services/apiref/method_index").get_json()]
    assert {i.name for i in index} == set(METHODS)
    for item in index:
        info = APIMethodInfo(**client.get("/services/apiref/method", query_string={"name": item.name}).get_json())
        assert info.name == item.name and info.auth_options.consumer == METHODS[item.name].consumer
    info = APIMethodInfo(**client.get("/services/apiref/method?name=services/grades/course_edition").get_json())
    assert info.deprecated.deprecated_by == "services/grades/course_edition2"
    for name in MODULES:
        module = APIModuleInfo(**client.get("/services/apiref/module", query_string={"name": name}).get_json())
        assert module.name == name and module.methods is not None
    assert {s.key for s in (ScopeInfo(**x) for x in client.get("/services/apiref/scopes").get_json())} == set(SCOPES)
