"""How ``np_mention`` reads noun phrases that the table-driven cases cannot show: the kind of
mention (a name, a description, a group) and its head, not just the speaker's name.
"""

from __future__ import annotations

import pytest

from quoteattr.default.grammar import np_mention, tokenize
from quoteattr.model import Document


def _read(phrase: str) -> tuple[str, str, str]:
    doc = Document(phrase)
    mention = np_mention(doc, tokenize(phrase, 0, len(phrase)), rule="test")
    assert mention is not None
    return mention.kind, mention.span.text, mention.head


@pytest.mark.parametrize(
    ("phrase", "kind", "text", "head"),
    [
        # a title with no name after it is a description of someone, not a name
        ("Retired General", "nominal", "Retired General", "general"),
        ("Deputy Director", "nominal", "Deputy Director", "director"),
        # with "the", an office held by a person, not an organisation ("the Pentagon")
        ("the Vice President", "nominal", "the Vice President", "president"),
        ("The Prime Minister", "nominal", "The Prime Minister", "minister"),
        ("the Foreign Secretary", "nominal", "the Foreign Secretary", "secretary"),
        ("the Harbour Commission", "organization", "Harbour Commission", ""),
        # a given name before a surname that is also a role noun keeps the name
        ("Larry King", "name", "Larry King", ""),
        ("Judge Clara King", "name", "Clara King", ""),
        ("Zamira King", "name", "Zamira King", ""),
        # titles and the words before them are not part of the name
        ("Maine Gov. Paul Ward", "name", "Paul Ward", ""),
        ("Harbour Bank CEO Joan Marsh", "name", "Joan Marsh", ""),
        # an adverb, conjunction or subordinator that opens the sentence opens no name
        ("Perhaps Harriet", "name", "Harriet", ""),
        ("Meanwhile Gov. Paul Ward", "name", "Paul Ward", ""),
        ("But Ana Ruiz", "name", "Ana Ruiz", ""),
        ("While Ruiz", "name", "Ruiz", ""),
        # a sentence adverb or conjunction before a phrase (not a name) is no part of it
        ("Then she", "pronoun", "she", ""),
        ("Still, the mayor", "nominal", "the mayor", "mayor"),
        # capitals before a name are a dateline or a heading; one acronym is a modifier
        ("NEW YORK Ana Ruiz", "name", "Ana Ruiz", ""),
        ("THE LAST CHAPTER Tom Bell", "name", "Tom Bell", ""),
        ("NAACP President Dana Hill", "name", "Dana Hill", ""),
        # one member of a group; a source with a long name
        ("one of those advisers", "nominal", "one of those advisers", "adviser"),
        ("a New York Times/CBS News poll", "nominal", "a New York Times/CBS News poll", "poll"),
        # quantifiers and possessives
        ("Many of her neighbours", "group", "her neighbours", "neighbour"),
        # (a description keeps its possessor in its span: whose board it is)
        ("Washington D.C.’s harbour board", "nominal", "Washington D.C.’s harbour board",
         "board"),
        ("Ruiz’s campaign", "nominal", "Ruiz’s campaign", "campaign"),
        ("Ruiz’s campaign manager Tom Bell", "name", "Tom Bell", ""),
    ],
)
def test_noun_phrase(phrase: str, kind: str, text: str, head: str) -> None:
    assert _read(phrase) == (kind, text, head)


@pytest.mark.parametrize("phrase", ["she could hear the man", "he has been the mayor"])
def test_a_clause_is_no_description(phrase: str) -> None:
    doc = Document(phrase)
    assert np_mention(doc, tokenize(phrase, 0, len(phrase)), rule="test") is None
