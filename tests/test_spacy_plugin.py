"""The spaCy component of plugins/quoteattr-spacy, on a blank English pipeline (no model).

Skipped when spaCy or quoteattr-spacy is not installed, except in CI (``CI`` set), where
.ci/run installs both and the tests must run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import quoteattr

SEED = Path(__file__).resolve().parent.parent / "seeds" / "kabulov.txt"

try:
    import quoteattr_spacy
    import spacy
except ImportError as exc:  # pragma: no cover - depends on the environment
    if os.environ.get("CI"):
        raise
    pytest.skip(
        f"spaCy or quoteattr-spacy is not installed ({exc}): "
        "pip install ./plugins/quoteattr-spacy",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def nlp() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("quoteattr", config={"entry_points": False})
    return nlp


def covers(span: Any, start: int, end: int) -> bool:
    """Whether the token span is the smallest run of tokens covering ``[start, end)``."""
    if span.start_char > start or span.end_char < end:
        return False
    first, last = span[0], span[-1]
    return bool(first.idx + len(first) > start and last.idx < end)


def test_component_on_the_seed(nlp: Any) -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = quoteattr.Pipeline(load_entrypoints=False).attribute(text)
    doc = nlp(text)
    assert doc._.quoteattr == expected
    found = doc._.attributions
    assert len(found) == len(expected) > 0
    for got, a in zip(found, expected, strict=True):
        assert isinstance(got, quoteattr_spacy.SpacyAttribution)
        assert got.attribution == a
        assert got.type == a.type and got.confidence == a.confidence and got.sieve == a.sieve
        assert covers(got.content, a.start, a.end)
        assert got.content.doc is doc
        assert len(got.fragments) == len(a.fragments)
        for span, frag in zip(got.fragments, a.fragments, strict=True):
            assert covers(span, frag.start, frag.end)
        assert a.cue is not None and got.cue is not None
        assert covers(got.cue, a.cue.span.start, a.cue.span.end)
        assert got.cue.text == a.cue.span.text
        assert a.speaker is not None and got.speaker is not None
        assert got.speaker_name == a.speaker.name
        assert got.speaker.text == a.speaker.mention.text
    assert found[0].speaker_name == "Zamir Kabulov"


def test_expand_alignment() -> None:
    """A quoteattr span that ends inside a token becomes the whole token."""
    nlp = spacy.blank("en")
    nlp.add_pipe("quoteattr", config={"entry_points": False})
    doc = nlp("“We will win the vote,” said Ana Lopez, the mayor.")
    (a,) = doc._.attributions
    assert a.speaker_name == "Ana Lopez"
    assert a.cue is not None and a.cue.text == "said"
    assert a.content.start_char == 0
    assert a.content.end_char >= a.attribution.end


def test_block_and_empty_doc() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("quoteattr", config={"entry_points": False, "block": ["quotes"]})
    doc = nlp("“We will win the vote,” said Ana Lopez, the mayor.")
    assert all(a.type != "direct" for a in doc._.attributions)
    assert nlp("")._.attributions == []


def test_component_survives_pipe(nlp: Any) -> None:
    texts = ["“Yes,” said Ana Lopez.", "No quotes here.", "“No,” Bo Li said."]
    docs = list(nlp.pipe(texts))
    assert [len(d._.attributions) for d in docs] == [
        len(quoteattr.Pipeline(load_entrypoints=False).attribute(t)) for t in texts
    ]
