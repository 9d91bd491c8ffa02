"""The data model: frozen ``attrs`` value classes shared by the core and every plugin.

Offsets are Python ``str`` indices into :attr:`Document.text`, half-open ``[start, end)``, and
every :class:`Span` carries its own text, so ``doc.text[span.start:span.end] == span.text``
holds for every span the pipeline hands out (the pipeline checks each plugin's output).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, SupportsIndex

import attrs

from quoteattr.stash import Stash, StashKey

__all__ = [
    "ATTRIBUTION_TYPES",
    "Attribution",
    "Cue",
    "Document",
    "Entity",
    "Mention",
    "Quote",
    "Resolution",
    "Result",
    "Span",
    "Speaker",
    "Stash",
    "StashKey",
]

QuoteType = Literal["direct", "mixed", "indirect"]
ATTRIBUTION_TYPES: tuple[str, ...] = ("direct", "mixed", "indirect")
MentionKind = Literal["name", "pronoun", "nominal", "group", "organization"]
MENTION_KINDS: tuple[str, ...] = ("name", "pronoun", "nominal", "group", "organization")
EntityKind = Literal["person", "group", "organization", "unknown"]
ENTITY_KINDS: tuple[str, ...] = ("person", "group", "organization", "unknown")
GENDERS: tuple[str | None, ...] = ("male", "female", "neuter", None)


# (per-document storage for plugins, StashKey and Stash, is defined in quoteattr.stash, which is
# compiled with the rules: every index the rules share is read through a document's stash)


# --------------------------------------------------------------------------------------------
# spans


def _check_span(instance: Span, attribute: attrs.Attribute[Any], value: int) -> None:
    if instance.start < 0 or instance.end < instance.start:
        msg = f"invalid span offsets [{instance.start}, {instance.end})"
        raise ValueError(msg)
    if len(instance.text) != instance.end - instance.start:
        msg = (
            f"span [{instance.start}, {instance.end}) has {instance.end - instance.start} "
            f"characters but its text has {len(instance.text)}"
        )
        raise ValueError(msg)


@attrs.frozen(order=True)
class Span:
    """A half-open range ``[start, end)`` of a document's text, with that text."""

    start: int = attrs.field(validator=attrs.validators.instance_of(int))
    end: int = attrs.field(validator=[attrs.validators.instance_of(int), _check_span])
    text: str = attrs.field(validator=attrs.validators.instance_of(str))

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """True when ``other`` lies within this span."""
        return self.start <= other.start and other.end <= self.end

    def matches(self, text: str) -> bool:
        """True when this span is in bounds of ``text`` and its text is what stands there."""
        return self.end <= len(text) and text[self.start : self.end] == self.text

    def to_dict(self) -> dict[str, Any]:
        """``{"start", "end", "text"}``."""
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        """Inverse of :meth:`to_dict`."""
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


def _opt_span(data: Mapping[str, Any] | None) -> Span | None:
    return None if data is None else Span.from_dict(data)


# --------------------------------------------------------------------------------------------
# documents


@attrs.frozen
class Document:
    """One text to attribute.

    ``stash`` holds plugins' private per-document state and the shared lazy indexes
    (paragraphs, sentences, tokens); it takes no part in equality.
    """

    text: str = attrs.field(validator=attrs.validators.instance_of(str))
    doc_id: str | None = None
    stash: Stash = attrs.field(factory=Stash, eq=False, repr=False)

    def span(self, start: int, end: int) -> Span:
        """The :class:`Span` ``[start, end)`` of this document."""
        return _trusted_span(self.text, start, end)


# --------------------------------------------------------------------------------------------
# what plugins produce


@attrs.frozen
class Cue:
    """The words that introduce reported content: "said", "shot back", "according to".

    :ivar lemma: the cue's dictionary form ("say", "shoot back"), as the cue lexicon lists it.
    """

    span: Span
    lemma: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "lemma": self.lemma}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cue:
        return cls(Span.from_dict(data), str(data.get("lemma", "")))


def _kind_validator(kinds: tuple[str, ...]) -> Any:
    return attrs.validators.in_(kinds)


