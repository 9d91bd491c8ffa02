"""The html format: quoteattr.default.html.render and the ``html`` writer.

The page is parsed with :mod:`html.parser`: the tests look at its elements and attributes, not
at its source text, so that escaping is checked the way a browser would see it.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import quoteattr
from quoteattr import ErrorRecord, Pipeline
from quoteattr.default import html
from quoteattr.default.html import UNKNOWN_SPEAKER, render, speaker_colour, write_html
from quoteattr.model import Attribution, Cue, Result, Span, Speaker

SEED = Path(__file__).resolve().parent.parent / "seeds" / "kabulov.txt"

VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "area", "base", "col", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Element]:
        out = [self]
        for c in self.children:
            if isinstance(c, Element):
                out.extend(c.iter())
        return out

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


class Tree(HTMLParser):
    """A strict little DOM: every element must be closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.node = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"duplicate attribute in <{tag}>: {names}")
        el = Element(tag, dict(attrs), self.node)
        self.node.children.append(el)
        if tag not in VOID:
            self.node = el

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.node.children.append(Element(tag, dict(attrs), self.node))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.node.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.node.tag}>")
            return
        assert self.node.parent is not None
        self.node = self.node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(page: str) -> Element:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.errors == []
    assert tree.node is tree.root, "unclosed elements"
    return tree.root


def elements(root: Element, tag: str | None = None, cls: str | None = None) -> list[Element]:
    return [
        e for e in root.iter()
        if (tag is None or e.tag == tag) and (cls is None or e.has_class(cls))
    ]


def article_text(root: Element) -> str:
    """The article's text as shown: the text nodes outside the hidden tooltips."""
    (article,) = elements(root, cls="article")

    def shown(el: Element) -> str:
        if el.has_class("tip"):
            return ""
        return "".join(c if isinstance(c, str) else shown(c) for c in el.children)

    return shown(article)


def span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span(start, start + len(part), part)


@pytest.fixture(scope="module")
def seed() -> tuple[str, Result]:
    text = SEED.read_text(encoding="utf-8")
    return text, quoteattr.attribute(text, doc_id="kabulov")


# --------------------------------------------------------------------------------------------
# the page


def test_seed_page_structure(seed: tuple[str, Result]) -> None:
    text, result = seed
    root = parse(render(result, text))
    marks = elements(root, "mark", "attribution")
    assert len(marks) == len(result) > 0
    # the article is the document, character for character
    assert article_text(root) == text
    for index, (mark, a) in enumerate(zip(marks, result, strict=True)):
        assert mark.attrs["id"] == f"d1-q{index + 1}"
        assert mark.attrs["tabindex"] == "0"
        assert mark.attrs["aria-describedby"] == f"d1-q{index + 1}-tip"
        assert a.speaker is not None
        assert mark.attrs["data-speaker"] == a.speaker.name
        (tip,) = elements(mark, cls="tip")
        assert tip.attrs["role"] == "tooltip"
        assert tip.attrs["id"] == mark.attrs["aria-describedby"]
        shown = tip.text()
        for part in (a.speaker.name, f"{a.confidence:.2f}", a.sieve, a.type):
            assert part in shown
        if a.cue is not None:
            assert a.cue.span.text in shown
        # the highlighted text is the attribution's text
        assert "".join(
            c if isinstance(c, str) else ("" if c.has_class("tip") else c.text())
            for c in mark.children
        ) == a.text


def test_cues_and_mentions_are_marked(seed: tuple[str, Result]) -> None:
    text, result = seed
    root = parse(render(result, text))
    cues = {e.text() for e in elements(root, "span", "cue")}
    mentions = {e.text() for e in elements(root, "span", "mention")}
    for a in result:
        assert a.cue is not None and a.speaker is not None
        assert a.cue.span.text in cues
        assert a.speaker.mention.text in mentions


