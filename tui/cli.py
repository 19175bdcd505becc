"""The ``margin`` command line: open a folder or a file, or run a notes subcommand.

Every error a user can cause (a wrong path, an empty folder, a bad configuration) ends in
one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__
from tui.config import BIDI_MODES, Config, ConfigError, load_config

if TYPE_CHECKING:
    from tui.corpus.discover import Discovery

NOTES_COMMANDS = ("export", "import", "tags", "stats", "categories")
"""Subcommands handled by ``tui.notes.commands``; anything else names a path."""
AGREE_COMMAND = "agree"
TEAM_COMMANDS = ("admin", "merge", "status")
"""Subcommands handled by ``tui.notes.team_commands``."""
SERVE_COMMAND = "serve"
_VALUE_OPTIONS = ("--width-model", "--bidi", "--store", "--annotator", "--config", "--theme", "--host", "--port", "--users", "--max-sessions", "--add-user")
USAGE_ERROR = 2


class UsageError(Exception):
    """A problem with what the user asked for, reported as one line."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run Margin with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        command = first_positional(arguments)
        if command in NOTES_COMMANDS:
            return _run_notes(arguments)
        if command == AGREE_COMMAND:
            return _run_agree(arguments)
        if command in TEAM_COMMANDS:
            return _run_team(arguments)
        if command == SERVE_COMMAND:
            return _run_serve(arguments)
        return _run_app(arguments)
    except (UsageError, ConfigError) as error:
        print(f"margin: {error}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as stop:
        # argparse exits for --help, --version and usage errors; report its status instead.
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR if stop.code else 0


def first_positional(arguments: Sequence[str]) -> str | None:
    """The first argument that is not an option or an option's value.

    Only an exact subcommand name dispatches, so ``margin ./stats`` still opens a file.
    """
    tokens = iter(arguments)
    for token in tokens:
        if token == "--":
            return next(tokens, None)
        if token in _VALUE_OPTIONS:
            next(tokens, None)
        elif not token.startswith("-") or token == "-":
            return token
    return None


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    from tui.text.width import WIDTH_MODELS

    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    parser.add_argument(
        "--width-model",
        choices=["auto", *sorted(WIDTH_MODELS)],
        help="how many cells the terminal draws each character in "
        "(default: auto, asked from the terminal at start; else xterm)",
    )
    parser.add_argument(
        "--bidi",
        choices=BIDI_MODES,
        help="'app': Margin reorders and shapes right-to-left text; "
        "'terminal': the terminal does (mlterm, Konsole); "
        "'kitty': the terminal shapes runs of letters; "
        "'auto' (default): decided from the terminal's answers and environment",
    )
    parser.add_argument("--theme", help="the Textual theme to start with")
    parser.add_argument(
        "--store",
        type=_store_location,
        metavar="PATH|URL",
        help="the annotation store: an SQLite file, or a team's server as postgresql://USER@HOST/DB",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        help="the name recorded on new annotations (SQLite; on a server it is your login role)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="the TOML configuration file (default: MARGIN_CONFIG or the user config folder)",
    )


def _store_location(text: str):
    from tui.notes.location import parse_location

    return parse_location(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin",
        description="Read and annotate multilingual text in the terminal.",
        epilog="Annotation commands: margin {export,import,tags,stats,categories,agree,admin,merge,status} ... "
        "In a browser: margin serve [PATH]. "
        "(margin COMMAND --help for each).",
    )
    _add_global_options(parser)
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a folder to list (searched recursively) or a file to read; "
        "default: the bundled samples",
    )
    return parser


