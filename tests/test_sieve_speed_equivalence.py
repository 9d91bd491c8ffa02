"""The continuation sieve's table of turns gives what the plain look-ups give.

The turn walks read the paragraphs of each of the context's quotations and whether it is
direct from a table made once for the document (``sieves._Turns``), the paragraphs found by
walking the paragraph starts along with the quotations instead of a bisection each. These
tests hold the table to :func:`quoteattr.text.paragraph_index`, for quotations in text order
and out of it; and the sieve's decisions to those it makes when no quotation is found in the
table (its look-ups made one by one), over texts of dialogue.
"""

from __future__ import annotations

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from quoteattr import Pipeline
from quoteattr.assembly import _first_by_span
from quoteattr.default import sieves
from quoteattr.default.plugins import quotes as quotes_plugin
from quoteattr.model import Document, Mention, Quote
from quoteattr.pipeline import ResolutionContext, merge_quotes
from quoteattr.text import is_space, paragraph_index

_TEXTS = st.text(alphabet="ab .\n“”", min_size=1, max_size=60)


def _quote(doc: Document, start: int, end: int) -> Quote:
    return Quote(doc.span(start, end), type="direct" if (start + end) % 3 else "indirect")


@given(
    _TEXTS,
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60)), max_size=30),
    st.booleans(),
)
@example("a\n\nb\n\nc\n\nd\n\ne\n\nf\n\ng\n\nh\n\ni\n\nj\n\nk", [(0, 1), (30, 31)], True)
@example("a\n\nb\n\nc", [(6, 7), (0, 1), (3, 4)], False)
def test_the_table_holds_what_the_look_ups_give(
    text: str, offsets: list[tuple[int, int]], in_order: bool
) -> None:
    doc = Document(text)
    pairs = [(min(a, b) % len(text), max(a, b) % len(text) + 1) for a, b in offsets]
    pairs = [(a, b) for a, b in pairs if a < b]
    if in_order:
        pairs.sort()
    quotes = tuple(_quote(doc, a, b) for a, b in pairs)
    turns = sieves._Turns(quotes).filled(doc)
    assert turns.firsts == [paragraph_index(doc, q.content.start) for q in quotes]
    assert turns.lasts == [paragraph_index(doc, q.content.end - 1) for q in quotes]
    assert turns.direct == [q.type == "direct" for q in quotes]
    assert turns.filled(doc).firsts == turns.firsts  # filled once


_LINES = st.sampled_from([
    "“Is it far?” asked Mara.",
    "“Two miles,” said Tomas.",
    "“Then we walk on.”",
    "“If you like, Mara.”",
    "“Yes, Tomas.”",
    "The road bent east.",
    "Mara nodded. “Fine.”",
    "“Go on,” she said, “we are late.”",
    "He said the bridge was open.",
])


@given(st.lists(_LINES, min_size=1, max_size=14), st.sampled_from(["\n\n", "\n"]))
def test_the_sieve_decides_alike_without_the_table(lines: list[str], sep: str) -> None:
    """Quotations the table does not list (copies, not the context's own objects) are looked
    up one by one: the continuation sieve decides the same."""
    text = sep.join(lines)
    pipeline = Pipeline(load_entrypoints=False)
    doc = Document(text)
    quotes = merge_quotes(quotes_plugin.quoteattr_detect_quotes(doc))
    spans, first = _first_by_span(
        pipeline._collect("quoteattr_find_mentions", Mention, doc, quotes=tuple(quotes))
    )
    mentions = [first[span] for span in spans]
    decided = pipeline._resolve(doc, quotes, mentions)

    fresh = Document(text)
    context = ResolutionContext(quotes=tuple(quotes), index=0, mentions=tuple(mentions))
    for i, (quote, decision) in enumerate(zip(quotes, decided, strict=True)):
        context.index = i
        copy = attrs.evolve(quote)  # no quotation of the context's table
        again = sieves.continuation.quoteattr_resolve_speaker(fresh, copy, context)
        if decision is None or decision.sieve in ("continuation", "alternation",
                                                  "preceding-subject"):
            # (the continuation sieve is asked after the cue sieves, before the last one)
            expected = decision if decision is not None and decision.sieve != (
                "preceding-subject") else None
            assert again == expected
        context.previous.append((copy, decision))


