"""The first-party plugin distribution plugins/quoteattr-markdown, found through its entry point.

This is the end-to-end check that a separately installed distribution is discovered, listed
and used exactly like a built-in plugin. It fails (it does not skip) when the distribution is
not installed: the README's test command installs it.
"""

from __future__ import annotations

import io
import json
from importlib import metadata
from pathlib import Path

import pytest

import quoteattr
from quoteattr import cli
from quoteattr.manager import AUTOLOAD_ENV
from quoteattr.model import Attribution, Result, Span, Speaker
from quoteattr.pipeline import ErrorRecord

DIST = "quoteattr-markdown"
INSTALL_HINT = (
    f"the {DIST} plugin distribution is not installed: run the test command from README.md, "
    'which installs it: pip install -e ".[test]" && '
    "pip install ./plugins/quoteattr-markdown && python -m pytest"
)


@pytest.fixture(autouse=True)
def autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Third-party plugins load whatever the environment of the test run says."""
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)


def require_distribution() -> metadata.Distribution:
    """The installed distribution; fail the test, with the way to install it, if it is missing."""
    try:
        dist: metadata.Distribution | None = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        dist = None
    if dist is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    names = {ep.name for ep in dist.entry_points if ep.group == "quoteattr"}
    assert names == {"markdown"}, f"{DIST} declares the entry points {names}"
    return dist


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_plugin_is_registered_from_its_entry_point() -> None:
    dist = require_distribution()
    info = quoteattr.get_plugin_manager().plugin_info["markdown"]
    assert info.source == "entrypoint"
    assert info.distribution == DIST
    assert info.version == dist.version
    assert info.value == "quoteattr_markdown"


def test_quoteattr_plugins_lists_it_with_its_hook(capsys: pytest.CaptureFixture[str]) -> None:
    require_distribution()
    status, out, _ = run(capsys, "plugins", "--format", "json")
    assert status == 0
    entry = next(e for e in json.loads(out) if e["name"] == "markdown")
    assert entry["source"] == "entrypoint"
    assert entry["distribution"] == DIST
    assert entry["hooks"] == ["quoteattr_register_formats"]


def test_quoteattr_formats_lists_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    require_distribution()
    status, out, _ = run(capsys, "formats")
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "markdown" in rows
    assert "Markdown" in rows["markdown"]


def test_no_plugins_and_block_turn_it_off(capsys: pytest.CaptureFixture[str]) -> None:
    require_distribution()
    for args in (["--no-plugins"], ["--block", "markdown"]):
        status, out, _ = run(capsys, "formats", "-f", "json", *args)
        assert status == 0
        assert "markdown" not in {e["name"] for e in json.loads(out)}


def test_the_markdown_format_writes_a_table_per_document() -> None:
    require_distribution()
    text = "“Cut | paste *now*,”\nsaid Ana <b>Lopez</b>."
    quote = Span(0, text.index("\n"), text[: text.index("\n")])
    name = text.index("Ana")
    mention = Span(name, len(text) - 1, text[name:-1])
    result = Result(
        "doc",
        [Attribution(quote, "direct", (), None, Speaker("Ana Lopez", mention), 0.9, "s", "r")],
    )
    out = io.StringIO()
    pipeline = quoteattr.Pipeline()
    pipeline.write([result, ErrorRecord("bad", "PluginError", "boom"), Result(None)], out,
                   format="markdown")
    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "## doc",
        "",
        "| # | speaker | type | quote | cue |",
        "|--:|---|---|---|---|",
    ]
    row = lines[4]
    assert row.startswith("| 1 | Ana Lopez (Ana \\<b\\>Lopez\\</b\\>) | direct | ")
    assert "“Cut \\| paste \\*now\\*,”" in row
    assert row.count(" | ") == 4  # the escaped pipe does not add a column
    assert "## bad" in lines
    assert "**Error:** boom" in lines
    assert "## Document 3" in lines


def test_the_command_line_writes_markdown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    require_distribution()
    path = tmp_path / "speech.txt"
    path.write_text("“We will win,” she said.", encoding="utf-8")
    status, out, err = run(capsys, str(path), "--format", "markdown")
    assert status == 0, err
    assert out.startswith("## speech\n\n")
