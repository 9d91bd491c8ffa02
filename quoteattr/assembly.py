"""The pipeline's own work on each quotation once the sieves have spoken: each decision's
spans checked, and the result assembled (:class:`quoteattr.pipeline.Pipeline` calls these).

Compiled with the rules (``setup.py``): a text of dialogue has a quotation every few words,
and each passes through here. The records are plugins' and may hold any values (the model
checks only some fields), so they are taken as ``Any``: compiled code would check, and
convert, a value read through the model's annotations (a rule that is no string, a flag that
is no bool), where the pure build passes it on as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any, Final

import attrs

from quoteattr import trusted
from quoteattr.model import (
    ATTRIBUTION_TYPES,
    ENTITY_KINDS,
    Attribution,
    Document,
    Entity,
    Mention,
    Result,
    Speaker,
)

__all__ = ["merge_quotes", "merge_reported"]


#: the entity kind that a speaker mention of each kind implies when no entity was linked
_KIND_OF_MENTION: Final = {
    "name": "person",
    "pronoun": "person",
    "nominal": "person",
    "group": "group",
    "organization": "organization",
}


def _as_speaker(mention: Any) -> Mention:
    """``attrs.evolve(mention, role="speaker")``; without re-running the validators of a
    mention that passed them already, when it is a plain :class:`Mention`."""
    if type(mention) is not Mention:
        evolved: Mention = attrs.evolve(mention, role="speaker")
        return evolved
    m = mention
    return trusted.mention(m.span, m.kind, m.gender, m.plural, m.head, m.rule, "speaker")


def _matches(decision: Any, text: str) -> bool:
    """Whether the spans of a sieve's decision hold ``text`` (``Span.matches``, in line)."""
    for part in (decision.mention, decision.cue):
        if part is not None:
            span = part.span
            if span.end > len(text) or text[span.start : span.end] != span.text:
                return False
    return True


# --------------------------------------------------------------------------------------------
# assembling the result


def _assemble(
    doc: Document,
    quotes: list[Any],
    decisions: list[Any],
    entities: list[Any],
) -> Result:
    # the entity of each speaker's span: the first entity that lists it (only the few spans
    # of speakers are looked for, a start first: most spans are no speaker's)
    wanted = {
        (d.mention.span.start, d.mention.span.end)
        for d in decisions
        if d is not None and d.mention is not None
    }
    by_span: dict[tuple[int, int], Entity] = {}
    if wanted:
        starts = {start for start, _ in wanted}
        for entity in entities:
            for span in entity.mentions:
                if span.start in starts and (key := (span.start, span.end)) in wanted:
                    by_span.setdefault(key, entity)
    attributions: list[Attribution] = []
    used: dict[str, Entity] = {}
    for quote, decision in zip(quotes, decisions, strict=True):
        if decision is None or decision.mention is None:
            if quote.needs_speaker:
                continue
            attributions.append(
                _attribution(
                    quote.content, quote.type, quote.fragments, quote.cue,
                    None, 0.2, "none", quote.rule,
                )
            )
            continue
        mention = decision.mention
        linked = by_span.get((mention.span.start, mention.span.end))
        if linked is not None:
            used[linked.id] = linked
            speaker = _speaker(linked.name, mention.span, linked.id, linked.kind)
        else:
            kind = "unknown" if mention.kind == "pronoun" else _KIND_OF_MENTION[mention.kind]
            speaker = _speaker(mention.span.text, mention.span, None, kind)
        attributions.append(
            _attribution(
                quote.content, quote.type, quote.fragments, decision.cue or quote.cue,
                speaker, round(decision.confidence, 4), decision.sieve, quote.rule,
            )
        )
    ordered = sorted(used.values(), key=lambda e: e.mentions[0].start if e.mentions else 0)
    return Result(doc.doc_id, attributions, ordered, text=doc.text)


def _attribution(
    content: Any, type_: Any, fragments: Any, cue: Any, speaker: Any, confidence: Any,
    sieve: Any, rule: Any,
) -> Attribution:
    """``Attribution(content, type_, …)``, its validator and converter in line: when ``type_``
    is not a valid type or ``fragments`` not a tuple, the constructor itself is called (and
    raises, or converts)."""
    if type(type_) is not str or type_ not in ATTRIBUTION_TYPES or type(fragments) is not tuple:
        return Attribution(content, type_, fragments, cue, speaker, confidence, sieve, rule)
    return trusted.attribution(content, type_, fragments, cue, speaker, confidence, sieve, rule)


def _speaker(name: Any, mention: Any, entity: Any, kind: Any) -> Speaker:
    """``Speaker(name, mention, entity, kind)``, its validator in line (see
    :func:`_attribution`)."""
    if type(kind) is not str or kind not in ENTITY_KINDS:
        return Speaker(name, mention, entity, kind)
    return trusted.speaker(name, mention, entity, kind)


