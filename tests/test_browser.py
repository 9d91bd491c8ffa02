"""The html format in a real browser: headless Chromium, driven by Playwright.

Needs Debian's Chromium (``/usr/bin/chromium``, or the path in ``QUOTEATTR_CHROMIUM``) and the
``playwright`` Python package (the ``browser`` extra; Playwright's own browser download is not
used). Without them the tests skip, except in CI (``CI`` set), where they must run. The
screenshot of the seed article is saved to ``build/html-view.png``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import quoteattr
from quoteattr.default.html import UNKNOWN_SPEAKER, render

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "kabulov.txt"
SCREENSHOT = ROOT / "build" / "html-view.png"
CHROMIUM = os.environ.get("QUOTEATTR_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[browser]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def seed() -> tuple[str, quoteattr.Result]:
    text = SEED.read_text(encoding="utf-8")
    return text, quoteattr.attribute(text, doc_id="kabulov")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    try:
        yield page
    finally:
        context.close()


def _open(page: Any, html: str) -> None:
    page.set_content(html, wait_until="load")


def test_seed_page(page: Any, seed: tuple[str, quoteattr.Result]) -> None:
    text, result = seed
    _open(page, render(result, text))

    marks = page.locator("mark.attribution")
    assert marks.count() == len(result) > 0
    # the article's visible text is the document's text: tooltips are hidden until asked for
    shown = page.locator(".article").inner_text()
    assert " ".join(shown.split()) == " ".join(text.split())

    names = page.locator("aside.speakers li.speaker .name").all_inner_texts()
    expected = {a.speaker.name if a.speaker else UNKNOWN_SPEAKER for a in result}
    assert sorted(names) == sorted(expected)
    assert names[0] == "Zamir Kabulov"  # the most quoted comes first
    assert page.locator("svg.chart rect").count() == len(expected)

    # hover the first attribution: its tooltip appears and names the speaker, cue and sieve
    first = result.attributions[0]
    tip = page.locator("#d1-q1-tip")
    assert not tip.is_visible()
    page.locator("#d1-q1").hover()
    assert tip.is_visible()
    tip_text = tip.inner_text()
    assert first.speaker is not None and first.cue is not None
    for part in (first.speaker.name, first.cue.span.text, f"{first.confidence:.2f}",
                 first.sieve):
        assert part in tip_text
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    assert page.requests == []  # nothing fetched: the page is self-contained


def test_keyboard_focus_shows_the_tooltip(page: Any, seed: tuple[str, quoteattr.Result]) -> None:
    text, result = seed
    _open(page, render(result, text))
    page.mouse.move(0, 0)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "d1-q1"
    assert page.locator("#d1-q1-tip").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "d1-q2"
    assert not page.locator("#d1-q1-tip").is_visible()
    assert page.locator("#d1-q2-tip").is_visible()
    # the tooltip describes the focused element for assistive technology
    described = page.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-describedby')).id"
    )
    assert described == "d1-q2-tip"


def test_print_view(page: Any, seed: tuple[str, quoteattr.Result]) -> None:
    text, result = seed
    _open(page, render(result, text))
    page.emulate_media(media="print")
    after = page.evaluate(
        "getComputedStyle(document.getElementById('d1-q1'), '::after').content"
    )
    assert "Zamir Kabulov" in after
    page.locator("#d1-q1").hover()
    assert not page.locator("#d1-q1-tip").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_hostile_text_does_not_run(page: Any) -> None:
    text = (
        "“<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">,” "
        "said Mallory\" onmouseover=\"window.pwned=3\"."
    )
    result = quoteattr.attribute(text)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    _open(page, render(result, text))
    for mark in page.locator("mark.attribution").all():
        mark.hover()
    assert page.evaluate("window.pwned") is None
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert "<script>" in page.locator(".article").inner_text()
    assert dialogs == []
    assert page.requests == []


def test_the_command_lines_page(
    page: Any, seed: tuple[str, quoteattr.Result], tmp_path: Path
) -> None:
    """`quoteattr seeds/kabulov.txt --format html -o out.html`, opened as a file."""
    from quoteattr.cli import main

    out = tmp_path / "out.html"
    assert main([str(SEED), "--format", "html", "-o", str(out), "--quiet"]) == 0
    page.goto(out.as_uri(), wait_until="load")
    _, result = seed
    assert page.locator("mark.attribution").count() == len(result) > 0
    first = page.locator("mark.attribution").first
    first.hover()
    speaker = result.attributions[0].speaker
    assert speaker is not None
    tooltip = page.locator(".tooltip:visible, [role=tooltip]:visible").first
    assert speaker.name in tooltip.inner_text()
    assert page.requests == [out.as_uri()]  # the page loads nothing else
