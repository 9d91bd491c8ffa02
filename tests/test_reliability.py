"""Trustworthy under bad input, failures and load: docs/reliability.md states the guarantees.

- input: encodings and decoding errors, NUL, BOM, CR and CRLF, Unicode line separators, lone
  surrogates, empty files and directories; offsets always index the decoded text;
- batches: one record per input document, in order, whatever fails, also with --jobs;
- limits: --max-chars (DocumentTooLarge) and --max-seconds-per-doc (TimeBudgetExceeded);
- the hostile corpus of tests/hostile.py through the real command line, in a subprocess;
- output: JSON valid for any text, CSV formula cells neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import parallel_plugins
import pytest
from hostile import write_corpus
from parallel_plugins import CRASH, FAIL

from quoteattr import Document, ErrorRecord, Pipeline, Quote, Result, cli, hookimpl
from quoteattr.inputs import ReadOptions, expand_paths, read_documents

SAY = "“We will win,” said Ana Lopez, the mayor."
#: a text whose quotes sit after each of the characters that could shift offsets
TRICKY = (
    "\x00" + SAY + "\r\n\r\n“Then CR,” he said.\r“After a lone CR,” she said.\u2028"
    "“After LS,” said Bo.\u2029“After PS,” said Cy.\x85“After NEL,” said Di.\x0b\x0c"
    "“After VT FF,” said Ed.\x1c\x1d\x1e“After FS GS RS,” said Fa.\x00 “End,” said Gu."
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def jsonl(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.split("\n") if line]


def spans_of(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every span a JSONL record holds: quotes, fragments, cues, speakers, entity mentions."""
    for quote in record["quotes"]:
        yield quote
        yield from quote["fragments"]
        if quote["cue"] is not None:
            yield quote["cue"]
        if quote["speaker"] is not None:
            yield quote["speaker"]
    for entity in record["entities"]:
        yield from entity["mentions"]


def assert_offsets(record: dict[str, Any], text: str) -> int:
    """Every span of ``record`` slices ``text`` exactly; return how many quotes there are."""
    assert "error" not in record, record
    for span in spans_of(record):
        assert text[span["start"] : span["end"]] == span["text"], span
    return len(record["quotes"])


# --------------------------------------------------------------------------------------------
# offsets against the decoded text


@pytest.mark.parametrize(
    ("name", "data", "args", "decoded"),
    [
        ("plain", TRICKY.encode(), [], TRICKY),
        ("bom", b"\xef\xbb\xbf" + TRICKY.encode(), [], TRICKY),
        ("latin", "“Olé,” he said.\r\n“Ça va,” said Ana Lopez.".encode("cp1252"),
         ["--encoding", "cp1252"], "“Olé,” he said.\r\n“Ça va,” said Ana Lopez."),
        ("utf16", TRICKY.encode("utf-16"), ["--encoding", "utf-16"], TRICKY),
        ("replaced", b"caf\xe9 \xff " + TRICKY.encode(), ["--errors", "replace"],
         "caf\ufffd \ufffd " + TRICKY),
        ("escaped", b"caf\xe9 \xff\xfe " + TRICKY.encode(), ["--errors", "surrogateescape"],
         "caf\udce9 \udcff\udcfe " + TRICKY),
    ],
    ids=["plain", "bom", "latin", "utf16", "replaced", "escaped"],
)
@pytest.mark.parametrize("jobs", ["1", "2"], ids=["jobs1", "jobs2"])
def test_offsets_index_the_decoded_text_of_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes,
    args: list[str], decoded: str, jobs: str,
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    status, out, err = run(capsys, str(path), "-f", "jsonl", "--jobs", jobs, *args)
    assert status == 0, err
    [record] = jsonl(out)
    assert record["doc_id"] == name
    assert assert_offsets(record, decoded) >= 2


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["jobs1", "jobs2"])
def test_offsets_index_jsonl_texts_with_lone_surrogates_and_separators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
) -> None:
    texts = {
        "tricky": TRICKY,
        "high": "\ud800" + SAY + " \udbff",
        "low": "\udc80“Hi \udfff,” she said. " + SAY,
        "reversed": "\udc00\ud800" + SAY,
    }
    path = tmp_path / "batch.jsonl"
    with path.open("w", encoding="utf-8") as stream:  # json.dumps escapes the surrogates
        for doc_id, text in texts.items():
            stream.write(json.dumps({"doc_id": doc_id, "text": text}) + "\n")
    status, out, err = run(capsys, str(path), "-f", "jsonl", "--jobs", jobs)
    assert status == 0, err
    out.encode("utf-8")  # strict: no raw surrogate reached the output
    records = jsonl(out)
    assert [r["doc_id"] for r in records] == list(texts)
    for record in records:
        assert assert_offsets(record, texts[record["doc_id"]]) >= 1


