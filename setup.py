"""Build quoteattr, compiling its rule modules to C with mypyc where that can be done.

Everything else about the package is in ``pyproject.toml``; this file only adds the compiled
modules. The modules listed in ``COMPILED`` are type-checked Python that mypyc turns into C
extensions, which run the same rules about a third faster (``docs/benchmarks.md``). The
``.py`` files ship beside them, and the package is the same without them. ``HAND_WRITTEN``
is one module of C, the tokenizer's inner loop, which the pure-Python build does without.

``QUOTEATTR_COMPILE`` chooses:

- unset or ``auto`` (the default): compile when building a wheel (``pip install .``,
  ``pip wheel .``), and fall back to pure Python, with a warning, when there is no C compiler
  or compiling fails;
- ``1``: compile, and fail the build if that cannot be done (release wheels, CI);
- ``0``: pure Python.

An editable install (``pip install -e .``) is always pure Python: a compiled module would
shadow its source, and edits to the source would silently do nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: the modules compiled: the rules, where the time goes (the model and the pipeline use attrs
#: classes, which mypyc does not compile, and the rest runs once per document or less)
COMPILED = [
    "quoteattr/text.py",
    "quoteattr/stash.py",
    "quoteattr/trusted.py",
    "quoteattr/checks.py",
    "quoteattr/assembly.py",
    "quoteattr/default/grammar.py",
    "quoteattr/default/quotes.py",
    "quoteattr/default/reported.py",
    "quoteattr/default/attitudes.py",
    "quoteattr/default/mentions.py",
    "quoteattr/default/coref.py",
    "quoteattr/default/sieves.py",
    "quoteattr/default/jsontext.py",
]

#: the C written by hand: the tokenizer's inner loop (``quoteattr/_speedups.c``), which the rules
#: use when it is there and do without (by the token pattern) when it is not
HAND_WRITTEN = [Extension("quoteattr._speedups", ["quoteattr/_speedups.c"])]

_CHOICE = os.environ.get("QUOTEATTR_COMPILE", "auto").strip().lower() or "auto"
if _CHOICE not in ("auto", "0", "1"):
    sys.exit(f"QUOTEATTR_COMPILE must be auto, 0 or 1, not {_CHOICE!r}")
_REQUIRED = _CHOICE == "1"
_EDITABLE = "editable_wheel" in sys.argv or "develop" in sys.argv
#: the commands that build or install extensions (not egg_info, sdist, dist_info)
_BUILDS = {"bdist_wheel", "build", "build_ext", "install"}


def _warn(message: str) -> None:
    print(f"quoteattr: {message}", file=sys.stderr)


def _extensions() -> list[object]:
    if _CHOICE == "0" or not _BUILDS.intersection(sys.argv):
        return []
    if _EDITABLE:
        _warn("an editable install is pure Python (its compiled modules would shadow the source)")
        return []
    here = Path(__file__).resolve().parent
    os.chdir(here)  # mypyc reads the paths, and pyproject.toml's [tool.mypy], from here
    try:
        from mypyc.build import mypycify

        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        compiled = list(mypycify(["--python-version", version, *COMPILED], opt_level="3",
                                 group_name="quoteattr",
                                 target_dir="build/mypyc"))
    except (Exception, SystemExit) as exc:
        if _REQUIRED:
            raise
        _warn(f"not compiled, pure Python instead: mypyc could not translate the rules ({exc!r})")
        return []
    return [*compiled, *HAND_WRITTEN]


class _OptionalBuildExt(build_ext):
    """``build_ext`` that, unless compiling is required, leaves the package pure Python when a
    C compiler is missing or fails, instead of failing the install (or installing some of the
    modules compiled: they share one runtime library, so it is all of them or none)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            if _REQUIRED:
                raise
            _warn(f"not compiled, pure Python instead: the C compiler failed ({exc})")
            for ext in self.extensions:
                built = Path(self.get_ext_fullpath(ext.name))
                if built.exists():
                    built.unlink()
            self.extensions = []

    def get_outputs(self) -> list[str]:
        return [path for path in super().get_outputs() if Path(path).exists()]


#: setuptools' own build directory, emptied before each build: files left by an earlier build
#: (a module since removed, another build's compiled runtime) would otherwise be packaged too
_BUILD_BASE = Path(__file__).resolve().parent / "build" / "setuptools"
if _BUILDS.intersection(sys.argv) and not _EDITABLE:
    shutil.rmtree(_BUILD_BASE, ignore_errors=True)

setup(
    ext_modules=_extensions(),
    cmdclass={"build_ext": _OptionalBuildExt},
    options={"build": {"build_base": str(_BUILD_BASE)}},
)
