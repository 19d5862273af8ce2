"""A real PostgreSQL server for the test run: initdb into a temporary folder, `pg_ctl start` on 127.0.0.1
(one server per session, fsync off), a fresh database per test. Tests that use it carry the `postgres`
marker. Without PostgreSQL's binaries they skip, except under CI=true, where they fail: CI must prove the
PostgreSQL backend (.ci/run installs Debian's `postgresql` when missing).

PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the `postgres` user
(created by Debian's package) through `runuser`, in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SERVER_USER = "postgres"
SUPERUSER = "authbot"


def find_bindir() -> Path | None:
    """Debian's server binaries: `pg_config --bindir` (the newest installed), else /usr/lib/postgresql/*/bin."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    return next((Path(c) for c in candidates if c and (Path(c) / "pg_ctl").exists()), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    as_user: list[str]  # the command prefix that runs a program as the server's owner
    _names: Iterator[int] = field(default_factory=itertools.count)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bindir / program), *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.datadir} -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new, empty database on the server; its URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _owner_prefix(folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    user = pwd.getpwnam(SERVER_USER)  # KeyError when Debian's package (which creates the user) is missing
    os.chown(folder, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", SERVER_USER, "--"]


def start_server() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server binaries are not installed (Debian: apt-get install postgresql)")
    datadir = Path(tempfile.mkdtemp(prefix="authbot-pg-"))  # under /tmp: the server's user can reach it
    prefix = _owner_prefix(datadir)
    server = PostgresServer(bindir, datadir, _free_port(), prefix)
    server._run("initdb", "-D", str(datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
    server.start()
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except (OSError, KeyError, RuntimeError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        message = f"PostgreSQL could not start: {error} {detail.decode(errors='replace')[-500:]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):  # already stopped by a test that failed halfway
            server.stop()
        shutil.rmtree(server.datadir, ignore_errors=True)
