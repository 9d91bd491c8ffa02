"""Shared text infrastructure for plugins: lexicons and lazily built document indexes.

Every index is computed once per document, the first time a plugin asks, and kept in the
document's :class:`~quoteattr.model.Stash`, so no plugin re-scans the text for it.

All patterns here are linear: no nested quantifiers over overlapping classes.
"""

from __future__ import annotations

import bisect
import os
import re
import sys
import types
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import machinery
from typing import Any, Final

import regex

from quoteattr.model import Document, Span, StashKey
from quoteattr.trusted import span_of

__all__ = [
    "PARAGRAPHS",
    "PARAGRAPH_STARTS",
    "SENTENCES",
    "beyond_bmp",
    "bisect_left_int",
    "bisect_right_int",
    "bmp_class",
    "bmp_flags",
    "inert_line",
    "is_space",
    "last_non_space",
    "lexicon",
    "lexicon_pairs",
    "lines_are_paragraphs",
    "paragraph_index",
    "paragraph_offsets",
    "paragraph_starts",
    "paragraphs",
    "sentence_at",
    "sentences",
]


def _lexicon_text(name: str) -> str:
    """The text of ``quoteattr/lexicons/NAME.txt``, a resource of the package.

    A package imported from a directory (by a file loader) has its resources in that
    directory, where ``importlib.resources`` would read them: they are read from there without
    importing it (and the zip support it brings). Any other package is left to it.
    """
    package = sys.modules["quoteattr"]
    spec = package.__spec__
    where = package.__file__
    if spec is not None and where and isinstance(spec.loader, _FILE_LOADERS):
        with open(os.path.join(os.path.dirname(where), "lexicons", f"{name}.txt"),
                  encoding="utf-8") as file:
            return file.read()
    from importlib import resources

    path = resources.files("quoteattr").joinpath("lexicons").joinpath(f"{name}.txt")
    return path.read_text(encoding="utf-8")


_FILE_LOADERS: tuple[type, ...] = (machinery.SourceFileLoader, machinery.SourcelessFileLoader)


@cache
def _lexicon_lines(name: str) -> tuple[str, ...]:
    lines = []
    for raw in _lexicon_text(name).splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            lines.append(line)
    return tuple(lines)


def lexicon(name: str) -> frozenset[str]:
    """The entries of the data file ``quoteattr/lexicons/NAME.txt``, lower-cased.

    One entry a line; ``#`` starts a comment; blank lines are skipped.
    """
    return _lexicon_set(name)


@cache
def _lexicon_set(name: str) -> frozenset[str]:
    return frozenset(line.lower() for line in _lexicon_lines(name))


