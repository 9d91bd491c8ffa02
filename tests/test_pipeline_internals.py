"""The pipeline's own bookkeeping: when a document's objects are freed, and the fast paths of
its merging and checking, held equal to the plain definitions they replace."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quoteattr import Document, Pipeline, Quote, Span
from quoteattr.errors import ValidationError
from quoteattr.model import Cue, Mention
from quoteattr.testing import plugin

YES = "“Yes,” she said."


def _doc_watcher(freed: list[bool], docs: list[Any]) -> Any:
    def watch(doc: Document) -> list[Quote]:
        # when the document dies, note whether the collector was on
        docs.append(weakref.ref(doc, lambda _: freed.append(gc.isenabled())))
        return []

    return plugin("doc-watcher", quoteattr_detect_quotes=watch)


@pytest.mark.parametrize("item", [YES, {"text": YES, "doc_id": "d"}, ("d", YES)],
                         ids=["text", "mapping", "pair"])
def test_a_document_made_by_attribute_many_is_freed_before_the_collector_is_on(item: Any) -> None:
    """A collection due at the end of a document then finds none of its objects alive."""
    freed: list[bool] = []
    docs: list[Any] = []
    pipeline = Pipeline(plugins=[_doc_watcher(freed, docs)])
    assert gc.isenabled()
    for _record in pipeline.attribute_many([item, item]):
        assert gc.isenabled()  # the caller runs with the collector on
        assert docs[-1]() is None  # the document is gone before its record is handed out
    assert freed == [False, False]


def test_a_failing_document_is_recorded_and_the_caller_runs_with_the_collector_on() -> None:
    def boom(doc: Document) -> list[Quote]:
        raise RuntimeError("boom")

    pipeline = Pipeline(plugins=[plugin("boom", quoteattr_detect_reported_speech=boom)])
    records = []
    for record in pipeline.attribute_many([YES, YES]):
        assert gc.isenabled()
        records.append(record)
    assert [r.plugin for r in records] == ["boom", "boom"]  # type: ignore[union-attr]
    with pytest.raises(Exception, match="boom"):
        list(pipeline.attribute_many([YES], errors="raise"))
    assert gc.isenabled()


# --------------------------------------------------------------------------------------------
# merging reported speech: is there anything but the one quote in it?

_CHARS = st.one_of(
    st.sampled_from("ab_9 ,.“”\"'-\n\t²½٣ⅧΩ·"), st.characters(codec="utf-8")
)


def _outside_chars(content: Span, inner: list[Span]) -> int:
    """How many letters or digits of ``content`` lie outside the ``inner`` spans (counted)."""
    text, base, pos, count = content.text, content.start, content.start, 0
    for span in inner:
        count += sum(ch.isalnum() for ch in text[pos - base : span.start - base])
        pos = span.end
    count += sum(ch.isalnum() for ch in text[pos - base :])
    return count


@given(st.text(_CHARS, max_size=30), st.text(_CHARS, max_size=30), st.text(_CHARS, max_size=30))
def test_nothing_around_is_the_count_of_letters_and_digits_outside_being_zero(
    before: str, inner: str, after: str
) -> None:
    from quoteattr.assembly import _nothing_around

    base = 7
    text = before + inner + after
    content = Span(base, base + len(text), text)
    quote = Span(base + len(before), base + len(before) + len(inner), inner)
    assert _nothing_around(content, quote) is (_outside_chars(content, [quote]) == 0)


# --------------------------------------------------------------------------------------------
# the checks of a collector's quotes: every span of every quote, whichever path checks it

_TEXT = "He said “yes” to them all."


class _OddSpan(Span):
    """A span of a class of a plugin's own (checked the long way)."""


class _Refusing(Span):
    """A span of a plugin's own that says it never matches: its own ``matches`` is asked."""

    def matches(self, text: str) -> bool:
        return False


