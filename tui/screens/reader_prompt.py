"""The reader's one-line prompt (go to, search, encoding, a suggestion score) and what a go-to answer means.

The prompt is one input at the foot of the reader. It knows which question is open and
answers with one message, :class:`ReaderPrompt.Answered`; what to do with the answer is the
screen's. :func:`resolve_goto` reads a go-to answer against the document without touching
any widget, so the screen only moves and says what :class:`Goto` tells it to.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input

from tui.corpus.document import DocumentSource
from tui.widgets.plain import PlainInput

GOTO = "goto"
SEARCH = "search"
ENCODING = "encoding"
THRESHOLD = "threshold"

#: Encodings offered when the user changes how a file is decoded.
ENCODINGS = ("utf-8", "utf-16", "gb18030", "big5", "cp1256", "iso-8859-6", "cp1252", "iso-8859-1", "latin-1")

PLACEHOLDERS = {
    GOTO: "Go to: a percentage (40%) or a paragraph number (120)",
    SEARCH: "Search (case, width and diacritics folded); Enter to search",
    ENCODING: "Encoding (→ completes): " + ", ".join(ENCODINGS),
    THRESHOLD: "Accept every open suggestion scored at least (0–1); Enter accepts",
}


class ReaderPrompt(PlainInput):
    """The input under the text; hidden until a question is asked.

    It is mounted (at the top of :attr:`home`) when the first question is asked: the first
    screen is drawn sooner without an input nobody sees."""

    @dataclass
    class Answered(Message):
        """Enter was pressed on the open question ``kind``; ``value`` is stripped."""

        kind: str
        value: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind: str | None = None
        """The open question, or None while the prompt is hidden."""
        self.home: Widget | None = None
        """The container the prompt is mounted in when first asked."""

    def ask(self, kind: str, value: str = "", completions: tuple[str, ...] = ()) -> None:
        """Show the prompt for ``kind`` with ``value`` typed in, and take the keys."""
        if not self.is_attached and self.home is not None:
            self.home.mount(self, before=0)
        self.kind = kind
        self.placeholder = PLACEHOLDERS[kind]
        self.suggester = SuggestFromList(completions, case_sensitive=False) if completions else None
        self.value = value
        self.add_class("-open")
        # Focus at once, not on the next turn of the event loop, so keys typed right after
        # the one that opened the prompt reach it (its binding has priority).
        self.screen.set_focus(self)

    def close(self) -> None:
        """Hide the prompt; the screen gives the focus back to the text."""
        self.kind = None
        self.remove_class("-open")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        kind = self.kind
        if kind is not None:
            self.post_message(self.Answered(kind, event.value.strip()))


@dataclass(frozen=True)
class Goto:
    """Where a go-to answer leads: the end, a fraction of the document, or a paragraph;
    ``message`` says what was done instead when the answer was out of range or unreadable."""

    end: bool = False
    fraction: float | None = None
    block: int | None = None
    message: str | None = None
    warning: bool = False


def resolve_goto(value: str, source: DocumentSource) -> Goto:
    """Read ``40%`` or ``120`` (a paragraph number, from 1) against ``source``."""
    try:
        if value.endswith("%"):
            asked = float(value[:-1])
            if asked != asked:  # NaN
                raise ValueError(value)
            fraction = min(max(asked / 100, 0.0), 1.0)
            message = f"{value} is outside 0–100%: went to {fraction:.0%}." if fraction * 100 != asked else None
            if fraction >= 1.0:
                return Goto(end=True, message=message)
            return Goto(fraction=fraction, message=message)
        number = int(value)
    except (ValueError, OverflowError):
        return Goto(message=f"Not a percentage or a paragraph number: {value!r}", warning=True)
    if source.block_count == 0:
        return Goto(message="The document is empty: nothing to go to.")
    block = min(max(number - 1, 0), source.block_count - 1)
    message = None
    if block + 1 != number:
        known = f"{source.block_count}" if source.complete else f"{source.block_count} so far"
        message = f"There is no paragraph {number} (1–{known}): went to paragraph {block + 1}."
    return Goto(block=block, message=message)
