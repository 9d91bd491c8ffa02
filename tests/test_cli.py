"""The command line, run in-process through ``main()`` (and once as ``python -m quoteattr``).

The detection plugins are still growing, so these tests assert structure (document ids, record
counts, order, exit statuses), never what was found in the texts.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

import quoteattr
from quoteattr import ErrorRecord, Pipeline, cli, hookimpl
from quoteattr.model import Attribution, Document, Entity, Result, Span, Speaker

SAY = "“We will win,” she said."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("quoteattr: error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def txt(tmp_path: Path) -> Path:
    path = tmp_path / "speech.txt"
    path.write_text(SAY, encoding="utf-8")
    return path


def write_jsonl(path: Path, *lines: str) -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


class Recorder:
    """An inline plugin that remembers the documents it sees and finds nothing."""

    def __init__(self) -> None:
        self.docs: list[Document] = []

    @hookimpl
    def quoteattr_detect_quotes(self, doc: Document) -> None:
        self.docs.append(doc)


def recorded(paths: Iterable[Path | str]) -> tuple[list[Result | ErrorRecord], list[Document]]:
    recorder = Recorder()
    pipeline = Pipeline(plugins=[recorder], load_entrypoints=False)
    records = list(cli.attribute_files(pipeline, [str(p) for p in paths]))
    return records, recorder.docs


# --------------------------------------------------------------------------------------------
# attributing files


def test_a_text_file_is_one_document_named_after_its_stem(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, out, err = run(capsys, str(txt), "--format", "jsonl")
    assert status == 0, err
    [record] = jsonl(out)
    assert record["doc_id"] == "speech"
    assert set(record) == {"doc_id", "quotes", "entities"}


def test_the_default_format_is_the_text_table(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, out, _ = run(capsys, str(txt))
    assert status == 0
    assert out.startswith("speech: ")


def test_records_come_in_input_order_across_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(SAY, encoding="utf-8")
    (tmp_path / "c.md").write_text(SAY, encoding="utf-8")
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        json.dumps({"doc_id": "b1", "text": SAY, "extra": [1, 2]}),
        json.dumps({"doc_id": "b2", "text": "No quotes here."}),
    )
    args = [str(tmp_path / "a.txt"), str(batch), str(tmp_path / "c.md"), "-f", "jsonl"]
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert [r["doc_id"] for r in jsonl(out)] == ["a", "b1", "b2", "c"]


def test_a_malformed_jsonl_line_is_an_error_record_in_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        json.dumps({"doc_id": "one", "text": SAY}),
        "{not json",
        "",
        json.dumps({"doc_id": "no-text"}),
        json.dumps({"text": SAY}),
        json.dumps(["a", "list"]),
        json.dumps({"doc_id": "last", "text": SAY}),
    )
    status, out, err = run(capsys, str(batch), "-f", "jsonl")
    assert status == 1
    records = jsonl(out)
    assert [r["doc_id"] for r in records] == ["one", "batch:2", "no-text", "batch:5", "batch:6",
                                               "last"]
    errors = [r["error"] for r in records if "error" in r]
    assert len(errors) == 3
    assert isinstance(errors[0], dict)
    assert errors[0]["type"] == "InputError"
    messages = [e["message"] for e in errors if isinstance(e, dict)]
    assert messages[0].startswith(f"{batch}:2: invalid JSON")
    assert messages[1].startswith(f"{batch}:4: ")
    assert "'text'" in messages[1]
    assert messages[2].startswith(f"{batch}:6: ")
    assert "3 of 6 documents failed" in err


def test_jsonl_text_and_ids_are_read_as_given(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(
        b"\xef\xbb\xbf"  # a byte-order mark is skipped
        + json.dumps({"doc_id": 7, "text": "line one\r\nline \u2028two"}).encode() + b"\r\n"
        + '{"doc_id": "x", "text": "café \\ud800"}\n'.encode()  # a lone surrogate, escaped
    )
    records, docs = recorded([batch])
    assert [r.doc_id for r in records] == ["7", "x"]
    assert all(isinstance(r, Result) for r in records)
    assert [d.text for d in docs] == ["line one\r\nline \u2028two", "café \ud800"]


def test_text_files_are_read_whole_as_utf8_without_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "“Olé,” she said.\r\n\r\nNext.".encode())
    records, docs = recorded([path])
    assert [r.doc_id for r in records] == ["bom"]
    assert [d.text for d in docs] == ["“Olé,” she said.\r\n\r\nNext."]


def test_invalid_utf8_in_a_text_file_is_an_error_record_naming_file_and_byte(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, txt: Path
) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("first line\nsecond caf\u00e9".encode("latin-1"))
    status, out, _ = run(capsys, str(bad), str(txt), "-f", "jsonl")
    assert status == 1
    first, second = jsonl(out)
    assert first["doc_id"] == "latin1"
    assert first["error"]["type"] == "InputError"
    assert first["error"]["plugin"] is None
    assert first["error"]["message"].startswith(f"{bad}:2: invalid UTF-8 at byte 21 ")
    assert second["doc_id"] == "speech"


def test_invalid_utf8_in_a_jsonl_line_names_the_line_and_the_byte(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    good = json.dumps({"doc_id": "ok", "text": SAY}).encode() + b"\n"
    batch.write_bytes(good + b'{"doc_id": "bad", "text": "caf\xe9"}\n' + good)
    records, docs = recorded([batch])
    assert [r.doc_id for r in records] == ["ok", "b:2", "ok"]
    error = records[1]
    assert isinstance(error, ErrorRecord)
    offset = len(good) + len(b'{"doc_id": "bad", "text": "caf')
    assert error.message.startswith(f"{batch}:2: invalid UTF-8 at byte {offset} ")
    assert len(docs) == 2


def test_stdin_is_one_document_named_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAY.encode()), "utf-8"))
    status, out, _ = run(capsys, "-", "-f", "jsonl")
    assert status == 0
    assert [r["doc_id"] for r in jsonl(out)] == ["stdin"]


def test_stdin_can_be_read_only_once(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "-", "-")
    assert status == 2
    assert "only once" in err


def test_a_file_named_like_a_command_is_given_with_a_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plugins").write_text(SAY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "./plugins", "-f", "jsonl")
    assert status == 0
    assert [r["doc_id"] for r in jsonl(out)] == ["plugins"]


# --------------------------------------------------------------------------------------------
# errors before processing: exit status 2, one line on stderr


def test_a_missing_file_stops_before_any_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, txt: Path
) -> None:
    missing = tmp_path / "missing.txt"
    status, out, err = run(capsys, str(txt), str(missing))
    assert status == 2
    assert out == ""
    assert str(missing) in one_error_line(err)


def test_a_directory_without_matching_files_gives_no_records_and_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.md").write_text("“Hi,” she said.", encoding="utf-8")
    status, out, err = run(capsys, str(tmp_path), "-f", "jsonl")
    assert status == 0
    assert out == ""
    assert "no file matching" in err


def test_an_unknown_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, out, err = run(capsys, str(txt), "--format", "yaml")
    assert status == 2
    assert out == ""
    line = one_error_line(err)
    assert "'yaml'" in line
    assert "jsonl" in line  # the available ones are listed


def test_blocking_an_unknown_plugin_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, _, err = run(capsys, str(txt), "--block", "no-such-plugin")
    assert status == 2
    assert "no-such-plugin" in one_error_line(err)


def test_blocking_the_formats_plugin_leaves_no_format(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, _, err = run(capsys, str(txt), "--block", "formats", "--no-plugins")
    assert status == 2
    assert "unknown output format 'text'" in one_error_line(err)


def test_blocking_a_detector_still_runs(capsys: pytest.CaptureFixture[str], txt: Path) -> None:
    status, out, _ = run(capsys, str(txt), "--block", "quotes", "--block", "reported-speech",
                         "-f", "jsonl")
    assert status == 0
    assert [r["doc_id"] for r in jsonl(out)] == ["speech"]


@pytest.mark.parametrize("args", [[], ["--min-confidence", "2", "x"],
                                  ["--min-confidence", "nan", "x"], ["--bogus", "x"],
                                  ["--form", "jsonl", "x"]])
def test_usage_errors_exit_with_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert "usage:" in err


def test_evaluate_is_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", "gold.json")
    assert (status, out) == (2, "")
    assert "gold.json" in one_error_line(err)


def test_a_misplaced_command_gets_a_hint(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(txt.parent)
    status, _, err = run(capsys, "--no-plugins", "plugins")
    assert status == 2
    assert "must be the first argument" in one_error_line(err)


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "quoteattr plugins" in out
    assert "--min-confidence" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0
    build = "compiled" if quoteattr.compiled() else "pure Python"
    assert out.strip() == f"quoteattr {quoteattr.__version__} ({build})"


# --------------------------------------------------------------------------------------------
# --output


def test_output_goes_to_the_file_and_not_stdout(
    capsys: pytest.CaptureFixture[str], txt: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old content\n", encoding="utf-8")
    status, out, _ = run(capsys, str(txt), "-o", str(target), "--format", "jsonl")
    assert status == 0
    assert out == ""
    assert [r["doc_id"] for r in jsonl(target.read_text(encoding="utf-8"))] == ["speech"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "speech.txt"]


def test_a_new_output_file_gets_ordinary_permissions(
    capsys: pytest.CaptureFixture[str], txt: Path, tmp_path: Path
) -> None:
    target = tmp_path / "new.csv"
    status, _, _ = run(capsys, str(txt), "--output", str(target), "--format", "csv")
    assert status == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.read_bytes().startswith(b"doc_id,start,end,")


@pytest.mark.parametrize("columns", [None, "50", "200", "0", "wide"])
def test_the_help_is_formatted_for_the_width_argparse_would_find(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    """The attribution parser's formatter finds the terminal's width without shutil: the same
    help text as argparse's own formatter gives, whatever COLUMNS says (or when it says
    nothing, and standard output is no terminal)."""
    import argparse

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours = cli._attribute_parser()
    monkeypatch.setattr(cli, "_HelpFormatter", argparse.RawDescriptionHelpFormatter)
    theirs = cli._attribute_parser()
    assert ours.formatter_class is not theirs.formatter_class
    assert ours.format_help() == theirs.format_help()
    assert ours.format_usage() == theirs.format_usage()


def test_the_temporary_output_file_is_new_private_and_never_an_existing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd, path = cli._temporary_file(str(tmp_path), ".out.jsonl.")
    os.close(fd)
    name = Path(path).name
    assert Path(path).parent == tmp_path and Path(path).is_absolute()
    assert name.startswith(".out.jsonl.") and name.endswith(".tmp")
    assert Path(path).stat().st_mode & 0o777 == 0o600
    # the same random part again: that name is taken, so the next one is used
    draws = iter([bytes(5), bytes(5), b"\x01" * 5])
    monkeypatch.setattr(cli.os, "urandom", lambda n: next(draws))
    first, _ = cli._temporary_file(str(tmp_path), "x.")
    os.close(first)
    second, taken = cli._temporary_file(str(tmp_path), "x.")
    os.close(second)
    assert Path(taken).name == "x.0101010101.tmp"
    monkeypatch.setattr(cli, "_TEMPORARY_NAMES", 3)
    monkeypatch.setattr(cli.os, "urandom", lambda n: bytes(5))
    with pytest.raises(FileExistsError):
        cli._temporary_file(str(tmp_path), "x.")


def test_an_unwritable_output_is_reported_before_processing(
    capsys: pytest.CaptureFixture[str], txt: Path, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-dir" / "out.jsonl"
    status, out, err = run(capsys, str(txt), "-o", str(target))
    assert status == 2
    assert out == ""
    assert str(target) in one_error_line(err)
    assert not target.parent.exists()


def test_an_interrupted_run_leaves_the_old_output_in_place(
    capsys: pytest.CaptureFixture[str], txt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(
        pipeline: Pipeline, paths: Iterable[str], jobs: int = 1, **_: object
    ) -> Iterator[Result | ErrorRecord]:
        yield Result("first")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "attribute_files", interrupted)
    target = tmp_path / "out.jsonl"
    target.write_text("old content\n", encoding="utf-8")
    status, _, _ = run(capsys, str(txt), "-o", str(target), "-f", "jsonl")
    assert status == 130
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "speech.txt"]


def test_output_streams_to_stdout(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def two(
        pipeline: Pipeline, paths: Iterable[str], jobs: int = 1, **_: object
    ) -> Iterator[Result | ErrorRecord]:
        yield Result("first")
        seen.append(capsys.readouterr().out)
        yield Result("second")

    monkeypatch.setattr(cli, "attribute_files", two)
    status, out, _ = run(capsys, str(txt), "-f", "jsonl")
    assert status == 0
    assert [json.loads(line)["doc_id"] for line in seen[0].splitlines()] == ["first"]
    assert [r["doc_id"] for r in jsonl(out)] == ["second"]


# --------------------------------------------------------------------------------------------
# --min-confidence


def test_min_confidence_drops_weak_attributions_and_their_entities(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Ana said it. Bo said it."

    def attribution(name: str, confidence: float) -> Attribution:
        start = text.index(name)
        mention = Span(start, start + len(name), name)
        return Attribution(mention, "indirect", (), None, Speaker(name, mention, name, "person"),
                           confidence, "s", "r")

    result = Result(
        "d",
        [attribution("Ana", 0.9), attribution("Bo", 0.3)],
        [Entity("Ana", "Ana", "person"), Entity("Bo", "Bo", "person")],
    )

    def fixed(
        pipeline: Pipeline, paths: Iterable[str], jobs: int = 1, **_: object
    ) -> Iterator[Result | ErrorRecord]:
        yield result
        yield ErrorRecord("e", "PluginError", "boom")

    monkeypatch.setattr(cli, "attribute_files", fixed)
    status, out, err = run(capsys, str(txt), "-f", "jsonl", "--min-confidence", "0.5")
    assert status == 1
    doc, error = jsonl(out)
    assert isinstance(doc["quotes"], list) and isinstance(doc["entities"], list)
    assert [q["speaker"]["name"] for q in doc["quotes"]] == ["Ana"]
    assert [e["id"] for e in doc["entities"]] == ["Ana"]
    assert "error" in error
    assert "1 of 2 documents failed" in err


# --------------------------------------------------------------------------------------------
# quoteattr plugins / quoteattr formats

# what quoteattr's own metadata declares in the entry-point group (pyproject.toml)
BUILTINS = {ep.name for ep in metadata.distribution("quoteattr").entry_points
            if ep.group == "quoteattr"}
assert {"quotes", "reported-speech", "mentions", "coref", "formats"} <= BUILTINS


def test_plugins_lists_the_builtins_with_source_and_hooks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "plugins")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "source", "distribution", "version", "hooks"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) >= BUILTINS
    assert rows["formats"][1:4] == ["builtin", "quoteattr", quoteattr.__version__]
    assert "register_formats" in rows["formats"][4:]


def test_plugins_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "plugins", "--format", "json", "--no-plugins")
    assert status == 0
    entries = json.loads(out)
    assert {e["name"] for e in entries} == BUILTINS
    formats = next(e for e in entries if e["name"] == "formats")
    assert formats["source"] == "builtin"
    assert formats["version"] == quoteattr.__version__
    assert formats["hooks"] == ["quoteattr_register_formats"]


def test_plugins_leaves_out_blocked_ones(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "plugins", "-f", "json", "--block", "coref")
    assert status == 0
    assert "coref" not in {e["name"] for e in json.loads(out)}
    status, _, err = run(capsys, "plugins", "--block", "nothing-like-this")
    assert status == 2
    one_error_line(err)


def test_formats_lists_names_and_descriptions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "formats")
    assert status == 0
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert {"jsonl", "json", "csv", "text"} <= set(names)
    status, out, _ = run(capsys, "formats", "--format", "json")
    entries = json.loads(out)
    assert all(e["description"] for e in entries)
    assert {"jsonl", "json", "csv", "text"} <= {e["name"] for e in entries}


def test_subcommand_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "plugins", "--format", "xml")
    assert status == 2
    assert "usage: quoteattr plugins" in err


# --------------------------------------------------------------------------------------------
# a real process


def test_python_m_quoteattr_runs_the_command_line(txt: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "quoteattr", str(txt), "-f", "jsonl"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["doc_id"] for line in done.stdout.splitlines()] == ["speech"]

    missing = subprocess.run(
        [sys.executable, "-m", "quoteattr", str(tmp_path / "missing.txt")],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )
    assert missing.returncode == 2
    assert missing.stdout == ""
    one_error_line(missing.stderr)


def test_output_to_a_device_writes_through_it(
    capsys: pytest.CaptureFixture[str], txt: Path, tmp_path: Path
) -> None:
    """-o /dev/null (or a pipe) is written in place, never replaced by a regular file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, _, _ = run(capsys, str(txt), "--format", "jsonl", "-o", str(fifo))
    reader.join(timeout=30)
    assert status == 0
    assert fifo.exists() and not fifo.is_file()  # still the pipe
    assert b'"doc_id"' in received[0]


