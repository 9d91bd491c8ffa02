"""Attributions in brat standoff format: read as gold, and written for annotators.

A brat document is a pair of files with the same stem: ``NAME.txt`` holds the text (UTF-8,
read and written byte for byte, ``\\r\\n`` included) and ``NAME.ann`` the annotations; the
document's ``doc_id`` is ``NAME``. Offsets are ``str`` indices into the text, half-open, as
everywhere in quoteattr.

The mapping
-----------

One gold quote (a record of the gold JSONL schema, ``../shared/data/README.md``) becomes:

``T`` **Quote** (text-bound)
    the reported content, ``start``-``end``. A discontinuous quote (gold ``parts`` with more
    than one piece) is written as brat fragments in their gold order,
    ``T1<TAB>Quote 10 40;52 80<TAB>...``; read back, ``parts`` lists the fragments, ``start``
    is the first fragment's start and ``end`` the last one's end (PolNeAR's convention, which
    for fragments in text order are the outer bounds).
    **The order of the Quote annotations, by the number of their ``T`` id, is the order of
    the gold quotes**: scoring matches gold quotes greedily in that order.
``A`` **Type** *value*
    on the Quote: ``direct``, ``mixed`` or ``indirect``.
``A`` **Tier** *value*
    on the Quote, when the gold quote has a tier: ``required`` or ``stretch``.
``T`` **Speaker** (text-bound)
    the speaker mention, ``speaker_start``-``speaker_end`` (or the fragments of a gold
    ``speaker_span`` with more than one piece). One Speaker annotation serves every quote
    with the same mention and the same speaker name.
``#`` **AnnotatorNotes** on a Speaker
    the canonical speaker name (gold ``speaker``), always written. Read back, a Speaker
    without a note is named by the text of its mention.
``R`` **Attribution** ``Arg1:`` *Quote* ``Arg2:`` *Speaker*
    who said it. A quote with several Attribution relations takes the first (lowest ``R``
    number).
``T`` **Cue** (text-bound) and ``R`` **HasCue** ``Arg1:`` *Quote* ``Arg2:`` *Cue*
    the cue, when its offsets are known (a gold ``cue_span``, or a predicted ``cue`` with
    ``start``/``end``); gold ``cue`` is read back as the cue's text.
``#`` **AnnotatorNotes** on a Quote, ``KEY: VALUE``
    the fields brat has no place for, one note each: ``speaker: NAME`` (a speaker name
    without a mention), ``cue: TEXT`` (a cue without offsets), ``note: TEXT`` (the gold
    ``note``), and for predictions ``confidence: 0.92``, ``sieve: NAME``, ``rule: NAME``.
    A note in no such form is read as the quote's ``note``.

Read back, each quote has ``start``, ``end``, ``text`` (the document's text there), ``type``,
``speaker``, ``speaker_mention``, ``speaker_start``, ``speaker_end`` and, when they were
given, ``tier``, ``cue``, ``parts``, ``speaker_span``, ``cue_span``, ``note``,
``confidence``, ``sieve`` and ``rule``. Every field the evaluator uses (offsets, type, tier,
speaker name and mention offsets, quote order) survives gold -> brat -> gold unchanged, except
that an empty speaker name reads back as ``null`` (both mean "no speaker" to the evaluator).
Other fields of the gold records (``event_id``, document metadata) are not kept.

Notes and the text shown after a ``T`` annotation are written on one line: line breaks and
tabs in them become spaces. On reading, the ``.ann`` text of a ``T`` line is not checked
against the document (the offsets rule); other annotation kinds (``E``, ``M``, ``N``, ``*``)
and entity types other than Quote, Speaker and Cue are ignored. :data:`ANNOTATION_CONF` is the
brat configuration for these types; :func:`write_brat` puts it beside the documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from quoteattr.errors import InputError

__all__ = [
    "ANNOTATION_CONF",
    "from_ann",
    "is_brat",
    "read_brat",
    "read_document",
    "to_ann",
    "write_brat",
    "write_document",
]

QUOTE, SPEAKER, CUE = "Quote", "Speaker", "Cue"
ATTRIBUTION, HAS_CUE = "Attribution", "HasCue"
NOTES = "AnnotatorNotes"
#: the ``KEY: VALUE`` notes of a Quote that set a field of the quote
_NOTE_KEYS = ("speaker", "cue", "note", "confidence", "sieve", "rule")

ANNOTATION_CONF = """\
# brat configuration for quoteattr's quote attribution annotations (see quoteattr/brat.py)
[entities]
Quote
Speaker
Cue