@attrs.frozen
class Mention:
    """A reference to a person, group or organisation: a name, a pronoun or a description.

    :ivar kind: ``name``, ``pronoun``, ``nominal`` (a singular description such as "the envoy"),
        ``group`` ("two commanders", "officials") or ``organization`` ("the Pentagon").
    :ivar gender: ``male``, ``female``, ``neuter`` or ``None`` when unknown.
    :ivar plural: whether the mention refers to more than one individual.
    :ivar head: the head word of a description ("envoy"), lower-cased, or ``""``.
    :ivar rule: which rule found it.
    :ivar role: ``"speaker"`` for a mention that a sieve chose as a speaker, ``"subject"`` for
        the subject of a clause, ``"appositive"`` or ``"title"`` for a description attached to
        the name right before or after it, else ``""``.
    """

    span: Span
    kind: str = attrs.field(default="name", validator=_kind_validator(MENTION_KINDS))
    gender: str | None = attrs.field(default=None, validator=attrs.validators.in_(GENDERS))
    plural: bool = False
    head: str = ""
    rule: str = ""
    role: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.span.to_dict(),
            "kind": self.kind,
            "gender": self.gender,
            "plural": self.plural,
            "head": self.head,
            "rule": self.rule,
            "role": self.role,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mention:
        return cls(
            Span.from_dict(data),
            kind=str(data.get("kind", "name")),
            gender=data.get("gender"),
            plural=bool(data.get("plural", False)),
            head=str(data.get("head", "")),
            rule=str(data.get("rule", "")),
            role=str(data.get("role", "")),
        )


def _fragments_converter(value: Any) -> tuple[Span, ...]:
    return tuple(value)


@attrs.frozen
class Quote:
    """Reported content found by a detector, before anyone has said who said it.

    :ivar content: the reported content; for a direct quote, including its quotation marks.
    :ivar type: ``direct``, ``mixed`` (paraphrase with quoted fragments) or ``indirect``.
    :ivar fragments: the quoted pieces inside a mixed quote, with their marks.
    :ivar cue: the cue, when the detector saw it.
    :ivar subject: the grammatical subject of the cue, when the detector saw it: the sieves
        turn it into the speaker mention.
    :ivar rule: the detector rule that found it.
    :ivar needs_speaker: when true, the quote is dropped if no sieve finds its speaker (short
        quoted phrases are as often scare quotes or titles as speech).
    """

    content: Span
    type: str = attrs.field(default="direct", validator=_kind_validator(ATTRIBUTION_TYPES))
    fragments: tuple[Span, ...] = attrs.field(default=(), converter=_fragments_converter)
    cue: Cue | None = None
    subject: Span | None = None
    rule: str = ""
    needs_speaker: bool = False

    def spans(self) -> Iterator[Span]:
        """Every span this quote holds."""
        yield self.content
        yield from self.fragments
        if self.cue is not None:
            yield self.cue.span
        if self.subject is not None:
            yield self.subject


@attrs.frozen
class Resolution:
    """A speaker-resolution sieve's decision for one quote.

    :ivar mention: the mention the sieve chose as speaker ("he", "The Russian envoy", a name).
        Entity linking later maps it to a canonical entity.
    :ivar cue: the cue, if the sieve found one.
    :ivar confidence: in ``[0, 1]``: how sure the sieve is.
    :ivar sieve: the sieve's name, recorded as the attribution's provenance.
    """

    mention: Mention | None
    cue: Cue | None = None
    confidence: float = attrs.field(default=0.5, converter=float)
    sieve: str = ""

    @confidence.validator
    def _check_confidence(self, attribute: attrs.Attribute[Any], value: float) -> None:
        if not 0.0 <= value <= 1.0:
            msg = f"confidence must be within [0, 1], got {value}"
            raise ValueError(msg)


@attrs.frozen
class Entity:
    """A canonical person, group or organisation, with every mention that refers to it.

    ``name`` is its canonical name; the built-in linker writes it on one line with single
    spaces, whatever white space the text had inside it.
    """

    id: str
    name: str
    kind: str = attrs.field(default="unknown", validator=_kind_validator(ENTITY_KINDS))
    gender: str | None = attrs.field(default=None, validator=attrs.validators.in_(GENDERS))
    mentions: tuple[Span, ...] = attrs.field(default=(), converter=_fragments_converter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "gender": self.gender,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            kind=str(data.get("kind", "unknown")),
            gender=data.get("gender"),
            mentions=tuple(Span.from_dict(m) for m in data.get("mentions", ())),
        )


# --------------------------------------------------------------------------------------------
# what the pipeline returns


