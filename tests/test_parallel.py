"""``Pipeline.attribute_many(docs, jobs=N)``: worker processes give the records of ``jobs=1``.

Every test here starts worker processes (about a second each time), so the documents are few
and short. The plugins that the workers must import live in tests/parallel_plugins.py.
"""

from __future__ import annotations

import json
import signal
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import parallel_plugins
import pytest
from parallel_plugins import CRASH, FAIL, WordQuoter

from quoteattr import (
    Document,
    ErrorRecord,
    Pipeline,
    PluginError,
    QuoteattrError,
    Result,
    hookimpl,
    parallel,
)
from quoteattr.parallel import WORKER_CRASHED, attribute_parallel

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    cases = json.loads((ROOT / "tests" / "cases" / "attribution.json").read_text("utf-8"))
    seed = (ROOT / "seeds" / "kabulov.txt").read_text("utf-8")
    paragraphs = [p for p in seed.split("\n\n") if p.strip()]
    return [case["text"] for case in cases] + [seed, *paragraphs]


TEXTS = _texts()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(load_entrypoints=False)


@pytest.fixture(scope="module")
def failing() -> Pipeline:
    """A pipeline with the plugin that crashes or fails on a marker."""
    return Pipeline(load_entrypoints=False, plugins=[parallel_plugins])


def _ids(records: list[Result | ErrorRecord]) -> list[str | None]:
    return [r.doc_id for r in records]


def test_same_records_in_the_same_order_as_one_job(pipeline: Pipeline) -> None:
    docs: list[Any] = []
    for i, text in enumerate(TEXTS):  # every kind of item attribute_many takes
        kind = i % 4
        if kind == 0:
            docs.append(text)
        elif kind == 1:
            docs.append((f"t{i}", text))
        elif kind == 2:
            docs.append({"doc_id": i, "text": text})
        else:
            docs.append(Document(text, f"d{i}"))
    expected = list(pipeline.attribute_many(docs))
    got = list(pipeline.attribute_many(docs, jobs=2))
    assert got == expected
    assert all(isinstance(r, Result) for r in got)
    assert sum(len(r.attributions) for r in got if isinstance(r, Result)) > 20


def test_order_is_kept_when_chunks_finish_out_of_order(pipeline: Pipeline) -> None:
    long_text = "\n\n".join(TEXTS[-8:]) * 6  # the first chunk takes longest
    docs = [("long", long_text)] + [(f"short-{i}", t) for i, t in enumerate(TEXTS[:40])]
    got = list(attribute_parallel(pipeline, docs, jobs=2, chunk_size=1))
    assert _ids(got) == [d[0] for d in docs]
    assert got == list(pipeline.attribute_many(docs))


def test_error_records_in_place(failing: Pipeline) -> None:
    passing = ErrorRecord("unreadable", "InputError", "file.jsonl:3: invalid JSON")
    docs: list[Any] = [
        ("a", TEXTS[10]),
        passing,
        ("b", f"He said {FAIL} twice."),
        42,  # not a document at all
        {"doc_id": "c", "text": None},
        ("d", TEXTS[11]),
    ]
    expected = list(failing.attribute_many(docs))
    got = list(failing.attribute_many(docs, jobs=2))
    assert got == expected
    assert got[1] is passing or got[1] == passing
    assert [type(r).__name__ for r in got] == [
        "Result", "ErrorRecord", "ErrorRecord", "ErrorRecord", "ErrorRecord", "Result",
    ]
    failed = got[2]
    assert isinstance(failed, ErrorRecord)
    assert (failed.doc_id, failed.type, failed.plugin) == ("b", "PluginError", "parallel_plugins")
    assert "asked to fail" in failed.message


def test_errors_raise_stops_at_the_failing_document(failing: Pipeline) -> None:
    docs = [("a", TEXTS[3]), ("b", TEXTS[4]), ("c", f"{FAIL}"), ("d", TEXTS[5])]
    seen: list[str | None] = []
    with pytest.raises(PluginError, match="asked to fail") as info:
        for record in failing.attribute_many(docs, errors="raise", jobs=2):
            seen.append(record.doc_id)
    assert seen == ["a", "b"]
    assert info.value.plugin == "parallel_plugins"


