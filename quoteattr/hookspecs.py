"""The hook specifications: the whole pipeline, as plugins see it.

A document passes through the phases in this order:

1. quote detection (:func:`quoteattr_detect_quotes`), a collector;
2. reported-speech detection (:func:`quoteattr_detect_reported_speech`), a collector;
3. mention finding (:func:`quoteattr_find_mentions`), a collector;
4. speaker resolution (:func:`quoteattr_resolve_speaker`), a decider: one hookimpl per sieve;
5. entity linking (:func:`quoteattr_link_entities`), a decider;

and output formats are registered by :func:`quoteattr_register_formats`. docs/hooks.md has a
section for each hook, and a test keeps it in step with this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from quoteattr.model import Document, Entity, Mention, Quote, Resolution
    from quoteattr.pipeline import ResolutionContext

hookspec = pluggy.HookspecMarker("quoteattr")

# --------------------------------------------------------------------------------------------
# detection


@hookspec
def quoteattr_detect_quotes(doc: Document) -> Iterable[Quote] | None:
    """Find quoted content marked by quotation marks.

    Every plugin's results are gathered. The pipeline then merges them: overlapping duplicates
    collapse into one quote, and a quote inside reported speech becomes a fragment of it.

    :param doc: the document; ``doc.stash`` holds shared lazy indexes.
    :returns: the quotes found, in any order, or ``None`` for none.
    """


@hookspec
def quoteattr_detect_reported_speech(
    doc: Document, quotes: Sequence[Quote]
) -> Iterable[Quote] | None:
    """Find reported speech anchored on a cue: "X said (that) …", "according to X, …".

    Every plugin's results are gathered and merged with the quotes from
    :func:`quoteattr_detect_quotes`. A result may carry its ``cue`` and the cue's grammatical
    ``subject``; a reported-speech span that contains quotes becomes a mixed quote.

    :param doc: the document.
    :param quotes: the quotes found by :func:`quoteattr_detect_quotes`, merged, in text order;
        cues inside them are usually quoted speech of someone else and should not fire.
    :returns: the reported-speech quotes found, or ``None`` for none.
    """


# --------------------------------------------------------------------------------------------
# mentions


@hookspec
def quoteattr_find_mentions(doc: Document, quotes: Sequence[Quote]) -> Iterable[Mention] | None:
    """Find the people, groups and organisations named, described or referred to.

    Every plugin's results are gathered; mentions with the same span are merged, the first
    plugin's kind winning.

    :param doc: the document.
    :param quotes: every quote found, merged, in text order.
    :returns: the mentions found, or ``None`` for none.
    """


# --------------------------------------------------------------------------------------------
# resolution


@hookspec(firstresult=True)
def quoteattr_resolve_speaker(
    doc: Document, quote: Quote, context: ResolutionContext
) -> Resolution | None:
    """Decide who said ``quote``: one sieve per hookimpl, the most precise first.

    Quotes are resolved in text order, so ``context.previous`` holds the decisions already made
    for earlier quotes. Order sieves with ``tryfirst``/``trylast``; a sieve that cannot decide
    returns ``None`` and the next one is asked.

    :param doc: the document.
    :param quote: the quote to attribute.
    :param context: the mentions, the other quotes and the earlier decisions.
    :returns: a :class:`~quoteattr.model.Resolution` naming the speaker mention and the sieve.

    Stops at the first non-None result.
    """


@hookspec(firstresult=True)
def quoteattr_link_entities(
    doc: Document, mentions: Sequence[Mention], quotes: Sequence[Quote]
) -> Sequence[Entity] | None:
    """Group mentions into canonical entities: "he", "The Russian envoy" and a surname into one.

    The speaker mentions chosen by the sieves are included in ``mentions``. An entity's
    ``mentions`` list the spans that refer to it; its ``name`` is the canonical speaker name.

    :param doc: the document.
    :param mentions: every mention, in text order.
    :param quotes: every quote, in text order: names inside quoted content are poor antecedents.
    :returns: the entities.

    Stops at the first non-None result.
    """


# --------------------------------------------------------------------------------------------
# output


@hookspec
def quoteattr_register_formats(register: Callable[..., Any]) -> None:
    """Register output formats by calling ``register(name, write, description="")``, or
    ``register(name, line=line, description="")`` for a line format.

    ``write(results, stream)`` receives an iterable of :class:`~quoteattr.model.Result` and
    :class:`~quoteattr.pipeline.ErrorRecord` (a document that failed, in its place) and a text
    stream, and must write each record as it arrives so that output streams.

    A format that writes one line per record and nothing else can give
    ``line(record, encoding)`` instead: it returns the line of one record, without the
    newline, in text that ``encoding`` (the stream's) can carry. The host then writes each
    line and a newline, and can make the lines in the worker processes that attributed the
    documents (:meth:`~quoteattr.pipeline.Pipeline.attribute_lines`, ``quoteattr --jobs N``),
    so ``line`` must be a function of its arguments only. A format is registered with
    ``write`` or ``line``, not both. The host owns the names: registering a name twice is a
    :class:`~quoteattr.errors.FormatError`.

    :param register: the callback that records a format.
    :returns: nothing.
    """
