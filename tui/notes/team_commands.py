"""``margin admin``, ``merge`` and ``status``: running a team's store from the shell.

- ``margin admin init URL``: roles, schema and grants on a PostgreSQL server (as a role
  that may create roles, e.g. ``postgres``); run again after upgrading Margin to migrate.
- ``margin admin add-annotator NAME [--curator] [--password-file FILE] --store URL``:
  a login role for a teammate; the password is asked twice (or read from the file's first
  line) and never printed or sent in clear.
- ``margin admin vacuum``: purge the tombstones of the store (SQLite or PostgreSQL).
- ``margin merge SRC... --into STORE``: bring SQLite stores into another store.
- ``margin status``: documents by annotators, with each one's annotations and done marks.

Every failure is one line on stderr without a password, and exit status 1 (2 for usage).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from tui.notes.location import is_server_url, parse_location, redact, scrub, url_password
from tui.notes.store_api import StoreError

TEAM_COMMANDS = ("admin", "merge", "status")
FAILURE = 1
USAGE = 2


def build_parser(add_global_options: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="margin", description="Work with a team's annotation store.")
    add_global_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    admin = commands.add_parser("admin", help="set up a team's PostgreSQL server, purge tombstones")
    actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="create (or upgrade) the schema, the curator role and the grants")
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST/DATABASE (a role that may create roles)")
    init.set_defaults(func=run_init)
    add = actions.add_parser("add-annotator", help="create a login role for an annotator")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--curator", action="store_true", help="may change everyone's annotations")
    add.add_argument("--password-file", type=Path, metavar="FILE", help="read the password from FILE's first line")
    add.set_defaults(func=run_add_annotator)
    vacuum = actions.add_parser("vacuum", help="purge deleted annotations' tombstones")
    vacuum.set_defaults(func=run_vacuum)

    merging = commands.add_parser("merge", help="merge SQLite stores into a SQLite or PostgreSQL store")
    merging.add_argument("sources", nargs="+", type=Path, metavar="SRC")
    merging.add_argument("--into", required=True, type=parse_location, metavar="STORE")
    merging.set_defaults(func=run_merge)

    status = commands.add_parser("status", help="documents by annotators: annotations and done")
    status.set_defaults(func=run_status)
    for leaf in (add, vacuum, status):
        leaf.add_argument(
            "--store", type=parse_location, default=argparse.SUPPRESS, metavar="PATH|URL",
            help="the store (default: MARGIN_STORE, the configuration, or the local file)",
        )
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except StoreError as error:
        return _fail(str(error), args)
    except OSError as error:
        return _fail(f"{getattr(error, 'filename', '') or ''} {error.strerror or error}".strip(), args)


def _fail(message: str, args: argparse.Namespace) -> int:
    secrets = [url_password(str(value)) for value in vars(args).values() if isinstance(value, str)]
    print(f"margin: {scrub(message, [s for s in secrets if s])}", file=sys.stderr)
    return FAILURE


def _server_url(value: object, what: str) -> str:
    if not is_server_url(value):
        raise StoreError(f"{what} needs a postgresql:// URL, not {value}")
    return str(value)


def run_init(args: argparse.Namespace) -> int:
    from tui.notes.postgres.admin import initialise_server

    url = _server_url(args.url, "admin init")
    before, after = initialise_server(url)
    if before == after:
        print(f"{redact(url)}: Margin schema version {after} is ready; roles margin_annotators and margin_curators")
    else:
        print(f"{redact(url)}: Margin schema {before} -> {after}; roles margin_annotators and margin_curators")
    return 0


def run_add_annotator(args: argparse.Namespace) -> int:
    from tui.notes.postgres.admin import add_annotator_at

    url = _server_url(args.store, "admin add-annotator (--store URL or MARGIN_STORE)")
    password = _password(args)
    created = add_annotator_at(url, args.name, password, curator=args.curator)
    role = "curator" if args.curator else "annotator"
    print(f"{'created' if created else 'updated'} {role} {args.name!r} on {redact(url)}")
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        lines = args.password_file.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise StoreError(f"{args.password_file}: the first line (the password) is empty")
        return lines[0]
    first = getpass.getpass(f"password for {args.name}: ")
    second = getpass.getpass("again: ")
    if first != second:
        raise StoreError("the two passwords differ; nothing was changed")
    if not first:
        raise StoreError("an empty password; nothing was changed")
    return first


def run_vacuum(args: argparse.Namespace) -> int:
    from tui.notes.store import open_store

    store = open_store(args.store)[0]
    with store:
        purged = store.vacuum()
    print(f"purged {purged} tombstones from {store.location}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from tui.notes.merge import MergeReport, merge
    from tui.notes.store import open_store

    for source in args.sources:
        if is_server_url(str(source)) or not source.is_file():
            raise StoreError(f"{source}: not an SQLite store file")
    total = MergeReport()
    with open_store(args.into)[0] as target:
        for source in args.sources:
            with open_store(source, read_only=True)[0] as opened:
                report = merge(opened, target)
            print(f"{source}: {report.describe()}")
            total.add(report)
    if len(args.sources) > 1:
        print(f"total: {total.describe()}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from tui.notes.store import open_store

    with open_store(args.store)[0] as store:
        progress = store.progress()
        team = store.annotators()
        titles = {document.hash: document.title for document in store.documents()}
    print(format_status(progress, team, titles))
    return 0


def format_status(progress: dict, team: list[str], titles: dict[str, str]) -> str:
    """A plain table: one row per document, one column per annotator ("12 done", "3", "-")."""
    if not progress:
        return "no annotations yet"
    header = ["document", *(_one_line(name) for name in team), "done"]
    rows = [header]
    for doc_hash, entry in sorted(progress.items(), key=lambda item: (titles.get(item[0], ""), item[0])):
        title = _one_line(titles.get(doc_hash) or doc_hash[:12])
        cells = []
        for annotator in team:
            count = entry.annotations.get(annotator, 0)
            cells.append(f"{count} done" if annotator in entry.done else (str(count) if count else "-"))
        rows.append([title, *cells, entry.summary(team).removesuffix(" done")])
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _one_line(text: str) -> str:
    """A title as one printable line: control characters (escape sequences) become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def default_store(args: argparse.Namespace) -> None:
    """Fill ``args.store`` the way every other subcommand does (flag, MARGIN_STORE, config, file)."""
    from tui.locations import default_store as default_location

    if getattr(args, "store", None) is None:
        args.store = default_location()
    if isinstance(args.store, str):
        args.store = parse_location(args.store)
