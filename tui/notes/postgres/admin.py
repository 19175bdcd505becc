"""Setting up a team's server: schema and roles, annotators' logins, purging tombstones.

A password never travels to the server in clear: ``add_annotator`` sends a SCRAM-SHA-256
verifier computed here (what the server itself would store), so neither the server's
statement log nor ``pg_stat_activity`` ever holds it. Role names are quoted as identifiers
by psycopg, so any name is safe to pass.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata

from tui.notes.postgres.connection import Connection, driver
from tui.notes.postgres.schema import ANNOTATORS_ROLE, CURATORS_ROLE, SCHEMA_VERSION, initialise
from tui.notes.store_api import InvalidRequest

SCRAM_ITERATIONS = 4096


def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802, RFC 7677)."""
    salt = salt or secrets.token_bytes(16)
    normalised = unicodedata.normalize("NFKC", password).encode()
    salted = hashlib.pbkdf2_hmac("sha256", normalised, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def initialise_server(url: str) -> tuple[int, int]:
    """``margin admin init``: roles, schema (created or migrated) and grants; (before, after)."""
    db = Connection(url)
    with db.lock, db.errors():
        connection = db.connect(search_path=False)
        try:
            before = initialise(connection)
        finally:
            connection.close()
    return before, SCHEMA_VERSION


def add_annotator(connection, name: str, password: str, *, curator: bool = False) -> bool:
    """Create (or update) a login role for ``name`` in the annotators' (and curators') group.

    Returns True when the role was new. ``connection`` is a psycopg connection of a role
    allowed to create roles.
    """
    if not name or not name.strip() or not name.isprintable():
        raise InvalidRequest(f"annotator name {name!r} is empty or has control characters")
    if not password:
        raise InvalidRequest("an annotator needs a password")
    sql = driver().sql
    verifier = scram_verifier(password)
    with connection.transaction():
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        connection.execute(
            sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(name), sql.Literal(verifier)
            )
        )
        groups = [ANNOTATORS_ROLE, CURATORS_ROLE] if curator else [ANNOTATORS_ROLE]
        for group in groups:
            connection.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
        if not curator and exists:
            connection.execute(
                sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(CURATORS_ROLE), sql.Identifier(name))
            )
    return not exists


def add_annotator_at(url: str, name: str, password: str, *, curator: bool = False) -> bool:
    """``margin admin add-annotator``: the same, connecting to ``url`` first."""
    db = Connection(url)
    with db.lock, db.errors():
        connection = db.connect(search_path=False)
        try:
            return add_annotator(connection, name, password, curator=curator)
        finally:
            connection.close()
