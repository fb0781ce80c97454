"""The per-instance secret key, and CLI writes that wait for the SQLite write lock."""
import os
import sqlite3
import stat
import subprocess
import sys
import time

import pytest

from portal import create_app
from portal.api.models import Token
from portal.api.services import create_consumer
from portal.extensions import db
from portal.security.secret import FILENAME, instance_secret

from .conftest import BACKEND, ROOT


def test_secret_is_made_once_with_mode_600(tmp_path):
    key = instance_secret(tmp_path / "instance")
    path = tmp_path / "instance" / FILENAME
    assert len(key) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert instance_secret(tmp_path / "instance") == key
    assert sorted(os.listdir(tmp_path / "instance")) == [FILENAME]  # no temporary file left


def test_workers_starting_at_once_agree_on_one_secret(tmp_path):
    code = "import sys; from portal.security.secret import instance_secret; print(instance_secret(sys.argv[1]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert keys == {(tmp_path / FILENAME).read_text().strip()}


def test_app_without_secret_key_uses_the_instance_secret(tmp_path, db_url):
    app = create_app({"TESTING": True, "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": db_url,
                      "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert app.secret_key == (tmp_path / FILENAME).read_text().strip()
    assert create_app({"SECRET_KEY": "set-by-operator", "SQLALCHEMY_DATABASE_URI": db_url,
                       "PORTAL_INSTANCE_PATH": str(tmp_path / "other")}).secret_key == "set-by-operator"
    assert not (tmp_path / "other").exists()


def test_an_unusable_secret_file_stops_start_up(tmp_path):
    (tmp_path / FILENAME).write_text("short")
    with pytest.raises(RuntimeError, match="no usable secret key"):
        instance_secret(tmp_path)


def _waiting(pid, path):
    """The process has the database open and sleeps (waiting for the lock), or has finished."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
        opened = any(os.path.realpath(os.readlink(f"/proc/{pid}/fd/{fd}")) == path for fd in fds)
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True  # already finished
    return state == "Z" or (opened and state == "S")  # finished, or waiting


def test_four_token_commands_at_once_all_succeed(app, db_url, make):
    make.user("student1", student=True)
    with app.app_context():
        key = create_consumer("CLI app").key
        db.session.commit()
        db.engine.dispose()
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="test-secret")
    command = [sys.executable, "-m", "flask", "--app", "app", "token", "create", "student1", "--consumer", key,
               "--scopes", "studies"]
    holder = None
    if BACKEND == "sqlite":
        # Hold the write lock while the four start, and commit a write once they all wait:
        # a command that read before that commit could no longer write ("database is locked").
        path = os.path.realpath(db_url[len("sqlite:///"):])
        holder = sqlite3.connect(path, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE users SET email = 'x@example.edu' WHERE login = 'student1'")
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    if holder is not None:
        deadline = time.time() + 60
        while not all(_waiting(p.pid, path) for p in procs) and time.time() < deadline:
            time.sleep(0.05)
        holder.execute("COMMIT")
        holder.close()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err[-500:] for _out, err in outputs]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Token.id)).filter_by(kind="access")) == 4
