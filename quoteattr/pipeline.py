"""The pipeline: runs the hooks in order, checks what plugins return, and merges it.

>>> import quoteattr
>>> pipeline = quoteattr.Pipeline()          # plugins are loaded once, here
>>> result = pipeline.attribute("“We will win,” she said.")
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO, TypeVar, cast

import attrs

from quoteattr.assembly import (
    _as_speaker,
    _assemble,
    _first_by_span,
    _matches,
    _with_speakers,
    merge_quotes,
    merge_reported,
)
from quoteattr.checks import entity_spans_hold, spans_hold
from quoteattr.errors import (
    DocumentTooLarge,
    FormatError,
    PluginError,
    QuoteattrError,
    TimeBudgetExceeded,
    ValidationError,
)
from quoteattr.manager import PluginManager, get_plugin_manager
from quoteattr.model import (
    Document,
    Entity,
    Mention,
    Quote,
    Resolution,
    Result,
    Span,
)

__all__ = [
    "ErrorRecord",
    "Format",
    "LineSpec",
    "Pipeline",
    "ResolutionContext",
    "attribute",
    "stream_encoding",
    "write_lines",
]

T = TypeVar("T")

#: ``line(record, encoding)``: the line of one record in a line format, without its newline
LineEncoder = Callable[["Result | ErrorRecord", str], str]


@attrs.frozen
class Format:
    """An output format: ``write(results, stream)`` writes each record as it arrives.

    A *line format* (registered with ``line=``, as ``jsonl`` is) writes one line per record
    and nothing else. It has ``line(record, encoding)``, which makes the line of one record
    (without its newline, in text that ``encoding`` can carry), and its ``write`` is
    :func:`write_lines` with that ``line``. Its lines can be made apart from the writing, in
    worker processes for example: see :meth:`Pipeline.attribute_lines`.
    """

    name: str
    write: Callable[[Iterable[Result | ErrorRecord], TextIO], None]
    description: str = ""
    line: LineEncoder | None = None


@attrs.frozen
class LineSpec:
    """Results as lines: each one's line in the line format ``format``, for a stream in
    ``encoding``, without the attributions below ``min_confidence`` (see
    :meth:`Pipeline.attribute_lines`)."""

    format: str
    encoding: str = "utf-8"
    min_confidence: float = 0.0


def stream_encoding(stream: TextIO) -> str:
    """The encoding that text written to ``stream`` ends up in (UTF-8 for in-memory streams)."""
    encoding = getattr(stream, "encoding", None)
    return encoding if isinstance(encoding, str) and encoding else "utf-8"


def write_lines(
    line: LineEncoder, records: Iterable[Result | ErrorRecord | str], stream: TextIO
) -> None:
    """Write each record as ``line(record, encoding)`` and a newline, flushing after each, so
    that a reader sees every record as soon as it is written. An item that is a ``str`` is a
    line made already (by :meth:`Pipeline.attribute_lines`), and is written as it is.

    :param line: the format's line encoder; ``encoding`` is that of ``stream``.
    """
    encoding = stream_encoding(stream)
    for record in records:
        stream.write(record if isinstance(record, str) else line(record, encoding))
        stream.write("\n")
        stream.flush()


@attrs.frozen
class ErrorRecord:
    """The record that stands in a batch for a document that failed."""

    doc_id: str | None
    type: str
    message: str
    plugin: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"doc_id", "error": {"type", "message", "plugin"}}``."""
        error = {"type": self.type, "message": self.message, "plugin": self.plugin}
        return {"doc_id": self.doc_id, "error": error}


