"""Sentences and words in Punjabi, Arabic, Chinese and English."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.locations import seeds_dir
from tui.text.sentences import OPENING_PUNCTUATION, sentence_boundaries, word_spans


def _seed(prefix: str) -> str:
    (path,) = seeds_dir().glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _sentences(text: str) -> list[str]:
    bounds = sentence_boundaries(text)
    return [text[start:end] for start, end in zip(bounds, bounds[1:])]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("ਇਹ ਕਿਤਾਬ ਹੈ। ਉਹ ਪੜ੍ਹਦਾ ਹੈ॥ ਠੀਕ ਹੈ", ["ਇਹ ਕਿਤਾਬ ਹੈ। ", "ਉਹ ਪੜ੍ਹਦਾ ਹੈ॥ ", "ਠੀਕ ਹੈ"]),
        ("ਇਹ ਕਿਤਾਬ ਹੈ।ਉਹ ਪੜ੍ਹਦਾ ਹੈ।", ["ਇਹ ਕਿਤਾਬ ਹੈ।", "ਉਹ ਪੜ੍ਹਦਾ ਹੈ।"]),
        ("هل أنت بخير؟ نعم، أنا بخير. شكرا!", ["هل أنت بخير؟ ", "نعم، أنا بخير. ", "شكرا!"]),
        ("你好。我很好！你呢？好的", ["你好。", "我很好！", "你呢？", "好的"]),
        ("他說：“我很好。”然後走了。", ["他說：“我很好。”", "然後走了。"]),
        ("一個問題。“第二句。”", ["一個問題。", "“第二句。”"]),
        ("遺憾。「我們」走。", ["遺憾。", "「我們」走。"]),
        ("Mr. Smith went home. He slept!", ["Mr. Smith went home. ", "He slept!"]),
        ("She said “Stop.” Then left.", ["She said “Stop.” ", "Then left."]),
        ("Wait... what? Yes.", ["Wait... what? ", "Yes."]),
        ("", []),
    ],
)
def test_sentences(text: str, sentences: list[str]) -> None:
    assert _sentences(text) == sentences


def test_empty_text_has_one_boundary() -> None:
    assert sentence_boundaries("") == [0]


def test_astral_offsets_are_code_points() -> None:
    assert sentence_boundaries("𠀋𠀋。𠀋。") == [0, 3, 5]


@pytest.mark.parametrize(
    ("prefix", "terminators", "minimum"),
    [("000", "।॥", 90), ("001", ".؟!", 17), ("002", "。！？?!", 150), ("003", ".?!", 29)],
)
def test_seed_sentences_end_at_their_terminators(prefix: str, terminators: str, minimum: int) -> None:
    text = _seed(prefix)
    closing = "”’\"')]」』）"
    ends_at_terminator = 0
    for sentence in _sentences(text):
        body = sentence.rstrip().rstrip(closing)
        inner = body[:-1]
        assert not re.search(f"[{re.escape(terminators)}](?=\\s)", inner), sentence
        assert sentence.rstrip()[-1:] not in OPENING_PUNCTUATION, sentence
        ends_at_terminator += body[-1:] in terminators
    assert ends_at_terminator >= minimum


@given(st.text(st.sampled_from("ab 中。？！.?!“”「」\n।؟𠀋"), max_size=40))
def test_sentence_boundaries_are_sorted_and_span_the_text(text: str) -> None:
    bounds = sentence_boundaries(text)
    assert bounds[0] == 0 and bounds[-1] == len(text)
    assert bounds == sorted(set(bounds))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ਪ੍ਰਧਾਨ ਜੀ। ਠੀਕ", ["ਪ੍ਰਧਾਨ", "ਜੀ", "ਠੀਕ"]),
        ("مرحبا، بالعالم!", ["مرحبا", "بالعالم"]),
        ("Don't stop — 3.14 now", ["Don't", "stop", "3.14", "now"]),
        ("a 𠀋 b", ["a", "𠀋", "b"]),
        ("... — !", []),
        ("", []),
    ],
)
def test_words(text: str, words: list[str]) -> None:
    assert [text[start:end] for start, end in word_spans(text)] == words


def test_chinese_words_cover_every_ideograph() -> None:
    text = "中文分詞很好用，你好。"
    spans = word_spans(text)
    covered = {index for start, end in spans for index in range(start, end)}
    assert covered == {index for index, ch in enumerate(text) if ch.isalpha()}
    assert len(spans) < 9


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_word_spans_are_ordered_and_hold_a_letter_or_digit(text: str) -> None:
    spans = word_spans(text)
    ends = [0]
    for start, end in spans:
        assert ends[-1] <= start < end <= len(text)
        assert any(ch.isalnum() for ch in text[start:end])
        ends.append(end)
