"""Rules that fiction needs: the members of one family told apart by gender, and the turns of
a conversation.

Each case is a sentence written for the test; the table-driven cases in ``tests/cases`` compare
speakers by name, which cannot tell "Mr. Hallam" from "Mrs. Hallam" (both are "Hallam").
"""

from __future__ import annotations

import quoteattr
from quoteattr.default import mentions as mentions_plugin
from quoteattr.default import quotes as quotes_plugin
from quoteattr.default import sieves
from quoteattr.model import Document, Mention, Resolution
from quoteattr.pipeline import ResolutionContext, merge_quotes
from quoteattr.text import paragraphs


def _entities(text: str) -> list[str | None]:
    result = quoteattr.Pipeline(load_entrypoints=False).attribute(text)
    return [a.speaker.entity if a.speaker else None for a in result]


def test_honorifics_of_two_genders_keep_a_surname_apart() -> None:
    text = (
        "Mr. Hallam came in from the garden.\n"
        "“The roses are ruined,” said Mrs. Hallam.\n"
        "“Then we shall plant more,” said Mr. Hallam.\n"
        "“Not this year,” said she."
    )
    wife, husband, she = _entities(text)
    assert wife is not None and husband is not None
    assert wife != husband
    assert she == wife  # "she" fits only the entity whose honorific is a woman's


def test_one_honorific_joins_the_same_surname() -> None:
    text = (
        "“We open at nine,” said Mrs. Hallam.\n"
        "The shop was busy all morning.\n"
        "“We close at five,” said Mrs. Hallam."
    )
    first, second = _entities(text)
    assert first is not None and first == second


# --------------------------------------------------------------------------------------------
# the turn finder of the continuation sieve, given the decisions of earlier turns


_TURNS = (
    "“Is the ferry late again?” asked Mara.\n"
    "“Only by ten minutes,” said Tomas.\n"
    "“Then we can still make it.”\n"
    "“If the bridge is open.”\n"
    "“It opened this morning.”"
)


def _turn_for_last(decided: list[str | None], guessed: frozenset[int] = frozenset()) -> str | None:
    """The speaker that the turn finder gives the last quotation of ``_TURNS`` when the earlier
    ones were decided as ``decided`` (a name, or ``None`` for a turn no rule decided); the
    turns at the positions in ``guessed`` were decided by alternation, not by a cue."""
    doc = Document(_TURNS)
    quotes = merge_quotes(quotes_plugin.quoteattr_detect_quotes(doc))
    assert len(quotes) == len(decided) + 1
    context = ResolutionContext(quotes=tuple(quotes), index=len(decided), mentions=())
    for k, (quote, name) in enumerate(zip(quotes, decided, strict=False)):
        resolution = None
        if name is not None:
            at = _TURNS.index(name)
            sieve = "alternation" if k in guessed else "test"
            resolution = Resolution(Mention(doc.span(at, at + len(name))), None, 0.9, sieve)
        context.previous.append((quote, resolution))
    found = sieves._turn_before_last(doc, quotes[-1], context, sieves._turns(doc, context))
    return None if found is None else found.span.text


def test_a_reply_takes_the_speaker_of_the_turn_before_last() -> None:
    assert _turn_for_last(["Mara", "Tomas", "Mara", "Tomas"]) == "Mara"


def test_a_turn_no_rule_decided_passes_to_the_one_two_turns_before_it() -> None:
    # A, B, ?, B: the turn before last has no speaker; the alternation gives A two turns back
    assert _turn_for_last(["Mara", "Tomas", None, "Tomas"]) == "Mara"


def test_no_decided_turn_in_reach_gives_nothing() -> None:
    assert _turn_for_last([None, "Tomas", None, "Tomas"]) is None


def test_a_cued_turn_of_the_parity_outweighs_a_nearer_guess() -> None:
    # A, B, then a third turn wrongly guessed as B: the reply after it goes back to the cued A
    assert _turn_for_last(["Mara", "Tomas", "Tomas", "Tomas"], guessed=frozenset({2})) == "Mara"