@attrs.define
class ResolutionContext:
    """What a sieve may look at beyond the quote itself.

    :ivar quotes: every quote of the document, in text order.
    :ivar index: the position of the quote being resolved in ``quotes``.
    :ivar mentions: every mention found, in text order.
    :ivar previous: ``(quote, resolution)`` for each earlier quote, in text order.
    """

    quotes: Sequence[Quote]
    index: int
    mentions: Sequence[Mention]
    previous: list[tuple[Quote, Resolution | None]] = attrs.field(factory=list)
    _starts: list[int] = attrs.field(factory=list, repr=False)

    def __attrs_post_init__(self) -> None:
        self._starts = [m.span.start for m in self.mentions]

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The mentions that lie wholly within ``[start, end)``, in text order."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[lo:hi] if m.span.end <= end]

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention with exactly this span, if one was found."""
        for m in self.mentions_between(start, end):
            if m.span.start == start and m.span.end == end:
                return m
        return None


def _plugin_of_exception(pm: PluginManager, hook_name: str, exc: BaseException) -> str | None:
    """The name of the plugin whose hookimpl raised ``exc``, read off its traceback."""
    codes: dict[Any, tuple[str, bool]] = {}
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        func = getattr(impl.function, "__func__", impl.function)
        code = getattr(func, "__code__", None)
        if code is not None:
            codes[code] = (impl.plugin_name, bool(impl.wrapper or impl.hookwrapper))
    wrapper_name = None
    tb = exc.__traceback__
    while tb is not None:
        found = codes.get(tb.tb_frame.f_code)
        if found is not None:
            if not found[1]:
                return found[0]
            wrapper_name = wrapper_name or found[0]
        tb = tb.tb_next
    return wrapper_name


class Pipeline:
    """A reusable attribution pipeline: plugins are loaded once, then any number of documents.

    :param plugins: extra plugin objects (modules, classes or instances with hookimpls).
    :param block: names of plugins not to use, built-in or third-party.
    :param load_entrypoints: load third-party plugins from the ``quoteattr`` entry-point group.
    :param builtins: use quoteattr's built-in plugins.
    :param pm: a ready :class:`~quoteattr.manager.PluginManager`; the other arguments are then
        ignored but ``plugins``, which are registered on it.
    """

    def __init__(
        self,
        *,
        plugins: Iterable[object] = (),
        block: Iterable[str] = (),
        load_entrypoints: bool = True,
        builtins: bool = True,
        pm: PluginManager | None = None,
    ) -> None:
        if pm is None:
            pm = get_plugin_manager(
                load_entrypoints=load_entrypoints, block=block, plugins=plugins, builtins=builtins
            )
        else:
            for plugin in plugins:
                pm.register_plugin(plugin)
            pm.check()
        self.pm = pm
        self._formats: dict[str, Format] | None = None

    # ---------------------------------------------------------------------------------------
    # calling hooks

    def _call(self, hook_name: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.pm.hook, hook_name)(**kwargs)
        except QuoteattrError:
            raise
        except Exception as exc:
            raise self._failure(hook_name, exc) from exc

    def _failure(self, hook_name: str, exc: Exception) -> PluginError:
        """The :class:`PluginError` for ``exc``, raised by a hook implementation: it names the
        plugin whose code raised it."""
        plugin = _plugin_of_exception(self.pm, hook_name, exc)
        return PluginError.from_exception(exc, plugin=plugin, hook=hook_name)

    def _collect(self, hook_name: str, expected: type[T], doc: Document, **kwargs: Any) -> list[T]:
        """Call a collector hook and check every item; name the plugin that broke the rules."""
        results = self._call(hook_name, doc=doc, **kwargs)
        names: list[str | None] = list(_impl_names(self.pm, hook_name))
        if len(names) != len(results):  # some returned None: pluggy drops those
            names = [None] * len(results)
        items: list[T] = []
        for plugin, batch in zip(names, results, strict=True):
            try:
                items += self._check_batch(plugin, hook_name, expected, doc, batch)
            except ValidationError:
                if plugin is not None:
                    raise
                # positions cannot tell who returned what: ask each plugin alone (error path only)
                for name in _impl_names(self.pm, hook_name):
                    for alone in _only(self.pm, hook_name, name)(doc=doc, **kwargs):
                        self._check_batch(name, hook_name, expected, doc, alone)
                raise
            except QuoteattrError:
                raise
            except Exception as exc:  # a generator hookimpl raising while it is iterated
                who = plugin or _plugin_of_exception(self.pm, hook_name, exc)
                raise PluginError.from_exception(exc, plugin=who, hook=hook_name) from exc
        return items

    def _check_batch(
        self, plugin: str | None, hook_name: str, expected: type[T], doc: Document, batch: Any
    ) -> list[T]:
        try:
            iterator = iter(batch)
        except TypeError:
            what = f"returned {type(batch).__name__}, not an iterable"
            self._invalid(plugin, hook_name, what)
        items: list[Any] = list(iterator)
        text = doc.text
        if spans_hold(items, expected, text):  # the common case, tested in one pass
            return items
        for item in items:  # what is wrong, and whose it is
            if not isinstance(item, expected):
                self._invalid(
                    plugin, hook_name,
                    f"returned {type(item).__name__}, expected {expected.__name__}",
                )
            self._check_spans(plugin, hook_name, doc, _spans_of(item))
        return items

    def _decider(self, hook_name: str, **kwargs: Any) -> str | None:
        """The plugin whose result a firstresult hook returned (asked again: error path only)."""
        for name in _impl_names(self.pm, hook_name):
            if _only(self.pm, hook_name, name)(**kwargs) is not None:
                return name
        return None

    def _check_spans(
        self, plugin: str | None, hook_name: str, doc: Document, spans: Iterable[Span]
    ) -> None:
        for span in spans:
            if not span.matches(doc.text):
                self._invalid(
                    plugin, hook_name,
                    f"returned span [{span.start}, {span.end}) {span.text!r}, which does not "
                    f"match the document text there",
                )

    @staticmethod
    def _invalid(plugin: str | None, hook_name: str, what: str) -> Any:
        who = f'plugin "{plugin}"' if plugin else "a plugin"
        msg = f"Error in {who} ({hook_name}): {what}"
        raise ValidationError(msg, plugin=plugin, hook=hook_name)

    # ---------------------------------------------------------------------------------------
    # the phases

    def attribute(self, text: str, *, doc_id: str | None = None) -> Result:
        """Attribute every quotation in ``text``.

        :raises PluginError: a plugin raised or returned something invalid; the message names it.
        """
        if not isinstance(cast(object, text), str):
            msg = f"expected the text as str, got {type(text).__name__}"
            raise TypeError(msg)
        # The pause also covers the end of the document made here, as attribute_many()'s does:
        # its stash (sentences, tokens, mentions) is freed while the collector is off, and a
        # collection that falls due as the collector is turned on traverses the result alone,
        # not the document's indexes as well (a fifth of the time of a 1 MB text of dialogue)
        with gc_paused():
            return self.attribute_document(Document(text, doc_id))

    def attribute_document(self, doc: Document) -> Result:
        """Attribute a :class:`~quoteattr.model.Document` (see :meth:`attribute`).

        The cyclic garbage collector is paused while it runs (see :func:`gc_paused`).
        """
        with gc_paused():
            return self._attribute_document(doc)

    def _attribute_document(self, doc: Document) -> Result:
        direct = merge_quotes(self._collect("quoteattr_detect_quotes", Quote, doc))
        reported = self._collect(
            "quoteattr_detect_reported_speech", Quote, doc, quotes=tuple(direct)
        )
        quotes = merge_reported(direct, reported)
        spans, first = _first_by_span(
            self._collect("quoteattr_find_mentions", Mention, doc, quotes=tuple(quotes))
        )
        mentions = list(map(first.__getitem__, spans))
        decisions = self._resolve(doc, quotes, mentions)
        speaker_mentions = [
            _as_speaker(r.mention) for r in decisions if r is not None and r.mention is not None
        ]
        all_mentions = _with_speakers(spans, first, speaker_mentions)
        entities = self._link(doc, all_mentions, quotes)
        return _assemble(doc, quotes, decisions, entities)

    def _resolve(
        self, doc: Document, quotes: list[Quote], mentions: list[Mention]
    ) -> list[Resolution | None]:
        context = ResolutionContext(quotes=tuple(quotes), index=0, mentions=tuple(mentions))
        decisions: list[Resolution | None] = []
        hook = "quoteattr_resolve_speaker"
        resolve = self.pm.hook.quoteattr_resolve_speaker  # (once: this runs for every quote)
        text = doc.text
        for i, quote in enumerate(quotes):
            context.index = i
            try:
                decision = resolve(doc=doc, quote=quote, context=context)
            except QuoteattrError:
                raise
            except Exception as exc:  # as _call() does
                raise self._failure(hook, exc) from exc
            if decision is not None:
                bad_type = not isinstance(decision, Resolution)
                if bad_type or not _matches(decision, text):
                    plugin = self._decider(hook, doc=doc, quote=quote, context=context)
                    if bad_type:
                        self._invalid(plugin, hook, f"returned {type(decision).__name__}, "
                                      "expected Resolution")
                    self._check_spans(plugin, hook, doc, _spans_of(decision))
            decisions.append(decision)
            context.previous.append((quote, decision))
        return decisions

    def _link(self, doc: Document, mentions: list[Mention], quotes: list[Quote]) -> list[Entity]:
        hook = "quoteattr_link_entities"
        entities = self._call(hook, doc=doc, mentions=tuple(mentions), quotes=tuple(quotes))
        if entities is None:
            return []
        checked: list[Any] = list(entities)
        if entity_spans_hold(checked, doc.text):  # the common case, tested in one pass
            return checked
        text = doc.text
        size = len(text)
        for entity in checked:  # what is wrong, and whose it is
            if not isinstance(entity, Entity):
                self._invalid(_first_plugin(self.pm, hook), hook,
                              f"returned {type(entity).__name__}, expected Entity")
            for span in entity.mentions:
                if span.end > size or text[span.start : span.end] != span.text:
                    self._check_spans(_first_plugin(self.pm, hook), hook, doc, entity.mentions)
        return checked

    def attribute_many(
        self,
        docs: Iterable[str | Document | Mapping[str, Any] | tuple[str | None, str] | ErrorRecord],
        *,
        errors: str = "record",
        jobs: int = 1,
        max_chars: int | None = None,
        max_seconds: float | None = None,
    ) -> Iterator[Result | ErrorRecord]:
        """Attribute a stream of documents lazily, yielding one record per document, in order.

        Each item is a text, a :class:`~quoteattr.model.Document`, a mapping with ``text`` (and
        optionally ``doc_id``), or a ``(doc_id, text)`` pair. An :class:`ErrorRecord` (a
        document that could not even be read) passes through in its place.

        :param errors: ``"record"`` (default) yields an :class:`ErrorRecord` for a document
            that fails and goes on; ``"raise"`` stops at the first failure.
        :param jobs: worker processes; above 1, :mod:`quoteattr.parallel` attributes the
            documents in that many processes, with the same results in the same order (plugins
            must be entry points, importable modules or picklable: see that module).
        :param max_chars: a document longer than this many characters is not attributed: it
            fails with :class:`~quoteattr.errors.DocumentTooLarge` (default: no limit).
        :param max_seconds: a document whose attribution takes longer than this fails with
            :class:`~quoteattr.errors.TimeBudgetExceeded` (default: no limit). With ``jobs=1``
            the budget is kept with ``SIGALRM`` when this runs in the main thread of a POSIX
            process, and in one worker process otherwise; in worker processes (``jobs`` above
            1) a worker that overruns it is also killed and replaced (see
            :mod:`quoteattr.parallel`).
        """
        _check_errors(errors)
        _check_limits(max_chars, max_seconds)
        if _in_workers(jobs, max_seconds):
            from quoteattr.parallel import attribute_parallel

            # without lines= the workers send records only
            yield from cast("Iterator[Result | ErrorRecord]", attribute_parallel(
                self, docs, jobs=jobs, errors=errors, max_chars=max_chars,
                max_seconds=max_seconds,
            ))
            return
        for item in docs:
            if isinstance(item, ErrorRecord):
                yield item
                continue
            # The pause also covers the end of the document made here (with its stash:
            # sentences, tokens): freed while the collector is off, its objects no longer
            # count towards the next collection, nor are they traversed by one that falls due
            # as the collector is turned on (see gc_paused)
            with gc_paused():
                record = self._record(item, errors == "raise", max_chars, max_seconds)
            yield record

    def attribute_lines(
        self,
        docs: Iterable[str | Document | Mapping[str, Any] | tuple[str | None, str] | ErrorRecord],
        *,
        format: str = "jsonl",
        encoding: str = "utf-8",
        min_confidence: float = 0.0,
        errors: str = "record",
        jobs: int = 1,
        max_chars: int | None = None,
        max_seconds: float | None = None,
    ) -> Iterator[str | ErrorRecord]:
        """:meth:`attribute_many`, with each result turned into its line in a line format.

        One item per document, in order: the line of its :class:`~quoteattr.model.Result`
        (without the newline), or the :class:`ErrorRecord` of a document that failed, so that
        failures can still be told apart and counted. :meth:`write` writes both::

            encoding = stream_encoding(stream)
            lines = pipeline.attribute_lines(docs, encoding=encoding, jobs=4)
            pipeline.write(lines, stream, format="jsonl")

        writes what ``pipeline.write(pipeline.attribute_many(docs), stream)`` writes. With
        ``jobs`` above 1 each line is made in the worker process that attributed the document,
        so the parent neither rebuilds the results nor encodes them: on two cores that is most
        of its share of the work (``quoteattr --jobs N`` writes a line format this way).

        :param format: a line format (see :class:`Format`).
        :param encoding: the encoding of the stream the lines are for (see
            :func:`stream_encoding`): a character it cannot carry is escaped.
        :param min_confidence: attributions below it are left out (:meth:`Result.at_least
            <quoteattr.model.Result.at_least>`).
        :raises FormatError: the format is unknown or not a line format.

        The other parameters are those of :meth:`attribute_many`.
        """
        line = self.line_encoder(format)
        _check_errors(errors)
        records: Iterable[Result | ErrorRecord | str]
        if _in_workers(jobs, max_seconds):
            from quoteattr.parallel import attribute_parallel

            records = attribute_parallel(
                self, docs, jobs=jobs, errors=errors, max_chars=max_chars,
                max_seconds=max_seconds, lines=LineSpec(format, encoding, min_confidence),
            )
        else:
            records = self.attribute_many(
                docs, errors=errors, jobs=jobs, max_chars=max_chars, max_seconds=max_seconds
            )
        for record in records:
            if isinstance(record, Result):  # a worker could not encode it: fail here, in turn
                yield line(record.at_least(min_confidence), encoding)
            else:
                yield record

    def _record(
        self, item: Any, raise_errors: bool, max_chars: int | None, max_seconds: float | None
    ) -> Result | ErrorRecord:
        """The record of one item of :meth:`attribute_many` (it raises, or not, as told)."""
        doc_id: str | None = None
        try:
            doc = _as_document(item)
            doc_id = doc.doc_id
            return self.attribute_limited(doc, max_chars=max_chars, max_seconds=max_seconds)
        except Exception as exc:
            if raise_errors:
                raise
            doc_id = doc_id if doc_id is not None else _guess_id(item)
            plugin = getattr(exc, "plugin", None)
            return ErrorRecord(doc_id, type(exc).__name__, str(exc), plugin)

    def attribute_limited(
        self, doc: Document, *, max_chars: int | None = None, max_seconds: float | None = None
    ) -> Result:
        """:meth:`attribute_document` within a size limit and a time budget (either optional).

        :raises DocumentTooLarge: the text holds more than ``max_chars`` characters.
        :raises TimeBudgetExceeded: attributing took longer than ``max_seconds`` (``SIGALRM``:
            only in the main thread, on POSIX).
        """
        check_size(doc.text, max_chars)
        if max_seconds is None:
            return self.attribute_document(doc)
        # the pause encloses the budget: the alarm is disarmed before the collector is turned
        # on again, so it cannot interrupt that
        with gc_paused(), time_budget(max_seconds) as budget:
            try:
                return self.attribute_document(doc)
            except Exception as exc:
                if budget.expired:  # a plugin caught the alarm and raised something else
                    raise budget.error() from exc
                raise

    # ---------------------------------------------------------------------------------------
    # formats

    @property
    def formats(self) -> dict[str, Format]:
        """The output formats registered by plugins, by name."""
        if self._formats is None:
            found: dict[str, Format] = {}

            def register(
                name: str,
                write: Callable[..., None] | None = None,
                description: str = "",
                *,
                line: LineEncoder | None = None,
            ) -> None:
                if not isinstance(name, str) or not name:
                    msg = f"a format name must be a non-empty string, got {name!r}"
                    raise FormatError(msg)
                if name in found:
                    msg = f"output format {name!r} is registered twice"
                    raise FormatError(msg)
                if (write is None) == (line is None):
                    msg = (f"output format {name!r} must be registered with either write or "
                           f"line, not {'both' if line is not None else 'neither'}")
                    raise FormatError(msg)
                if line is not None:
                    found[name] = Format(name, functools.partial(write_lines, line), description,
                                         line)
                elif write is not None:
                    found[name] = Format(name, write, description)

            self._call("quoteattr_register_formats", register=register)
            self._formats = dict(sorted(found.items()))
        return self._formats

    def write(self, results: Iterable[Result | ErrorRecord | str], stream: TextIO | None = None,
              *, format: str = "jsonl") -> None:
        """Write results to ``stream`` (default: stdout) in the named format.

        A line format (``jsonl``) also takes the lines that :meth:`attribute_lines` yields.
        """
        records = cast("Iterable[Result | ErrorRecord]", results)  # lines: for a line format
        self._format(format).write(records, stream if stream is not None else sys.stdout)

    def _format(self, name: str) -> Format:
        fmt = self.formats.get(name)
        if fmt is None:
            msg = f"unknown output format {name!r} (available: {', '.join(self.formats)})"
            raise FormatError(msg)
        return fmt

    def line_encoder(self, format: str) -> LineEncoder:
        """The ``line(record, encoding)`` of a line format (see :class:`Format`).

        :raises FormatError: no format has this name, or it is not a line format.
        """
        line = self._format(format).line
        if line is None:
            msg = f"output format {format!r} is not a line format (it was registered with write)"
            raise FormatError(msg)
        return line


# --------------------------------------------------------------------------------------------
# limits: the size of a document, the time spent on it


def _check_limits(max_chars: int | None, max_seconds: float | None) -> None:
    if max_chars is not None and (isinstance(max_chars, bool) or max_chars < 0):
        msg = f"max_chars must be 0 or more, got {max_chars!r}"
        raise ValueError(msg)
    if max_seconds is not None and not max_seconds > 0:  # also rejects nan
        msg = f"max_seconds must be above 0, got {max_seconds!r}"
        raise ValueError(msg)


def check_size(text: str, max_chars: int | None) -> None:
    """Raise :class:`DocumentTooLarge` when ``text`` is longer than ``max_chars``."""
    if max_chars is not None and len(text) > max_chars:
        msg = (f"the document holds {len(text):,} characters, more than the limit of "
               f"{max_chars:,} (--max-chars)")
        raise DocumentTooLarge(msg)


def _check_errors(errors: str) -> None:
    if errors not in ("record", "raise"):
        msg = f'errors must be "record" or "raise", not {errors!r}'
        raise ValueError(msg)


def _in_workers(jobs: int, max_seconds: float | None) -> bool:
    """Whether documents go to worker processes: ``jobs`` above 1, or a time budget that
    cannot be kept with an alarm here (then one worker keeps it)."""
    return jobs != 1 or (max_seconds is not None and not _alarm_usable())


def _alarm_usable() -> bool:
    """Whether :func:`time_budget` can work here: POSIX, and the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _check_alarm_usable() -> None:
    if not hasattr(signal, "setitimer"):
        msg = "max_seconds with jobs=1 needs SIGALRM, which this platform lacks; use jobs=2"
        raise ValueError(msg)
    if threading.current_thread() is not threading.main_thread():
        msg = "max_seconds with jobs=1 works in the main thread only; use jobs=2 elsewhere"
        raise ValueError(msg)


