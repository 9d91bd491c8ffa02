"""Records built without running their validators, for the hot paths of the built-in rules.

Each function makes a frozen :mod:`quoteattr.model` record by setting its slots directly,
skipping the frozen ``__setattr__`` and the ``attrs`` validators, for values its caller knows
to be valid (a kind from the model's list, offsets inside the text). The record is equal to,
and indistinguishable from, the validated construction. The values are stored as they are
given (typed ``Any``: compiled code would check and convert them through the model's
annotations). This module is compiled with mypyc
along with the rules (``setup.py``), so that a call from a compiled rule is a call in C: the
rules make a few hundred thousand spans and mentions in ten megabytes of news.
"""

from __future__ import annotations

from typing import Any

from quoteattr.model import (
    Attribution,
    Cue,
    Document,
    Entity,
    Mention,
    Quote,
    Resolution,
    Result,
    Span,
    Speaker,
)

__all__ = [
    "attribution",
    "entity",
    "mention",
    "pack_result",
    "quote",
    "resolution",
    "span",
    "span_of",
    "speaker",
    "unpack_result",
]

_new = object.__new__
# the slot descriptors of the frozen classes: setting through them skips __setattr__
_SPAN: tuple[Any, ...] = tuple(getattr(Span, name).__set__ for name in ("start", "end", "text"))
_MENTION: tuple[Any, ...] = tuple(
    getattr(Mention, name).__set__
    for name in ("span", "kind", "gender", "plural", "head", "rule", "role")
)
_ENTITY: tuple[Any, ...] = tuple(
    getattr(Entity, name).__set__ for name in ("id", "name", "kind", "gender", "mentions")
)
_ATTRIBUTION: tuple[Any, ...] = tuple(
    getattr(Attribution, name).__set__
    for name in ("content", "type", "fragments", "cue", "speaker", "confidence", "sieve", "rule")
)
_SPEAKER: tuple[Any, ...] = tuple(
    getattr(Speaker, name).__set__ for name in ("name", "mention", "entity", "kind")
)
_QUOTE: tuple[Any, ...] = tuple(
    getattr(Quote, name).__set__
    for name in ("content", "type", "fragments", "cue", "subject", "rule", "needs_speaker")
)
_RESOLUTION: tuple[Any, ...] = tuple(
    getattr(Resolution, name).__set__ for name in ("mention", "cue", "confidence", "sieve")
)
_CUE: tuple[Any, ...] = tuple(getattr(Cue, name).__set__ for name in ("span", "lemma"))
_RESULT: tuple[Any, ...] = tuple(
    getattr(Result, name).__set__ for name in ("doc_id", "attributions", "entities", "text")
)


def span(text: str, start: int, end: int) -> Span:
    """The :class:`~quoteattr.model.Span` ``[start, end)`` of ``text``.

    :raises ValueError: the offsets are not integers with ``0 <= start <= end <= len(text)``.
    """
    if not (0 <= start <= end <= len(text) and type(start) is int and type(end) is int):
        msg = f"span [{start}, {end}) is out of bounds of a text of {len(text)} characters"
        raise ValueError(msg)
    made = _new(Span)
    set_start, set_end, set_text = _SPAN
    set_start(made, start)
    set_end(made, end)
    set_text(made, text[start:end])
    return made


def span_of(doc: Document, start: int, end: int) -> Span:
    """``doc.span(start, end)``, without the call to a method of a Python class."""
    return span(doc.text, start, end)


def mention(
    at: Any, kind: Any, gender: Any, plural: Any, head: Any, rule: Any, role: Any
) -> Mention:
    """``Mention(at, kind, gender, plural, head, rule, role)``, ``kind`` and ``gender`` being
    ones the model allows."""
    made = _new(Mention)
    s_span, s_kind, s_gender, s_plural, s_head, s_rule, s_role = _MENTION
    s_span(made, at)
    s_kind(made, kind)
    s_gender(made, gender)
    s_plural(made, plural)
    s_head(made, head)
    s_rule(made, rule)
    s_role(made, role)
    return made


def entity(id: Any, name: Any, kind: Any, gender: Any, mentions: Any) -> Entity:
    """``Entity(id, name, kind, gender, mentions)``, ``kind`` and ``gender`` being ones the
    model allows and ``mentions`` a tuple."""
    made = _new(Entity)
    s_id, s_name, s_kind, s_gender, s_mentions = _ENTITY
    s_id(made, id)
    s_name(made, name)
    s_kind(made, kind)
    s_gender(made, gender)
    s_mentions(made, mentions)
    return made


def attribution(
    content: Any, type_: Any, fragments: Any, cue: Any, speaker: Any, confidence: Any,
    sieve: Any, rule: Any,
) -> Attribution:
    """``Attribution(content, type_, …)``, ``type_`` being one the model allows and
    ``fragments`` a tuple (what the converter, ``tuple()``, makes of one)."""
    made = _new(Attribution)
    s_content, s_type, s_fragments, s_cue, s_speaker, s_confidence, s_sieve, s_rule = (
        _ATTRIBUTION
    )
    s_content(made, content)
    s_type(made, type_)
    s_fragments(made, fragments)
    s_cue(made, cue)
    s_speaker(made, speaker)
    s_confidence(made, confidence)
    s_sieve(made, sieve)
    s_rule(made, rule)
    return made


def speaker(name: Any, at: Any, entity: Any, kind: Any) -> Speaker:
    """``Speaker(name, at, entity, kind)``, ``kind`` being one the model allows."""
    made = _new(Speaker)
    s_name, s_mention, s_entity, s_kind = _SPEAKER
    s_name(made, name)
    s_mention(made, at)
    s_entity(made, entity)
    s_kind(made, kind)
    return made


