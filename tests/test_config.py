"""Configuration: defaults, the TOML file, MARGIN_* variables and flags, in that order."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.config import Config, ConfigError, env_name, load_config


def synchronous(test):
    """Run an async test with asyncio.run: the suite uses no async pytest plugin."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


FULL_FILE = """
width_model = "kitty"
bidi = "terminal"
theme = "nord"
annotator = "ama"
store = "~/notes/margin.sqlite3"
search_diacritics = true

[keymap]
"library.sort" = "x"
"reader.page-down" = "space, ctrl+f"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    assert load_config(tmp_path / "absent.toml", {}) == Config()
    assert Config().width_model == "auto"
    assert Config().bidi == "auto"
    assert Config().store is None
    assert Config().search_diacritics is False
    assert Config().keymap == {}


def test_default_location_comes_from_margin_config(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGIN_CONFIG", str(write(tmp_path, 'bidi = "terminal"\n')))
    assert load_config(None, {}).bidi == "terminal"


def test_every_setting_from_the_file(tmp_path):
    config = load_config(write(tmp_path, FULL_FILE), {})
    assert config == Config(
        width_model="kitty",
        bidi="terminal",
        theme="nord",
        annotator="ama",
        store=Path("~/notes/margin.sqlite3").expanduser(),
        search_diacritics=True,
        keymap={"library.sort": "x", "reader.page-down": "space,ctrl+f"},
    )


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("MARGIN_WIDTH_MODEL", "xterm", "width_model", "xterm"),
        ("MARGIN_BIDI", "app", "bidi", "app"),
        ("MARGIN_THEME", "dracula", "theme", "dracula"),
        ("MARGIN_ANNOTATOR", "zoe", "annotator", "zoe"),
        ("MARGIN_STORE", "/tmp/other.sqlite3", "store", Path("/tmp/other.sqlite3")),
        ("MARGIN_SEARCH_DIACRITICS", "off", "search_diacritics", False),
    ],
)
def test_environment_overrides_the_file(tmp_path, variable, value, setting, expected):
    path = write(tmp_path, FULL_FILE)
    assert getattr(load_config(path, {}), setting) != expected
    assert env_name(setting) == variable
    assert getattr(load_config(path, {variable: value}), setting) == expected


@pytest.mark.parametrize(("word", "expected"), [("1", True), ("Yes", True), ("ON", True), ("0", False), ("no", False)])
def test_boolean_variables_read_common_words(tmp_path, word, expected):
    config = load_config(tmp_path / "absent.toml", {"MARGIN_SEARCH_DIACRITICS": word})
    assert config.search_diacritics is expected


def test_flags_override_environment_and_file(tmp_path):
    path = write(tmp_path, FULL_FILE)
    environ = {"MARGIN_BIDI": "terminal", "MARGIN_ANNOTATOR": "from-env"}
    config = load_config(path, environ, {"bidi": "app", "annotator": None, "store": Path("/x.db")})
    assert config.bidi == "app"
    assert config.annotator == "from-env"
    assert config.store == Path("/x.db")
    assert config.width_model == "kitty"


LAYER = st.sampled_from([None, "app", "terminal"])


@given(from_file=LAYER, from_env=LAYER, from_flag=LAYER)
def test_the_last_layer_that_sets_a_value_wins(tmp_path_factory, from_file, from_env, from_flag):
    folder = tmp_path_factory.mktemp("layers")
    path = folder / "config.toml"
    path.write_text(f'bidi = "{from_file}"\n' if from_file else "", encoding="utf-8")
    environ = {"MARGIN_BIDI": from_env} if from_env else {}
    config = load_config(path, environ, {"bidi": from_flag})
    expected = next((v for v in (from_flag, from_env, from_file) if v is not None), Config().bidi)
    assert config.bidi == expected


BAD_FILES = [
    ("bidi = ", "invalid TOML"),
    ('colour = "red"\n', "unknown setting 'colour'"),
    ('bidi = "sideways"\n', "bidi must be one of auto, app, terminal, kitty"),
    ('width_model = "vt52"\n', "unknown width model 'vt52'"),
    ("width_model = 3\n", "width_model must be a string"),
    ('theme = "paisley"\n', "unknown theme 'paisley'"),
    ('search_diacritics = "yes"\n', "search_diacritics must be true or false"),
    ("store = 7\n", "store must be a path"),
    ('keymap = "x"\n', "[keymap] must be a table"),
    ('[keymap]\n"library.sort" = ""\n', "keymap 'library.sort' must be a non-empty string"),
]


@pytest.mark.parametrize(("text", "problem"), BAD_FILES)
def test_a_bad_file_is_one_line_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path, {})
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'annotator = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path, {})


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"MARGIN_BIDI": "rtl"}, "MARGIN_BIDI: bidi must be one of"),
        ({"MARGIN_SEARCH_DIACRITICS": "maybe"}, "MARGIN_SEARCH_DIACRITICS: expected true or false"),
        ({"MARGIN_WIDTH_MODEL": "vt52"}, "MARGIN_WIDTH_MODEL: unknown width model"),
    ],
)
def test_a_bad_variable_names_the_variable(tmp_path, environ, problem):
    with pytest.raises(ConfigError, match=problem):
        load_config(tmp_path / "absent.toml", environ)


def test_an_unknown_flag_setting_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="command line: unknown setting"):
        load_config(tmp_path / "absent.toml", {}, {"colour": "red"})


@synchronous
async def test_a_remapped_binding_works_and_the_old_key_does_not(tmp_path, monkeypatch):
    from tui.app import MarginApp
    from tui.locations import seeds_dir
    from tui.screens.library import LibraryScreen

    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path))
    path = write(tmp_path, '[keymap]\n"library.sort" = "x"\n"library.reverse" = "ctrl+r"\n')
    app = MarginApp(seeds_dir(), load_config(path, {}), store_path=tmp_path / "notes.sqlite3")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("s")
        assert (library.sort_key, library.sort_reverse) == ("title", False)
        await pilot.press("x")
        assert library.sort_key == "script"
        await pilot.press("ctrl+r")
        assert library.sort_reverse is True
