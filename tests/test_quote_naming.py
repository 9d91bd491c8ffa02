"""The quick tests in front of the quotation patterns agree with the patterns: the naming test
turns away no quotation the pattern names, and the fast word pattern finds the same words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quoteattr.default import quotes

_PIECES = st.sampled_from([
    "titled", "Entitled", "billed as", "known  as", "so-called", "the word", "WORDS",
    "the Terms", "said", "a", "x-titled", "retitled", "\u017fo-called", "a\u017f", "\u212a",
    "NICKNAME", "the hashtag", "\u0130", "stra\u00dfe",
])
_GAPS = st.sampled_from(["", " ", ",", " : ", "\t", ", ", "\x1c", ":", "\u00a0", "\n", ",,"])


@given(st.lists(st.tuples(_PIECES, _GAPS), min_size=1, max_size=5))
def test_a_quotation_is_named_exactly_when_the_pattern_says(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts) + "\u201c"
    start = len(text) - 1
    expected = quotes._NAMING.search(text, max(0, start - quotes._NAMING_REACH), start)
    assert quotes._is_named(text, start) is (expected is not None)


def test_a_film_titled_is_named_and_a_quote_said_is_not() -> None:
    text = "a film titled, \u201cX\u201d and he said \u201cY\u201d"
    assert quotes._is_named(text, text.index("\u201cX"))
    assert not quotes._is_named(text, text.index("\u201cY"))


@given(st.text(alphabet="aZéßİσЖ語\u0301\u0663'’-. \u201c\u201d", max_size=40), st.data())
def test_the_fast_word_pattern_finds_the_words_regex_finds(text: str, data: st.DataObject) -> None:
    """Quotations' words are found by ``re`` in text within the BMP, as the ``regex``
    pattern finds them."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert quotes._fast_words().findall(text, start, end) == quotes._WORDS.findall(
        text, start, end
    )
