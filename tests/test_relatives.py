"""Which phrase a relative pronoun speaker ("…, who said …") stands for."""

from __future__ import annotations

import pytest

import quoteattr


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a person after a preposition is the antecedent
        ("Bell won an endorsement from Ana Ruiz, who said that the race was over.", "Ana Ruiz"),
        # a place after a preposition is not: the phrase before it is
        ("The council heard from Sen. Tom Bell of Ohio, who said that the deal was bad.",
         "Tom Bell"),
        ("Both spoke to Mayor Ana Ruiz, who said that the plan was sound.", "Ana Ruiz"),
    ],
)
def test_relative_pronoun_speaker(text: str, speaker: str) -> None:
    result = quoteattr.attribute(text)
    assert [a.speaker.name if a.speaker else None for a in result.attributions] == [speaker]
