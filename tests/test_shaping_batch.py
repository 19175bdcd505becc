"""Shaping the new runs of a paragraph in one reshaper call gives what shaping each alone gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.text import shaping

ARABIC = st.sampled_from(
    [chr(c) for c in range(0x0621, 0x0656)] + ["\u0640", "\u0670", "\u200c", "\u200d", "\ufefb", "\ufdf2", "\u06cc", "\u067e"]
)
RUNS = st.lists(st.text(ARABIC, min_size=1, max_size=7), min_size=1, max_size=12)


def alone(run: str) -> shaping.Shaped:
    return shaping._from_reshaped(run, shaping._reshape(run))


@settings(max_examples=300, deadline=None)
@given(RUNS)
def test_runs_shaped_together_equal_runs_shaped_alone(runs):
    shaping._SHAPED_RUNS.clear()
    shaping._remember_runs(set(runs))
    assert {run: shaping._SHAPED_RUNS[run] for run in runs} == {run: alone(run) for run in runs}


def test_a_paragraph_is_shaped_run_by_run():
    shaping._SHAPED_RUNS.clear()
    text = "قال الله: لا (AGI) بِسْمِ"
    shaped = shaping.shape(text)
    expected = "".join(alone(word).text if word[0] > "\u0600" else word for word in text.split(" "))
    assert shaped.text.replace(" ", "") == expected.replace(" ", "")
    assert shaped.changed


def test_a_paragraph_is_shaped_when_the_run_memory_is_cleared_under_it(monkeypatch):
    monkeypatch.setattr(shaping, "_SHAPED_RUNS_LIMIT", 4)
    monkeypatch.setattr(shaping, "_SHAPED_RUNS", {})
    shaping.shape("كتب قلم بيت")
    # Two new words overflow the memory, which is cleared: "كتب" must be shaped again.
    shaped = shaping.shape("كتب شمس نهر")
    assert shaped.text == shaping.shape("كتب").text + " " + shaping.shape("شمس نهر").text
