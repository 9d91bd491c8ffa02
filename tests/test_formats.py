"""The built-in output formats: jsonl, json, csv and text.

The results are built by hand from :mod:`quoteattr.model`, so these tests do not depend on how
well the detection plugins do.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quoteattr import ErrorRecord, Pipeline
from quoteattr.default import formats
from quoteattr.model import Attribution, Cue, Entity, Result, Span, Speaker
from quoteattr.pipeline import write_lines

Writer = Callable[[Iterable[Result | ErrorRecord], TextIO], None]

TEXT = (
    "Zamir Kabulov said the Taliban is “flawlessly” adhering to the deal. "
    "“We are ready to do it, but we will not start any military operations in the region "
    "without the consent of our partners, and that is what we told them in Doha,” he said."
)

QUOTE_KEYS = {"start", "end", "text", "type", "fragments", "cue", "speaker", "confidence",
              "sieve", "rule"}


def span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span(start, start + len(part), part)


def kabulov(doc_id: str | None = "kabulov") -> Result:
    """Two attributions to one entity, and one quote without a speaker."""
    mixed = span(TEXT, "the Taliban is “flawlessly” adhering to the deal")
    direct = span(TEXT, "“We are ready")
    direct = span(TEXT, TEXT[direct.start : TEXT.index("Doha,”") + len("Doha,”")])
    entity = Entity("e1", "Zamir Kabulov", "person", "male",
                    (span(TEXT, "Zamir Kabulov"), span(TEXT, "he", direct.end)))
    return Result(
        doc_id,
        [
            Attribution(
                mixed, "mixed", (span(TEXT, "“flawlessly”"),), Cue(span(TEXT, "said"), "say"),
                Speaker("Zamir Kabulov", span(TEXT, "Zamir Kabulov"), "e1", "person"),
                0.9, "sieve-frame", "reported",
            ),
            Attribution(
                direct, "direct", (), Cue(span(TEXT, "said", direct.end), "say"),
                Speaker("Zamir Kabulov", span(TEXT, "he", direct.end), "e1", "person"),
                0.75, "sieve-adjacent-cue", "marks",
            ),
            Attribution(span(TEXT, "We are ready"), "direct", (), None, None, 0.2, "none", "m"),
        ],
        [entity],
    )


def failure(doc_id: str | None = "broken") -> ErrorRecord:
    return ErrorRecord(doc_id, "PluginError", 'Error in plugin "x" (hook): boom\nsecond line', "x")


def single(text: str, doc_id: str = "odd", speaker: str = "Someone") -> Result:
    """A result whose only quote is the whole of ``text``."""
    return Result(
        doc_id,
        [Attribution(Span(0, len(text), text), "direct", (), None,
                     Speaker(speaker, Span(0, len(text), text)), 0.5, "s", "r")],
    )


def builtin_formats() -> dict[str, Writer]:
    found: dict[str, Writer] = {}

    def register(
        name: str, write: Writer | None = None, description: str = "", *, line: Any = None
    ) -> None:
        assert description, f"format {name} has no description"
        assert (write is None) != (line is None)
        found[name] = write if write is not None else functools.partial(write_lines, line)

    formats.quoteattr_register_formats(register)
    return found


def write(name: str, records: Iterable[Result | ErrorRecord]) -> str:
    out = io.StringIO()
    builtin_formats()[name](records, out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# registration and streaming


def test_the_plugin_registers_the_four_formats() -> None:
    assert set(builtin_formats()) == {"jsonl", "json", "csv", "text"}


def test_the_formats_reach_the_pipeline() -> None:
    available = Pipeline(load_entrypoints=False).formats
    assert {"jsonl", "json", "csv", "text"} <= set(available)
    assert all(f.description for f in available.values())


@pytest.mark.parametrize("name", ["jsonl", "json", "csv", "text"])
def test_a_writer_writes_each_record_before_it_asks_for_the_next(name: str) -> None:
    out = io.StringIO()
    seen: list[str] = []

    def records() -> Iterator[Result | ErrorRecord]:
        yield kabulov("first-doc")
        seen.append(out.getvalue())  # what had been written when the second one was asked for
        yield kabulov("second-doc")
        seen.append(out.getvalue())

    builtin_formats()[name](records(), out)
    assert len(seen) == 2
    assert "first-doc" in seen[0]
    assert "second-doc" not in seen[0]
    assert "second-doc" in seen[1]


@pytest.mark.parametrize("name", ["jsonl", "json", "csv", "text"])
def test_a_writer_flushes_after_each_record(name: str) -> None:
    class Counting(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            self.flushes += 1
            super().flush()

    out = Counting()
    builtin_formats()[name]([kabulov("a"), failure("b"), kabulov("c")], out)
    assert out.flushes >= 3


@pytest.mark.parametrize("name", ["jsonl", "json", "csv", "text"])
def test_no_records_is_valid_output(name: str) -> None:
    text = write(name, [])
    if name == "json":
        assert json.loads(text) == []
    elif name == "csv":
        assert list(csv.reader(io.StringIO(text))) == [list(formats.CSV_COLUMNS)]
    else:
        assert text == ""


# --------------------------------------------------------------------------------------------
# jsonl


def test_jsonl_is_one_object_per_record_in_order() -> None:
    records: list[Result | ErrorRecord] = [kabulov("a"), failure("b"), kabulov(None)]
    lines = write("jsonl", records).splitlines()
    assert [json.loads(line) for line in lines] == [r.to_dict() for r in records]
    assert [json.loads(line)["doc_id"] for line in lines] == ["a", "b", None]


def test_jsonl_quotes_follow_the_documented_contract() -> None:
    doc = json.loads(write("jsonl", [kabulov()]))
    assert set(doc) == {"doc_id", "quotes", "entities"}
    first = doc["quotes"][0]
    assert set(first) == QUOTE_KEYS
    assert TEXT[first["start"] : first["end"]] == first["text"]
    flawlessly, said = TEXT.index("“flawlessly”"), TEXT.index("said")
    assert first["fragments"] == [
        {"start": flawlessly, "end": flawlessly + 12, "text": "“flawlessly”"}
    ]
    assert first["cue"] == {"start": said, "end": said + 4, "text": "said", "lemma": "say"}
    assert set(first["speaker"]) == {"name", "start", "end", "text", "entity", "kind"}
    assert doc["quotes"][2]["speaker"] is None
    assert doc["quotes"][2]["cue"] is None


def test_jsonl_error_records() -> None:
    line = json.loads(write("jsonl", [failure()]))
    assert line == {
        "doc_id": "broken",
        "error": {"type": "PluginError", "message": 'Error in plugin "x" (hook): boom\nsecond line',
                  "plugin": "x"},
    }


def test_jsonl_keeps_non_ascii_text_readable() -> None:
    out = write("jsonl", [kabulov()])
    assert "“flawlessly”" in out
    assert "\\u201c" not in out


def test_jsonl_escapes_a_line_with_a_lone_surrogate_and_only_that_line() -> None:
    lone = "“Yes,” he said \ud800."
    out = write("jsonl", [single(lone, "bad"), kabulov()])
    out.encode("utf-8")  # strict: would raise on a raw surrogate
    first, second = out.splitlines()
    assert "\\ud800" in first
    assert json.loads(first)["quotes"][0]["text"] == lone
    assert "“flawlessly”" in second  # the fallback is per line


def test_jsonl_to_an_ascii_stream_escapes_instead_of_failing() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    formats.write_jsonl([kabulov()], stream)
    stream.flush()
    assert json.loads(raw.getvalue().decode("ascii")) == kabulov().to_dict()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_jsonl_lines_cannot_be_split_by_unicode_line_separators(separator: str) -> None:
    text = f"one{separator}two"
    out = write("jsonl", [single(text), kabulov()])
    assert separator not in out
    lines = out.splitlines()  # str.splitlines breaks at these separators too
    assert len(lines) == 2
    assert json.loads(lines[0])["quotes"][0]["text"] == text


# --------------------------------------------------------------------------------------------
# jsonl: the text written without to_dict() is the text json.dumps writes for it

#: any string, lone surrogates, controls, quotes, backslashes and line separators included
_odd_text = st.text(st.characters(codec=None), max_size=12) | st.sampled_from(
    ["", '"', "\\", "\u2028", "\x85", "\ud800", "\x00\x1f\x7f", "“x”"]
)


@st.composite
def _spans(draw: st.DrawFn) -> Span:
    text = draw(_odd_text)
    start = draw(st.integers(0, 10**12) | st.just(10**30))  # (beyond a machine integer)
    return Span(start, start + len(text), text)


_optional_text = st.none() | _odd_text
_kinds = st.sampled_from(["person", "group", "organization", "unknown"])
_genders = st.sampled_from(["male", "female", "neuter", None])
_cues = st.none() | st.builds(Cue, _spans(), _odd_text)
_speakers = st.none() | st.builds(Speaker, _odd_text, _spans(), _optional_text, _kinds)
_confidences = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 1e-300, 0.1 + 0.2, 1e16]
)
_attributions = st.builds(
    Attribution, _spans(), st.sampled_from(["direct", "mixed", "indirect"]),
    st.lists(_spans(), max_size=3), _cues, _speakers, _confidences, _odd_text, _odd_text,
)
_entities = st.builds(
    Entity, _odd_text, _odd_text, _kinds, _genders, st.lists(_spans(), max_size=4)
)
_results = st.builds(
    Result, _optional_text, st.lists(_attributions, max_size=4), st.lists(_entities, max_size=3)
)


@given(_results)
def test_a_result_is_written_as_json_dumps_writes_its_dict(result: Result) -> None:
    expected = json.dumps(result.to_dict(), ensure_ascii=False)
    assert formats._result_json(result) == expected
    assert write("jsonl", [result]) == formats._dumps(result.to_dict(), "utf-8") + "\n"


class _Renamed(Span):
    def to_dict(self) -> dict[str, object]:
        return {"at": self.start}


class _Tagged(Result):
    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "tag": 1}


def _unusual() -> list[Result]:
    """Results that json.dumps(to_dict()) writes otherwise than the model's plain values."""
    plain = kabulov()
    first, entity = plain.attributions[0], plain.entities[0]
    return [
        _Tagged("t", plain.attributions, plain.entities),
        attrs.evolve(plain, attributions=[attrs.evolve(first, content=_Renamed(0, 1, "Z"))]),
        attrs.evolve(plain, attributions=[attrs.evolve(first, confidence=float("nan"))]),
        attrs.evolve(plain, attributions=[attrs.evolve(first, confidence=1)]),
        attrs.evolve(plain, attributions=[attrs.evolve(first, sieve=None)]),  # type: ignore[arg-type]
        attrs.evolve(plain, doc_id=7),  # type: ignore[arg-type]
        attrs.evolve(plain, entities=[attrs.evolve(entity, mentions=[Span(True, 2, "a")])]),
    ]


