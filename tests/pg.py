"""A throwaway PostgreSQL server for the test run: initdb into a temp dir, on a free port."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time


def _bindir():
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(os.path.realpath(found))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: run `make system-deps`.")
    return os.path.dirname(candidates[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bindir = _bindir()
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="indeks-pg-")
        self.data = os.path.join(self.dir, "data")
        self.run_as = None
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.run_as = "postgres"
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def _cmd(self, *args):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return cmd

    def start(self):
        subprocess.run(self._cmd("initdb", "-D", self.data, "-U", "indeks", "-A", "trust",
                                 "-E", "UTF8", "--no-locale"), check=True, capture_output=True)
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(self._cmd("pg_ctl", "-D", self.data, "-o", opts, "-l",
                                 os.path.join(self.dir, "log"), "-w", "start"),
                       check=True, capture_output=True)
        self.create_database("indeks_test")
        return self

    def url(self, name="indeks_test"):
        return f"postgresql+psycopg://indeks@127.0.0.1:{self.port}/{name}"

    def create_database(self, name):
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=indeks dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        subprocess.run(self._cmd("pg_ctl", "-D", self.data, "-m", "immediate", "stop"),
                       capture_output=True)
        time.sleep(0.2)
        shutil.rmtree(self.dir, ignore_errors=True)
