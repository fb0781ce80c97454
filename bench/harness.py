"""What bench/run.py is made of: gunicorn servers, signed-in people, wrk runs, the table."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WRK_THREADS = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DATABASE_PID = None  # the PostgreSQL server's postmaster, when run.py started one: its CPU is shown too


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU seconds of a process and its children (gunicorn's workers, PostgreSQL's
    backends), read from /proc: what a server spent, apart from wrk's share of the same cores."""
    pids = [str(pid)]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            pids += Path(f"/proc/{pid}/task/{task}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


class CpuMeter:
    """The CPU the web servers (and the PostgreSQL server) spend while wrk runs, per answer.
    Read when wrk has finished, before the drain: requests still queued then are neither
    counted by wrk nor (but for the few in progress) paid for here."""

    def __init__(self, servers):
        self.servers = servers
        self.start = self._read()

    def _read(self):
        return (sum(server.cpu() for server in self.servers),
                cpu_seconds(DATABASE_PID) if DATABASE_PID else None)

    def note(self, result):
        web, database = self._read()
        per = 1e6 / max(result.requests, 1)
        result.web_cpu_us = (web - self.start[0]) * per
        if database is not None:
            result.db_cpu_us = (database - self.start[1]) * per
        return result


class Server:
    """A gunicorn like `make run`'s: sync workers, a deep listen backlog for the rush."""

    def __init__(self, app_spec, workers, cwd=ROOT, env=None, probe="/"):
        self.port, self.workers, self.probe = free_port(), workers, probe
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--backlog", "4096", "--timeout", "120", "--log-level", "warning", app_spec],
            cwd=cwd, env=dict(os.environ, **(env or {})), stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn {app_spec} died:\n{self.errors()}")
            try:
                requests.get(self.url + "/", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn {app_spec} did not answer")

    def drain(self):
        """Wait until the requests a finished wrk run left queued (wrk closed their sockets,
        gunicorn still serves them) are done: one probe per worker, queued behind them."""
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(self.workers) as pool:
            list(pool.map(lambda _: requests.get(self.url + self.probe, timeout=600), range(self.workers)))

    def errors(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def cpu(self):
        """CPU seconds gunicorn's master and workers have used so far."""
        return cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def indeks(db_url, secret, workers, **config):
    """Indeks under gunicorn; `config`: environment settings (PORTAL_PAGE_KEEP_SECONDS="0")."""
    return Server("app:app", workers, env={"DATABASE_URL": db_url, "SECRET_KEY": secret, **config},
                  probe="/services/apisrv/now")


def bare(workers):
    return Server("bare:app", workers, cwd=BENCH)


def floor(db_url, secret, workers):
    """bench/floor.py: a signed-in click on Indeks's stack and nothing else."""
    return Server("floor:app", workers, cwd=BENCH, env={"FLOOR_DATABASE_URL": db_url, "FLOOR_SECRET": secret})


def people_file(app, logins, directory):
    """Sign each person in through the portal (in-process, the same views gunicorn runs) and
    write their cookie and CSRF token for wrk; returns the file's path."""
    import re
    csrf_re = re.compile(r'name="csrf-token" content="([^"]+)"')
    from scenario import PASSWORD
    lines = []
    for login in logins:
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = "indeks-bench"  # what load.lua sends
        token = csrf_re.search(client.get("/login").get_data(as_text=True)).group(1)
        r = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
        if r.status_code not in (302, 303):
            raise SystemExit(f"cannot sign {login} in: {r.status_code}")
        token = csrf_re.search(client.get("/").get_data(as_text=True)).group(1)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        lines.append(f"{cookie.key}={cookie.value}\t{token}")
    path = Path(directory) / f"people-{len(os.listdir(directory))}.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def anonymous_file(directory):
    path = Path(directory) / "anonymous.tsv"
    path.write_text("\t\n")
    return path


@dataclass
class Result:
    name: str
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict
    errors: dict
    base: "Result" = None
    goal: float = None
    web_cpu_us: float = None  # gunicorn's CPU per answer (CpuMeter)
    db_cpu_us: float = None   # the PostgreSQL server's
    notes: list = field(default_factory=list)

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self):
        """Server errors and sockets that broke or timed out."""
        return sum(self.errors.values()) + sum(n for s, n in self.statuses.items() if int(s) >= 500)

    def count(self, *statuses):
        return sum(self.statuses.get(str(s), 0) for s in statuses)


def wrk(name, url, people, connections, duration, method="GET", body="", etag=""):
    """One wrk run: `connections` open connections for `duration` seconds."""
    threads = min(WRK_THREADS, connections)
    cmd = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
           "-s", str(BENCH / "load.lua"), url, "--", str(people), method, body, etag]
    return cmd, dict(os.environ, WRK_THREADS=str(threads))


def run_wrk(name, server, path, *args, **kwargs):
    """One wrk run against `server`; returns once the server has served what was queued."""
    meter = CpuMeter([server])
    result = meter.note(merge(name, [start_wrk(name, server.url + path, *args, **kwargs)]))
    server.drain()
    return result


def start_wrk(name, *args, **kwargs):
    cmd, env = wrk(name, *args, **kwargs)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def merge(name, procs):
    """One Result of wrk processes run at the same time (two hosts): counts add up, the p99
    is the worse of the two."""
    parts = []
    for proc in procs:
        out, _ = proc.communicate()
        line = next((ln for ln in out.splitlines() if ln.startswith("WRK_JSON ")), None)
        if line is None:
            raise SystemExit(f"wrk failed for {name}:\n{out}")
        parts.append(json.loads(line[len("WRK_JSON "):]))
    statuses, errors = {}, {}
    for p in parts:
        for k, v in p["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
        for k, v in p["errors"].items():
            errors[k] = errors.get(k, 0) + v
    requests_ = sum(p["requests"] for p in parts)
    p50 = sum(p["p50_us"] * p["requests"] for p in parts) / max(requests_, 1)
    return Result(name, 0, requests_, max(p["duration_us"] for p in parts) / 1e6, p50 / 1000,
                  max(p["p99_us"] for p in parts) / 1000, statuses, errors)


HEADER = (f"{'':<40} {'conns':>5} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  "
          f"{'vs bare':>7}  {'CPU µs':>9}  statuses")


def show(result, connections, base=None, goal=None, p99_goal=None):
    """Print one row; `goal` is the least share of bare Flask's requests/s the row should reach."""
    result.connections, result.base, result.goal = connections, base, goal
    ratio = result.rate / base.rate if base and base.rate else None
    statuses = " ".join(f"{s}:{n}" for s, n in sorted(result.statuses.items()))
    broken = {k: v for k, v in result.errors.items() if v}
    if broken:
        statuses += "  socket errors " + " ".join(f"{k}:{v}" for k, v in broken.items())
    verdict = []
    if goal is not None and ratio is not None:
        verdict.append(f"goal >= {goal:.2f} {'met' if ratio >= goal else 'NOT met'}")
    if p99_goal is not None:
        verdict.append(f"p99 <= {p99_goal:.0f} ms {'met' if result.p99_ms <= p99_goal else 'NOT met'}")
    cpu = "" if result.web_cpu_us is None else f"{result.web_cpu_us:.0f}"
    if result.db_cpu_us is not None:
        cpu += f"+{result.db_cpu_us:.0f}"
    print(f"{result.name:<40} {connections:>5} {result.requests:>8} {result.rate:>8.0f} {result.p50_ms:>8.1f} "
          f"{result.p99_ms:>8.1f}  {'' if ratio is None else f'{ratio:>7.2f}':>7}  {cpu:>9}  {statuses}"
          + (f"  [{'; '.join(verdict)}]" if verdict else ""), flush=True)
    result.notes = verdict
    return result