def test_a_crashing_worker_costs_one_record_and_the_pool_recovers(failing: Pipeline) -> None:
    docs = [(f"ok-{i}", t) for i, t in enumerate(TEXTS[:12])]
    docs.insert(3, ("crash-1", f"Boom. {CRASH}"))
    docs.insert(9, ("crash-2", f"“Again,” he said. {CRASH}"))
    got = list(attribute_parallel(failing, docs, jobs=2, chunk_size=4))
    assert _ids(got) == [d[0] for d in docs]
    for doc, record in zip(docs, got, strict=True):
        if doc[0].startswith("crash"):
            assert isinstance(record, ErrorRecord)
            assert record.type == WORKER_CRASHED
            assert "retried alone" in record.message
        else:  # the documents that shared a chunk with the crash are still attributed
            assert record == failing.attribute(doc[1], doc_id=doc[0])


def _counting(docs: list[tuple[str, str]], read: list[int]) -> Iterator[tuple[str, str]]:
    for doc in docs:
        read[0] += 1
        yield doc


def test_input_is_read_only_a_window_ahead(pipeline: Pipeline) -> None:
    docs = [(f"d{i}", TEXTS[i % 30]) for i in range(120)]
    read = [0]
    chunk_size, window = 2, 3
    yielded = 0
    for record in attribute_parallel(
        pipeline, _counting(docs, read), jobs=2, chunk_size=chunk_size, window=window
    ):
        assert record.doc_id == docs[yielded][0]
        yielded += 1
        assert read[0] - yielded < chunk_size * window
        if yielded == 1:
            assert read[0] < len(docs)
    assert yielded == read[0] == len(docs)


def test_a_picklable_plugin_object_runs_in_the_workers() -> None:
    pipeline = Pipeline(load_entrypoints=False, plugins=[WordQuoter("envoy")])
    docs = [text for text in TEXTS if "envoy" in text]
    assert docs
    got = list(pipeline.attribute_many(docs, jobs=2))
    assert got == list(pipeline.attribute_many(docs))
    rules = {a.rule for r in got if isinstance(r, Result) for a in r}
    assert "word:envoy" in rules


def test_a_plugin_that_cannot_reach_the_workers_is_an_error() -> None:
    class Local:  # a class defined in a function cannot be pickled
        @staticmethod
        @hookimpl
        def quoteattr_detect_quotes(doc: Document) -> list[Any]:
            return []

    made = types.ModuleType("made_in_a_test")  # cannot be imported by its name
    for plugin, why in ((Local(), "cannot be pickled"), (made, "cannot be imported")):
        pipeline = Pipeline(load_entrypoints=False, plugins=[plugin])
        with pytest.raises(QuoteattrError, match=f"cannot be used with jobs > 1: .*{why}"):
            next(pipeline.attribute_many(["text"], jobs=2))


def test_bad_arguments(pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match="jobs"):
        next(pipeline.attribute_many(["text"], jobs=0))
    with pytest.raises(ValueError, match="window"):
        attribute_parallel(pipeline, ["text"], jobs=2, window=0)


