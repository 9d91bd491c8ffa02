"""The ``brat`` output format: .ann sections on one stream, read back with quoteattr.brat."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import quoteattr
from quoteattr import ErrorRecord, Pipeline
from quoteattr.brat import from_ann, read_document
from quoteattr.default.brat_format import (
    ERROR,
    HEADER,
    document_ann,
    split_documents,
    write_brat_stream,
)
from quoteattr.errors import InputError
from quoteattr.model import Result

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "kabulov.txt"


@pytest.fixture(scope="module")
def seed() -> tuple[str, Result]:
    text = SEED.read_text(encoding="utf-8")
    return text, quoteattr.attribute(text, doc_id="kabulov")


def check_matches(doc: dict[str, object], result: Result) -> None:
    quotes = doc["quotes"]
    assert isinstance(quotes, list)
    assert len(quotes) == len(result)
    for q, a in zip(quotes, result, strict=True):
        assert (q["start"], q["end"], q["text"], q["type"]) == (a.start, a.end, a.text, a.type)
        assert a.speaker is not None and a.cue is not None
        assert q["speaker"] == a.speaker.name
        assert (q["speaker_start"], q["speaker_end"]) == (a.speaker.mention.start,
                                                          a.speaker.mention.end)
        assert q["speaker_mention"] == a.speaker.mention.text
        assert q["cue"] == a.cue.span.text
        assert q["cue_span"] == [[a.cue.span.start, a.cue.span.end]]
        assert q["confidence"] == a.confidence
        assert q["sieve"] == a.sieve
        assert q["rule"] == a.rule


def test_seed_round_trip(seed: tuple[str, Result]) -> None:
    text, result = seed
    out = io.StringIO()
    write_brat_stream([result], out)
    ((doc_id, ann),) = split_documents(out.getvalue())
    assert doc_id == "kabulov"
    check_matches(from_ann(ann, text, doc_id), result)


def test_the_ann_is_the_same_as_with_the_whole_text(seed: tuple[str, Result]) -> None:
    """The writer rebuilds the spans' text; the .ann is what the whole text would give."""
    from quoteattr.brat import to_ann

    text, result = seed
    full = to_ann({"doc_id": "kabulov", "text": text,
                   "quotes": [a.to_dict() for a in result]})
    assert document_ann(result) == full


def test_sections_are_brat_files(seed: tuple[str, Result], tmp_path: Path) -> None:
    """Each section, saved as NAME.ann beside NAME.txt, is a brat document."""
    text, result = seed
    out = io.StringIO()
    write_brat_stream([result], out)
    for doc_id, ann in split_documents(out.getvalue()):
        (tmp_path / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        (tmp_path / f"{doc_id}.ann").write_text(ann, encoding="utf-8", newline="")
        check_matches(read_document(tmp_path / f"{doc_id}.ann"), result)


def test_batch_with_errors_and_empty_documents(seed: tuple[str, Result]) -> None:
    text, result = seed
    out = io.StringIO()
    records: list[Result | ErrorRecord] = [
        result,
        ErrorRecord("bad\nid", "InputError", "cannot\nread"),
        Result(None),
        Result("other", result.attributions),
    ]
    write_brat_stream(records, out)
    docs = list(split_documents(out.getvalue()))
    assert [d for d, _ in docs] == ["kabulov", "bad id", "document 3", "other"]
    assert docs[1][1] == f"{ERROR} InputError: cannot read\n"
    assert docs[2][1] == ""
    check_matches(from_ann(docs[3][1], text, "other"), result)
    # an unsplit stream is not mistaken for one document
    with pytest.raises(InputError):
        from_ann(out.getvalue(), text, "all")


def test_split_rejects_headless_input() -> None:
    with pytest.raises(ValueError, match=HEADER):
        list(split_documents("T1\tQuote 0 1\tx\n"))
    assert list(split_documents("")) == []


def test_format_registered_and_on_the_command_line(seed: tuple[str, Result]) -> None:
    assert "brat" in Pipeline().formats
    text, result = seed
    run = subprocess.run(
        [sys.executable, "-m", "quoteattr", "--format", "brat", str(SEED)],
        capture_output=True, text=True, encoding="utf-8", check=False, cwd=ROOT,
    )
    if run.returncode != 0 and "No module named quoteattr.__main__" in run.stderr:
        pytest.skip("quoteattr has no __main__")
    assert run.returncode == 0, run.stderr
    ((doc_id, ann),) = split_documents(run.stdout)
    check_matches(from_ann(ann, text, doc_id), result)
