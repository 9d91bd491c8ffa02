"""Helpers for testing quoteattr plugins, in the spirit of pytest's ``pytester``.

Nothing here depends on pytest, so the helpers work under any test runner. A typical test of
a plugin looks like this::

    from quoteattr.testing import assert_spans_match, make_pipeline

    import my_plugin

    def test_my_plugin_finds_the_speaker():
        text = "MODERATOR: Welcome back."
        result = make_pipeline(my_plugin).attribute(text)
        assert_spans_match(result, text)
        assert [a.speaker.name for a in result if a.speaker] == ["MODERATOR"]

Plugins can also be built inline from plain functions with :func:`plugin`, registered for the
length of a ``with`` block with :func:`registered`, and the order in which pluggy will call the
implementations of a hook read with :func:`call_order`.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pluggy

from quoteattr.manager import _IMPL_ATTR, PluginManager
from quoteattr.model import Attribution, Document, Result, Span
from quoteattr.pipeline import Pipeline

__all__ = [
    "assert_spans_match",
    "call_order",
    "doc",
    "make_pipeline",
    "plugin",
    "registered",
    "span_of",
]

_hookimpl = pluggy.HookimplMarker("quoteattr")


def make_pipeline(
    *plugins: object,
    builtins: bool = True,
    block: Iterable[str] = (),
    load_entrypoints: bool = False,
) -> Pipeline:
    """A :class:`~quoteattr.pipeline.Pipeline` with ``plugins`` registered inline.

    Third-party entry points are *not* loaded by default, so a test sees the built-ins and
    the plugins it names, whatever else happens to be installed.

    :param plugins: plugin objects: modules, classes or instances with hookimpls.
    :param builtins: also register quoteattr's built-in plugins.
    :param block: names of plugins not to register, e.g. ``"sieve-continuation"``.
    :param load_entrypoints: load the installed third-party plugins too.
    :returns: the pipeline; misspelled hooks have already been reported.

    >>> pipeline = make_pipeline(builtins=False)
    >>> len(pipeline.attribute("no plugins, no quotes"))
    0
    """
    return Pipeline(
        plugins=plugins, block=block, load_entrypoints=load_entrypoints, builtins=builtins
    )


@contextmanager
def registered(
    pm: PluginManager, *plugins: object, names: Iterable[str | None] = ()
) -> Iterator[list[str]]:
    """Register ``plugins`` on ``pm`` for the length of a ``with`` block.

    The plugins are unregistered when the block ends, however it ends, so they cannot leak
    into the next test. Hooks are checked after registering: a hookimpl whose name matches no
    hook spec raises :class:`~quoteattr.errors.PluginError` at once (and nothing stays
    registered), and so does a plugin whose name is blocked (``ValueError``), rather than being
    silently left out.

    :param pm: the manager, e.g. from ``get_plugin_manager(load_entrypoints=False)``.
    :param plugins: the plugin objects.
    :param names: names to register them under, in order; a missing or ``None`` name means
        the plugin's own ``__name__``.
    :returns: a context manager giving the registered names.

    >>> from quoteattr import get_plugin_manager
    >>> pm = get_plugin_manager(load_entrypoints=False, builtins=False)
    >>> spy = plugin("spy", quoteattr_detect_quotes=lambda doc: None)
    >>> with registered(pm, spy) as names:
    ...     names, pm.has_plugin("spy")
    (['spy'], True)
    >>> pm.has_plugin("spy")
    False
    """
    name_list = list(names)
    if len(name_list) > len(plugins):
        msg = f"{len(name_list)} names given for {len(plugins)} plugins"
        raise ValueError(msg)
    name_list += [None] * (len(plugins) - len(name_list))
    known_before = set(pm.plugin_info)
    added: list[tuple[str, object]] = []
    try:
        for obj, name in zip(plugins, name_list, strict=True):
            registered_name = pm.register_plugin(obj, name)
            added.append((registered_name, obj))
            if pm.get_plugin(registered_name) is not obj:
                msg = (
                    f"plugin {registered_name!r} was not registered: the name is blocked "
                    f"(call pm.unblock({registered_name!r}) first to replace a blocked plugin)"
                )
                raise ValueError(msg)
        pm.check()
        yield [name for name, _ in added]
    finally:
        for name, obj in reversed(added):
            if pm.get_plugin(name) is obj:
                pm.unregister(name=name)
            if name not in known_before and not pm.has_plugin(name):
                pm.plugin_info.pop(name, None)


def plugin(name: str, **hooks: Callable[..., Any] | object) -> types.ModuleType:
    """Build a named plugin object from plain functions, one keyword argument per hook.

    A function that already carries ``@hookimpl`` options (``tryfirst=True``, ``wrapper=True``)
    keeps them; any other function is marked with a plain ``@hookimpl``. The plugin is
    registered under ``name``, so errors it causes name it.

    :param name: the plugin's name.
    :param hooks: ``quoteattr_<hook>=function`` pairs.
    :returns: a module object holding the hookimpls.
    :raises TypeError: a hook that is not a plain function (a ``functools.partial``, a callable
        object): pluggy calls only those, reading their parameter names.

    >>> from quoteattr import Quote
    >>> def detect(doc):
    ...     start = doc.text.find("<")
    ...     if start >= 0:
    ...         yield Quote(doc.span(start, doc.text.index(">", start) + 1))
    >>> angle = plugin("angle", quoteattr_detect_quotes=detect)
    >>> angle.__name__
    'angle'
    """
    module = types.ModuleType(name, f"inline quoteattr plugin {name!r}")
    for hook_name, function in hooks.items():
        if not callable(function):
            msg = f"plugin {name!r}: {hook_name} must be callable, got {type(function).__name__}"
            raise TypeError(msg)
        if not inspect.isfunction(function):
            # pluggy calls only plain functions (it reads their parameter names): a partial, a
            # callable object or a compiled function would be refused when registered
            msg = (
                f"plugin {name!r}: {hook_name} must be a plain function (def or lambda), got "
                f"{type(function).__name__}; wrap it in one, e.g. lambda doc: detector(doc)"
            )
            raise TypeError(msg)
        if getattr(function, _IMPL_ATTR, None) is None:
            function = _hookimpl(function)
        setattr(module, hook_name, function)
    return module


def call_order(pm: pluggy.PluginManager, hook_name: str) -> list[str]:
    """The names of the plugins implementing ``hook_name``, in the order they are called.

    Wrappers are left out. For a ``firstresult`` hook such as ``quoteattr_resolve_speaker``
    this is the order in which sieves are asked: ``tryfirst`` ones, then the rest with the
    most recently registered first, then ``trylast`` ones.

    :param pm: the manager.
    :param hook_name: e.g. ``"quoteattr_resolve_speaker"``.
    :returns: plugin names, first called first.
    """
    caller = getattr(pm.hook, hook_name, None)
    if caller is None:
        msg = f"no hook named {hook_name!r}"
        raise ValueError(msg)
    impls = [impl for impl in caller.get_hookimpls() if not (impl.wrapper or impl.hookwrapper)]
    return [impl.plugin_name for impl in reversed(impls)]


def assert_spans_match(result: Result, text: str) -> None:
    """Assert that every span of ``result`` is in bounds and holds the text it claims.

    Checks each span of each attribution (content, fragments, cue, speaker mention, see
    :meth:`~quoteattr.model.Attribution.spans`) and each entity's mentions, and reports every
    mismatch at once.

    :param result: what the pipeline returned for ``text``.
    :param text: the document's text.
    :raises AssertionError: listing the spans that do not match.

    >>> from quoteattr import Attribution, Result, Span
    >>> ok = Result(None, [Attribution(Span(0, 4, "“Hi”"), "direct")])
    >>> assert_spans_match(ok, "“Hi” she said.")
    >>> assert_spans_match(ok, "Hello")
    Traceback (most recent call last):
    ...
    AssertionError: 1 span(s) do not match the text:
      quote 0 content: [0, 4) claims '“Hi”' but the text has 'Hell'
    """
    problems: list[str] = []
    for i, attribution in enumerate(result.attributions):
        for span in attribution.spans():
            problems.append(_mismatch(f"quote {i} {_label(attribution, span)}", span, text))
    for entity in result.entities:
        problems += [
            _mismatch(f"entity {entity.id!r} mention {j}", span, text)
            for j, span in enumerate(entity.mentions)
        ]
    found = [p for p in problems if p]
    if found:
        msg = f"{len(found)} span(s) do not match the text:\n  " + "\n  ".join(found)
        raise AssertionError(msg)


def _label(attribution: Attribution, span: Span) -> str:
    if span is attribution.content:
        return "content"
    if attribution.cue is not None and span is attribution.cue.span:
        return "cue"
    if attribution.speaker is not None and span is attribution.speaker.mention:
        return "speaker"
    for j, fragment in enumerate(attribution.fragments):
        if span is fragment:
            return f"fragment {j}"
    return "span"


def _mismatch(label: str, span: Span, text: str) -> str:
    if span.matches(text):
        return ""
    if span.end > len(text):
        return (
            f"{label}: [{span.start}, {span.end}) is out of bounds of a text of "
            f"{len(text)} characters"
        )
    return (
        f"{label}: [{span.start}, {span.end}) claims {span.text!r} but the text has "
        f"{text[span.start : span.end]!r}"
    )


def doc(text: str, doc_id: str | None = None) -> Document:
    """A :class:`~quoteattr.model.Document`, for calling a hookimpl directly in a test.

    >>> doc("“Hi,” she said.").span(0, 5).text
    '“Hi,”'
    """
    return Document(text, doc_id)


def span_of(text: str | Document, needle: str, occurrence: int = 1) -> Span:
    """The span of the ``occurrence``-th (1-based) occurrence of ``needle`` in ``text``.

    Saves counting offsets by hand when writing expected results.

    :raises ValueError: when there are fewer occurrences.

    >>> span_of("he said he would", "he", 2)
    Span(start=8, end=10, text='he')
    """
    haystack = text.text if isinstance(text, Document) else text
    if occurrence < 1 or not needle:
        msg = f"need a non-empty needle and an occurrence >= 1, got {needle!r}, {occurrence}"
        raise ValueError(msg)
    start = -1
    for _ in range(occurrence):
        start = haystack.find(needle, start + 1)
        if start < 0:
            msg = f"{needle!r} occurs fewer than {occurrence} time(s) in the text"
            raise ValueError(msg)
    return Span(start, start + len(needle), needle)

