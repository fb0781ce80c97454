"""The services/* machinery: dispatch, signed calls, selectors, formats, errors."""

def test_unknown_method_is_404_json(client):
    r = client.get("/services/nope/nothing")
    assert r.status_code == 404 and "message" in r.get_json()


def test_consumer_required(api, uni):
    r = api.call("services/users/user", signed=False, user_id=uni.student.id)
    assert r.status_code == 401
    assert r.get_json()["reason"] == "consumer_missing"


def test_signed_call_with_token(api, uni):
    r = api.call("services/users/user", user=uni.student)
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"id": str(uni.student.id), "first_name": uni.student.first_name,
                            "last_name": uni.student.last_name}


def test_signed_get_with_raw_selector_characters(api, uni):
    r = api.call("services/groups/group", user=uni.coordinator, http="GET",
                 course_unit_id=uni.classes_unit.id, group_number=1,
                 fields="course_unit_id|lecturers[id|last_name]|participants[id]")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["lecturers"] == [{"id": str(uni.lecturer.id), "last_name": uni.lecturer.last_name}]
    assert len(body["participants"]) == len(uni.students)


def test_bad_signature_is_401(api, uni):
    api.consumer = (api.consumer[0], "wrong-secret")
    r = api.call("services/users/user", user=uni.student)
    assert r.status_code == 401


def test_nested_selector_errors(api, uni):
    r = api.call("services/groups/group", user=uni.coordinator, course_unit_id=uni.classes_unit.id,
                 group_number=1, fields="lecturers[id|nope]")
    assert r.status_code == 400
    assert r.get_json()["error"] == "field_not_found"
    assert r.get_json()["field_name"] == "nope" and r.get_json()["method_name"] == "services/users/user"


def test_param_errors(api, uni):
    r = api.call("services/groups/group", user=uni.coordinator, course_unit_id=uni.classes_unit.id)
    assert r.status_code == 400 and r.get_json()["error"] == "param_missing"
    assert r.get_json()["param_name"] == "group_number"
    r = api.call("services/groups/group", user=uni.coordinator, course_unit_id=uni.classes_unit.id, group_number="x")
    assert r.status_code == 400 and r.get_json()["error"] == "param_invalid"


def test_formats(client, make):
    make.term("2030Z")
    r = client.get("/services/terms/term?term_id=2030Z&format=jsonp&callback=cb")
    assert r.status_code == 200 and r.data.startswith(b"cb({") and r.data.endswith(b");")
    r = client.get("/services/terms/term?term_id=2030Z&format=jsonp&callback=alert(1)")
    assert r.status_code == 400 and r.get_json()["param_name"] == "callback"
    r = client.get("/services/terms/term?term_id=2030Z&format=xmlmap2")
    assert r.status_code == 200 and b"2030Z" in r.data and r.mimetype == "text/xml"


def test_email_needs_its_scope(api, uni):
    me = api.call("services/users/user", user=uni.student, scopes=("studies",), fields="id|email").get_json()
    assert me == {"id": str(uni.student.id), "email": None}
    me = api.call("services/users/user", user=uni.student, scopes=("email",), fields="email").get_json()
    assert me == {"email": uni.student.email}
    other = api.call("services/users/user", user=uni.coordinator, scopes=("email",), user_id=uni.student.id,
                     fields="email").get_json()
    assert other == {"email": None}
    other = api.call("services/users/user", user=uni.coordinator, scopes=("other_emails",),
                     user_id=uni.student.id, fields="email").get_json()
    assert other == {"email": uni.student.email}
    peer = api.call("services/users/user", user=uni.students[1], user_id=uni.student.id, fields="email").get_json()
    assert peer == {"email": None}  # students never see each other's addresses