def lexicon_pairs(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of a whitespace-separated, column-structured lexicon, as tuples, in order."""
    return tuple(tuple(line.split()) for line in _lexicon_lines(name))


# --------------------------------------------------------------------------------------------
# fast twins of ``regex`` patterns for the standard ``re`` module

#: a character outside the Basic Multilingual Plane
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


def beyond_bmp(text: str) -> bool:
    """Whether ``text`` holds a character outside the Basic Multilingual Plane."""
    # (an ASCII text, as two in five news articles are, is told at once without a search)
    return not text.isascii() and _ASTRAL.search(text) is not None


@cache
def _bmp() -> str:
    """Every code point of the BMP, surrogates included, each at its own offset."""
    # made as UTF-32 bytes, the low byte of each code point cycling fastest: ten times faster
    # than joining 65,536 chr() calls
    units = bytearray(4 * 0x10000)
    units[0::4] = bytes(range(256)) * 256
    units[1::4] = b"".join(bytes((high,)) * 256 for high in range(256))
    return units.decode("utf-32-le", "surrogatepass")


#: characters that a class body must escape: the class's own syntax, and the doubled
#: characters for which ``re`` warns of set operations to come
_CLASS_SPECIAL: Final = frozenset("\\[]^-&~|")


def _class_char(code: int) -> str:
    char = chr(code)
    return "\\" + char if char in _CLASS_SPECIAL else char


@cache
def bmp_class(item: str) -> str:
    r"""The body of an ``re`` character class for what one ``regex`` class item matches in the
    Basic Multilingual Plane: ``bmp_class(r"\p{Lu}")`` → ``"A-ZÀ-ÖØ-Þ…"``.

    The ``re`` module runs simple patterns about twice as fast as ``regex``, but knows no
    Unicode properties; a twin pattern spelled with these classes matches exactly what the
    ``regex`` pattern does in any text that :func:`beyond_bmp` finds nothing in (the classes
    come from the ``regex`` module itself, so both agree on the Unicode version).

    The ranges are spelled with the characters themselves (``\``, ``[``, ``]``, ``^``, ``-``,
    ``&``, ``~`` and ``|`` backslash-escaped), not ``\uXXXX`` escapes: ``re`` compiles them to
    the same code, but parses a class of thousands of ranges about three times faster.
    """
    # _bmp() holds every code point at its own offset: each run of matches is a range
    ranges = (m.span() for m in regex.finditer("[" + item + "]+", _bmp()))
    return "".join(
        _class_char(a) if a == b - 1 else f"{_class_char(a)}-{_class_char(b - 1)}"
        for a, b in ranges
    )


def bmp_flags(items: list[tuple[str, int]]) -> bytes:
    r"""A table of 65,536 bytes, one for each code point of the Basic Multilingual Plane: the
    OR of the flags of the ``regex`` class items it matches.

    ``bmp_flags([(r"\p{L}", 1), (r"\s", 2)])[ord("a")]`` is ``1``. Each flag is a power of two
    below 256; the classes come from the ``regex`` module itself, as :func:`bmp_class`'s do.
    """
    mask = 0
    for item, flag in items:
        if flag not in (1, 2, 4, 8, 16, 32, 64, 128):
            raise ValueError(f"a flag is one bit of a byte, not {flag!r}")
        spread = bytearray(0x10000)
        for m in regex.finditer("[" + item + "]+", _bmp()):
            a, b = m.span()
            spread[a:b] = bytes((flag,)) * (b - a)
        # the flags are distinct bits, so OR-ing the tables as numbers ORs each byte
        mask |= int.from_bytes(spread, "little")
    return mask.to_bytes(0x10000, "little")


# --------------------------------------------------------------------------------------------
# searching sorted offsets


def bisect_right_int(a: list[int], x: int, lo: int = 0) -> int:
    """``bisect.bisect_right(a, x, lo)`` for a list of ints: as a loop that the compiled build
    runs on machine integers, where ``bisect`` compares Python objects (several times slower
    there); the pure-Python build calls ``bisect`` itself (see :data:`NATIVE`)."""
    if not NATIVE:
        return bisect.bisect_right(a, x, lo)
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def bisect_left_int(a: list[int], x: int, lo: int = 0) -> int:
    """``bisect.bisect_left(a, x, lo)`` for a list of ints, as :func:`bisect_right_int`."""
    if not NATIVE:
        return bisect.bisect_left(a, x, lo)
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


#: whether this module runs compiled: :func:`bisect_right_int` and :func:`bisect_left_int`
#: then search with their own loops, and otherwise call ``bisect`` (a test holds them equal)
NATIVE: Final = not isinstance(bisect_right_int, types.FunctionType)


# --------------------------------------------------------------------------------------------
# paragraphs

PARAGRAPHS: Final[StashKey[list[Span]]] = StashKey("paragraphs")
SENTENCES: Final[StashKey[list[Span]]] = StashKey("sentences")
_PARA_STARTS: Final[StashKey[list[int]]] = StashKey("paragraph starts")
PARAGRAPH_STARTS: Final[StashKey[dict[int, int]]] = StashKey(
    "paragraph index by the paragraph's start"
)
_SENT_STARTS: Final[StashKey[list[int]]] = StashKey("sentence starts")

# a blank line: a line break, any horizontal space, another line break (or U+2029); "\r\n" is
# one break (atomic groups: the "\r" and "\n" of one break are never read as two)
_BLANK_LINE: Final = regex.compile(
    r"(?>\r\n|\r|\n|\u2028)[^\S\r\n\u2028\u2029]*(?>\r\n|\r|\n|\u2028)|\u2029"
)
#: the characters that break a line (used when the text has no blank lines: one line, one
#: paragraph), "\r\n" being one break: what ``str.splitlines()`` breaks lines at
_LINE_BREAKS: Final = frozenset("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")


def _split(doc: Document, breaks: regex.Pattern[str]) -> list[Span]:
    text, pos = doc.text, 0
    spans: list[Span] = []
    for m in breaks.finditer(text):
        _add_trimmed(doc, pos, m.start(), spans)
        pos = m.end()
    _add_trimmed(doc, pos, len(text), spans)
    return spans


def _add_trimmed(doc: Document, start: int, end: int, out: list[Span]) -> None:
    text = doc.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(span_of(doc, start, end))


def paragraphs(doc: Document) -> list[Span]:
    """The document's paragraphs, trimmed of surrounding white space, in order.

    Paragraphs are separated by blank lines when the text has any (hard-wrapped prose, such as
    Project Gutenberg books); otherwise each line is a paragraph (most news feeds), unless the
    lines are sentences (NLP corpora): then paragraphs are rebuilt from them, see
    :func:`_sentence_paragraphs`.
    """
    return doc.stash.setdefault(PARAGRAPHS, _build_paragraphs, doc)


def _build_paragraphs(doc: Document) -> list[Span]:
    if not lines_are_paragraphs(doc):
        bounds = _line_bounds(doc.text)
        if _hard_wrapped(bounds):
            return _split(doc, _BLANK_LINE)
        # blank lines between some paragraphs, but lines too long to be wrapped: every
        # line break ends a paragraph (a headline over its article, a dateline)
        out: list[Span] = []
        for start, end in bounds:
            _add_trimmed(doc, start, end, out)
        return out
    lines: list[Span] = []
    for start, end in _line_bounds(doc.text):
        _add_trimmed(doc, start, end, lines)
    carried, closed, reopened = _carried_lines(lines)
    if _sentence_lines(closed, reopened):
        return _sentence_paragraphs(doc, lines, carried)
    return lines


#: a line longer than this was not wrapped by hand (prose is wrapped at 60 to 80 characters)
_WRAP_WIDTH: Final = 100
#: the share of a text's lines that may run longer than _WRAP_WIDTH in a hard-wrapped text
#: (a long address, a table row): more, and its line breaks end paragraphs
_LONG_LINE_SHARE: Final = 0.1


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """The start and end of each line of ``text``, line breaks (:data:`_LINE_BREAKS`) left
    out, untrimmed; the last line is the text after the last break (empty when the text ends
    with one). Read by ``str.splitlines()``, in C."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        last = line[-1]
        if last not in _LINE_BREAKS:
            bounds.append((start, end))  # the last line, with no break after it
            return bounds
        bounds.append((start, end - (2 if line.endswith("\r\n") else 1)))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _hard_wrapped(bounds: list[tuple[int, int]]) -> bool:
    """Whether line breaks at ``bounds`` (:func:`_line_bounds`) may fall inside a paragraph:
    the lines were wrapped at a fixed width, as Project Gutenberg books and e-mail are, so that
    few run longer than :data:`_WRAP_WIDTH` characters. A text written a paragraph a line
    (news, with or without blank lines between them) has lines of whole paragraphs, most of
    them longer.
    """
    lengths = [end - start for start, end in bounds if end > start]
    return sum(n > _WRAP_WIDTH for n in lengths) <= _LONG_LINE_SHARE * len(lengths)


#: double quotation marks: a straight one opens or closes, curly ones say which
_DOUBLE_OPEN: Final = "\u201c\u00ab\u201e"
_DOUBLE_CLOSE: Final = "\u201d\u00bb"
_DOUBLE_BOTH: Final = '"'
#: how many lines a quotation may run on in a text with a sentence a line
_MAX_QUOTE_LINES: Final = 12


#: a double quotation mark of any kind
_DOUBLE_MARK: Final = regex.compile("[" + _DOUBLE_OPEN + _DOUBLE_CLOSE + _DOUBLE_BOTH + "]")


def _carried_lines(lines: list[Span]) -> tuple[list[bool], int, int]:
    """For each line, whether it goes on with a quotation opened in an earlier line and not
    reopened at its start (a quotation is given up after :data:`_MAX_QUOTE_LINES` lines); and
    how many such quotations closed in a later line, and how many were reopened instead.

    Straight marks alternate; curly ones say whether they open or close. Only the marks of a
    line are read (found in C), not each of its characters.
    """
    out: list[bool] = []
    closed = reopened = 0
    open_, run = False, 0
    for line in lines:
        text = line.text
        reopens = text[:1] in _DOUBLE_OPEN + _DOUBLE_BOTH
        carried = open_ and not reopens
        reopened += open_ and reopens
        out.append(carried)
        state = _state_after(text, carried)
        closed += carried and not state
        open_ = state
        run = run + 1 if open_ else 0
        if run > _MAX_QUOTE_LINES:
            open_, run = False, 0
    return out, closed, reopened


def _state_after(text: str, state: bool) -> bool:
    """Whether a double quotation is open after ``text``, given whether one was before it:
    each straight mark turns the state over, and a curly one sets it (open or closed).

    Only the last curly mark and the straight marks after it decide, found by a search from
    the end for each curly mark and a count of the straight ones (in C), not by reading each
    mark in turn (a line of dialogue has hundreds)."""
    last = max(text.rfind(mark) for mark in _DOUBLE_OPEN + _DOUBLE_CLOSE)
    if last >= 0:
        state = text[last] in _DOUBLE_OPEN
    if text.count(_DOUBLE_BOTH, last + 1) % 2:
        state = not state
    return state


def _state_after_each_mark(text: str, state: bool) -> bool:
    """:func:`_state_after`, mark by mark: the definition (a test holds the two together)."""
    for mark in _DOUBLE_MARK.findall(text):
        state = (not state) if mark == _DOUBLE_BOTH else mark in _DOUBLE_OPEN
    return state


def _sentence_lines(closed: int, reopened: int) -> bool:
    """Whether a text without blank lines keeps a sentence a line, not a paragraph a line.

    NLP corpora (LitBank, CoNLL-style tokenised text) split prose into sentences, one a line,
    so a quotation of several sentences runs over lines without reopening, and closes in a
    later line. News feeds with a paragraph a line reopen a quotation that goes on in the next
    paragraph. Two quotations carried over lines and closed there, more than are reopened, tell
    the first kind; a stray mark (an inch sign, an unclosed quotation) that leaves a quotation
    open over the lines after it does not, as nothing closes it (or one other stray mark does).
    ``closed`` and ``reopened`` are the counts :func:`_carried_lines` gives.
    """
    return closed >= 2 and closed > reopened


def _sentence_paragraphs(doc: Document, lines: list[Span], carried: list[bool]) -> list[Span]:
    """Paragraphs rebuilt from a text with a sentence a line, after the conventions of
    fiction: a line that opens a quotation starts a paragraph (each speaker's turn has its
    own); a line that goes on with an open quotation, or starts in lower case (“…?” said Ann.
    split after the question mark), belongs to the paragraph before; a narration line after a
    quotation starts a paragraph, and narration lines after it join it. ``carried`` says for
    each line whether it goes on with a quotation (:func:`_carried_lines`).
    """
    if not lines:
        return lines
    out: list[Span] = []
    start, end = lines[0].start, lines[0].end
    quoted = _has_double_mark(lines[0].text)  # whether the paragraph so far holds a quote
    for line, goes_on in zip(lines[1:], carried[1:], strict=True):
        text = line.text
        first = text[:1]
        joins = goes_on or not (first.isupper() or first in _DOUBLE_OPEN + _DOUBLE_BOTH)
        if not joins and first.isupper() and not quoted:
            joins = True  # narration after narration
        if joins:
            end = line.end
            quoted = quoted or _has_double_mark(text)
            continue
        out.append(span_of(doc, start, end))
        start, end, quoted = line.start, line.end, _has_double_mark(text)
    out.append(span_of(doc, start, end))
    return out


def _has_double_mark(text: str) -> bool:
    return _DOUBLE_MARK.search(text) is not None


_BY_LINE: Final[StashKey[bool]] = StashKey("lines are paragraphs")


def _has_no_blank_line(text: str) -> bool:
    return _BLANK_LINE.search(text) is None


def lines_are_paragraphs(doc: Document) -> bool:
    """Whether the text has no blank line, so that each line is a paragraph (decided once)."""
    return doc.stash.setdefault(_BY_LINE, _has_no_blank_line, doc.text)


def paragraph_starts(doc: Document) -> dict[int, int]:
    """Each paragraph's start offset, with the paragraph's index, in text order (made once):
    ``offset in paragraph_starts(doc)`` tells whether a paragraph opens at ``offset``."""
    found = doc.stash.get(PARAGRAPH_STARTS)
    if found is None:
        found = doc.stash[PARAGRAPH_STARTS] = {p.start: i for i, p in enumerate(paragraphs(doc))}
    return found


def paragraph_offsets(doc: Document) -> list[int]:
    """Each paragraph's start offset, in text order (made once): ``paragraphs(doc)[i].start``
    is ``paragraph_offsets(doc)[i]``."""
    starts = doc.stash.get(_PARA_STARTS)
    if starts is None:  # (not setdefault: this is asked once per quote and turn, and more)
        starts = doc.stash[_PARA_STARTS] = [p.start for p in paragraphs(doc)]
    return starts


def paragraph_index(doc: Document, offset: int) -> int:
    """The index of the paragraph holding ``offset`` (or the last one starting before it)."""
    return max(0, bisect_right_int(paragraph_offsets(doc), offset) - 1)


# --------------------------------------------------------------------------------------------
# sentences

# sentence-final punctuation, closing marks, then white space
_BOUNDARY: Final = regex.compile(
    r"""
    (?<![.!?\u2026])(?P<punct>[.!?\u2026]++)  # the final punctuation, taken whole once
    (?P<close>[\"'\u201d\u2019\u00bb\u203a)\]]*)  # closing quotes or brackets after it
    (?P<space>\s+)                   # white space before the next sentence
    """,
    regex.VERBOSE,
)
# one capital letter and a dot ("J."), or dotted initials ("U.S.", "a.m.")
_SENTENCE_OPENERS: Final = "\"'\u201c\u2018\u00ab(["
_INITIALS: Final = regex.compile(r"^(?:\p{L}\.)+$")


_ABBREVIATIONS: Final = lexicon("abbreviations")


def _is_abbreviation(word: str) -> bool:
    bare = word.lstrip("(\"'\u201c\u2018[")
    # (initials are a letter and a stop, again and again: a word whose second character is no
    # stop is none, and needs no match, as most words before a stop are)
    return bare.lower() in _ABBREVIATIONS or (
        bare[1:2] == "." and _INITIALS.match(bare) is not None
    )


_WORD_REACH: Final = 64  # characters read back at a time for the word before a stop


def _word_before(text: str, start: int, end: int) -> str:
    """The word that ends at ``end``: what follows the last white space in ``text[start:end]``.

    Read back a stretch at a time, each stretch once, so that neither a sentence whose stops
    are all abbreviations ("Mr. Mr. Mr. …") nor one long word is copied once per stop.
    """
    hi = end
    while hi > start:
        lo = max(start, hi - _WORD_REACH)
        # what follows the stretch's last white space (str.split() splits at exactly what
        # str.isspace() accepts; the "x" keeps white space at the stretch's end from being
        # dropped): the whole stretch and its "x" when it holds none
        after = (text[lo:hi] + "x").rsplit(None, 1)[-1]
        if len(after) <= hi - lo:
            return text[hi - len(after) + 1 : end]
        hi = lo
    return text[start:end]


def _boundaries_by_pattern(text: str) -> list[int]:
    """The sentence boundaries of ``text`` as :data:`_BOUNDARY` finds them, four ints each:
    where its punctuation starts, where its closing marks start, where its white space starts,
    and where it ends (``m.start(1), m.start(2), m.start(3), m.end()``), in text order.

    This is the definition, and what the pure-Python build runs; the compiled build finds the
    same in C (``boundaries()`` in ``quoteattr/_speedups.c``, :func:`_boundaries`).
    """
    out: list[int] = []
    for m in _BOUNDARY.finditer(text):
        out += (m.start(1), m.start(2), m.start(3), m.end())
    return out


def c_function(name: str) -> Any:
    """The function ``name`` of the compiled build's C module (``quoteattr/_speedups.c``), or
    ``None`` in the pure-Python build, which has none: each has a definition in Python that
    the pure build runs instead."""
    try:
        from quoteattr import _speedups
    except ImportError:
        return None
    return getattr(_speedups, name)


_C_BOUNDARIES: Final[Callable[[str, bytes], list[int]] | None] = c_function("boundaries")


def _boundaries(text: str) -> list[int]:
    """:func:`_boundaries_by_pattern`, by the C scan where it is built (a regular-expression
    search from each final punctuation mark, and a match object for each boundary, cost about
    a tenth of the time of splitting sentences)."""
    if _C_BOUNDARIES is not None:
        return _C_BOUNDARIES(text, char_classes())
    return _boundaries_by_pattern(text)


@cache
def char_classes() -> bytes:
    """The table of the C module's character classes (``quoteattr/_speedups.c``), each BMP
    code point's flags: a letter 1, a capital 2, a mark 4, a number 8, white space 16, as the
    ``regex`` module's own classes say."""
    return bmp_flags(
        [(r"\p{L}", 1), (r"\p{Lu}", 2), (r"\p{M}", 4), (r"\p{N}", 8), (r"\s", 16)]
    )


#: the class table, read once (the compiled build tests code points against it in loops)
_SPACE_TABLE: Final = char_classes()


def last_non_space(text: str, lo: int, end: int) -> int:
    """The index of the last character of ``text[lo:end]`` that is not white space, or
    ``lo - 1``: ``text[lo:end].rstrip()`` is ``text[lo:i + 1]``."""
    i = end - 1
    while i >= lo and is_space(ord(text[i])):
        i -= 1
    return i


def is_space(code: int) -> bool:
    """``chr(code).isspace()``, without making the string or calling the method: ASCII by hand
    (``\\x1c`` to ``\\x1f`` are white space to ``str``, not to ``regex``), the rest of the BMP
    by the class table (:func:`char_classes`, whose white space is ``str``'s there)."""
    if code < 128:
        return code == 32 or 9 <= code <= 13 or 28 <= code <= 31
    if code < 0x10000:
        return (_SPACE_TABLE[code] & 16) != 0
    return chr(code).isspace()


def _split_sentences(doc: Document) -> list[Span]:
    text = doc.text
    out: list[Span] = []
    # One scan of the whole text, its boundaries dealt out to the paragraphs, finds what a
    # scan of each paragraph on its own finds: paragraphs are separated by line breaks, which
    # no boundary crosses but with its trailing white space, and a boundary whose white space
    # reaches the end of its paragraph ends no sentence either way (one scan a paragraph made
    # a text of one-line paragraphs, dialogue, cost a scan a line).
    bounds = _boundaries(text)  # punctuation, marks, white space, end: four ints a boundary
    k = 0
    count = len(bounds)
    for para in paragraphs(doc):
        start = para.start
        while k < count and bounds[k] < para.start:
            k += 4  # the rest of the paragraph before, read no further
        while k < count and bounds[k] < para.end:
            punct, close, space, nxt = bounds[k], bounds[k + 1], bounds[k + 2], bounds[k + 3]
            k += 4
            if nxt >= para.end:
                break
            follower = text[nxt]
            if not (follower.isupper() or follower.isdigit() or follower in _SENTENCE_OPENERS):
                continue
            # a full stop after a known abbreviation ends no sentence (one full stop, no mark)
            if close == punct + 1 and space == close and text[punct] == "." and (
                _is_abbreviation(_word_before(text, start, punct + 1))
            ):
                continue
            if start == para.start:
                _add_trimmed(doc, start, space, out)
            else:
                # a sentence after a boundary starts at its follower (a capital, a digit or an
                # opening mark), ends at punctuation or a closing mark, and holds that mark:
                # nothing to trim (the paragraph's own ends are trimmed as ever)
                out.append(span_of(doc, start, space))
            start = nxt
        _add_trimmed(doc, start, para.end, out)
    return out


def sentences(doc: Document) -> list[Span]:
    """The document's sentences, never crossing a paragraph boundary, in order."""
    return doc.stash.setdefault(SENTENCES, _split_sentences, doc)


def _starts(spans: list[Span]) -> list[int]:
    return [span.start for span in spans]


def sentence_at(doc: Document, offset: int) -> Span | None:
    """The sentence that holds ``offset``, or ``None`` between sentences."""
    sents = sentences(doc)
    starts = doc.stash.setdefault(_SENT_STARTS, _starts, sents)
    i = bisect_right_int(starts, offset) - 1
    if i >= 0 and sents[i].start <= offset < sents[i].end:
        return sents[i]
    return None


# --------------------------------------------------------------------------------------------
# showing untrusted text to people

_BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
)


def inert_line(text: str) -> str:
    """One line of inert text: white-space runs collapsed, control characters escaped.

    Input text is untrusted, and a terminal acts on escape sequences and bidi controls, so
    those are shown as ``\\x1b``-style escapes instead of being passed through.
    """
    out: list[str] = []
    for char in " ".join(text.split()):
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)
