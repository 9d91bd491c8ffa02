"""The built-in rule plugins, as the plugin manager sees them.

The rules themselves live in :mod:`~quoteattr.default.quotes`,
:mod:`~quoteattr.default.reported`, :mod:`~quoteattr.default.attitudes`,
:mod:`~quoteattr.default.mentions`, :mod:`~quoteattr.default.coref` and
:mod:`~quoteattr.default.sieves`, each in a function or method named after its hook. Those
modules may be compiled to C with mypyc (see ``docs/benchmarks.md``), and a compiled function
can neither carry pluggy's ``hookimpl`` marker (an attribute set on the function) nor show
pluggy its argument names (it has no ``__code__``). So each plugin is one small object of this
module, pure Python in every build, whose hook implementation calls its rule module: the
entry points of the ``quoteattr`` group name these objects, and the plugins behave the same,
block and replace the same, whether the rules are compiled or not.
"""

from __future__ import annotations

from collections.abc import Sequence

from quoteattr import hookimpl
from quoteattr.default import attitudes as _attitudes
from quoteattr.default import coref as _coref
from quoteattr.default import mentions as _mentions
from quoteattr.default import quotes as _quotes
from quoteattr.default import reported as _reported
from quoteattr.default import sieves as _sieves
from quoteattr.model import Document, Entity, Mention, Quote, Resolution
from quoteattr.pipeline import ResolutionContext

__all__ = [
    "adjacent_cue",
    "attitudes",
    "continuation",
    "coref",
    "frame",
    "mentions",
    "preceding_subject",
    "quotes",
    "reported_speech",
]


class _Plugin:
    """A built-in plugin: its name, and a readable ``repr`` for ``quoteattr plugins``."""

    name = ""

    def __repr__(self) -> str:
        return f"<quoteattr built-in plugin {self.name!r}>"


class QuoteMarks(_Plugin):
    """Quotations between quotation marks (:mod:`quoteattr.default.quotes`)."""

    name = "quotes"

    @hookimpl
    def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
        return _quotes.quoteattr_detect_quotes(doc)


class ReportedSpeech(_Plugin):
    """Indirect and mixed speech around a cue (:mod:`quoteattr.default.reported`)."""

    name = "reported-speech"

    @hookimpl
    def quoteattr_detect_reported_speech(
        self, doc: Document, quotes: Sequence[Quote]
    ) -> list[Quote]:
        return _reported.quoteattr_detect_reported_speech(doc, quotes)


class Attitudes(_Plugin):
    """Stances and topics reported without their words (:mod:`quoteattr.default.attitudes`)."""

    name = "attitudes"

    @hookimpl
    def quoteattr_detect_reported_speech(
        self, doc: Document, quotes: Sequence[Quote]
    ) -> list[Quote]:
        return _attitudes.quoteattr_detect_reported_speech(doc, quotes)


class Mentions(_Plugin):
    """Names, descriptions and pronouns (:mod:`quoteattr.default.mentions`)."""

    name = "mentions"

    @hookimpl
    def quoteattr_find_mentions(self, doc: Document, quotes: Sequence[Quote]) -> list[Mention]:
        return _mentions.quoteattr_find_mentions(doc, quotes)


class Coreference(_Plugin):
    """Mentions grouped into entities (:mod:`quoteattr.default.coref`)."""

    name = "coref"

    @hookimpl
    def quoteattr_link_entities(
        self, doc: Document, mentions: Sequence[Mention], quotes: Sequence[Quote]
    ) -> list[Entity]:
        return _coref.quoteattr_link_entities(doc, mentions, quotes)


class _Sieve(_Plugin):
    """A sieve of :mod:`quoteattr.default.sieves`, under its own name."""

    def __init__(self, sieve: _sieves.Sieve) -> None:
        self.sieve = sieve
        self.name = sieve.name
        self._decide = sieve.quoteattr_resolve_speaker  # (bound once: called for every quote)


class FirstSieve(_Sieve):
    """A sieve asked before any other plugin's."""

    @hookimpl(tryfirst=True)
    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        return self._decide(doc, quote, context)


class LastSieve(_Sieve):
    """A sieve asked after every other plugin's."""

    @hookimpl(trylast=True)
    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        return self._decide(doc, quote, context)


quotes = QuoteMarks()
reported_speech = ReportedSpeech()
attitudes = Attitudes()
mentions = Mentions()
coref = Coreference()
frame = FirstSieve(_sieves.frame)
adjacent_cue = FirstSieve(_sieves.adjacent_cue)
continuation = LastSieve(_sieves.continuation)
preceding_subject = LastSieve(_sieves.preceding_subject)
