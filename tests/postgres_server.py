"""A throwaway PostgreSQL 15 cluster for the store tests, and a store fixture over both backends.

The cluster lives in a fresh folder under /tmp (``initdb`` refuses to run as root, so as root
it runs as the ``postgres`` system user), listens on a Unix socket in that folder (trust) and
on 127.0.0.1 at a free port (password, SCRAM), and is stopped and removed at the end of the
session, failures included. Without the server binaries or psycopg the PostgreSQL cases skip
with the reason; with ``CI=true`` they fail (``tests.tools``).

Each test gets a new database copied from a template that ``margin admin init`` prepared,
so tests never see each other's rows; the roles are the cluster's and made once.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from tools import missing

BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
ADMIN = "postgres"
TEMPLATE = "margin_template"
ANNOTATORS = ("ann_a", "ann_b")
CURATOR = "curator_c"
PASSWORD = "s3cret-Passw0rd!"
"""Every test role's password (used over TCP; the socket trusts)."""


def _bindir() -> Path | None:
    override = os.environ.get("MARGIN_PG_BINDIR")
    for candidate in ((override,) if override else ()) + BIN_CANDIDATES:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One running cluster: start, stop, URLs for roles and databases, fresh databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="margin-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._counter = itertools.count(1)
        self.fast = True
        """Without fsync (tests); a benchmark turns it off to measure a durable server."""
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o755)

    def _run(self, *command: str) -> None:
        prefix = ("runuser", "-u", "postgres", "--") if self._as_postgres else ()
        result = subprocess.run(
            (*prefix, *command), capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", ADMIN, "--auth-local=trust",
            "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C",
        )
        self.start()

    def start(self) -> None:
        options = f"-k {self.root} -c listen_addresses=127.0.0.1 -p {self.port} -c max_connections=200"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", role: str = ADMIN) -> str:
        """Over the Unix socket (trusted: no password)."""
        return f"postgresql://{quote(role, safe='')}@/{database}?host={quote(str(self.root), safe='')}&port={self.port}"

    def tcp_url(self, database: str, role: str, password: str = PASSWORD) -> str:
        """Over 127.0.0.1 with a password in the URL, as a teammate on another machine would."""
        return f"postgresql://{quote(role, safe='')}:{quote(password, safe='')}@127.0.0.1:{self.port}/{database}"

    def admin_sql(self, *statements: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def prepare(self) -> None:
        """The template database with Margin's schema and the test roles."""
        import psycopg

        from tui.notes.postgres.admin import add_annotator, initialise_server

        self.admin_sql(f"CREATE DATABASE {TEMPLATE}")
        initialise_server(self.url(TEMPLATE))
        with psycopg.connect(self.url(TEMPLATE), autocommit=True) as connection:
            for role in ANNOTATORS:
                add_annotator(connection, role, PASSWORD, curator=False)
            add_annotator(connection, CURATOR, PASSWORD, curator=True)

    def new_database(self) -> str:
        name = f"t{os.getpid()}_{next(self._counter)}"
        self.admin_sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return name


@pytest.fixture(scope="session")
def postgres_server():
    """The session's PostgreSQL cluster (skips, or fails under CI=true, when unavailable)."""
    bindir = _bindir()
    if bindir is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed: pip install 'margin[postgres]'")
    server = PostgresServer(bindir)
    try:
        server.init()
        server.prepare()
    except Exception as error:
        server.remove()
        missing(f"could not start a throwaway PostgreSQL cluster: {error}")
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def postgres_database(postgres_server):
    """A fresh database with Margin's schema; its name."""
    return postgres_server.new_database()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_opener(request, tmp_path):
    """A function opening the same store again (as ``role`` on PostgreSQL), per backend."""
    from tui.notes.store import open_store

    if request.param == "sqlite":
        path = tmp_path / "notes" / "notes.sqlite3"

        def open_sqlite(role: str | None = None):
            return open_store(path)[0]

        open_sqlite.backend = "sqlite"
        return open_sqlite
    server = request.getfixturevalue("postgres_server")
    database = server.new_database()

    def open_postgres(role: str | None = None):
        return open_store(server.url(database, role or CURATOR))[0]

    open_postgres.backend = "postgresql"
    open_postgres.server = server
    open_postgres.database = database
    return open_postgres
