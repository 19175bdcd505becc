"""CoNLL/BIO: tokens by script, the overlap rule, and spans -> BIO -> spans on the seeds."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.locations import seeds_dir
from tui.notes.exporters.bio import LabelledSpan, to_bio
from tui.notes.exporters.conll import conll_document
from tui.notes.importers.conll import ConllError, read_conll, spans_in
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries
from tui.text.tokens import TokensDoNotMatch, align, is_separator, tokens

SEEDS = {
    "punjabi": "000_2b95fd20893b1bf4.txt",
    "arabic": "001_8fee35915be30630.txt",
    "chinese": "002_859d7618586743be.txt",
}
LABELS = ("PER", "ORG", "ਥਾਂ", "مكان", "地点", "my tag")


@cache
def seed(name: str) -> str:
    return decode((seeds_dir() / SEEDS[name]).read_bytes()).text


@cache
def seed_tokens(name: str) -> tuple[tuple[int, int], ...]:
    return tuple(tokens(seed(name)))


def words(text: str) -> list[str]:
    return [text[start:end] for start, end in tokens(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world! It's 3.5 km.", ["Hello", ",", "world", "!", "It's", "3.5", "km", "."]),
        ("從互聯網到AI崛起,上海", ["從", "互", "聯", "網", "到", "AI", "崛", "起", ",", "上", "海"]),
        ("2024年カタカナとひらがな", ["2024", "年", "カ", "タ", "カ", "ナ", "と", "ひ", "ら", "が", "な"]),
        ("\U00020000\U00020001字", ["\U00020000", "\U00020001", "字"]),
        ("か\u3099き", ["か\u3099", "き"]),
        ("สวัสดีครับ ผมชื่อสมชาย", ["สวัสดี", "ครับ", "ผม", "ชื่อ", "สมชาย"]),
        ("ສະບາຍດີ ເຈົ້າ", ["ສະບາຍດີ", "ເຈົ້າ"]),
        ("ਚੀਨ ਦੀ ਭੱਠੀ। ਪ੍ਰਧਾਨ", ["ਚੀਨ", "ਦੀ", "ਭੱਠੀ", "।", "ਪ੍ਰਧਾਨ"]),
        ("مجموعة علي (53 مليار)، بهدف", ["مجموعة", "علي", "(", "53", "مليار", ")", "،", "بهدف"]),
        ("a\tb\x1b[2Jc \u3000\n d", ["a", "b", "[", "2Jc", "d"]),
        ("", []),
        (" \n\t", []),
    ],
    ids=lambda value: repr(value)[:24],
)
def test_tokens_by_script(text, expected):
    assert words(text) == expected


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("ab .,\n\t\x1b\u00a0從互カなสวัสดีਚੀਨ਼ مجموعة\U00020000\u0301\u200d1"), max_size=40))
def test_tokens_hold_every_non_separator_once_and_align_back(text):
    found = tokens(text)
    covered = [index for start, end in found for index in range(start, end)]
    assert covered == [index for index, character in enumerate(text) if not is_separator(character)]
    assert all(not is_separator(character) for start, end in found for character in text[start:end])
    assert align(text, [text[start:end] for start, end in found]) == found


def test_align_says_which_token_is_not_in_the_text():
    with pytest.raises(TokensDoNotMatch, match="token 2"):
        align("one two", ["one", "too"])


# -- the rules --------------------------------------------------------------------------


def tagged(text: str, spans: list[LabelledSpan]) -> list[tuple[str, str]]:
    bio = to_bio(text, spans)
    return list(zip(bio.words(), bio.tags))


def test_nested_and_overlapping_spans_keep_the_longest_then_the_earliest():
    text = "alpha beta gamma delta"
    outer = LabelledSpan(0, 16, "LONG")
    inner = LabelledSpan(6, 10, "IN")
    later = LabelledSpan(11, 22, "LATER")
    bio = to_bio(text, [inner, later, outer])
    assert bio.kept == (outer,) and bio.overlapping == 2
    text = "aa bb cc dd"
    later_same_length = LabelledSpan(6, 11, "SAME")
    earlier_same_length = LabelledSpan(3, 8, "FIRST")
    bio = to_bio(text, [later_same_length, earlier_same_length])
    assert bio.kept == (earlier_same_length,) and bio.overlapping == 1


def test_a_span_edge_inside_a_token_splits_the_token():
    text = "وأحمد قال"
    assert tagged(text, [LabelledSpan(1, 5, "PER")]) == [("و", "O"), ("أحمد", "B-PER"), ("قال", "O")]


def test_adjacent_spans_of_one_label_stay_two():
    text = "New York Boston"
    spans = [LabelledSpan(0, 8, "LOC"), LabelledSpan(9, 15, "LOC")]
    assert [tag for _word, tag in tagged(text, spans)] == ["B-LOC", "I-LOC", "B-LOC"]


def test_separators_at_span_ends_are_trimmed_and_a_blank_span_is_left_out():
    text = "one  two three"
    bio = to_bio(text, [LabelledSpan(3, 9, "X"), LabelledSpan(3, 5, "BLANK")])
    assert bio.kept == (LabelledSpan(5, 8, "X"),) and bio.empty == 1


def test_labels_keep_one_line_one_tag():
    assert tagged("a b", [LabelledSpan(0, 1, "my tag")]) == [("a", "B-my_tag"), ("b", "O")]


def test_sentences_are_blank_lines_and_never_cut_a_span():
    text = "First one. Second one. Third one."
    assert [len(s) for s in to_bio(text, []).sentences()] == [3, 3, 3]
    across = to_bio(text, [LabelledSpan(6, 17, "X")])
    assert [len(s) for s in across.sentences()] == [6, 3]
    conll = conll_document(across)
    assert conll.startswith("-DOCSTART-\tO\n\nFirst\tO\none\tB-X\n.\tI-X\nSecond\tI-X\n")
    assert conll.endswith("Third\tO\none\tO\n.\tO\n\n")


# -- spans -> BIO -> spans ---------------------------------------------------------------


def round_trip(text: str, spans: list[LabelledSpan]) -> list[LabelledSpan]:
    written = conll_document(to_bio(text, spans))
    (document,) = read_conll(written)
    return spans_in(document, text)


@st.composite
def token_aligned_spans(draw, name: str):
    """Non-overlapping spans over whole tokens of a seed, within a window of it."""
    found = seed_tokens(name)
    first = draw(st.integers(0, len(found) - 1))
    window = found[first : first + 200]
    cuts = sorted(draw(st.sets(st.integers(0, len(window)), max_size=40)))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        if draw(st.booleans()):
            spans.append(LabelledSpan(window[start][0], window[end - 1][1], draw(st.sampled_from(LABELS))))
    return spans


@pytest.mark.parametrize("name", list(SEEDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_token_aligned_spans_come_back_unchanged(name, data):
    spans = data.draw(token_aligned_spans(name))
    expected = [LabelledSpan(s.start, s.end, "_".join(s.label.split())) for s in spans]
    assert round_trip(seed(name), spans) == expected


@st.composite
def free_spans(draw, name: str):
    """Non-overlapping spans with any edges that are not on a separator: token edges split."""
    text = seed(name)
    first = draw(st.integers(0, len(text) - 300))
    edges = sorted(draw(st.sets(st.integers(first, first + 300), min_size=2, max_size=30)))
    spans = []
    for start, end in zip(edges[0::2], edges[1::2]):
        if start < end and not is_separator(text[start]) and not is_separator(text[end - 1]):
            spans.append(LabelledSpan(start, end, draw(st.sampled_from(LABELS[:5]))))
    return spans


@pytest.mark.parametrize("name", list(SEEDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_spans_inside_tokens_come_back_unchanged(name, data):
    spans = data.draw(free_spans(name))
    assert round_trip(seed(name), spans) == spans


@pytest.mark.parametrize("name", list(SEEDS))
def test_every_sentence_of_a_seed_as_a_span_comes_back(name):
    text = seed(name)
    bounds = sentence_boundaries(text)
    spans = []
    for start, end in zip(bounds, bounds[1:]):
        span = to_bio(text, [LabelledSpan(start, end, "S")]).kept
        spans.extend(span)
    assert spans and round_trip(text, spans) == spans


def test_overlaps_come_back_as_the_kept_spans_only():
    text = seed("chinese")
    spans = [LabelledSpan(10, 20, "A"), LabelledSpan(12, 14, "B"), LabelledSpan(30, 31, "C")]
    assert round_trip(text, spans) == [spans[0], spans[2]]


# -- reading CoNLL from elsewhere --------------------------------------------------------


def test_iob1_and_space_separated_columns_read():
    text = "John Smith met Mary in Paris"
    content = "John NNP I-PER\nSmith NNP I-PER\nmet VBD O\nMary NNP I-PER\nin IN O\nParis NNP I-LOC\n"
    (document,) = read_conll(content)
    assert spans_in(document, text) == [
        LabelledSpan(0, 10, "PER"),
        LabelledSpan(15, 19, "PER"),
        LabelledSpan(23, 28, "LOC"),
    ]


def test_a_span_ends_at_a_sentence_break():
    (document,) = read_conll("a\tB-X\n\nb\tI-X\n")
    assert spans_in(document, "a b") == [LabelledSpan(0, 1, "X"), LabelledSpan(2, 3, "X")]


def test_documents_split_at_docstart():
    content = "-DOCSTART-\tO\n\nx\tO\n\n-DOCSTART- -X- -X- O\n\ny\tB-A\n"
    assert [len(document) for document in read_conll(content)] == [1, 1]


@pytest.mark.parametrize(
    ("content", "text", "message"),
    [
        ("alone\n", "alone", "line 1: expected a token and a tag"),
        ("x\tPERSON\n", "x", "line 1: 'PERSON' is not a BIO tag"),
        ("one\tO\n\ntwo\tO\nthree\tO\n", "one two four", "line 4: token 3"),
    ],
)
def test_unreadable_input_names_the_line(content, text, message):
    with pytest.raises(ConllError, match=message):
        for document in read_conll(content):
            spans_in(document, text)