def test_a_jsonl_file_is_split_on_newline_bytes_only(tmp_path: Path) -> None:
    path = tmp_path / "seps.jsonl"
    text = "a\u2028b\u2029c\x85d\re\x0bf"
    path.write_bytes(json.dumps({"doc_id": "x", "text": text}, ensure_ascii=False).encode() + b"\n")
    [doc] = list(read_documents([str(path)]))
    assert isinstance(doc, Document)
    assert doc.text == text


# --------------------------------------------------------------------------------------------
# undecodable input


def test_invalid_utf8_names_the_file_line_and_byte_and_the_way_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(SAY.encode() + b"\nab\xffc")
    status, out, _ = run(capsys, str(path), "-f", "jsonl")
    assert status == 1
    [record] = jsonl(out)
    error = record["error"]
    offset = len(SAY.encode()) + 3
    assert error["type"] == "InputError"
    assert error["message"].startswith(f"{path}:2: invalid UTF-8 at byte {offset} ")
    assert "--errors replace" in error["message"]

    status, out, _ = run(capsys, str(path), "-f", "jsonl", "--errors", "replace")
    assert status == 0
    [record] = jsonl(out)
    assert assert_offsets(record, SAY + "\nab\ufffdc") == 1


def test_a_bad_encoding_name_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SAY, encoding="utf-8")
    status, out, err = run(capsys, str(path), "--encoding", "no-such-codec")
    assert status == 2
    assert out == ""
    assert "unknown encoding" in err


def test_jsonl_in_an_encoding_that_is_not_ascii_compatible_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps({"text": SAY}).encode("utf-16"))
    status, out, err = run(capsys, str(path), "--encoding", "utf-16")
    assert status == 2
    assert out == ""
    assert "convert the file to UTF-8" in err


@pytest.mark.parametrize("content", [b"", b"   ", b" \t\r\n\n\xe3\x80\x80\xc2\xa0\n"])
def test_an_empty_or_blank_file_is_one_record_without_quotes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    status, out, _ = run(capsys, str(path), "-f", "jsonl")
    assert status == 0
    assert jsonl(out) == [{"doc_id": "blank", "quotes": [], "entities": []}]


# --------------------------------------------------------------------------------------------
# directories


def make_tree(root: Path) -> None:
    for relative in ["b.txt", "a/z.txt", "a/b/c.jsonl", "a/skip.md", ".hidden/x.txt",
                     "a/.dot.txt", "B.txt"]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".jsonl"):
            path.write_text(json.dumps({"doc_id": "in-c", "text": SAY}) + "\n", encoding="utf-8")
        else:
            path.write_text(SAY, encoding="utf-8")


def test_a_directory_is_read_recursively_in_sorted_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_tree(tmp_path)
    status, out, err = run(capsys, str(tmp_path), "-f", "jsonl")
    assert status == 0, err
    # sorted by the path below the directory: B.txt, a/b/c.jsonl, a/z.txt, b.txt
    assert [r["doc_id"] for r in jsonl(out)] == ["B", "in-c", "a/z", "b"]


