"""News constructions whose speaker the cue sieves read: unnamed sources after an inverted cue,
and a cue joined to an earlier verb of the same subject. The sentences are invented."""

from __future__ import annotations

import pytest

import quoteattr


def speakers(text: str) -> list[str | None]:
    result = quoteattr.attribute(text)
    return [a.speaker.name if a.speaker else None for a in result.attributions]


@pytest.mark.parametrize(
    ("after", "speaker"),
    [
        # a word before a preposition that describes the noun ends the phrase before it
        ("says a source familiar with the talks.", "a source"),
        ("said one aide involved in the planning.", "one aide"),
        # an unnamed source, whatever noun heads it
        ("wrote one commenter.", "one commenter"),
        ("said another bystander.", "another bystander"),
    ],
)
def test_an_unnamed_source_after_an_inverted_cue(after: str, speaker: str) -> None:
    assert speakers(f"\u201cThe ferry will not run this winter,\u201d {after}") == [speaker]


@pytest.mark.parametrize(
    "sentence",
    [
        "Mayor Lindqvist did not name her rivals, but told the crowd, \u201cWe are not done.\u201d",
        "Mayor Lindqvist waved from the stage and then told them, \u201cWe are not done.\u201d",
    ],
)
def test_a_cue_joined_to_an_earlier_verb_shares_its_subject(sentence: str) -> None:
    assert speakers(sentence) == ["Lindqvist"]
