"""The command line: what starts the app, what dispatches to notes, and how errors read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tui
from tui import cli
from tui.locations import seeds_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def quiet_environment(tmp_path, monkeypatch):
    """No user configuration or store leaks into a test."""
    monkeypatch.setenv("MARGIN_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "data"))
    for variable in ("MARGIN_STORE", "MARGIN_BIDI", "MARGIN_WIDTH_MODEL", "MARGIN_THEME", "MARGIN_ANNOTATOR"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def launched(monkeypatch):
    """Records the app the command line would run, instead of running it."""
    from tui.app import MarginApp

    apps: list[MarginApp] = []
    monkeypatch.setattr(MarginApp, "run", lambda self, **_: apps.append(self))
    return apps


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("margin: ")
    return lines[0]


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"margin {tui.__version__}"


def test_help_lists_the_options_and_the_subcommands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--width-model", "--bidi", "--store", "--annotator", "--config", "--version"):
        assert option in out
    assert "export,import,tags,stats" in out


def test_missing_path(tmp_path, capsys):
    assert cli.main([str(tmp_path / "nowhere.txt")]) == 2
    assert "nowhere.txt" in one_line_error(capsys)


def test_empty_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert cli.main([str(tmp_path / "empty")]) == 2
    assert "no text documents" in one_line_error(capsys)


@pytest.mark.parametrize("make", ["directory named like a file", "dangling symlink"])
def test_unreadable_file(tmp_path, capsys, make):
    target = tmp_path / "x.txt"
    if make == "dangling symlink":
        target.symlink_to(tmp_path / "gone.txt")
    else:
        target.mkdir()
    assert cli.main([str(target)]) == 2
    assert "x.txt" in one_line_error(capsys)


def test_a_binary_file_goes_to_the_reader_which_says_it_is_binary(tmp_path):
    target = tmp_path / "blob.txt"
    target.write_bytes(bytes(range(256)) * 8)
    assert cli._checked_target(target)[:2] == (target, True)


@pytest.mark.parametrize(
    ("config_text", "problem"),
    [("bidi = [", "invalid TOML"), ('bidi = "both"\n', "bidi must be one of")],
)
def test_bad_config_file(tmp_path, capsys, config_text, problem):
    config = tmp_path / "bad.toml"
    config.write_text(config_text, encoding="utf-8")
    assert cli.main(["--config", str(config)]) == 2
    line = one_line_error(capsys)
    assert str(config) in line and problem in line


def test_config_flag_naming_a_missing_file(tmp_path, capsys):
    assert cli.main(["--config", str(tmp_path / "absent.toml")]) == 2
    assert "configuration file not found" in one_line_error(capsys)


def test_bad_environment_variable(capsys, monkeypatch):
    monkeypatch.setenv("MARGIN_BIDI", "rtl")
    assert cli.main([]) == 2
    assert "MARGIN_BIDI" in one_line_error(capsys)


def test_unknown_width_model_is_a_usage_error(capsys):
    assert cli.main(["--width-model", "vt52"]) == 2
    assert "invalid choice: 'vt52'" in capsys.readouterr().err


def test_errors_without_traceback_in_a_real_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", str(tmp_path / "nowhere")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "MARGIN_CONFIG": str(tmp_path / "none.toml")},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "nowhere" in result.stderr


def test_no_argument_lists_the_bundled_seeds(launched):
    assert cli.main([]) == 0
    (app,) = launched
    assert (app.target, app.open_file) == (seeds_dir(), False)


def test_a_folder_opens_its_library(tmp_path, launched):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "note.txt").write_text("hello\n", encoding="utf-8")
    assert cli.main([str(tmp_path)]) == 0
    assert (launched[0].target, launched[0].open_file) == (tmp_path, False)


def test_a_file_opens_the_reader_with_flags_applied(tmp_path, launched):
    document = sorted(seeds_dir().glob("*.txt"))[1]
    store = tmp_path / "elsewhere.sqlite3"
    argv = ["--bidi", "terminal", "--width-model", "kitty", "--store", str(store), "--annotator", "ama"]
    assert cli.main([*argv, str(document)]) == 0
    (app,) = launched
    assert (app.target, app.open_file) == (document, True)
    assert (app.bidi_mode, app.width_model.name, app.annotator) == ("terminal", "kitty", "ama")
    assert app.config.store == store


def test_flags_override_the_config_file(tmp_path, launched):
    config = tmp_path / "margin.toml"
    config.write_text('bidi = "terminal"\nannotator = "file"\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "--bidi", "app"]) == 0
    assert (launched[0].bidi_mode, launched[0].annotator) == ("app", "file")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["stats"], "stats"),
        (["--store", "x.db", "export", "out.json"], "export"),
        (["--bidi=app", "tags"], "tags"),
        (["./stats"], "./stats"),
        (["--", "import"], "import"),
        (["--bidi", "app"], None),
        ([], None),
    ],
)
def test_first_positional(argv, expected):
    assert cli.first_positional(argv) == expected


def test_a_file_named_like_a_subcommand_is_still_opened(tmp_path, monkeypatch, launched):
    (tmp_path / "stats").write_text("Numbers about reading.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["./stats"]) == 0
    assert launched[0].target == Path("./stats") and launched[0].open_file


def test_notes_subcommands_get_the_resolved_store(tmp_path, monkeypatch):
    from tui.notes import commands

    seen = {}

    def record(args):
        seen["store"] = args.store
        return 0

    def fake_subcommands(subparsers):
        subparsers.add_parser("stats").set_defaults(func=record)

    monkeypatch.setattr(commands, "add_subcommands", fake_subcommands)
    monkeypatch.setenv("MARGIN_STORE", str(tmp_path / "from-env.sqlite3"))
    assert cli.main(["stats"]) == 0
    assert seen["store"] == tmp_path / "from-env.sqlite3"
    seen.clear()
    assert cli.main(["--store", str(tmp_path / "flag.sqlite3"), "stats"]) == 0
    assert seen["store"] == tmp_path / "flag.sqlite3"


def test_real_stats_subcommand_runs(tmp_path, capsys):
    assert cli.main(["--store", str(tmp_path / "notes.sqlite3"), "stats"]) == 0
    assert "Traceback" not in capsys.readouterr().err
