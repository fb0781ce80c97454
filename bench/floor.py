"""The floor: the least a signed-in person's refused click costs with Indeks's own stack.

bench/run.py serves this beside Indeks and the bare app (bench/bare.py), on the same gunicorn
settings and the same database. It is what any app built on Flask, Flask-Login, Flask-WTF and
Flask-SQLAlchemy pays for a click before doing anything of its own: a signed session cookie
opened, the person loaded by Flask-Login's user loader (one ORM query), the CSRF token checked,
and a small refusal answered (409, about Indeks's size). Nothing else: no sign-in record, no
language, no security headers, no seat read. Indeks's rush refusal can be measured against it
as well as against the bare app: the share of bare Flask that the floor reaches is the most any
refusal on this stack can reach on this machine.
"""
import os

from flask import Flask
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import event

db = SQLAlchemy()
REFUSAL = ('<div id="slot-message" hx-swap-oob="true"><p class="flash flash-error" role="alert">'
           'This slot is full: choose another.</p></div>').ljust(495)  # Indeks's refusal is 495 bytes


class Person(UserMixin, db.Model):
    __tablename__ = "floor_people"
    id = db.Column(db.Integer, primary_key=True)
    login = db.Column(db.String(64), unique=True, nullable=False)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)


def _sqlite_wal(dbapi_connection, record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_app(secret, database_url):
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_TIME_LIMIT=None)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_wal)
    CSRFProtect(app)
    logins = LoginManager(app)
    logins.user_loader(lambda person_id: db.session.get(Person, int(person_id)))

    @app.get("/")
    def hello():  # what Server() probes
        return '"floor"', 200, {"Content-Type": "application/json"}

    @app.get("/sign-in/<int:person_id>")
    def sign_in(person_id):  # for seeding only: the person's cookie and their CSRF token
        login_user(db.session.get(Person, person_id))
        return generate_csrf()

    @app.post("/click")
    @login_required
    def click():
        return REFUSAL, 409, {"HX-Reswap": "none"}

    return app


def seed_people(app, count, directory):
    """`count` people, each signed in: a people file for bench/load.lua (cookie, CSRF token)."""
    with app.app_context():
        db.create_all()
        db.session.execute(db.delete(Person))
        db.session.add_all(Person(id=i, login=f"floor{i}", first_name="Anna", last_name=f"Floor {i}")
                           for i in range(1, count + 1))
        db.session.commit()
    lines = []
    for i in range(1, count + 1):
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = "indeks-bench"  # what load.lua sends
        token = client.get(f"/sign-in/{i}").get_data(as_text=True)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        lines.append(f"{cookie.key}={cookie.value}\t{token}")
    path = os.path.join(directory, "floor-people.tsv")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


app = create_app(os.environ["FLOOR_SECRET"], os.environ["FLOOR_DATABASE_URL"]) if "FLOOR_SECRET" in os.environ else None
