"""The cheaper forms of the quotation finder's tests and the pipeline's merges give what their
plain definitions give (the expressions they stand for, kept here).

- whether a quotation follows a naming word, and whether a cue introduces it: the stretch
  before the mark read back from its end instead of copied and stripped;
- the merge of the direct quotations, which sorts them only when they are out of order, and the
  merge with reported speech, which keeps them as they are when there is none.
"""

from __future__ import annotations

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from quoteattr.assembly import _content_order, merge_quotes, merge_reported
from quoteattr.default import quotes
from quoteattr.model import Quote, Span
from quoteattr.text import char_classes

_BEFORE = st.lists(st.sampled_from([
    "titled", "called", "dubbed", "Titled", "so-called", "said", "told", "added", ",", ":",
    " ", "  ", "\n", "\u00a0", "\u2003", "a", "x", "“", "”", ".", "—", "İ", "ﬁ", "é",
]), max_size=10).map("".join)


def _is_named_before(text: str, start: int) -> bool:
    """quotes._is_named as it was written before."""
    lo = max(0, start - quotes._NAMING_REACH)
    tail = text[lo:start].rstrip()
    if tail[-1:] in (",", ":"):
        tail = tail[:-1].rstrip()
    if not tail[-1:].isalpha() or not tail.casefold().endswith(quotes._NAMING_LAST_WORDS):
        return False
    return quotes._NAMING.search(text, lo, start) is not None


def _after_cue_before(text: str, start: int) -> bool:
    """quotes._after_cue's first test as it was written before, then the rest as it is."""
    lo = max(0, start - quotes._CUE_REACH)
    if text[lo:start].rstrip()[-1:] not in (",", ":"):
        return False
    return quotes._after_cue(text, start)


@given(_BEFORE, st.sampled_from(["", "“a”", "“Fox and Friends”"]))
@example("a film titled ,  ", "“a”")
@example("x" * 30 + " titled:", "“a”")
def test_the_tests_before_a_mark_read_what_the_stripped_stretch_gives(
    before: str, after: str
) -> None:
    text = before + after
    for start in range(len(text) + 1):
        assert quotes._is_named(text, start) == _is_named_before(text, start)
        assert quotes._after_cue(text, start) == _after_cue_before(text, start)


def _merge_quotes_before(found: list[Quote]) -> list[Quote]:
    """assembly.merge_quotes as it was written before."""
    kept: list[Quote] = []
    for q in sorted(found, key=_content_order):
        if kept and q.content.start < kept[-1].content.end:
            continue
        kept.append(q)
    return kept


_TEXT = "abcdefghijklmnopqrstuvwxyz" * 3
_SPANS = st.tuples(st.integers(0, 50), st.integers(1, 12)).map(
    lambda p: Span(p[0], p[0] + p[1], _TEXT[p[0] : p[0] + p[1]])
)
_QUOTES = st.lists(_SPANS.map(lambda s: Quote(s, "direct")), max_size=12)


@given(_QUOTES, st.booleans())
def test_merged_quotations_are_the_sorted_merge(found: list[Quote], in_order: bool) -> None:
    if in_order:
        found = sorted(found, key=_content_order)
    merged = merge_quotes(iter(found))
    assert merged == _merge_quotes_before(found)
    # the same objects, in the same order (equal quotations are not told apart by ==)
    assert [id(q) for q in merged] == [id(q) for q in _merge_quotes_before(found)]


@given(_QUOTES)
def test_no_reported_speech_leaves_the_direct_quotations_as_they_are(found: list[Quote]) -> None:
    direct = merge_quotes(found)
    merged = merge_reported(direct, [])
    assert merged == sorted(direct, key=_content_order) and merged is not direct
    reported = [attrs.evolve(q, type="indirect") for q in found[:1]]
    assert merge_reported(direct, iter(reported)) == merge_reported(direct, reported)


_GAPS = st.text(alphabet=",.:;-—–!? a\n\t\r\x0b\x0c\x1c\x1f\x85\u00a0\u2028\u3000\u200b😀",
                max_size=12)


@given(_GAPS)
@example("said --\u2028 ")
@example("said -\x1c")
def test_the_end_of_the_narration_is_read_as_the_pattern_reads_it(gap: str) -> None:
    found = quotes._GAP_END.search(gap) is not None
    assert quotes._gap_ends_by_table(gap, char_classes()) == found
    assert quotes._gap_ends(gap) == found
