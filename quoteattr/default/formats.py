"""Built-in plugin ``formats``: the output formats ``jsonl``, ``json``, ``csv`` and ``text``.

Every writer takes an iterable of :class:`~quoteattr.model.Result` and
:class:`~quoteattr.pipeline.ErrorRecord` objects and a text stream, and writes each record as
soon as it arrives (flushing after it), so a long batch streams: nothing collects the iterable
first. docs/cli.md describes each format.

The writers never fail on odd text: a lone surrogate, a terminal escape sequence or a character
the stream cannot encode is escaped rather than raising half-way through a batch.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from quoteattr import hookimpl
from quoteattr.default.jsontext import result_json as _result_json
from quoteattr.model import Attribution, Result
from quoteattr.pipeline import ErrorRecord, stream_encoding, write_lines
from quoteattr.text import inert_line

__all__ = [
    "CSV_COLUMNS",
    "jsonl_line",
    "neutralise_formula",
    "quoteattr_register_formats",
    "shorten",
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_text",
]

Record = Result | ErrorRecord


# --------------------------------------------------------------------------------------------
# shared helpers


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    except LookupError:  # an encoding name Python does not know: assume the best
        return True
    return True


def _fit(text: str, encoding: str) -> str:
    """``text``, with the characters ``encoding`` cannot represent backslash-escaped."""
    if _encodable(text, encoding):
        return text
    return text.encode(encoding, "backslashreplace").decode(encoding)


def _record_dict(record: Record) -> dict[str, Any]:
    if isinstance(record, ErrorRecord):
        return record.to_dict()
    return record.to_dict()


#: characters that some programs split lines on but JSON leaves unescaped (NEL, LS, PS)
_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _dumps(obj: Any, encoding: str, indent: int | None = None) -> str:
    """JSON text for ``obj`` that ``encoding`` can carry and that holds no line separator.

    Non-ASCII text is kept as is when the stream can encode it; otherwise (a lone surrogate in a
    UTF-8 stream, any non-ASCII character in an ASCII one) the whole value is written with
    ``\\uXXXX`` escapes, which every JSON reader decodes back to the same string.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _fit_json(
        text, lambda: json.dumps(obj, ensure_ascii=True, indent=indent), encoding
    )


def _fit_json(text: str, ascii_json: Callable[[], str], encoding: str) -> str:
    """:func:`_dumps` once the JSON is written: ``text`` with its line separators escaped, or
    ``ascii_json()`` (the same value, all ``\\uXXXX`` escapes) when ``encoding`` cannot carry
    ``text``."""
    if not _encodable(text, encoding):
        return ascii_json()
    # These can only stand inside JSON strings, where the escape means the same character.
    for char, escape in _LINE_BREAKERS.items():
        if char in text:
            text = text.replace(char, escape)
    return text


# --------------------------------------------------------------------------------------------
# a Result as JSON, without the dicts of to_dict() (quoteattr.default.jsontext)


def jsonl_line(record: Record, encoding: str) -> str:
    """The line of ``record`` in the ``jsonl`` format, without its newline: the JSON of
    ``record.to_dict()``, in text that ``encoding`` can carry (see :func:`_dumps`)."""
    text = _result_json(record) if isinstance(record, Result) else None
    if text is None:
        return _dumps(_record_dict(record), encoding)
    return _fit_json(text, lambda: json.dumps(record.to_dict()), encoding)


# --------------------------------------------------------------------------------------------
# jsonl and json


def write_jsonl(results: Iterable[Record], stream: TextIO) -> None:
    """Write one JSON object per line: ``Result.to_dict()`` or ``ErrorRecord.to_dict()``.

    :param results: the records, consumed one at a time.
    :param stream: a text stream; each line is flushed as soon as it is written.
    """
    write_lines(jsonl_line, results, stream)