# --------------------------------------------------------------------------------------------
# how workers start


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_and_spawned_workers_give_the_records_of_one_job(
    method: str, failing: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import quoteattr.parallel

    if method == "fork" and sys.platform != "linux":
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(quoteattr.parallel, "start_method", lambda: method)
    docs = [*TEXTS[:6], f"a document that {FAIL}", *TEXTS[6:10]]
    expected = list(failing.attribute_many(docs))
    assert list(failing.attribute_many(docs, jobs=2)) == expected
    assert any(isinstance(r, ErrorRecord) for r in expected)
    # and the lines of a line format, made in the workers
    assert list(failing.attribute_lines(docs, jobs=2)) == list(failing.attribute_lines(docs))


def test_workers_are_spawned_while_another_thread_runs() -> None:
    import subprocess
    import sys
    import threading

    from quoteattr.parallel import start_method

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    # a fresh interpreter runs one thread: on Linux its workers are forked
    program = "from quoteattr.parallel import start_method; print(start_method())"
    fresh = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert fresh.stdout.strip() == ("fork" if sys.platform == "linux" else "spawn")


def test_a_replacement_worker_asks_again_how_to_start(
    failing: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller may have started threads since the first workers: each start decides."""
    import quoteattr.parallel

    asked: list[str] = []
    real = quoteattr.parallel.start_method

    def counted() -> str:
        asked.append(real())
        return asked[-1]

    monkeypatch.setattr(quoteattr.parallel, "start_method", counted)
    docs = [("ok", TEXTS[0]), ("crash", f"Boom. {CRASH}"), ("ok-2", TEXTS[1])]
    got = list(attribute_parallel(failing, docs, jobs=2, chunk_size=1))
    assert [r.doc_id for r in got] == ["ok", "crash", "ok-2"]
    assert len(asked) > 2  # two workers, then at least one replacement


@pytest.mark.parametrize(("max_seconds", "most"), [(None, 2), (30.0, 1)])
def test_a_worker_holds_the_next_chunk_unless_documents_have_a_budget(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, max_seconds: float | None, most: int
) -> None:
    held: list[int] = []
    send = parallel._Pool.send

    def counting(self: Any, worker: Any, *args: Any) -> None:
        send(self, worker, *args)
        held.append(len(worker.tasks))

    monkeypatch.setattr(parallel._Pool, "send", counting)
    docs = [(f"d{i}", TEXTS[i % 30]) for i in range(40)]
    got = list(attribute_parallel(pipeline, docs, jobs=2, chunk_size=2, max_seconds=max_seconds))
    assert got == list(pipeline.attribute_many(docs))
    assert max(held) == most


def test_the_chunk_waiting_for_a_worker_that_dies_is_sent_again_whole(
    failing: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[int, list[int], bool]] = []
    send = parallel._Pool.send

    def recording(self: Any, worker: Any, task: Any, *args: Any) -> None:
        sent.append((task.chunk, list(task.slots), task.retry))
        send(self, worker, task, *args)

    monkeypatch.setattr(parallel._Pool, "send", recording)
    docs = [("crash", f"Boom. {CRASH}")] + [(f"ok-{i}", TEXTS[i]) for i in range(7)]
    got = list(attribute_parallel(failing, docs, jobs=1, chunk_size=4))
    assert isinstance(got[0], ErrorRecord) and got[0].type == WORKER_CRASHED
    assert got[1:] == list(failing.attribute_many(docs[1:]))
    # The first chunk kills the worker. The second, sent behind it, was not begun: it is sent
    # again as it was, after the first chunk's documents, retried one at a time. The retry of
    # the crashing document kills a worker again, and the retry waiting behind it is resent.
    assert sent == [
        (0, [0, 1, 2, 3], False), (1, [0, 1, 2, 3], False),
        (0, [0], True), (0, [1], True),
        (0, [1], True), (0, [2], True), (0, [3], True), (1, [0, 1, 2, 3], False),
    ]


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the deadline needs SIGALRM")
def test_chunks_larger_than_the_pipe_sent_ahead_do_not_deadlock(pipeline: Pipeline) -> None:
    # Each document, and each result (which carries its text), is far larger than a pipe's
    # buffer. The second is sent while the worker attributes the first; were it read only
    # once the worker is free, the parent would block in that send while the worker blocks
    # sending the first result, which the parent does not read: for ever.
    big = "The committee met on Tuesday and talked about the weather.\n\n" * 8_000
    docs = [("a", big), ("b", big.replace("Tuesday", "Friday")), ("c", TEXTS[0])]

    class Stuck(Exception):  # not an OSError (as TimeoutError is), which a send may suppress
        pass

    def ring(signum: int, frame: object) -> None:
        raise Stuck("the parent and its worker wait for each other")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(60)
    try:
        got = list(attribute_parallel(pipeline, docs, jobs=1, chunk_size=1))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert got == list(pipeline.attribute_many(docs))
    assert len(big) > 400_000


def test_a_second_chunk_goes_to_a_worker_only_once_each_holds_one(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[int, int, int]] = []  # (chunk, worker, tasks it held before)
    send = parallel._Pool.send

    def recording(self: Any, worker: Any, task: Any, *args: Any) -> None:
        sent.append((task.chunk, id(worker), len(worker.tasks)))
        send(self, worker, task, *args)

    monkeypatch.setattr(parallel._Pool, "send", recording)
    docs = [(f"d{i}", TEXTS[-1]) for i in range(6)]
    got = list(attribute_parallel(pipeline, docs, jobs=2, chunk_size=1, window=2))
    assert got == list(pipeline.attribute_many(docs))
    (_, first, held_first), (_, second, held_second) = sent[:2]
    assert first != second and held_first == held_second == 0
