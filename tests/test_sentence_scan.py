"""Sentences found by one scan of the whole text are those a scan of each paragraph finds, and
the quick test in front of the initials pattern turns away no initials."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quoteattr import text as T
from quoteattr.model import Document, Span


def _by_paragraph(doc: Document) -> list[Span]:
    """The oracle: the boundary pattern run over each paragraph on its own."""
    text, out = doc.text, []
    for para in T.paragraphs(doc):
        start = para.start
        for m in T._BOUNDARY.finditer(text, para.start, para.end):
            nxt = m.end()
            if nxt >= para.end:
                break
            follower = text[nxt]
            if not (follower.isupper() or follower.isdigit() or follower in T._SENTENCE_OPENERS):
                continue
            if m.group(1) == "." and m.start(2) == m.end(2) and T._is_abbreviation(
                T._word_before(text, start, m.start() + 1)
            ):
                continue
            if start == para.start:
                T._add_trimmed(doc, start, m.end(2), out)
            else:
                out.append(doc.span(start, m.end(2)))
            start = nxt
        T._add_trimmed(doc, start, para.end, out)
    return out


_PIECES = st.sampled_from([
    "A", "b", ".", "!", "?", "\u2026", "\u201d", "\u2019", ")", " ", "\n", "\n\n", "\x1c",
    "\u2028", "Mr.", "U.S.", "\u201c", "3", "\r\n", "\t", "\u00a0", "said",
])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_one_scan_finds_the_sentences_of_a_scan_a_paragraph(text: str) -> None:
    assert T._split_sentences(Document(text)) == _by_paragraph(Document(text))


def test_dialogue_a_line_a_turn_splits_as_before() -> None:
    text = "\u201cIs it far?\u201d asked Mara. She left.\n\n\u201cTwo miles.\u201d Then he went.\n"
    assert [s.text for s in T._split_sentences(Document(text))] == [
        s.text for s in _by_paragraph(Document(text))
    ]


@given(st.text(alphabet="aZé.(“'\"‘[İ\u0301", max_size=8))
def test_the_initials_pre_test_turns_away_no_initials(word: str) -> None:
    """A word is an abbreviation exactly when the full test says so: the quick look at its
    second character turns away no dotted initials ("U.S.", "(a.m.")."""
    from quoteattr import text as text_module

    bare = word.lstrip("(\"'\u201c\u2018[")
    full = bare.lower() in text_module._ABBREVIATIONS or (
        text_module._INITIALS.match(bare) is not None
    )
    assert text_module._is_abbreviation(word) is full


@given(st.text(alphabet="\"“”«»„ab\n", max_size=30), st.booleans())
def test_the_quotation_state_after_a_line_is_read_from_its_last_marks(
    line: str, before: bool
) -> None:
    """The state after a line (a double quotation open or not) is what reading each of its
    marks in turn gives: the last curly mark sets it, and the straight ones after turn it."""
    assert T._state_after(line, before) == T._state_after_each_mark(
        line, before
    )
