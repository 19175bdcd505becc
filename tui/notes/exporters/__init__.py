"""Exports of the annotation store, one module per format, all pure: data in, text out."""
