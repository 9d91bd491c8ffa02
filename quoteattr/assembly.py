"""The pipeline's own work on each quotation once the sieves have spoken: each decision's
spans checked, and the result assembled (:class:`quoteattr.pipeline.Pipeline` calls these).

Compiled with the rules (``setup.py``): a text of dialogue has a quotation every few words,
and each passes through here. The records are plugins' and may hold any values (the model
checks only some fields), so they are taken as ``Any``: compiled code would check, and
convert, a value read through the model's annotations (a rule that is no string, a flag that
is no bool), where the pure build passes it on as it is.
"""

from __future__ import annotations

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

__all__: list[str] = []


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
