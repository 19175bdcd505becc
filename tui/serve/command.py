"""``margin serve``: parse the command line, check everything, then run the web server.

textual-serve and aiohttp are imported only here, only when serving, and their absence is
one line telling what to install. Settings reach each visitor's Margin through ``MARGIN_*``
environment variables rather than its command line, so a server URL's password never shows
in a process list.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Callable
from pathlib import Path

from tui.serve.access import Access, UsersFileError, Visitor, new_user_line

INSTALL_HINT = "margin serve needs textual-serve: pip install 'margin[serve]'"
LOOPBACK_NAMES = ("localhost",)


def build_parser(add_global_options: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin serve",
        description="Serve Margin to web browsers: each visitor gets their own Margin.",
    )
    add_global_options(parser)
    parser.add_argument("command", choices=["serve"], help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help="a folder or file to open (default: the bundled samples)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    parser.add_argument(
        "--users",
        type=Path,
        metavar="FILE",
        help="a TOML file of \"SHA-256 of a token\" = \"annotator name\": each visitor annotates under their own name",
    )
    parser.add_argument(
        "--add-user",
        metavar="NAME",
        help="with --users: add NAME with a new token to the file, print the token, and exit",
    )
    parser.add_argument("--max-sessions", type=int, default=8, metavar="N", help="visitors at once (default: 8)")
    return parser


def run(args: argparse.Namespace, config, target: Path, open_file: bool) -> int:
    """Serve until interrupted; 2 with one line on stderr for anything the user can fix."""
    if args.add_user is not None:
        return _add_user(args)
    if args.max_sessions < 1:
        return _fail("--max-sessions must be at least 1")
    if not 0 <= args.port <= 65535:
        return _fail("--port must be between 0 and 65535")
    try:
        access = Access.from_users_file(args.users) if args.users is not None else Access.single()
    except UsersFileError as error:
        return _fail(str(error))
    try:
        from tui.serve.server import MarginServer, Settings, margin_argv
    except ImportError:
        return _fail(INSTALL_HINT)

    shown = [] if args.path is None else [str(target.resolve())]

    def command(visitor: Visitor) -> list[str]:
        if visitor.annotator is not None:
            return margin_argv([*shown, "--annotator", visitor.annotator])
        return margin_argv(shown)

    settings = Settings(
        command=command,
        access=access,
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        title=f"Margin · {target.name}" if args.path is not None else "Margin",
        environment=_child_environment(args, config),
    )
    if not _is_loopback(args.host):
        print(
            f"margin: warning: serving on {args.host} without TLS: tokens and notes cross the network "
            "in clear. Put a reverse proxy with TLS in front (see README, \"In a browser\").",
            file=sys.stderr,
        )

    def announce(host: str, port: int) -> None:
        where = f"[{host}]" if ":" in host else host
        address = f"http://{where}:{port}/"
        if access.token is not None:
            print(f"Margin is serving at:\n\n    {address}?token={access.token}\n", flush=True)
        else:
            print(
                f"Margin is serving {len(access.users)} annotators at:\n\n    {address}?token=THEIR-TOKEN\n",
                flush=True,
            )
        print(f"At most {args.max_sessions} visitors at once. Ctrl+C stops the server.", flush=True)

    import asyncio

    try:
        asyncio.run(MarginServer(settings).run(announce))
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    except KeyboardInterrupt:
        pass
    return 0


def _child_environment(args: argparse.Namespace, config) -> dict[str, str]:
    """The settings given to ``margin serve``, for each visitor's Margin (flags beat files)."""
    environment: dict[str, str] = {}
    if config.store is not None:
        environment["MARGIN_STORE"] = str(config.store)
    if args.config is not None:
        environment["MARGIN_CONFIG"] = str(args.config.resolve())
    for option, variable in (("theme", "MARGIN_THEME"), ("bidi", "MARGIN_BIDI"), ("width_model", "MARGIN_WIDTH_MODEL")):
        value = getattr(args, option, None)
        if value is not None:
            environment[variable] = value
    if args.annotator is not None and args.users is None:
        environment["MARGIN_ANNOTATOR"] = args.annotator
    return environment


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _add_user(args: argparse.Namespace) -> int:
    if args.users is None:
        return _fail("--add-user needs --users FILE")
    name = args.add_user.strip()
    if not name or len(name) > 64 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return _fail("an annotator name is 1 to 64 printable characters")
    token, line = new_user_line(name)
    try:
        descriptor = os.open(args.users, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as file:
            file.write(line + "\n")
    except OSError as error:
        return _fail(f"{args.users}: cannot write ({error.strerror or type(error).__name__})")
    print(f"Added {name}. Their token (shown once, give it to them privately):\n\n    {token}\n")
    return 0


def _fail(message: str) -> int:
    print(f"margin: {message}", file=sys.stderr)
    return 2