# --------------------------------------------------------------------------------------------
# the adjacent-cue sieve's scans, and its test of what none of its readings can take

_AROUND = st.text(alphabet=" \t\n\r,:;.!?-—–“”\"'’_*ab", max_size=40)


@given(_AROUND, st.integers(-3, 45), st.integers(-3, 45))
def test_the_scans_give_what_the_slices_give(text: str, a: int, b: int) -> None:
    lo, hi = max(0, min(a, b)), max(0, a, b)
    assert sieves._last_inner(text, lo, min(hi, len(text))) == text[lo:hi].rstrip(
        sieves._CLOSING + sieves._EMPHASIS + " "
    )[-1:]
    assert sieves._first_after(text, lo, hi) == text[lo:hi].lstrip()[:1]
    assert sieves._last_before(text, lo, hi) == text[lo:hi].rstrip(
        " \t\n\r,:\u2014\u2013-"
    )[-1:]
    colon = text[:hi].rstrip()
    assert sieves._colon_before(text, min(hi, len(text))) == (colon[-1:] == ":")


_PARTS = st.lists(st.sampled_from([
    "“a”", "“Yes,”", "“No.”", "“Go —”", " ", "  ", ", ", ": ", ". ", "\n", "\n\n", "she said",
    "said Ana", "Ana said", "Ana had one rule", "Ana Ruiz", "—", " — ", "!", ";", "“", "”",
    "x",
]), max_size=14)


@given(_PARTS)
@example(["“a”", " ", "“a”", " ", "“Yes,”", " ", "she said"])
@example(["x", ". ", "“a”", "\n\n", "Ana had one rule", ": ", "“a”"])
@example(["“b”", " ", "“a”", " — ", "Ana Ruiz"])
def test_what_the_first_test_turns_away_no_reading_takes(parts: list[str]) -> None:
    """A quotation that _read() turns away at once is one that _after(), _before() and
    _colon() would each turn away, at the limits _read() gives them and at any earlier one."""
    text = "".join(parts)
    doc = Document(text)
    sieve = sieves.adjacent_cue
    for quote in merge_quotes(quotes_plugin.quoteattr_detect_quotes(doc)):
        if len(quote.fragments) >= 2:
            continue
        qs, qe = quote.content.start, quote.content.end
        index = paragraph_index(doc, qs)
        start = sieves.paragraphs(doc)[index].start
        turned_away = not (sieves._may_hand_on(text, qs, qe)
                           or sieves._colon_before(text, qs)) and sieves._last_before(
            text, max(start, qs - sieves._WINDOW), qs) in sieves._ENDS_BEFORE
        if not turned_away:
            continue
        for limit in range(0, start + 1):
            assert sieve._before(doc, quote, limit) is None
            assert sieve._colon(doc, quote, limit) is None
        for limit in range(qe, len(text) + 1):
            assert sieve._after(doc, quote, limit) is None


def test_the_space_test_is_str_isspace() -> None:
    codes = [*range(0x10000), 0x10000, 0x1D400, 0x1F600, 0xE0020, 0x10FFFF]
    assert [code for code in codes if is_space(code) != chr(code).isspace()] == []


@given(st.lists(_LINES, min_size=1, max_size=10), st.sampled_from(["\n\n", " "]))
def test_the_adjacent_reading_is_the_same_kept_or_not(lines: list[str], sep: str) -> None:
    """The hook takes the reading that read() kept, when the continuation sieve read the
    quotation ahead, and makes it otherwise: the same decision either way."""
    text = sep.join(lines)
    fresh, ahead = Document(text), Document(text)
    found = merge_quotes(quotes_plugin.quoteattr_detect_quotes(fresh))
    context = ResolutionContext(quotes=tuple(found), index=0, mentions=())
    sieve = sieves.adjacent_cue
    kept = [sieve.read(ahead, quote) for quote in found]
    for quote, reading in zip(found, kept, strict=True):
        assert sieve.quoteattr_resolve_speaker(fresh, quote, context) == reading
        assert sieve.quoteattr_resolve_speaker(ahead, quote, context) is reading