# --------------------------------------------------------------------------------------------
# merging the collectors' output (a text of dialogue has a quotation every few words, and a
# news article hundreds of mentions: each passes through these once)


def _content_order(quote: Any) -> tuple[Any, Any]:
    """The sort key of a quotation: its start, then the longer first."""
    content = quote.content
    return (content.start, -content.end)


def merge_quotes(quotes: Iterable[Any]) -> list[Any]:
    """Text-ordered quotes with duplicates and nested or crossing quotes removed.

    Of two overlapping quotes the one that starts first (then the longer) wins: a quotation
    nested in another is part of it, not a quotation of its own.
    """
    ordered = list(quotes)
    starts: list[int] = []
    ends: list[int] = []
    for q in ordered:
        content = q.content
        starts.append(content.start)
        ends.append(content.end)
    # (a detector gives its quotations in text order: then the stable sort would keep them as
    # they are, and is not made)
    for k in range(1, len(ordered)):
        if starts[k] < starts[k - 1] or (starts[k] == starts[k - 1] and ends[k] > ends[k - 1]):
            ordered.sort(key=_content_order)
            starts = [q.content.start for q in ordered]
            ends = [q.content.end for q in ordered]
            break
    kept: list[Any] = []
    last_end = 0
    for k in range(len(ordered)):
        if kept and starts[k] < last_end:
            continue
        kept.append(ordered[k])
        last_end = ends[k]
    return kept


#: a character for which ``str.isalnum()`` is true: ``\w`` is ``isalnum()`` or ``_``
_ALNUM: Final = re.compile(r"[^\W_]")


def _nothing_around(content: Any, inner: Any) -> bool:
    """Whether no letter or digit of ``content`` lies outside ``inner``, a span within it."""
    text, base = content.text, content.start
    return (
        _ALNUM.search(text, 0, inner.start - base) is None
        and _ALNUM.search(text, inner.end - base) is None
    )


def merge_reported(direct: list[Any], reported: Iterable[Any]) -> list[Any]:
    """Merge reported speech with the direct quotes.

    - a direct quote inside reported content becomes one of its ``fragments``, and the
      reported content becomes ``mixed``;
    - reported content that is nothing but a quote ("she said: “…”") gives that quote its cue
      and subject and disappears;
    - reported content nested in other reported content is dropped.
    """
    reported_sorted = merge_quotes(reported)
    if not reported_sorted:
        # ``direct`` as it is: merge_quotes() gave it, in the order the sort below keeps
        return list(direct)
    starts = [q.content.start for q in direct]
    replaced: dict[int, Any] = {}
    absorbed: set[int] = set()
    out: list[Any] = []
    for r in reported_sorted:
        content = r.content
        lo: int = bisect_left(starts, content.start)
        hi: int = bisect_left(starts, content.end)
        inside = [i for i in range(lo, hi) if direct[i].content.end <= content.end]
        if not inside:
            out.append(r)
            continue
        spans = [direct[i].content for i in inside]
        if len(inside) == 1 and _nothing_around(content, spans[0]):
            i = inside[0]
            replaced[i] = attrs.evolve(
                direct[i], cue=r.cue, subject=r.subject, rule=f"{direct[i].rule}+{r.rule}",
                needs_speaker=False,
            )
            continue
        absorbed.update(inside)
        out.append(attrs.evolve(r, type="mixed", fragments=spans))
    for i, q in enumerate(direct):
        if i not in absorbed:
            out.append(replaced.get(i, q))
    out.sort(key=_content_order)
    return out


def _first_by_span(mentions: Iterable[Any]) -> tuple[list[Any], dict[Any, Any]]:
    """The ``(start, end)`` of each span that ``mentions`` hold, in text order, and the first
    mention of each span by its ``(start, end)``."""
    first: dict[Any, Any] = {}
    # built backwards, the dict keeps the first mention of each span
    for mention in list(mentions)[::-1]:
        span = mention.span
        first[(span.start, span.end)] = mention
    return sorted(first), first


def _with_speakers(spans: list[Any], first: dict[Any, Any], speakers: list[Any]) -> list[Any]:
    """The first mention of each span among ``[*speakers, *mentions]``, in text order, given
    what :func:`_first_by_span` made of ``mentions``: a speaker mention takes the place of the
    mention with its span, without sorting the mentions again unless a speaker brings a span
    of its own."""
    _, first_speakers = _first_by_span(speakers)
    merged = first | first_speakers  # a key already there keeps its place
    if len(merged) > len(first):
        spans = sorted(merged)
    return [merged[key] for key in spans]
