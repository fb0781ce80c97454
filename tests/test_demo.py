"""The demo university: loads into an empty database, deterministic, modules' data linked."""
from portal.auth.models import User
from portal.extensions import db
from portal.university.models import ClassGroup, CourseEdition, Term


def _snapshot():
    users = db.session.execute(db.select(User.login, User.first_name, User.last_name)
                               .order_by(User.id)).all()
    groups = db.session.execute(db.select(ClassGroup.id, ClassGroup.unit_id, ClassGroup.number)
                                .order_by(ClassGroup.id)).all()
    return users, groups


def test_seed_demo_cli(runner, app):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "300 students" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).filter(User.is_student)) == 301
        assert db.session.scalar(db.select(db.func.count(User.id)).filter(User.is_lecturer)) == 15
        terms = db.session.scalars(db.select(Term).order_by(Term.order_key)).all()
        assert len(terms) == 2 and terms[1].is_active and not terms[0].is_active
        lecturer1 = db.session.scalar(db.select(User).filter_by(login="lecturer1"))
        student1 = db.session.scalar(db.select(User).filter_by(login="student1"))
        taught = [g for g in db.session.scalars(db.select(ClassGroup)) if g.is_lecturer(lecturer1)]
        assert any(g.has_participant(student1) for g in taught)
        coordinated = [e for e in db.session.scalars(db.select(CourseEdition)) if e.is_coordinator(lecturer1)]
        assert any(any(g.has_participant(student1) for u in e.units for g in u.groups) for e in coordinated)
        first = _snapshot()
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    with app.app_context():
        assert _snapshot() == first


def test_seed_demo_is_deterministic(app, db_url, tmp_path):
    from portal import create_app
    from portal.demo import seed_demo
    with app.app_context():
        seed_demo()
        first = _snapshot()
    # a second, separate database gets the very same people and groups
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite3'}"})
    with other.app_context():
        db.create_all()
        seed_demo()
        assert _snapshot() == first
        db.engine.dispose()


def test_demo_logins_work(client, app):
    with app.app_context():
        from portal.demo import seed_demo
        seed_demo()
    for login, role in (("admin", "role-admin"), ("lecturer1", "role-lecturer"), ("student1", "role-student")):
        r = client.post("/login", data={"login": login, "password": "demo"})
        assert r.status_code == 302, login
        home = client.get("/")
        assert home.status_code == 200 and role in home.get_data(as_text=True), login
        client.post("/logout")
