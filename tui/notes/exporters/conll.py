"""CoNLL-2002 style BIO: one ``token<TAB>tag`` per line, a blank line after each sentence.

Each document starts with the line ``-DOCSTART-<TAB>O`` and a blank line, as CoNLL-2003
files do, so readers that skip or split on ``-DOCSTART-`` see documents, and two-column
readers that do not still read a valid one-token sentence. Documents come in the same
order as in the other exports (by title). What counts as a token, how spans become tags
and which of two overlapping spans is kept: ``tui.notes.exporters.bio``. Documents whose
text cannot be read are left out; the caller reports them.
"""

from __future__ import annotations

from tui.notes.exporters.bio import BioDocument, document_bio
from tui.notes.exporters.collection import DocumentNotes

DOCSTART = "-DOCSTART-"


def to_conll(documents: list[DocumentNotes], *, tag: str | None = None) -> str:
    parts: list[str] = []
    for notes in documents:
        bio = document_bio(notes, tag)
        if bio is not None:
            parts.append(conll_document(bio))
    return "".join(parts)


def conll_document(bio: BioDocument) -> str:
    words = bio.words()
    lines = [f"{DOCSTART}\tO\n\n"]
    for sentence in bio.sentences():
        lines.extend(f"{words[index]}\t{bio.tags[index]}\n" for index in sentence)
        lines.append("\n")
    return "".join(lines)