def quote(
    content: Any, type_: Any, fragments: Any, cue: Any, subject: Any, rule: Any,
    needs_speaker: Any,
) -> Quote:
    """``Quote(content, type_, fragments, cue, subject, rule, needs_speaker)``, ``type_``
    being one the model allows and ``fragments`` a tuple. The quotation detectors make one for
    each pair of marks, and a text of dialogue has a pair every few words."""
    made = _new(Quote)
    s_content, s_type, s_fragments, s_cue, s_subject, s_rule, s_needs = _QUOTE
    s_content(made, content)
    s_type(made, type_)
    s_fragments(made, fragments)
    s_cue(made, cue)
    s_subject(made, subject)
    s_rule(made, rule)
    s_needs(made, needs_speaker)
    return made


def resolution(mention: Any, cue: Any, confidence: Any, sieve: Any) -> Resolution:
    """``Resolution(mention, cue, confidence, sieve)``, ``confidence`` being a float in
    ``[0, 1]`` (a sieve's own constant, or one scaled down from it)."""
    made = _new(Resolution)
    s_mention, s_cue, s_confidence, s_sieve = _RESOLUTION
    s_mention(made, mention)
    s_cue(made, cue)
    s_confidence(made, confidence)
    s_sieve(made, sieve)
    return made


# --------------------------------------------------------------------------------------------
# pickling results compactly

#: a packed span: ``(start, end)`` when the result's text holds its text, else the Span
_PackedSpan = Any


def _pack_span(at: Any, text: Any) -> _PackedSpan:
    if type(at) is not Span or text is None:
        return at
    span: Any = at  # (read as what it holds, not through Span's annotations: see above)
    start, end = span.start, span.end
    if text[start:end] == span.text:
        return (start, end)
    return at


def pack_result(result: Any) -> tuple[Any, ...]:
    """``Result`` as plain tuples: what :func:`unpack_result` rebuilds it from.

    Results travel from worker processes to the parent (``attribute_many(jobs=N)``); pickled
    field by field they are a tree of small objects, and unpickling them is much of the
    parent's work. Packed, an attribution or entity is one tuple, and a span that holds the
    document's text at its offsets two numbers. Only exact instances of the model's classes
    are packed; an instance of a subclass (or anything else a plugin put there) is kept whole
    in a tuple of one, for pickle to handle as it is. Every value is read as it is (the
    records are read as ``Any``), so that it comes back unchanged.
    """
    text = result.text
    attributions: list[Any] = []
    for record in result.attributions:
        if type(record) is not Attribution:
            attributions.append((record,))
            continue
        a: Any = record
        cue: Any = a.cue
        who: Any = a.speaker
        if (cue is not None and type(cue) is not Cue) or (
            who is not None and type(who) is not Speaker
        ):
            attributions.append((record,))
            continue
        attributions.append((
            _pack_span(a.content, text), a.type,
            tuple([_pack_span(f, text) for f in a.fragments]),
            None if cue is None else (_pack_span(cue.span, text), cue.lemma),
            None if who is None else (
                who.name, _pack_span(who.mention, text), who.entity, who.kind
            ),
            a.confidence, a.sieve, a.rule,
        ))
    entities: list[Any] = []
    for record in result.entities:
        e: Any = record
        if type(record) is not Entity:
            entities.append((record,))
            continue
        entities.append(
            (e.id, e.name, e.kind, e.gender, tuple([_pack_span(m, text) for m in e.mentions]))
        )
    return result.doc_id, text, tuple(attributions), tuple(entities)


def _unpack_span(packed: _PackedSpan, text: str | None) -> Span:
    if type(packed) is not tuple:
        return packed  # type: ignore[no-any-return]
    start, end = packed
    made = _new(Span)
    set_start, set_end, set_text = _SPAN
    set_start(made, start)
    set_end(made, end)
    set_text(made, text[start:end])  # type: ignore[index]
    return made


def unpack_result(
    doc_id: str | None, text: str | None, attributions: tuple[Any, ...], entities: tuple[Any, ...]
) -> Result:
    """Rebuild the :class:`~quoteattr.model.Result` that :func:`pack_result` packed (its
    values were checked when it was made). This runs in the parent process for every document
    a worker attributed."""
    out: list[Attribution] = []
    for packed in attributions:
        if len(packed) == 1:  # kept whole: see pack_result()
            out.append(packed[0])
            continue
        content, type_, fragments, cue, who, confidence, sieve, rule = packed
        made_cue: Cue | None = None
        if cue is not None:
            made_cue = _new(Cue)
            c_span, c_lemma = _CUE
            c_span(made_cue, _unpack_span(cue[0], text))
            c_lemma(made_cue, cue[1])
        made_speaker: Speaker | None = None
        if who is not None:
            made_speaker = speaker(who[0], _unpack_span(who[1], text), who[2], who[3])
        out.append(attribution(
            _unpack_span(content, text), type_,
            tuple([_unpack_span(f, text) for f in fragments]) if fragments else (),
            made_cue, made_speaker, confidence, sieve, rule,
        ))
    linked = tuple([
        entity(e[0], e[1], e[2], e[3], tuple([_unpack_span(m, text) for m in e[4]]))
        if len(e) == 5 else e[0]
        for e in entities
    ])
    result = _new(Result)
    r_doc_id, r_attributions, r_entities, r_text = _RESULT
    r_doc_id(result, doc_id)
    r_attributions(result, tuple(out))
    r_entities(result, linked)
    r_text(result, text)
    return result
