"""The floor every Textual app pays: one ``Static`` on the default screen."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello from BENCH-HELLO", markup=False)


if __name__ == "__main__":
    Hello().run()
