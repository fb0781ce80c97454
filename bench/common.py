"""What bench/grading_burst.py uses: a gunicorn of its own, signed-in sessions, a released-at-once burst."""
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(db_url, secret, workers):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY=secret)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                             f"127.0.0.1:{port}", "--timeout", "120", "--backlog", "4096", "--log-level", "warning",
                             "app:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            requests.get(url + "/login", timeout=5)
            return proc, url
        except requests.RequestException:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer")


def sign_in(url, login):
    s = requests.Session()
    token = CSRF_RE.search(s.get(url + "/login", timeout=60).text).group(1)
    r = s.post(url + "/login", data={"login": login, "password": "bench", "csrf_token": token}, timeout=60)
    s.headers["X-CSRFToken"] = CSRF_RE.search(r.text).group(1)
    s.headers["HX-Request"] = "true"
    return s


def release_together(tasks):
    """Run each callable in a thread of its own, all released at the same instant; the wall time."""
    barrier = threading.Barrier(len(tasks) + 1)

    def run(task):
        barrier.wait()
        task()

    threading.stack_size(512 * 1024)
    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def timed(session, method, url, data=None, inspect=None):
    """One request: (status or None, seconds) or, with `inspect(response)`, (status, seconds, extra)."""
    t0 = time.perf_counter()
    try:
        response = session.request(method, url, data=data, timeout=120)
        status, extra = response.status_code, inspect(response) if inspect else None
    except requests.RequestException:
        status, extra = None, None
    took = time.perf_counter() - t0
    return (status, took, extra) if inspect else (status, took)


def bench_university(run_id, prefix):
    """The faculty, term and a fresh course every benchmark seeds into, and a cheap password
    hash for its people ("bench"): a benchmark measures its rush, not password hashing.
    Call inside an app context; returns (faculty, term, course, password_hash)."""
    from datetime import timedelta

    from werkzeug.security import generate_password_hash

    from portal import clock
    from portal.extensions import db
    from portal.langdict import ld
    from portal.university.models import Course, Faculty, Term
    from portal.university.reference import ensure_reference_data
    db.create_all()
    ensure_reference_data()
    today = clock.now().date()
    fac = db.session.get(Faculty, "BENCH") or Faculty(id="BENCH", name=ld("Bench", "Bench"))
    term = db.session.get(Term, "BENCH") or Term(id="BENCH", name=ld("Bench", "Bench"), start_date=today,
                                                 end_date=today + timedelta(days=90),
                                                 finish_date=today + timedelta(days=100), order_key=9999)
    course = Course(id=f"{prefix}-{run_id}", name=ld("Bench", "Bench"), faculty=fac)
    return fac, term, course, generate_password_hash("bench", method="pbkdf2:sha256:1000")
