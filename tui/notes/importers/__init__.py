"""Importers, one module per format, mirroring ``tui.notes.exporters``: bytes in, checked items out.

Each format is validated against a JSON Schema shipped in ``tui/notes/schemas`` before
anything is read from it; ``tui.notes.importing`` plans and writes the result.
"""
