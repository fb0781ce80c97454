"""In-process cost of one request: CPU milliseconds and SQL statements, per page and rush path.

    .venv/bin/python bench/cost.py [--repeat 20] [--cprofile "exam refusal"] [--sql "my grades"]

Seeds the demo university and a rush (see scenario.py) into a temporary SQLite database (or
DATABASE_URL), signs people in through the portal, then sends each request through Flask's
test client: no HTTP server, no load generator, so the figures hold on a busy machine too
(CPU time of this process, not wall time). `--cprofile NAME` prints where one path's time goes,
`--sql NAME` its statements. This is what decides an optimisation; `bench/run.py` then shows
what it gives under load.
"""
import argparse
import cProfile
import os
import pstats
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import scenario  # noqa: E402

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


class Counter:
    def __init__(self, engine):
        from sqlalchemy import event
        self.n, self.log = 0, None
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.n += 1
        if self.log is not None:
            self.log.append(statement)


def signed_in(app, login):
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"login": login, "password": scenario.PASSWORD, "csrf_token": token})
    assert r.status_code in (302, 303), (login, r.status_code)
    client.csrf = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)
    return client


def measure(counter, send, repeat, count_calls=True):
    """[(cpu ms, statements, status, python calls)] of `repeat` calls of send(i); the Python
    function calls (counted by cProfile on every third call) do not depend on how busy the
    machine is, the CPU time does."""
    out = []
    for i in range(repeat):
        n0, c0 = counter.n, time.process_time()
        if count_calls and i % 3 == 2:
            prof = cProfile.Profile()
            prof.enable()
            status = send(i)
            prof.disable()
            calls = pstats.Stats(prof).total_calls
        else:
            status, calls = send(i), None
        cpu = (time.process_time() - c0) * 1000 if calls is None else None
        out.append((cpu, counter.n - n0, status, calls))
    return out


def line(name, results):
    cpu = statistics.median(r[0] for r in results if r[0] is not None)
    calls = [r[3] for r in results if r[3] is not None]
    calls = round(statistics.median(calls) / 1000, 1) if calls else float("nan")
    stmts = sorted({r[1] for r in results})
    statuses = sorted({r[2] for r in results})
    shown = str(stmts[0]) if len(stmts) == 1 else f"{stmts[0]}-{stmts[-1]}"
    print(f"{name:<38} {cpu:>8.2f} {shown:>10} {calls:>9}  {','.join(map(str, statuses))}")
    return {"cpu_ms": round(cpu, 2), "statements": stmts, "statuses": statuses, "kcalls": calls}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--cprofile", metavar="NAME", help="print the profile of one path")
    ap.add_argument("--sql", metavar="NAME", help="print the statements of one request of a path")
    ap.add_argument("--only", metavar="NAME", action="append", help="measure only these paths")
    ap.add_argument("--dump", metavar="FILE", help="with --cprofile: also write the profile to FILE (pstats)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="indeks-profile-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/profile.sqlite3"
    from portal import create_app
    from portal.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": secrets.token_hex(16)})
    scenario.seed_demo_once(app)
    repeat = args.repeat
    rush = scenario.seed_rush(app, secrets.token_hex(3), students=2 * repeat + 60, seats=30, reserve=10)
    pages = scenario.demo_pages(app)
    with app.app_context():
        counter = Counter(db.engine)
    clients = {login: signed_in(app, login) for login in {login for login, _ in pages.values()}}
    people = [signed_in(app, login) for login in rush.logins]
    exam_id, slot_id = rush.exam_slots[0]
    date_id = rush.meeting_dates[0]
    pick = f"/exams/{exam_id}/slots/{slot_id}"
    sign_up = f"/meetings/dates/{date_id}/sign-up"

    def get(client, path):
        return lambda i: client.get(path).status_code

    def post(path, data=None, offset=0):
        def send(i):
            c = people[(offset + i) % len(people)]
            return c.post(path, data=data, headers={"X-CSRFToken": c.csrf, "HX-Request": "true"}).status_code
        return send

    def poll(path, etag_of):
        def send(i):
            c = clients["student1"]
            return c.get(path, headers={"HX-Request": "true", "If-None-Match": etag_of()}).status_code
        return send

    slots = pages["exam page"][1] + "/slots"
    current = clients["student1"].get(slots, headers={"HX-Request": "true"}).headers.get("ETag", "")
    sub = {"substantiation": str(rush.substantiation_id)}
    paths = [("apisrv/now", get(app.test_client(), "/services/apisrv/now"), repeat, True)]
    keep = app.config["PORTAL_PAGE_KEEP_SECONDS"]

    def rendered(send):  # the page rendered for the request: nothing kept (a first view, a change)
        def render(i):
            app.config["PORTAL_PAGE_KEEP_SECONDS"] = 0
            try:
                return send(i)
            finally:
                app.config["PORTAL_PAGE_KEEP_SECONDS"] = keep
        return render

    paths += [(f"{name} (rendered)", rendered(get(clients[login], path)), repeat, True)
              for name, (login, path) in pages.items()]
    paths += [(f"{name} (again: kept)", get(clients[login], path), repeat, True) for name, (login, path) in pages.items()]
    paths += [("notification count (htmx, 1/min)", get(clients["student1"], "/notifications/badge"), repeat, True)]
    paths += [("live seats poll: unchanged (304)", poll(slots, lambda: current), repeat, True),
              ("live seats poll: changed (200)", poll(slots, lambda: 'W/"stale"'), repeat, True)]
    # The rush in the order it happens: 30 seats taken, then refusals (and winners clicking again).
    paths += [("exam pick (seat taken)", post(pick), rush.seats, False),
              ("exam refusal (slot full)", post(pick, offset=rush.seats), repeat, True),
              ("exam refusal (again: kept)", post(pick, offset=rush.seats), repeat, True),
              ("exam refusal (has this seat)", post(pick), min(repeat, rush.seats), True),
              ("consultation sign-up (seat)", post(sign_up, sub), rush.seats, False),
              ("consultation sign-up (reserve)", post(sign_up, sub, rush.seats), rush.reserve, False),
              ("consultation refusal (full)", post(sign_up, sub, rush.seats + rush.reserve), repeat, True),
              ("consultation refusal (again: kept)", post(sign_up, sub, rush.seats + rush.reserve), repeat, True)]
    from portal import heap
    heap.settle()  # as app.py does in every gunicorn worker: what is loaded so far is frozen
    print(f"Indeks in-process cost per request ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, "
          f"median of {repeat}; CPU of this process)")
    print(f"{'':<38} {'CPU ms':>8} {'SQL':>10} {'k calls':>9}  statuses")
    figures = {}
    for name, send, n, warm in paths:
        if args.only and name not in args.only:
            for i in range(n):
                send(i)  # keep the rush in order
            continue
        if warm:
            send(-1)  # templates compiled, SQL cached: what a long-running worker pays (the rush: someone
            # else's click, so that each measured click is its person's first, or again)
        if args.sql == name:
            counter.log = []
            send(0)
            print(f"--- statements of one {name} ---")
            print("\n".join(s.replace("\n", " ")[:300] for s in counter.log))
            counter.log = None
            continue
        if args.cprofile == name:
            prof = cProfile.Profile()
            prof.enable()
            results = measure(counter, send, n, count_calls=False)
            prof.disable()
            if args.dump:
                prof.dump_stats(args.dump)
            pstats.Stats(prof).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(int(os.environ.get("BENCH_LINES", "45")))
        else:
            results = measure(counter, send, n)
        figures[name] = line(name, results)
    tmp.cleanup()
    return figures


if __name__ == "__main__":
    main()
