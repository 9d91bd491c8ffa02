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
        ("said one aide involved in the budget talks.", "one aide"),
        # an unnamed source, whatever noun heads it
        ("wrote one onlooker.", "one onlooker"),
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


def test_a_subject_after_as_with_an_appositive() -> None:
    text = (
        "Few senators, of the whole chamber, agreed to meet him. As Tom Bell, the "
        "second-ranking senator, put it: \u201cWe will not move.\u201d"
    )
    assert speakers(text)[-1] == "Tom Bell"


def test_the_sentence_before_holds_no_subject_of_the_cue() -> None:
    text = (
        "Campaign staff, from every state, met on Sunday. Campaign spokesman Dan Hill told "
        "the paper, \u201cWe have answered every question.\u201d"
    )
    assert speakers(text)[-1] == "Dan Hill"


def test_an_adverb_and_its_phrase_open_the_sentence() -> None:
    text = (
        "Early in the season, Vera Lund criticised the club, calling it, in the end, "
        "\u201ca ship without a captain.\u201d"
    )
    assert speakers(text) == ["Vera Lund"]


def test_a_demonstrative_phrase_before_the_cue() -> None:
    text = "\u201cWe will rebuild the pier,\u201d this mayoral stand-in declared."
    assert speakers(text) == ["this mayoral stand-in"]


@pytest.mark.parametrize(
    "before",
    [
        "Vera Lund said the report was thin.",
        "As the hearing ended, Vera Lund stated that the report \u201cwas thin.\u201d",
    ],
)
def test_a_participle_cue_opening_a_sentence_continues_the_last_speaker(before: str) -> None:
    text = f"The hearing ran late.\n\n{before} Adding, \u201cNobody reads the minutes.\u201d"
    assert speakers(text) == ["Vera Lund", "Vera Lund"]  # the paraphrase and the quote


def test_a_cue_then_a_phrase_with_a_long_name_before_the_quote() -> None:
    text = (
        "The hearing ran late.\n\nVera Lund lamented in an interview with The Harbor City "
        "Ledger, \u201cNobody reads the minutes.\u201d"
    )
    assert speakers(text) == ["Vera Lund"]


def test_a_pronoun_takes_the_person_its_paragraph_names_before_one_further_back() -> None:
    # "Tamsin" is in no list of given names: nothing tells her gender but the pronoun itself
    text = (
        "“We will not back down,” Mrs. Okafor told reporters.\n\n"
        "Councillor Tamsin Vey disagreed. “It is a shambles,” she said."
    )
    assert speakers(text) == ["Okafor", "Tamsin Vey"]