@pytest.mark.parametrize("result", _unusual())
def test_a_result_of_unusual_values_is_written_from_its_dict(result: Result) -> None:
    assert formats._result_json(result) is None
    assert write("jsonl", [result]) == formats._dumps(result.to_dict(), "utf-8") + "\n"


# --------------------------------------------------------------------------------------------
# json


def test_json_is_one_array_of_the_jsonl_objects() -> None:
    records: list[Result | ErrorRecord] = [kabulov("a"), failure("b")]
    out = write("json", records)
    assert json.loads(out) == [r.to_dict() for r in records]
    assert out.startswith("[\n  {\n")
    assert out.endswith("\n]\n")


def test_json_with_a_lone_surrogate_is_still_valid_utf8() -> None:
    out = write("json", [single("a\udcffb")])
    out.encode("utf-8")
    assert json.loads(out)[0]["quotes"][0]["text"] == "a\udcffb"


# --------------------------------------------------------------------------------------------
# csv


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_the_header_and_one_row_per_attribution() -> None:
    out = write("csv", [kabulov("a"), Result("empty"), kabulov("b")])
    assert out.splitlines()[0] == ",".join(formats.CSV_COLUMNS)
    rows = read_csv(out)
    assert [r["doc_id"] for r in rows] == ["a"] * 3 + ["b"] * 3
    first = rows[0]
    assert int(first["start"]) == TEXT.index("the Taliban")
    assert TEXT[int(first["start"]) : int(first["end"])] == first["text"]
    assert first["type"] == "mixed"
    assert first["speaker"] == "Zamir Kabulov"
    assert first["cue"] == "said"
    assert float(first["confidence"]) == 0.9
    assert first["sieve"] == "sieve-frame"
    second = rows[1]
    assert (second["speaker"], second["speaker_text"]) == ("Zamir Kabulov", "he")
    assert int(second["speaker_start"]) == TEXT.index("he", int(second["end"]))
    assert rows[2]["speaker"] == rows[2]["speaker_start"] == rows[2]["cue"] == ""


