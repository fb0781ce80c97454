"""services/users: the people model, who sees which field, users/users, user2, search2, employment."""
import pytest
from usos_api.models import EmploymentPosition as UsosPosition, User as UsosUser

from .factories_people import people

M = "services/users/"
EVERYTHING = ("id|first_name|middle_names|last_name|sex|titles|student_status|staff_status|phd_student_status|"
              "email_access|email|has_email|homepage_url|profile_url|phone_numbers|office_hours|interests|has_photo|"
              "photo_urls[50x50|100x100|150x200|original]|student_number|library_card_id|student_programmes|"
              "employment_positions|employment_functions")
PERSONAL = ("student_number", "library_card_id", "student_programmes")


@pytest.fixture
def uni(make, app):
    return people(make, app)


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_usos_api_default_selector_as_the_user_themself(api, uni):
    fields = ("id|first_name|last_name|sex|email|student_number|student_programmes|student_status|staff_status|"
              "has_photo|photo_urls[original]")
    body = ok(api.call(M + "user", user=uni.student, fields=fields))
    assert body["sex"] == "F" and body["student_status"] == 2 and body["staff_status"] == 0
    assert body["email"] == uni.student.email and body["student_number"] == uni.student.student_number
    assert body["student_programmes"] == [
        {"id": str(uni.enrolment.id), "programme": {"id": "P-INF", "description": {"pl": "Kierunek P-INF",
                                                                                  "en": "Programme P-INF"}}},
        {"id": str(uni.cancelled.id), "programme": {"id": "P-MAT", "description": {"pl": "Kierunek P-MAT",
                                                                                  "en": "Programme P-MAT"}}}]
    assert body["has_photo"] is False and list(body["photo_urls"]) == ["original"]
    user = UsosUser.model_validate(body)
    assert user.student_programmes[0].programme.id == "P-INF" and user.sex.value == "F"


def test_every_field_validates_for_each_kind_of_caller(api, uni):
    callers = {"self": dict(user=uni.student), "other student": dict(user=uni.outsider),
               "lecturer": dict(user=uni.lecturer), "consumer only": {}, "administrative": dict(admin=True)}
    for who, how in callers.items():
        for target in (uni.student, uni.lecturer):
            body = ok(api.call(M + "user", user_id=target.id, fields=EVERYTHING, **how))
            assert set(body) == set(EVERYTHING.replace("[50x50|100x100|150x200|original]", "").split("|")), who
            UsosUser.model_validate(body)


def test_personal_fields_only_for_the_person_staff_and_administrative_consumers(api, uni):
    fields = "|".join(PERSONAL)
    shown = {"self": dict(user=uni.student), "lecturer": dict(user=uni.lecturer), "administrative": dict(admin=True)}
    for who, how in shown.items():
        body = ok(api.call(M + "user", user_id=uni.student.id, fields=fields, **how))
        assert body["student_number"] == uni.student.student_number and body["library_card_id"] == "L1", who
        assert len(body["student_programmes"]) == 2, who
    for who, how in {"other student": dict(user=uni.outsider), "consumer only": {}}.items():
        body = ok(api.call(M + "user", user_id=uni.student.id, fields=fields, **how))
        assert body == {"student_number": None, "library_card_id": None, "student_programmes": []}, who


def test_email_rules(api, uni):
    def email(caller, scopes, target):
        return ok(api.call(M + "user", user=caller, scopes=scopes, user_id=target.id,
                           fields="email|email_access|has_email"))
    assert email(uni.student, ("email",), uni.student) == {"email": uni.student.email, "email_access": "plaintext",
                                                          "has_email": True}
    assert email(uni.student, ("studies",), uni.student)["email"] is None
    assert email(uni.student, ("other_emails",), uni.lecturer) == {"email": None, "email_access": "no_access",
                                                                  "has_email": True}
    assert email(uni.lecturer, ("other_emails",), uni.student)["email"] == uni.student.email
    assert email(uni.lecturer, ("email",), uni.student)["email"] is None


