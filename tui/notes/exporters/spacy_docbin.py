"""spaCy ``DocBin``: the binary training file ``spacy train`` reads (``.spacy``).

spaCy is optional (``pip install 'margin[spacy]'``) and imported only here, only when
this format is asked for. Each document becomes a ``Doc`` over Margin's own tokens
(``tui.notes.exporters.bio``), so the CoNLL and spaCy exports of a store agree token for
token; whitespace other than one space after a token becomes whitespace tokens, as
spaCy's tokenizer makes them, so ``doc.text`` is the document's text exactly and
character offsets carry over. Sentence starts are set from the engine's segmentation.

- ``doc.ents``: the spans BIO keeps (the overlap rule of the CoNLL export);
- ``doc.spans["sc"]``: every placed annotation with its label, overlaps included, for
  spaCy's span categorizer, which allows them;
- ``doc.user_data["margin"]``: the document's SHA-256, path and title.
"""

from __future__ import annotations

from tui.notes.exporters.bio import LabelledSpan, resolve, spans_of, to_bio, trim
from tui.notes.exporters.collection import DocumentNotes
from tui.text.tokens import split_at

SPANS_KEY = "sc"
INSTALL_HINT = "pip install 'margin[spacy]'"


class SpacyMissing(ValueError):
    """The optional dependency is not installed; nothing was written."""

    def __init__(self) -> None:
        super().__init__(f"the spacy format needs spaCy, which is not installed ({INSTALL_HINT})")


def spacy_available() -> bool:
    from importlib.util import find_spec

    return find_spec("spacy") is not None


def to_docbin(documents: list[DocumentNotes], *, tag: str | None = None) -> bytes:
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        raise SpacyMissing() from None
    vocab = Vocab()
    docbin = DocBin(store_user_data=True)
    for notes in documents:
        if notes.text is None:
            continue
        docbin.add(_doc(vocab, notes, tag))
    return docbin.to_bytes()


def _doc(vocab, notes: DocumentNotes, tag: str | None):
    from spacy.tokens import Doc

    text = notes.text or ""
    every = [span for span in (trim(text, s) for s in spans_of(notes, tag)) if span is not None]
    bio = to_bio(text, every)
    kept, _overlapping, _empty = resolve(text, every)
    pieces = split_at(bio.tokens, (edge for span in every for edge in (span.start, span.end)))
    sentence_token_starts = {bio.tokens[index][0] for index in bio.sentence_starts}
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    position = 0
    for start, end in pieces:
        _whitespace(text[position:start], words, spaces, starts)
        starts.append(not words or (start in sentence_token_starts and start != pieces[0][0]))
        words.append(text[start:end])
        spaces.append(False)
        position = end
    _whitespace(text[position:], words, spaces, starts)
    doc = Doc(vocab, words=words, spaces=spaces, sent_starts=starts)
    doc.ents = [_char_span(doc, span) for span in kept]
    doc.spans[SPANS_KEY] = [_char_span(doc, span) for span in every]
    doc.user_data["margin"] = {
        "hash": notes.document.hash,
        "path": notes.document.path,
        "title": notes.document.title,
    }
    return doc


def _whitespace(gap: str, words: list[str], spaces: list[bool], starts: list[bool]) -> None:
    """The separators before a token: one space is the previous token's trailing space,
    anything else a token of its own."""
    if not gap:
        return
    if gap.startswith(" ") and words and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        starts.append(not words)
        words.append(gap)
        spaces.append(False)


def _char_span(doc, span: LabelledSpan):
    made = doc.char_span(span.start, span.end, label=span.label)
    if made is None:
        raise AssertionError(f"span {span.start}..{span.end} is not on token bounds")
    return made
