"""quoteattr-spacy: the ``quoteattr`` pipeline component for spaCy.

``nlp.add_pipe("quoteattr")`` adds a component that attributes the quotations of each ``Doc``
with a :class:`quoteattr.Pipeline` and sets:

``doc._.attributions``
    a list of :class:`SpacyAttribution`, in text order: each wraps a
    :class:`quoteattr.model.Attribution` and holds spaCy spans for its content, its fragments,
    its cue and its speaker's mention;
``doc._.quoteattr``
    the :class:`quoteattr.model.Result` itself (entities included).

quoteattr works on characters and spaCy on tokens. Each quoteattr span becomes
``doc.char_span(start, end, alignment_mode="expand")``: the smallest run of tokens that covers
it. The exact characters stay available on the wrapped attribution (``a.attribution.text``).

The component needs only the text, so it works in any pipeline, ``spacy.blank("en")``
included. Its configuration:

``block``
    names of quoteattr plugins to leave out (as ``quoteattr --block`` does);
``entry_points``
    whether to load third-party quoteattr plugins (default ``true``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from quoteattr import Pipeline
from quoteattr.model import Attribution, Result
from quoteattr.model import Span as CharSpan

__all__ = ["QuoteattrComponent", "SpacyAttribution", "make_quoteattr"]

__version__ = "0.1.0"

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("quoteattr"):
    Doc.set_extension("quoteattr", default=None)


@dataclass(frozen=True)
class SpacyAttribution:
    """One attribution with spaCy spans.

    :ivar attribution: quoteattr's attribution, with character offsets.
    :ivar content: the tokens of the reported content.
    :ivar fragments: the tokens of each quoted fragment of a mixed quote.
    :ivar cue: the tokens of the cue ("said", "according to"), or ``None``.
    :ivar speaker: the tokens of the speaker's mention ("he", "Ana Lopez"), or ``None``.
    """

    attribution: Attribution
    content: Span
    fragments: tuple[Span, ...]
    cue: Span | None
    speaker: Span | None

    @property
    def type(self) -> str:
        """``direct``, ``mixed`` or ``indirect``."""
        return self.attribution.type

    @property
    def speaker_name(self) -> str | None:
        """The speaker's canonical name ("Ana Lopez" for "she"), or ``None``."""
        s = self.attribution.speaker
        return None if s is None else s.name

    @property
    def confidence(self) -> float:
        return self.attribution.confidence

    @property
    def sieve(self) -> str:
        """The rule that decided the speaker."""
        return self.attribution.sieve


def _span(doc: Doc, span: CharSpan | None) -> Span | None:
    if span is None:
        return None
    return doc.char_span(span.start, span.end, alignment_mode="expand")


def _attribution(doc: Doc, a: Attribution) -> SpacyAttribution:
    content = _span(doc, a.content)
    if content is None:  # only for an empty span, which quoteattr never reports
        content = doc[0:0]
    fragments = tuple(s for s in (_span(doc, f) for f in a.fragments) if s is not None)
    return SpacyAttribution(
        attribution=a,
        content=content,
        fragments=fragments,
        cue=_span(doc, None if a.cue is None else a.cue.span),
        speaker=_span(doc, None if a.speaker is None else a.speaker.mention),
    )


class QuoteattrComponent:
    """The pipeline component: one :class:`quoteattr.Pipeline`, built once, for every doc."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def __call__(self, doc: Doc) -> Doc:
        result: Result = self.pipeline.attribute(doc.text)
        doc._.quoteattr = result
        doc._.attributions = [_attribution(doc, a) for a in result]
        return doc


@Language.factory(
    "quoteattr",
    default_config={"block": [], "entry_points": True},
    assigns=["doc._.attributions", "doc._.quoteattr"],
)
def make_quoteattr(
    nlp: Language, name: str, block: Sequence[str], entry_points: bool
) -> QuoteattrComponent:
    """Make the ``quoteattr`` component (spaCy calls this for ``nlp.add_pipe("quoteattr")``)."""
    return QuoteattrComponent(Pipeline(block=list(block), load_entrypoints=entry_points))
