"""Running `helpgen collect` and a real PostgreSQL server for the tests (not a test module)."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from sqlalchemy import create_engine, select

from conftest import ROOT

LISTENING = re.compile(r"at http://([^ ]+?)/ into")


class Collector:
    """`python -m helpgen collect SITE --port 0` in its own process; `url` once it listens."""

    def __init__(self, site: Path, database: str | None, log: Path, port: int = 0,
                 env: dict[str, str] | None = None):
        self.site, self.database, self.log, self.port = site, database, log, port
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> "Collector":
        args = [sys.executable, "-m", "helpgen", "collect", str(self.site), "--port", str(self.port)]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
               **self.env}
        if self.database:
            env["HELPGEN_DATABASE_URL"] = self.database
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log.read_text())
            if found and "Application startup complete" in self.log.read_text():
                self.url = f"http://{found.group(1)}/"
                return self
            if self.process.poll() is not None:
                raise AssertionError(f"helpgen collect exited:\n{self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"helpgen collect did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        """kill -9: no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> int:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            return self.process.wait(timeout=30)
        return self.process.returncode if self.process else 0

    def post(self, path: str, body, origin: str | None = None, **headers) -> httpx.Response:
        if origin:
            headers["Origin"] = origin
        if isinstance(body, (dict, list)):
            return httpx.post(self.url + path, json=body, headers=headers, timeout=30)
        return httpx.post(self.url + path, content=body, headers=headers, timeout=30)


def rows(database: str, table: str) -> list[dict]:
    """Every row of `table`, as the collector stored it."""
    from helpgen.collect import store
    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(
                select(store.metadata.tables[table]).order_by("id"))]
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """A PostgreSQL server of Debian's `postgresql` package in a temporary data folder, run as
    an unprivileged user when the tests run as root (as CI does: the server refuses root)."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            pytest.skip("PostgreSQL is not installed (Debian package postgresql)")
        self.bin = Path(binaries[-1]).parent
        # Not below pytest's temporary folder, which only root may enter.
        self.folder = Path(tempfile.mkdtemp(prefix="helpgen-postgres-"))
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres" if _user_exists("postgres") else "nobody"
        self.port = free_port()
        self.url = f"postgresql://helpgen@127.0.0.1:{self.port}/postgres"

    def _run(self, *args) -> None:
        subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True,
                       user=self.user, timeout=120)

    def start(self) -> "Postgres":
        data = self.folder / "data"
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(data), "-U", "helpgen", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class Recorder:
    """An HTTP server on 127.0.0.1 standing in for a webhook, Zendesk or Freshdesk: records
    each request (path, headers, JSON body) and answers with the next of `statuses` (the last
    one once they run out)."""

    def __init__(self, statuses=(201,), port: int = 0, answer: bytes = b'{"ok": true}'):
        import http.server
        import json
        import threading
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                form = "form-urlencoded" in self.headers.get("Content-Type", "")
                recorder.requests.append({
                    "path": self.path, "headers": dict(self.headers), "raw": body,
                    "json": None if form else json.loads(body or b"null"),
                    "form": dict(parse_qsl(body.decode())) if form else None})
                status = recorder.statuses.pop(0) if len(recorder.statuses) > 1 else \
                    recorder.statuses[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_for(condition, seconds: float = 30.0):
    """Poll `condition` until it returns something true (bounded); that value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("gave up waiting")