[relations]
Attribution Arg1:Quote, Arg2:Speaker
HasCue Arg1:Quote, Arg2:Cue
<OVERLAP> Arg1:Quote, Arg2:Quote|Speaker|Cue, <ANY>
<OVERLAP> Arg1:Speaker|Cue, Arg2:Quote|Speaker|Cue, <ANY>

[events]

[attributes]
Type Arg:Quote, Value:direct|mixed|indirect
Tier Arg:Quote, Value:required|stretch
"""

Spans = tuple[tuple[int, int], ...]

_SPAN = re.compile(r"^(\d+) (\d+)$")
_ID = re.compile(r"^[TRAEMN#*][0-9]*$")


# --------------------------------------------------------------------------------------------
# writing


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines()) if text else ""


def _pairs(value: Any) -> Spans | None:
    """``[[s, e], ...]`` (or ``[{"start", "end"}, ...]``) as a tuple of pairs, if well formed."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    out: list[tuple[int, int]] = []
    for item in value:
        if isinstance(item, Mapping):
            item = (item.get("start"), item.get("end"))
        if (
            not isinstance(item, (list, tuple))
            or len(item) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in item)
        ):
            return None
        out.append((int(item[0]), int(item[1])))
    return tuple(out)


def _span_of(start: Any, end: Any) -> Spans | None:
    if isinstance(start, int) and isinstance(end, int):
        return ((start, end),)
    return None


class _QuoteFields(NamedTuple):
    """What the writer needs of a quote, from a gold record or a quoteattr prediction."""

    spans: Spans
    type: str | None
    tier: str | None
    speaker: str | None
    speaker_spans: Spans | None
    cue_text: str | None
    cue_spans: Spans | None
    notes: tuple[tuple[str, str], ...]


def _fields(quote: Mapping[str, Any]) -> _QuoteFields:
    parts = _pairs(quote.get("parts"))
    outer = _span_of(quote.get("start"), quote.get("end"))
    # parts stand for the quote only when they agree with its start and end (PolNeAR's
    # convention: start is the first part's start, end the last part's end)
    if parts and outer and (parts[0][0], parts[-1][1]) == outer[0]:
        spans: Spans | None = parts
    else:
        spans = outer
    if not spans:
        raise ValueError(f"a quote needs integer start and end: {dict(quote)!r}")
    speaker = quote.get("speaker")
    name: str | None
    if isinstance(speaker, Mapping):  # a prediction: {"name", "start", "end", "text", ...}
        name = speaker.get("name") or speaker.get("text")
        speaker_spans = _span_of(speaker.get("start"), speaker.get("end"))
    else:
        name = speaker if isinstance(speaker, str) else None
        speaker_spans = _pairs(quote.get("speaker_span")) or _span_of(
            quote.get("speaker_start"), quote.get("speaker_end")
        )
    cue = quote.get("cue")
    cue_text: str | None
    if isinstance(cue, Mapping):
        cue_text = cue.get("text")
        cue_spans = _span_of(cue.get("start"), cue.get("end"))
    else:
        cue_text = cue if isinstance(cue, str) else None
        cue_spans = _pairs(quote.get("cue_span"))
    notes: list[tuple[str, str]] = []
    if name and speaker_spans is None:
        notes.append(("speaker", name))
    if cue_text and cue_spans is None:
        notes.append(("cue", cue_text))
    if quote.get("note"):
        notes.append(("note", str(quote["note"])))
    confidence = quote.get("confidence")
    if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
        notes.append(("confidence", repr(float(confidence))))
    for key in ("sieve", "rule"):
        if isinstance(quote.get(key), str) and quote[key]:
            notes.append((key, quote[key]))
    kind, tier = quote.get("type"), quote.get("tier")
    return _QuoteFields(
        spans=spans,
        type=str(kind) if kind else None,
        tier=str(tier) if tier else None,
        speaker=name or None,
        speaker_spans=speaker_spans,
        cue_text=cue_text,
        cue_spans=cue_spans,
        notes=tuple(notes),
    )


