"""Building the plugin manager: entry-point loading, blocking and plugin provenance.

Nothing is loaded at import time: :func:`get_plugin_manager` builds a fresh manager each call.
The built-in plugins are entry points of the ``quoteattr`` distribution itself, in the same
``quoteattr`` group that third-party distributions use, so they are listed, blocked and replaced
exactly like third-party plugins.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from quoteattr import hookspecs
from quoteattr.errors import PluginError, QuoteattrError

if TYPE_CHECKING:  # importlib.metadata is imported when entry points are read: worker
    from importlib import metadata  # processes, which load plugins by name, never need it

__all__ = [
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "PluginManager",
    "get_plugin_manager",
]

ENTRY_POINT_GROUP = "quoteattr"
#: the hooks a plugin may implement, and the attribute that ``@hookimpl`` sets on a function
_SPEC_NAMES = tuple(sorted(n for n in vars(hookspecs) if n.startswith(f"{ENTRY_POINT_GROUP}_")))
_IMPL_ATTR = f"{ENTRY_POINT_GROUP}_impl"
#: Set to a non-empty value to load no third-party entry points (the built-ins still load).
AUTOLOAD_ENV = "QUOTEATTR_DISABLE_PLUGIN_AUTOLOAD"
_OWN_DIST = "quoteattr"


@attrs.frozen
class PluginInfo:
    """Where a registered plugin came from, as ``quoteattr plugins`` lists it.

    :ivar source: ``builtin`` (an entry point of quoteattr itself), ``entrypoint`` (another
        distribution's entry point) or ``inline`` (registered in code).
    """

    name: str
    source: str
    distribution: str | None = None
    version: str | None = None
    value: str | None = None


class PluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` for the ``quoteattr`` project that records provenance."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.add_hookspecs(hookspecs)
        self.plugin_info: dict[str, PluginInfo] = {}

    def register_plugin(self, plugin: object, name: str | None = None) -> str:
        """Register an inline plugin object and record it as ``inline``; returns its name."""
        registered = self._register_checked(plugin, name)
        if self.is_registered(plugin):  # not when the name is blocked
            self.plugin_info.setdefault(registered, PluginInfo(registered, "inline"))
        return registered

    def _register_checked(self, plugin: object, name: str | None) -> str:
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        try:
            registered = self.register(plugin, name=name)
        except ValueError as exc:
            msg = f'Error in plugin "{label}": cannot register it: {exc}'
            raise PluginError(msg, plugin=label) from exc
        except pluggy.PluginValidationError as exc:
            msg = f'Error in plugin "{label}": {exc}'
            raise PluginError(msg, plugin=label) from exc
        if registered is None:  # blocked
            return label
        try:
            self._check_unmarked(plugin, label)
        except PluginError:
            self.unregister(plugin)  # nothing of a refused plugin stays registered
            raise
        return registered

    def _check_unmarked(self, plugin: object, label: str) -> None:
        """Refuse a plugin with an attribute named like a hook that pluggy would not call.

        pluggy registers only plain functions and methods marked with ``@hookimpl`` and
        passes over anything else without a word: a hook implementation whose marker was
        forgotten (or lost by overriding a marked method), or one that is not a plain function
        (a compiled function, a callable object), would never be called. ``label`` names the
        plugin in the error (the name pluggy gave an unnamed object is only its id).
        """
        implemented = {caller.name for caller in self.get_hookcallers(plugin) or []}
        for name in _SPEC_NAMES:
            if name in implemented or self.parse_hookimpl_opts(plugin, name) is not None:
                continue  # pluggy registered it (under its ``specname``, if it has one)
            value = inspect.getattr_static(plugin, name, None)  # runs no property
            if value is None:
                continue
            marked = getattr(value, _IMPL_ATTR, None) or getattr(
                getattr(value, "__func__", None), _IMPL_ATTR, None
            )
            if marked is not None:
                why = (
                    f"is marked as a hook implementation but is a {type(value).__name__}, "
                    "not a plain function or method, so it would never be called (wrap it "
                    "in a plain function)"
                )
            else:
                why = (
                    "is not marked with @quoteattr.hookimpl, so it would never be called"
                )
            msg = f'Error in plugin "{label}": {name} {why}'
            raise PluginError(msg, plugin=label)

    def plugin_hooks(self, name: str) -> list[str]:
        """The names of the hooks that the plugin registered as ``name`` implements."""
        plugin = self.get_plugin(name)
        if plugin is None:
            return []
        callers = self.get_hookcallers(plugin) or []
        return sorted(caller.name for caller in callers)

    def check(self) -> None:
        """Fail loudly on a hookimpl that matches no spec, naming its plugin."""
        try:
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            plugin_name = self.get_name(exc.plugin) if exc.plugin is not None else None
            msg = f'Error in plugin "{plugin_name}": {exc}'
            raise PluginError(msg, plugin=plugin_name) from exc


def _normalise(dist_name: str) -> str:
    return re.sub(r"[-_.]+", "-", dist_name).lower()


def _entry_points() -> list[tuple[metadata.EntryPoint, str, str]]:
    """Every ``quoteattr`` entry point, once each, as ``(ep, dist_name, dist_version)``.

    Built-ins come first, in name order; then third-party ones by distribution and name. The
    order is deterministic. pluggy calls the later registration first among plain and
    ``tryfirst`` hookimpls, so there a third-party hookimpl runs before a built-in one of the
    same tier; among ``trylast`` hookimpls it calls the later registration last.
    """
    from importlib import metadata

    seen: set[tuple[str, str]] = set()
    found: list[tuple[metadata.EntryPoint, str, str]] = []
    for dist in metadata.distributions():
        # Most distributions declare no entry point of the group: a file that does not even
        # contain the group's name is skipped unparsed, and their metadata (an email-format
        # file, slow to parse) is never read
        declared = dist.read_text("entry_points.txt")
        if not declared or ENTRY_POINT_GROUP not in declared:
            continue
        meta = dist.metadata  # parsed once: ``dist.version`` would parse it again
        dist_name = meta["Name"] or ""
        version = meta["Version"]
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP:
                continue
            key = (_normalise(dist_name), ep.name)
            if key in seen:  # the same distribution found twice on sys.path
                continue
            seen.add(key)
            found.append((ep, dist_name, version))
    found.sort(key=lambda t: (_normalise(t[1]) != _OWN_DIST, _normalise(t[1]), t[0].name))
    return found


def get_plugin_manager(
    *,
    load_entrypoints: bool = True,
    block: Iterable[str] = (),
    plugins: Iterable[object] = (),
    builtins: bool = True,
) -> PluginManager:
    """Build a plugin manager with the hook specs, the built-in plugins and the installed ones.

    :param load_entrypoints: load third-party plugins from the ``quoteattr`` entry-point group.
        The environment variable ``QUOTEATTR_DISABLE_PLUGIN_AUTOLOAD`` also turns this off.
    :param block: plugin names not to register (built-in or third-party), e.g. ``"sieve-frame"``.
        An unknown name is an error, so a typo cannot silently leave a plugin on.
    :param plugins: extra plugin objects to register inline, after the entry points.
    :param builtins: register quoteattr's own plugins (turn off to build a pipeline from scratch).
    :returns: the manager, with every hookimpl checked against the specs.
    """
    pm = PluginManager()
    blocked = set(block)
    for name in blocked:
        pm.set_blocked(name)
    autoload = load_entrypoints and not os.environ.get(AUTOLOAD_ENV)
    known: set[str] = set()
    own_found = False
    for ep, dist_name, version in _entry_points():
        is_own = _normalise(dist_name) == _OWN_DIST
        own_found = own_found or is_own
        known.add(ep.name)
        if (is_own and not builtins) or (not is_own and not autoload):
            continue
        if ep.name in blocked:
            continue
        try:
            plugin: Any = ep.load()
        except Exception as exc:
            why = f"{type(exc).__name__}: {exc}"
            msg = f'Error in plugin "{ep.name}": cannot load {ep.value}: {why}'
            raise PluginError(msg, plugin=ep.name) from exc
        pm._register_checked(plugin, ep.name)
        source = "builtin" if is_own else "entrypoint"
        pm.plugin_info[ep.name] = PluginInfo(ep.name, source, dist_name, version, ep.value)
    if builtins and not own_found:
        msg = (
            "quoteattr's built-in plugins were not found: quoteattr must be installed "
            "(pip install quoteattr, or pip install -e . in a checkout) for its entry points "
            "to exist"
        )
        raise QuoteattrError(msg)
    for plugin in plugins:
        pm.register_plugin(plugin)
    unknown = sorted(blocked - known - set(pm.plugin_info))
    if unknown:
        names = ", ".join(sorted(known)) or "none"
        msg = f"cannot block unknown plugin(s) {', '.join(unknown)} (known: {names})"
        raise PluginError(msg, plugin=unknown[0])
    pm.check()
    return pm