@attrs.define
class _Budget:
    seconds: float
    expired: bool = False
    active: bool = True

    def error(self) -> TimeBudgetExceeded:
        msg = f"attributing the document took longer than its budget of {self.seconds:g} s"
        return TimeBudgetExceeded(msg)


#: after the first alarm, it rings again this often until the budget is left (a plugin that
#: swallows the exception is interrupted again)
_REALARM_SECONDS = 0.05


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[_Budget]:
    """Raise :class:`TimeBudgetExceeded` in the ``with`` block once ``seconds`` have passed.

    Uses ``SIGALRM`` (``signal.setitimer``): main thread and POSIX only. Python code, including
    a regular expression that backtracks, is interrupted; a single long call into C code that
    does not check for signals is interrupted only when it returns (``jobs > 1`` kills it).
    """
    _check_alarm_usable()
    budget = _Budget(seconds)

    def ring(signum: int, frame: object) -> None:
        if not budget.active:
            return
        budget.expired = True
        signal.setitimer(signal.ITIMER_REAL, _REALARM_SECONDS)
        raise budget.error()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield budget
    finally:
        budget.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _first_plugin(pm: PluginManager, hook_name: str) -> str | None:
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    return impls[-1].plugin_name if impls else None


def _impl_names(pm: PluginManager, hook_name: str) -> list[str]:
    """The plugins implementing ``hook_name`` (wrappers aside), in calling order."""
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    return [i.plugin_name for i in reversed(impls) if not (i.wrapper or i.hookwrapper)]


