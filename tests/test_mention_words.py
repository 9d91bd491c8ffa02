"""Words that look like names or hide a pronoun: what the ``mentions`` plugin makes of them."""

from __future__ import annotations

import pytest

from quoteattr.default.mentions import quoteattr_find_mentions
from quoteattr.model import Document


def _mentions(text: str) -> list[tuple[str, str]]:
    return [(m.span.text, m.kind) for m in quoteattr_find_mentions(Document(text), ())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person pronoun with a contraction is a pronoun mention of the pronoun alone
        ("She'd left early.", [("She", "pronoun")]),
        ("They’re late, and he’ll know it.", [("They", "pronoun"), ("he", "pronoun")]),
        ("Then she's gone.", [("she", "pronoun")]),
        # other pronouns with a contraction are no name
        ("I'm sure. We'll see. It's over.", []),
        # a capitalised office with no name after it is a description of a person
        ("The Prime Minister arrived.", [("The Prime Minister", "nominal")]),
        ("He met the Foreign Secretary.",
         [("He", "pronoun"), ("the Foreign Secretary", "nominal")]),
        # "According to X": "According" opens no name
        ("According to Ana Ruiz, it rained.", [("Ana Ruiz", "name")]),
    ],
)
def test_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert _mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        # the first word of a full name marks its gender, from the longer list of first names
        ("Irene Adler left.", "female"),
        ("Wendell Pike left.", "male"),
        # alone, such a name may be a place: no gender ("Geneva" is a city too)
        ("Geneva left.", None),
        ("Clara Pike left.", "female"),
    ],
)
def test_first_names_mark_gender(text: str, gender: str | None) -> None:
    (mention,) = quoteattr_find_mentions(Document(text), ())
    assert mention.gender == gender