# --------------------------------------------------------------------------------------------
# the progress line, --quiet, --summary, --debug


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def three_documents(tmp_path: Path, *, bad: bool = False) -> Path:
    lines = [json.dumps({"doc_id": f"d{i}", "text": SAY}) for i in range(3)]
    if bad:
        lines.append("{not json")
    return write_jsonl(tmp_path / "batch.jsonl", *lines)


def test_a_progress_line_is_drawn_on_a_terminal_and_cleared_at_the_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status, out, _ = run(capsys, str(three_documents(tmp_path, bad=True)), "-f", "jsonl")
    assert status == 1
    assert len(jsonl(out)) == 4  # nothing of it in the output
    written = terminal.getvalue()
    assert "\rquoteattr: 1 document done, 0 failed, " in written  # the first is drawn at once
    assert " MB/s" in written
    progress, summary = written.rsplit("\r", 1)
    assert summary.startswith("quoteattr: 1 of 4 documents failed")
    assert progress.rsplit("\r", 1)[1].strip() == ""  # the line was blanked before it


@pytest.mark.parametrize("quiet", [[], ["--quiet"], ["-q"]])
def test_no_progress_line_off_a_terminal_or_with_quiet(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quiet: list[str],
) -> None:
    stderr = FakeTerminal() if quiet else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    status, out, _ = run(capsys, str(three_documents(tmp_path, bad=True)), "-f", "jsonl", *quiet)
    assert status == 1
    assert len(jsonl(out)) == 4
    assert "\r" not in stderr.getvalue()
    assert "MB/s" not in stderr.getvalue()
    assert ("1 of 4 documents failed" in stderr.getvalue()) is not bool(quiet)


