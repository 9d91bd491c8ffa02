"""Plugins for tests/test_parallel.py, in a module that worker processes can import by name.

Worker processes rebuild the parent's plugins: a module by importing it, an object by
unpickling it. A module made in a test with ``types.ModuleType`` could not be imported there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from quoteattr import Document, ErrorRecord, Quote, Result, hookimpl

#: a document holding this makes its worker process exit at once, as a crash would
CRASH = "<<crash the worker>>"
#: a document holding this makes the plugin raise: the document becomes an error record
FAIL = "<<fail this document>>"


@hookimpl
def quoteattr_detect_quotes(doc: Document) -> list[Quote]:
    if CRASH in doc.text:
        os._exit(17)
    if FAIL in doc.text:
        msg = "asked to fail"
        raise RuntimeError(msg)
    return []


class WordQuoter:
    """A picklable plugin object: every occurrence of ``word`` is a quote of its own."""

    def __init__(self, word: str) -> None:
        self.word = word

    @hookimpl
    def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
        found = []
        start = doc.text.find(self.word)
        while start != -1:
            span = doc.span(start, start + len(self.word))
            found.append(Quote(span, "direct", rule=f"word:{self.word}"))
            start = doc.text.find(self.word, start + 1)
        return found


class DocIdLines:
    """A picklable plugin object that registers the line format ``doc-ids``: a line per
    document with its id, its number of attributions and the process that made the line. A
    result whose doc_id is ``UNENCODABLE`` cannot be written: the line encoder raises."""

    @hookimpl
    def quoteattr_register_formats(self, register: Callable[..., Any]) -> None:
        register("doc-ids", line=doc_id_line, description="doc_id, attributions, process id")


#: the doc_id of a result that the ``doc-ids`` line format cannot write
UNENCODABLE = "<<unencodable>>"


def doc_id_line(record: Result | ErrorRecord, encoding: str) -> str:
    if isinstance(record, ErrorRecord):
        return f"{record.doc_id}\terror:{record.type}\t{os.getpid()}"
    if record.doc_id == UNENCODABLE:
        msg = f"cannot write {record.doc_id}"
        raise ValueError(msg)
    return f"{record.doc_id}\t{len(record.attributions)}\t{os.getpid()}"
