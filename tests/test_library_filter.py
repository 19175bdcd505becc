"""Reading the library's filter text: words, ``label:NAME``, and quoted names with spaces in
any script. The text is the user's: brackets and quotes are data, never markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.library_filter import QUOTES, LibraryFilter, fold, parse_filter
from tui.widgets.library_rows import DocumentRow, matches


@pytest.mark.parametrize(
    ("text", "words", "labels"),
    [
        ("", (), ()),
        ("   ", (), ()),
        ("News Report", ("news", "report"), ()),
        ("label:news report", ("report",), ("news",)),
        ('label:"news report"', (), ("news report",)),
        ("label:'News Report' arabic", ("arabic",), ("news report",)),
        ('LABEL:"News"', (), ("news",)),
        ("label:", (), ("",)),
        ('label:""', (), ("",)),
        ('label:"  padded  "', (), ("padded",)),
        ('label:"still typing', (), ("still typing",)),
        ('label:"a b"c', ("c",), ("a b",)),
        ("label:'say \"hi\" twice'", (), ('say "hi" twice',)),
        ('label:"تقرير إخباري"', (), ("تقرير إخباري",)),
        ('label:"ਖ਼ਬਰ ਰਿਪੋਰਟ" ਪੰਜਾਬੀ', ("ਪੰਜਾਬੀ",), ("ਖ਼ਬਰ ਰਿਪੋਰਟ",)),
        ("label:“新闻 报道”", (), ("新闻 报道",)),
        ("label:「新闻 报道」 label:诗", (), ("新闻 报道", "诗")),
        ("新闻\u3000报道", ("新闻", "报道"), ()),
        ('label:"[b]bold[/b] x" [red]', ("[red]",), ("[b]bold[/b] x",)),
        ("labels:x", ("labels:x",), ()),
        ('x label:"a"', ("x",), ("a",)),
    ],
)
def test_parse_filter(text, words, labels):
    assert parse_filter(text) == LibraryFilter(words, labels)


def test_labels_compare_composed_and_case_folded():
    assert fold("Stra\u00dfe") == fold("STRASSE")
    # ਖ਼ (U+0A59) is canonically ਖ + nukta: either spelling names the same label.
    assert fold("\u0a59") == fold("\u0a16\u0a3c")
    assert parse_filter("label:\u0a16\u0a3c").labels == (fold("\u0a59"),)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('label:"news report"', True),
        ("label:'NEWS REPORT'", True),
        ('label:"news"', False),
        ("label:news", False),
        ('label:"تقرير إخباري"', True),
        ('label:"تقرير"', False),
        ('label:"news report" tale', True),
        ('label:"news report" sport', False),
        ("label:“新闻 报道”", True),
    ],
)
def test_quoted_label_names_match_a_label_with_a_space(query, expected):
    row = DocumentRow(Path("tale.txt"), labels=("News Report", "تقرير إخباري", "新闻 报道"))
    assert matches(row, query) is expected


names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\"'“”‘’「」『』"),
    min_size=1,
    max_size=20,
).filter(lambda name: name.strip() == name and name)


@given(names, st.sampled_from(sorted(QUOTES)))
def test_any_name_quoted_finds_the_document_labelled_so(name, opening):
    query = f"label:{opening}{name}{QUOTES[opening]}"
    assert parse_filter(query).labels == (fold(name),)
    assert matches(DocumentRow(Path("a.txt"), labels=(name,)), query)
    assert not matches(DocumentRow(Path("a.txt"), labels=(name + "x",)), query)
