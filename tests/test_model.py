"""The data model: span validation, documents, the stash, validators and dict round trips."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

from quoteattr import (
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
    Stash,
    StashKey,
)
from quoteattr.model import ATTRIBUTION_TYPES

TEXT = "“We will win,” said Ana Lopez, the mayor, calling the plan “a disgrace.”"


def _span(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), needle)


# --------------------------------------------------------------------------------------------
# Span


def test_span_holds_its_text() -> None:
    span = _span("Ana Lopez")
    assert TEXT[span.start : span.end] == span.text
    assert len(span) == len("Ana Lopez")
    assert span.matches(TEXT)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (-1, 2, "abc"),  # negative start
        (5, 3, ""),  # end before start
        (0, 3, "ab"),  # text shorter than the range
        (0, 1, "ab"),  # text longer than the range
        (2, 2, "x"),  # empty range, non-empty text
    ],
)
def test_span_rejects_bad_offsets(start: int, end: int, text: str) -> None:
    with pytest.raises(ValueError, match=r"span|offsets"):
        Span(start, end, text)


@pytest.mark.parametrize(("start", "end"), [(0.0, 1), (0, "1"), (None, 1)])
def test_span_offsets_must_be_ints(start: Any, end: Any) -> None:
    with pytest.raises(TypeError):
        Span(start, end, "a")


def test_span_text_must_be_str() -> None:
    with pytest.raises(TypeError):
        Span(0, 1, b"a")  # type: ignore[arg-type]


def test_empty_span_is_allowed() -> None:
    assert len(Span(3, 3, "")) == 0


def test_span_matches_detects_wrong_text_and_out_of_bounds() -> None:
    assert not Span(0, 3, "abc").matches("xbc")
    assert not Span(8, 11, "abc").matches("abc")
    assert Span(1, 3, "bc").matches("abc")


def test_span_overlaps_and_contains_are_half_open() -> None:
    a, b, c = Span(0, 3, "abc"), Span(3, 5, "de"), Span(2, 4, "cd")
    assert not a.overlaps(b) and not b.overlaps(a)  # touching is not overlapping
    assert a.overlaps(c) and c.overlaps(b)
    assert Span(0, 5, "abcde").contains(c)
    assert not c.contains(a)
    assert a.contains(Span(3, 3, ""))


def test_spans_order_by_offsets() -> None:
    spans = [Span(4, 5, "e"), Span(0, 2, "ab"), Span(0, 1, "a")]
    assert [(s.start, s.end) for s in sorted(spans)] == [(0, 1), (0, 2), (4, 5)]


def test_span_is_frozen() -> None:
    span = Span(0, 1, "a")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        span.start = 3  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Document


def test_document_span_slices_the_text() -> None:
    doc = Document(TEXT, "d1")
    start = TEXT.index("Ana")
    assert doc.span(start, start + 9) == Span(start, start + 9, "Ana Lopez")
    assert doc.span(0, 0).text == ""
    assert doc.span(0, len(TEXT)).text == TEXT


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, len(TEXT) + 1)])
def test_document_span_rejects_out_of_bounds(start: int, end: int) -> None:
    doc = Document(TEXT)
    with pytest.raises(ValueError, match="out of bounds"):
        doc.span(start, end)


def test_document_equality_ignores_the_stash() -> None:
    a, b = Document("x", "1"), Document("x", "1")
    a.stash[StashKey[int]("n")] = 1
    assert a == b
    assert Document("x", "1") != Document("x", "2")


def test_document_text_must_be_str() -> None:
    with pytest.raises(TypeError):
        Document(None)  # type: ignore[arg-type]


def test_each_document_gets_its_own_stash() -> None:
    key: StashKey[int] = StashKey("n")
    a, b = Document("x"), Document("x")
    a.stash[key] = 1
    assert key not in b.stash


# --------------------------------------------------------------------------------------------
# Stash


def test_stash_set_get_contains_len() -> None:
    stash = Stash()
    count: StashKey[int] = StashKey("count")
    names: StashKey[list[str]] = StashKey("names")
    assert len(stash) == 0 and count not in stash
    stash[count] = 3
    stash[names] = ["a"]
    assert stash[count] == 3
    assert stash[names] == ["a"]
    assert count in stash and len(stash) == 2


def test_stash_keys_are_identities_not_strings() -> None:
    stash = Stash()
    first: StashKey[int] = StashKey("same")
    second: StashKey[int] = StashKey("same")
    stash[first] = 1
    assert second not in stash
    assert "same" not in stash
    with pytest.raises(KeyError):
        stash[second]


def test_stash_get_returns_default() -> None:
    stash = Stash()
    key: StashKey[int] = StashKey("k")
    assert stash.get(key) is None
    assert stash.get(key, 7) == 7
    stash[key] = 0
    assert stash.get(key, 7) == 0


def test_stash_setdefault_computes_once() -> None:
    stash = Stash()
    key: StashKey[list[int]] = StashKey("lazy")
    calls: list[int] = []

    def factory() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert stash.setdefault(key, factory) == [1]
    assert stash.setdefault(key, factory) == [1]
    assert calls == [1]


def test_stash_key_repr_names_it() -> None:
    assert "sentences" in repr(StashKey("sentences"))


# --------------------------------------------------------------------------------------------
# validators


@pytest.mark.parametrize("confidence", [-0.01, 1.01, 2, float("inf")])
def test_resolution_rejects_confidence_outside_unit_interval(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence"):
        Resolution(None, confidence=confidence)


@pytest.mark.parametrize("confidence", [0, 0.0, 0.5, 1, 1.0, "0.25"])
def test_resolution_accepts_and_converts_confidence(confidence: Any) -> None:
    resolution = Resolution(None, confidence=confidence)
    assert isinstance(resolution.confidence, float)
    assert 0.0 <= resolution.confidence <= 1.0


def test_resolution_rejects_nan_confidence() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Resolution(None, confidence=float("nan"))


@pytest.mark.parametrize("quote_type", ATTRIBUTION_TYPES)
def test_quote_accepts_every_type(quote_type: str) -> None:
    assert Quote(_span("“We will win,”"), type=quote_type).type == quote_type


@pytest.mark.parametrize("quote_type", ["Direct", "reported", "", "scare"])
def test_quote_and_attribution_reject_unknown_types(quote_type: str) -> None:
    with pytest.raises(ValueError):
        Quote(_span("“We will win,”"), type=quote_type)
    with pytest.raises(ValueError):
        Attribution(_span("“We will win,”"), quote_type)


def test_quote_fragments_become_a_tuple() -> None:
    fragment = _span("“a disgrace.”")
    quote = Quote(_span("calling the plan “a disgrace.”"), "mixed", fragments=[fragment])
    assert quote.fragments == (fragment,)


def test_quote_spans_lists_every_span() -> None:
    content, cue, subject = _span("“We will win,”"), _span("said"), _span("Ana Lopez")
    quote = Quote(content, cue=Cue(cue, "say"), subject=subject)
    assert list(quote.spans()) == [content, cue, subject]
    assert list(Quote(content).spans()) == [content]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"kind": "person"}, "kind"), ({"gender": "m"}, "gender")],
)
def test_mention_validates_kind_and_gender(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Mention(_span("Ana Lopez"), **kwargs)


def test_entity_and_speaker_validate_kind() -> None:
    with pytest.raises(ValueError):
        Entity("e1", "Ana Lopez", kind="name")
    with pytest.raises(ValueError):
        Speaker("Ana Lopez", _span("Ana Lopez"), kind="pronoun")


def test_attribution_properties_and_spans() -> None:
    content, fragment = _span("calling the plan “a disgrace.”"), _span("“a disgrace.”")
    cue, mention = Cue(_span("said"), "say"), _span("Ana Lopez")
    attribution = Attribution(
        content, "mixed", [fragment], cue, Speaker("Ana Lopez", mention, "e1", "person"),
        0.9, "sieve-frame", "mixed-quote",
    )
    assert (attribution.start, attribution.end, attribution.text) == (
        content.start, content.end, content.text,
    )
    assert list(attribution.spans()) == [content, fragment, cue.span, mention]
    assert all(span.matches(TEXT) for span in attribution.spans())


def test_result_iterates_and_finds_entities() -> None:
    entity = Entity("e1", "Ana Lopez", "person", "female", [_span("Ana Lopez")])
    attribution = Attribution(_span("“We will win,”"), "direct")
    result = Result("d", [attribution], [entity])
    assert list(result) == [attribution] and len(result) == 1
    assert result.entity("e1") is entity
    assert result.entity("e2") is None


# --------------------------------------------------------------------------------------------
# to_dict / from_dict round trips


def _round_trip(obj: Any) -> Any:
    data = obj.to_dict()
    # what goes through JSON must come back equal, too
    again = json.loads(json.dumps(data, ensure_ascii=False))
    assert again == data
    return type(obj).from_dict(again)


SPANS = [Span(0, 0, ""), _span("Ana Lopez"), _span("“We will win,”")]


@pytest.mark.parametrize("span", SPANS, ids=repr)
def test_span_round_trip(span: Span) -> None:
    assert span.to_dict() == {"start": span.start, "end": span.end, "text": span.text}
    assert _round_trip(span) == span


@pytest.mark.parametrize("cue", [Cue(_span("said"), "say"), Cue(_span("said"))], ids=repr)
def test_cue_round_trip(cue: Cue) -> None:
    assert _round_trip(cue) == cue


MENTIONS = [
    Mention(_span("Ana Lopez")),
    Mention(_span("the mayor"), "nominal", "female", False, "mayor", "appositive"),
    Mention(_span("We"), "pronoun", None, True, "", "pronoun"),
]


@pytest.mark.parametrize("mention", MENTIONS, ids=repr)
def test_mention_round_trip(mention: Mention) -> None:
    assert _round_trip(mention) == mention


ENTITIES = [
    Entity("e1", "Ana Lopez"),
    Entity("e1", "Ana Lopez", "person", "female", [_span("Ana Lopez"), _span("the mayor")]),
    Entity("g1", "officials", "group"),
]


@pytest.mark.parametrize("entity", ENTITIES, ids=repr)
def test_entity_round_trip(entity: Entity) -> None:
    assert _round_trip(entity) == entity


SPEAKERS = [
    Speaker("Ana Lopez", _span("Ana Lopez")),
    Speaker("Ana Lopez", _span("the mayor"), "e1", "person"),
]


@pytest.mark.parametrize("speaker", SPEAKERS, ids=repr)
def test_speaker_round_trip(speaker: Speaker) -> None:
    data = speaker.to_dict()
    assert data["name"] == speaker.name and data["start"] == speaker.mention.start
    assert _round_trip(speaker) == speaker


ATTRIBUTIONS = [
    # direct quote with cue and a linked speaker
    Attribution(
        _span("“We will win,”"), "direct", (), Cue(_span("said"), "say"),
        Speaker("Ana Lopez", _span("Ana Lopez"), "e1", "person"), 0.95, "sieve-adjacent-cue",
        "curly",
    ),
    # mixed quote with a fragment, no cue, unlinked speaker
    Attribution(
        _span("calling the plan “a disgrace.”"), "mixed", [_span("“a disgrace.”")], None,
        Speaker("the mayor", _span("the mayor")), 0.5, "sieve-frame", "reported",
    ),
    # no speaker at all: the defaults
    Attribution(_span("“a disgrace.”"), "indirect"),
]


@pytest.mark.parametrize("attribution", ATTRIBUTIONS, ids=lambda a: a.type)
def test_attribution_round_trip(attribution: Attribution) -> None:
    assert _round_trip(attribution) == attribution


def test_attribution_to_dict_schema() -> None:
    data = ATTRIBUTIONS[0].to_dict()
    assert set(data) == {
        "start", "end", "text", "type", "fragments", "cue", "speaker", "confidence", "sieve",
        "rule",
    }
    assert data["cue"] == {"start": 15, "end": 19, "text": "said", "lemma": "say"}
    assert data["speaker"]["entity"] == "e1"
    none = ATTRIBUTIONS[2].to_dict()
    assert none["cue"] is None and none["speaker"] is None
    assert none["fragments"] == [] and none["sieve"] == "none"


def test_attribution_from_dict_fills_defaults() -> None:
    data = {"start": 0, "end": 14, "text": "“We will win,”", "type": "direct"}
    attribution = Attribution.from_dict(data)
    assert attribution == Attribution(_span("“We will win,”"), "direct")


@pytest.mark.parametrize(
    "result",
    [
        Result(None),
        Result("doc-1", ATTRIBUTIONS, ENTITIES[1:]),
    ],
    ids=["empty", "full"],
)
def test_result_round_trip(result: Result) -> None:
    data = result.to_dict()
    assert set(data) == {"doc_id", "quotes", "entities"}
    assert len(data["quotes"]) == len(result.attributions)
    assert _round_trip(result) == result


def test_from_dict_rejects_inconsistent_spans() -> None:
    with pytest.raises(ValueError):
        Span.from_dict({"start": 0, "end": 3, "text": "ab"})
    with pytest.raises(ValueError):
        Attribution.from_dict({"start": 0, "end": 1, "text": "a", "type": "quoted"})


# --------------------------------------------------------------------------------------------
# pickling (how results travel back from worker processes)


def _same_result(a: Result, b: Result) -> None:
    assert a == b and a.text == b.text and repr(a) == repr(b)
    assert a.to_dict() == b.to_dict()
    for x, y in zip(a.attributions, b.attributions, strict=True):
        assert type(x) is type(y)
        assert [type(s) for s in x.spans()] == [type(s) for s in y.spans()]


class _NotedAttribution(Attribution):  # a plugin's own subclass: pickled as it is
    pass


@pytest.mark.parametrize(
    "result",
    [
        Result(None),
        Result("doc-1", ATTRIBUTIONS, ENTITIES, text=TEXT),
        Result("doc-1", ATTRIBUTIONS, ENTITIES),  # no text: spans keep theirs
        # a span whose text is not the document's there is kept whole
        Result("d", [Attribution(Span(0, 3, "abc"), "direct")], text=TEXT),
        Result("d", [_NotedAttribution(_span("“We will win,”"), "direct"), *ATTRIBUTIONS],
               text=TEXT),
    ],
    ids=["empty", "with-text", "without-text", "foreign-span", "subclass"],
)
def test_result_pickles_to_an_equal_result(result: Result) -> None:
    import pickle

    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        _same_result(pickle.loads(pickle.dumps(result, protocol)), result)


class _NotedResult(Result):  # a plugin's own subclass of Result
    pass


def test_a_result_subclass_pickles_and_copies_as_itself() -> None:
    import copy
    import pickle

    result = _NotedResult("d", ATTRIBUTIONS, ENTITIES, text=TEXT)
    for again in (pickle.loads(pickle.dumps(result)), copy.copy(result), copy.deepcopy(result)):
        assert type(again) is _NotedResult
        _same_result(again, result)


def test_items_that_are_not_model_objects_pickle_as_they_are() -> None:
    import pickle

    odd: Any = ("not", "an", "attribution", "but", "eight", "fields", "long", "!")
    result = Result("d", [odd, *ATTRIBUTIONS], [("E9", "x", "person", None, ()), *ENTITIES],
                    text=TEXT)
    again = pickle.loads(pickle.dumps(result))
    assert again.attributions[0] == odd and again.entities[0] == ("E9", "x", "person", None, ())
    assert again == result and again.text == result.text


def test_pipeline_results_pickle_to_equal_results() -> None:
    import pickle

    import quoteattr

    text = (TEXT + "\n\n") * 3 + "He added: “It is a fine day.” The mayor, she said, agreed."
    result = quoteattr.attribute(text)
    assert result.attributions and result.entities and result.text == text
    again = pickle.loads(pickle.dumps(result))
    _same_result(again, result)
    # packed, a span holding the document's text at its offsets is its two offsets
    assert len(pickle.dumps(result)) < len(pickle.dumps(result.to_dict()))


def test_at_least_drops_attributions_below_the_confidence_and_their_speakers() -> None:
    text = "“A,” Ann said. “B,” Bo said. “C,” he said."
    ann = Speaker("Ann", Span(5, 8, "Ann"), entity="e1", kind="person")
    bo = Speaker("Bo", Span(20, 22, "Bo"), entity="e2", kind="person")
    assert text[5:8] == "Ann" and text[20:22] == "Bo"
    result = Result(
        "d",
        (
            Attribution(Span(0, 4, text[0:4]), "direct", speaker=ann, confidence=0.9),
            Attribution(Span(15, 19, text[15:19]), "direct", speaker=bo, confidence=0.5),
            Attribution(Span(29, 33, text[29:33]), "direct", confidence=0.7),
        ),
        (Entity("e1", "Ann", "person"), Entity("e2", "Bo", "person"),
         Entity("e3", "Cy", "person")),
    )
    kept = result.at_least(0.7)
    assert [a.confidence for a in kept] == [0.9, 0.7]
    assert [e.id for e in kept.entities] == ["e1"]  # no attribution left names e2 or e3
    assert kept.doc_id == "d"
    assert result.at_least(0.5) is result
    assert len(result.at_least(0.95)) == 0 and result.at_least(0.95).entities == ()
