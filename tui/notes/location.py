"""Where a store lives: an SQLite file path or a PostgreSQL URL, and how to show one safely.

A URL may carry a password (``postgresql://ana:secret@host/db``); ``redact`` gives the form
fit for messages and ``scrub`` removes secrets from any text (an exception's message
included) before it reaches the user, a log or a test's output.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")
MASK = "***"

StoreLocation = Path | str
"""A path to an SQLite file, or a libpq URL (kept as text: ``Path`` would fold its ``//``)."""

_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)([^&\s]*)", re.IGNORECASE)


def is_server_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL server rather than an SQLite file."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def parse_location(text: str) -> StoreLocation:
    """A command-line or configuration value as a location: URLs stay text, paths expand."""
    if is_server_url(text):
        return text.strip()
    return Path(text).expanduser()


def url_password(url: str) -> str | None:
    """The password written in a URL (userinfo or ``?password=``), decoded, or None."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return None
    if password:
        return unquote(password)
    for key, value in parse_qsl(parts.query):
        if key == "password" and value:
            return value
    return None


def url_user(url: str) -> str | None:
    """The role a URL logs in as, if it names one (else libpq uses PGUSER or the login name)."""
    try:
        parts = urlsplit(url)
        user = unquote(parts.username) if parts.username else None
    except ValueError:
        return None
    if user:
        return user
    for key, value in parse_qsl(parts.query):
        if key == "user" and value:
            return value
    return os.environ.get("PGUSER") or None


def redact(url: str) -> str:
    """The URL with any password masked, for messages and ``NoteStore.location``."""
    return scrub(url, secrets=())


def scrub(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with passwords removed: in URLs, ``password=`` settings and the given secrets."""
    cleaned = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    cleaned = _QUERY_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}", cleaned)
    cleaned = _KEYWORD_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}", cleaned)
    for secret in secrets:
        if secret:
            cleaned = cleaned.replace(secret, MASK)
    return cleaned
