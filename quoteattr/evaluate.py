"""Scoring attributions against a hand annotation; ``quoteattr evaluate`` is its front end.

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

Beyond the figures of :func:`score`, :func:`evaluate` gives accuracy by confidence band and a
deterministic sample of the errors (misses, false alarms, wrong speakers) with their context;
:func:`format_text` lays an :class:`Evaluation` out for a terminal, and
:meth:`Evaluation.to_dict` for programs. docs/cli.md describes the command.
"""

from __future__ import annotations

import bisect
import json
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import regex

from quoteattr import brat
from quoteattr.errors import InputError
from quoteattr.text import inert_line

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_THRESHOLDS",
    "Band",
    "DocMatches",
    "ErrorCase",
    "Evaluation",
    "Match",
    "Predictions",
    "Scores",
    "at_least",
    "confidence_bands",
    "context",
    "evaluate",
    "format_text",
    "load_gold",
    "load_predictions",
    "match_documents",
    "match_quotes",
    "read_predictions",
    "same_speaker",
    "sample_errors",
    "score",
]

#: the overlap thresholds reported by default; the first is the one bands and errors use
DEFAULT_THRESHOLDS = (0.3, 0.8)
#: the inner edges of the default confidence bands: [0, .5), [.5, .7), [.7, .85), [.85, 1]
DEFAULT_BANDS = (0.5, 0.7, 0.85)
#: characters of context shown on each side of an error
CONTEXT = 80

_NAME_WORD = regex.compile(r"\w[\w.]*")
_IGNORED = frozenset({"the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "sir"})
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her", "them", "you",
                       "his", "hers", "their"})


# --------------------------------------------------------------------------------------------
# speakers


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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _speaker_fields(speaker: Any) -> tuple[str | None, tuple[int, int] | None]:
    """(name, mention span) of a predicted speaker in any of the accepted shapes.

    A speaker is a name (``str``), or a mapping with ``name`` (or ``text``) and the mention's
    offsets as ``start``/``end``, ``mention_start``/``mention_end`` or ``mention: {start, end}``.
    """
    if speaker is None:
        return None, None
    if isinstance(speaker, str):
        return speaker, None
    if not isinstance(speaker, Mapping):
        return None, None
    name = speaker.get("name") or speaker.get("text")
    span = None
    for a, b in (("start", "end"), ("mention_start", "mention_end")):
        if _is_int(speaker.get(a)) and _is_int(speaker.get(b)):
            span = (speaker[a], speaker[b])
            break
    mention = speaker.get("mention")
    if span is None and isinstance(mention, Mapping):
        span = _pair(mention.get("start"), mention.get("end"))
    return (str(name) if name else None), span


def _gold_mention(gold: Mapping[str, Any]) -> tuple[int, int] | None:
    return _pair(gold.get("speaker_start"), gold.get("speaker_end"))


def _pair(start: Any, end: Any) -> tuple[int, int] | None:
    return (start, end) if _is_int(start) and _is_int(end) else None


# --------------------------------------------------------------------------------------------
# matching


@attrs.frozen
class Match:
    """One gold quote and the prediction matched to it (or ``None``).

    :ivar speaker_ok: the speaker is right (by name; by mention for a pronoun gold speaker).
    :ivar mention_ok: the predicted mention overlaps the gold one; ``None`` when either side
        has no mention offsets.
    """

    gold: Mapping[str, Any]
    pred: Mapping[str, Any] | None
    speaker_ok: bool = False
    mention_ok: bool | None = None


def _coverage(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """The share of the gold quote's characters that the prediction covers."""
    lo, hi = max(gold["start"], pred["start"]), min(gold["end"], pred["end"])
    covered: int = max(0, hi - lo)
    length: int = max(1, gold["end"] - gold["start"])
    return covered / length


def _judge(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Match:
    name, span = _speaker_fields(pred.get("speaker"))
    g_span = _gold_mention(gold)
    mention_ok = None
    if g_span is not None and span is not None:
        mention_ok = span[0] < g_span[1] and g_span[0] < span[1]
    ok = same_speaker(name, gold.get("speaker"))
    g_words = name_words(gold.get("speaker"))
    if not ok and g_words and set(g_words) <= _PRONOUNS:
        ok = bool(mention_ok)
    return Match(gold, pred, ok, mention_ok)


def match_quotes(
    golds: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]], threshold: float
) -> tuple[list[Match], list[Mapping[str, Any]]]:
    """Match one document's quotes greedily, one to one; returns matches and unmatched preds.

    Gold quotes are taken in the order given; each takes the free prediction with the largest
    coverage above ``threshold`` (the first such in prediction order on a tie).
    """
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
        matches.append(_judge(g, preds[best]))
    return matches, [preds[k] for k in free]