def build_notes_parser() -> argparse.ArgumentParser:
    from tui.notes.commands import add_subcommands

    parser = argparse.ArgumentParser(prog="margin", description="Work with the annotation store.")
    _add_global_options(parser)
    add_subcommands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def _config(args: argparse.Namespace) -> Config:
    """Defaults < file < ``MARGIN_*`` environment < flags."""
    if args.config is not None:
        if not args.config.exists():
            raise UsageError(f"{args.config}: configuration file not found")
        if args.config.is_dir():
            raise UsageError(f"{args.config}: is a folder, not a configuration file")
    overrides = {
        "width_model": args.width_model,
        "bidi": args.bidi,
        "theme": args.theme,
        "store": args.store,
        "annotator": args.annotator,
    }
    _check_store_folder(args.store)
    return load_config(args.config, os.environ, overrides)


def _check_store_folder(store: object) -> None:
    """A store file the user named must be in a folder that exists: a typo is not a request
    for a new tree of folders (only the default data folder is made on demand)."""
    if not isinstance(store, Path):
        return
    folder = store.expanduser().parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"--store {store}: the folder {folder} {what}")


def _run_notes(arguments: list[str]) -> int:
    from tui.locations import default_store

    args = build_notes_parser().parse_args(arguments)
    config = _config(args)
    args.create_store_folder = args.store is None
    args.store = config.store or default_store()
    args.configured_annotator = config.annotator or None
    return args.func(args)


def _run_team(arguments: list[str]) -> int:
    from tui.notes.team_commands import build_parser as build_team_parser
    from tui.notes.team_commands import default_store, run

    args = build_team_parser(_add_global_options).parse_args(arguments)
    args.store = _config(args).store
    default_store(args)
    return run(args)


def _run_agree(arguments: list[str]) -> int:
    from tui.notes.agreement_cli import build_parser as build_agree_parser
    from tui.notes.agreement_cli import run

    args = build_agree_parser(_add_global_options).parse_intermixed_args(arguments)
    args.store = _config(args).store
    return run(args)


def _run_serve(arguments: list[str]) -> int:
    from tui.serve.command import build_parser as build_serve_parser
    from tui.serve.command import run

    args = build_serve_parser(_add_global_options).parse_intermixed_args(arguments)
    config = _config(args)
    target, open_file, _found = _checked_target(args.path)
    return run(args, config, target, open_file)


def _run_app(arguments: list[str]) -> int:
    # Start-up allocates hundreds of thousands of objects (modules, classes, styles) that
    # all live on, and the cycle collector would walk them again and again for nothing:
    # it is off until the first frame is drawn, when the app freezes what exists and turns
    # it back on (``MarginApp.on_mount``).
    gc.disable()
    try:
        return _start_app(arguments)
    finally:
        gc.enable()


def _start_app(arguments: list[str]) -> int:
    args = build_parser().parse_args(arguments)
    config = _config(args)
    target, open_file, found = _checked_target(args.path)
    from tui.app import MarginApp

    app = MarginApp(
        target,
        config,
        store_path=config.store,
        annotator=config.annotator or None,
        open_file=open_file,
        found=None if open_file else found,
        terminal=_ask_terminal(config),
    )
    app.run()
    return app.return_code or 0


def _ask_terminal(config: Config):
    """Resolve ``auto`` settings by asking the terminal, before Textual takes it over."""
    from tui.terminal import decide, needs_probe
    from tui.terminal_probe import probe_terminal

    ask_bidi, ask_widths = needs_probe(config.bidi, config.width_model, os.environ)
    answers = probe_terminal(bidi=ask_bidi, widths=ask_widths) if ask_bidi or ask_widths else None
    return decide(config.bidi, config.width_model, answers, os.environ)


def _checked_target(path: Path | None) -> tuple[Path, bool, Discovery]:
    """The folder or file to open, whether it is a file, and the documents found there; or
    a UsageError saying why not."""
    from tui.corpus.discover import CorpusError, discover
    from tui.locations import seeds_dir

    target = seeds_dir() if path is None else path
    try:
        found = discover(target)
    except CorpusError as error:
        raise UsageError(str(error)) from None
    return target, target.is_file(), found


if __name__ == "__main__":
    sys.exit(main())
