"""The PostgreSQL annotation store: a team's shared server, one module per concern.

Nothing here is imported at start-up unless the store is a ``postgresql://`` URL, so a
single user on SQLite never pays for (or needs) the psycopg driver.
"""
