"""Widgets of the reader and library screens."""