def test_no_progress_line_for_a_single_text_file(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status, _, _ = run(capsys, str(txt), "-f", "jsonl")
    assert status == 0
    assert terminal.getvalue() == ""


def test_the_progress_line_is_redrawn_at_most_five_times_a_second() -> None:
    ticks = iter([0.0, 0.0, 0.05, 0.19, 0.2, 0.3, 0.45])
    terminal = io.StringIO()
    progress = cli._Progress(terminal, clock=lambda: next(ticks))
    for done in range(1, 7):
        progress.update(done, 0, 2_000_000)
    drawn = [line.split(" done")[0] for line in terminal.getvalue().split("\r")[1:]]
    assert drawn == ["quoteattr: 1 document", "quoteattr: 4 documents", "quoteattr: 6 documents"]
    assert "4.44 MB/s" in terminal.getvalue()  # 2 MB in 0.45 s


def summary_run(
    capsys: pytest.CaptureFixture[str],
    txt: Path,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
) -> tuple[int, str, str]:
    text = "Ana said yes. Bo said a much longer thing. Ana said no. Someone said it."

    def attribution(content: str, name: str | None) -> Attribution:
        start = text.index(content)
        span = Span(start, start + len(content), content)
        speaker = None if name is None else Speaker(name, span, name, "person")
        return Attribution(span, "indirect", (), None, speaker, 0.9, "s", "r")

    def fixed(
        pipeline: Pipeline, paths: Iterable[str], jobs: int = 1, **_: object
    ) -> Iterator[Result | ErrorRecord]:
        yield Result("one", [attribution("yes", "Ana"), attribution("a much longer thing", "Bo")])
        yield ErrorRecord("broken", "PluginError", "boom")
        yield Result("two", [attribution("no", "Ana"), attribution("it", None)])

    monkeypatch.setattr(cli, "attribute_files", fixed)
    return run(capsys, str(txt), "-f", "jsonl", *args)


def test_summary_tables_speakers_by_characters_quoted_on_stderr(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = summary_run(capsys, txt, monkeypatch, "--summary")
    assert status == 1
    assert [r["doc_id"] for r in jsonl(out)] == ["one", "broken", "two"]  # stdout untouched
    lines = err.splitlines()
    assert lines[0] == "quoteattr: summary of 3 documents, 1 failed"
    table = [line.split("  ") for line in lines[1:6]]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in table]
    assert rows == [
        ["speaker", "attributions", "characters"],
        ["Bo", "1", "19"],
        ["Ana", "2", "5"],
        ["(no speaker)", "1", "2"],
        ["total", "4", "26"],
    ]
    assert lines[6].startswith("quoteattr: 1 of 3 documents failed")


def test_no_summary_without_the_option(
    capsys: pytest.CaptureFixture[str], txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, err = summary_run(capsys, txt, monkeypatch)
    assert "summary" not in err
    assert "total" not in err


def test_debug_prints_the_traceback_of_an_error_that_stops_the_run(
    capsys: pytest.CaptureFixture[str], txt: Path
) -> None:
    status, out, err = run(capsys, str(txt), "--format", "yaml")
    assert "Traceback" not in err
    status, out, err = run(capsys, str(txt), "--format", "yaml", "--debug")
    assert (status, out) == (2, "")
    assert err.startswith("Traceback (most recent call last):")
    assert "FormatError" in err
    assert err.splitlines()[-1].startswith("quoteattr: error: unknown output format 'yaml'")


def test_debug_prints_the_traceback_of_a_failed_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parallel_plugins

    def with_failing_plugin(**kwargs: object) -> Pipeline:
        return Pipeline(plugins=[parallel_plugins], **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "Pipeline", with_failing_plugin)
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        json.dumps({"doc_id": "ok", "text": SAY}),
        json.dumps({"doc_id": "bad", "text": parallel_plugins.FAIL}),
    )
    status, plain_out, plain_err = run(capsys, str(batch), "-f", "jsonl")
    assert status == 1
    assert "Traceback" not in plain_err
    status, out, err = run(capsys, str(batch), "-f", "jsonl", "--debug")
    assert status == 1
    assert out == plain_out  # the same records, the error record in its place
    error = jsonl(out)[1]["error"]
    assert isinstance(error, dict)
    assert error["plugin"] is not None
    assert "quoteattr: bad failed; its traceback (--debug):" in err
    assert "Traceback (most recent call last):" in err
    assert "RuntimeError: asked to fail" in err
    assert "parallel_plugins.py" in err
