"""The speaker after an inverted cue ("…,” said X): where the phrase after the verb ends, and
which lower-case words may open it."""

from __future__ import annotations

import pytest

import quoteattr


@pytest.mark.parametrize(
    ("after", "speaker"),
    [
        # a subordinate clause after the name is no part of it
        ("said Dan Hill when asked about it.", "Dan Hill"),
        ("said Dan Hill as he left the hall.", "Dan Hill"),
        # a lower-case title before a name
        ("said constituent Dan Hill.", "Dan Hill"),
        ("said campaign spokesman Dan Hill.", "Dan Hill"),
        # one member of a group
        ("said one of the advisers.", "one of the advisers"),
    ],
)
def test_speaker_after_an_inverted_cue(after: str, speaker: str) -> None:
    result = quoteattr.attribute(f"\u201cThe plan is dead,\u201d {after}")
    assert [a.speaker.name if a.speaker else None for a in result.attributions] == [speaker]


@pytest.mark.parametrize("after", ["said in a statement on Tuesday.", "said earlier Tuesday."])
def test_no_speaker_from_words_that_open_no_phrase(after: str) -> None:
    result = quoteattr.attribute(f"\u201cThe plan is dead,\u201d {after}")
    assert [a.speaker for a in result.attributions] == [None]
