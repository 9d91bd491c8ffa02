"""Built-in plugin ``brat``: the ``brat`` output format, brat standoff annotations on one stream.

brat keeps each document in a pair of files, ``NAME.txt`` and ``NAME.ann``; an output format
writes one stream. So ``--format brat`` writes the ``.ann`` text of each document (made by
:func:`quoteattr.brat.to_ann`, the mapping that module documents) under a header line::

    #quoteattr-doc article-1
    T1	Quote 0 23	“We will win the vote,”
    A1	Type T1 direct
    ...

The header line starts with :data:`HEADER`, a space and the document's id (``document N`` when
the document has none; the id is written on one line, its whitespace runs collapsed). A
document without attributions is its header line alone; a failed document is its header line
and a line ``#quoteattr-error TYPE: MESSAGE``. No brat annotation line looks like these
(annotator notes are ``#1<TAB>...``), and :func:`quoteattr.brat.from_ann` rejects them, so
an unsplit stream read as one ``.ann`` fails loudly instead of mixing documents.
:func:`split_documents` cuts the stream back into ``(doc_id, ann)`` pairs, and each ``ann``
with the document's text gives the document back through :func:`quoteattr.brat.from_ann`.

The ``.ann`` lines repeat the text they annotate after the offsets. A format's writer receives
:class:`~quoteattr.model.Result` records, which hold the spans but not the whole text; every
span carries its own text, though, so the writer rebuilds just enough of the document (each
span's text at its offsets, spaces elsewhere) for :func:`~quoteattr.brat.to_ann`. When a
record carries its text (a ``text`` attribute that is a string) that text is used instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from quoteattr import hookimpl
from quoteattr.brat import to_ann
from quoteattr.model import Result
from quoteattr.pipeline import ErrorRecord

__all__ = [
    "ERROR",
    "HEADER",
    "document_ann",
    "quoteattr_register_formats",
    "split_documents",
    "write_brat_stream",
]

Record = Result | ErrorRecord

#: the start of the line that opens each document's annotations
HEADER = "#quoteattr-doc"
#: the start of the line that stands for a failed document's annotations
ERROR = "#quoteattr-error"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _sparse_text(result: Result) -> str:
    """A string as long as the document needs, with each span's text at its offsets."""
    spans = [s for a in result.attributions for s in a.spans()]
    chars = [" "] * max((s.end for s in spans), default=0)
    for s in spans:
        chars[s.start : s.end] = s.text
    return "".join(chars)


def document_ann(result: Result) -> str:
    """The ``.ann`` text of one result."""
    text: Any = getattr(result, "text", None)
    if not isinstance(text, str):
        text = _sparse_text(result)
    return to_ann(
        {
            "doc_id": result.doc_id,
            "text": text,
            "quotes": [a.to_dict() for a in result.attributions],
        }
    )


def _label(doc_id: str | None, ordinal: int) -> str:
    label = _one_line(doc_id) if doc_id is not None else ""
    return label or f"document {ordinal}"


def write_brat_stream(results: Iterable[Record], stream: TextIO) -> None:
    """Write each document's ``.ann`` text under its header line, flushed as each arrives."""
    for ordinal, record in enumerate(results, start=1):
        out = f"{HEADER} {_label(record.doc_id, ordinal)}\n"
        if isinstance(record, ErrorRecord):
            out += f"{ERROR} {_one_line(record.type)}: {_one_line(record.message)}\n"
        else:
            out += document_ann(record)
        stream.write(out)
        stream.flush()


def split_documents(stream_text: str) -> Iterator[tuple[str, str]]:
    """``(doc_id, ann)`` for each document of ``--format brat`` output, in order.

    A failed document's ``ann`` is its ``#quoteattr-error`` line. Raises :class:`ValueError`
    when annotations come before the first header line.
    """
    doc_id: str | None = None
    lines: list[str] = []
    for line in stream_text.splitlines(keepends=True):
        if line.startswith(HEADER + " ") or line.rstrip("\r\n") == HEADER:
            if doc_id is not None:
                yield doc_id, "".join(lines)
            doc_id, lines = line[len(HEADER) :].strip(), []
        elif doc_id is None:
            if line.strip():
                raise ValueError(f"brat output must start with a {HEADER} line: {line[:60]!r}")
        else:
            lines.append(line)
    if doc_id is not None:
        yield doc_id, "".join(lines)


@hookimpl
def quoteattr_register_formats(register: Callable[..., Any]) -> None:
    """Register the ``brat`` format."""
    register(
        "brat",
        write_brat_stream,
        description="brat standoff (.ann) annotations, one #quoteattr-doc section a document",
    )
