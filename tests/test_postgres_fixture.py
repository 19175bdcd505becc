"""The throwaway PostgreSQL server that the store tests against PostgreSQL build on."""

from __future__ import annotations

import psycopg


def test_the_server_answers_a_query_on_its_private_socket(postgres_server):
    with psycopg.connect(postgres_server.url(), connect_timeout=10) as connection:
        assert connection.execute("select 1").fetchone() == (1,)
        assert connection.info.server_version // 10000 >= 15
