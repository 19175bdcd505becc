"""The page a visitor's browser loads: textual-serve's terminal, with nothing from the internet.

textual-serve's own page links a web font on fonts.googleapis.com and, with ``?delay``,
shows a card to click before the app starts. This page loads only files served here (the
Roboto Mono it ships, as a local ``@font-face``) and connects at once. Its script is
textual-serve's, with the xterm.js terminal kept on ``window.marginTerminal`` so that tests
and accessibility tools can read the rows it holds.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

TERMINAL_HOOK = "const t=new w(e,{ping:r});"
"""Where textual-serve's script makes its terminal object (textual-serve 1.1.3)."""
EXPOSED_HOOK = TERMINAL_HOOK + "window.marginTerminal=t.terminal;"


class PageError(Exception):
    """textual-serve's files are not what this page was written for."""


def textual_serve_static() -> Path:
    """textual-serve's folder of static files (xterm.css, the script, Roboto Mono)."""
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "static"


@cache
def script() -> bytes:
    """textual-serve's script, exposing the terminal object."""
    text = (textual_serve_static() / "js" / "textual.js").read_text(encoding="utf-8")
    if text.count(TERMINAL_HOOK) != 1:
        raise PageError("textual-serve's script has changed: pin textual-serve==1.1.3")
    return text.replace(TERMINAL_HOOK, EXPOSED_HOOK).encode("utf-8")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<style>
@font-face {{
  font-family: "Roboto Mono";
  src: url("static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
}}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
body {{ font-family: "Roboto Mono", "DejaVu Sans Mono", monospace; color: #e8e8e8; }}
#terminal {{ position: absolute; inset: 0; }}
.closed-dialog {{ display: none; }}
body.-closed .closed-dialog {{
  display: flex; position: absolute; inset: 0; z-index: 10;
  align-items: center; justify-content: center; background: rgba(12, 24, 31, 0.9);
}}
.closed-dialog div {{ padding: 2em 3em; background: #12232d; text-align: center; }}
.closed-dialog button {{ margin-top: 1em; padding: 0.6em 2em; font: inherit; }}
</style>
<script src="margin.js"></script>
</head>
<body>
<div class="closed-dialog"><div>
  <p>This Margin session has ended. Your notes are saved.</p>
  <button type="button" onclick="window.location.reload()">Start again</button>
</div></div>
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
<script>
(function () {{
  const url = new URL("ws", window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  document.getElementById("terminal").dataset.sessionWebsocketUrl = url.href;
}})();
</script>
</body>
</html>
"""


def index_page(title: str, font_size: int) -> str:
    """The page: the terminal and a notice shown when the session ends."""
    return PAGE.format(title=html.escape(title), font_size=int(font_size))


FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Margin is full</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>Margin is full</h1>
<p>{count} people are using this Margin server, as many as it allows at once.
Try again when someone has closed their tab. The person who runs the server can allow more
with <code>margin serve --max-sessions</code>.</p>
</body></html>
"""


def full_page(count: int) -> str:
    return FULL_PAGE.format(count=int(count))


FORBIDDEN_TEXT = (
    "403 Forbidden: this Margin server needs a token. Open the address with ?token=... that "
    "was printed when the server started, or the one your team gave you.\n"
)
