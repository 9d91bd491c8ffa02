"""Line formats: a format registered with ``line=`` is written by the host, one line per
record, and ``Pipeline.attribute_lines`` makes those lines where each document is attributed,
in the worker processes with ``jobs`` above 1 (``quoteattr --jobs N`` writes ``jsonl`` so).

The tests that start workers keep to a few short documents; the plugins the workers must
rebuild are in tests/parallel_plugins.py.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import parallel_plugins
import pytest
from parallel_plugins import FAIL, UNENCODABLE, DocIdLines, doc_id_line

from quoteattr import ErrorRecord, FormatError, Pipeline, Result, hookimpl
from quoteattr.cli import main
from quoteattr.default.formats import jsonl_line, write_jsonl

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    cases = json.loads((ROOT / "tests" / "cases" / "attribution.json").read_text("utf-8"))
    seed = (ROOT / "seeds" / "kabulov.txt").read_text("utf-8")
    return [*(case["text"] for case in cases[:30]), seed]


TEXTS = _texts()
#: characters a stream may not carry: a lone surrogate, a line separator, non-ASCII letters
ODD = "\ud800“Olé,” said Ana Lopez.\u2028“Bye,” he said."


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """The built-in plugins, the plugin that fails on a marker, and the ``doc-ids`` format."""
    return Pipeline(load_entrypoints=False, plugins=[parallel_plugins, DocIdLines()])


def _docs() -> list[Any]:
    docs: list[Any] = [(f"t{i}", text) for i, text in enumerate(TEXTS)]
    docs.insert(2, ErrorRecord("unread", "InputError", "batch.jsonl:3: invalid JSON"))
    docs.insert(5, ("fails", f"“No,” she said. {FAIL}"))
    docs.append(("odd", ODD))
    return docs


# --------------------------------------------------------------------------------------------
# registration


def test_a_line_format_is_written_by_the_host(pipeline: Pipeline) -> None:
    fmt = pipeline.formats["doc-ids"]
    assert fmt.line is doc_id_line
    assert pipeline.line_encoder("doc-ids") is doc_id_line
    records = list(pipeline.attribute_many(_docs()))
    out = io.StringIO()
    pipeline.write(records, out, format="doc-ids")
    assert out.getvalue() == "".join(doc_id_line(r, "utf-8") + "\n" for r in records)
    assert out.getvalue().count("\n") == len(records)


def test_jsonl_is_a_line_format(pipeline: Pipeline) -> None:
    assert pipeline.line_encoder("jsonl") is jsonl_line
    records = list(pipeline.attribute_many(_docs()))
    by_host, by_function = io.StringIO(), io.StringIO()
    pipeline.write(records, by_host, format="jsonl")
    write_jsonl(records, by_function)
    assert by_host.getvalue() == by_function.getvalue()
    assert [json.loads(line)["doc_id"] for line in by_host.getvalue().splitlines()] == [
        r.doc_id for r in records
    ]


class _Both:
    @hookimpl
    def quoteattr_register_formats(self, register: Any) -> None:
        register("both", write_jsonl, line=jsonl_line)


class _Neither:
    @hookimpl
    def quoteattr_register_formats(self, register: Any) -> None:
        register("neither", description="writes nothing")


@pytest.mark.parametrize(("plugin", "word"), [(_Both(), "both"), (_Neither(), "neither")])
def test_a_format_has_write_or_line_not_both(plugin: object, word: str) -> None:
    pipeline = Pipeline(load_entrypoints=False, plugins=[plugin])
    with pytest.raises(FormatError, match=f"'{word}' must be registered with either write or "
                                          f"line, not {word}"):
        pipeline.formats  # noqa: B018


def test_only_a_line_format_has_a_line_encoder(pipeline: Pipeline) -> None:
    with pytest.raises(FormatError, match="'csv' is not a line format"):
        pipeline.line_encoder("csv")
    with pytest.raises(FormatError, match="unknown output format 'nope'"):
        pipeline.line_encoder("nope")
    with pytest.raises(FormatError, match="not a line format"):
        next(pipeline.attribute_lines(TEXTS, format="json"))


# --------------------------------------------------------------------------------------------
# Pipeline.attribute_lines


def test_attribute_lines_in_process(pipeline: Pipeline) -> None:
    records = list(pipeline.attribute_many(_docs()))
    got = list(pipeline.attribute_lines(_docs(), min_confidence=0.6))
    assert len(got) == len(records)
    for record, item in zip(records, got, strict=True):
        if isinstance(record, ErrorRecord):
            assert item == record
        else:
            assert item == jsonl_line(record.at_least(0.6), "utf-8")
    dropped = sum(len(r) - len(r.at_least(0.6)) for r in records if isinstance(r, Result))
    assert dropped > 0  # the threshold took something away
    assert [type(r).__name__ for r in got].count("ErrorRecord") == 2


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_attribute_lines_in_workers_are_those_of_one_job(
    pipeline: Pipeline, encoding: str
) -> None:
    one = list(pipeline.attribute_lines(_docs(), encoding=encoding, min_confidence=0.6))
    two = list(pipeline.attribute_lines(_docs(), encoding=encoding, min_confidence=0.6, jobs=2))
    assert two == one
    for item in two:
        if isinstance(item, str):
            item.encode(encoding)  # strict: every character could be written
    written_one, written_two = io.StringIO(), io.StringIO()
    pipeline.write(one, written_one)
    pipeline.write(two, written_two)
    assert written_two.getvalue() == written_one.getvalue()


def test_the_lines_are_made_in_the_workers(pipeline: Pipeline) -> None:
    got = list(pipeline.attribute_lines(_docs(), format="doc-ids", jobs=2))
    lines = [item for item in got if isinstance(item, str)]
    assert len(lines) == len(got) - 2
    assert {line.rsplit("\t", 1)[1] for line in lines}.isdisjoint({str(os.getpid())})
    errors = [item for item in got if isinstance(item, ErrorRecord)]
    assert [(e.doc_id, e.type) for e in errors] == [("unread", "InputError"),
                                                     ("fails", "PluginError")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_line_that_cannot_be_made_fails_in_its_turn(pipeline: Pipeline, jobs: int) -> None:
    docs = [("a", TEXTS[0]), (UNENCODABLE, TEXTS[1]), ("c", TEXTS[2])]
    seen: list[str | ErrorRecord] = []
    with pytest.raises(ValueError, match="cannot write"):
        seen.extend(pipeline.attribute_lines(docs, format="doc-ids", jobs=jobs))
    assert [str(item).split("\t")[0] for item in seen] == ["a"]


# --------------------------------------------------------------------------------------------
# the command line


def _batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for i, text in enumerate([*TEXTS, ODD]):
            stream.write(json.dumps({"doc_id": f"d{i}", "text": text}) + "\n")
        stream.write("{not json\n")
    return path


@pytest.mark.parametrize(
    "args", [[], ["--min-confidence", "0.6"], ["--summary"]], ids=["plain", "min", "summary"]
)
def test_jobs_2_writes_what_jobs_1_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    batch = _batch(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        output = tmp_path / f"out{jobs}.jsonl"
        status = main([str(batch), "-f", "jsonl", "-o", str(output), "--jobs", jobs, *args])
        err = capsys.readouterr().err
        assert status == 1  # the malformed line is an error record, counted
        assert "1 of 33 documents failed" in err
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert len(records) == 33
    assert "error" in records[-1]
    quotes = [q for r in records[:-1] for q in r["quotes"]]
    if args[:1] == ["--min-confidence"]:  # applied where the lines were made, as with jobs 1
        assert all(q["confidence"] >= 0.6 for q in quotes)
        every = sum(len(r.at_least(0.0)) for r in _results())
        assert 0 < len(quotes) < every
    else:
        assert any(q["confidence"] < 0.6 for q in quotes)


def _results() -> list[Result]:
    results = Pipeline().attribute_many([*TEXTS, ODD])
    return [r for r in results if isinstance(r, Result)]
