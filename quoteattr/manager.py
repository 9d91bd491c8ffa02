"""Building the plugin manager: entry-point loading, blocking and plugin provenance.

Nothing is loaded at import time: :func:`get_plugin_manager` builds a fresh manager each call.
The built-in plugins are entry points of the ``quoteattr`` distribution itself, in the same
``quoteattr`` group that third-party distributions use, so they are listed, blocked and replaced
exactly like third-party plugins.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections.abc import Iterable
from importlib import machinery
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


class _EntryPoint:
    """An entry point read by :func:`_scanned_entry_points`: what ``importlib.metadata``'s
    ``EntryPoint`` gives of one, ``name``, ``value`` and ``group``, and :meth:`load`."""

    __slots__ = ("group", "name", "value")

    def __init__(self, name: str, value: str, group: str) -> None:
        self.name = name
        self.value = value
        self.group = group

    def load(self) -> Any:
        """The object that ``value`` names, found as ``EntryPoint.load()`` finds it."""
        match = _ENTRY_POINT_VALUE.match(self.value)
        if match is None:  # what EntryPoint.load() raises for a value it cannot read
            raise AttributeError("'NoneType' object has no attribute 'group'")
        found: Any = importlib.import_module(match.group("module"))
        for attribute in filter(None, (match.group("attr") or "").split(".")):
            found = getattr(found, attribute)
        return found


#: an entry point's value, ``module``, ``module:attr.attr``, either with ``[extras]`` after
_ENTRY_POINT_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")
#: a header line of a distribution's METADATA: a name, a colon and the value
_HEADER = re.compile(r"([\041-\071\073-\176]+):(.*)")


class _Unusual(Exception):
    """The installation holds something that only ``importlib.metadata`` is trusted to read."""


def _entry_points() -> list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]]:
    """Every ``quoteattr`` entry point, once each, as ``(ep, dist_name, dist_version)``.

    Built-ins come first, in name order; then third-party ones by distribution and name. The
    order is deterministic. pluggy calls the later registration first among plain and
    ``tryfirst`` hookimpls, so there a third-party hookimpl runs before a built-in one of the
    same tier; among ``trylast`` hookimpls it calls the later registration last.
    """
    try:
        found = _scanned_entry_points()
    except _Unusual:
        found = _metadata_entry_points()
    found.sort(key=lambda t: (_normalise(t[1]) != _OWN_DIST, _normalise(t[1]), t[0].name))
    return found


def _metadata_entry_points() -> list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]]:
    """The entry points of the group, as ``importlib.metadata`` finds them (unsorted)."""
    from importlib import metadata

    seen: set[tuple[str, str]] = set()
    found: list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]] = []
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
        _add_group(found, seen, dist.entry_points, dist_name, version)
    return found


def _scanned_entry_points() -> list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]]:
    """:func:`_metadata_entry_points` without importing ``importlib.metadata`` (whose import,
    the e-mail package with it, took longer than all the rest of reading the entry points).

    It reads the ``*.dist-info`` and ``*.egg-info`` directories of the directories on
    ``sys.path`` in the order that ``importlib.metadata.distributions()`` finds them, and
    their ``entry_points.txt`` and METADATA files as it reads them. Anything it does not read
    the same way for certain raises :class:`_Unusual`, and ``importlib.metadata`` reads the
    installation instead: another finder of distributions on ``sys.meta_path``, a zip file
    or an egg on ``sys.path``, a METADATA whose name or version is missing or not one plain
    header line, an entry-point line without ``=``.
    """
    finders = [f for f in sys.meta_path if getattr(f, "find_distributions", None) is not None]
    if finders != [machinery.PathFinder]:
        raise _Unusual
    seen: set[tuple[str, str]] = set()
    found: list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]] = []
    for info in _info_directories():
        declared = _read_text(info, "entry_points.txt")
        if not declared or ENTRY_POINT_GROUP not in declared:
            continue
        # (an ``.egg-info`` directory, such as an editable install leaves in a checkout,
        # holds PKG-INFO instead: importlib.metadata reads that when METADATA is missing)
        dist_name, version = _name_and_version(
            _read_text(info, "METADATA") or _read_text(info, "PKG-INFO")
        )
        _add_group(found, seen, _parse_entry_points(declared), dist_name, version)
    return found


def _add_group(
    found: list[tuple[_EntryPoint | metadata.EntryPoint, str, str | None]],
    seen: set[tuple[str, str]],
    entry_points: Iterable[_EntryPoint | metadata.EntryPoint],
    dist_name: str,
    version: str | None,
) -> None:
    """Add to ``found`` a distribution's entry points of the group, each name of a
    distribution once (``seen``): the same distribution may be found twice on sys.path."""
    for ep in entry_points:
        if ep.group != ENTRY_POINT_GROUP:
            continue
        key = (_normalise(dist_name), ep.name)
        if key in seen:
            continue
        seen.add(key)
        found.append((ep, dist_name, version))


def _info_directories() -> list[str]:
    """The metadata directories on ``sys.path``, in the order ``importlib.metadata`` takes them:
    path entry by path entry, and within one, grouped by normalised name in listing order."""
    found: list[str] = []
    for root in sys.path:
        if not isinstance(root, str) or os.path.basename(root).lower().endswith(".egg"):
            raise _Unusual
        try:
            children = os.listdir(root or ".")
        except OSError:
            if os.path.lexists(root or "."):  # a zip file, an unreadable directory
                raise _Unusual from None
            continue  # nothing there: nothing found
        groups: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                name = low.rpartition(".")[0].partition("-")[0]
                normalised = re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")
                groups.setdefault(normalised, []).append(os.path.join(root, child))
        for paths in groups.values():
            found.extend(paths)
    return found


def _read_text(info: str, filename: str) -> str | None:
    """The text of a file of a metadata directory, ``None`` when it cannot be there."""
    try:
        with open(os.path.join(info, filename), encoding="utf-8") as file:
            return file.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None


def _name_and_version(text: str | None) -> tuple[str, str]:
    """The ``Name`` and ``Version`` headers of a METADATA file, as the e-mail parser reads
    them; :class:`_Unusual` unless both are there, each on one plain line."""
    if not text:  # importlib.metadata would read the directory's path itself next
        raise _Unusual
    headers: dict[str, str] = {}
    last = None
    for line in text.split("\n"):
        if not line:
            break  # the end of the headers
        if line[0] in " \t":  # the value of the header before, continued
            if last is None or last in ("name", "version"):
                raise _Unusual
            continue
        match = _HEADER.fullmatch(line)
        if match is None or line.startswith("From "):
            raise _Unusual
        last = match.group(1).lower()
        headers.setdefault(last, match.group(2).lstrip(" \t"))
    name, version = headers.get("name"), headers.get("version")
    if name is None or version is None:
        raise _Unusual
    return name, version


def _parse_entry_points(text: str) -> list[_EntryPoint]:
    """The entry points of an ``entry_points.txt``, as ``importlib.metadata`` reads them:
    ``[group]`` lines, ``name = value`` lines, and lines starting with ``#`` left out."""
    found: list[_EntryPoint] = []
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line.strip("[]")
            continue
        if group is None:
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise _Unusual  # importlib.metadata raises ValueError for this
        found.append(_EntryPoint(name.strip(), value.strip(), group))
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