def _only(pm: PluginManager, hook_name: str, name: str) -> Any:
    """A caller of ``hook_name`` that runs the plugin ``name`` alone (pluggy's public API)."""
    others = [p for n, p in pm.list_name_plugin() if n != name and p is not None]
    return pm.subset_hook_caller(hook_name, remove_plugins=others)


def _spans_of(item: Any) -> Iterable[Span]:
    if isinstance(item, Quote):
        return item.spans()
    if isinstance(item, Mention):
        return (item.span,)
    if isinstance(item, Resolution):
        spans = []
        if item.mention is not None:
            spans.append(item.mention.span)
        if item.cue is not None:
            spans.append(item.cue.span)
        return spans
    return ()


def _as_document(item: Any) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(item)
    if isinstance(item, Mapping):
        text = item.get("text")
        if not isinstance(text, str):
            msg = "a document mapping needs a string 'text'"
            raise QuoteattrError(msg)
        doc_id = item.get("doc_id")
        return Document(text, None if doc_id is None else str(doc_id))
    if isinstance(item, tuple) and len(item) == 2:
        doc_id, text = item
        if not isinstance(text, str):
            msg = "a (doc_id, text) pair needs a string text"
            raise QuoteattrError(msg)
        return Document(text, None if doc_id is None else str(doc_id))
    msg = f"cannot read a document from {type(item).__name__}"
    raise QuoteattrError(msg)