def _bad_quotes(doc: Document) -> dict[str, Quote]:
    good, cue, subject = doc.span(8, 13), Cue(doc.span(3, 7), "say"), doc.span(0, 2)
    wrong = Span(0, 2, "Hx")
    return {
        "content": Quote(Span(8, 13, "“yeS”")),
        "content-past-the-end": Quote(Span(20, 30, "x" * 10)),
        "cue": Quote(good, cue=Cue(wrong, "say"), subject=subject),
        "subject": Quote(good, cue=cue, subject=wrong),
        "fragment": Quote(doc.span(0, 26), type="mixed", fragments=[good, wrong]),
        "odd-content": Quote(_OddSpan(8, 13, "“yeS”")),
        "odd-subject": Quote(good, subject=_OddSpan(0, 2, "Hx")),
        "refusing-content": Quote(_Refusing(8, 13, good.text)),
        "refusing-cue": Quote(good, cue=Cue(_Refusing(3, 7, "said"), "say")),
        "refusing-subject": Quote(good, subject=_Refusing(0, 2, "He")),
    }


@pytest.mark.parametrize("hook", ["quoteattr_detect_quotes", "quoteattr_detect_reported_speech"])
@pytest.mark.parametrize("part", list(_bad_quotes(Document(_TEXT))))
def test_a_quote_with_any_span_off_the_text_blames_its_plugin(hook: str, part: str) -> None:
    def detect(doc: Document, quotes: Any = ()) -> list[Quote]:
        return [Quote(doc.span(0, 2)), _bad_quotes(doc)[part]]

    pipeline = Pipeline(plugins=[plugin("offset", **{hook: detect})], load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute(_TEXT)
    assert info.value.plugin == "offset" and info.value.hook == hook
    assert "does not match the document text" in str(info.value)


def test_quotes_whose_spans_all_hold_the_text_pass_whichever_their_classes() -> None:
    def detect(doc: Document) -> list[Quote]:
        good = doc.span(8, 13)
        return [
            Quote(good, cue=Cue(doc.span(3, 7), "say"), subject=doc.span(0, 2)),
            Quote(_OddSpan(8, 13, good.text), subject=_OddSpan(0, 2, "He")),
            Quote(doc.span(0, 26), type="mixed", fragments=[good], rule="mixed"),
        ]

    pipeline = Pipeline(plugins=[plugin("fine", quoteattr_detect_quotes=detect)],
                        builtins=False, load_entrypoints=False)
    assert [a.rule for a in pipeline.attribute(_TEXT)] == ["mixed"]


# --------------------------------------------------------------------------------------------
# mentions: the first of each span, in text order, and the speakers' in their place

_MENTION = st.builds(
    lambda start, length, rule: Mention(Span(start, start + length, "x" * length), rule=rule),
    st.integers(0, 12), st.integers(0, 3), st.sampled_from("abc"),
)


def _plain_dedupe(mentions: list[Mention]) -> list[Mention]:
    """The definition: the first mention of each span, sorted by (start, end)."""
    first: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        first.setdefault((m.span.start, m.span.end), m)
    return [first[key] for key in sorted(first)]


@given(st.lists(_MENTION, max_size=25), st.lists(_MENTION, max_size=6))
def test_mentions_with_the_speakers_are_deduplicated_as_one_list(
    found: list[Mention], speakers: list[Mention]
) -> None:
    from quoteattr.assembly import _first_by_span, _with_speakers

    deduped = _dedupe_mentions(found)
    assert _identities(deduped) == _identities(_plain_dedupe(found))
    spans, first = _first_by_span(found)
    merged = _with_speakers(spans, first, speakers)
    assert _identities(merged) == _identities(_plain_dedupe([*speakers, *deduped]))
    assert _identities(list(map(first.__getitem__, spans))) == _identities(deduped)


def _dedupe_mentions(mentions: list[Mention]) -> list[Mention]:
    """The first mention of each span, in text order, as the pipeline deduplicates them."""
    from quoteattr.assembly import _first_by_span

    spans, first = _first_by_span(mentions)
    return list(map(first.__getitem__, spans))


def _identities(mentions: list[Mention]) -> list[int]:
    return [id(m) for m in mentions]


# --------------------------------------------------------------------------------------------
# the result's records, built without the constructors' calls when their checks pass in line

_SPAN = Span(2, 5, "abc")


@pytest.mark.parametrize("type_", ["direct", "mixed", "indirect"])
@pytest.mark.parametrize("fragments", [(), (_SPAN,)])
@pytest.mark.parametrize("with_speaker", [True, False])
def test_an_attribution_built_in_line_is_the_constructors(
    type_: str, fragments: tuple[Span, ...], with_speaker: bool
) -> None:
    import pickle

    from quoteattr.assembly import _attribution, _speaker
    from quoteattr.model import Attribution, Result, Speaker

    speaker = _speaker("Ann Lee", _SPAN, "e1", "person") if with_speaker else None
    if speaker is not None:
        public_speaker = Speaker("Ann Lee", _SPAN, "e1", "person")
        assert type(speaker) is Speaker and speaker == public_speaker
        assert repr(speaker) == repr(public_speaker) and hash(speaker) == hash(public_speaker)
    args = (_SPAN, type_, fragments, Cue(_SPAN, "say"), speaker, 0.75, "sieve", "rule")
    made, public = _attribution(*args), Attribution(*args)
    assert type(made) is Attribution and made == public and repr(made) == repr(public)
    assert hash(made) == hash(public) and made.to_dict() == public.to_dict()
    result = Result("d", [made], [], text="xxabcxx")
    assert pickle.loads(pickle.dumps(result)) == Result("d", [public], [])


def test_an_attribution_or_speaker_that_fails_in_line_is_left_to_the_constructor() -> None:
    from quoteattr.assembly import _attribution, _speaker

    with pytest.raises(ValueError, match="'type' must be in"):
        _attribution(_SPAN, "quoted", (), None, None, 0.2, "none", "")
    with pytest.raises(ValueError, match="'type' must be in"):
        _attribution(_SPAN, _Str("direct2"), (), None, None, 0.2, "none", "")
    for type_ in ("direct", _Str("direct")):
        made = _attribution(_SPAN, type_, [_SPAN], None, None, 0.2, "none", "")  # type: ignore[arg-type]
        assert made.fragments == (_SPAN,) and type(made.fragments) is tuple
    with pytest.raises(ValueError, match="'kind' must be in"):
        _speaker("x", _SPAN, None, "robot")


class _Str(str):
    """A string of a class of its own: the constructor decides."""


def test_a_quote_whose_type_was_forced_past_its_validator_still_fails() -> None:
    def detect(doc: Document) -> list[Quote]:
        quote = Quote(doc.span(0, 5))
        object.__setattr__(quote, "type", "forged")  # past the validator
        return [quote]

    pipeline = Pipeline(plugins=[plugin("forger", quoteattr_detect_quotes=detect)],
                        builtins=False, load_entrypoints=False)
    with pytest.raises(ValueError, match="'type' must be in"):
        pipeline.attribute("Hello there.")


def test_a_plugin_quotation_with_loose_field_values_is_passed_on_as_it_is() -> None:
    # The model checks some fields only; the pipeline passes the others on unchanged, in the
    # compiled build as in the pure one (compiled code reads them as they are, not converted
    # through the model's annotations: a rule that is no string, a flag that is no bool)
    import pickle

    text = "“We will win,” said Ana Ruiz."

    def detect(doc: Document) -> list[Quote]:
        content = doc.span(0, text.index(",") + 2)
        return [Quote(content, "direct", rule=None, needs_speaker=0)]  # type: ignore[arg-type]

    pipeline = Pipeline(plugins=[plugin("loose", quoteattr_detect_quotes=detect)],
                        block=["quotes"])
    result = pipeline.attribute(text)
    (attribution,) = result.attributions
    assert attribution.rule is None and attribution.speaker is not None
    assert attribution.speaker.name == "Ana Ruiz"
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(result)).attributions[0].rule is None
