"""Lines are cut where a line-break pattern would cut them, though str.splitlines() does it."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from quoteattr.text import _line_bounds

#: the oracle: every line break that a paragraph a line ends at ("\r\n" being one)
_BREAK = regex.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")


def _by_pattern(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _BREAK.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


@given(st.text(alphabet="ab \t\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0", max_size=40))
def test_lines_end_where_the_break_pattern_says(text: str) -> None:
    assert _line_bounds(text) == _by_pattern(text)


@given(st.text(max_size=60))
def test_any_text_is_cut_into_the_same_lines(text: str) -> None:
    assert _line_bounds(text) == _by_pattern(text)


def test_a_text_ending_with_a_break_has_an_empty_last_line() -> None:
    assert _line_bounds("a\r\nb\n") == [(0, 1), (3, 4), (5, 5)]
    assert _line_bounds("") == [(0, 0)]