def test_a_guess_of_the_parity_is_taken_when_no_cue_decided_one() -> None:
    assert _turn_for_last([None, "Tomas", "Mara", "Tomas"], guessed=frozenset({2})) == "Mara"


_NAMED_LATER = (
    "“Is the ferry late?” asked Mara.\n"
    "“Only by ten minutes.”\n"
    "“Then we can still make it.”\n"
    "“If the bridge is open,” said Tomas.\n"
    "“It opened this morning.”"
)


def _turn_at(text: str, index: int, decided: list[str | None]) -> str | None:
    """The turn finder's speaker for quotation ``index`` of ``text`` after ``decided``."""
    doc = Document(text)
    quotes = merge_quotes(quotes_plugin.quoteattr_detect_quotes(doc))
    context = ResolutionContext(quotes=tuple(quotes), index=index, mentions=())
    for quote, name in zip(quotes[:index], decided, strict=True):
        resolution = None
        if name is not None:
            at = text.index(name)
            resolution = Resolution(Mention(doc.span(at, at + len(name))), None, 0.9, "test")
        context.previous.append((quote, resolution))
    found = sieves._turn_before_last(doc, quotes[index], context, sieves._turns(doc, context))
    return None if found is None else found.span.text


def test_a_reply_takes_the_speaker_a_later_turn_of_its_parity_names() -> None:
    # the second turn has no turn before last, but the fourth, two turns on, names Tomas
    assert _turn_at(_NAMED_LATER, 1, ["Mara"]) == "Tomas"


def test_a_later_turn_past_narration_names_no_one_in_this_conversation() -> None:
    text = _NAMED_LATER.replace("“If the bridge", "The wind rose.\n“If the bridge")
    assert _turn_at(text, 1, ["Mara"]) is None  # a lone cued turn: continuation reads it


def test_a_cued_turn_before_last_outweighs_a_later_one() -> None:
    text = _NAMED_LATER + "\n“Good,” said Mara."
    # the fifth turn: Mara two turns back (cued) and Mara two turns on; the earlier decides
    assert _turn_at(text, 4, ["Mara", "Tomas", "Mara", "Tomas"]) == "Mara"
    # the third: Mara two turns back and (wrongly) Tomas two on; at a tie the earlier decides
    wrong = _NAMED_LATER.replace("this morning.”", "this morning,” said Tomas.")
    assert _turn_at(wrong, 2, ["Mara", None]) == "Mara"


def test_a_second_turn_is_answered_by_the_speaker_a_later_cue_names() -> None:
    result = quoteattr.Pipeline(load_entrypoints=False).attribute(_NAMED_LATER)
    speakers = [a.speaker.name if a.speaker else None for a in result]
    assert speakers == ["Mara", "Tomas", "Mara", "Tomas", "Mara"]


def test_narration_between_turns_ends_the_conversation() -> None:
    text = _TURNS.replace("“If the bridge", "The wind rose.\n“If the bridge")
    doc = Document(text)
    quotes = merge_quotes(quotes_plugin.quoteattr_detect_quotes(doc))
    context = ResolutionContext(quotes=tuple(quotes), index=len(quotes) - 1, mentions=())
    for quote in quotes[:-1]:
        at = text.index("Mara")
        context.previous.append(
            (quote, Resolution(Mention(doc.span(at, at + 4)), None, 0.9, "test"))
        )
    # the last reply follows one turn since the narration: no turn before last to take
    assert sieves._turn_before_last(doc, quotes[-1], context, sieves._turns(doc, context)) is None


# --------------------------------------------------------------------------------------------
# paragraphs of a text that keeps a sentence a line


def _paragraph_texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(Document(text))]


_SENTENCE_LINES = (
    "Nell put the kettle on .\n"
    "“ The train is late again .\n"
    "It is always late on Mondays . ”\n"
    "She sat down .\n"
    "“ Then we wait .\n"
    "We have nothing else to do . ”\n"
    "“ Must we ? ”\n"
    "said Tom ."
)