def _token(value: str, what: str) -> str:
    if not value or any(c.isspace() for c in value):
        raise ValueError(f"a brat attribute value cannot be empty or hold spaces: {what} {value!r}")
    return value


class _Writer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.counts = {"T": 0, "R": 0, "A": 0, "#": 0}

    def _next(self, kind: str) -> str:
        self.counts[kind] += 1
        return f"{kind}{self.counts[kind]}"

    def textbound(self, label: str, spans: Spans) -> str:
        for start, end in spans:
            if not 0 <= start <= end <= len(self.text):
                raise ValueError(f"{label} span [{start}, {end}) is outside the text")
        ident = self._next("T")
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        shown = " ".join(_one_line(self.text[s:e]) for s, e in spans)
        self.lines.append(f"{ident}\t{label} {offsets}\t{shown}")
        return ident

    def attribute(self, name: str, target: str, value: str) -> None:
        self.lines.append(f"{self._next('A')}\t{name} {target} {_token(value, name)}")

    def relation(self, name: str, arg1: str, arg2: str) -> None:
        self.lines.append(f"{self._next('R')}\t{name} Arg1:{arg1} Arg2:{arg2}")

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self._next('#')}\t{NOTES} {target}\t{_one_line(text)}")


def to_ann(doc: Mapping[str, Any]) -> str:
    """The ``.ann`` text for one document (a gold record, or a quoteattr JSONL record).

    Raises :class:`ValueError` for a quote without integer offsets, an offset outside the
    text, or a type or tier that is not a single word.
    """
    text = doc.get("text")
    if not isinstance(text, str):
        raise ValueError(f"document {doc.get('doc_id')!r} has no text")
    w = _Writer(text)
    speakers: dict[tuple[Spans, str | None], str] = {}
    cues: dict[Spans, str] = {}
    for quote in doc.get("quotes") or ():
        f = _fields(quote)
        q = w.textbound(QUOTE, f.spans)
        if f.type:
            w.attribute("Type", q, f.type)
        if f.tier:
            w.attribute("Tier", q, f.tier)
        if f.speaker_spans is not None:
            key = (f.speaker_spans, f.speaker)
            s = speakers.get(key)
            if s is None:
                s = speakers[key] = w.textbound(SPEAKER, f.speaker_spans)
                if f.speaker:
                    w.note(s, f.speaker)
            w.relation(ATTRIBUTION, q, s)
        if f.cue_spans is not None:
            c = cues.get(f.cue_spans)
            if c is None:
                c = cues[f.cue_spans] = w.textbound(CUE, f.cue_spans)
            w.relation(HAS_CUE, q, c)
        for field, value in f.notes:
            w.note(q, f"{field}: {value}")
    return "".join(line + "\n" for line in w.lines)


def write_document(doc: Mapping[str, Any], directory: str | Path) -> Path:
    """Write ``DOC_ID.txt`` and ``DOC_ID.ann`` into ``directory``; return the ``.ann`` path."""
    doc_id = str(doc.get("doc_id"))
    if not doc_id or doc_id in (".", "..") or "/" in doc_id or "\\" in doc_id:
        raise ValueError(f"doc_id {doc_id!r} cannot be a file name")
    ann = to_ann(doc)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id}.txt").write_text(doc["text"], encoding="utf-8", newline="")
    path = folder / f"{doc_id}.ann"
    path.write_text(ann, encoding="utf-8", newline="")
    return path


