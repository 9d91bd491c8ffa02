"""The seed article, attributed end to end: the project's first acceptance case.

These checks use the copy in seeds/, so they hold on a clone without ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import quoteattr
from quoteattr.evaluate import same_speaker, score

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    text = (SEEDS / "kabulov.txt").read_text(encoding="utf-8")
    gold = json.loads((SEEDS / "kabulov.gold.json").read_text(encoding="utf-8"))
    return text, gold


@pytest.fixture(scope="module")
def result(seed: tuple[str, dict[str, Any]]) -> quoteattr.Result:
    text, _ = seed
    return quoteattr.Pipeline(load_entrypoints=False).attribute(text, doc_id="kabulov")


def predictions(result: quoteattr.Result) -> dict[str, list[dict[str, Any]]]:
    return {"kabulov": [a.to_dict() for a in result]}


def test_every_required_attribution_found_with_its_speaker(seed, result) -> None:
    _, gold = seed
    scores = score([gold], predictions(result), 0.3, tiers=["required"])
    assert scores.gold == 11
    assert scores.end_to_end == 1.0, [a.text[:40] for a in result]


def test_all_fifteen_score_f1_at_least_090(seed, result) -> None:
    _, gold = seed
    scores = score([gold], predictions(result), 0.3)
    assert scores.gold == 15
    assert scores.f1 >= 0.90


@pytest.mark.parametrize("name", ["Vladimir Putin", "Zalmay Khalilzad", "Biden"])
def test_trap_names_never_speak(result, name: str) -> None:
    speakers = [a.speaker.name for a in result if a.speaker is not None]
    assert speakers
    assert not any(same_speaker(s, name) for s in speakers), speakers


def test_apostrophes_create_nothing(seed, result) -> None:
    text, _ = seed
    for word in ("Putin’s", "you're"):
        at = text.index(word)
        apostrophe = at + max(word.find("’"), word.find("'"))
        for a in result:
            for span in (a.content, *a.fragments):
                assert apostrophe not in (span.start, span.end - 1), (word, span.text)
    # the comment footer holds "you're" and nothing said: no attribution reaches it
    footer = text.index("COMMENTS")
    assert all(a.end <= footer for a in result)


def test_seed_speakers_resolve_to_canonical_names(seed, result) -> None:
    text, _ = seed
    by_mention = {a.speaker.mention.text: a.speaker.name for a in result if a.speaker}
    # a pronoun, a description and a surname all resolve to the full name
    assert by_mention["he"] == by_mention["The Russian envoy"] == by_mention["Kabulov"]
    assert len(by_mention["Kabulov"].split()) == 2
    # the title before a name is not part of it
    titled = [a for a in result if a.speaker and "coordinator" in
              text[a.speaker.mention.start - 30 : a.speaker.mention.start]]
    assert titled and all("coordinator" not in a.speaker.name for a in titled)


def test_every_span_matches_the_text(seed, result) -> None:
    text, _ = seed
    for a in result:
        for span in a.spans():
            assert text[span.start : span.end] == span.text