def test_staff_contact_details_are_public_and_students_phones_are_not(api, uni):
    fields = "titles|staff_status|office_hours|phone_numbers|homepage_url|middle_names|employment_positions|" \
             "employment_functions"
    body = ok(api.call(M + "user", user_id=uni.lecturer.id, fields=fields))  # a consumer, no token
    assert body["staff_status"] == 2 and body["office_hours"] == {"pl": "wt. 10-12", "en": "Tue 10-12"}
    assert body["phone_numbers"] == ["+48 1"] and body["homepage_url"] == "https://example.edu.pl/~lect"
    assert body["middle_names"] == "Jan" and body["titles"] == {"before": None, "after": None}
    assert body["employment_positions"] == [{
        "position": {"id": "ADIUNKT", "name": {"pl": "adiunkt", "en": "assistant professor"},
                     "employment_group": {"id": "NA", "name": {"pl": "Nauczyciele akademiccy",
                                                               "en": "Academic teachers"}}},
        "faculty": {"id": "FAC", "name": {"pl": "Wydział FAC", "en": "Faculty FAC"}}}]
    assert body["employment_functions"] == [{"function": {"pl": "Prodziekan", "en": "Vice-Dean"},
                                             "faculty": {"id": "FAC", "name": {"pl": "Wydział FAC",
                                                                               "en": "Faculty FAC"}},
                                             "is_official": True}]
    UsosPosition.model_validate(body["employment_positions"][0])
    assert ok(api.call(M + "user", user=uni.outsider, user_id=uni.student.id, fields="phone_numbers")) == \
        {"phone_numbers": []}
    assert ok(api.call(M + "user", user=uni.student, fields="phone_numbers")) == {"phone_numbers": ["+48 2"]}


def test_statuses(api, uni, make):
    nobody = make.user("nobody")
    doctoral = make.user("phd", student=True, lecturer=True)
    uni.p.enrol(doctoral, uni.doctoral)
    former = make.user("former")
    uni.p.enrol(former, uni.programme, status="graduated_diploma")
    fields = "student_status|staff_status|phd_student_status"
    expect = {nobody: (0, 0, 0), doctoral: (2, 2, 2), former: (1, 0, 0), uni.student: (2, 0, 0),
              uni.admin: (0, 1, 0)}
    for person, statuses in expect.items():
        body = ok(api.call(M + "user", user_id=person.id, fields=fields))
        assert (body["student_status"], body["staff_status"], body["phd_student_status"]) == statuses, person.login


def test_photo_urls_answer_with_an_image(api, uni, client):
    body = ok(api.call(M + "user", user_id=uni.student.id, fields="has_photo|photo_urls"))
    assert body["has_photo"] is False and list(body["photo_urls"]) == ["50x50"]  # the default size
    every = ok(api.call(M + "user", user_id=uni.student.id, fields="photo_urls[50x50|original|100x100|150x200]"))
    for url in every["photo_urls"].values():
        r = client.get(url.replace("http://localhost", ""))
        assert r.status_code == 200 and r.mimetype == "image/png" and r.data.startswith(b"\x89PNG")
        r.close()
    r = api.call(M + "user", user_id=uni.student.id, fields="photo_urls[10x10]")
    assert r.status_code == 400 and r.get_json()["error"] == "field_not_found"
    assert r.get_json()["method_name"] == M + "user"