@attrs.frozen
class Speaker:
    """Who said it: the canonical entity name, and the mention the deciding rule used."""

    name: str
    mention: Span
    entity: str | None = None
    kind: str = attrs.field(default="unknown", validator=_kind_validator(ENTITY_KINDS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.mention.to_dict(),
            "entity": self.entity,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Speaker:
        return cls(
            name=str(data["name"]),
            mention=Span.from_dict(data),
            entity=data.get("entity"),
            kind=str(data.get("kind", "unknown")),
        )


@attrs.frozen
class Attribution:
    """One speech event: what was reported, its cue, who said it, and how sure we are.

    :ivar content: the reported content, with its marks when it is a direct quote.
    :ivar type: ``direct``, ``mixed`` or ``indirect``.
    :ivar fragments: quoted pieces of a mixed quote.
    :ivar cue: the cue ("said", "according to"), or ``None``.
    :ivar speaker: the resolved speaker, or ``None`` when no rule found one.
    :ivar confidence: in ``[0, 1]``.
    :ivar sieve: the rule that decided the speaker (``"none"`` when none did).
    :ivar rule: the detector rule that found the content.
    """

    content: Span
    type: str = attrs.field(validator=_kind_validator(ATTRIBUTION_TYPES))
    fragments: tuple[Span, ...] = attrs.field(default=(), converter=_fragments_converter)
    cue: Cue | None = None
    speaker: Speaker | None = None
    confidence: float = 0.0
    sieve: str = "none"
    rule: str = ""

    @property
    def start(self) -> int:
        return self.content.start

    @property
    def end(self) -> int:
        return self.content.end

    @property
    def text(self) -> str:
        return self.content.text

    def spans(self) -> Iterator[Span]:
        """Every span this attribution holds."""
        yield self.content
        yield from self.fragments
        if self.cue is not None:
            yield self.cue.span
        if self.speaker is not None:
            yield self.speaker.mention

    def to_dict(self) -> dict[str, Any]:
        """The JSONL ``quotes`` entry described in docs/usage.md."""
        return {
            **self.content.to_dict(),
            "type": self.type,
            "fragments": [f.to_dict() for f in self.fragments],
            "cue": None if self.cue is None else self.cue.to_dict(),
            "speaker": None if self.speaker is None else self.speaker.to_dict(),
            "confidence": self.confidence,
            "sieve": self.sieve,
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attribution:
        cue, speaker = data.get("cue"), data.get("speaker")
        return cls(
            content=Span.from_dict(data),
            type=str(data["type"]),
            fragments=tuple(Span.from_dict(f) for f in data.get("fragments", ())),
            cue=None if cue is None else Cue.from_dict(cue),
            speaker=None if speaker is None else Speaker.from_dict(speaker),
            confidence=float(data.get("confidence", 0.0)),
            sieve=str(data.get("sieve", "none")),
            rule=str(data.get("rule", "")),
        )


def _attributions(value: Iterable[Attribution]) -> tuple[Attribution, ...]:
    return tuple(value)


def _entities(value: Iterable[Entity]) -> tuple[Entity, ...]:
    return tuple(value)


@attrs.frozen
class Result:
    """Everything quoteattr found in one document."""

    doc_id: str | None
    attributions: tuple[Attribution, ...] = attrs.field(default=(), converter=_attributions)
    entities: tuple[Entity, ...] = attrs.field(default=(), converter=_entities)
    #: the document's text, for formats that show it (html); not part of equality or to_dict
    text: str | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    def __iter__(self) -> Iterator[Attribution]:
        return iter(self.attributions)

    def __len__(self) -> int:
        return len(self.attributions)

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or ``None``."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def at_least(self, confidence: float) -> Result:
        """This result without the attributions whose confidence is below ``confidence``
        (``quoteattr --min-confidence``), and then without the entities that no attribution
        left names as its speaker. When no attribution is dropped it is returned as it is.

        >>> result = Result("d", (Attribution(Span(0, 2, "“”"), "direct", confidence=0.4),))
        >>> len(result.at_least(0.5)), result.at_least(0.4) is result
        (0, True)
        """
        kept = tuple(a for a in self.attributions if a.confidence >= confidence)
        if len(kept) == len(self.attributions):
            return self
        used = {a.speaker.entity for a in kept if a.speaker is not None}
        entities = tuple(e for e in self.entities if e.id in used)
        return attrs.evolve(self, attributions=kept, entities=entities)

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # Results travel from worker processes to the parent (attribute_many(jobs=N)); pickled
        # field by field they are a tree of small objects, and unpickling them is much of the
        # parent's work. Packed, an attribution or entity is one tuple and a span holding the
        # document's text at its offsets is two numbers: see trusted.pack_result(). A subclass is
        # pickled the usual way, so that it comes back as itself.
        if type(self) is not Result:
            return super().__reduce_ex__(protocol)
        from quoteattr.trusted import pack_result, unpack_result

        return unpack_result, pack_result(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"doc_id", "quotes": [...], "entities": [...]}``."""
        return {
            "doc_id": self.doc_id,
            "quotes": [a.to_dict() for a in self.attributions],
            "entities": [e.to_dict() for e in self.entities],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        """Inverse of :meth:`to_dict`."""
        doc_id = data.get("doc_id")
        return cls(
            doc_id=None if doc_id is None else str(doc_id),
            attributions=tuple(Attribution.from_dict(q) for q in data.get("quotes", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
        )


# at the end: quoteattr.trusted builds spans from the classes above (checked there, and set
# without the validators: the hot path of plugins)
from quoteattr.trusted import span as _trusted_span  # noqa: E402