def test_sidebar_lists_speakers_with_counts(seed: tuple[str, Result]) -> None:
    text, result = seed
    root = parse(render(result, text))
    rows = elements(root, "li", "speaker")
    names = [r.attrs["data-speaker"] or "" for r in rows]
    counts: dict[str, int] = {}
    chars: dict[str, int] = {}
    for a in result:
        assert a.speaker is not None
        counts[a.speaker.name] = counts.get(a.speaker.name, 0) + 1
        chars[a.speaker.name] = chars.get(a.speaker.name, 0) + len(a.content)
    assert sorted(names) == sorted(counts)
    assert names == sorted(names, key=lambda n: (-chars[n], n))
    for row in rows:
        name = row.attrs["data-speaker"]
        assert name is not None
        n = counts[name]
        assert f"{n} {'quote' if n == 1 else 'quotes'}, {chars[name]} chars" in row.text()
        (link,) = elements(row, "a")
        first = next(i for i, a in enumerate(result) if a.speaker and a.speaker.name == name)
        assert link.attrs["href"] == f"#d1-q{first + 1}"
    (chart,) = elements(root, "svg", "chart")
    assert chart.attrs["role"] == "img"
    bars = elements(chart, "rect")
    assert len(bars) == len(counts)
    widths = [float(b.attrs["width"] or 0) for b in bars]
    assert widths == sorted(widths, reverse=True)


def test_colours_are_stable_and_distinct(seed: tuple[str, Result]) -> None:
    assert speaker_colour("Zamir Kabulov") == speaker_colour("Zamir Kabulov")
    text, result = seed
    first, second = render(result, text), render(result, text)
    assert first == second
    root = parse(first)
    styles: dict[str, set[str]] = {}
    for mark in elements(root, "mark", "attribution"):
        styles.setdefault(mark.attrs["data-speaker"] or "", set()).add(mark.attrs["style"] or "")
    assert all(len(s) == 1 for s in styles.values())  # one colour per speaker
    colours = [next(iter(s)) for s in styles.values()]
    assert len(set(colours)) == len(colours)  # and a different one for each


def test_self_contained_and_printable(seed: tuple[str, Result]) -> None:
    text, result = seed
    page = render(result, text)
    root = parse(page)
    assert elements(root, "script") == []
    assert elements(root, "link") == []
    assert elements(root, "img") == []
    for el in root.iter():
        for name, value in el.attrs.items():
            assert name not in ("src", "srcset", "action")
            if name == "href":
                assert value is not None and value.startswith("#")
    (csp,) = [m for m in elements(root, "meta") if m.attrs.get("http-equiv")]
    assert "default-src 'none'" in (csp.attrs["content"] or "")
    assert "@media print" in page
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)


def test_unknown_speaker_and_empty_document() -> None:
    text = "“Nobody knows who said this,” it was reported. Nothing else."
    content = span(text, "“Nobody knows who said this,”")
    result = Result(None, [Attribution(content, "direct", (), None, None, 0.1, "none", "m")])
    root = parse(render(result, text))
    (mark,) = elements(root, "mark", "attribution")
    assert mark.attrs["data-speaker"] == UNKNOWN_SPEAKER
    assert "Cue" in mark.text() and "none" in mark.text()
    assert [e.attrs["data-speaker"] for e in elements(root, "li", "speaker")] == [UNKNOWN_SPEAKER]
    root = parse(render(Result("empty"), "Nothing quoted here."))
    assert elements(root, "mark") == []
    assert "No quotations found." in root.text()
    assert article_text(root) == "Nothing quoted here."


def test_overlapping_spans_still_nest() -> None:
    """A cue inside the quote, a mention across its end, a second quote overlapping the first."""
    text = "“One two three” said Ann Lee, “four five”."
    first = Span(0, 20, text[0:20])  # “One two three” said
    second = Span(15, 42, text[15:42])  # overlaps the first
    cue = span(text, "said")
    mention = Span(18, 28, text[18:28])
    who = Speaker("Ann Lee", mention, "e1", "person")
    result = Result(
        "x",
        [
            Attribution(first, "direct", (), Cue(cue, "say"), who, 0.5, "s", "r"),
            Attribution(second, "direct", (), None, who, 0.5, "s", "r"),
        ],
    )
    root = parse(render(result, text))
    assert article_text(root) == text
    assert len(elements(root, "mark", "attribution")) == 2


# --------------------------------------------------------------------------------------------
# hostile text

