"""The pipeline's quick test of what a plugin returned, compiled with the rules (``setup.py``).

Every item a collector hook returns is checked: it must be of the type the hook promises, and
each of its spans must hold the document's text at its offsets. The built-in plugins return a
few hundred thousand mentions and quotations in ten megabytes of news, so the common case is
tested here in one pass; only a batch that fails it is read again by the pipeline, item by
item, to say which plugin returned what (:meth:`quoteattr.pipeline.Pipeline._check_batch`).
"""

from __future__ import annotations

from typing import Any

from quoteattr.model import Entity, Mention, Quote, Span

__all__ = ["entity_spans_hold", "spans_hold"]


def _holds(span: Any, text: str, size: int) -> bool:
    # Span.matches(text), for a Span itself (anything else is left to the slow path)
    return type(span) is Span and span.end <= size and text[span.start : span.end] == span.text


def spans_hold(items: list[Any], expected: type, text: str) -> bool:
    """Whether every item is an ``expected`` (a mention or a quotation) whose spans all hold
    ``text``, as far as this quick test can tell.

    ``False`` does not mean that an item is wrong, only that the pipeline must look at the
    batch item by item: an item of another type (a subclass, an entity, a resolution) is left
    to it.
    """
    size = len(text)
    for item in items:
        promised = isinstance(item, expected)  # (not a condition: item stays Any for mypy)
        if not promised:
            return False
        kind = type(item)
        if kind is Mention:
            if not _holds(item.span, text, size):
                return False
        elif kind is Quote:
            if not _holds(item.content, text, size):
                return False
            for fragment in item.fragments:
                if not _holds(fragment, text, size):
                    return False
            if item.cue is not None and not _holds(item.cue.span, text, size):
                return False
            if item.subject is not None and not _holds(item.subject, text, size):
                return False
        else:
            return False
    return True


def entity_spans_hold(entities: list[Any], text: str) -> bool:
    """Whether every item is an :class:`~quoteattr.model.Entity` whose mention spans all hold
    ``text``, as far as this quick test can tell (``False``: the pipeline looks again, entity
    by entity; a subclass of ``Entity`` or of ``Span`` is left to it)."""
    size = len(text)
    for entity in entities:
        if type(entity) is not Entity:
            return False
        for span in entity.mentions:
            if not _holds(span, text, size):
                return False
    return True