def test_quotations_carried_over_lines_make_paragraphs_of_sentences() -> None:
    assert _paragraph_texts(_SENTENCE_LINES) == [
        "Nell put the kettle on .",
        "“ The train is late again .\nIt is always late on Mondays . ”",
        "She sat down .",
        "“ Then we wait .\nWe have nothing else to do . ”",
        "“ Must we ? ”\nsaid Tom .",  # a line in lower case goes on with the one before
    ]


def test_news_with_a_paragraph_a_line_keeps_its_lines() -> None:
    # a quotation over two paragraphs is reopened, not carried: each line stays a paragraph
    news = (
        "The council met on Monday.\n"
        "“We will fix the roads this year.\n"
        "“The money is there,” the mayor said.\n"
        "Work starts in May."
    )
    assert _paragraph_texts(news) == news.split("\n")


def test_a_stray_mark_does_not_merge_the_lines_of_news() -> None:
    # an inch sign leaves a straight quotation open over the lines after it, but nothing
    # closes it: that is no quotation carried over lines
    news = (
        'The city will lay 12" pipes under the square.\n'
        "Officials expect the work to start in May.\n"
        "The council votes on Tuesday.\n"
        "Residents have complained for years.\n"
        "“We are tired of waiting,” said Ana Ruiz."
    )
    assert _paragraph_texts(news) == news.split("\n")


_LONG = (
    "The council approved the budget for the coming year on Monday night, after a debate "
    "that ran past midnight and drew a crowd of residents."
)


def test_news_with_blank_lines_ends_a_paragraph_at_every_line_break() -> None:
    # lines longer than any hand wrapping: a headline over its first paragraph is a paragraph
    # of its own, and its words join no name of the next line
    news = f"Roads First\nAna Ruiz, the mayor, spoke first. {_LONG}\n\n{_LONG}\nWork starts in May."
    assert _paragraph_texts(news) == [
        "Roads First",
        f"Ana Ruiz, the mayor, spoke first. {_LONG}",
        _LONG,
        "Work starts in May.",
    ]


def test_hard_wrapped_prose_keeps_its_line_breaks_inside_paragraphs() -> None:
    prose = (
        "The council approved the budget on Monday night, after a debate that\n"
        "ran past midnight.  Ana Ruiz spoke first.\n"
        "\n"
        "Work starts in May, and the\n"
        "roads will close in turn."
    )
    assert _paragraph_texts(prose) == [
        "The council approved the budget on Monday night, after a debate that\n"
        "ran past midnight.  Ana Ruiz spoke first.",
        "Work starts in May, and the\nroads will close in turn.",
    ]


def _speakers(text: str) -> list[str | None]:
    result = quoteattr.attribute(text)
    return [a.speaker.name if a.speaker else None for a in result.attributions]


def test_no_he_or_she_is_a_thing_that_spoke() -> None:
    # "her heart" may whisper, but the "she" after it is the woman named before
    text = (
        "Ana Ruiz had done all this for a girl she could not esteem. Her heart did whisper "
        "that she had done it for her. It was reasonable that she should feel she had been "
        "wrong."
    )
    assert _speakers(text) == ["Her heart", "Ana Ruiz"]


def test_a_report_that_spoke_is_no_antecedent_of_he() -> None:
    text = (
        "Tom Bell runs the harbour. The report says that the harbour is too small. He said "
        "that the report was right."
    )
    assert _speakers(text) == ["The report", "Tom Bell"]


def test_a_name_over_a_line_break_is_named_on_one_line() -> None:
    text = (
        "The rain had stopped by noon, and the garden was quiet again. \u201cWe should\n"
        "walk,\u201d said John\nKnightley.\n\nNobody answered him."
    )
    result = quoteattr.attribute(text)
    (attribution,) = result.attributions
    assert attribution.speaker is not None
    assert attribution.speaker.mention.text == "John\nKnightley"  # the text as written
    assert attribution.speaker.name == "John Knightley"


def test_a_heading_in_capitals_names_no_one() -> None:
    text = (
        "THE LAST CHAPTER The story had held us round the fire. \u201cIt is late,\u201d said "
        "Douglas."
    )
    names = [m.span.text for m in mentions_plugin.quoteattr_find_mentions(Document(text), [])]
    assert names == ["Douglas"]


