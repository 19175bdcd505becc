"""Who may use a served Margin: one random token, or a team's file of token hashes.

The token is what a visitor proves; a ``--users`` file holds only SHA-256 hashes of tokens,
so reading the file does not let anyone in. Every comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_BYTES = 32
"""Random bytes in a generated token (43 URL-safe characters)."""
_HASH = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


class UsersFileError(Exception):
    """A ``--users`` file that cannot be used, said in one line (never showing a hash)."""


@dataclass(frozen=True, slots=True)
class Visitor:
    """Someone whose token was accepted; ``annotator`` is None for the single shared token."""

    annotator: str | None


@dataclass(slots=True)
class Access:
    """Decides whether a presented token lets its holder in, and as whom."""

    token: str | None = None
    """The one shared token (no ``--users`` file), shown in the start-up URL."""
    users: dict[str, str] = field(default_factory=dict)
    """SHA-256 hex digest of a token → annotator name."""

    @classmethod
    def single(cls) -> Access:
        return cls(token=secrets.token_urlsafe(TOKEN_BYTES))

    @classmethod
    def from_users_file(cls, path: Path) -> Access:
        return cls(users=load_users(path))

    def check(self, presented: str | None) -> Visitor | None:
        """The visitor a token belongs to, or None. Takes the same time for any wrong token."""
        if not presented or len(presented) > 512:
            return None
        if self.token is not None:
            ok = hmac.compare_digest(presented.encode("utf-8", "replace"), self.token.encode())
            return Visitor(annotator=None) if ok else None
        digest = token_hash(presented)
        found: str | None = None
        for known, name in self.users.items():
            if hmac.compare_digest(digest, known):
                found = name
        return Visitor(annotator=found) if found is not None else None


def token_hash(token: str) -> str:
    """The SHA-256 hex digest a ``--users`` file stores for ``token``."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_user_line(name: str) -> tuple[str, str]:
    """A fresh token for ``name`` and the TOML line that lets it in."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, f'"{token_hash(token)}" = {_toml_string(name)}'


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def load_users(path: Path) -> dict[str, str]:
    """Read a users file: each key a token's SHA-256 hex digest, each value an annotator name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsersFileError(f"{path}: users file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsersFileError(f"{path}: cannot read the users file ({type(error).__name__})") from None
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{path}: not valid TOML ({error})") from None
    table = data.get("users", data) if isinstance(data.get("users"), dict) else data
    users: dict[str, str] = {}
    for number, (key, name) in enumerate(table.items(), start=1):
        digest = key.lower()
        if not _HASH.fullmatch(digest):
            raise UsersFileError(f"{path}: entry {number}: the key must be a token's SHA-256 in 64 hex digits")
        if not isinstance(name, str) or not _NAME.fullmatch(name.strip()):
            raise UsersFileError(f"{path}: entry {number}: the value must be an annotator name (1 to 64 characters)")
        users[digest] = name.strip()
    if not users:
        raise UsersFileError(f"{path}: no users in the file")
    return users
