"""Attribute a stream of documents in worker processes: ``Pipeline.attribute_many(docs, jobs=N)``.

>>> import quoteattr
>>> pipeline = quoteattr.Pipeline()
>>> records = list(pipeline.attribute_many(["“Yes,” she said."] * 100, jobs=2))  # doctest: +SKIP

How it works
------------

- ``N`` worker processes are started. On Linux, when the calling process runs a single thread,
  they are forked: a forked worker starts in about a hundredth of a second, with the modules
  the parent has imported, where a spawned one spends about a fifth of a second importing them
  again (on a two-core machine that start-up was a tenth of a corpus run). Otherwise (other
  threads, which a fork could leave holding locks; macOS; Windows) they are started with the
  ``spawn`` method. Either way each builds its own :class:`~quoteattr.pipeline.Pipeline`
  **once**, with the same plugins, registered under the same names in the same order as the
  parent's, so its results are equal to those of ``jobs=1``.
- The input is read lazily, in chunks of ``chunk_size`` documents (or fewer when they hold more
  than ``chunk_chars`` characters). At most ``window`` chunks (default ``4 * jobs``) are in
  flight at once, counting those that are done but wait for an earlier chunk: memory stays
  bounded however long the input is, and at most ``window * chunk_size`` documents have been
  read and not yet yielded.
- A worker holds two chunks at a time: the one it attributes, and the next, which its reader
  thread takes from the pipe as soon as it arrives. It starts on the next as soon as it has
  sent the records of one, without waiting for the parent to read them and send more (on two
  cores, where the parent shares a core with a worker, that wait was about a twelfth of a
  worker's time). A second chunk goes to a worker only once every worker, ready or still
  starting, holds one. With ``max_seconds`` a worker holds one.
- Records come back pickled (:func:`~quoteattr.trusted.pack_result` makes a result a few
  tuples). For :meth:`~quoteattr.pipeline.Pipeline.attribute_lines` each worker sends the
  lines of a line format instead, made from its own results: the parent then neither rebuilds
  nor encodes the results, which was most of its work.
- Records come out in input order, one per document. A document that fails becomes an
  :class:`~quoteattr.pipeline.ErrorRecord` in its place, exactly as with ``jobs=1``; an
  ``ErrorRecord`` in the input passes through in its place without going to a worker.
- A worker process that dies (a plugin calls ``os._exit``, a segfault in an extension, the
  out-of-memory killer) is replaced. Each document of the chunk it was attributing is retried
  **once, alone**, as a task of its own; a document whose retry kills its worker too becomes an
  ``ErrorRecord`` of type ``"WorkerCrashed"``. So one poisonous document costs one record, and
  the documents that shared its chunk are still attributed. The chunk that was waiting for the
  dead worker is handed on as it was. (A worker that dies between two chunks, after sending
  the records of one, has the next one blamed: its documents are then retried alone, and a
  retried document that was waiting so is recorded as ``WorkerCrashed`` without having run.)

Plugins in worker processes
---------------------------

A plugin object cannot always be sent to another process, so each worker rebuilds the plugin
set from what the parent's plugin manager holds:

- built-in and entry-point plugins are loaded again from their entry point (``module:attr``);
- a plugin that is a module is imported by its name: it must be importable in a new process
  (a module made with ``types.ModuleType`` or ``exec`` is not);
- any other plugin object (a class, an instance) is pickled: it must be picklable, and its class
  importable, in the worker. Its state is copied once, when the workers start; what a worker's
  copy does to that state is not seen by the parent.

A plugin that cannot be sent raises :class:`~quoteattr.errors.QuoteattrError` naming it, before
any document is read. Hook-call monitoring and other changes made to the parent's manager after
registration are not carried over. With ``jobs > 1`` a :class:`~quoteattr.model.Document`'s
``stash`` stays behind: workers receive ``(doc_id, text)`` only.

As with any ``spawn``-started process, a script that uses ``jobs > 1`` must keep its top-level
work under ``if __name__ == "__main__":``: a spawned worker imports the script's main module
again. A forked worker starts with the state the parent's modules are in when it is started
(plugins are still rebuilt from their entry points, modules or pickles as above), and with the
parent's open file descriptors; it sets its own signal handlers and garbage collector as a
spawned worker has them. Whether to fork is decided for each worker started, replacements
included.

``errors="raise"`` raises the worker's exception at the failing document's place in the order;
an exception that cannot be pickled is raised as a :class:`~quoteattr.errors.QuoteattrError`
carrying its type and message.

Limits
------

``max_chars`` is checked in the parent, before a document is sent: a longer one becomes an
``ErrorRecord`` of type ``"DocumentTooLarge"`` without leaving the parent. With ``max_seconds``
each document is sent to a worker alone, and the budget is kept twice: the worker stops the
document itself with ``SIGALRM`` (as ``jobs=1`` does) and goes on with the next; and if the
worker has not answered ``max_seconds`` plus a grace period (:func:`hard_deadline`) after the
document was sent (stuck in C code that ignores signals, say), the parent kills it and starts
another. Either way the document's record is of type ``"TimeBudgetExceeded"``. Without
``max_seconds`` a worker that hangs is not detected.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import importlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import re
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import attrs

from quoteattr.errors import QuoteattrError
from quoteattr.manager import PluginInfo, PluginManager
from quoteattr.model import Document, Result
from quoteattr.pipeline import LineSpec, gc_paused, tune_gc_for_batch

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from quoteattr.pipeline import ErrorRecord, Pipeline

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "DEFAULT_CHUNK_SIZE",
    "TIME_BUDGET_EXCEEDED",
    "WORKER_CRASHED",
    "PluginSpec",
    "attribute_parallel",
    "hard_deadline",
    "plugin_specs",
    "start_method",
]

#: documents per chunk sent to a worker
DEFAULT_CHUNK_SIZE = 8
#: a chunk is closed early once it holds this many characters of text
DEFAULT_CHUNK_CHARS = 1 << 20
#: the ``ErrorRecord.type`` of a document whose worker process died, also when retried alone
WORKER_CRASHED = "WorkerCrashed"
#: a worker that dies this many times in a row before it is ready means the setup is broken
_MAX_START_FAILURES = 3
#: the ``ErrorRecord.type`` of a document that overran ``max_seconds``
TIME_BUDGET_EXCEEDED = "TimeBudgetExceeded"
#: tasks a worker holds at once: the one it attributes, and the next, read ahead
_TASKS_PER_WORKER = 2


def hard_deadline(max_seconds: float) -> float:
    """Seconds after which the parent kills a worker still busy with one document.

    The worker's own alarm should have stopped the document at ``max_seconds``; the grace
    period (half the budget, at least one second) lets it report that before it is killed.
    """
    return max_seconds + max(1.0, max_seconds / 2)


# --------------------------------------------------------------------------------------------
# what a worker needs to rebuild the parent's plugins


@attrs.frozen
class PluginSpec:
    """How a worker process gets one of the parent's plugins back.

    :ivar name: the name the plugin is registered under.
    :ivar how: ``"entrypoint"`` (load ``target``, ``module:attr``), ``"module"`` (import the
        module named ``target``) or ``"pickle"`` (``payload`` is the pickled object).
    """

    name: str
    how: str
    target: str = ""
    payload: bytes = b""
    info: PluginInfo | None = None


def plugin_specs(pm: PluginManager) -> tuple[list[PluginSpec], list[str]]:
    """The plugins of ``pm`` in registration order, as worker processes can rebuild them.

    :returns: ``(specs, blocked names)``.
    :raises QuoteattrError: a plugin cannot be sent to another process; the message names it.
    """
    specs: list[PluginSpec] = []
    blocked: list[str] = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            blocked.append(name)
            continue
        info = pm.plugin_info.get(name)
        if info is not None and info.source in ("builtin", "entrypoint") and info.value:
            specs.append(PluginSpec(name, "entrypoint", info.value, info=info))
        elif isinstance(plugin, types.ModuleType):
            if plugin.__spec__ is None or sys.modules.get(plugin.__name__) is not plugin:
                _cannot_send(name, f"it is a module that cannot be imported by its name "
                                   f"({plugin.__name__!r})")
            specs.append(PluginSpec(name, "module", plugin.__name__, info=info))
        else:
            try:
                payload = pickle.dumps(plugin)
            except Exception as exc:
                _cannot_send(name, f"it cannot be pickled ({type(exc).__name__}: {exc})")
            specs.append(PluginSpec(name, "pickle", payload=payload, info=info))
    return specs, blocked


def _cannot_send(name: str, why: str) -> None:
    msg = (
        f'plugin "{name}" cannot be used with jobs > 1: {why}. Worker processes use '
        "entry-point plugins, importable modules and picklable plugin objects only; "
        "package the plugin with an entry point, or attribute with jobs=1"
    )
    raise QuoteattrError(msg)


def _load_target(target: str) -> Any:
    """The object an entry point's ``module:attr.attr`` value names, as ``EntryPoint.load()``
    finds it (without importing ``importlib.metadata`` into every worker)."""
    match = _ENTRY_POINT_VALUE.match(target)
    if match is None:
        raise ValueError(f"not an entry point value: {target!r}")
    found: Any = importlib.import_module(match.group("module"))
    for attribute in filter(None, (match.group("attr") or "").split(".")):
        found = getattr(found, attribute)
    return found


#: ``module``, ``module:attr.attr``, either with ``[extras]`` after: the entry point syntax
_ENTRY_POINT_VALUE = re.compile(
    r"(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$"
)


def _build_pipeline(specs: list[PluginSpec], blocked: list[str]) -> Pipeline:
    from quoteattr.pipeline import Pipeline

    pm = PluginManager()
    for name in blocked:
        pm.set_blocked(name)
    for spec in specs:
        plugin: Any
        if spec.how == "entrypoint":
            plugin = _load_target(spec.target)
        elif spec.how == "module":
            plugin = importlib.import_module(spec.target)
        else:
            plugin = pickle.loads(spec.payload)
        pm._register_checked(plugin, spec.name)
        pm.plugin_info[spec.name] = spec.info or PluginInfo(spec.name, "inline")
    pm.check()
    return Pipeline(pm=pm)


def start_method() -> str:
    """How worker processes start: ``"fork"`` on Linux while this process runs one thread
    (counted by the kernel, so threads started by C libraries count too), else ``"spawn"``.

    A fork copies only the calling thread: a lock that another thread held at that moment
    (in ``malloc``, in logging, in an import) would stay locked in the child for ever.
    """
    if sys.platform != "linux":
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


# --------------------------------------------------------------------------------------------
# the worker process


def _worker_main(
    conn: Connection,
    specs: list[PluginSpec],
    blocked: list[str],
    max_seconds: float | None = None,
    lines: LineSpec | None = None,
) -> None:
    """A worker: build the pipeline once, then attribute each chunk it is sent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # a forked worker inherits the caller's handlers and collector settings: start as a
    # spawned one does (the parent stops a worker with SIGTERM; the budget sets its own alarm)
    for number in (signal.SIGTERM, signal.SIGALRM):
        signal.signal(number, signal.SIG_DFL)
    gc.enable()
    with contextlib.suppress(EOFError, OSError):  # the parent is gone or done: just stop
        try:
            with gc_paused():  # as in the CLI: nothing to collect while plugins are loaded
                pipeline = _build_pipeline(specs, blocked)
                encode = None if lines is None else _line_maker(pipeline, lines)
                tune_gc_for_batch()
        except BaseException as exc:
            conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
            return
        conn.send(("ready", None))
        tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        reader = threading.Thread(
            target=_read_tasks, args=(conn, tasks), name="quoteattr-tasks", daemon=True
        )
        reader.start()
        while (task := tasks.get()) is not None:
            task_id, docs, keep_exceptions = task
            records: list[tuple[Result | ErrorRecord | str, bytes | None]] = [
                _attribute_one(pipeline, doc, keep_exceptions, max_seconds) for doc in docs
            ]
            if encode is not None:
                records = [(encode(record), exc) for record, exc in records]
            conn.send(("done", (task_id, records)))


