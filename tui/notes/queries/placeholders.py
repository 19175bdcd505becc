"""Placeholder styles: the queries are written with ``?``; psycopg wants ``%s``.

Conversion skips quoted text (a ``?`` inside ``'...'`` or ``"..."`` stays a character) and
doubles every literal ``%``, which psycopg would otherwise read as a placeholder. Each
statement is converted once and remembered, so a query costs one dictionary look-up more.
"""

from __future__ import annotations

import functools
import re

_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|[?%]""")


def _swap(match: re.Match[str]) -> str:
    token = match.group()
    if token == "?":
        return "%s"
    return token.replace("%", "%%")


@functools.lru_cache(maxsize=1024)
def format_style(sql: str) -> str:
    """``sql`` with ``?`` placeholders as ``%s`` and literal ``%`` as ``%%`` (psycopg's style).

    Refuses a statement already written with ``%s``: it would silently become a literal.
    """
    if "%s" in _TOKENS.sub(lambda match: "" if match.group()[0] in "'\"" else match.group(), sql):
        raise ValueError("write store queries with ? placeholders, not %s")
    return _TOKENS.sub(_swap, sql)
