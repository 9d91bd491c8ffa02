"""Scoring attributions against a hand annotation.

Quotes are matched the way the Gender Gap Tracker's published evaluation matches them (Asr et
al. 2021, PLOS ONE): each gold quote, in order, takes the still-unmatched prediction that
covers the largest share of its characters, provided that share exceeds the threshold (0.3 and
0.8 are customary). Speakers are then compared on matched pairs:

- by **resolved name**: the names agree when, after lower-casing and dropping articles,
  honorifics and possessive endings, one is a run of the other's words, or the gold name's
  last word (a surname) is among the predicted name's words;
- by **mention**: the predicted speaker mention overlaps the gold one.

When the gold speaker is only a pronoun (corpora such as PolNeAR leave pronouns unresolved),
the name cannot be compared and the mention must overlap instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import regex

__all__ = [
    "Match",
    "Scores",
    "load_gold",
    "load_predictions",
    "match_quotes",
    "same_speaker",
    "score",
]

_NAME_WORD = regex.compile(r"\w[\w.]*")
_IGNORED = frozenset({"the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "sir"})
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her", "them", "you",
                       "his", "hers", "their"})


def name_words(name: str | None) -> list[str]:
    """The comparable words of a speaker name."""
    if not name:
        return []
    text = name.casefold().replace("’s", "").replace("'s", "")
    words = (w.strip(".") for w in _NAME_WORD.findall(text))
    return [w for w in words if w and w not in _IGNORED]


def _is_run_of(short: Sequence[str], long_: Sequence[str]) -> bool:
    n = len(short)
    return n > 0 and any(list(long_[k : k + n]) == list(short) for k in range(len(long_) - n + 1))


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """Whether a predicted speaker name denotes the gold one (see the module docstring)."""
    p, g = name_words(predicted), name_words(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if len(p) == 1 and p[0] in _PRONOUNS:
        return False
    if _is_run_of(p, g) or _is_run_of(g, p):
        return True
    return len(g) > 1 and g[-1] in p and g[-1] not in _PRONOUNS


def _speaker_fields(speaker: Any) -> tuple[str | None, tuple[int, int] | None]:
    """(name, mention span) of a predicted speaker in any of the accepted shapes."""
    if speaker is None:
        return None, None
    if isinstance(speaker, str):
        return speaker, None
    name = speaker.get("name") or speaker.get("text")
    span = None
    for a, b in (("start", "end"), ("mention_start", "mention_end")):
        if isinstance(speaker.get(a), int) and isinstance(speaker.get(b), int):
            span = (speaker[a], speaker[b])
            break
    return name, span


@attrs.frozen
class Match:
    """One gold quote and the prediction matched to it (or ``None``)."""

    gold: Mapping[str, Any]
    pred: Mapping[str, Any] | None
    speaker_ok: bool = False
    mention_ok: bool | None = None


def _coverage(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    lo, hi = max(gold["start"], pred["start"]), min(gold["end"], pred["end"])
    covered: int = max(0, hi - lo)
    length: int = max(1, gold["end"] - gold["start"])
    return covered / length


def match_quotes(
    golds: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]], threshold: float
) -> tuple[list[Match], list[Mapping[str, Any]]]:
    """Match one document's quotes greedily, one to one; returns matches and unmatched preds."""
    free = list(range(len(preds)))
    matches: list[Match] = []
    for g in golds:
        best, best_share = -1, threshold
        for k in free:
            share = _coverage(g, preds[k])
            if share > best_share:
                best, best_share = k, share
        if best < 0:
            matches.append(Match(g, None))
            continue
        free.remove(best)
        p = preds[best]
        name, span = _speaker_fields(p.get("speaker"))
        g_start, g_end = g.get("speaker_start"), g.get("speaker_end")
        mention_ok = None
        if isinstance(g_start, int) and isinstance(g_end, int) and span is not None:
            mention_ok = span[0] < g_end and g_start < span[1]
        ok = same_speaker(name, g.get("speaker"))
        g_words = name_words(g.get("speaker"))
        if not ok and g_words and set(g_words) <= _PRONOUNS:
            ok = bool(mention_ok)
        matches.append(Match(g, p, ok, mention_ok))
    return matches, [preds[k] for k in free]