def _read_tasks(conn: Connection, tasks: queue.SimpleQueue[Any]) -> None:
    """A worker's reader thread: hand on each message of the parent as soon as it arrives,
    until ``None`` or the end of the pipe.

    The parent sends a worker its next chunk while the worker is still attributing one. Were
    that chunk read only once the worker is free, a chunk larger than the pipe's buffer would
    block the parent's send until then; and the worker, once free, would block sending its
    results to the parent, which reads nothing while it is stuck in that send: each would wait
    for the other for ever.
    """
    if hasattr(signal, "pthread_sigmask"):  # the budget's alarm is for the attributing thread
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        while (task := conn.recv()) is not None:
            tasks.put(task)
    except (EOFError, OSError):
        pass  # the parent is gone: the worker stops
    finally:
        tasks.put(None)


def _line_maker(
    pipeline: Pipeline, spec: LineSpec
) -> Callable[[Result | ErrorRecord | str], Result | ErrorRecord | str]:
    """What a worker sends for a record when it makes lines: a result's line; an error record,
    or a result whose line could not be made, as it is (the parent makes that line again, and
    fails in the document's turn, as ``jobs=1`` would)."""
    line = pipeline.line_encoder(spec.format)

    def encode(record: Result | ErrorRecord | str) -> Result | ErrorRecord | str:
        if not isinstance(record, Result):
            return record
        try:
            return line(record.at_least(spec.min_confidence), spec.encoding)
        except Exception:
            return record

    return encode


