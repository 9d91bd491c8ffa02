"""Built-in plugin ``html``: the article as one self-contained web page, quotes highlighted.

:func:`render` turns one :class:`~quoteattr.model.Result` and the text it was found in into a
page: the article with each attribution highlighted in its speaker's colour, cues underlined,
speaker mentions marked, and beside it a sidebar that lists the speakers with how often and how
much (in characters) each is quoted, as a list and as an inline SVG bar chart. Hovering over an
attribution, or moving the keyboard focus to it (each one is a tab stop), shows a tooltip with
the speaker, the cue, the confidence and the sieve that decided. The page also prints: the
sidebar moves under the article and each quote is followed by its speaker's name.

The page is self-contained and inert: no script, no external asset, no network access. Its
Content-Security-Policy forbids scripts and every fetch, and every piece of input text (the
article, names, cues, sieve names, document ids) is HTML-escaped, so a text holding
``<script>`` or ``" onmouseover=`` shows those characters and nothing runs.

The ``html`` output format writes one page for a whole batch, one section per document, as each
document arrives. A format's writer receives :class:`~quoteattr.model.Result` records, which
hold the spans of what was found but not the document's text. When a record carries its text
(a ``text`` attribute that is a string) the section shows the whole article; otherwise it
lists the attributions (their text is in their spans) under a note that the article itself is
not available. docs/html.md describes the page.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any, TextIO

from quoteattr import hookimpl
from quoteattr.model import Attribution, Result
from quoteattr.pipeline import ErrorRecord

__all__ = [
    "UNKNOWN_SPEAKER",
    "quoteattr_register_formats",
    "render",
    "render_page",
    "speaker_colour",
    "write_html",
]

Record = Result | ErrorRecord

#: how the page names the speaker of an attribution that no sieve attributed
UNKNOWN_SPEAKER = "(unknown speaker)"

# Scripts and every kind of fetch are forbidden: the page can neither run code nor reach the
# network, whatever its text holds. Inline styles and data: images are all it needs.
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

_CSS = """\
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 Georgia, "Times New Roman", serif; color: var(--ink);
  background: #fff; }
header.page { padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--rule);
  font-family: system-ui, sans-serif; }
header.page h1 { font-size: 1.1rem; margin: 0; }
.doc { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 2rem;
  padding: 1rem 1.5rem 2rem; border-bottom: 1px solid var(--rule); }