def test_csv_error_records_are_rows_of_type_error() -> None:
    rows = read_csv(write("csv", [failure()]))
    assert len(rows) == 1
    assert rows[0]["doc_id"] == "broken"
    assert rows[0]["type"] == "error"
    assert rows[0]["text"] == 'Error in plugin "x" (hook): boom\nsecond line'


@pytest.mark.parametrize("payload", ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_neutralises_formula_injection(payload: str) -> None:
    record = single(payload, doc_id=payload, speaker=payload)
    rows = read_csv(write("csv", [record]))
    for column in ("doc_id", "text", "speaker", "speaker_text"):
        assert rows[0][column] == "'" + payload
    assert rows[0]["start"] == "0"  # numbers are left alone


def test_csv_leaves_harmless_cells_alone() -> None:
    assert formats.neutralise_formula("a = b") == "a = b"
    assert formats.neutralise_formula("“=”") == "“=”"
    assert formats.neutralise_formula("") == ""


def test_csv_survives_a_lone_surrogate() -> None:
    out = write("csv", [single("x\ud800y")])
    out.encode("utf-8")
    assert read_csv(out)[0]["text"] == "x\\ud800y"


# --------------------------------------------------------------------------------------------
# text


def test_text_shows_one_block_per_attribution() -> None:
    out = write("text", [kabulov()])
    lines = out.splitlines()
    assert lines[0] == "kabulov: 3 attributions"
    assert "speaker" in lines[1] and "sieve" in lines[1]
    first = lines[2].split()
    assert first[:4] == ["1", "mixed", "Zamir", "Kabulov"]
    assert first[-3:] == ["said", "0.90", "sieve-frame"]
    assert lines[3].strip() == "the Taliban is “flawlessly” adhering to the deal"
    assert "Zamir Kabulov (he)" in lines[4]
    assert "(unknown)" in lines[6]


def test_text_fits_a_100_column_terminal_and_shortens_long_quotes() -> None:
    long = "“" + " ".join(f"word{i}" for i in range(200)) + "\nlast line.”"
    out = write("text", [single(long, speaker="A Speaker With A Very Long Name, Of Some Place")])
    for line in out.splitlines():
        assert len(line) <= 100, line
    quote = out.splitlines()[3].strip()
    assert quote.startswith("“word0 word1")
    assert quote.endswith("last line.”")
    assert " … " in quote
    assert "\n" not in quote


def test_text_counts_wide_characters_as_two_columns() -> None:
    out = write("text", [single("“" + "日本語" * 60 + "”")])
    quote = out.splitlines()[3]
    width = sum(2 if "\u3000" <= c <= "\u9fff" else 1 for c in quote)
    assert width <= 100
    assert "…" in quote


def test_text_shows_errors_and_empty_documents_on_one_line() -> None:
    out = write("text", [failure("broken"), Result("empty"), Result(None)])
    assert out.splitlines() == [
        'broken: error: Error in plugin "x" (hook): boom second line',
        "",
        "empty: no attributions",
        "",
        "document 3: no attributions",
    ]


def test_text_does_not_pass_terminal_control_sequences_through() -> None:
    out = write("text", [single("“\x1b[2Jgone\u202eevil”", doc_id="doc\x07")])
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "\\x1b[2Jgone" in out


def test_shorten_cuts_in_the_middle_at_word_boundaries() -> None:
    assert formats.shorten("short") == "short"
    cut = formats.shorten("alpha beta gamma delta epsilon zeta eta theta", 24)
    assert len(cut) <= 24
    assert cut.startswith("alpha beta")
    assert cut.endswith("eta theta")
    assert " … " in cut
