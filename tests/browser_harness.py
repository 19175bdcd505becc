"""Headless chromium driven by selenium, with Debian's chromedriver and no download.

selenium-manager would fetch a browser or a driver from the internet when it cannot find
one; here the driver's path is given and ``SE_OFFLINE`` forbids any download. The browser
resolves no host name but the loopback addresses, so a page that asked the internet for
anything (a web font) would show it in its resource list as a failure.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from tools import missing, require_tool

from tui.text.decode import decode
from tui.text.layout import layout_paragraph

WINDOW = (1200, 800)
ROWS_SCRIPT = """
const t = window.marginTerminal;
if (!t) return null;
const buffer = t.buffer.active;
const rows = [];
for (let y = 0; y < t.rows; y++) {
  const line = buffer.getLine(y);
  const cells = [];
  for (let x = 0; x < t.cols; x++) {
    const cell = line.getCell(x);
    cells.push([cell.getChars(), cell.getWidth()]);
  }
  rows.push([line.translateToString(false), cells]);
}
return {cols: t.cols, rows: t.rows, lines: rows};
"""
"""Each row's text, and each cell's characters and width (0 for the right half of a wide one)."""

INK_SCRIPT = """
const done = arguments[arguments.length - 1];
const image = new Image();
image.onload = () => {
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let most = 0;
  for (const n of counts.values()) most = Math.max(most, n);
  done({pixels: data.length / 4, background: most, colours: counts.size});
};
image.onerror = () => done(null);
image.src = "data:image/png;base64," + arguments[0];
"""
"""How many pixels of a PNG differ from its most common colour (the background)."""


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless chromium session; skipped (or failed under CI) without the tools."""
    browser = require_tool("chromium", "the browser tests drive it (apt-get install chromium)")
    driver_path = require_tool("chromedriver", "selenium drives chromium through it (apt-get install chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed: pip install -e '.[test]'")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--no-first-run",
        "--disable-background-networking",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def terminal_rows(driver) -> dict | None:
    """The rows xterm.js holds, or None before the terminal exists."""
    return driver.execute_script(ROWS_SCRIPT)


def ink(driver, png: bytes) -> dict:
    return driver.execute_async_script(INK_SCRIPT, base64.b64encode(png).decode())


def last_inked_cell(cells: list[list]) -> int:
    """One past the last cell that shows something other than a space."""
    for x in range(len(cells) - 1, -1, -1):
        chars, width = cells[x]
        if chars.strip():
            return x + max(width, 1)
    return 0


def expected_rows(path: Path, text_width: int, count: int) -> list[tuple[str, int]]:
    """The engine's first rows of ``path`` at ``text_width``: (text with its indent, one
    past the last cell that shows something other than a space)."""
    text = decode(path.read_bytes()).text
    rows: list[tuple[str, int]] = []
    start = 0
    for line in text.split("\n"):
        for row in layout_paragraph(line, text_width, start=start):
            indent = row.xs[0] if row.xs else 0
            end = max((x + w for x, w, g in zip(row.xs, row.widths, row.glyphs) if g.strip()), default=0)
            rows.append((" " * indent + row.text(), end))
        start += len(line) + 1
        if len(rows) >= count:
            break
    rows += [("", 0)] * (count - len(rows))  # a short document leaves blank rows below
    return rows[:count]
