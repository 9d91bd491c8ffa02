"""quoteattr-markdown: the ``markdown`` output format for quoteattr.

Installed next to quoteattr, this distribution registers itself through the ``quoteattr``
entry-point group, and ``quoteattr --format markdown FILE...`` writes, for each document, a
heading and a Markdown table of its attributions: ``#``, speaker, type, quote and cue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from quoteattr import ErrorRecord, Result, hookimpl
from quoteattr.model import Attribution

__all__ = ["escape", "quoteattr_register_formats", "write_markdown"]

__version__ = "0.1.0"

#: characters with a meaning inside a Markdown (CommonMark/GFM) table cell
_SPECIAL = frozenset("\\`*_[]<>|~&")

_HEADER = "| # | speaker | type | quote | cue |\n|--:|---|---|---|---|\n"


def escape(text: str) -> str:
    """``text`` as literal inline Markdown on one line, safe inside a table cell.

    Whitespace runs (line breaks included) become one space, the characters that Markdown or
    a table would interpret are backslash-escaped, and control characters are replaced with
    U+FFFD, so a quote can neither break the table nor inject markup or HTML.
    """
    out: list[str] = []
    for char in " ".join(text.split()):
        if char in _SPECIAL:
            out.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def _speaker(a: Attribution) -> str:
    if a.speaker is None:
        return "*unknown*"
    name, said = a.speaker.name, a.speaker.mention.text
    label = escape(name)
    if said and " ".join(said.split()) != " ".join(name.split()):
        label += f" ({escape(said)})"
    return label


def _row(index: int, a: Attribution) -> str:
    cue = "" if a.cue is None else escape(a.cue.span.text)
    return f"| {index} | {_speaker(a)} | {a.type} | {escape(a.text)} | {cue} |\n"


def _document(record: Result | ErrorRecord, ordinal: int) -> str:
    title = f"Document {ordinal}" if record.doc_id is None else escape(record.doc_id)
    heading = f"## {title}\n\n"
    if isinstance(record, ErrorRecord):
        return f"{heading}**Error:** {escape(record.message)}\n"
    if not record.attributions:
        return f"{heading}*No attributions.*\n"
    rows = "".join(_row(i, a) for i, a in enumerate(record.attributions, start=1))
    return heading + _HEADER + rows


def write_markdown(results: Iterable[Result | ErrorRecord], stream: TextIO) -> None:
    """Write a heading and a table of attributions per document, each as soon as it arrives.

    :param results: the records, consumed one at a time.
    :param stream: the text stream to write to; flushed after each document.
    """
    for ordinal, record in enumerate(results, start=1):
        if ordinal > 1:
            stream.write("\n")
        stream.write(_document(record, ordinal))
        stream.flush()


@hookimpl
def quoteattr_register_formats(register: Callable[..., Any]) -> None:
    """Register the ``markdown`` format."""
    description = "a Markdown table of attributions per document"
    register("markdown", write_markdown, description=description)