def test_glob_chooses_the_files_of_a_directory(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = [doc_id for _, doc_id in expand_paths([str(tmp_path)], ["*.md", "z.*"])]
    assert found == ["a/skip", "a/z"]
    options = ReadOptions(globs=("*.md",))
    assert [d.doc_id for d in read_documents([str(tmp_path)], options)] == ["a/skip"]


def test_glob_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    make_tree(tmp_path)
    status, out, _ = run(capsys, str(tmp_path), "-f", "jsonl", "--glob", "*.md", "--glob", "b*")
    assert status == 0
    assert [r["doc_id"] for r in jsonl(out)] == ["a/skip", "b"]


# --------------------------------------------------------------------------------------------
# batches never lose a document


def crash_pipeline(**kwargs: Any) -> Pipeline:
    """The command line's pipeline, with a plugin that crashes or fails on request."""
    return Pipeline(plugins=[parallel_plugins], load_entrypoints=False, block=kwargs["block"])


def test_a_worker_that_dies_costs_one_record_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "Pipeline", crash_pipeline)
    path = tmp_path / "batch.jsonl"
    lines = [{"doc_id": str(i), "text": f"doc {i}"} for i in range(12)]
    lines[3]["text"] = CRASH
    lines[7]["text"] = FAIL
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + "{bad\n",
                    encoding="utf-8")
    status, out, err = run(capsys, str(path), "-f", "jsonl", "--jobs", "2")
    assert status == 1
    records = jsonl(out)
    assert [r["doc_id"] for r in records] == [*(str(i) for i in range(12)), "batch:13"]
    errors = {r["doc_id"]: r["error"]["type"] for r in records if "error" in r}
    assert errors == {"3": "WorkerCrashed", "7": "PluginError", "batch:13": "InputError"}
    assert "3 of 13 documents failed" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------
# limits


def test_max_chars_makes_a_long_document_an_error_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    short, long = tmp_path / "short.txt", tmp_path / "long.txt"
    short.write_text("“Hi,” he said.", encoding="utf-8")  # 14 characters
    long.write_text("“Hi,” he said. " * 3, encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"doc_id": "j", "text": "x" * 15}) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        status, out, _ = run(capsys, str(short), str(long), str(batch), "-f", "jsonl",
                             "--max-chars", "14", "--jobs", jobs)
        assert status == 1
        records = jsonl(out)
        assert [r["doc_id"] for r in records] == ["short", "long", "j"]
        assert "error" not in records[0]
        for record in records[1:]:
            assert record["error"]["type"] == "DocumentTooLarge"
            assert "14" in record["error"]["message"]


def test_an_input_far_too_large_is_not_even_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 4_100)
    line = tmp_path / "big.jsonl"
    line.write_bytes(json.dumps({"text": "y" * (7_000_000)}).encode() + b"\n" + b'{"text": "ok"}\n')
    options = ReadOptions(max_chars=1_000)
    records = list(read_documents([str(big), str(line)], options))
    errors = [r for r in records if isinstance(r, ErrorRecord)]
    assert [type(r).__name__ for r in records] == ["ErrorRecord", "ErrorRecord", "Document"]
    assert [e.type for e in errors] == ["DocumentTooLarge", "DocumentTooLarge"]
    assert "big.jsonl:1" in errors[1].message


def test_max_chars_zero_means_no_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SAY, encoding="utf-8")
    status, _, _ = run(capsys, str(path), "--max-chars", "0", "-f", "jsonl")
    assert status == 0


class Sleeper:
    """A picklable plugin that sleeps on documents holding ``<<sleep>>``.

    ``stubborn``: it swallows the first interruption and sleeps again; ``deaf``: it blocks
    SIGALRM first, as a long call into C code would ignore it.
    """

    def __init__(self, how: str = "plain") -> None:
        self.how = how

    @hookimpl
    def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
        if "<<sleep>>" not in doc.text:
            return []
        if self.how == "deaf":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            time.sleep(30)
        except Exception:
            if self.how != "stubborn":
                raise
            time.sleep(30)
        return []


def sleeper_pipeline(how: str) -> Any:
    def make(**kwargs: Any) -> Pipeline:
        return Pipeline(plugins=[Sleeper(how)], load_entrypoints=False, block=kwargs["block"])

    return make