@attrs.frozen
class DocMatches:
    """The matching of one document: every counted gold quote, and the predictions left over.

    :ivar doc: the gold document.
    :ivar preds: its predictions, all of them.
    """

    doc: Mapping[str, Any]
    preds: Sequence[Mapping[str, Any]]
    matches: Sequence[Match]
    extra: Sequence[Mapping[str, Any]]


def _keep_tiers(tiers: Iterable[str] | None) -> set[str] | None:
    return None if tiers is None else set(tiers)


def match_documents(
    gold_docs: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    threshold: float,
    *,
    tiers: Iterable[str] | None = None,
) -> list[DocMatches]:
    """Match every gold document with its predictions (by ``doc_id``) at one threshold."""
    keep = _keep_tiers(tiers)
    out: list[DocMatches] = []
    for doc in gold_docs:
        golds = [q for q in doc["quotes"] if keep is None or q.get("tier", "required") in keep]
        preds = predictions.get(str(doc["doc_id"]), [])
        matches, extra = match_quotes(golds, preds, threshold)
        out.append(DocMatches(doc, preds, matches, extra))
    return out


# --------------------------------------------------------------------------------------------
# figures


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
        """Overlapping speaker mentions among matched quotes where both sides give one."""
        return self.mention_ok / self.mention_n if self.mention_n else None

    def to_dict(self) -> dict[str, Any]:
        """The figures, rounded to four places, as plain JSON types."""
        by_type = {}
        for t, c in sorted(self.by_type.items()):
            n = c["tp"] + c["fn"]
            by_type[t] = {
                "n": n,
                "tp": c["tp"],
                "recall": round(c["tp"] / n, 4) if n else 0.0,
                "speaker_correct": c["speaker_ok"],
                "speaker_accuracy": round(c["speaker_ok"] / c["tp"], 4) if c["tp"] else 0.0,
            }
        m = self.mention_accuracy
        return {
            "threshold": self.threshold, "gold": self.gold, "tp": self.tp, "fp": self.fp,
            "fn": self.fn, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "speaker_correct": self.speaker_ok,
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "end_to_end": round(self.end_to_end, 4),
            "mention_n": self.mention_n, "mention_correct": self.mention_ok,
            "mention_accuracy": None if m is None else round(m, 4), "by_type": by_type,
        }


def _tally(docs: Iterable[DocMatches], threshold: float, *, count_fp: bool) -> Scores:
    gold = tp = fp = fn = speaker_ok = mention_n = mention_ok = 0
    by_type: dict[str, dict[str, int]] = {}
    for dm in docs:
        gold += len(dm.matches)
        if count_fp:
            fp += len(dm.extra)
        for m in dm.matches:
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
    docs = match_documents(gold_docs, predictions, threshold, tiers=tiers)
    return _tally(docs, threshold, count_fp=tiers is None)


# --------------------------------------------------------------------------------------------
# confidence bands


def _confidence(pred: Mapping[str, Any]) -> float | None:
    value = pred.get("confidence")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


@attrs.frozen
class Band:
    """Predictions whose confidence is in ``[low, high)`` (the last band includes 1).

    ``low`` and ``high`` are ``None`` for the band of predictions that give no confidence.

    :ivar precision: matched among the band's predictions; ``None`` when there are none, or
        when unmatched predictions are not counted as false alarms (``tiers``).
    :ivar speaker_accuracy: right speakers among the band's matched predictions.
    """

    low: float | None
    high: float | None
    last: bool
    predictions: int
    matched: int
    speaker_ok: int
    count_fp: bool = True

    @property
    def label(self) -> str:
        if self.low is None or self.high is None:
            return "no confidence"
        return f"[{self.low:.2f}, {self.high:.2f}{']' if self.last else ')'}"

    @property
    def precision(self) -> float | None:
        if not self.count_fp or not self.predictions:
            return None
        return self.matched / self.predictions

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speaker_ok / self.matched if self.matched else None

    def to_dict(self) -> dict[str, Any]:
        p, s = self.precision, self.speaker_accuracy
        return {
            "band": self.label, "low": self.low, "high": self.high,
            "predictions": self.predictions, "matched": self.matched,
            "precision": None if p is None else round(p, 4),
            "speaker_correct": self.speaker_ok,
            "speaker_accuracy": None if s is None else round(s, 4),
        }


