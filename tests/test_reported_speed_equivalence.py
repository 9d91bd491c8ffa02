"""The cheaper readings of the reported-speech plugin give what the plainer ones gave.

- :meth:`reported._QuoteIndex.within` walks the tokens and the quotations together: for each
  token, whether :meth:`reported._QuoteIndex.at` finds a quotation at its start (and what the
  earlier look-up for each quotation among a list of offsets gave, kept here as a reference);
- :attr:`reported._Sentence.headline` counts the long words and their capitals in one pass,
  as the list and the sum did;
- :func:`reported._labelled_lines` passes over a paragraph whose first colon is not followed
  by a space or a tab, or has a comma before it, without matching ``_LABEL``: no paragraph
  the pattern matches is one of those.
"""

from __future__ import annotations

import bisect

from hypothesis import example, given
from hypothesis import strategies as st
from strategies import quotes_at

from quoteattr.default import reported
from quoteattr.default.grammar import Tok
from quoteattr.model import Document

# ---------------------------------------------------------------------------------------------
# which tokens stand in a quotation


def _index(spans: list[tuple[int, int]]) -> reported._QuoteIndex:
    """The index of quotations at ``(start, size)`` pairs, made not to nest (merge_quotes)."""
    return reported._QuoteIndex(quotes_at(spans))


def _within_by_bisect(index: reported._QuoteIndex, positions: list[int]) -> list[bool]:
    """The earlier ``within``: a few look-ups for each quotation among increasing offsets."""
    out = [False] * len(positions)
    if not out:
        return out
    starts, spans = index.starts, index.spans
    last = len(starts) - 1
    first = max(0, bisect.bisect_right(starts, positions[0]) - 1)
    for q in range(first, bisect.bisect_right(starts, positions[-1])):
        end = spans[q][1] if q == last else min(spans[q][1], starts[q + 1])
        a = bisect.bisect_left(positions, starts[q])
        b = bisect.bisect_left(positions, end)
        if a < b:
            out[a:b] = [True] * (b - a)
    return out


@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=8),
    gaps=st.lists(st.integers(0, 12), max_size=40),
    first=st.integers(0, 240),
)
@example(spans=[(5, 3)], gaps=[0, 1, 1, 1, 1, 1], first=3)
@example(spans=[(0, 4), (4, 4)], gaps=[0, 4, 4], first=0)
def test_the_tokens_within_quotations_are_those_at_finds(
    spans: list[tuple[int, int]], gaps: list[int], first: int
) -> None:
    index = _index(spans)
    toks: list[Tok] = []
    at = first
    for k, gap in enumerate(gaps):
        at += gap if k else 0
        toks.append(Tok("w", at, at + 1, "w"))  # starts increase (equal ones too)
    got = index.within(toks)
    assert got == [index.at(t.start) is not None for t in toks]
    assert got == _within_by_bisect(index, [t.start for t in toks])


# ---------------------------------------------------------------------------------------------
# headlines


def _headline(toks: list[Tok]) -> bool:
    """The earlier ``headline``: a list of the long words and a sum of their capitals."""
    words = [t for t in toks if t.text[:1].isalpha() and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


_HEADLINE_WORDS = ["Senator", "Says", "Deal", "Is", "Dead", "senator", "says", "deal", "the",
                   "Ⓐbcd", "ⓐbcd", "ǅemo", "ßtra", "Ωmega", "2010", "—", ",", "U.S.", "", "Über",
                   "élan"]


@given(words=st.lists(st.one_of(st.sampled_from(_HEADLINE_WORDS), st.text(max_size=6)),
                      max_size=30))
def test_a_headline_is_what_the_list_and_the_sum_made_it(words: list[str]) -> None:
    toks = []
    at = 0
    for w in words:
        if w:  # a token's text is never empty
            toks.append(Tok(w, at, at + len(w), w.lower()))
            at += len(w) + 1
    sentence = reported._Sentence(toks, _index([]), False)
    assert sentence.headline == _headline(toks)


# ---------------------------------------------------------------------------------------------
# labelled lines

_LABEL_PARTS = ["Ruiz", "RUIZ", "Ana", "THE", "PRESIDENT", "de", "van", "Mr.", "O’Neill",
                "Smith-Jones", "said", "he", ":", ": ", ":\t", ",", ", ", " ", "  ", "\t", "\n",
                "Poll", "Update", "É", "Σ", "x", "“", "10:30", "http://a", "."]


@given(parts=st.lists(st.sampled_from(_LABEL_PARTS), max_size=12), tail=st.text(max_size=4))
@example(parts=["Ruiz", ":", " "], tail="Yes.")
@example(parts=["Ana", " ", "Ruiz", ": "], tail="We will.")
def test_a_paragraph_with_a_label_passes_the_tests_before_matching(
    parts: list[str], tail: str
) -> None:
    text = "".join(parts) + tail
    if reported._LABEL.match(text, 0, len(text)) is None:
        return
    colon = text.find(":")
    assert colon >= 0
    assert colon + 1 < len(text) and text[colon + 1] in " \t"
    assert text.find(",", 0, colon) < 0


def test_the_quotation_index_is_made_once_for_the_quotations_the_hooks_share() -> None:
    """The pipeline gives the reported-speech and attitudes plugins one tuple of quotations:
    its index is made once for the document; other quotations get their own."""
    from quoteattr.default.quotes import quoteattr_detect_quotes
    from quoteattr.pipeline import merge_quotes

    doc = Document("“Yes,” she said. He said that “it” was fine. “No.”")
    quotes = tuple(merge_quotes(quoteattr_detect_quotes(doc)))
    index = reported._quote_index(doc, quotes)
    assert reported._quote_index(doc, quotes) is index
    assert index.spans == [(q.content.start, q.content.end) for q in quotes]
    other = tuple(list(quotes[1:]))
    assert reported._quote_index(doc, other).spans == index.spans[1:]
    assert reported._quote_index(doc, list(quotes)) is not reported._quote_index(doc, quotes)