HOSTILE = (
    "<script>alert(1)</script> “I said <b onclick=alert(2)>hi</b>\" onmouseover=\"alert(3)\","
    " and </mark></span><script>alert(4)</script>,” said <img src=x onerror=alert(5)>"
    "Eve\" onmouseover=\"alert(6). &amp; &lt;\x00\x1b\ud800\u202e"
)


def hostile_result() -> Result:
    quote = span(HOSTILE, HOSTILE[HOSTILE.index("“") : HOSTILE.index("”") + 1])
    cue = span(HOSTILE, "said", quote.end)
    mention = span(HOSTILE, "<img src=x onerror=alert(5)>Eve\" onmouseover=\"alert(6)")
    speaker = Speaker('<script>alert(7)</script>" onfocus="alert(8)', mention, "e1", "person")
    return Result(
        '<script>alert(9)</script>"><svg onload=alert(10)>',
        [Attribution(quote, "direct", (), Cue(cue, "say"), speaker, 0.5,
                     '<img src=x onerror=alert(11)>', "r")],
    )


def _check_inert(page: str) -> Element:
    root = parse(page)
    assert elements(root, "script") == []
    assert elements(root, "img") == []
    assert elements(root, "b") == []
    # the charts, and no injected svg
    assert all(e.has_class("chart") for e in elements(root, "svg"))
    for el in root.iter():
        for name in el.attrs:
            assert not name.startswith("on"), (el.tag, name)
    return root


def test_hostile_text_is_text() -> None:
    result = hostile_result()
    page = render(result, HOSTILE)
    root = _check_inert(page)
    shown = article_text(root)
    assert len(shown) == len(HOSTILE)
    assert "<script>alert(1)</script>" in shown
    assert "\" onmouseover=\"alert(3)\"" in shown
    assert "&amp; &lt;" in shown  # entities in the text are shown as written
    assert "\x00" not in page and "\x1b" not in page and "\ud800" not in page
    assert "alert(7)" in root.text() and "alert(11)" in root.text()
    page.encode("utf-8")  # no lone surrogate left


def test_hostile_text_through_the_pipeline() -> None:
    text = (
        "“We will win <script>alert(1)</script> the <b onclick=x>vote</b>,” said Ana Lopez, "
        "the mayor. <img src=x onerror=alert(2)> \" onmouseover=\"alert(3)\""
    )
    result = quoteattr.attribute(text)
    assert len(result) == 1
    root = _check_inert(render(result, text))
    assert article_text(root) == text


# --------------------------------------------------------------------------------------------
# the format


@attrs.frozen
class WithText:
    """A record that carries its text, as Result would with the proposed core change."""

    result: Result
    text: str

    def __getattr__(self, name: str) -> object:
        return getattr(self.result, name)


def test_format_registered() -> None:
    formats = Pipeline().formats
    assert formats["html"].write is write_html


def test_writer_streams_a_batch(seed: tuple[str, Result]) -> None:
    text, result = seed
    failed = ErrorRecord("broken", "InputError", "cannot <read>")
    out = io.StringIO()
    without_text = attrs.evolve(result, text=None)  # a result read back from JSON has no text
    write_html(
        [WithText(result, text), failed, without_text, hostile_result()], out  # type: ignore[list-item]
    )
    root = _check_inert(out.getvalue())
    sections = elements(root, "section")
    assert len(sections) == 4
    # the first shows the article, the second the error, the third only the quotes
    assert len(elements(sections[0], "mark", "attribution")) == len(result)
    assert "cannot <read>" in sections[1].text()
    assert elements(sections[2], cls="quotes-only")
    assert len(elements(sections[2], "mark", "attribution")) == len(result)
    ids = [e.attrs["id"] for e in root.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))  # ids are unique across documents


def test_writer_for_a_narrow_encoding(seed: tuple[str, Result]) -> None:
    text, result = seed
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    write_html([WithText(result, text)], stream)  # type: ignore[list-item]
    stream.flush()
    page = raw.getvalue().decode("ascii")
    root = parse(page)
    assert article_text(root) == text


def test_module_exports() -> None:
    assert set(html.__all__) <= set(dir(html))
