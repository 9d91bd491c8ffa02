"""Records built without running their validators, for the hot paths of the built-in rules.

Each function makes a frozen :mod:`quoteattr.model` record by setting its slots directly,
skipping the frozen ``__setattr__`` and the ``attrs`` validators, for values its caller knows
to be valid (a kind from the model's list, offsets inside the text). The record is equal to,
and indistinguishable from, the validated construction. This module is compiled with mypyc
along with the rules (``setup.py``), so that a call from a compiled rule is a call in C: the
rules make a few hundred thousand spans and mentions in ten megabytes of news.
"""

from __future__ import annotations

from typing import Any

from quoteattr.model import Document, Entity, Mention, Span

__all__ = ["entity", "mention", "span", "span_of"]

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
    at: Span, kind: str, gender: str | None, plural: bool, head: str, rule: str, role: str
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


def entity(
    id: str, name: str, kind: str, gender: str | None, mentions: tuple[Span, ...]
) -> Entity:
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