def _attribute_one(
    pipeline: Pipeline,
    doc: tuple[str | None, str],
    keep_exceptions: bool,
    max_seconds: float | None = None,
) -> tuple[Result | ErrorRecord, bytes | None]:
    """One document's record, as ``Pipeline.attribute_many`` makes it, and the exception."""
    from quoteattr.pipeline import ErrorRecord

    doc_id, text = doc
    # gc_paused() leaves the collector on while another thread runs, and the worker's reader
    # thread always does: this thread is the only one that attributes, so pause it here
    gc.disable()
    try:
        return pipeline.attribute_limited(Document(text, doc_id), max_seconds=max_seconds), None
    except Exception as exc:
        record = ErrorRecord(doc_id, type(exc).__name__, str(exc), getattr(exc, "plugin", None))
        return record, _pickled_exception(exc) if keep_exceptions else None
    finally:
        gc.enable()


def _pickled_exception(exc: Exception) -> bytes | None:
    """``exc`` pickled so that the parent can raise it, or ``None`` when it cannot be."""
    try:
        data = pickle.dumps(("whole", exc))
        pickle.loads(data)  # some exceptions pickle, yet cannot be rebuilt
        return data
    except Exception:
        pass
    try:  # an __init__ that pickle cannot call again, such as PluginError's keyword arguments
        data = pickle.dumps(("parts", (type(exc), exc.args, dict(vars(exc)))))
        _unpickle_exception(data)
        return data
    except Exception:
        return None


