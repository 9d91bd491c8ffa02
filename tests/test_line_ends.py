"""A text with Windows line ends (``"\\r\\n"``) reads as the same text with ``"\\n"``: the same
paragraphs, quotations, cues and speakers, at offsets moved by the ``"\\r"`` before them.

Before, ``"\\r\\n"`` before a line of text was read as a blank line (a paragraph break), the
sentence before a quotation was looked for two characters back (the ``"\\r"``), and the
narration inside an interrupted quotation was measured with a ``"\\r"`` a line.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import quoteattr
from quoteattr import Document
from quoteattr.text import paragraphs

ROOT = Path(__file__).resolve().parent.parent


def _windows(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with Windows line ends, and the map from its offsets back to ``text``'s."""
    crlf = text.replace("\n", "\r\n")
    returns = [i for i, ch in enumerate(crlf) if ch == "\r"]
    return crlf, lambda offset: offset - bisect.bisect_left(returns, offset)


def _read(text: str, back: Callable[[int], int] = lambda o: o) -> list[tuple[object, ...]]:
    return [
        (back(a.start), back(a.end), a.type, a.cue.lemma if a.cue else None,
         a.speaker.name if a.speaker else None, a.sieve)
        for a in quoteattr.attribute(text)
    ]


def _case_texts() -> list[str]:
    texts = []
    for name in ("attribution", "subjects", "news_constructions"):
        cases = json.loads((ROOT / "tests" / "cases" / f"{name}.json").read_text("utf-8"))
        texts += [case["text"] for case in cases if "\n" in case["text"]]
    return [*texts, (ROOT / "seeds" / "kabulov.txt").read_text("utf-8")]


WRAPPED = (
    "The rain had not stopped since morning, and the road to the mill was a river of mud\n"
    "that nobody wanted to cross before the carts came back from the market in town.\n"
    "\n"
    "\"Oh, my sister! My poor, dear, clever, stubborn little sister!\"\n"
    "exclaimed Miriam Hale, dropping the lantern and wringing the wet shawl\n"
    "and the key of the barn in her cold wet hands. \"Where has she gone! Who has\n"
    "seen her since the bells rang?\"\n"
    "\n"
    "Tobias Crane stood alone by the gate, apart from the others.\n"
    "\"I beg your pardon.\"\n"
)


@pytest.mark.parametrize("text", [WRAPPED, *_case_texts()])
def test_a_text_with_windows_line_ends_reads_the_same(text: str) -> None:
    crlf, back = _windows(text)
    assert _read(crlf, back) == _read(text)


def test_the_paragraphs_are_the_same() -> None:
    crlf, back = _windows(WRAPPED)
    lf_paragraphs = [(p.start, p.end) for p in paragraphs(Document(WRAPPED))]
    crlf_paragraphs = [(back(p.start), back(p.end)) for p in paragraphs(Document(crlf))]
    assert crlf_paragraphs == lf_paragraphs
    assert len(lf_paragraphs) == 3


def test_the_interruption_is_as_long_as_a_quotation_may_hold() -> None:
    # with a "\r" a line the narration would be over the limit: measured so, the two halves
    # were two quotations in a text with Windows line ends
    from quoteattr.default.quotes import _INTERRUPTION_CHARS

    start = WRAPPED.index("sister!\"") + len("sister!\"")
    gap = WRAPPED[start : WRAPPED.index("\"Where")]
    assert len(gap) <= _INTERRUPTION_CHARS < len(gap) + gap.count("\n")


def test_what_the_wrapped_text_says() -> None:
    # what the test above holds the Windows reading to: an interrupted quotation over three
    # wrapped lines is one speech by its cue's speaker, and a quotation after a sentence
    # about someone is theirs
    read = _read(WRAPPED)
    speakers = [(WRAPPED[start:end][:12], who, sieve) for start, end, _, _, who, sieve in read]
    assert speakers == [
        ("\"Oh, my sist", "Miriam Hale", "adjacent-cue"),
        ("\"I beg your ", "Tobias Crane", "preceding-subject"),
    ]