def write_brat(docs: Iterable[Mapping[str, Any]], directory: str | Path) -> list[Path]:
    """Write every document into ``directory``, with an ``annotation.conf`` if there is none."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "annotation.conf"
    if not conf.exists():
        conf.write_text(ANNOTATION_CONF, encoding="utf-8")
    return [write_document(doc, folder) for doc in docs]


# --------------------------------------------------------------------------------------------
# reading


def _number(ident: str) -> int:
    digits = ident[1:]
    return int(digits) if digits.isdigit() else 0


class _Textbound(NamedTuple):
    """A text-bound annotation of an ``.ann`` file: its id, its label and its spans."""

    ident: str
    label: str
    spans: Spans

    @property
    def start(self) -> int:
        """The start of the first fragment, as written."""
        return self.spans[0][0]

    @property
    def end(self) -> int:
        """The end of the last fragment, as written."""
        return self.spans[-1][1]


def _parse_spans(field: str, text: str, where: tuple[str | None, int]) -> Spans:
    spans: list[tuple[int, int]] = []
    for piece in field.split(";"):
        m = _SPAN.match(piece.strip())
        if m is None:
            raise InputError(f"bad offsets {piece!r}", path=where[0], line=where[1])
        start, end = int(m[1]), int(m[2])
        if not start <= end <= len(text):
            msg = f"offsets {start} {end} are outside the text ({len(text)} characters)"
            raise InputError(msg, path=where[0], line=where[1])
        spans.append((start, end))
    return tuple(spans)


def _opt_list(spans: Spans) -> list[list[int]] | None:
    return [list(p) for p in spans] if len(spans) > 1 else None


def from_ann(ann: str, text: str, doc_id: str, *, path: str | None = None) -> dict[str, Any]:
    """One gold document (see the module docstring) from the ``.ann`` text and the text.

    :param path: the ``.ann`` file, named in the :class:`~quoteattr.errors.InputError` raised
        for a malformed line.
    """
    bounds: dict[str, _Textbound] = {}
    relations: list[tuple[int, str, str, str]] = []
    attributes: dict[str, dict[str, str]] = {}
    notes: dict[str, list[str]] = {}
    for lineno, line in enumerate(ann.splitlines(), start=1):
        if not line.strip():
            continue
        where = (path, lineno)
        ident, _, rest = line.partition("\t")
        if not _ID.match(ident):
            raise InputError(f"not a brat annotation line: {line[:60]!r}", path=path, line=lineno)
        kind = ident[0]
        if kind == "T":
            head, _, _shown = rest.partition("\t")
            label, _, offsets = head.partition(" ")
            if not offsets:
                raise InputError("a T line needs a type and offsets", path=path, line=lineno)
            if ident in bounds:
                raise InputError(f"{ident} is defined twice", path=path, line=lineno)
            bounds[ident] = _Textbound(ident, label, _parse_spans(offsets, text, where))
        elif kind == "R":
            fields = rest.split("\t")[0].split()
            args = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
            if len(fields) < 3 or "Arg1" not in args or "Arg2" not in args:
                raise InputError("an R line needs Arg1: and Arg2:", path=path, line=lineno)
            relations.append((_number(ident), fields[0], args["Arg1"], args["Arg2"]))
        elif kind == "A" or kind == "M":
            fields = rest.split("\t")[0].split()
            if len(fields) < 2:
                raise InputError("an A line needs a name and a target", path=path, line=lineno)
            value = fields[2] if len(fields) > 2 else "true"
            attributes.setdefault(fields[1], {})[fields[0]] = value
        elif kind == "#":
            head, _, note = rest.partition("\t")
            fields = head.split()
            if len(fields) >= 2 and fields[0] == NOTES:
                notes.setdefault(fields[1], []).append(note.strip())
        # E, N and * lines carry nothing this mapping uses

    for number, _name, arg1, arg2 in relations:
        for arg in (arg1, arg2):
            if arg not in bounds:
                msg = f"relation R{number} refers to {arg}, which is not a text-bound annotation"
                raise InputError(msg, path=path)

    speaker_of: dict[str, _Textbound] = {}
    cue_of: dict[str, _Textbound] = {}
    for _, name, arg1, arg2 in sorted(relations):
        if name == ATTRIBUTION and bounds[arg2].label == SPEAKER:
            speaker_of.setdefault(arg1, bounds[arg2])
        elif name == HAS_CUE and bounds[arg2].label == CUE:
            cue_of.setdefault(arg1, bounds[arg2])

    quotes: list[dict[str, Any]] = []
    in_order = sorted(bounds.values(), key=lambda b: _number(b.ident))
    for t in (b for b in in_order if b.label == QUOTE):
        quote: dict[str, Any] = {"start": t.start, "end": t.end, "text": text[t.start : t.end]}
        attrs_ = attributes.get(t.ident, {})
        if "Type" in attrs_:
            quote["type"] = attrs_["Type"]
        speaker = speaker_of.get(t.ident)
        quote["speaker"] = None
        quote["speaker_mention"] = None
        quote["speaker_start"] = quote["speaker_end"] = None
        if speaker is not None:
            mention = text[speaker.start : speaker.end]
            names = notes.get(speaker.ident)
            quote["speaker"] = names[0] if names else mention
            quote["speaker_mention"] = mention
            quote["speaker_start"], quote["speaker_end"] = speaker.start, speaker.end
            if _opt_list(speaker.spans):
                quote["speaker_span"] = _opt_list(speaker.spans)
        cue = cue_of.get(t.ident)
        if cue is not None:
            quote["cue"] = " ".join(text[s:e] for s, e in cue.spans)
            quote["cue_span"] = [list(p) for p in cue.spans]
        if "Tier" in attrs_:
            quote["tier"] = attrs_["Tier"]
        if _opt_list(t.spans):
            quote["parts"] = _opt_list(t.spans)
        for note in notes.get(t.ident, ()):
            key, sep, value = note.partition(": ")
            if not sep or key not in _NOTE_KEYS:
                key, value = "note", note
            if key == "confidence":
                try:
                    quote["confidence"] = float(value)
                except ValueError:
                    quote["note"] = note
            elif key == "speaker":
                quote["speaker"] = value
            elif key == "note" and "note" in quote:
                quote["note"] = f"{quote['note']} | {value}"
            else:
                quote[key] = value
        if not quote["speaker"]:
            quote["speaker"] = None
        quotes.append(quote)
    return {"doc_id": doc_id, "text": text, "quotes": quotes}


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid UTF-8 at byte {exc.start}", path=str(path)) from None


def read_document(ann_path: str | Path) -> dict[str, Any]:
    """The gold document of ``NAME.ann`` and its sibling ``NAME.txt``; ``doc_id`` is ``NAME``."""
    ann = Path(ann_path)
    annotations = _read_text(ann)
    txt = ann.with_suffix(".txt")
    if not txt.is_file():
        raise InputError(f"no text file {txt.name} beside it", path=str(ann))
    return from_ann(annotations, _read_text(txt), ann.stem, path=str(ann))


def read_brat(path: str | Path) -> list[dict[str, Any]]:
    """Gold documents from a ``.ann`` file, or from every ``.ann`` file of a directory (sorted
    by name; subdirectories are not searched)."""
    where = Path(path)
    if where.is_dir():
        anns = sorted(p for p in where.iterdir() if p.suffix == ".ann" and p.is_file())
        if not anns:
            raise InputError("no .ann files in this directory", path=str(where))
        return [read_document(p) for p in anns]
    return [read_document(where)]


def is_brat(path: str | Path) -> bool:
    """Whether ``path`` names brat input: a directory, or a ``.ann`` file."""
    where = Path(path)
    return where.is_dir() or where.suffix.lower() == ".ann"
