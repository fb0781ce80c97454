"""The profile page (services/users/user's profile_url): who may open whose, and what it shows."""
import pytest

from .factories_people import people


@pytest.fixture
def uni(make, app):
    return people(make, app)


def login(client, user):
    r = client.post("/login", data={"login": user.login, "password": "demo"})
    assert r.status_code in (302, 303), r.status_code


def test_sign_in_required(client, uni):
    r = client.get(f"/people/{uni.lecturer.id}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_staff_members_profile_for_everyone_signed_in(client, uni):
    login(client, uni.outsider)
    page = client.get(f"/people/{uni.lecturer.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Tue 10-12" in page and "assistant professor" in page and "Vice-Dean" in page
    assert "+48 1" in page and "https://example.edu.pl/~lect" in page
    assert uni.lecturer.email not in page  # e-mail addresses: the person and staff only
    assert "Student number" not in page


def test_a_students_profile_only_for_them_and_staff(client, uni):
    login(client, uni.outsider)
    assert client.get(f"/people/{uni.student.id}").status_code == 404
    assert client.get("/people/999999").status_code == 404
    client.post("/logout")
    login(client, uni.lecturer)
    page = client.get(f"/people/{uni.student.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert uni.student.student_number in page and "Programme P-INF" in page and "cancelled" in page
    assert uni.student.email in page and "+48 2" in page


def test_own_profile_in_polish(client, uni):
    login(client, uni.student)
    r = client.get(f"/people/{uni.student.id}", headers={"Accept-Language": "pl"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Numer albumu" in page and "Kierunek P-INF" in page and "skreślony" in page and "L1" in page
    assert f'href="/people/{uni.student.id}"' in client.get("/").get_data(as_text=True)  # the header links to it


def test_profile_url_is_this_page(api, uni, client):
    url = api.call("services/users/user", user_id=uni.lecturer.id, fields="profile_url").get_json()["profile_url"]
    assert url == f"http://localhost/people/{uni.lecturer.id}"
    login(client, uni.student)
    assert client.get(url.replace("http://localhost", "")).status_code == 200
