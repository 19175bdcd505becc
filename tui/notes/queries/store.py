"""Every shared query in one base class: what a backend's store class inherits.

A backend's store class lists its own mixins first (what it does its own way), then
``StoreQueries``, and supplies ``_db`` and the ``Backend`` hooks.
"""

from __future__ import annotations

from tui.notes.queries.annotations import AnnotationQueries
from tui.notes.queries.curation import CurationQueries
from tui.notes.queries.labels import LabelQueries
from tui.notes.queries.relations import RelationQueries
from tui.notes.queries.settings import SettingsQueries
from tui.notes.queries.suggestions import SuggestionQueries
from tui.notes.queries.tags import TagQueries
from tui.notes.queries.team import TeamQueries


class StoreQueries(
    AnnotationQueries,
    CurationQueries,
    LabelQueries,
    RelationQueries,
    SettingsQueries,
    SuggestionQueries,
    TagQueries,
    TeamQueries,
):
    """The queries of ``tui.notes.store_api.NoteStore`` and ``tui.notes.team.TeamStore``
    that read and write the same on every backend."""
