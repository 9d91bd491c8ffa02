"""Pronoun speakers in fiction: which character "he" or "she" of a speech tag is.

Each case is a passage written for the test, in the shape of hard-wrapped prose (paragraphs
separated by blank lines).
"""

from __future__ import annotations

import quoteattr
from quoteattr.default import coref


def _speakers(text: str) -> list[str | None]:
    result = quoteattr.Pipeline(load_entrypoints=False).attribute(text)
    return [a.speaker.name if a.speaker else None for a in result]


def test_a_pronoun_takes_the_person_of_the_narration_just_before() -> None:
    # the last man to speak is Tom, but the paragraph of narration before "he said" is about
    # Silas
    text = (
        "\u201cWe should wait for the post,\u201d said Tom Varley.\n\n"
        "\u201cIt never comes before noon,\u201d said Mary.\n\n"
        "At four the door opened, and Mr. Silas Crane was shown up to the study,\n"
        "wet through from the rain.\n\n"
        "\u201cGood evening to you both,\u201d said he. \u201cI walked from the station.\u201d"
    )
    assert _speakers(text) == ["Tom Varley", "Mary", "Silas Crane"]


def test_the_subject_of_that_narration_before_a_man_it_names_later() -> None:
    # Silas is the subject; Mr. Varley, named after him, only the object
    text = (
        "\u201cWe should wait for the post,\u201d said Mr. Tom Varley.\n\n"
        "\u201cIt never comes before noon,\u201d said Mary.\n\n"
        "Mr. Silas Crane walked to the window and waved to Mr. Varley in the\n"
        "yard below.\n\n"
        "\u201cThere it is at last,\u201d said he."
    )
    assert _speakers(text) == ["Tom Varley", "Mary", "Silas Crane"]


def test_a_sentence_opening_he_is_the_man_just_named_not_the_last_speaker() -> None:
    # "He sat down" is Silas, named in its paragraph, not Tom, the last man to speak; so is
    # the "he" of the next paragraph's speech tag
    text = (
        "\u201cWe should wait for the post,\u201d said Tom Varley.\n\n"
        "\u201cIt never comes before noon,\u201d said Mary.\n\n"
        "At four the door opened, and Mr. Silas Crane was shown up to the study.\n"
        "He was wet through from the rain.\n\n"
        "\u201cGood evening to you both,\u201d said he."
    )
    assert _speakers(text) == ["Tom Varley", "Mary", "Silas Crane"]


def test_a_sentence_opening_he_takes_the_subject_before_the_object() -> None:
    text = (
        "\u201cWe should wait for the post,\u201d said Mr. Ben Ash.\n\n"
        "Mr. Tom Varley came in from the yard with Mr. Ash. He sat down by the\n"
        "fire.\n\n"
        "\u201cThe post has come,\u201d said he."
    )
    assert _speakers(text) == ["Ben Ash", "Tom Varley"]


def test_his_and_her_take_the_person_named_in_their_paragraph() -> None:
    # "his" is Silas, named in its paragraph, not Tom, the last man to speak: the speech tag
    # of the next paragraph is his
    text = (
        "\u201cWe should wait for the post,\u201d said Tom Varley.\n\n"
        "\u201cIt never comes before noon,\u201d said Mary.\n\n"
        "At four the door opened, and Mr. Silas Crane was shown up to the study,\n"
        "his coat wet through.\n\n"
        "\u201cGood evening to you both,\u201d said he."
    )
    assert _speakers(text) == ["Tom Varley", "Mary", "Silas Crane"]


def test_a_name_between_two_quotations_of_one_fragment_is_narration() -> None:
    # a mixed quotation's fragment may run over "Whitfield said": the name there is no quoted
    # name, and the "she" after it is Whitfield, not the woman of the paragraph before
    text = (
        "Mrs. Ana Okafor, the bank's chief, was questioned on Tuesday by Mrs. Clara "
        "Whitfield.\n\n"
        "\u201cThis is simply wrong,\u201d Whitfield said. \u201cYou pushed your staff to the "
        "edge\u201d to lift the share price, she said, pointing to the bank\u2019s drive to "
        "\u201cup-sell\u201d to its customers."
    )
    assert _speakers(text) == ["Clara Whitfield"]


def test_a_speakers_pronoun_takes_a_named_woman_before_a_description() -> None:
    # "his wife" is a woman too, but the one named is what the story follows
    text = (
        "\u201cWe should wait for the post,\u201d said Tom Varley.\n\n"
        "Mary sat down by the fire beside his wife. \u201cIt never comes before noon,\u201d "
        "she said."
    )
    assert _speakers(text) == ["Tom Varley", "Mary"]


def test_the_one_called_by_name_answers_the_next_turn() -> None:
    text = (
        "Nancy Hale sat by the fire. Mary Bell came in and sat down.\n\n"
        "“Nancy, dear!” said the old man.\n\n"
        "“Leave me alone,” she replied."
    )
    names = [a.speaker.name if a.speaker else None for a in quoteattr.attribute(text)]
    assert names[-1] == "Nancy Hale"


def test_a_sentence_s_first_word_before_a_comma_is_no_name_called() -> None:
    assert coref.addressed_names("“Well, Harry, you are late. Oh! I see, Mr. Bell.”") == {
        ("", "harry"), ("mr", "bell")
    }


def test_a_first_person_narrator_is_named_as_the_other_speakers_call_it() -> None:
    text = (
        "The fog had come down early, and Holmes sat by the fire.\n\n"
        "“You look tired, my dear Hale,” said Holmes.\n\n"
        "“I have walked all day,” I said.\n\n"
        "“Then sit down, Hale, and rest.”\n\n"
        "“Thank you,” I said. “Is there news, Holmes?”\n\n"
        "“None yet,” said Holmes."
    )
    names = [a.speaker.name if a.speaker else None for a in quoteattr.attribute(text)]
    assert names[1] == "Hale"


def test_a_narrator_called_by_no_name_stays_i() -> None:
    text = (
        "The fog had come down early.\n\n"
        "“You look tired,” said Holmes.\n\n"
        "“I have walked all day,” I said."
    )
    names = [a.speaker.name if a.speaker else None for a in quoteattr.attribute(text)]
    assert names[-1] == "I"
