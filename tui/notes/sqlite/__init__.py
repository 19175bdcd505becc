"""The SQLite annotation store: schema, opening the file, errors and queries, one module each."""