def _guess_id(item: Any) -> str | None:
    if isinstance(item, Mapping) and item.get("doc_id") is not None:
        return str(item["doc_id"])
    if isinstance(item, tuple) and item and item[0] is not None:
        return str(item[0])
    return None


# --------------------------------------------------------------------------------------------
# the garbage collector


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the ``with`` block, then restore it.

    Attributing a document allocates hundreds of thousands of short-lived objects (tokens,
    mentions, spans) that reference counting frees, and the built-in rules make no reference
    cycles. The cyclic collector, run every few hundred allocations by default, would traverse
    the document's live objects again and again for nothing: about a twentieth of the time of
    an ordinary article, and a quarter of a 1 MB document. The collector is turned off for one
    document and on again afterwards, as :mod:`timeit` does; a collection due meanwhile runs
    at the next allocation after.

    It is left alone when it is off already (a host's choice, or an enclosing pause) and while
    other threads run: their cyclic garbage is theirs to collect, and overlapping documents in
    several threads could otherwise keep it off for good.
    """
    if not gc.isenabled() or threading.active_count() > 1:
        yield
        return
    try:
        gc.disable()
        yield
    finally:
        gc.enable()


def tune_gc_for_batch() -> None:
    """Tune the garbage collector of a process that only attributes documents (the CLI, a
    worker): objects alive now (plugins, lexicons) are frozen out of collections, and the
    youngest generation is collected after 100,000 allocations instead of 700.

    Attribution creates many short-lived objects and few reference cycles, so the default
    threshold spends about a tenth of the run in collections that free almost nothing. The
    collector is paused while a document is attributed (:func:`gc_paused`), and a collection
    that falls due meanwhile runs as it is turned back on, when the document's own indexes
    (tokens, mentions: tens of thousands of objects in a news article, hundreds of thousands
    in a novel) are all still alive, and frees none of them; the higher the threshold, the
    fewer documents are big enough to set one off. Not called by the library on its own: a
    host program keeps its own settings.
    """
    gc.freeze()
    gc.set_threshold(100_000, 20, 20)


# --------------------------------------------------------------------------------------------
_default: dict[str, Pipeline] = {}


def attribute(text: str, *, doc_id: str | None = None) -> Result:
    """Attribute every quotation in ``text`` with the default pipeline.

    The pipeline (built-in and installed plugins) is built on the first call and reused.

    >>> result = attribute("“It is over,” the minister said.")
    >>> [(a.text, a.speaker.name if a.speaker else None) for a in result]
    [('“It is over,”', 'the minister')]
    """
    pipeline = _default.get("pipeline")
    if pipeline is None:
        pipeline = _default["pipeline"] = Pipeline()
    return pipeline.attribute(text, doc_id=doc_id)