def test_a_quantified_description_is_nobody_in_particular() -> None:
    text = "She did not want any young man in the house, and no officer came to the door."
    mentions = mentions_plugin.quoteattr_find_mentions(Document(text), [])
    assert [m.span.text for m in mentions if m.kind != "pronoun"] == []


def test_an_inverted_cue_names_a_described_speaker_whatever_the_noun() -> None:
    text = (
        "The cart stopped at the gate.\n\n"
        "“The wheel is loose,” said the carter.\n\n"
        "“Then mend it,” his cousin replied."
    )
    assert _speakers(text) == ["the carter", "his cousin"]


def test_an_adverb_after_an_inverted_cue_is_no_part_of_the_speaker() -> None:
    text = (
        "Tom Hale came in.\n\n“It is cold,” said Mary softly.\n\n"
        "“Close the door,” cried he crossly."
    )
    assert _speakers(text) == ["Mary", "Tom Hale"]


def test_a_quotation_ending_in_emphasis_hands_on_to_its_cue() -> None:
    text = "The owl looked down at her.\n\n\"Who are _you?_\" said the owl."
    assert _speakers(text) == ["the owl"]


def test_a_thought_quoted_before_its_cue_is_the_thinker_s() -> None:
    text = "The fire was low.\n\n\"It is late,\" thought Mary, \"and he is not home.\""
    assert _speakers(text) == ["Mary"]


def test_a_cue_on_the_line_after_its_quotation_is_read() -> None:
    # a sentence a line: no paragraph opens in lower case, so the line goes on with the quote
    text = 'The cart stopped .\n" The wheel is loose . "\nsaid the carter .\n" Mend it . "'
    assert _speakers(text)[0] == "the carter"


def test_the_first_turn_of_a_conversation_takes_the_speaker_a_later_turn_names() -> None:
    text = (
        "The door was shut.\n\n"
        "“Are you there?”\n\n"
        "“I am,” said Tom Hale.\n\n"
        "“Then come in,” said Ann Bell."
    )
    assert _speakers(text) == ["Ann Bell", "Tom Hale", "Ann Bell"]


def test_narration_before_a_first_turn_decides_before_later_turns() -> None:
    text = (
        "Ann Bell knocked.\n"
        "“Are you there?”\n"
        "“I am,” said Tom Hale.\n"
        "“Then come in,” said Mary Cole."
    )
    assert _speakers(text)[0] == "Ann Bell"


def test_a_reply_is_spoken_by_the_one_the_last_turn_called_by_name() -> None:
    text = (
        "Tom Hale looked across the table at Ann Bell.\n\n"
        "“Do you believe it, Ann?” he said.\n\n"
        "“Yes, I do.”"
    )
    assert _speakers(text) == ["Tom Hale", "Ann Bell"]


def test_a_title_called_is_not_another_bearer_of_the_surname() -> None:
    text = (
        "Mrs. Bell and Tom Hale sat by the fire.\n\n"
        "“Is it late, Mr. Bell?” said Tom Hale.\n\n"
        "“Not yet.”"
    )
    assert _speakers(text)[1] != "Mrs. Bell"


def test_a_cue_closing_the_paragraph_before_with_a_comma_introduces_the_quotation() -> None:
    text = (
        "The rain had stopped.\n\n"
        "Tom Hale looked up from his book, and said,\n\n"
        "“We should walk to the river.”"
    )
    assert _speakers(text) == ["Tom Hale"]


def test_a_conversation_opening_the_text_is_read_as_after_narration() -> None:
    # a paragraph put before a text changes nothing in it (see test_properties' locality)
    text = "“Are you there?”\n\n“I am,” said Tom Hale.\n\n“Then come in,” said Ann Bell."
    assert _speakers(text) == ["Ann Bell", "Tom Hale", "Ann Bell"]


def test_a_given_name_opening_the_sentence_before_an_uncued_quote_speaks() -> None:
    # "Clara" is a known given name: a person's, though no sentence names her in its middle
    result = quoteattr.attribute("Clara sighed. “Honestly, Tom, you never listen.”")
    assert [a.speaker.name if a.speaker else None for a in result] == ["Clara"]