def test_defaults_and_errors(api, uni):
    assert ok(api.call(M + "user", user=uni.student)) == {
        "id": str(uni.student.id), "first_name": uni.student.first_name, "last_name": uni.student.last_name}
    r = api.call(M + "user")  # a consumer without a token must say whom
    assert r.status_code == 400 and r.get_json()["error"] == "param_missing"
    r = api.call(M + "user", user_id="999999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    r = api.call(M + "user", user_id=uni.student.id, fields="nope")
    assert r.status_code == 400 and r.get_json()["error"] == "field_not_found"
    r = api.call(M + "user", user_id=uni.student.id, signed=False)
    assert r.status_code == 401


def test_user2_is_the_same_person(api, uni):
    one = ok(api.call(M + "user", user=uni.student, fields=EVERYTHING))
    two = ok(api.call(M + "user2", user=uni.student, fields=EVERYTHING))
    assert one == two


def test_users_dictionary(api, uni):
    body = ok(api.call(M + "users", user_ids=f"{uni.student.id}|{uni.lecturer.id}|999999|x",
                       fields="id|last_name|student_programmes|employment_positions"))
    assert set(body) == {str(uni.student.id), str(uni.lecturer.id), "999999", "x"}
    assert body["999999"] is None and body["x"] is None
    assert body[str(uni.student.id)]["student_programmes"] == []  # a consumer without a token
    assert len(body[str(uni.lecturer.id)]["employment_positions"]) == 1
    for value in body.values():
        if value is not None:
            UsosUser.model_validate(value)
    r = api.call(M + "users")
    assert r.status_code == 400 and r.get_json()["param_name"] == "user_ids"


def test_users_list_has_no_n_plus_1(api, uni, make, app):
    from sqlalchemy import event
    from portal.extensions import db
    fields = "id|student_status|student_programmes[id|programme[id|name|faculty]]|employment_positions|" \
             "employment_functions|phd_student_status"
    extra = [make.user(f"many{i}", student=True) for i in range(8)]
    for person in extra:
        uni.p.enrol(person, uni.programme)

    def count(ids):
        statements = []
        with app.app_context():
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                r = api.call(M + "users", user=uni.lecturer, user_ids="|".join(str(i) for i in ids), fields=fields)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        assert r.status_code == 200, r.get_json()
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    count([uni.student.id])  # the first call also issues the token
    few = count([uni.student.id, extra[0].id])
    many = count([uni.student.id, *(p.id for p in extra)])
    assert few == many


def test_search2(api, uni, make):
    make.user("kowalska", lecturer=True, first_name="Anna", last_name="Kowalska")
    make.user("kowalski", student=True, first_name="Jan", last_name="Kowalski")
    make.user("lkowal", student=True, first_name="Łucja", last_name="Nowak")
    body = ok(api.call(M + "search2", user=uni.student, query="kowal"))
    assert [i["user"]["last_name"] for i in body["items"]] == ["Kowalska", "Kowalski"]
    assert body["items"][0]["match"] == "Anna <b>Kowal</b>ska" and body["next_page"] is False
    assert set(body["items"][0]["user"]) == {"id", "first_name", "last_name"}
    staff_only = ok(api.call(M + "search2", query="kowal"))  # without a token, staff only
    assert [i["user"]["last_name"] for i in staff_only["items"]] == ["Kowalska"]
    body = ok(api.call(M + "search2", user=uni.student, query="łucja"))
    assert [i["user"]["first_name"] for i in body["items"]] == ["Łucja"]
    paged = ok(api.call(M + "search2", user=uni.student, query="kowal", num=1, start=1,
                        fields="items[user[id|titles]]|next_page"))
    assert paged == {"items": [{"user": {"id": paged["items"][0]["user"]["id"],
                                         "titles": {"before": None, "after": None}}}], "next_page": False}
    for bad in (dict(query=""), dict(query="a", num=0), dict(query="a", num=21), dict(query="a", start=-1)):
        r = api.call(M + "search2", user=uni.student, **bad)
        assert r.status_code == 400 and r.get_json()["error"] in ("param_invalid", "param_missing"), bad
    r = api.call(M + "search2", user=uni.student, query="a", fields="items[user[student_programmes]]")
    assert r.status_code == 400 and r.get_json()["error"] == "field_invalid"  # only primary fields in items


def test_employment_methods(api, uni):
    body = ok(api.call(M + "employment_positions", user_id=uni.lecturer.id))
    assert [p["position"]["id"] for p in body] == ["ADIUNKT"]
    assert ok(api.call(M + "employment_functions", user=uni.lecturer)) == [
        {"function": {"pl": "Prodziekan", "en": "Vice-Dean"}, "faculty": {"id": "FAC", "name": {
            "pl": "Wydział FAC", "en": "Faculty FAC"}}, "is_official": True}]
    assert ok(api.call(M + "position", position_id="ADIUNKT", fields="id|employment_group[university_teachers]")) == {
        "id": "ADIUNKT", "employment_group": {"university_teachers": True}}
    assert ok(api.call(M + "employment_group", id="NA"))["id"] == "NA"
    r = api.call(M + "position", position_id="NOPE")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


def test_apiref_describes_every_field(client):
    for name in ("user", "users", "user2", "search2", "employment_positions"):
        doc = client.get(f"/services/apiref/method?name={M}{name}").get_json()
        assert doc["result_fields"] and all(f["description"] for f in doc["result_fields"]), name
    doc = client.get(f"/services/apiref/method?name={M}user").get_json()
    photo = next(f for f in doc["result_fields"] if f["name"] == "photo_urls")
    assert "50x50, 100x100, 150x200, original" in photo["description"]
    secondary = {f["name"] for f in doc["result_fields"] if f["is_secondary"]}
    assert secondary == {"student_programmes", "employment_positions", "employment_functions"}


def test_every_method_of_the_modules_around_ours_is_documented(client):
    from portal.api.registry import METHODS
    modules = ("services/users", "services/progs", "services/courses", "services/groups", "services/terms",
               "services/tt", "services/fac", "services/geo", "services/calendar")
    paths = [p for p, m in METHODS.items() if m.module in modules]
    assert len(paths) >= 40
    for path in paths:
        doc = client.get("/services/apiref/method", query_string={"name": path}).get_json()
        assert doc["brief_description"], path
        assert all(a["description"] for a in doc["arguments"]), path
        # apiref's stand-in for a field declared without a description is "Its name."
        undocumented = [f["name"] for f in doc["result_fields"]
                        if f["description"].startswith(f["name"].replace("_", " ").capitalize() + ".")]
        assert undocumented == [], path
