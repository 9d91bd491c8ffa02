"""Build hooks of the documentation site (mkdocs.yml ``hooks:``); not a page of the site.

- ``reference/cli-help.md`` is generated at build time from the ``--help`` of the command line
  and of each command, so it cannot go stale; it is never written into docs/.
- The pages link to files of the repository outside docs/ (``../benchmarks/README.md``,
  ``../build/html-view.png``, ...). Those files, and the repository files that they link to in
  turn, are copied into the site under ``repo/`` and the links are rewritten to the copies;
  links from the copies back into docs/ go to the pages. Anything else is left as it is, so
  that the strict build still reports a broken link.
- ``build/html-view.png`` is made by tests/test_browser.py; a build before the tests (a fresh
  clone) shows a note instead of the image. Under CI (``CI`` set) its absence is a warning,
  which fails the strict build, since CI builds the site after the tests.
- ``DoctestBlocks`` is a griffe extension (mkdocstrings ``extensions:``): it fences the
  ``>>>`` examples of docstrings as ``pycon`` code, so that ``[('direct', ...)]`` in their
  output is not read as a Markdown cross-reference.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any

import griffe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.quoteattr")

ROOT = Path(__file__).resolve().parent.parent
CLI_HELP = "reference/cli-help.md"
REPO = "repo/"
SCREENSHOT = "build/html-view.png"
# [text](target#anchor) and ![alt](target): relative targets only (no scheme, no leading / or #)
LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]"
    r"\((?P<target>(?![a-z][a-z0-9+.-]*:|[/#])[^)\s#]+)(?P<anchor>#[^)\s]*)?\)"
)


# --------------------------------------------------------------------------------------------
# the CLI reference


def _help(argv: list[str]) -> str:
    from quoteattr import cli

    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal's width: make it fixed
    try:
        with contextlib.redirect_stdout(out):
            status = cli.main([*argv, "--help"])
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    if status != 0:
        raise RuntimeError(f"quoteattr {' '.join(argv)} --help exited with status {status}")
    return out.getvalue().rstrip() + "\n"


def cli_help_markdown() -> str:
    from quoteattr import cli

    parts = [
        "# CLI reference\n",
        "The `--help` of `quoteattr` and of each of its commands, generated from the argparse "
        "parsers when the site is built. [Command line](../cli.md) is the guide.\n",
    ]
    for command in ["", *cli._COMMANDS]:
        title = f"quoteattr {command}".strip()
        parts.append(f"## `{title}`\n")
        parts.append(f"```text\n{_help([command] if command else [])}```\n")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# files of the repository outside docs/


def _repo_path(src_uri: str) -> str:
    """The repository path of a site file: ``cli.md`` -> ``docs/cli.md``."""
    return src_uri[len(REPO) :] if src_uri.startswith(REPO) else f"docs/{src_uri}"


def _site_uri(repo_path: str) -> str | None:
    """Where a repository file is in the site, or None when it is not there."""
    if repo_path.startswith("docs/"):
        return repo_path[len("docs/") :]
    if repo_path.startswith("../") or not (ROOT / repo_path).is_file():
        return None
    return REPO + repo_path


def _resolve(src_repo_path: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_repo_path), target))


def _rewrite(markdown: str, src_uri: str) -> str:
    src_repo_path = _repo_path(src_uri)

    def link(m: re.Match[str]) -> str:
        path = _resolve(src_repo_path, m["target"])
        uri = _site_uri(path)
        if path == SCREENSHOT and uri is None:
            level = logging.WARNING if os.environ.get("CI") else logging.INFO
            log.log(
                level,
                f"{SCREENSHOT} is missing (tests/test_browser.py makes it); "
                f"{src_uri} shows a note instead",
            )
            return f"*({m['text']}: `{SCREENSHOT}`, made by `tests/test_browser.py`, not built)*"
        if uri is None or (path.startswith("docs/") and not src_uri.startswith(REPO)):
            return m[0]  # a page, which mkdocs checks; or a missing file, which it reports
        new = posixpath.relpath(uri, posixpath.dirname(src_uri) or ".")
        return f"{m['bang']}[{m['text']}]({new}{m['anchor'] or ''})"

    return LINK.sub(link, markdown)


def _outside_files(files: Files) -> list[str]:
    """The repository files outside docs/ that the pages reach by links, transitively."""
    queue = [f"docs/{f.src_uri}" for f in files.documentation_pages() if f.abs_src_path is not None]
    seen: set[str] = set(queue)
    found: list[str] = []
    while queue:
        repo_path = queue.pop(0)
        text = (ROOT / repo_path).read_text(encoding="utf-8")
        for m in LINK.finditer(text):
            path = _resolve(repo_path, m["target"])
            if path in seen or path.startswith("docs/") or _site_uri(path) is None:
                continue
            seen.add(path)
            found.append(path)
            if path.endswith(".md"):
                queue.append(path)
    return found


# --------------------------------------------------------------------------------------------
# mkdocs events


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    files.append(File.generated(config, CLI_HELP, content=cli_help_markdown()))
    for path in _outside_files(files):
        files.append(File.generated(config, REPO + path, abs_src_path=str(ROOT / path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    return _rewrite(markdown, page.file.src_uri)


# --------------------------------------------------------------------------------------------
# docstrings

DOCTEST = re.compile(r"^(?P<indent>[ \t]*)>>> .*(?:\n(?P=indent)\S.*)*", re.MULTILINE)


class DoctestBlocks(griffe.Extension):
    """Fence the ``>>>`` examples of docstrings as ``pycon`` code blocks."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        self._fence(obj)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._fence(pkg)

    def _fence(self, obj: griffe.Object) -> None:
        docstring = obj.docstring
        if docstring is None or ">>> " not in docstring.value or "```pycon" in docstring.value:
            return
        docstring.value = DOCTEST.sub(
            lambda m: f"{m['indent']}```pycon\n{m[0]}\n{m['indent']}```", docstring.value
        )