@attrs.frozen
class Scores:
    """Figures at one overlap threshold."""

    threshold: float
    gold: int
    tp: int
    fp: int
    fn: int
    speaker_ok: int
    mention_n: int
    mention_ok: int
    by_type: Mapping[str, Mapping[str, int]]

    @property
    def precision(self) -> float:
        return float(self.tp / (self.tp + self.fp)) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        """Correct speakers among matched quotes."""
        return self.speaker_ok / self.tp if self.tp else 0.0

    @property
    def end_to_end(self) -> float:
        """Gold quotes found with the right speaker, among all gold quotes."""
        return self.speaker_ok / self.gold if self.gold else 0.0

    @property
    def mention_accuracy(self) -> float | None:
        return self.mention_ok / self.mention_n if self.mention_n else None

    def to_dict(self) -> dict[str, Any]:
        """The figures, rounded to four places, as plain JSON types."""
        by_type = {}
        for t, c in sorted(self.by_type.items()):
            n = c["tp"] + c["fn"]
            by_type[t] = {
                "n": n,
                "recall": round(c["tp"] / n, 4) if n else 0.0,
                "speaker_accuracy": round(c["speaker_ok"] / c["tp"], 4) if c["tp"] else 0.0,
            }
        m = self.mention_accuracy
        return {
            "threshold": self.threshold, "gold": self.gold, "tp": self.tp, "fp": self.fp,
            "fn": self.fn, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "end_to_end": round(self.end_to_end, 4),
            "mention_accuracy": None if m is None else round(m, 4), "by_type": by_type,
        }


def score(
    gold_docs: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    threshold: float = 0.3,
    *,
    tiers: Iterable[str] | None = None,
) -> Scores:
    """Score predicted quotes (by doc_id) against gold documents at one threshold.

    :param tiers: count only gold quotes of these tiers (a quote without a tier is
        ``required``); unmatched predictions are then not counted as false positives.
    """
    keep = None if tiers is None else set(tiers)
    gold = tp = fp = fn = speaker_ok = mention_n = mention_ok = 0
    by_type: dict[str, dict[str, int]] = {}
    for doc in gold_docs:
        golds = [q for q in doc["quotes"] if keep is None or q.get("tier", "required") in keep]
        preds = predictions.get(str(doc["doc_id"]), [])
        matches, extra = match_quotes(golds, preds, threshold)
        gold += len(golds)
        if keep is None:
            fp += len(extra)
        for m in matches:
            counts = by_type.setdefault(str(m.gold.get("type", "?")),
                                        {"tp": 0, "fn": 0, "speaker_ok": 0})
            if m.pred is None:
                fn += 1
                counts["fn"] += 1
                continue
            tp += 1
            counts["tp"] += 1
            speaker_ok += m.speaker_ok
            counts["speaker_ok"] += m.speaker_ok
            if m.mention_ok is not None:
                mention_n += 1
                mention_ok += m.mention_ok
    return Scores(threshold, gold, tp, fp, fn, speaker_ok, mention_n, mention_ok, by_type)


def load_gold(path: str) -> list[dict[str, Any]]:
    """Gold documents from a JSONL file, or one JSON document (``.json``)."""
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            return [json.load(f)]
        return [json.loads(line) for line in f if line.strip()]


def load_predictions(path: str) -> dict[str, list[dict[str, Any]]]:
    """Predicted quotes by doc_id from ``quoteattr --format jsonl`` output."""
    out: dict[str, list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                out[str(record.get("doc_id"))] = list(record.get("quotes") or [])
    return out
