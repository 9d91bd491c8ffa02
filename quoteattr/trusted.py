"""Records built without running their validators, for the hot paths of the built-in rules.

Each function makes a frozen :mod:`quoteattr.model` record by setting its slots directly,
skipping the frozen ``__setattr__`` and the ``attrs`` validators, for values its caller knows
to be valid (a kind from the model's list, offsets inside the text). The record is equal to,
and indistinguishable from, the validated construction. The values are stored as they are
given (typed ``Any``: compiled code would check and convert them through the model's
annotations). This module is compiled with mypyc
along with the rules (``setup.py``), so that a call from a compiled rule is a call in C: the
rules make a few hundred thousand spans and mentions in ten megabytes of news.

In the compiled build the records are made in C (``record()`` in ``quoteattr/_speedups.c``),
which also leaves them out of the cycle collector's lists: a frozen record can only refer to
what existed before it, and the values given here are immutable (numbers, strings, tuples,
other records), so no reference cycle passes through one, and a collection need not traverse
the hundreds of thousands that a long text leaves in its result.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

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
    "cue",
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

_R = TypeVar("_R")
_new: Final = object.__new__


def _c_record() -> Any:
    """The compiled build's ``record()`` in C (``quoteattr/_speedups.c``), or ``None``."""
    try:
        from quoteattr._speedups import record
    except ImportError:
        return None
    return record


#: ``record(cls, slots, values)``: :func:`_built`, in C; ``None`` in the pure-Python build
_RECORD: Final[Any] = _c_record()


class _Slots:
    """The slot descriptors of some fields of a frozen class, and their ``__set__``: setting
    through them skips the frozen ``__setattr__``."""

    __slots__ = ("descriptors", "setters")

    def __init__(self, cls: type, names: str) -> None:
        self.descriptors = tuple(getattr(cls, name) for name in names.split())
        self.setters = tuple(d.__set__ for d in self.descriptors)


_SPAN: Final = _Slots(Span, "start end text")
_MENTION: Final = _Slots(Mention, "span kind gender plural head rule role")
_ENTITY: Final = _Slots(Entity, "id name kind gender mentions")
_ATTRIBUTION: Final = _Slots(
    Attribution, "content type fragments cue speaker confidence sieve rule"
)
_SPEAKER: Final = _Slots(Speaker, "name mention entity kind")
_QUOTE: Final = _Slots(Quote, "content type fragments cue subject rule needs_speaker")
_RESOLUTION: Final = _Slots(Resolution, "mention cue confidence sieve")
_CUE: Final = _Slots(Cue, "span lemma")
_RESULT: Final = _Slots(Result, "doc_id attributions entities text")


def _built(cls: type[_R], slots: _Slots, values: tuple[Any, ...]) -> _R:
    """An instance of ``cls`` with each of ``values`` set through the matching slot."""
    if _RECORD is not None:
        return _RECORD(cls, slots.descriptors, values)  # type: ignore[no-any-return]
    made: _R = object.__new__(cls)
    setters = slots.setters
    for i in range(len(values)):  # (indexes, not zip(): a loop in C once compiled)
        setters[i](made, values[i])
    return made


#: the span class and its slots, read from C statics in the compiled build (a name imported
#: from another module is a dictionary look-up there, and the rules make a span for every
#: mention, sentence and quotation)
_SPAN_CLASS: Final[Any] = Span
_SPAN_SLOTS: Final[Any] = _SPAN.descriptors


def _out_of_bounds(text: str, start: int, end: int) -> str:
    return f"span [{start}, {end}) is out of bounds of a text of {len(text)} characters"


def span(text: str, start: int, end: int) -> Span:
    """The :class:`~quoteattr.model.Span` ``[start, end)`` of ``text``.

    :raises ValueError: the offsets are not integers with ``0 <= start <= end <= len(text)``.
    """
    if _RECORD is not None:  # compiled: offsets typed int are machine ints, never subclasses
        if not 0 <= start <= end <= len(text):
            raise ValueError(_out_of_bounds(text, start, end))
        return _RECORD(_SPAN_CLASS, _SPAN_SLOTS, (start, end, text[start:end]))  # type: ignore[no-any-return]
    if not (0 <= start <= end <= len(text) and type(start) is int and type(end) is int):
        raise ValueError(_out_of_bounds(text, start, end))
    # (written out, not through _built: the rules make a span for every mention and sentence)
    made = _new(Span)
    set_start, set_end, set_text = _SPAN.setters
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
    if _RECORD is not None:
        return _RECORD(  # type: ignore[no-any-return]
            Mention, _MENTION.descriptors, (at, kind, gender, plural, head, rule, role)
        )
    # (written out, as span() is: the mention finder makes one for every name and pronoun)
    made = _new(Mention)
    s_span, s_kind, s_gender, s_plural, s_head, s_rule, s_role = _MENTION.setters
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
    return _built(Entity, _ENTITY, (id, name, kind, gender, mentions))


def attribution(
    content: Any, type_: Any, fragments: Any, cue: Any, speaker: Any, confidence: Any,
    sieve: Any, rule: Any,
) -> Attribution:
    """``Attribution(content, type_, …)``, ``type_`` being one the model allows and
    ``fragments`` a tuple (what the converter, ``tuple()``, makes of one)."""
    return _built(Attribution, _ATTRIBUTION,
                  (content, type_, fragments, cue, speaker, confidence, sieve, rule))


def speaker(name: Any, at: Any, entity: Any, kind: Any) -> Speaker:
    """``Speaker(name, at, entity, kind)``, ``kind`` being one the model allows."""
    return _built(Speaker, _SPEAKER, (name, at, entity, kind))


def quote(
    content: Any, type_: Any, fragments: Any, cue: Any, subject: Any, rule: Any,
    needs_speaker: Any,
) -> Quote:
    """``Quote(content, type_, fragments, cue, subject, rule, needs_speaker)``, ``type_``
    being one the model allows and ``fragments`` a tuple. The quotation detectors make one for
    each pair of marks, and a text of dialogue has a pair every few words."""
    return _built(Quote, _QUOTE, (content, type_, fragments, cue, subject, rule, needs_speaker))


def cue(at: Any, lemma: Any) -> Cue:
    """``Cue(at, lemma)``: the reported-speech detectors make one for every cue they read."""
    return _built(Cue, _CUE, (at, lemma))


def resolution(mention: Any, cue: Any, confidence: Any, sieve: Any) -> Resolution:
    """``Resolution(mention, cue, confidence, sieve)``, ``confidence`` being a float in
    ``[0, 1]`` (a sieve's own constant, or one scaled down from it)."""
    return _built(Resolution, _RESOLUTION, (mention, cue, confidence, sieve))


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
    return _built(Span, _SPAN, (start, end, text[start:end]))  # type: ignore[index]


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
            made_cue = _built(Cue, _CUE, (_unpack_span(cue[0], text), cue[1]))
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
    return _built(Result, _RESULT, (doc_id, tuple(out), linked, text))
