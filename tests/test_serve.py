"""``margin serve`` over HTTP: tokens, cookies, the offline page, limits and visitor processes.

These talk to a real server with aiohttp's client; tests/test_browser.py drives chromium.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import stat
import sys
import urllib.error
import urllib.request

import pytest
from serve_harness import require_serve, seed_path, serving
from waiting import until

from tui.cli import main
from tui.serve.access import Access, UsersFileError, load_users, token_hash

ENGLISH = seed_path(3)


@pytest.fixture(autouse=True)
def _serve_installed():
    require_serve()


def status_of(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def websocket_status(url: str, cookies: dict[str, str] | None = None) -> int:
    """101 when the websocket opens (then closed at once), else the refusal's HTTP status."""
    import aiohttp

    async with aiohttp.ClientSession(cookies=cookies) as session:
        try:
            socket = await session.ws_connect(url)
        except aiohttp.WSServerHandshakeError as error:
            return error.status
        await socket.close()
        return 101


def login(served) -> dict[str, str]:
    """Present the token once, as a browser would; return the cookie the server set."""
    request = urllib.request.Request(served.url)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(request, timeout=10)
    response = refused.value
    assert response.code == 303
    assert response.headers["Location"] == "/"
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header
    name, value = header.split(";", 1)[0].split("=", 1)
    return {name: value}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def test_a_single_token_is_compared_whole():
    access = Access.single()
    assert access.token and len(access.token) >= 40
    assert access.check(access.token) is not None
    assert access.check(access.token[:-1]) is None
    assert access.check(access.token + "x") is None
    assert access.check("") is None and access.check(None) is None
    assert Access.single().token != access.token


def test_users_file_maps_token_hashes_to_names(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text(f'"{token_hash("tok-ana")}" = "ana"\n"{token_hash("tok-bo")}" = "bo"\n', encoding="utf-8")
    access = Access.from_users_file(path)
    assert access.check("tok-ana").annotator == "ana"
    assert access.check("tok-bo").annotator == "bo"
    assert access.check(token_hash("tok-ana")) is None  # the hash itself is not a token
    assert access.check("tok-cy") is None


@pytest.mark.parametrize(
    "content, says",
    [
        ("not toml [", "not valid TOML"),
        ('"abc" = "ana"\n', "SHA-256"),
        (f'"{"a" * 64}" = 3\n', "annotator name"),
        ("", "no users"),
    ],
)
def test_a_bad_users_file_is_one_line(tmp_path, content, says):
    path = tmp_path / "users.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsersFileError, match=says):
        load_users(path)


def test_add_user_writes_a_private_file_and_prints_the_token_once(tmp_path, capsys):
    path = tmp_path / "users.toml"
    assert main(["serve", "--users", str(path), "--add-user", "Amina"]) == 0
    token = re.search(r"^\s+(\S{40,})$", capsys.readouterr().out, re.MULTILINE).group(1)
    assert load_users(path) == {hashlib.sha256(token.encode()).hexdigest(): "Amina"}
    assert token not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_textual_serve_one_line_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tui.serve.server", None)
    assert main(["serve"]) == 2
    assert "pip install 'margin[serve]'" in capsys.readouterr().err


def test_every_request_without_the_token_is_refused():
    with serving(str(ENGLISH)) as served:
        for path in ("", "?token=wrong", "static/css/xterm.css", "margin.js", "download/x", "ws"):
            assert status_of(served.base + path) == 403, path
        assert status_of(served.base, cookie=f"margin_token_{served.port}=wrong") == 403
        ws = served.base.replace("http", "ws") + "ws"
        assert asyncio.run(websocket_status(ws)) == 403
        assert asyncio.run(websocket_status(ws + "?token=wrong")) == 403
        assert served.visitor_processes() == []


def test_the_token_becomes_a_cookie_and_the_page_needs_nothing_from_the_internet():
    with serving(str(ENGLISH)) as served:
        cookies = login(served)
        request = urllib.request.Request(served.base, headers={"Cookie": cookie_header(cookies)})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
        assert "googleapis" not in page and "https://" not in page and "http://" not in page
        assert 'id="start"' not in page  # no card to click before the app starts
        assets = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r'url\("([^"]+)"\)', page)
        assert {"static/css/xterm.css", "margin.js", "static/fonts/RobotoMono-VariableFont_wght.ttf"} <= set(assets)
        for asset in assets:
            assert status_of(served.base + asset, cookie_header(cookies)) == 200, asset
        script = urllib.request.urlopen(
            urllib.request.Request(served.base + "margin.js", headers={"Cookie": cookie_header(cookies)}), timeout=10
        ).read()
        assert b"window.marginTerminal=" in script
        assert re.search(rb"https?://fonts\.", script) is None


