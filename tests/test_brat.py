"""brat standoff: gold -> brat -> gold keeps what the evaluator uses; hand-written .ann is read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quoteattr import brat
from quoteattr.errors import InputError
from quoteattr.evaluate import load_gold, score

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: the fields of a gold quote that scoring reads
SCORED = ("start", "end", "type", "tier", "speaker", "speaker_start", "speaker_end")


def scored(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: q.get(k) for k in SCORED} for q in doc["quotes"]]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    return load_gold(str(SEEDS / "kabulov.gold.json"))[0]


def test_the_seed_gold_round_trips(seed: dict[str, Any], tmp_path: Path) -> None:
    paths = brat.write_brat([seed], tmp_path)
    assert [p.name for p in paths] == ["kabulov.ann"]
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == brat.ANNOTATION_CONF
    assert (tmp_path / "kabulov.txt").read_bytes() == (SEEDS / "kabulov.txt").read_bytes()
    (back,) = brat.read_brat(tmp_path)
    assert back["doc_id"] == "kabulov"
    assert back["text"] == seed["text"]
    assert scored(back) == scored(seed)  # same quotes, same order
    for before, after in zip(seed["quotes"], back["quotes"], strict=True):
        assert after["text"] == before["text"]
        assert after["speaker_mention"] == before["speaker_mention"]
        assert after["cue"] == before["cue"]  # a cue without offsets travels as a note
        assert after.get("note") == before.get("note")
    # and it scores the same against any prediction
    preds = {"kabulov": [{"start": q["start"] + 3, "end": q["end"], "speaker": q["speaker"]}
                         for q in seed["quotes"][::2]]}
    for threshold in (0.3, 0.8):
        assert score([back], preds, threshold) == score([seed], preds, threshold)
    # the single .ann path reads the same document
    assert brat.read_brat(tmp_path / "kabulov.ann") == [back]


def test_the_seed_ann_uses_the_documented_mapping(seed: dict[str, Any]) -> None:
    ann = brat.to_ann(seed)
    lines = ann.splitlines()
    kinds = {line.split("\t")[1].split()[0] for line in lines}
    assert kinds == {"Quote", "Speaker", "Type", "Tier", "Attribution", "AnnotatorNotes"}
    quotes = [line for line in lines if line.split("\t")[1].startswith("Quote ")]
    assert len(quotes) == len(seed["quotes"])
    first = seed["quotes"][0]
    assert quotes[0] == f"T1\tQuote {first['start']} {first['end']}\t{first['text']}"
    # one Speaker annotation per mention and name, shared by the quotes that use it
    speakers = [line for line in lines if line.split("\t")[1].startswith("Speaker ")]
    mentions = {(q["speaker_start"], q["speaker_end"], q["speaker"]) for q in seed["quotes"]}
    assert len(speakers) == len(mentions)


TEXT = "Line one.\r\nThe mayor said that the bridge, she added, would reopen in May.\r\n"


def test_discontinuous_quotes_speakers_and_cues(tmp_path: Path) -> None:
    a, b = TEXT.index("that the bridge"), TEXT.index(", she added")
    c, d = TEXT.index("would reopen"), TEXT.index(".\r\n", TEXT.index("May"))
    mayor = TEXT.index("The mayor")
    said = TEXT.index("said")
    doc = {
        "doc_id": "bridge",
        "text": TEXT,
        "quotes": [
            {"start": a, "end": d, "parts": [[a, b], [c, d]], "type": "indirect",
             "speaker": "Mayor Jane Doe", "speaker_start": mayor, "speaker_end": mayor + 9,
             "cue": "said", "cue_span": [[said, said + 4]], "tier": "stretch"},
            # PolNeAR's convention: start is the first part's start, even when it comes later
            {"start": c, "end": b, "parts": [[c, d], [a, b]], "type": "indirect",
             "speaker": "", "speaker_start": None, "speaker_end": None},
            {"start": a, "end": b, "type": "indirect", "speaker": "Jane Doe"},
        ],
    }
    brat.write_document(doc, tmp_path)
    ann = (tmp_path / "bridge.ann").read_text(encoding="utf-8")
    assert f"Quote {a} {b};{c} {d}\t" in ann
    assert f"Quote {c} {d};{a} {b}\t" in ann
    assert "speaker: Jane Doe" in ann  # no mention: the name is a note on the quote
    (back,) = brat.read_brat(tmp_path)
    assert back["text"] == TEXT  # \r\n kept
    one, two, three = back["quotes"]
    assert (one["start"], one["end"], one["parts"]) == (a, d, [[a, b], [c, d]])
    assert one["speaker"] == "Mayor Jane Doe" and one["speaker_mention"] == "The mayor"
    assert (one["cue"], one["cue_span"], one["tier"]) == ("said", [[said, said + 4]], "stretch")
    assert (two["start"], two["end"]) == (c, b)
    assert two["speaker"] is None and two["speaker_start"] is None
    assert three["speaker"] == "Jane Doe" and three["speaker_start"] is None
    assert "parts" not in three


def test_predictions_can_be_written(tmp_path: Path) -> None:
    text = "“Go,” she said."
    record = {
        "doc_id": "p1",
        "text": text,
        "quotes": [{
            "start": 0, "end": 5, "text": "“Go,”", "type": "direct", "fragments": [],
            "cue": {"start": 10, "end": 14, "text": "said", "lemma": "say"},
            "speaker": {"name": "Ana Lopez", "start": 6, "end": 9, "text": "she",
                        "entity": "E1", "kind": "person"},
            "confidence": 0.92, "sieve": "adjacent-cue", "rule": "quote-marks",
        }],
    }
    ann = brat.to_ann(record)
    assert "T2\tSpeaker 6 9\tshe" in ann
    assert "AnnotatorNotes T2\tAna Lopez" in ann
    assert "T3\tCue 10 14\tsaid" in ann and "HasCue Arg1:T1 Arg2:T3" in ann
    (q,) = brat.from_ann(ann, text, "p1")["quotes"]
    assert (q["speaker"], q["speaker_mention"], q["cue"]) == ("Ana Lopez", "she", "said")
    assert (q["confidence"], q["sieve"], q["rule"]) == (0.92, "adjacent-cue", "quote-marks")


HAND_WRITTEN = """\
T1\tQuote 0 5\t“Go,”
T2\tPerson 6 9\tshe
T3\tSpeaker 6 9\tshe
T4\tSpeaker 10 14\tsaid
E1\tSpeech:T4
N1\tReference T3 Wikidata:Q1\tsomeone
A1\tType T1 direct
A2\tUncertain T1
R2\tAttribution Arg1:T1 Arg2:T4
R1\tAttribution Arg1:T1 Arg2:T3
#1\tAnnotatorNotes T1\tchecked twice
"""


def test_hand_written_ann() -> None:
    doc = brat.from_ann(HAND_WRITTEN, "“Go,” she said.", "hand")
    (q,) = doc["quotes"]
    assert q["type"] == "direct"
    assert q["speaker"] == "she"  # no note on the Speaker: its mention names it
    assert (q["speaker_start"], q["speaker_end"]) == (6, 9)  # the lowest R number wins
    assert q["note"] == "checked twice"


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tQuote 0 99\tx\n", r"hand\.ann:1: offsets 0 99 are outside the text"),
        ("T1\tQuote zero 5\tx\n", r"hand\.ann:1: bad offsets"),
        ("T1\tQuote\tx\n", r"hand\.ann:1: a T line needs"),
        ("T1\tQuote 0 5\tx\nR1\tAttribution Arg1:T1\n", r"hand\.ann:2: an R line needs"),
        ("T1\tQuote 0 5\tx\nR1\tAttribution Arg1:T1 Arg2:T9\n", "refers to T9"),
        ("T1\tQuote 0 5\tx\nT1\tQuote 0 5\tx\n", r"hand\.ann:2: T1 is defined twice"),
        ("hello\n", r"hand\.ann:1: not a brat annotation line"),
    ],
)
def test_malformed_ann_names_the_line(ann: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        brat.from_ann(ann, "“Go,” she said.", "hand", path="hand.ann")


def test_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "b.ann").write_text("T1\tQuote 0 2\tab\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("ab c", encoding="utf-8")
    (tmp_path / "a.ann").write_text("", encoding="utf-8")
    (tmp_path / "a.txt").write_text("nothing here", encoding="utf-8")
    docs = brat.read_brat(tmp_path)
    assert [d["doc_id"] for d in docs] == ["a", "b"]
    assert docs[0]["quotes"] == [] and docs[1]["quotes"][0]["text"] == "ab"
    (tmp_path / "c.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text file c\.txt"):
        brat.read_brat(tmp_path)
    with pytest.raises(InputError, match="cannot read"):
        brat.read_brat(tmp_path / "nowhere.ann")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no \.ann files"):
        brat.read_brat(empty)


def test_the_writer_refuses_what_brat_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no text"):
        brat.to_ann({"doc_id": "x", "quotes": []})
    with pytest.raises(ValueError, match="outside the text"):
        brat.to_ann({"doc_id": "x", "text": "ab", "quotes": [{"start": 0, "end": 9}]})
    with pytest.raises(ValueError, match="spaces"):
        brat.to_ann({"doc_id": "x", "text": "ab", "quotes": [{"start": 0, "end": 1,
                                                              "type": "very direct"}]})
    with pytest.raises(ValueError, match="file name"):
        brat.write_document({"doc_id": "../x", "text": "ab", "quotes": []}, tmp_path)


def test_notes_and_shown_text_stay_on_one_line(tmp_path: Path) -> None:
    text = "He said:\n\tno\nmore"
    doc = {"doc_id": "n", "text": text,
           "quotes": [{"start": 9, "end": 17, "type": "indirect", "speaker": "He",
                       "speaker_start": 0, "speaker_end": 2, "note": "two\nlines"}]}
    ann = brat.to_ann(doc)
    assert len(ann.splitlines()) == len([c for c in ann if c == "\n"])
    assert all(line.count("\t") <= 2 for line in ann.splitlines())
    back = brat.from_ann(ann, text, "n")
    assert back["quotes"][0]["text"] == "\tno\nmore"
    assert back["quotes"][0]["note"] == "two lines"


def test_a_gold_jsonl_round_trips(tmp_path: Path) -> None:
    text = "“Yes,” he said. Officials said it was over. “No,” said Dr. Ann Smith."
    quotes = []
    for part, speaker, mention in (("“Yes,”", "he", "he"), ("it was over", "Officials",
                                   "Officials"), ("“No,”", "Dr. Ann Smith", "Dr. Ann Smith")):
        s, m = text.index(part), text.index(mention)
        quotes.append({"start": s, "end": s + len(part), "text": part, "type": "direct",
                       "speaker": speaker, "speaker_start": m, "speaker_end": m + len(mention),
                       "event_id": "E9"})
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"doc_id": "g1", "text": text, "quotes": quotes}) + "\n",
                    encoding="utf-8")
    docs = load_gold(str(gold))
    brat.write_brat(docs, tmp_path / "out")
    assert scored(brat.read_brat(tmp_path / "out")[0]) == scored(docs[0])
