"""The memos of noun-phrase reading and linking give what computing afresh gives.

- ``np_mention`` remembers what its general rules made of a phrase by the texts of its tokens
  (``grammar._NP_MEMO``): the same words elsewhere, with other offsets and other spaces between
  them, read from the memo, make the mention the rules make there;
- the memo keeps no long phrase and no more than its size, and tokens out of text order are
  never remembered;
- coref's memo of a text's words (``coref._words``) is the plain function.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quoteattr.default import coref, grammar
from quoteattr.default.grammar import Tok, np_mention, tokenize
from quoteattr.model import Document

#: words that take np_mention() through its rules: titles, honorifics, particles,
#: organisation words, determiners, possessives, prepositions, relatives and punctuation
_WORDS = (
    "the", "The", "Ana", "Ruiz", "Moscow", "Russian", "President", "Gov.", "Mr.", "Mrs",
    "envoy", "officials", "senior", "official", "Deputy", "Director", "Bank", "Committee",
    "de", "al", "van", "Putin’s", "D.C.", "’s", "of", "with", "who", "two", "Many", "her",
    "supporters", "Tuesday", "Republicans", "J.", "and", ",", ".", "(", "—", "NEW", "YORK",
)

_phrases = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=7)
_gaps = st.lists(st.sampled_from((" ", "  ", "\n", " \t ")), min_size=7, max_size=7)


def _reading(doc: Document, toks: list[Tok]) -> tuple[object, ...] | None:
    m = np_mention(doc, toks, rule="r", role="q")
    return None if m is None else (m.span, m.kind, m.gender, m.plural, m.head, m.rule, m.role)


def _fresh(doc: Document, toks: list[Tok]) -> tuple[object, ...] | None:
    m = grammar._np_rules(doc, toks, "r", "q")
    return None if m is None else (m.span, m.kind, m.gender, m.plural, m.head, m.rule, m.role)


@settings(max_examples=300, deadline=None)
@given(_phrases, _gaps, st.integers(0, 5))
@example(["President", "Ana", "Ruiz"], [" "] * 7, 3)
@example(["Putin’s", "envoy"], [" "] * 7, 0)
@example(["J.", "J.", "President"], [" "] * 7, 0)  # initials are no heading in capitals
@example(["D.C.", "D.C.", "The", "the"], [" "] * 7, 0)  # nor are dotted abbreviations
@example(["NEW", "YORK", "Ana", "Ruiz"], [" "] * 7, 0)  # a dateline is cut by both
def test_a_remembered_phrase_reads_as_the_rules_read_it(
    words: list[str], gaps: list[str], lead: int
) -> None:
    # the same words twice: once where the memo learns them, once with other offsets and gaps
    first = " ".join(words)
    second = "x " * lead + "".join(w + g for w, g in zip(words, gaps, strict=False))
    for text in (first, second):
        doc = Document(text)
        toks = tokenize(text, 0, len(text))
        if lead and text is second:
            toks = toks[lead:]
        assert _reading(doc, toks) == _fresh(doc, toks)


def test_the_memo_keeps_no_long_phrase_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "_NP_MEMO", {})
    monkeypatch.setattr(grammar, "_NP_MEMO_SIZE", 3)
    long_text = "the " + " ".join(["envoy"] * 1000)
    doc = Document(long_text)
    np_mention(doc, tokenize(long_text, 0, len(long_text)), rule="r")
    assert grammar._NP_MEMO == {}  # answered, not kept
    for phrase in ("the envoy", "two officials", "a senior official", "President Ana Ruiz"):
        np_mention(Document(phrase), tokenize(phrase, 0, len(phrase)), rule="r")
        assert len(grammar._NP_MEMO) <= 3


def test_tokens_out_of_order_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "_NP_MEMO", {})
    text = "the Russian envoy"
    doc = Document(text)
    toks = tokenize(text, 0, len(text))
    shuffled = [toks[2], toks[0], toks[1]]
    assert _reading(doc, shuffled) == _fresh(doc, shuffled)
    assert grammar._NP_MEMO == {}
    assert _reading(doc, toks) == _fresh(doc, toks)
    assert len(grammar._NP_MEMO) == 1


@given(st.text(max_size=30))
def test_the_words_memo_is_the_plain_function(text: str) -> None:
    assert coref._words[text] == coref._words_of(text)


def test_the_words_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coref, "_MEMO_SIZE", 2)
    memo = coref._WordsMemo()
    for text in ("Ana Ruiz", "the envoy", "Gov. Bell", "Mr. Ruiz", "x" * 500):
        assert memo[text] == coref._words_of(text)
        assert len(memo) <= 2
    assert "x" * 500 not in memo