async def visit(served, cookies, *, until_bytes: int = 2000):
    """Open a visitor's websocket and read until the app has drawn something; return it open."""
    import aiohttp

    session = aiohttp.ClientSession(cookies=cookies)
    socket = await session.ws_connect(served.base.replace("http", "ws") + "ws?width=100&height=30")
    received = 0
    while received < until_bytes:
        message = await asyncio.wait_for(socket.receive(), 30)
        if message.type == aiohttp.WSMsgType.BINARY:
            received += len(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise AssertionError("the server closed the visitor's socket")
    return session, socket


def test_each_visitor_gets_a_margin_that_ends_when_the_socket_closes():
    with serving(str(ENGLISH)) as served:
        cookies = login(served)

        async def scenario():
            first = await visit(served, cookies)
            second = await visit(served, cookies)
            processes = served.visitor_processes()
            assert len(processes) == 2
            for process in processes:
                assert process.environ().get("MARGIN_TERMINAL") == "xterm.js"
                assert str(ENGLISH) in process.cmdline()
            for session, socket in (first, second):
                await socket.close()
                await session.close()

        asyncio.run(scenario())
        until(lambda: served.all_children() == [], "every visitor's process to end and be reaped")


def test_a_full_server_says_so_and_takes_visitors_again_when_one_leaves():
    with serving(str(ENGLISH), "--max-sessions", "1") as served:
        cookies = login(served)
        header = cookie_header(cookies)

        async def scenario():
            session, socket = await visit(served, cookies)
            assert status_of(served.base, header) == 503
            page = urllib.request.Request(served.base, headers={"Cookie": header})
            with pytest.raises(urllib.error.HTTPError) as full:
                urllib.request.urlopen(page, timeout=10)
            assert "as many as it allows" in full.value.read().decode()
            assert await websocket_status(served.base.replace("http", "ws") + "ws", cookies) == 503
            await socket.close()
            await session.close()

        asyncio.run(scenario())
        until(lambda: status_of(served.base, header) == 200, "the server to take a visitor again")


def test_with_a_users_file_each_visitor_annotates_under_their_name(tmp_path):
    users = tmp_path / "users.toml"
    users.write_text(f'"{token_hash("token-of-amina-0123456789")}" = "Amina"\n', encoding="utf-8")
    with serving(str(ENGLISH), "--users", str(users), expect_token=False) as served:
        assert "THEIR-TOKEN" in "".join(served.output)
        served.token = "token-of-amina-0123456789"
        cookies = login(served)

        async def scenario():
            session, socket = await visit(served, cookies)
            (process,) = served.visitor_processes()
            command = process.cmdline()
            assert command[command.index("--annotator") + 1] == "Amina"
            await socket.close()
            await session.close()

        asyncio.run(scenario())
        served.token = "someone-else"
        assert status_of(served.url) == 403


def test_binding_beyond_this_machine_warns_about_tls():
    with serving(str(ENGLISH), "--host", "0.0.0.0") as served:
        text = "".join(served.output)
    assert "without TLS" in text and "reverse proxy" in text
    with serving(str(ENGLISH)) as served:
        assert "TLS" not in "".join(served.output)
