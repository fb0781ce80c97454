"""services/progs: programmes, the programmes students are on, and who may see them."""
import pytest
from usos_api.models import Programme as UsosProgramme, StudentProgramme as UsosStudentProgramme

from .factories_people import people

M = "services/progs/"
ALL = "id|name|description|faculty|all_faculties|mode_of_studies|level_of_studies|duration|professional_status|level"


@pytest.fixture
def uni(make, app):
    return people(make, app)


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_programme_default_all_fields_and_errors(api, uni, client):
    assert ok(api.call(M + "programme", programme_id="P-INF")) == {
        "id": "P-INF", "description": {"pl": "Kierunek P-INF", "en": "Programme P-INF"}}
    body = ok(client.get(f"/services/{M[9:]}programme", query_string={"programme_id": "P-INF", "fields": ALL}))
    assert body["faculty"] == {"id": "FAC", "name": {"pl": "Wydział FAC", "en": "Faculty FAC"}}
    assert body["all_faculties"] == [body["faculty"]] and body["level"] == "first_cycle"
    assert body["mode_of_studies"] == {"pl": "stacjonarne", "en": "full-time"}
    assert body["duration"] == {"pl": "3 lata", "en": "3 years"} and body["name"] == body["description"]
    UsosProgramme.model_validate(body)
    r = api.call(M + "programme", programme_id="NOPE")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert r.get_json()["param_name"] == "programme_id"
    r = api.call(M + "programme")
    assert r.status_code == 400 and r.get_json()["error"] == "param_missing"
    r = api.call(M + "programme", programme_id="P-INF", fields="faculty[nope]")
    assert r.status_code == 400 and r.get_json()["error"] == "field_not_found"


def test_usos_mcp_faculty_lookup(api, uni):
    """usos-mcp finds a student's faculties: users/user student_programmes, then progs/programme."""
    me = ok(api.call("services/users/user", user=uni.student, fields="student_programmes", http="GET"))
    ids = sorted(p["programme"]["id"] for p in me["student_programmes"])
    assert ids == ["P-INF", "P-MAT"]
    body = ok(api.call(M + "programme", user=uni.student, programme_id=ids[0], fields="id|description|faculty[id|name]",
                       http="GET"))
    assert body["faculty"]["id"] == "FAC"


def test_programmes_dictionary_and_search(api, uni):
    body = ok(api.call(M + "programmes", programme_ids="P-INF|P-MAT|NOPE", fields="id|level"))
    assert body == {"P-INF": {"id": "P-INF", "level": "first_cycle"}, "P-MAT": {"id": "P-MAT", "level": "first_cycle"},
                    "NOPE": None}
    found = ok(api.call(M + "search", query="kierunek p-", lang="pl", num=2))
    assert [i["programme"]["id"] for i in found["items"]] == ["P-INF", "P-MAT"] and found["next_page"] is True
    assert found["items"][0]["match"] == "<b>Kierunek</b> <b>P-</b>INF"
    rest = ok(api.call(M + "search", query="programme", lang="en", start=2, fields="items[programme[id]]"))
    assert rest == {"items": [{"programme": {"id": "P-PHD"}}]}
    r = api.call(M + "search", query="x", lang="de")
    assert r.status_code == 400 and r.get_json()["param_name"] == "lang"


def test_student_programmes_of_the_token_user(api, uni):
    body = ok(api.call(M + "student", user=uni.student,
                       fields="id|user|programme[id]|status|admission_date|is_primary"))
    assert body == [
        {"id": str(uni.enrolment.id), "user": {"id": str(uni.student.id), "first_name": uni.student.first_name,
                                               "last_name": uni.student.last_name},
         "programme": {"id": "P-INF"}, "status": "active", "admission_date": "2024-10-01", "is_primary": True},
        {"id": str(uni.cancelled.id), "user": body[1]["user"], "programme": {"id": "P-MAT"}, "status": "cancelled",
         "admission_date": "2024-10-01", "is_primary": False}]
    for item in body:
        UsosStudentProgramme.model_validate(item)
    assert ok(api.call(M + "student", user=uni.lecturer)) == []
    r = api.call(M + "student")
    assert r.status_code == 401 and r.get_json()["reason"] == "user_missing"
    r = api.call(M + "student", user=uni.student, scopes=("grades",))
    assert r.status_code == 403 and r.get_json()["reason"] == "scope_missing"


def test_one_student_programme_is_personal_data(api, uni):
    sp = str(uni.enrolment.id)
    for who, how in {"self": dict(user=uni.student), "lecturer": dict(user=uni.lecturer),
                     "administrative": dict(admin=True)}.items():
        assert ok(api.call(M + "student_programme", student_programme_id=sp, **how))["id"] == sp, who
    for who, how in {"other student": dict(user=uni.outsider), "consumer only": {}}.items():
        r = api.call(M + "student_programme", student_programme_id=sp, **how)
        assert r.status_code == 403 and r.get_json()["error"] == "object_forbidden", who
    r = api.call(M + "student_programme", user=uni.student, student_programme_id="999999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    many = ok(api.call(M + "student_programmes", user=uni.outsider,
                       student_programme_ids=f"{sp}|999999", fields="id"))
    assert many == {sp: None, "999999": None}
    many = ok(api.call(M + "student_programmes", user=uni.lecturer, student_programme_ids=sp, fields="status"))
    assert many == {sp: {"status": "active"}}