.doc > h2 { grid-column: 1 / -1; margin: 0; font: 600 1rem system-ui, sans-serif; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 46rem; margin: 0; }
.article mark.attribution { position: relative; color: inherit; background: var(--bg);
  border-bottom: 2px solid var(--fg); border-radius: 2px; padding: 0 1px; cursor: help;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.article mark.attribution:focus { outline: 3px solid var(--fg); outline-offset: 1px; }
.article mark.attribution:focus:not(:focus-visible) { outline: none; }
.article .cue { text-decoration: underline 2px; text-underline-offset: 3px; }
.article .mention { border-bottom: 2px dotted var(--fg); font-weight: 600;
  color: var(--fg); }
.tip { display: none; position: absolute; left: 0; top: 100%; z-index: 10; width: max-content;
  max-width: 22rem; margin-top: 4px; padding: 0.5rem 0.65rem; white-space: normal;
  font: 0.85rem/1.4 system-ui, sans-serif; color: #fff; background: #222;
  border-left: 6px solid var(--bg); border-radius: 4px; box-shadow: 0 2px 8px #0004; }
.tip dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 0.6rem; }
.tip dt { color: #bbb; }
.tip dd { margin: 0; }
mark.attribution:hover > .tip, mark.attribution:focus > .tip { display: block; }
aside.speakers { font-family: system-ui, sans-serif; font-size: 0.9rem; }
aside.speakers h3 { font-size: 1rem; margin: 0 0 0.5rem; }
aside.speakers ol { list-style: none; padding: 0; margin: 0 0 1rem; }
aside.speakers li { display: flex; align-items: baseline; gap: 0.5rem; padding: 0.15rem 0; }
.swatch { flex: none; width: 0.9rem; height: 0.9rem; border-radius: 2px;
  background: var(--bg); border: 2px solid var(--fg); print-color-adjust: exact;
  -webkit-print-color-adjust: exact; }
aside.speakers a { color: var(--ink); }
aside.speakers a:focus-visible { outline: 3px solid #1a5fb4; }
.count { margin-left: auto; color: var(--muted); white-space: nowrap; }
svg.chart { width: 100%; height: auto; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.quotes-only li { margin-bottom: 0.5rem; }
.notice, .error { font-family: system-ui, sans-serif; color: var(--muted); }
.error { color: #a40000; }
@media (max-width: 50rem) { .doc { grid-template-columns: minmax(0, 1fr); } }
@media print {
  body { font-size: 11pt; }
  .doc { display: block; break-after: page; border: 0; }
  .tip { display: none !important; }
  .article mark.attribution::after { content: " [" attr(data-speaker) "]";
    font: italic 0.8em system-ui, sans-serif; color: var(--muted); }
  aside.speakers { margin-top: 1.5rem; break-inside: avoid; }
  aside.speakers a { text-decoration: none; }
}
"""


# --------------------------------------------------------------------------------------------
# text hygiene


def _clean(text: str) -> str:
    """``text`` with the characters HTML cannot carry replaced, one for one, by U+FFFD.

    Control characters (but tab, line feed and carriage return) and lone surrogates are
    replaced; the length is kept, so offsets into the text stay valid.
    """
    if text.isprintable() and not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    out = []
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF or (
            unicodedata.category(char) == "Cc" and char not in "\t\n\r"
        ):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def _esc(text: str) -> str:
    """``text`` as HTML text or attribute value: escaped, quotes included, and cleaned."""
    return escape(_clean(text), quote=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# colours and speakers


#: well-separated hues, in the order a hash picks among them
_HUES = (210, 120, 30, 270, 0, 180, 60, 300, 90, 240, 150, 330)


def _hue_index(key: str) -> int:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big") % len(_HUES)


def _colours_of_hue(hue: int) -> tuple[str, str]:
    return f"hsl({hue} 85% 87%)", f"hsl({hue} 70% 28%)"


def speaker_colour(key: str) -> tuple[str, str]:
    """The ``(background, foreground)`` CSS colours of the speaker ``key`` (usually its name).

    The hue comes from a hash of ``key``, so a speaker has the same colour in every document
    and every run; the background is light enough for black text and the foreground dark
    enough to read on white. Within one document, a speaker whose hue is already taken by a
    more quoted speaker gets the next free hue (:func:`_palette`).
    """
    return _colours_of_hue(_HUES[_hue_index(key)])


def _palette(attributions: tuple[Attribution, ...]) -> dict[str, tuple[str, str]]:
    """The colours of a document's speakers: their own hue, or the next free one.

    Speakers claim hues in order of how much they are quoted, so the most quoted keep their
    own colour; past twelve speakers, hues repeat.
    """
    chars: dict[str, int] = {}
    for a in attributions:
        if a.speaker is not None:
            chars[a.speaker.name] = chars.get(a.speaker.name, 0) + len(a.content)
    taken: set[int] = set()
    out: dict[str, tuple[str, str]] = {}
    for name in sorted(chars, key=lambda k: (-chars[k], k)):
        index = _hue_index(name)
        for step in range(len(_HUES)):
            if (index + step) % len(_HUES) not in taken:
                index = (index + step) % len(_HUES)
                break
        taken.add(index)
        if len(taken) == len(_HUES):
            taken.clear()
        out[name] = _colours_of_hue(_HUES[index])
    return out


_UNKNOWN_COLOURS = ("hsl(0 0% 90%)", "hsl(0 0% 35%)")


@dataclass
class _Speaker:
    key: str
    name: str
    colours: tuple[str, str]
    quotes: list[int] = field(default_factory=list)
    chars: int = 0


def _speaker_key(a: Attribution) -> str | None:
    return None if a.speaker is None else a.speaker.name


def _speakers(attributions: tuple[Attribution, ...]) -> list[_Speaker]:
    """The speakers, most quoted (in characters) first, the unknown speaker last."""
    palette = _palette(attributions)
    found: dict[str | None, _Speaker] = {}
    for index, a in enumerate(attributions):
        key = _speaker_key(a)
        s = found.get(key)
        if s is None:
            if key is None:
                s = _Speaker("", UNKNOWN_SPEAKER, _UNKNOWN_COLOURS)
            else:
                s = _Speaker(key, key, palette[key])
            found[key] = s
        s.quotes.append(index)
        s.chars += len(a.content)
    known = sorted(
        (s for k, s in found.items() if k is not None), key=lambda s: (-s.chars, s.name)
    )
    return known + ([found[None]] if None in found else [])


def _colours(a: Attribution, palette: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return _UNKNOWN_COLOURS if a.speaker is None else palette[a.speaker.name]


def _style(colours: tuple[str, str]) -> str:
    return f"--bg: {colours[0]}; --fg: {colours[1]}"


# --------------------------------------------------------------------------------------------
# the article


def _tooltip(a: Attribution, tip_id: str) -> str:
    if a.speaker is None:
        speaker = UNKNOWN_SPEAKER
    else:
        speaker = a.speaker.name
        said = _one_line(a.speaker.mention.text)
        if said and said != speaker:
            speaker = f"{speaker} (“{said}”)"
    cue = "none" if a.cue is None else _one_line(a.cue.span.text)
    rows = [
        ("Speaker", speaker),
        ("Cue", cue),
        ("Confidence", f"{a.confidence:.2f}"),
        ("Sieve", a.sieve),
        ("Type", a.type),
    ]
    cells = "".join(f"<dt>{_esc(k)}</dt><dd><bdi>{_esc(v)}</bdi></dd>" for k, v in rows)
    return f'<span class="tip" role="tooltip" id="{tip_id}"><dl>{cells}</dl></span>'


def _label(a: Attribution) -> str:
    """The accessible name of an attribution: who said it, and how sure quoteattr is."""
    who = UNKNOWN_SPEAKER if a.speaker is None else a.speaker.name
    return f"{a.type} quote, {who}, confidence {a.confidence:.2f}"


def _article(text: str, attributions: tuple[Attribution, ...], prefix: str) -> str:
    """The text as HTML, each attribution a focusable ``mark`` with its tooltip inside.

    Attributions do not overlap (the core merges overlapping quotes); should two overlap all
    the same, the later one is highlighted from where the earlier one ends. Cues and speaker
    mentions are inline marks, split where they cross an attribution's edge.
    """
    n = len(text)
    palette = _palette(attributions)
    ranges: list[tuple[int, int, int]] = []  # (start, end, attribution index)
    last = 0
    for index in sorted(range(len(attributions)), key=lambda i: attributions[i].start):
        a = attributions[index]
        start, end = max(a.start, last, 0), min(a.end, n)
        if start < end:
            ranges.append((start, end, index))
            last = end
    inline: list[tuple[int, int, str, str]] = []  # (start, end, class, style)
    for a in attributions:
        colours = _colours(a, palette)
        if a.cue is not None:
            inline.append((a.cue.span.start, a.cue.span.end, "cue", ""))
        if a.speaker is not None:
            m = a.speaker.mention
            inline.append((m.start, m.end, "mention", _style(colours)))
    bounds = {0, n}
    for start, end, _ in ranges:
        bounds.update((start, end))
    for start, end, _, _ in inline:
        bounds.update((max(0, min(start, n)), max(0, min(end, n))))
    points = sorted(bounds)

    owner: dict[int, int] = {}  # segment start -> attribution index
    opens: dict[int, int] = {start: index for start, _, index in ranges}
    closes = {end for _, end, _ in ranges}
    for start, end, index in ranges:
        for p in points:
            if start <= p < end:
                owner[p] = index

    out: list[str] = []
    for left, right in itertools.pairwise(points):
        if left in opens:
            index = opens[left]
            out.append(_mark_open(attributions[index], f"{prefix}q{index + 1}", palette))
        piece = _esc(text[left:right])
        classes = [(c, s) for s0, e0, c, s in inline if s0 <= left and right <= e0]
        for cls, style in dict(classes).items():
            attr = f' style="{style}"' if style else ""
            piece = f'<span class="{cls}"{attr}>{piece}</span>'
        out.append(piece)
        if right in closes and left in owner:
            index = owner[left]
            out.append(_tooltip(attributions[index], f"{prefix}q{index + 1}-tip") + "</mark>")
    return "".join(out)


def _mark_open(a: Attribution, qid: str, palette: dict[str, tuple[str, str]]) -> str:
    """The opening tag of an attribution's highlight: colour, speaker, and its tooltip's id."""
    who = UNKNOWN_SPEAKER if a.speaker is None else a.speaker.name
    return (
        f'<mark class="attribution" id="{qid}" tabindex="0" style="{_style(_colours(a, palette))}"'
        f' data-speaker="{_esc(who)}" data-type="{_esc(a.type)}"'
        f' aria-label="{_esc(_label(a))}" aria-describedby="{qid}-tip">'
    )


def _quote_list(attributions: tuple[Attribution, ...], prefix: str) -> str:
    """The attributions as a list, for a document whose text is not available."""
    palette = _palette(attributions)
    items = []
    for index, a in enumerate(attributions):
        qid = f"{prefix}q{index + 1}"
        items.append(
            f"<li>{_mark_open(a, qid, palette)}"
            f"{_esc(a.text)}{_tooltip(a, qid + '-tip')}</mark></li>"
        )
    return f'<ol class="article quotes-only">{"".join(items)}</ol>'


# --------------------------------------------------------------------------------------------
# the sidebar

_CHART_W, _LABEL_W, _ROW_H = 300, 120, 22


def _shorten(text: str, width: int) -> str:
    text = _one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _chart(speakers: list[_Speaker], title_id: str) -> str:
    total_w = _CHART_W - _LABEL_W - 40
    most = max((s.chars for s in speakers), default=0) or 1
    height = _ROW_H * len(speakers) + 4
    rows = []
    for i, s in enumerate(speakers):
        y = 2 + i * _ROW_H
        w = max(1, round(total_w * s.chars / most)) if s.chars else 0
        rows.append(
            f'<g><title>{_esc(s.name)}: {s.chars} characters</title>'
            f'<text x="0" y="{y + 15}">{_esc(_shorten(s.name, 18))}</text>'
            f'<rect x="{_LABEL_W}" y="{y + 3}" width="{w}" height="{_ROW_H - 6}"'
            f' fill="{s.colours[0]}" stroke="{s.colours[1]}" stroke-width="1.5"/>'
            f'<text x="{_LABEL_W + w + 4}" y="{y + 15}">{s.chars}</text></g>'
        )
    return (
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {_CHART_W} {height}" width="{_CHART_W}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">Characters quoted, by '
        f"speaker</title>{''.join(rows)}</svg>"
    )


def _sidebar(attributions: tuple[Attribution, ...], prefix: str) -> str:
    speakers = _speakers(attributions)
    if not speakers:
        return (
            f'<aside class="speakers" aria-labelledby="{prefix}speakers">'
            f'<h3 id="{prefix}speakers">Speakers</h3><p class="notice">No quotations found.</p>'
            "</aside>"
        )
    items = []
    for s in speakers:
        n = len(s.quotes)
        noun = "quote" if n == 1 else "quotes"
        first = f"{prefix}q{s.quotes[0] + 1}"
        items.append(
            f'<li class="speaker" data-speaker="{_esc(s.name)}">'
            f'<span class="swatch" style="{_style(s.colours)}" aria-hidden="true"></span>'
            f'<a href="#{first}"><bdi class="name">{_esc(s.name)}</bdi></a>'
            f'<span class="count">{n} {noun}, {s.chars} chars</span></li>'
        )
    return (
        f'<aside class="speakers" aria-labelledby="{prefix}speakers">'
        f'<h3 id="{prefix}speakers">Speakers</h3><ol>{"".join(items)}</ol>'
        f'<h3 id="{prefix}chart">Characters quoted</h3>{_chart(speakers, prefix + "chart-title")}'
        "</aside>"
    )


# --------------------------------------------------------------------------------------------
# pages


def _head(title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="quoteattr">\n'
        f"<title>{_esc(title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        f'<header class="page"><h1>{_esc(title)}</h1></header>\n<main>\n'
    )


_TAIL = "</main>\n</body>\n</html>\n"


def _doc_label(doc_id: str | None, ordinal: int) -> str:
    return f"Document {ordinal}" if doc_id is None else doc_id


def _section(record: Record, text: str | None, ordinal: int) -> str:
    prefix = f"d{ordinal}-"
    label = _esc(_doc_label(record.doc_id, ordinal))
    heading = f'<h2 id="{prefix}title">{label}</h2>'
    if isinstance(record, ErrorRecord):
        body = f'<p class="error">Error: {_esc(record.type)}: {_esc(record.message)}</p>'
        return (
            f'<section class="doc failed" aria-labelledby="{prefix}title">{heading}{body}'
            "</section>\n"
        )
    if text is None:
        article = (
            '<div><p class="notice">The document text is not available to this output, so '
            "only the quotations are shown.</p>"
            f"{_quote_list(record.attributions, prefix)}</div>"
        )
    else:
        article = f'<div class="article">{_article(text, record.attributions, prefix)}</div>'
    return (
        f'<section class="doc" aria-labelledby="{prefix}title">{heading}'
        f'<article aria-label="{label}">{article}</article>'
        f"{_sidebar(record.attributions, prefix)}</section>\n"
    )


def render(result: Result, text: str) -> str:
    """The page of one document: ``result``'s attributions highlighted in ``text``.

    ``text`` must be the text that ``result`` was found in (offsets index into it).
    """
    title = _doc_label(result.doc_id, 1) if result.doc_id is not None else "quoteattr"
    return _head(f"Quotations: {title}") + _section(result, text, 1) + _TAIL


def render_page(
    documents: Iterable[tuple[Record, str | None]], title: str = "Quotations"
) -> Iterator[str]:
    """The page of a batch, piece by piece: the head, one section per document, the tail.

    :param documents: ``(record, text)`` pairs; ``text`` is ``None`` when it is not known, and
        the section then lists the quotations without the article.
    """
    yield _head(title)
    for ordinal, (record, text) in enumerate(documents, start=1):
        yield _section(record, text, ordinal)
    yield _TAIL


def _text_of(record: Record) -> str | None:
    text: Any = getattr(record, "text", None)
    return text if isinstance(text, str) else None


def _ascii_safe(stream: TextIO) -> Callable[[str], str]:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return lambda s: s
    # the page says charset=utf-8: write pure ASCII, everything else as character references
    return lambda s: s.encode("ascii", "xmlcharrefreplace").decode("ascii")


def write_html(results: Iterable[Record], stream: TextIO) -> None:
    """Write one page for the whole batch, one section per document, flushed as each arrives.

    A record with a ``text`` attribute (a string) shows the whole article; one without lists
    its quotations only (see the module docstring).
    """
    fit = _ascii_safe(stream)
    for piece in render_page((r, _text_of(r)) for r in results):
        stream.write(fit(piece))
        stream.flush()


@hookimpl
def quoteattr_register_formats(register: Callable[..., Any]) -> None:
    """Register the ``html`` format."""
    register("html", write_html, description="one self-contained web page, quotes highlighted")
