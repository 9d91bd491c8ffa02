"""The evaluator (quoteattr.evaluate) and the ``quoteattr evaluate`` command.

Gold and predictions are tiny invented documents, built here, so that every figure can be
worked out by hand; nothing needs ../shared. Running the pipeline (no PRED) is checked for
structure only, never for accuracy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from quoteattr import brat, cli
from quoteattr.errors import InputError
from quoteattr.evaluate import (
    confidence_bands,
    context,
    evaluate,
    format_text,
    load_gold,
    match_documents,
    match_quotes,
    read_predictions,
    same_speaker,
    sample_errors,
    score,
)

TEXT = (
    "Mayor Ana Lopez said the bridge would reopen in May. "
    "“We are not going to wait for the state,” she told reporters on Tuesday. "
    "The council, however, insisted that the budget was already exhausted. "
    "According to Tom Reyes, the whole plan is “a fantasy” and “a waste of money.”"
)


def at(part: str, after: int = 0, text: str = TEXT) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def gold_quote(part: str, kind: str, speaker: str | None, mention: str | None,
               after: int = 0, **more: Any) -> dict[str, Any]:
    start, end = at(part)
    q: dict[str, Any] = {"start": start, "end": end, "text": part, "type": kind,
                         "speaker": speaker}
    if mention is not None:
        q["speaker_mention"] = mention
        q["speaker_start"], q["speaker_end"] = at(mention, after)
    else:
        q["speaker_start"] = q["speaker_end"] = None
    q.update(more)
    return q


def pred(start: int, end: int, name: str | None = None, mention: str | None = None,
         after: int = 0, confidence: float = 0.9, kind: str = "direct") -> dict[str, Any]:
    speaker = None
    if name is not None:
        speaker = {"name": name, "text": mention or name}
        if mention is not None:
            speaker["start"], speaker["end"] = at(mention, after)
    return {"start": start, "end": end, "text": TEXT[start:end], "type": kind,
            "speaker": speaker, "confidence": confidence, "sieve": "frame", "rule": "test"}


SAID = "the bridge would reopen in May"
WAIT = "“We are not going to wait for the state,”"
BUDGET = "the budget was already exhausted"
PLAN = "the whole plan is “a fantasy” and “a waste of money.”"


def gold_doc(doc_id: str = "d1") -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "text": TEXT,
        "quotes": [
            gold_quote(SAID, "indirect", "Ana Lopez", "Ana Lopez", tier="stretch"),
            gold_quote(WAIT, "direct", "she", "she", at(WAIT)[1]),
            gold_quote(BUDGET, "indirect", "The council", "The council"),
            gold_quote(PLAN, "mixed", "Tom Reyes", "Tom Reyes"),
        ],
    }


def good_preds() -> list[dict[str, Any]]:
    """Every quote found, with a right speaker; two of them in other words."""
    return [
        pred(*at(SAID), "Ana Lopez", "Ana Lopez", kind="indirect"),
        pred(*at(WAIT), "Ana Lopez", "she", at(WAIT)[1]),
        pred(*at(BUDGET), "council", "The council", confidence=0.6, kind="indirect"),
        pred(*at(PLAN), "Mr. Reyes", "Tom Reyes", confidence=0.75, kind="mixed"),
    ]


# --------------------------------------------------------------------------------------------
# matching


def test_a_perfect_prediction_scores_one() -> None:
    s = score([gold_doc()], {"d1": good_preds()})
    assert (s.gold, s.tp, s.fp, s.fn) == (4, 4, 0, 0)
    assert s.precision == s.recall == s.f1 == s.speaker_accuracy == s.end_to_end == 1.0
    assert s.mention_accuracy == 1.0


def test_each_gold_takes_the_prediction_covering_most_of_it() -> None:
    start, end = at(PLAN)
    small = pred(start, start + (end - start) // 2, "Tom Reyes")  # covers half
    large = pred(start, end - 2, "Someone Else")  # covers nearly all
    matches, extra = match_quotes([gold_doc()["quotes"][3]], [small, large], 0.3)
    assert matches[0].pred is large
    assert extra == [small]


def test_matching_is_one_to_one_and_greedy_in_gold_order() -> None:
    # two gold quotes, one prediction covering both: the first gold quote takes it
    a, b = at("We are not going"), at("to wait for the state")
    golds = [{"start": a[0], "end": a[1]}, {"start": b[0], "end": b[1]}]
    wide = {"start": a[0], "end": b[1]}
    matches, extra = match_quotes(golds, [wide], 0.3)
    assert [m.pred is wide for m in matches] == [True, False]
    assert extra == []
    # in the other order, the other one does
    matches, _ = match_quotes(golds[::-1], [wide], 0.3)
    assert [m.pred is wide for m in matches] == [True, False]
    # and one gold quote never takes two predictions: the second is a false alarm
    s = score([{"doc_id": "x", "quotes": golds[:1]}], {"x": [wide, dict(wide)]})
    assert (s.tp, s.fp) == (1, 1)


def test_a_share_must_exceed_the_threshold() -> None:
    gold = [{"start": 0, "end": 100}]
    exactly = [{"start": 0, "end": 30}]
    above = [{"start": 0, "end": 31}]
    assert match_quotes(gold, exactly, 0.3)[0][0].pred is None
    assert match_quotes(gold, above, 0.3)[0][0].pred is not None
    assert match_quotes(gold, above, 0.8)[0][0].pred is None
    assert match_quotes(gold, [{"start": 0, "end": 81}], 0.8)[0][0].pred is not None


def test_the_two_thresholds_give_different_figures() -> None:
    start, end = at(PLAN)
    partial = pred(start, start + (end - start) // 2, "Tom Reyes", "Tom Reyes", kind="mixed")
    preds = [*good_preds()[:3], partial]
    low = score([gold_doc()], {"d1": preds}, 0.3)
    high = score([gold_doc()], {"d1": preds}, 0.8)
    assert (low.tp, low.fp, low.fn) == (4, 0, 0)
    assert (high.tp, high.fp, high.fn) == (3, 1, 1)
    assert high.precision == high.recall == 0.75


def test_predictions_are_found_by_doc_id() -> None:
    s = score([gold_doc("d1")], {"other": good_preds()})
    assert (s.tp, s.fp, s.fn) == (0, 0, 4)


# --------------------------------------------------------------------------------------------
# speakers


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Ana Lopez", "Ana Lopez", True),
        ("Mayor Ana Lopez", "Ana Lopez", True),  # one is a run of the other
        ("Lopez", "Ana Lopez", True),
        ("Ms. Lopez", "Ana Lopez", True),  # the honorific is dropped
        ("Ana Lopez’s office", "Ana Lopez", True),
        ("Tom Reyes", "Ana Lopez", False),
        ("she", "Ana Lopez", False),  # a pronoun never names anyone
        ("Ana", "Ana Lopez", True),
        ("Reyes Ana", "Ana Lopez", False),
        (None, "Ana Lopez", False),
        ("the council", "The Council", True),
    ],
)
def test_speaker_names(predicted: str | None, gold: str, same: bool) -> None:
    assert same_speaker(predicted, gold) is same


def test_a_pronoun_gold_speaker_is_judged_by_mention_overlap() -> None:
    quote = gold_doc()["quotes"][1]  # speaker "she", mention "she"
    after = at(WAIT)[1]
    right = pred(*at(WAIT), "Ana Lopez", "she", after)  # the name cannot match "she"
    elsewhere = pred(*at(WAIT), "Ana Lopez", "Ana Lopez")
    other_pronoun = pred(*at(WAIT), "he")  # no mention to compare
    same_pronoun = pred(*at(WAIT), "she")  # the same word is the same name, as in score.py
    assert match_quotes([quote], [right], 0.3)[0][0].speaker_ok
    assert not match_quotes([quote], [elsewhere], 0.3)[0][0].speaker_ok
    assert not match_quotes([quote], [other_pronoun], 0.3)[0][0].speaker_ok
    assert match_quotes([quote], [same_pronoun], 0.3)[0][0].speaker_ok


def test_mention_accuracy_counts_pairs_where_both_give_a_mention() -> None:
    preds = good_preds()
    preds[0] = pred(*at(SAID), "Ana Lopez", kind="indirect")  # no mention offsets
    preds[2] = pred(*at(BUDGET), "council", "reporters", kind="indirect")  # wrong mention
    s = score([gold_doc()], {"d1": preds})
    assert s.mention_n == 3
    assert s.mention_ok == 2
    assert s.speaker_ok == 4  # the names are still right


def test_speaker_shapes_a_prediction_may_use() -> None:
    quote = gold_doc()["quotes"][1]
    start, end = at("she", at(WAIT)[1])
    shapes = [
        {"name": "X", "start": start, "end": end},
        {"name": "X", "mention_start": start, "mention_end": end},
        {"name": "X", "mention": {"start": start, "end": end}},
    ]
    for speaker in shapes:
        p = {"start": quote["start"], "end": quote["end"], "speaker": speaker}
        assert match_quotes([quote], [p], 0.3)[0][0].mention_ok is True
    p = {"start": quote["start"], "end": quote["end"], "speaker": "she"}
    assert match_quotes([quote], [p], 0.3)[0][0].mention_ok is None


# --------------------------------------------------------------------------------------------
# tiers and types


def test_tiers_count_only_their_gold_and_no_false_alarms() -> None:
    preds = [*good_preds(), pred(*at("Mayor Ana Lopez"))]  # and one false alarm
    every = score([gold_doc()], {"d1": preds})
    assert (every.gold, every.tp, every.fp) == (4, 4, 1)
    required = score([gold_doc()], {"d1": preds}, tiers=["required"])
    assert (required.gold, required.tp, required.fp) == (3, 3, 0)
    stretch = score([gold_doc()], {"d1": preds}, tiers=["stretch"])
    assert (stretch.gold, stretch.tp, stretch.fp) == (1, 1, 0)


def test_breakdown_by_type() -> None:
    preds = good_preds()
    preds[1] = pred(*at(WAIT), "Tom Reyes", "Tom Reyes")  # direct: wrong speaker
    del preds[2]  # one indirect missed
    d = score([gold_doc()], {"d1": preds}).to_dict()["by_type"]
    assert d["direct"] == {"n": 1, "tp": 1, "recall": 1.0, "speaker_correct": 0,
                           "speaker_accuracy": 0.0}
    assert d["indirect"]["n"] == 2 and d["indirect"]["recall"] == 0.5
    assert d["mixed"]["speaker_accuracy"] == 1.0


# --------------------------------------------------------------------------------------------
# confidence bands and errors


def test_confidence_bands() -> None:
    preds = good_preds()  # confidences 0.9, 0.9, 0.6, 0.75
    preds[1] = pred(*at(WAIT), "Tom Reyes", "Tom Reyes", confidence=1.0)  # wrong speaker
    preds.append(pred(*at("Mayor Ana Lopez"), confidence=0.5))  # a false alarm
    preds.append(pred(*at("on Tuesday"), confidence=0.2))  # another
    no_conf = pred(*at("reporters"))
    del no_conf["confidence"]
    preds.append(no_conf)
    docs = match_documents([gold_doc()], {"d1": preds}, 0.3)
    bands = {b.label: b for b in confidence_bands(docs)}
    assert list(bands) == ["[0.00, 0.50)", "[0.50, 0.70)", "[0.70, 0.85)", "[0.85, 1.00]",
                           "no confidence"]
    assert (bands["[0.00, 0.50)"].predictions, bands["[0.00, 0.50)"].matched) == (1, 0)
    assert bands["[0.00, 0.50)"].precision == 0.0
    assert bands["[0.00, 0.50)"].speaker_accuracy is None
    assert (bands["[0.50, 0.70)"].predictions, bands["[0.50, 0.70)"].matched) == (2, 1)
    assert bands["[0.50, 0.70)"].precision == 0.5
    assert bands["[0.85, 1.00]"].predictions == 2  # 0.9 and 1.0
    assert bands["[0.85, 1.00]"].speaker_accuracy == 0.5
    assert bands["no confidence"].predictions == 1
    # other edges
    two = confidence_bands(docs, (0.8,))
    assert [b.label for b in two] == ["[0.00, 0.80)", "[0.80, 1.00]", "no confidence"]
    assert sum(b.predictions for b in two) == len(preds)
    with pytest.raises(ValueError, match="increasing"):
        confidence_bands(docs, (0.7, 0.5))


def test_bands_have_no_precision_under_tiers() -> None:
    docs = match_documents([gold_doc()], {"d1": good_preds()}, 0.3, tiers=["required"])
    assert all(b.precision is None for b in confidence_bands(docs, count_fp=False))


def test_context_marks_the_span_and_is_one_safe_line() -> None:
    text = "a" * 100 + "\n\nsaid \x1b[31mthis\x1b[0m loudly\n" + "b" * 100
    start, end = text.index("this"), text.index("this") + 4
    shown = context(text, start, end)
    assert "[[this\\x1b[0m]]" not in shown
    assert "[[this]]" in shown
    assert "\n" not in shown and "\x1b" not in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert shown.count("a") <= 80
    long_span = context("x" * 1000, 10, 990, longest=100)
    assert "[[" + "x" * 50 + " … " + "x" * 50 + "]]" in long_span


def error_preds() -> dict[str, list[dict[str, Any]]]:
    preds = good_preds()
    preds[1] = pred(*at(WAIT), "Tom Reyes", "Tom Reyes")  # wrong speaker
    del preds[2]  # BUDGET missed
    preds.append(pred(*at("Mayor Ana Lopez"), confidence=0.4))  # false alarm
    return {"d1": preds}


def test_sampled_errors_with_context() -> None:
    docs = match_documents([gold_doc()], error_preds(), 0.3)
    errors = sample_errors(docs, 5)
    assert [len(v) for v in errors.values()] == [1, 1, 1]
    (miss,), (alarm,), (wrong,) = errors["misses"], errors["false_alarms"], errors[
        "wrong_speakers"]
    assert f"[[{BUDGET}]]" in miss.context
    assert miss.gold_speaker == "The council"
    assert alarm.context.startswith("[[Mayor Ana Lopez]] said the bridge")
    assert alarm.confidence == 0.4
    assert (wrong.gold_speaker, wrong.pred_speaker) == ("she", "Tom Reyes")
    assert wrong.pred_mention == "Tom Reyes"


def test_error_samples_are_reproducible_and_in_corpus_order() -> None:
    golds = [gold_doc(f"d{i}") for i in range(12)]
    docs = match_documents(golds, {}, 0.3)  # 48 misses
    one = sample_errors(docs, 5, seed=1)["misses"]
    assert one == sample_errors(docs, 5, seed=1)["misses"]
    assert len(one) == 5
    order = [(int(c.doc_id[1:]), c.start) for c in one]
    assert order == sorted(order)
    assert [c.doc_id for c in one] != [c.doc_id for c in sample_errors(docs, 5, seed=2)["misses"]]


def test_evaluate_and_its_text_report() -> None:
    ev = evaluate([gold_doc()], error_preds(), errors=3)
    assert [s.threshold for s in ev.scores] == [0.3, 0.8]
    assert ev.error_totals == {"misses": 1, "false_alarms": 1, "wrong_speakers": 1}
    text = format_text(ev)
    for heading in ("overlap", "precision", "recall", "F1", "speaker", "mention", "end-to-end",
                    "indirect", "confidence (overlap > 0.3)", "[0.85, 1.00]", "misses",
                    "false alarms", "wrong speakers"):
        assert heading in text
    assert "> 0.3" in text and "> 0.8" in text
    assert f"[[{BUDGET}]]" in text


# --------------------------------------------------------------------------------------------
# the command


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = cli.main(["evaluate", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def write_jsonl(path: Path, records: list[Mapping[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    gold = write_jsonl(tmp_path / "gold.jsonl", [gold_doc("d1"), gold_doc("d2")])
    preds = error_preds()["d1"]
    pred_file = write_jsonl(tmp_path / "pred.jsonl", [
        {"doc_id": "d1", "quotes": preds, "entities": []},
        {"doc_id": "d2", "quotes": good_preds(), "entities": []},
    ])
    return gold, pred_file


def test_json_output_is_one_object(capsys: pytest.CaptureFixture[str],
                                   files: tuple[Path, Path]) -> None:
    status, out, err = run(capsys, *files, "--format", "json")
    assert status == 0, err
    report = json.loads(out)
    assert set(report) >= {"gold", "predictions", "tiers", "scores", "confidence_bands",
                           "errors"}
    assert list(report["scores"]) == ["0.3", "0.8"]
    low = report["scores"]["0.3"]
    assert (low["gold"], low["tp"], low["fp"], low["fn"]) == (8, 7, 1, 1)
    assert low["precision"] == low["recall"] == 0.875
    assert low["speaker_accuracy"] == round(6 / 7, 4)
    assert low["end_to_end"] == 0.75
    assert set(low["by_type"]) == {"direct", "indirect", "mixed"}
    assert report["gold"]["documents"] == 2 and report["gold"]["quotes"] == 8
    assert report["predictions"]["path"] == str(files[1])
    assert len(report["confidence_bands"]["bands"]) == 4
    assert report["errors"]["totals"] == {"misses": 1, "false_alarms": 1, "wrong_speakers": 1}
    assert report["errors"]["misses"] == []  # none asked for


def test_errors_option(capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]) -> None:
    status, out, _ = run(capsys, *files, "--errors", "2")
    assert status == 0
    assert "misses (gold quotes not found): 1 of 1" in out
    assert f"[[{BUDGET}]]" in out
    assert "[[Mayor Ana Lopez]]" in out
    assert "gold: she" in out and "pred: Tom Reyes" in out
    again = run(capsys, *files, "--errors", "2")[1]
    assert again == out
    status, out, _ = run(capsys, *files, "--errors", "1", "--format", "json")
    errors = json.loads(out)["errors"]
    assert [len(errors[k]) for k in ("misses", "false_alarms", "wrong_speakers")] == [1, 1, 1]
    assert errors["misses"][0]["context"].count("[[") == 1


def test_tiers_option(capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]) -> None:
    status, out, _ = run(capsys, *files, "--tiers", "required", "--format", "json")
    assert status == 0
    report = json.loads(out)
    assert report["tiers"] == ["required"]
    assert report["scores"]["0.3"]["gold"] == 6
    assert report["scores"]["0.3"]["fp"] == 0
    assert "not meaningful" in run(capsys, *files, "--tiers", "required")[1]


def test_min_confidence_filters_predictions(capsys: pytest.CaptureFixture[str],
                                            files: tuple[Path, Path]) -> None:
    status, out, _ = run(capsys, *files, "--min-confidence", "0.7", "--format", "json")
    assert status == 0
    low = json.loads(out)["scores"]["0.3"]
    # dropped: d1's false alarm (0.4) and d2's BUDGET prediction (0.6), which becomes a miss
    assert (low["fp"], low["fn"]) == (0, 2)


def test_thresholds_and_bands_options(capsys: pytest.CaptureFixture[str],
                                      files: tuple[Path, Path]) -> None:
    status, out, _ = run(capsys, *files, "--thresholds", "0.5", "--bands", "0.8",
                         "--format", "json")
    assert status == 0
    report = json.loads(out)
    assert list(report["scores"]) == ["0.5"]
    assert [b["band"] for b in report["confidence_bands"]["bands"]] == ["[0.00, 0.80)",
                                                                      "[0.80, 1.00]"]


@pytest.mark.parametrize(
    "args",
    [
        ["--errors", "-1"],
        ["--min-confidence", "2"],
        ["--thresholds", "1"],
        ["--thresholds", "x"],
        ["--bands", "0.7,0.5"],
        ["--bands", "1.2"],
        ["--format", "csv"],
        ["--bogus"],
    ],
)
def test_usage_errors_exit_with_2(capsys: pytest.CaptureFixture[str], files: tuple[Path, Path],
                                  args: list[str]) -> None:
    status, out, err = run(capsys, *files, *args)
    assert status == 2
    assert out == ""
    assert "usage:" in err


def test_no_gold_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys)
    assert (status, out) == (2, "")
    assert "usage:" in err


def one_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("quoteattr: error: ")
    return lines[0]


def test_unreadable_or_malformed_input_exits_with_2(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path,
                                                    files: tuple[Path, Path]) -> None:
    gold, pred_file = files
    status, out, err = run(capsys, tmp_path / "missing.jsonl", pred_file)
    assert (status, out) == (2, "")
    assert "missing.jsonl" in one_error(err)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(gold_doc()) + "\n{oops\n", encoding="utf-8")
    status, out, err = run(capsys, bad, pred_file)
    assert (status, out) == (2, "")
    assert "bad.jsonl:2: invalid JSON" in one_error(err)
    no_quotes = write_jsonl(tmp_path / "nq.jsonl", [{"doc_id": "a", "text": "x"}])
    assert "has no 'quotes'" in one_error(run(capsys, no_quotes, pred_file)[2])
    bad_pred = write_jsonl(tmp_path / "bp.jsonl", [{"doc_id": "d1", "quotes": [{"start": 1}]}])
    status, _, err = run(capsys, gold, bad_pred)
    assert status == 2
    assert "bp.jsonl:1:" in one_error(err)


def test_an_error_record_in_pred_exits_with_1(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, files: tuple[Path, Path]) -> None:
    gold, _ = files
    pred_file = write_jsonl(tmp_path / "p.jsonl", [
        {"doc_id": "d1", "quotes": good_preds()},
        {"doc_id": "d2", "error": {"type": "PluginError", "message": "boom", "plugin": "x"}},
    ])
    status, out, err = run(capsys, gold, pred_file, "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["predictions"]["failed"] == 1
    assert report["scores"]["0.3"]["fn"] == 4
    assert "1 of 2 documents could not be attributed" in err


def test_gold_documents_missing_from_pred_are_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, Path]
) -> None:
    gold, _ = files
    pred_file = write_jsonl(tmp_path / "p.jsonl", [{"doc_id": "d1", "quotes": good_preds()},
                                                   {"doc_id": "zz", "quotes": []}])
    status, _, err = run(capsys, gold, pred_file)
    assert status == 0
    assert "1 of 2 gold documents have no record" in err
    assert "1 records of" in err and "'zz'" in err


def test_without_pred_the_pipeline_runs_on_the_gold_texts(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    gold, _ = files
    status, out, err = run(capsys, gold, "--no-plugins", "--format", "json", "--errors", "1")
    assert status == 0, err
    report = json.loads(out)
    assert report["predictions"]["path"] is None
    assert report["predictions"]["documents"] == 2
    assert report["predictions"]["failed"] == 0
    for s in report["scores"].values():
        assert s["gold"] == 8
        assert s["tp"] + s["fn"] == 8
        assert 0.0 <= s["precision"] <= 1.0 and 0.0 <= s["recall"] <= 1.0
    status, out, _ = run(capsys, gold, "--no-plugins")
    assert status == 0
    assert "quoteattr, run now" in out


def test_without_pred_the_plugin_options_apply(capsys: pytest.CaptureFixture[str],
                                               files: tuple[Path, Path]) -> None:
    gold, _ = files
    status, out, err = run(capsys, gold, "--block", "no-such-plugin")
    assert (status, out) == (2, "")
    assert "no-such-plugin" in one_error(err)
    status, out, _ = run(capsys, gold, "--no-plugins", "--block", "quotes",
                         "--block", "reported-speech", "--format", "json")
    assert status == 0
    assert json.loads(out)["predictions"]["quotes"] == 0  # nothing detects quotes


def test_without_pred_the_gold_needs_its_text(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    doc = gold_doc()
    del doc["text"]
    gold = write_jsonl(tmp_path / "g.jsonl", [doc])
    status, _, err = run(capsys, gold, "--no-plugins")
    assert status == 2
    assert "no text" in one_error(err)


def test_a_json_gold_may_name_its_text_file(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    doc = gold_doc("article")
    del doc["text"]
    doc["source"] = "article.txt"
    gold = tmp_path / "article.gold.json"
    gold.write_text(json.dumps(doc), encoding="utf-8")
    assert load_gold(str(gold))[0]["text"] == TEXT
    pred_file = write_jsonl(tmp_path / "p.jsonl", [{"doc_id": "article", "quotes": good_preds()}])
    status, out, _ = run(capsys, gold, pred_file, "--format", "json")
    assert status == 0
    assert json.loads(out)["scores"]["0.3"]["f1"] == 1.0


def test_brat_gold_scores_like_the_jsonl_it_came_from(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, Path]
) -> None:
    gold, pred_file = files
    brat.write_brat(load_gold(str(gold)), tmp_path / "ann")
    from_jsonl = json.loads(run(capsys, gold, pred_file, "--format", "json")[1])["scores"]
    from_dir = json.loads(run(capsys, tmp_path / "ann", pred_file, "--format", "json")[1])
    assert from_dir["scores"] == from_jsonl
    one = json.loads(run(capsys, tmp_path / "ann" / "d1.ann", pred_file, "--format", "json")[1])
    assert one["gold"]["documents"] == 1


def test_predictions_may_be_a_json_array_or_brat(tmp_path: Path) -> None:
    records = [{"doc_id": "d1", "quotes": good_preds()}]
    array = tmp_path / "p.json"
    array.write_text(json.dumps(records), encoding="utf-8")
    assert read_predictions(str(array)).quotes["d1"] == good_preds()
    brat.write_brat([{"doc_id": "d1", "text": TEXT, "quotes": good_preds()}], tmp_path / "b")
    back = read_predictions(str(tmp_path / "b"))
    assert score([gold_doc()], back.quotes).to_dict() == score(
        [gold_doc()], {"d1": good_preds()}).to_dict()


def test_load_gold_names_the_line_of_a_fault(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(gold_doc()) + "\n\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl:3: expected a JSON object"):
        load_gold(str(path))
    path.write_text('{"text": "x", "quotes": []}\n', encoding="utf-8")
    assert load_gold(str(path))[0]["doc_id"] == "g:1"


def test_evaluate_is_listed_in_the_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "evaluate" in capsys.readouterr().out
    assert cli.main(["evaluate", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--errors", "--tiers", "--min-confidence", "--format", "--block",
                   "--no-plugins", "--seed", "--bands", "--thresholds"):
        assert option in out
