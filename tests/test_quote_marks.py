"""Which quotations the ``quotes`` plugin keeps as speech without a cue of their own."""

from __future__ import annotations

import pytest

from quoteattr.default.quotes import quoteattr_detect_quotes
from quoteattr.model import Document


def _free(text: str) -> list[str]:
    """The quotations that stand as speech whether or not a sieve finds their speaker."""
    return [q.content.text for q in quoteattr_detect_quotes(Document(text))
            if not q.needs_speaker]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a short quotation is speech when it opens its paragraph or is a sentence of its own
        ("“Why?”\n\nShe shrugged.", ["“Why?”"]),
        ("Ana stood up. “Go home.” Then she left.", ["“Go home.”"]),
        ("Ron shrugged. 'Don't look at me.'", ["'Don't look at me.'"]),
        # or follows its cue ("said, …, “…”")
        ("Trump boasted, “That makes me smart.”", ["“That makes me smart.”"]),
        ("He said, with a grave air, “I'll do it!” and left.", ["“I'll do it!”"]),
        # inside a sentence, or without a stop of its own, it may be a scare quote or a title
        ("The mayor called the flood a “disaster.” Nobody argued.", []),
        ("Ana stood up. “Go home” was all she said.", []),
        ("He read “The Quiet American.” Then he slept.", []),
    ],
)
def test_short_quotations(text: str, expected: list[str]) -> None:
    assert _free(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "“It is late,” said Ana, “and we are tired.”",
        "“It is late,” said Ana;--“and we are tired.”",
        "“It is late,” said Ana — “and we are tired.”",
    ],
)
def test_a_quotation_interrupted_by_its_cue_is_one(text: str) -> None:
    (quote,) = quoteattr_detect_quotes(Document(text))
    assert [f.text for f in quote.fragments] == ["“It is late,”", "“and we are tired.”"]


def test_contractions_in_text_tokenized_with_spaces_close_nothing() -> None:
    text = "‘ No , I ’ll look first , ’ she said , ‘ and see whether it ’s marked . ’"
    (quote,) = quoteattr_detect_quotes(Document(text))
    assert [f.text for f in quote.fragments] == [
        "‘ No , I ’ll look first , ’", "‘ and see whether it ’s marked . ’"
    ]
