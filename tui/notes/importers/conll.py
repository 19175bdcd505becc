"""CoNLL / BIO in: columns per line, the first the token and the last its tag.

A file holds documents separated by ``-DOCSTART-`` lines (a file without any is one
document), sentences separated by blank lines. Tokens carry no offsets, so each
document is read against its text (``spans_in``): the tokens must be the text's
characters in order with only whitespace or control characters between them, which is
what Margin's export writes. Both IOB2 (``B-`` starts every span) and IOB1 (``I-`` after
``O`` or another label starts one) read; a span never continues across a sentence break.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.notes.exporters.bio import LabelledSpan, from_bio
from tui.notes.exporters.conll import DOCSTART
from tui.text.tokens import TokensDoNotMatch, align


class ConllError(ValueError):
    """A line or a document that cannot be read; the message says where."""


@dataclass(frozen=True, slots=True)
class ConllToken:
    word: str
    tag: str
    line: int


ConllDocument = list[list[ConllToken]]
"""Sentences of tokens."""


def read_conll(content: str) -> list[ConllDocument]:
    documents: list[ConllDocument] = []
    current: ConllDocument | None = None
    sentence: list[ConllToken] = []

    def close_sentence() -> None:
        nonlocal sentence
        if sentence:
            if current is None:
                documents.append([])
            documents[-1].append(sentence)
        sentence = []

    for number, line in enumerate(content.splitlines(), start=1):
        if line.startswith(DOCSTART):
            close_sentence()
            current = []
            documents.append(current)
            continue
        if not line.strip():
            close_sentence()
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if len(columns) < 2:
            raise ConllError(f"line {number}: expected a token and a tag, found {line!r}")
        tag = columns[-1].strip()
        if tag != "O" and not tag.startswith(("B-", "I-")):
            raise ConllError(f"line {number}: {tag!r} is not a BIO tag (O, B-LABEL or I-LABEL)")
        if current is None:
            current = []
            documents.append(current)
        sentence.append(ConllToken(columns[0], tag, number))
    close_sentence()
    return documents


def spans_in(document: ConllDocument, text: str) -> list[LabelledSpan]:
    """The document's spans as offsets (code points) into ``text``."""
    flat = [token for sentence in document for token in sentence]
    try:
        offsets = align(text, [token.word for token in flat])
    except TokensDoNotMatch as error:
        line = flat[error.index].line
        raise ConllError(f"line {line}: {error}") from None
    spans: list[LabelledSpan] = []
    position = 0
    for sentence in document:
        count = len(sentence)
        spans.extend(from_bio(offsets[position : position + count], [token.tag for token in sentence]))
        position += count
    return spans
