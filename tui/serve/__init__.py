"""``margin serve``: Margin in a web browser, one Margin process per visitor.

Only ``tui.serve.command`` and the modules it loads import textual-serve and aiohttp, and
only when ``margin serve`` runs, so the terminal app never pays for them.
"""