def _unpickle_exception(data: bytes) -> BaseException:
    how, payload = pickle.loads(data)
    if how == "whole":
        return cast(BaseException, payload)
    cls, args, state = payload
    exc = cast(BaseException, cls.__new__(cls, *args))
    exc.args = args
    exc.__dict__.update(state)
    return exc


# --------------------------------------------------------------------------------------------
# the parent


@attrs.define
class _Chunk:
    """Consecutive input items: their records, filled in as they arrive."""

    records: list[Any]
    docs: dict[int, tuple[str | None, str]]  # slot -> (doc_id, text) still to attribute
    missing: int = 0


@attrs.define
class _Task:
    chunk: int
    slots: list[int]
    retry: bool


@attrs.define(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    #: the tasks sent and not answered, oldest (the one being attributed) first, with their ids
    tasks: collections.deque[tuple[int, _Task]] = attrs.Factory(collections.deque)
    deadline: float | None = None  # monotonic time after which the task is given up

    @property
    def task(self) -> _Task | None:
        """The task the worker is attributing (or is about to), if any."""
        return self.tasks[0][1] if self.tasks else None


class _Pool:
    """Worker processes, each with its own pipe, so that the parent knows what each one holds."""

    def __init__(
        self,
        jobs: int,
        specs: list[PluginSpec],
        blocked: list[str],
        max_seconds: float | None = None,
        lines: LineSpec | None = None,
    ) -> None:
        self._args = (specs, blocked, max_seconds, lines)
        self.max_seconds = max_seconds
        # a document with a time budget is sent when its worker is free, so that its
        # deadline runs from when the worker starts on it
        self.depth = 1 if max_seconds is not None else _TASKS_PER_WORKER
        self.workers: list[_Worker] = []
        self.start_failures = 0
        self._task_ids = 0
        for _ in range(jobs):
            self.start_worker()

    def start_worker(self) -> _Worker:
        # decided for each worker: a replacement is started later, when the caller may have
        # started threads of its own
        ctx = (
            multiprocessing.get_context("fork") if start_method() == "fork"
            else multiprocessing.get_context("spawn")
        )
        parent_end, child_end = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_worker_main, args=(child_end, *self._args), daemon=True,
            name="quoteattr-worker",
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def idle(self) -> list[_Worker]:
        """The workers that are ready and can take another task: while some worker, ready or
        still starting, holds none, only those that hold none."""
        ready = [w for w in self.workers if w.ready and len(w.tasks) < self.depth]
        if any(not w.ready or not w.tasks for w in self.workers):
            return [w for w in ready if not w.tasks]
        return ready

    def send(self, worker: _Worker, task: _Task, chunks: dict[int, _Chunk], flag: bool) -> None:
        self._task_ids += 1
        worker.tasks.append((self._task_ids, task))
        if self.max_seconds is not None:
            worker.deadline = time.monotonic() + hard_deadline(self.max_seconds)
        docs = [chunks[task.chunk].docs[slot] for slot in task.slots]
        with contextlib.suppress(OSError):  # it died: _wait sees it and deals with the task
            worker.conn.send((self._task_ids, docs, flag))

    def replace(self, worker: _Worker) -> None:
        self.discard(worker)
        self.start_worker()

    def discard(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()

    def close(self) -> None:
        for worker in self.workers:
            if worker.ready and not worker.tasks:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            else:  # busy, or still starting: nothing it does now is wanted
                worker.process.terminate()
        for worker in list(self.workers):
            self.discard(worker)


def attribute_parallel(
    pipeline: Pipeline,
    docs: Iterable[Any],
    *,
    jobs: int,
    errors: str = "record",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    window: int | None = None,
    max_chars: int | None = None,
    max_seconds: float | None = None,
    lines: LineSpec | None = None,
) -> Iterator[Result | ErrorRecord | str]:
    """Attribute ``docs`` in ``jobs`` worker processes; see the module docstring.

    Takes the same items as :meth:`~quoteattr.pipeline.Pipeline.attribute_many` and yields the
    same records, in the same order.

    :param chunk_size: documents sent to a worker at a time.
    :param chunk_chars: a chunk is closed early once its texts hold this many characters.
    :param window: chunks in flight at most (read, and not yet yielded); default ``4 * jobs``.
    :param max_chars: longer documents are error records of type ``"DocumentTooLarge"``.
    :param max_seconds: the time budget of each document (see the module docstring).
    :param lines: when given, the workers send each result as its line in that line format
        (a ``str``), and the ones they could not encode as they are; error records are sent
        as they are (see :meth:`~quoteattr.pipeline.Pipeline.attribute_lines`).
    :raises QuoteattrError: a plugin cannot be sent to a worker, or workers cannot start.
    """
    if jobs < 1:
        msg = f"jobs must be at least 1, got {jobs}"
        raise ValueError(msg)
    if chunk_size < 1 or chunk_chars < 1:
        msg = "chunk_size and chunk_chars must be at least 1"
        raise ValueError(msg)
    window = 4 * jobs if window is None else window
    if window < 1:
        msg = f"window must be at least 1, got {window}"
        raise ValueError(msg)
    from quoteattr.pipeline import _check_limits

    _check_limits(max_chars, max_seconds)
    specs, blocked = plugin_specs(pipeline.pm)
    limits = _Limits(max_chars, max_seconds)
    return _run(
        docs, jobs, specs, blocked, errors == "raise", chunk_size, chunk_chars, window, limits,
        lines,
    )


@attrs.frozen
class _Limits:
    max_chars: int | None = None
    max_seconds: float | None = None


def _run(
    docs: Iterable[Any],
    jobs: int,
    specs: list[PluginSpec],
    blocked: list[str],
    raise_errors: bool,
    chunk_size: int,
    chunk_chars: int,
    window: int,
    limits: _Limits,
    lines: LineSpec | None = None,
) -> Iterator[Result | ErrorRecord | str]:
    from quoteattr.pipeline import ErrorRecord, _as_document, _guess_id, check_size

    items = iter(docs)
    exhausted = False
    chunks: dict[int, _Chunk] = {}
    next_chunk = 0  # the id of the next chunk read
    next_out = 0  # the chunk whose records are yielded next
    queue: collections.deque[_Task] = collections.deque()  # tasks not yet sent
    # errors="raise": the exception (or its pickle) of each failed slot, raised in its turn
    exceptions: dict[tuple[int, int], BaseException | bytes | None] = {}

    def read_chunk() -> None:
        nonlocal exhausted, next_chunk
        records: list[Any] = []
        texts: dict[int, tuple[str | None, str]] = {}
        size = 0
        while len(records) < chunk_size and size < chunk_chars:
            try:
                item = next(items)
            except StopIteration:
                exhausted = True
                break
            if isinstance(item, ErrorRecord):
                records.append(item)
                continue
            doc_id = None
            try:
                doc = _as_document(item)
                doc_id = doc.doc_id
                check_size(doc.text, limits.max_chars)
            except Exception as exc:  # as attribute_many does with jobs=1
                plugin = getattr(exc, "plugin", None)
                doc_id = doc_id if doc_id is not None else _guess_id(item)
                records.append(ErrorRecord(doc_id, type(exc).__name__, str(exc), plugin))
                if raise_errors:
                    exceptions[(next_chunk, len(records) - 1)] = exc
                continue
            texts[len(records)] = (doc.doc_id, doc.text)
            records.append(None)
            size += len(doc.text)
        if not records:
            return
        chunks[next_chunk] = _Chunk(records, texts, len(texts))
        if texts and limits.max_seconds is not None:  # one at a time, each with its deadline
            queue.extend(_Task(next_chunk, [slot], retry=False) for slot in sorted(texts))
        elif texts:
            queue.append(_Task(next_chunk, sorted(texts), retry=False))
        next_chunk += 1

    def finish(task: _Task, results: list[tuple[Result | ErrorRecord, bytes | None]]) -> None:
        chunk = chunks[task.chunk]
        for slot, (record, exc) in zip(task.slots, results, strict=True):
            chunk.records[slot] = record
            del chunk.docs[slot]
            chunk.missing -= 1
            if raise_errors and isinstance(record, ErrorRecord):
                exceptions[(task.chunk, slot)] = exc

    def crashed(task: _Task, exitcode: int | None, unstarted: list[_Task]) -> None:
        # the tasks queued behind the one that killed the worker were not begun: as they were
        queue.extendleft(reversed(unstarted))
        if not task.retry:  # every document of the chunk again, alone, first in line
            for slot in reversed(task.slots):
                queue.appendleft(_Task(task.chunk, [slot], retry=True))
            return
        [slot] = task.slots
        doc_id = chunks[task.chunk].docs[slot][0]
        message = (f"the worker process attributing this document died (exit code {exitcode}), "
                   "and died again when the document was retried alone")
        finish(task, [(ErrorRecord(doc_id, WORKER_CRASHED, message), None)])

    def overran(task: _Task) -> None:
        [slot] = task.slots
        doc_id = chunks[task.chunk].docs[slot][0]
        assert limits.max_seconds is not None
        message = (f"attributing the document took longer than {limits.max_seconds:g} s "
                   f"(--max-seconds-per-doc); its worker process did not answer within "
                   f"{hard_deadline(limits.max_seconds):g} s and was killed")
        finish(task, [(ErrorRecord(doc_id, TIME_BUDGET_EXCEEDED, message), None)])

    def room() -> bool:
        return not exhausted and next_chunk - next_out < window

    pool = _Pool(jobs, specs, blocked, limits.max_seconds, lines)
    try:
        while True:
            # hand out work to idle workers: retries first, then new chunks while there is room
            for worker in pool.idle():
                while not queue and room():
                    read_chunk()
                if not queue:
                    break
                pool.send(worker, queue.popleft(), chunks, raise_errors)
            # yield every complete chunk, in order
            while next_out in chunks and chunks[next_out].missing == 0:
                chunk = chunks.pop(next_out)
                for slot, record in enumerate(chunk.records):
                    key = (next_out, slot)
                    if key in exceptions:
                        _raise(exceptions.pop(key), record)
                    yield record
                next_out += 1
            if exhausted and next_out == next_chunk:
                return
            if pool.idle() and (queue or room()):
                continue  # the window has room again: hand out more before waiting
            _wait(pool, finish, crashed, overran)
    finally:
        pool.close()


def _wait(pool: _Pool, finish: Any, crashed: Any, overran: Any) -> None:
    """Block until a worker sends something, dies or overruns its deadline, and handle it."""
    sentinels = {w.process.sentinel: w for w in pool.workers}
    conns = {id(w.conn): w for w in pool.workers}
    deadlines = [w.deadline for w in pool.workers if w.task is not None and w.deadline]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    ready = multiprocessing.connection.wait(
        [*(w.conn for w in pool.workers), *sentinels], timeout
    )
    touched: list[_Worker] = []
    for obj in ready:
        worker = sentinels.get(obj) if isinstance(obj, int) else conns.get(id(obj))
        if worker is not None and worker not in touched:
            touched.append(worker)
    for worker in touched:
        alive = _drain(pool, worker, finish)
        if alive and worker.process.is_alive():
            continue
        worker.process.join(timeout=5)
        exitcode = worker.process.exitcode
        if worker.tasks:
            (_, begun), *waiting = worker.tasks
            crashed(begun, exitcode, [t for _, t in waiting])
            worker.tasks.clear()
        if not worker.ready:
            pool.start_failures += 1
            if pool.start_failures >= _MAX_START_FAILURES:
                msg = (f"quoteattr worker processes keep dying before they are ready "
                       f"(exit code {exitcode})")
                raise QuoteattrError(msg)
        pool.replace(worker)
    now = time.monotonic()
    for worker in list(pool.workers):
        task = worker.task
        if task is None or worker.deadline is None or worker.deadline > now:
            continue
        if _drain(pool, worker, finish) and worker.task is None:
            continue  # it answered just in time
        worker.tasks.clear()  # the one task: a worker with a budget is sent one at a time
        worker.process.kill()
        overran(task)
        pool.replace(worker)


def _drain(pool: _Pool, worker: _Worker, finish: Any) -> bool:
    """Read every message the worker has sent; False once its pipe is closed."""
    try:
        while worker.conn.poll():
            # a chunk's results are tens of thousands of new objects, all kept: a collection
            # falling due among them would traverse the caller's records for nothing
            with gc_paused():
                kind, payload = worker.conn.recv()
            if kind == "ready":
                worker.ready = True
                pool.start_failures = 0
            elif kind == "fatal":
                msg = f"a quoteattr worker process could not build its pipeline: {payload}"
                raise QuoteattrError(msg)
            elif kind == "done":
                task_id, results = payload
                if worker.tasks and task_id == worker.tasks[0][0]:  # answered in order
                    _, task = worker.tasks.popleft()
                    finish(task, results)
    except (EOFError, OSError):
        return False
    return True


def _raise(exc: BaseException | bytes | None, record: Any) -> None:
    if isinstance(exc, bytes):
        exc = _unpickle_exception(exc)
    if isinstance(exc, BaseException):
        raise exc
    msg = f"{record.type}: {record.message}"
    raise QuoteattrError(msg)