def write_json(results: Iterable[Record], stream: TextIO) -> None:
    """Write one JSON array of the objects that :func:`write_jsonl` writes one per line.

    The array is written incrementally: ``[``, then each object (indented) as it arrives, then
    ``]``, so a reader sees the first documents before the last one is attributed.
    """
    encoding = stream_encoding(stream)
    stream.write("[")
    first = True
    for record in results:
        item = _dumps(_record_dict(record), encoding, indent=2)
        stream.write("\n" if first else ",\n")
        stream.write("\n".join("  " + line for line in item.split("\n")))
        stream.flush()
        first = False
    stream.write("]\n" if first else "\n]\n")
    stream.flush()


# --------------------------------------------------------------------------------------------
# csv

CSV_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "start",
    "end",
    "type",
    "text",
    "speaker",
    "speaker_start",
    "speaker_end",
    "speaker_text",
    "cue",
    "confidence",
    "sieve",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """Prefix ``cell`` with an apostrophe when a spreadsheet would read it as a formula.

    Cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are the ones
    spreadsheet programs evaluate; the apostrophe makes them display as text.
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _csv_cell(value: str | int | float | None, encoding: str) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(_fit(value, encoding))
    return value


def _csv_row(doc_id: str | None, a: Attribution) -> list[str | int | float | None]:
    speaker = a.speaker
    return [
        doc_id,
        a.start,
        a.end,
        a.type,
        a.text,
        None if speaker is None else speaker.name,
        None if speaker is None else speaker.mention.start,
        None if speaker is None else speaker.mention.end,
        None if speaker is None else speaker.mention.text,
        None if a.cue is None else a.cue.span.text,
        a.confidence,
        a.sieve,
    ]


def write_csv(results: Iterable[Record], stream: TextIO) -> None:
    """Write one CSV row per attribution, under a header row of :data:`CSV_COLUMNS`.

    A document without attributions gives no row; a failed document gives one row whose
    ``type`` is ``error`` and whose ``text`` is the error message. Text cells are protected
    against spreadsheet formula injection (:func:`neutralise_formula`). Rows end with CRLF as
    RFC 4180 asks, so open a file for this writer with ``newline=""``.
    """
    import csv  # only this writer needs it: not imported for a run in another format

    encoding = stream_encoding(stream)
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    stream.flush()
    for record in results:
        rows: list[list[str | int | float | None]]
        if isinstance(record, ErrorRecord):
            rows = [[record.doc_id, None, None, "error", record.message, *[None] * 7]]
        else:
            rows = [_csv_row(record.doc_id, a) for a in record.attributions]
        writer.writerows([_csv_cell(cell, encoding) for cell in row] for row in rows)
        stream.flush()


# --------------------------------------------------------------------------------------------
# text

#: the width, in terminal columns, that the text format is laid out for
TEXT_WIDTH = 100
_INDEX_W, _TYPE_W, _SPEAKER_W, _CUE_W, _CONF_W = 3, 8, 36, 16, 4
_QUOTE_INDENT = 2 + _INDEX_W + 2
_SIEVE_W = TEXT_WIDTH - (_QUOTE_INDENT + _TYPE_W + 2 + _SPEAKER_W + 2 + _CUE_W + 2 + _CONF_W + 2)
_QUOTE_W = TEXT_WIDTH - _QUOTE_INDENT
#: characters that reorder the display of what follows them (the "Trojan Source" set)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    """How many terminal columns ``text`` takes (wide East Asian characters take two)."""
    return sum(_char_width(c) for c in text)


def _head(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits in ``width`` columns."""
    used = 0
    for i, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:i]
    return text


def _tail(text: str, width: int) -> str:
    """The longest suffix of ``text`` that fits in ``width`` columns."""
    return _head(text[::-1], width)[::-1]