def _check_edges(edges: Sequence[float]) -> tuple[float, ...]:
    out = tuple(float(e) for e in edges)
    if any(not 0.0 < e < 1.0 for e in out) or list(out) != sorted(set(out)):
        msg = f"band edges must be increasing numbers strictly between 0 and 1, got {edges!r}"
        raise ValueError(msg)
    return out


def confidence_bands(
    docs: Sequence[DocMatches], edges: Sequence[float] = DEFAULT_BANDS, *, count_fp: bool = True
) -> list[Band]:
    """Precision and speaker accuracy by confidence band, from one threshold's matching.

    :param edges: the inner edges, increasing, in ``(0, 1)``: ``(0.5,)`` gives ``[0, 0.5)``
        and ``[0.5, 1]``.
    :param count_fp: whether unmatched predictions are false alarms (not so under ``tiers``).
    """
    inner = _check_edges(edges)
    bounds = (0.0, *inner, 1.0)
    n = len(bounds) - 1
    preds, matched, right = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)

    def band_of(pred: Mapping[str, Any]) -> int:
        c = _confidence(pred)
        return n if c is None else min(bisect.bisect_right(inner, c), n - 1)

    for dm in docs:
        for p in dm.preds:
            preds[band_of(p)] += 1
        for m in dm.matches:
            if m.pred is not None:
                k = band_of(m.pred)
                matched[k] += 1
                right[k] += m.speaker_ok
    bands = [
        Band(bounds[k], bounds[k + 1], k == n - 1, preds[k], matched[k], right[k], count_fp)
        for k in range(n)
    ]
    if preds[n]:
        bands.append(Band(None, None, False, preds[n], matched[n], right[n], count_fp))
    return bands


# --------------------------------------------------------------------------------------------
# errors




def context(text: str, start: int, end: int, width: int = CONTEXT, *, longest: int = 300) -> str:
    """``text`` around ``[start, end)`` on one line, the span in ``[[ ]]``.

    ``width`` characters are shown on each side (``…`` marks more text beyond); a span longer
    than ``longest`` characters is shortened in the middle with `` … ``. Whitespace runs become
    one space and control characters are escaped, so the result is safe to print.
    """
    lo, hi = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    left, right = text[max(0, lo - width) : lo], text[hi : hi + width]
    span = text[lo:hi]
    if len(span) > longest:
        half = longest // 2
        span = f"{span[:half]} … {span[-half:]}"
    before = "…" if lo - width > 0 else ""
    after = "…" if hi + width < len(text) else ""

    def side(s: str) -> str:  # keep a boundary space visible after whitespace is collapsed
        cleaned = inert_line(s)
        return (" " if s[:1].isspace() else "") + cleaned + (" " if s[-1:].isspace() else "")

    return f"{before}{side(left).lstrip()}[[{inert_line(span)}]]{side(right).rstrip()}{after}"


@attrs.frozen
class ErrorCase:
    """One error, for reading.

    :ivar kind: ``miss`` (a gold quote not found), ``false_alarm`` (a prediction matching no
        gold quote) or ``wrong_speaker`` (a match whose speaker is wrong).
    :ivar start: of the gold quote (the prediction, for a false alarm).
    :ivar coverage: for a miss, the largest share of the gold quote any prediction covers;
        for a false alarm, the largest share of the prediction that a gold quote covers; for
        a wrong speaker, the share of the gold quote its match covers.
    """

    kind: str
    doc_id: str
    start: int
    end: int
    type: str | None
    context: str
    coverage: float
    gold_speaker: str | None = None
    gold_mention: str | None = None
    gold_mention_span: tuple[int, int] | None = None
    pred_speaker: str | None = None
    pred_mention: str | None = None
    pred_mention_span: tuple[int, int] | None = None
    confidence: float | None = None
    sieve: str | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self)
        for key in ("gold_mention_span", "pred_mention_span"):
            d[key] = None if d[key] is None else list(d[key])
        d["coverage"] = round(self.coverage, 4)
        return d


