"""Entry points read without ``importlib.metadata`` (quoteattr.manager._scanned_entry_points).

The scan must find what ``importlib.metadata`` finds, in the same order, or give way to it:
checked on the installed environment and on made-up installations, each put alone on
``sys.path``, including the ones it must leave to ``importlib.metadata``.
"""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from quoteattr import manager


def _rows(found: list[tuple[Any, str, str | None]]) -> list[tuple[str, str, str, str, Any]]:
    return [(ep.name, ep.value, ep.group, dist, version) for ep, dist, version in found]


def _sorted(found: list[tuple[Any, str, str | None]]) -> list[tuple[str, str, str, str, Any]]:
    return sorted(_rows(found), key=lambda r: (r[3].lower(), r[0]))


def test_the_scan_finds_what_importlib_metadata_finds_here() -> None:
    scanned = manager._scanned_entry_points()
    assert _rows(scanned) == _rows(manager._metadata_entry_points())
    assert "quoteattr" in {dist for _, dist, _ in scanned}


def test_the_entry_points_read_for_the_cli_do_not_import_importlib_metadata() -> None:
    import subprocess

    code = (
        "import sys; from quoteattr import manager; manager._entry_points(); "
        "print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def _dist(root: Path, dirname: str, metadata_text: str | None, entry_points: str | None) -> None:
    info = root / dirname
    info.mkdir(parents=True)
    if metadata_text is not None:
        (info / "METADATA").write_text(metadata_text, encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def _meta(name: str, version: str = "1.0", extra: str = "") -> str:
    head = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{extra}"
    return head.rstrip("\n") + "\n\nBody text.\nName: not a header\n"


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A directory that is all of ``sys.path``."""
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    return tmp_path


def test_a_made_up_installation_is_read_alike(only: Path) -> None:
    group = manager.ENTRY_POINT_GROUP
    _dist(only, "alpha_pkg-1.0.dist-info", _meta("Alpha.Pkg", "1.0",
          "License: MIT\n  continued on a second line\nName: not-this-one"),
          f"# a comment\n[console_scripts]\nalpha = alpha:main\n\n[{group}]\n"
          "  first = alpha.plugin : hooks [extra] \nsecond=alpha.other\n; not a comment = x\n")
    _dist(only, "alpha-pkg-2.0.dist-info", _meta("alpha-pkg", "2.0"),
          f"[{group}]\nfirst = alpha.newer\nthird = alpha.third\n")
    _dist(only, "beta-0.1.dist-info", _meta("beta", "0.1 "), "[other]\nx = y\n")
    _dist(only, "gamma-3.egg-info", _meta("gamma", "3 "), f"[{group}]\ng = gamma\n")
    _dist(only, "empty-1.dist-info", None, None)
    (only / "old-1.egg-info").write_text("Name: old\n", encoding="utf-8")  # a file, no dir
    scanned = manager._scanned_entry_points()
    assert _rows(scanned) == _rows(manager._metadata_entry_points())
    assert {r[0] for r in _rows(scanned)} == {"first", "second", "third", "g",
                                              "; not a comment"}


def test_a_path_entry_that_is_not_there_holds_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _dist(tmp_path, "delta-1.dist-info", _meta("delta"), f"[{manager.ENTRY_POINT_GROUP}]\nd = e\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    assert _rows(manager._scanned_entry_points()) == _rows(manager._metadata_entry_points())


def test_an_egg_info_directory_with_pkg_info_is_read_alike(only: Path) -> None:
    # what ``pip install -e .`` leaves in a checkout, which is on sys.path when a program runs
    # from there: PKG-INFO, no METADATA
    _dist(only, "eps.egg-info", None, f"[{manager.ENTRY_POINT_GROUP}]\ne = eps.hooks\n")
    (only / "eps.egg-info" / "PKG-INFO").write_text(_meta("eps", "0.1"), encoding="utf-8")
    scanned = manager._scanned_entry_points()
    assert _rows(scanned) == _rows(manager._metadata_entry_points())
    assert [r[0] for r in _rows(scanned)] == ["e"]


@pytest.mark.parametrize(
    ("metadata_text", "entry_points"),
    [
        (_meta("x"), "[quoteattr]\nno equals sign here\n"),  # importlib.metadata: ValueError
        ("Metadata-Version: 2.1\nVersion: 1\n", "[quoteattr]\na = b\n"),  # no Name
        ("Name: x\n  folded\nVersion: 1\n", "[quoteattr]\na = b\n"),  # a folded Name
        ("From someone\nName: x\nVersion: 1\n", "[quoteattr]\na = b\n"),
        ("\ufeffName: x\nVersion: 1\n", "[quoteattr]\na = b\n"),  # a byte-order mark
        (None, "[quoteattr]\na = b\n"),  # no METADATA nor PKG-INFO
    ],
)
def test_what_the_scan_cannot_read_is_left_to_importlib_metadata(
    only: Path, metadata_text: str | None, entry_points: str
) -> None:
    _dist(only, "x-1.dist-info", metadata_text, entry_points)
    with pytest.raises(manager._Unusual):
        manager._scanned_entry_points()


def test_a_zip_on_sys_path_is_left_to_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("z-1.dist-info/METADATA", _meta("z"))
        zf.writestr("z-1.dist-info/entry_points.txt", "[quoteattr]\nz = zmod\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    with pytest.raises(manager._Unusual):
        manager._scanned_entry_points()
    found = manager._entry_points()  # read by importlib.metadata instead
    assert _sorted(found) == _sorted(manager._metadata_entry_points())
    assert [r[0] for r in _rows(found)] == ["z"]


def test_another_finder_of_distributions_is_left_to_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Finder:
        @staticmethod
        def find_spec(*args: Any) -> None:
            return None

        @staticmethod
        def find_distributions(*args: Any) -> list[Any]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    with pytest.raises(manager._Unusual):
        manager._scanned_entry_points()


@pytest.mark.parametrize(
    "value",
    ["quoteattr.default.sieves:frame", "quoteattr.default.coref", "quoteattr : __name__",
     "quoteattr.default.sieves:frame [extra]", "quoteattr:no_such_thing",
     "no_such_module_here", "not a value!"],
)
def test_an_entry_point_loads_as_importlib_metadata_loads_it(value: str) -> None:
    ours = manager._EntryPoint("n", value, "quoteattr")
    theirs = metadata.EntryPoint("n", value, "quoteattr")
    try:
        expected: Any = theirs.load()
    except Exception as exc:  # the same error, with the same message
        with pytest.raises(type(exc)) as caught:
            ours.load()
        assert str(caught.value) == str(exc)
        return
    assert ours.load() is expected
