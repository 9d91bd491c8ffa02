"""A :class:`~quoteattr.model.Result` as one line of JSON, written without building dicts.

The text is what ``json.dumps(result.to_dict(), ensure_ascii=False)`` gives (the ``jsonl``
and ``json`` formats of :mod:`quoteattr.default.formats` write it), made from templates with
each string escaped by json's own encoder. This module is compiled with the rules
(``setup.py``): writing the output took as long as a tenth of the attributing.
"""

from __future__ import annotations

import math
from json import encoder
from typing import Any, Final

from quoteattr.model import Attribution, Cue, Entity, Result, Span, Speaker
from quoteattr.text import c_function

__all__ = ["result_json"]

#: json's own escaping of a string, with its quotation marks (a C function), kept where compiled
#: code reads it without a look-up by name
_json_str: Final = encoder.encode_basestring


class _NotPlain(Exception):
    """A record holds something other than the model's own classes and plain values."""


# Turning a result into dicts (to_dict) and the dicts into text (json.dumps) took about as
# long as reading the input: a dict and a key to encode for every span, and a news article
# has hundreds of spans. These build the very text that ``json.dumps(result.to_dict(),
# ensure_ascii=False)`` gives, with the keys written once in the templates and each string
# escaped by json's own encoder. They serve only instances of the model's classes themselves
# (a subclass may have its own to_dict) holding plain ints, finite floats and strings (what
# json.dumps writes differently, a bool or NaN, is never seen here); anything else raises
# _NotPlain or, for a string that is not one, TypeError, and the record takes the to_dict
# path. tests/test_formats.py checks that the two paths agree.
#
# The records are read through names typed ``Any``, not through the parameters that a
# ``type(x) is C`` test narrows to the model's class: compiled, a field read as an ``int`` or
# a ``float`` is converted on the way (a bool to 1, an int to 1.0), and here the exact type of
# each value is what decides how it is written.


def _span_fields(record: Any) -> str:
    if type(record) is not Span:
        raise _NotPlain
    span: Any = record  # (not the narrowed Span: see above)
    start, end = span.start, span.end
    if type(start) is not int or type(end) is not int:
        raise _NotPlain
    return f'"start": {start}, "end": {end}, "text": {_json_str(span.text)}'


def _span_json(span: Any) -> str:
    return f"{{{_span_fields(span)}}}"


def _attribution_json(record: Any) -> str:
    if type(record) is not Attribution:
        raise _NotPlain
    a: Any = record  # (not the narrowed Attribution: see above)
    cue, speaker, confidence = a.cue, a.speaker, a.confidence
    if cue is None:
        cue_json = "null"
    elif type(cue) is Cue:
        cue_json = f'{{{_span_fields(cue.span)}, "lemma": {_json_str(cue.lemma)}}}'
    else:
        raise _NotPlain
    if speaker is None:
        speaker_json = "null"
    elif type(speaker) is Speaker:
        entity = speaker.entity
        speaker_json = (
            f'{{"name": {_json_str(speaker.name)}, {_span_fields(speaker.mention)}, '
            f'"entity": {"null" if entity is None else _json_str(entity)}, '
            f'"kind": {_json_str(speaker.kind)}}}'
        )
    else:
        raise _NotPlain
    if type(confidence) is not float or not math.isfinite(confidence):
        raise _NotPlain
    return (
        f'{{{_span_fields(a.content)}, "type": {_json_str(a.type)}, '
        f'"fragments": [{", ".join([_span_json(f) for f in a.fragments])}], "cue": {cue_json}, '
        f'"speaker": {speaker_json}, "confidence": {confidence!r}, '
        f'"sieve": {_json_str(a.sieve)}, "rule": {_json_str(a.rule)}}}'
    )


def _entity_json(record: Any) -> str:
    if type(record) is not Entity:
        raise _NotPlain
    e: Any = record  # (not the narrowed Entity: see above)
    gender = e.gender
    return (
        f'{{"id": {_json_str(e.id)}, "name": {_json_str(e.name)}, "kind": {_json_str(e.kind)}, '
        f'"gender": {"null" if gender is None else _json_str(gender)}, '
        f'"mentions": [{", ".join([_span_json(m) for m in e.mentions])}]}}'
    )


def result_json(result: Any) -> str | None:
    """``json.dumps(result.to_dict(), ensure_ascii=False)``, or ``None`` when ``result`` is
    not a :class:`~quoteattr.model.Result` made of the model's classes and plain values only
    (then that is the way to write it).

    The compiled build writes it in C (``result_json()`` in ``quoteattr/_speedups.c``, into
    one buffer); :func:`_result_json_by_python` is the definition, which the pure build runs
    and a test holds the C to.
    """
    if _C_RESULT_JSON is not None:
        return _C_RESULT_JSON(result, _CLASSES)  # type: ignore[no-any-return]
    return _result_json_by_python(result)


_C_RESULT_JSON: Final = c_function("result_json")
#: the classes the C writer takes as plain, in the order it reads them
_CLASSES: Final = (Result, Attribution, Cue, Speaker, Entity, Span)


def _result_json_by_python(result: Any) -> str | None:
    """:func:`result_json`, written from templates by json's own escaping of each string."""
    if type(result) is not Result:
        return None
    record: Any = result  # (not the narrowed Result: see above)
    try:
        doc_id = record.doc_id
        return (
            f'{{"doc_id": {"null" if doc_id is None else _json_str(doc_id)}, '
            f'"quotes": [{", ".join([_attribution_json(a) for a in record.attributions])}], '
            f'"entities": [{", ".join([_entity_json(e) for e in record.entities])}]}}'
        )
    except (_NotPlain, TypeError):
        return None