def shorten(text: str, width: int = _QUOTE_W) -> str:
    """``text`` on one line, cut in the middle with `` … `` to fit ``width`` columns.

    >>> shorten("one two three four five six seven", 20)
    'one two … seven'
    """
    text = inert_line(text)
    if _width(text) <= width:
        return text
    room = max(width - 3, 2)  # " … " takes three columns
    head = _head(text, (room + 1) // 2)
    if not text[len(head)].isspace():  # cut inside a word: end at a word boundary if near
        space = head.rfind(" ")
        head = head[:space] if space >= len(head) * 2 // 3 else head
    tail = _tail(text, room // 2)
    if not text[len(text) - len(tail) - 1].isspace():
        space = tail.find(" ")
        tail = tail[space + 1 :] if 0 <= space <= len(tail) // 3 else tail
    return f"{head.rstrip()} … {tail.lstrip()}"


def _cell(text: str, width: int) -> str:
    """``text`` cut at the end with ``…`` to fit ``width`` columns, then padded to it."""
    if _width(text) > width:
        text = _head(text, width - 1).rstrip() + "…"
    return text + " " * (width - _width(text))


def _speaker_label(a: Attribution) -> str:
    if a.speaker is None:
        return "(unknown)"
    name, said = inert_line(a.speaker.name), inert_line(a.speaker.mention.text)
    return name if said == name or not said else f"{name} ({said})"


def _text_block(index: int, a: Attribution) -> str:
    cue = "-" if a.cue is None else inert_line(a.cue.span.text)
    line = "".join(
        [
            "  ",
            f"{index:>{_INDEX_W}}",
            "  ",
            _cell(a.type, _TYPE_W),
            "  ",
            _cell(_speaker_label(a), _SPEAKER_W),
            "  ",
            _cell(cue, _CUE_W),
            "  ",
            f"{a.confidence:>{_CONF_W}.2f}",
            "  ",
            _cell(inert_line(a.sieve), _SIEVE_W).rstrip(),
        ]
    )
    quote = " " * _QUOTE_INDENT + shorten(a.text, _QUOTE_W)
    return f"{line}\n{quote}\n"


def _text_header() -> str:
    cells = [
        "  ",
        f"{'#':>{_INDEX_W}}",
        "  ",
        _cell("type", _TYPE_W),
        "  ",
        _cell("speaker", _SPEAKER_W),
        "  ",
        _cell("cue", _CUE_W),
        "  ",
        f"{'conf':>{_CONF_W}}",
        "  ",
        "sieve",
    ]
    return "".join(cells) + "\n"


def _doc_label(doc_id: str | None, ordinal: int) -> str:
    return f"document {ordinal}" if doc_id is None else inert_line(doc_id)


def write_text(results: Iterable[Record], stream: TextIO) -> None:
    """Write a table for people to read, laid out for a 100-column terminal.

    Per document: a header line with its id and the number of attributions, then for each
    attribution a line with its index, type, speaker (and the mention, when it is not the
    name), cue, confidence and sieve, and a line with the quote, shortened in the middle. A
    failed document is one line, ``doc_id: error: message``. Documents are separated by a blank
    line.
    """
    encoding = stream_encoding(stream)
    for ordinal, record in enumerate(results, start=1):
        label = _doc_label(record.doc_id, ordinal)
        if ordinal > 1:
            stream.write("\n")
        if isinstance(record, ErrorRecord):
            out = f"{label}: error: {inert_line(record.message)}\n"
        else:
            n = len(record.attributions)
            if n == 0:
                out = f"{label}: no attributions\n"
            else:
                noun = "attribution" if n == 1 else "attributions"
                blocks = [_text_block(i, a) for i, a in enumerate(record.attributions, start=1)]
                out = f"{label}: {n} {noun}\n{_text_header()}{''.join(blocks)}"
        stream.write(_fit(out, encoding))
        stream.flush()


# --------------------------------------------------------------------------------------------
# the plugin

_FORMATS: tuple[tuple[str, Callable[[Iterable[Record], TextIO], None], str], ...] = (
    ("json", write_json, "one JSON array of the JSONL objects, written incrementally"),
    ("csv", write_csv, "one row per attribution, spreadsheet-safe"),
    ("text", write_text, "a table for reading in a terminal"),
)


@hookimpl
def quoteattr_register_formats(register: Callable[..., Any]) -> None:
    """Register the built-in formats ``jsonl`` (a line format), ``json``, ``csv`` and
    ``text``."""
    register("jsonl", line=jsonl_line,
             description="one JSON object per document, one document a line")
    for name, write, description in _FORMATS:
        register(name, write, description=description)
