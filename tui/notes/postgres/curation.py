"""The PostgreSQL store's curation tables: provenance of curated annotations and rejected passages.

Everyone reads them; only members of ``margin_curators`` write them (row-level security,
as for annotations), so a plain annotator can neither forge provenance nor hide a
disagreement by rejecting it. The queries are ``tui.notes.queries.curation``'s.
"""

from __future__ import annotations


def migration_statements(is_curator: str) -> list[str]:
    """The DDL of the curation tables and their policies; ``is_curator`` is the schema's
    SQL test for membership of the curators' role (the schema module owns role names)."""
    return [
        """CREATE TABLE curation_sources (
            curated_uid text NOT NULL,
            source_uid text NOT NULL,
            source_annotator text NOT NULL,
            PRIMARY KEY (curated_uid, source_uid)
        )""",
        """CREATE TABLE curation_rejections (
            doc_hash text NOT NULL,
            start integer NOT NULL,
            "end" integer NOT NULL,
            curator text NOT NULL DEFAULT current_user,
            created text NOT NULL,
            PRIMARY KEY (doc_hash, start, "end")
        )""",
        "ALTER TABLE curation_sources ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY curation_sources_read ON curation_sources FOR SELECT USING (true)",
        f"CREATE POLICY curation_sources_write ON curation_sources FOR ALL USING ({is_curator}) "
        f"WITH CHECK ({is_curator})",
        "ALTER TABLE curation_rejections ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY curation_rejections_read ON curation_rejections FOR SELECT USING (true)",
        f"CREATE POLICY curation_rejections_write ON curation_rejections FOR ALL USING ({is_curator}) "
        f"WITH CHECK ({is_curator})",
    ]
