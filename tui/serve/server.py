"""The web server: a token check in front of textual-serve, one Margin process per visitor.

textual-serve's ``Server`` builds an aiohttp application with four routes (``/`` the page,
``/ws`` the websocket that runs the app, ``/download/{key}`` for files the app delivers,
``/static``). This server builds its own application with the same handlers behind a
middleware that refuses any request without a valid token with 403, the websocket
included. A token given in the address is swapped for a cookie (HttpOnly, SameSite=Strict)
and the address bar loses it, so the page's own requests carry it without showing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.serve.access import Access, Visitor
from tui.serve.page import FORBIDDEN_TEXT, full_page, index_page, script, textual_serve_static

log = logging.getLogger("margin.serve")

BROWSER_ENVIRONMENT = {"MARGIN_TERMINAL": "xterm.js"}
"""Tells the visitor's Margin it draws into xterm.js (see tui.terminal)."""
STOP_SECONDS = 5.0
"""How long a visitor's Margin has to quit after its tab closes before it is killed."""
VISITOR_KEY = web.AppKey("visitor", Visitor)


@dataclass(slots=True)
class Settings:
    """What ``margin serve`` was asked for."""

    command: Callable[[Visitor], Sequence[str]]
    """The argument vector of a visitor's Margin process."""
    access: Access
    host: str = "127.0.0.1"
    port: int = 8000
    max_sessions: int = 8
    title: str = "Margin"
    environment: dict[str, str] = field(default_factory=dict)


class VisitorProcess(AppService):
    """textual-serve's app service, started without a shell in its own process group."""

    def __init__(self, argv: Sequence[str], environment: dict[str, str], **kwargs) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.extra_environment = environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        environment.update(self.extra_environment)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def finish(self) -> None:
        """Ask Margin to quit, wait a little, then kill its process group; always reap it."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.stop(), STOP_SECONDS)
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        if self._task is not None and not self._task.done():
            self._task.cancel()


class MarginServer(Server):
    """textual-serve's server with a token check, a session limit and an offline page."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("margin", host=settings.host, port=settings.port, title=settings.title)
        self.settings = settings
        self.sessions: set[VisitorProcess] = set()
        self.cookie = f"margin_token_{settings.port}"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/margin.js", self.handle_script, name="script"),
                web.static("/static", textual_serve_static(), show_index=False, name="static"),
            ]
        )
        app.on_shutdown.append(self._end_all)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        presented = request.query.get("token") or request.cookies.get(self.cookie)
        visitor = self.settings.access.check(presented)
        if visitor is None:
            return web.Response(status=403, text=FORBIDDEN_TEXT)
        request[VISITOR_KEY] = visitor
        response = await handler(request)
        if "token" in request.query:
            response.set_cookie(
                self.cookie, presented, httponly=True, samesite="Strict", secure=request.secure, path="/"
            )
        return response

    async def handle_script(self, request: web.Request) -> web.Response:
        return web.Response(body=script(), content_type="application/javascript")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if "token" in request.query:
            # The cookie is set by the guard; the address bar keeps no token.
            rest = {key: value for key, value in request.query.items() if key != "token"}
            location = request.rel_url.with_query(rest)
            return web.Response(status=303, headers={"Location": str(location)})
        if len(self.sessions) >= self.settings.max_sessions:
            return self._full()
        font_size = to_int(request.query.get("fontsize", "16"), 16)
        return web.Response(
            text=index_page(self.settings.title, max(6, min(font_size, 64))),
            content_type="text/html",
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    def _full(self) -> web.Response:
        return web.Response(
            status=503, text=full_page(len(self.sessions)), content_type="text/html", headers={"Retry-After": "30"}
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if len(self.sessions) >= self.settings.max_sessions:
            return self._full()
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(10, min(to_int(request.query.get("width", "80"), 80), 1000))
        height = max(5, min(to_int(request.query.get("height", "24"), 24), 500))
        visitor = request[VISITOR_KEY]
        service = VisitorProcess(
            self.settings.command(visitor),
            {**self.settings.environment, **BROWSER_ENVIRONMENT},
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(service)
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            log.info("visitor %s started (pid %s)", visitor.annotator or "", service.pid)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken socket or message ends this visitor only
            log.warning("visitor session ended: %s", type(error).__name__)
        finally:
            await service.finish()
            self.sessions.discard(service)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def _end_all(self, app: web.Application) -> None:
        await asyncio.gather(*(service.finish() for service in list(self.sessions)), return_exceptions=True)

    async def run(self, announce: Callable[[str, int], None]) -> None:
        """Serve until SIGINT or SIGTERM; ``announce(host, port)`` once listening."""
        runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.host, self.settings.port)
        await site.start()
        port = self.settings.port
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            port = server.sockets[0].getsockname()[1]
        self.cookie = f"margin_token_{port}"
        announce(self.settings.host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()


def margin_argv(arguments: Sequence[str]) -> list[str]:
    """How to run this Margin with ``arguments``, without relying on PATH."""
    return [sys.executable, "-m", "tui.cli", *arguments]
