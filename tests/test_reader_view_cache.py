"""ReaderView keeps rendered rows, and never shows a stale one.

Each check renders a row twice: the second time must come from the cache (no new render),
and after a change to anything the row shows, the row must be rendered again and equal a
fresh render."""

from __future__ import annotations

from reader_harness import synchronous
from rich.style import Style
from textual.app import App, ComposeResult

from tui.corpus.document import MemorySource
from tui.text.layout import LayoutOptions
from tui.widgets.reader_view import Highlight, ReaderView

TEXT = "The first line of the text.\nA second line, rather longer.\nThird.\nFourth line.\n"


class ViewApp(App[None]):
    CSS = "ReaderView.-alternative > .reader--search { background: magenta; }"

    def compose(self) -> ComposeResult:
        yield ReaderView(MemorySource(TEXT), LayoutOptions(), id="view")


class Counted:
    """Counts the rows ReaderView actually renders (cache misses)."""

    def __init__(self, view: ReaderView) -> None:
        self.view = view
        self.renders = 0
        original = view._render_row

        def render_row(*args):
            self.renders += 1
            return original(*args)

        view._render_row = render_row

    def line(self, y: int):
        return self.view.render_line(y)

    def fresh(self, y: int):
        view = self.view
        _pos, row = view.window()[y]
        return view.__class__._render_row(view, row, view.content_size.width, view.rich_style)

    def hit(self, y: int) -> bool:
        """Render row ``y`` twice: whether the second came from the cache, unchanged."""
        first = self.line(y)
        before = self.renders
        second = self.line(y)
        return self.renders == before and second is first

    def missed(self, y: int) -> bool:
        """Whether rendering row ``y`` now renders it anew, equal to a fresh render."""
        before = self.renders
        strip = self.line(y)
        return self.renders == before + 1 and list(strip) == list(self.fresh(y))


async def started(pilot) -> Counted:
    view = pilot.app.query_one(ReaderView)
    view.focus()
    for _ in range(50):
        if view.window():
            break
        await pilot.pause()
    view.set_cursor(view.source.block(3).start)
    await pilot.pause()
    return Counted(view)


@synchronous
async def test_a_rerender_comes_from_the_cache():
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        assert counted.hit(0)
        # The cursor moving between rows 2 and 3 leaves row 0 as it was.
        counted.view.set_cursor(counted.view.source.block(2).start)
        assert counted.hit(0)


@synchronous
async def test_a_highlight_selection_or_search_change_renders_the_row_again():
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        view = counted.view
        assert counted.hit(0)
        before = list(counted.line(0))

        view.set_highlights([Highlight(4, 9, Style(bgcolor="red"), Style(color="red"))])
        assert counted.missed(0) and list(counted.line(0)) != before
        assert counted.hit(0)

        view.select(0, 5)
        assert counted.missed(0) and counted.hit(0)
        view.clear_selection()
        assert counted.missed(0) and counted.hit(0)

        view.set_hits([(10, 14)], 0)
        assert counted.missed(0) and counted.hit(0)

        view.set_cursor(2)
        assert counted.missed(0)


@synchronous
async def test_a_theme_change_renders_the_row_again():
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        assert counted.hit(0)
        dark = list(counted.line(0))
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert list(counted.line(0)) != dark
        assert list(counted.line(0)) == list(counted.fresh(0))


@synchronous
async def test_new_layout_options_render_every_row_again():
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        assert counted.hit(1)
        counted.view.reload(LayoutOptions(base_level=1))
        assert counted.missed(1)


@synchronous
async def test_a_component_style_change_renders_the_row_again():
    """Only the search colour changes (not the base style): the cache must still let go."""
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        counted.view.set_hits([(4, 9)], None)
        await pilot.pause()
        assert counted.hit(0)
        before = list(counted.line(0))
        base = counted.view.rich_style
        counted.view.add_class("-alternative")
        await pilot.pause()
        assert counted.view.rich_style == base
        assert list(counted.line(0)) != before
        assert list(counted.line(0)) == list(counted.fresh(0))


@synchronous
async def test_a_highlight_changed_on_one_row_leaves_the_other_rows_cached():
    """Accepting one suggestion among thousands redraws the rows it is on, not the screen."""
    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        counted = await started(pilot)
        view = counted.view
        kept = Highlight(30, 36, Style(underline2=True))
        view.set_highlights([Highlight(4, 9, Style(bgcolor="red")), kept])
        highlighted = [list(counted.line(y)) for y in range(3)]
        view.set_highlights([kept])
        now = list(counted.line(0))
        assert now == list(counted.fresh(0)) and now != highlighted[0], "the row whose highlight went is drawn without it"
        assert counted.hit(1) and counted.hit(2), "rows whose highlights stayed come from the cache"
        assert list(counted.line(1)) == highlighted[1]
        view.set_highlights([kept, Highlight(58, 64, Style(bgcolor="blue"))])
        assert counted.missed(2) and counted.hit(1)
