"""API application pages (register, key and secret, administrative flag, authorized apps
with revoke) and the `consumer` / `token` CLI commands."""
import re


from portal.api.models import Consumer, Token
from portal.api.services import create_consumer, issue_access_token
from portal.auth.models import User
from portal.extensions import db


def test_register_an_application_and_see_key_and_secret(app, client, auth, uni):
    auth.login("stud1")
    page = client.get("/api/apps").get_data(as_text=True)
    assert 'data-testid="register"' in page and "everyone" not in page
    r = client.post("/api/apps", data={"name": "My planner", "url": "https://planner.example.com", "email": ""})
    assert r.status_code == 303
    with app.app_context():
        consumer = db.session.scalar(db.select(Consumer).filter_by(name="My planner"))
        assert consumer.owner.login == "stud1" and not consumer.administrative
        assert consumer.email == "stud1@example.edu.pl"
        key, secret = consumer.key, consumer.secret
    page = client.get(r.location).get_data(as_text=True)
    assert key in page and secret in page
    assert "My planner" in client.get("/api/apps").get_data(as_text=True)


def test_register_validation(client, auth, uni):
    auth.login("stud1")
    r = client.post("/api/apps", data={"name": "", "url": "not a url"})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.get_data(as_text=True)


def test_others_cannot_see_an_application_secret(app, client, auth, uni):
    with app.app_context():
        consumer = create_consumer("Lecturer tool", owner=db.session.get(User, uni.lecturer.id))
        db.session.commit()
        cid, secret = consumer.id, consumer.secret
    auth.login("stud1")
    assert client.get(f"/api/apps/{cid}").status_code == 404
    auth.logout()
    auth.login("admin")
    assert secret in client.get(f"/api/apps/{cid}").get_data(as_text=True)


def test_only_administrators_mark_consumers_administrative(app, client, auth, uni):
    with app.app_context():
        consumer = create_consumer("Dean's office", owner=db.session.get(User, uni.lecturer.id))
        db.session.commit()
        cid = consumer.id
    auth.login("lect")
    assert client.post(f"/api/apps/{cid}/administrative", data={"value": "true"}).status_code == 403
    auth.logout()
    auth.login("admin")
    assert 'data-testid="everyone"' in client.get("/api/apps").get_data(as_text=True)
    r = client.post(f"/api/apps/{cid}/administrative", data={"value": "true"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.get_data(as_text=True).startswith(f'<tr id="consumer-{cid}"')
    with app.app_context():
        assert db.session.get(Consumer, cid).administrative
    r = client.post(f"/api/apps/{cid}/administrative", data={"value": "false"})
    assert r.status_code == 303
    with app.app_context():
        assert not db.session.get(Consumer, cid).administrative


def test_authorized_applications_and_revoke(app, client, auth, api, uni):
    with app.app_context():
        consumer = create_consumer("Timetable app")
        other = create_consumer("Other app")
        student = db.session.get(User, uni.student.id)
        t1 = issue_access_token(student, consumer, ["studies"])
        t2 = issue_access_token(student, consumer, ["grades"])
        t3 = issue_access_token(student, other, [])
        t4 = issue_access_token(db.session.get(User, uni.lecturer.id), consumer, ["studies"])
        db.session.commit()
        cid, tokens = consumer.id, [t1.token, t2.token, t3.token, t4.token]
    auth.login("stud1")
    page = client.get("/api/apps").get_data(as_text=True)
    assert "Timetable app" in page and "Other app" in page and "<code>grades</code>" in page
    r = client.post(f"/api/authorized/{cid}/revoke", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.get_data(as_text=True) == ""
    with app.app_context():
        revoked = {t.token: t.revoked for t in db.session.scalars(db.select(Token).where(Token.token.in_(tokens)))}
    assert revoked == {tokens[0]: True, tokens[1]: True, tokens[2]: False, tokens[3]: False}
    assert "Timetable app" not in client.get("/api/apps").get_data(as_text=True)
    assert client.post(f"/api/authorized/{cid}/revoke").status_code == 303  # idempotent, plain form post


def test_nav_and_sign_in_required(client, auth, uni):
    assert client.get("/api/apps").status_code == 302
    auth.login("stud1")
    assert 'href="/api/apps"' in client.get("/").get_data(as_text=True)


def test_cli_consumer_and_token(app, runner, api, uni):
    out = runner.invoke(args=["consumer", "create", "Script"]).output.split()
    assert len(out) == 2
    key, secret = out
    admin_out = runner.invoke(args=["consumer", "create", "Admin script", "--admin"]).output.split()
    with app.app_context():
        assert db.session.scalar(db.select(Consumer).filter_by(key=admin_out[0])).administrative
        assert not db.session.scalar(db.select(Consumer).filter_by(key=key)).administrative
    result = runner.invoke(args=["token", "create", "stud1", "--consumer", key, "--scopes", "studies|grades"])
    token, token_secret = result.output.split()
    with app.app_context():
        t = db.session.scalar(db.select(Token).filter_by(token=token))
        assert t.kind == "access" and t.user.login == "stud1" and t.scope_list == ["studies", "grades"]
    api.consumer = (key, secret)
    r = api.call("services/users/user", token=(token, token_secret))
    assert r.status_code == 200 and r.get_json()["id"] == str(uni.student.id)
    for args, message in ((["token", "create", "nobody", "--consumer", key], "No user"),
                          (["token", "create", "stud1", "--consumer", "nope"], "No consumer"),
                          (["token", "create", "stud1", "--consumer", key, "--scopes", "bogus"], "Unknown scopes")):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output
    assert re.fullmatch(r"\S+ \S+\n", runner.invoke(args=["consumer", "create", "X", "--owner", "stud1"]).output)