@pytest.mark.parametrize(
    ("how", "jobs"), [("plain", "1"), ("stubborn", "1"), ("plain", "2"), ("deaf", "2")]
)
def test_max_seconds_per_doc_stops_a_slow_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    how: str, jobs: str,
) -> None:
    monkeypatch.setattr(cli, "Pipeline", sleeper_pipeline(how))
    path = tmp_path / "batch.jsonl"
    texts = ["fine", "<<sleep>>", "fine too"]
    path.write_text("".join(json.dumps({"doc_id": f"d{i}", "text": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    started = time.monotonic()
    status, out, err = run(capsys, str(path), "-f", "jsonl", "--jobs", jobs,
                           "--max-seconds-per-doc", "0.5")
    elapsed = time.monotonic() - started
    assert status == 1, err
    records = jsonl(out)
    assert [r["doc_id"] for r in records] == ["d0", "d1", "d2"]
    assert "error" not in records[0] and "error" not in records[2]
    assert records[1]["error"]["type"] == "TimeBudgetExceeded"
    assert ("was killed" in records[1]["error"]["message"]) == (how == "deaf")
    assert elapsed < 15  # not the plugin's 30 s (or 60 s)


def test_the_time_budget_from_python(pipeline: Pipeline, register: Any) -> None:
    register(Sleeper())
    records = list(pipeline.attribute_many(["a", "<<sleep>>", "b"], max_seconds=0.3))
    assert [type(r).__name__ for r in records] == ["Result", "ErrorRecord", "Result"]
    assert isinstance(records[1], ErrorRecord) and records[1].type == "TimeBudgetExceeded"
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)  # left as it was
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_time_budget_outside_the_main_thread_uses_a_worker() -> None:
    pipeline = Pipeline(plugins=[Sleeper()], load_entrypoints=False)
    records: list[Result | ErrorRecord] = []

    def work() -> None:
        records.extend(pipeline.attribute_many(["a", "<<sleep>>", "b"], max_seconds=0.3))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert [getattr(r, "type", "ok") for r in records] == ["ok", "TimeBudgetExceeded", "ok"]


def test_limits_are_checked(pipeline: Pipeline) -> None:
    for bad in ({"max_chars": -1}, {"max_seconds": 0}, {"max_seconds": float("nan")}):
        with pytest.raises(ValueError, match="must be"):
            list(pipeline.attribute_many(["x"], **bad))


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_bad_max_seconds_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str
) -> None:
    status, out, _ = run(capsys, str(tmp_path), "--max-seconds-per-doc", value)
    assert status == 2
    assert out == ""


# --------------------------------------------------------------------------------------------
# the hostile corpus, through the real command line


def test_the_hostile_corpus_gives_one_record_per_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    counts = write_corpus(corpus)
    output = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    completed = subprocess.run(  # the directory, then each file again, given by name
        [sys.executable, "-m", "quoteattr", str(corpus), *(str(corpus / n) for n in counts),
         "-f", "jsonl", "--jobs", "2", "--max-seconds-per-doc", "30", "-o", str(output)],
        capture_output=True, timeout=120, env=env, check=False,
    )
    stderr = completed.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert completed.returncode == 1, stderr  # some records are errors
    lines = output.read_bytes().decode("utf-8").split("\n")  # strict UTF-8
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == 2 * sum(counts.values())
    errors = sum(1 for r in records if "error" in r)
    assert f"{errors} of {len(records)} documents failed" in stderr
    assert errors > 0
    assert records[: len(records) // 2] == records[len(records) // 2 :]


def test_the_hostile_corpus_is_deterministic(tmp_path: Path) -> None:
    assert write_corpus(tmp_path / "a") == write_corpus(tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


# --------------------------------------------------------------------------------------------
# output safety


def test_csv_cells_that_spreadsheets_would_evaluate_are_neutralised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evil.txt"
    path.write_text('Ana Lopez said that =HYPERLINK("http://x") was fine.\n\n'
                    "Bo Diaz said that +1+1 is two.\n\nShe said that @SUM(A1) works.\n",
                    encoding="utf-8")
    status, out, _ = run(capsys, str(path), "-f", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["text"][:2] for row in rows] == ["'=", "'+", "'@"]
    for row in rows:
        for cell in row.values():
            assert not cell or cell[0] not in "=+-@\t\r", row


def test_a_failed_write_leaves_no_output_and_no_temporary_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Iterator[Result | ErrorRecord]:
        yield Result("first")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "attribute_files", broken)
    path = tmp_path / "in.txt"
    path.write_text(SAY, encoding="utf-8")
    target = tmp_path / "out.jsonl"
    status, out, err = run(capsys, str(path), "-f", "jsonl", "-o", str(target))
    assert status == 1
    assert out == ""
    assert err.startswith("quoteattr: error: ") and "No space left" in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]
