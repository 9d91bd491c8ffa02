"""The quick test in front of the naming pattern turns away no quotation the pattern names."""

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
