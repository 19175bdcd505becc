"""Margin: a terminal reader and passage annotator for multilingual text."""

__version__ = "0.1.0"
