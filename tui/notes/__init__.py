"""Annotations: model, SQLite store, anchoring, export and import."""