def _mention_text(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def _pred_fields(text: str, pred: Mapping[str, Any]) -> dict[str, Any]:
    name, span = _speaker_fields(pred.get("speaker"))
    sieve, rule = pred.get("sieve"), pred.get("rule")
    return {
        "pred_speaker": name,
        "pred_mention": _mention_text(text, span),
        "pred_mention_span": span,
        "confidence": _confidence(pred),
        "sieve": sieve if isinstance(sieve, str) else None,
        "rule": rule if isinstance(rule, str) else None,
    }


def _gold_fields(text: str, gold: Mapping[str, Any]) -> dict[str, Any]:
    span = _gold_mention(gold)
    speaker = gold.get("speaker")
    return {
        "gold_speaker": speaker if isinstance(speaker, str) and speaker else None,
        "gold_mention": _mention_text(text, span),
        "gold_mention_span": span,
    }


def _errors_of(dm: DocMatches) -> Iterator[tuple[str, ErrorCase]]:
    doc, text = dm.doc, str(dm.doc.get("text") or "")
    doc_id = str(doc["doc_id"])
    golds = [m.gold for m in dm.matches]

    def case(kind: str, span: Mapping[str, Any], coverage: float, **more: Any) -> ErrorCase:
        start, end = int(span["start"]), int(span["end"])
        type_ = span.get("type")
        return ErrorCase(
            kind=kind, doc_id=doc_id, start=start, end=end,
            type=type_ if isinstance(type_, str) else None,
            context=context(text, start, end), coverage=coverage, **more,
        )

    for m in dm.matches:
        g = m.gold
        if m.pred is None:
            best = max((_coverage(g, p) for p in dm.preds), default=0.0)
            yield "misses", case("miss", g, best, **_gold_fields(text, g))
        elif not m.speaker_ok:
            yield "wrong_speakers", case("wrong_speaker", g, _coverage(g, m.pred),
                                         **_gold_fields(text, g), **_pred_fields(text, m.pred))
    for p in dm.extra:
        best = max((_coverage(p, g) for g in golds), default=0.0)
        yield "false_alarms", case("false_alarm", p, best, **_pred_fields(text, p))


def sample_errors(
    docs: Sequence[DocMatches], n: int, *, seed: int = 0, false_alarms: bool = True
) -> dict[str, list[ErrorCase]]:
    """Up to ``n`` misses, false alarms and wrong speakers, drawn at random but reproducibly.

    The same matching, ``n`` and ``seed`` always give the same cases; each list is in corpus
    order (document, then position).

    :param false_alarms: sample false alarms (not when unmatched predictions are not counted
        as false alarms, under ``tiers``).
    """
    found: dict[str, list[ErrorCase]] = {"misses": [], "false_alarms": [], "wrong_speakers": []}
    for dm in docs:
        for kind, case in _errors_of(dm):
            found[kind].append(case)
    if not false_alarms:
        found["false_alarms"] = []
    out: dict[str, list[ErrorCase]] = {}
    for salt, (kind, cases) in enumerate(found.items()):
        rng = random.Random(seed * 3 + salt)
        chosen = sorted(rng.sample(range(len(cases)), min(max(n, 0), len(cases))))
        out[kind] = [cases[k] for k in chosen]
    return out


# --------------------------------------------------------------------------------------------
# the whole evaluation


@attrs.frozen
class Evaluation:
    """Everything ``quoteattr evaluate`` reports.

    :ivar scores: by threshold, in the order asked for.
    :ivar bands: by confidence, at the first threshold.
    :ivar errors: sampled at the first threshold; empty lists when none were asked for.
    :ivar error_totals: how many errors of each kind there are, at the first threshold.
    :ivar info: what was compared (paths, document and quote counts...), for the report.
    """

    scores: Sequence[Scores]
    bands: Sequence[Band]
    errors: Mapping[str, Sequence[ErrorCase]]
    error_totals: Mapping[str, int]
    tiers: Sequence[str] | None = None
    seed: int = 0
    info: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def threshold(self) -> float:
        """The threshold that bands and errors are computed at."""
        return self.scores[0].threshold

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object; docs/cli.md documents it."""
        out: dict[str, Any] = dict(self.info)
        out["tiers"] = None if self.tiers is None else list(self.tiers)
        out["scores"] = {_fmt_threshold(s.threshold): s.to_dict() for s in self.scores}
        out["confidence_bands"] = {
            "threshold": self.threshold,
            "bands": [b.to_dict() for b in self.bands],
        }
        out["errors"] = {
            "threshold": self.threshold,
            "seed": self.seed,
            "totals": dict(self.error_totals),
            **{kind: [c.to_dict() for c in cases] for kind, cases in self.errors.items()},
        }
        return out


def _fmt_threshold(t: float) -> str:
    return format(t, "g")


def evaluate(
    gold_docs: Sequence[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    tiers: Iterable[str] | None = None,
    bands: Sequence[float] = DEFAULT_BANDS,
    errors: int = 0,
    seed: int = 0,
    info: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Score at each threshold, and add bands and sampled errors at the first one.

    :param errors: how many cases of each kind of error to sample (0: none).
    """
    if not thresholds:
        raise ValueError("at least one threshold is needed")
    keep = None if tiers is None else sorted(set(tiers))
    count_fp = keep is None
    scores: list[Scores] = []
    first: list[DocMatches] = []
    for i, t in enumerate(thresholds):
        docs = match_documents(gold_docs, predictions, t, tiers=keep)
        scores.append(_tally(docs, t, count_fp=count_fp))
        if i == 0:
            first = docs
    s0 = scores[0]
    totals = {
        "misses": s0.fn,
        "false_alarms": s0.fp,
        "wrong_speakers": s0.tp - s0.speaker_ok,
    }
    sampled = (
        sample_errors(first, errors, seed=seed, false_alarms=count_fp)
        if errors > 0
        else {kind: [] for kind in totals}
    )
    return Evaluation(
        scores=scores,
        bands=confidence_bands(first, bands, count_fp=count_fp),
        errors=sampled,
        error_totals=totals,
        tiers=keep,
        seed=seed,
        info=dict(info or {}),
    )


def at_least(
    predictions: Mapping[str, Sequence[Mapping[str, Any]]], threshold: float
) -> dict[str, list[Mapping[str, Any]]]:
    """The predictions whose confidence is at least ``threshold``.

    A prediction that gives no confidence is kept: it cannot be judged.
    """

    def keep(pred: Mapping[str, Any]) -> bool:
        c = _confidence(pred)
        return c is None or c >= threshold

    return {doc_id: [p for p in preds if keep(p)] for doc_id, preds in predictions.items()}


# --------------------------------------------------------------------------------------------
# the text report


def _n(count: Any, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [c.rjust(w) if r else c.ljust(w)
                 for c, w, r in zip(row, widths, right, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _speaker_note(name: str | None, mention: str | None, span: tuple[int, int] | None) -> str:
    if not name and mention is None:
        return "(none)"
    out = inert_line(name or "(no name)")
    if mention is not None and span is not None:
        out += f' ("{inert_line(mention)}" {span[0]}-{span[1]})'
    return out


def _case_lines(index: int, case: ErrorCase) -> list[str]:
    head = f"{index:>3}. {case.doc_id}  {case.start}-{case.end}  {case.type or '?'}"
    if case.kind == "miss":
        head += f"  best overlap {case.coverage:.2f}"
        detail = ["gold: " + _speaker_note(case.gold_speaker, case.gold_mention,
                                           case.gold_mention_span)]
    elif case.kind == "false_alarm":
        head += f"  covered by gold {case.coverage:.2f}"
        detail = ["pred: " + _speaker_note(case.pred_speaker, case.pred_mention,
                                           case.pred_mention_span)]
    else:
        head += f"  overlap {case.coverage:.2f}"
        detail = [
            "gold: " + _speaker_note(case.gold_speaker, case.gold_mention,
                                     case.gold_mention_span),
            "pred: " + _speaker_note(case.pred_speaker, case.pred_mention,
                                     case.pred_mention_span),
        ]
    if case.kind != "miss":
        extras = []
        if case.confidence is not None:
            extras.append(f"confidence {case.confidence:.2f}")
        if case.sieve:
            extras.append(f"sieve {case.sieve}")
        if case.rule:
            extras.append(f"rule {case.rule}")
        if extras:
            detail[-1] += "  [" + ", ".join(extras) + "]"
    return [head, *("     " + d for d in detail), "     " + case.context]


_ERROR_TITLES = {
    "misses": "misses (gold quotes not found)",
    "false_alarms": "false alarms (predictions matching no gold quote)",
    "wrong_speakers": "wrong speakers (matched quotes)",
}


def format_text(ev: Evaluation) -> str:
    """The evaluation as tables for a terminal (about 90 columns)."""
    info = ev.info
    lines: list[str] = []
    if info:
        gold, pred = info.get("gold", {}), info.get("predictions", {})
        lines.append(
            f"gold         {gold.get('path')}: {_n(gold.get('documents'), 'document')}, "
            f"{_n(gold.get('quotes'), 'quote')}"
        )
        source = pred.get("path") or "quoteattr, run now"
        more = f", {pred['failed']} failed" if pred.get("failed") else ""
        lines.append(
            f"predictions  {source}: {_n(pred.get('documents'), 'document')}, "
            f"{_n(pred.get('quotes'), 'quote')}{more}"
        )
        if pred.get("min_confidence"):
            lines.append(f"             confidence at least {pred['min_confidence']:g}")
    if ev.tiers is not None:
        lines += [
            f"tiers        {', '.join(ev.tiers)} only: unmatched predictions are not counted",
            "             as false alarms, so precision is not meaningful",
        ]
    lines.append("")

    rows = [["overlap", "gold", "tp", "fp", "fn", "precision", "recall", "F1", "speaker",
             "mention", "end-to-end"]]
    for s in ev.scores:
        rows.append([f"> {_fmt_threshold(s.threshold)}", str(s.gold), str(s.tp), str(s.fp),
                     str(s.fn), _f(s.precision), _f(s.recall), _f(s.f1),
                     _f(s.speaker_accuracy), _f(s.mention_accuracy), _f(s.end_to_end)])
    lines += _table(rows, [False] + [True] * 10)
    lines += [
        "",
        "speaker: right speaker name among matched quotes (for a pronoun gold speaker, the",
        "  mention must overlap); mention: the predicted speaker mention overlaps the gold one,",
        "  where both have one; end-to-end: gold quotes found with the right speaker.",
        "",
    ]

    types = sorted({t for s in ev.scores for t in s.by_type})
    if types:
        header = ["type", "n"]
        for s in ev.scores:
            t = _fmt_threshold(s.threshold)
            header += [f"recall>{t}", f"speaker>{t}"]
        rows = [header]
        for kind in types:
            first = ev.scores[0].by_type.get(kind, {})
            row = [kind, str(first.get("tp", 0) + first.get("fn", 0))]
            for s in ev.scores:
                c = s.by_type.get(kind, {"tp": 0, "fn": 0, "speaker_ok": 0})
                n = c["tp"] + c["fn"]
                row += [_f(c["tp"] / n if n else None),
                        _f(c["speaker_ok"] / c["tp"] if c["tp"] else None)]
            rows.append(row)
        lines += _table(rows, [False] + [True] * (len(header) - 1))
        lines.append("")

    rows = [[f"confidence (overlap > {_fmt_threshold(ev.threshold)})", "predictions",
             "matched", "precision", "speaker"]]
    for b in ev.bands:
        rows.append([b.label, str(b.predictions), str(b.matched), _f(b.precision),
                     _f(b.speaker_accuracy)])
    lines += _table(rows, [False, True, True, True, True])

    for kind, cases in ev.errors.items():
        total = ev.error_totals.get(kind, 0)
        if not cases:
            continue
        lines += [
            "",
            f"{_ERROR_TITLES[kind]}: {len(cases)} of {total}, overlap > "
            f"{_fmt_threshold(ev.threshold)}, seed {ev.seed}",
        ]
        for i, case in enumerate(cases, start=1):
            lines += _case_lines(i, case)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# reading gold and predictions


_BOM = b"\xef\xbb\xbf"


def _decode(data: bytes, path: str) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid UTF-8 at byte {exc.start}", path=path) from None


def _read(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return _decode(data, path)


def _json_lines(path: str) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(_read(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})",
                             path=path, line=lineno) from None


def _json_file(path: str) -> Any:
    try:
        return json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None


def _check_quotes(quotes: Any, path: str, line: int | None, what: str) -> list[dict[str, Any]]:
    if quotes is None:
        return []
    if not isinstance(quotes, list):
        raise InputError(f"'quotes' of {what} must be a list", path=path, line=line)
    for i, q in enumerate(quotes):
        if not isinstance(q, dict) or not (_is_int(q.get("start")) and _is_int(q.get("end"))):
            msg = f"quote {i} of {what} needs integer 'start' and 'end'"
            raise InputError(msg, path=path, line=line)
    return quotes


def _doc_id(obj: Mapping[str, Any], default: str, path: str, line: int | None) -> str:
    doc_id = obj.get("doc_id")
    if doc_id is None:
        return default
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        raise InputError(f"'doc_id' must be a string, got {type(doc_id).__name__}",
                         path=path, line=line)
    return str(doc_id)


def _gold_doc(obj: Any, path: str, line: int | None, default_id: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", path=path,
                         line=line)
    doc = dict(obj)
    doc["doc_id"] = _doc_id(doc, default_id, path, line)
    if "quotes" not in doc:
        raise InputError(f"gold document {doc['doc_id']!r} has no 'quotes'", path=path,
                         line=line)
    doc["quotes"] = _check_quotes(doc["quotes"], path, line, f"document {doc['doc_id']!r}")
    text, source = doc.get("text"), doc.get("source")
    if text is None and isinstance(source, str) and source:
        # the seed gold names its text file instead of holding the text
        doc["text"] = _read(str(Path(path).parent / source))
    elif text is not None and not isinstance(text, str):
        raise InputError(f"'text' of {doc['doc_id']!r} must be a string", path=path, line=line)
    return doc


def load_gold(path: str) -> list[dict[str, Any]]:
    """Gold documents from a JSONL file, one JSON document (``.json``), or brat standoff (a
    directory, or a ``.ann`` file with its ``.txt``; see :mod:`quoteattr.brat`).

    A document without ``text`` but with a ``source`` file name (as the seed gold has) gets
    the text of that file, found beside the gold file. A JSONL line without ``doc_id`` is
    named ``STEM:LINE``, as ``quoteattr`` names it; a ``.json`` document, ``STEM``.
    Raises :class:`~quoteattr.errors.InputError` naming the file and line of a fault.
    """
    if brat.is_brat(path):
        return brat.read_brat(path)
    stem = Path(path).stem
    if path.lower().endswith(".json"):
        obj = _json_file(path)
        objs = obj if isinstance(obj, list) else [obj]
        return [_gold_doc(o, path, None, stem) for o in objs]
    return [_gold_doc(obj, path, line, f"{stem}:{line}") for line, obj in _json_lines(path)]


@attrs.frozen
class Predictions:
    """Predicted quotes by ``doc_id``, and the documents whose record is an error record."""

    quotes: Mapping[str, Sequence[Mapping[str, Any]]]
    failed: Sequence[str] = ()

    @property
    def documents(self) -> int:
        return len(self.quotes)

    @property
    def count(self) -> int:
        return sum(len(q) for q in self.quotes.values())


def _from_gold_shape(quote: Mapping[str, Any]) -> dict[str, Any]:
    """A brat-read quote in the shape of a prediction: the speaker as ``{name, start, end}``."""
    out = dict(quote)
    span = _gold_mention(quote)
    name = quote.get("speaker")
    if span is not None:
        out["speaker"] = {"name": name, "start": span[0], "end": span[1],
                          "text": quote.get("speaker_mention")}
    return out


def read_predictions(path: str) -> Predictions:
    """Predictions from ``quoteattr --format jsonl`` output (or ``--format json``'s array, or
    brat standoff). A record without ``doc_id`` is named as the gold loader names it.

    An error record (a document quoteattr could not attribute) gives no quotes, and its
    ``doc_id`` is listed in :attr:`Predictions.failed`.
    """
    if brat.is_brat(path):
        docs = brat.read_brat(path)
        return Predictions({d["doc_id"]: [_from_gold_shape(q) for q in d["quotes"]]
                            for d in docs})
    stem = Path(path).stem
    if path.lower().endswith(".json"):
        obj = _json_file(path)
        records: list[tuple[int | None, Any]] = [
            (None, r) for r in (obj if isinstance(obj, list) else [obj])
        ]
    else:
        records = list(_json_lines(path))
    quotes: dict[str, list[Mapping[str, Any]]] = {}
    failed: list[str] = []
    for i, (line, record) in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}",
                             path=path, line=line)
        doc_id = _doc_id(record, f"{stem}:{line or i}", path, line)
        if "error" in record:
            failed.append(doc_id)
            quotes[doc_id] = []
            continue
        quotes[doc_id] = list(_check_quotes(record.get("quotes"), path, line, f"{doc_id!r}"))
    return Predictions(quotes, failed)


def load_predictions(path: str) -> dict[str, list[dict[str, Any]]]:
    """Predicted quotes by doc_id from ``quoteattr --format jsonl`` output."""
    return {k: [dict(q) for q in v] for k, v in read_predictions(path).quotes.items()}
