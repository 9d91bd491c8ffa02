"""Built-in plugin ``quotes``: direct quotations marked by quotation marks.

One left-to-right pass over the marks of each paragraph with a stack of open marks:

- the pairs come from the data file ``lexicons/quote_marks.txt``; a mark that is its own pair
  (``"``, ``'``) opens when white space stands before it and closes when white space follows;
- a single mark between letters or before an elision (``Putin’s``, ``you're``, ``'90s``,
  ``rock 'n' roll``, ``the Smiths' house``) is an apostrophe and opens nothing;
- a quote never crosses a paragraph boundary, except in the news and fiction convention where
  an unclosed quote's next paragraph reopens it: then the quote runs on to the mark that
  finally closes it. An unclosed mark otherwise opens nothing, so a stray mark never swallows
  the rest of the document;
- quotations nested in a quotation are part of it.

The pass is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Final

import regex

from quoteattr import trusted
from quoteattr.default.grammar import cue_finditer, cue_search
from quoteattr.model import Document, Quote
from quoteattr.text import (
    NATIVE,
    beyond_bmp,
    bmp_class,
    c_function,
    char_classes,
    last_non_space,
    lexicon,
    lexicon_pairs,
    lines_are_paragraphs,
    paragraph_index,
    paragraph_starts,
    paragraphs,
)
from quoteattr.trusted import span_of

__all__ = ["find_quote_spans", "quoteattr_detect_quotes"]

RULE: Final = "quote-marks"

_PAIRS: Final = lexicon_pairs("quote_marks")
#: closers that each opener accepts
_CLOSERS_OF: Final[dict[str, frozenset[str]]] = {}
for _pair in _PAIRS:
    _CLOSERS_OF[_pair[0]] = _CLOSERS_OF.get(_pair[0], frozenset()) | {_pair[1]}
_OPENERS: Final = frozenset(_CLOSERS_OF)
_CLOSERS: Final = frozenset(c for cs in _CLOSERS_OF.values() for c in cs)
_SINGLE: Final = frozenset("'\u2018\u2019\u201a\u2039\u203a")
_MARKS: Final = sorted(_OPENERS | _CLOSERS, key=lambda mark: (-len(mark), mark))
# the two-character marks ('' and ``) first, then every single mark; literal characters only,
# which the ``re`` module finds faster than ``regex`` (no character class or property here)
_MARK_RE: Final = re.compile("|".join(re.escape(mark) for mark in _MARKS))
#: the same marks, captured: a split by it gives the text between marks and each mark, which
#: costs a fraction of a match object for each mark (a text of dialogue has one every few
#: words), and the offsets follow from the lengths
_MARK_SPLIT: Final = re.compile("(" + _MARK_RE.pattern + ")")
_WORD_AFTER: Final = regex.compile(r"\p{L}+")
_OPEN_CONTEXT: Final = frozenset("([{\u2014\u2013-/")
_ELISIONS: Final = lexicon("elisions")
#: what a contraction adds to a word ("’ll", "’ve"): after a space, in tokenized text
_CONTRACTION_TAILS: Final = frozenset({"ll", "ve", "re", "d", "m"})

# words (letters) in a quote: short quotes may be scare quotes or titles, not speech
_WORDS: Final = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")


#: ``words(text, start, end, classes)``: the words that :data:`_WORDS` finds in a stretch within
#: the BMP, in C (``quoteattr/_speedups.c``); ``None`` in the pure-Python build
_C_WORDS: Final[Callable[[str, int, int, bytes], list[str] | None] | None] = c_function("words")
_CLASSES: Final = char_classes()  # (the C scans' table)


def _words_in(text: str, start: int, end: int) -> list[str]:
    """``_WORDS.findall(text, start, end)`` for a text within the BMP: by the C scan where it
    is built, else by the ``re`` twin of the pattern."""
    found: list[str] | None = None
    if _C_WORDS is not None:
        found = _C_WORDS(text, start, end, _CLASSES)
    if found is None:
        found = _fast_words().findall(text, start, end)
    return found


@cache
def _fast_words() -> re.Pattern[str]:
    """:data:`_WORDS` for the ``re`` module, in text within the BMP: a call to ``re`` costs a
    fraction of one to ``regex``, and a text of dialogue has a quotation every few words."""
    letter, mark = bmp_class(r"\p{L}"), bmp_class(r"\p{M}")
    return re.compile(f"[{letter}][{letter}{mark}'’\\-]*")


_SHORT_QUOTE_WORDS: Final = 4
#: deeper nesting than this is noise; bounding it keeps the pass linear
_MAX_DEPTH: Final = 32
#: how many line breaks an unclosed quotation may cross in a text kept one sentence a line
_MAX_LINES_CARRIED: Final = 12


def _is_apostrophe(text: str, i: int, lo: int, hi: int, single_open: bool) -> bool:
    """Whether the single mark at ``i`` is an apostrophe rather than a quotation mark."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isalnum() and nxt.isalnum():  # Putin’s, you're, rock'n'roll
        return True
    if ch in "\u2018\u2019'":
        if nxt.isdigit() and not prev.isalnum():  # '90s
            return True
        if not prev.isalnum():
            word = _WORD_AFTER.match(text, i + 1, hi)
            if word is not None and ch != "\u2018" and prev.isspace() and (
                word.group().lower() in _CONTRACTION_TAILS
            ):
                return True  # "I ’ll", "we 've": a contraction in text tokenized with spaces
            if word is not None and word.group().lower() in _ELISIONS:
                end = word.end()
                after = text[end] if end < hi else " "
                # 'n' in rock 'n' roll closes itself; 'em, 'tis, 'cause are followed by a break
                if after in "'\u2019" or not after.isalnum():
                    # (a right mark after a space is no closing one: "it ’s" in text
                    # tokenized with spaces)
                    return ch == "\u2019" or not (
                        word.group().lower() in ("s", "e") and after.isspace()
                    )
        if prev.isalnum() and not single_open and ch in "\u2019'":  # the Smiths' house
            return True
    return False


def _opens_closes(text: str, i: int, e: int, lo: int, hi: int) -> tuple[bool, bool]:
    """Whether the mark at ``[i, e)`` looks opening, and whether it looks closing.

    Opening: white space, an opening bracket or dash, or another opening mark before it, and no
    white space after. Closing: no white space before it, and white space or punctuation after.
    """
    prev = text[i - 1] if i > lo else " "
    nxt = text[e] if e < hi else " "
    prev_space = prev.isspace()
    nxt_space = nxt.isspace()
    opening = (prev_space or prev in _OPEN_CONTEXT or prev in _OPENERS) and not nxt_space
    closing = not prev_space and (nxt_space or not nxt.isalnum())
    return opening, closing


#: marks that both open and close a quotation of their own kind: " and '
_SYMMETRIC: Final = frozenset(ch for ch in _OPENERS if ch in _CLOSERS_OF.get(ch, ()))
#: what each mark is, read with one look-up: a single mark, its own pair, an opener
_IS_SINGLE: Final = 1
_IS_SYMMETRIC: Final = 2
_IS_OPENER: Final = 4
_MARK_KINDS: Final = {
    mark: (_IS_SINGLE if mark in _SINGLE else 0) | (_IS_SYMMETRIC if mark in _SYMMETRIC else 0)
    | (_IS_OPENER if mark in _OPENERS else 0)
    for mark in _MARKS
}


def find_quote_spans(doc: Document) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every top-level quotation, marks included, in text order."""
    text = doc.text
    paras = paragraphs(doc)
    # lines, not paragraphs: a text with one sentence a line, as NLP corpora keep it
    by_line = len(paras) > 1 and lines_are_paragraphs(doc)
    carried: tuple[str, int] | None = None  # an unclosed opener carried into this paragraph
    run_on = False  # carried because the next paragraph reopens it (news style)
    lines_carried = 0
    for n, para in enumerate(paras):
        lo, hi = para.start, para.end
        stack: list[tuple[str, int]] = []
        skip_reopener = False
        loose = False  # the stack bottom was carried over a line break, not reopened
        if carried is not None:
            stack.append(carried)
            skip_reopener = run_on
            loose = not run_on
            carried = None
        pieces = _MARK_SPLIT.split(text[lo:hi])  # between, mark, between, …, between
        e = lo
        for m in range(1, len(pieces), 2):  # each mark: as _MARK_RE.finditer(text, lo, hi)
            i = e + len(pieces[m - 1])
            ch = pieces[m]
            e = i + len(ch)
            kinds = _MARK_KINDS[ch]
            if skip_reopener:
                skip_reopener = False
                if i == lo and ch == stack[0][0]:
                    continue
            if kinds & _IS_SINGLE and (
                # between letters or digits ("Putin’s", "you're"): an apostrophe, decided here
                # as _is_apostrophe() would, without the call (most single marks are these)
                (i > lo and e < hi and text[i - 1].isalnum() and text[e].isalnum())
                or _is_apostrophe(
                    text, i, lo, hi, any(o in _SINGLE for o, _ in stack)  # a single quote is open
                )
            ):
                continue
            k = len(stack) - 1  # the innermost open quotation this mark closes, if any
            while k >= 0 and ch not in _CLOSERS_OF.get(stack[k][0], ()):
                k -= 1
            symmetric = kinds & _IS_SYMMETRIC
            if k >= 0:
                opener = stack[k][0]
                reopen = False
                if kinds & _IS_OPENER and (symmetric or opener == ch):
                    opening, closing = _opens_closes(text, i, e, lo, hi)
                    reopen = opening and not closing
                if reopen:
                    # an earlier mark of this kind was never closed: it was stray
                    del stack[k:]
                    stack.append((ch, i))
                    continue
                start = stack[k][1]
                if k == len(stack) - 1:
                    stack.pop()  # (the innermost, as most marks close)
                else:
                    del stack[k:]
                if not stack:
                    yield start, e
                continue
            if kinds & _IS_OPENER and len(stack) < _MAX_DEPTH:
                if symmetric:
                    opening, closing = _opens_closes(text, i, e, lo, hi)
                    if closing and not opening:
                        continue  # a closing-looking mark with nothing to close: stray
                if loose and stack and ch not in _SINGLE and stack[0][0] not in _SINGLE:
                    del stack[:]  # a new quotation: the one carried over was never closed
                loose = False
                stack.append((ch, i))
        if not stack or n + 1 >= len(paras):
            lines_carried = 0
            continue
        bottom = stack[0]
        nxt = paras[n + 1]
        after = bottom[1] + len(bottom[0])
        opens = after < hi and not text[after].isspace()  # "“ " with a space is stray
        if opens and text.startswith(bottom[0], nxt.start):
            carried, run_on = bottom, True  # the next paragraph reopens the quote: it runs on
            lines_carried = 0
        elif by_line and lines_carried < _MAX_LINES_CARRIED and bottom[0] not in _SINGLE:
            # a sentence a line: the quotation goes on in the next line, if it closes soon
            carried, run_on = bottom, False
            lines_carried += 1
        else:
            lines_carried = 0


_NAMING: Final = regex.compile(
    r"(?<![\p{L}\-])\L<naming>\s*[,:]?\s*$",
    naming=sorted(lexicon("naming"), key=len, reverse=True),
    flags=regex.IGNORECASE,
)
_NAMING_REACH: Final = 24  # characters before the opening mark where a naming word may stand


#: the last word of each naming phrase, case-folded: a window that does not end with one of
#: them (once white space and a comma or colon are stripped) cannot end with a naming phrase
_NAMING_LAST_WORDS: Final = tuple(sorted({w.split()[-1].casefold() for w in lexicon("naming")}))


def _is_named(text: str, start: int) -> bool:
    """Whether the quotation at ``start`` follows a naming word: "a film titled “…”"."""
    lo = max(0, start - _NAMING_REACH)
    # The pattern needs the stretch to end with a naming phrase, then white space, a comma or
    # colon, white space. Most quotations follow no such word, and the pattern (a named list
    # ignoring case, tried at each of the stretch's characters) is slow to say so: this test,
    # which every match passes (white space is what ``\s`` matches, ``str.isspace()``, and
    # full case folding maps each character that matches a letter of a phrase, ignoring case,
    # to that letter), turns them away first. The stretch without the white space, comma or
    # colon and white space at its end is ``text[lo:i + 1]``.
    i = last_non_space(text, lo, start)
    if i >= lo and text[i] in ",:":
        i = last_non_space(text, lo, i)
    # (a naming word ends with a letter, and only a letter case-folds to one: a quotation
    # after a quotation, a stop or a dash is turned away without case-folding anything)
    if i < lo or not text[i].isalpha() or not text[lo : i + 1].casefold().endswith(
        _NAMING_LAST_WORDS
    ):
        return False
    return _NAMING.search(text, lo, start) is not None


#: words a title leaves in lower case: "Fox and Friends", "Coal Isn't the Villain"
_TITLE_SMALL_WORDS: Final = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by",
    "with", "from", "as", "is", "vs",
})
_TITLE_MAX_WORDS: Final = 8
_OWNER_OR_PREPOSITION: Final = regex.compile(
    r"(?:\b(?:of|on|in|at|for|from|about|to)|[\p{L}\p{N}]['’]s|\p{L}s['’])\s*$",
    flags=regex.IGNORECASE,
)


def _after_of_or_owner(text: str, start: int) -> bool:
    """Whether a quotation follows a preposition or a possessive: "an episode of “…”"."""
    return _OWNER_OR_PREPOSITION.search(text, max(0, start - 12), start) is not None


_INTERRUPTION_CHARS: Final = 120  # at most this much narration between the two halves of a quote
#: how the narration between the halves ends: a comma, a stop, or a dash ("said he;--“…”")
_GAP_END: Final = regex.compile(r"(?:[,.:;]|--|[\u2014\u2013])\s*$")
_ENDS_OPEN: Final = frozenset(",?!\u2014\u2013-\u2026.")
_CLOSING: Final = "\"”’'»›」』"
#: what is stripped from the end of the first half of a quotation to read its last character
_INNER_STRIP: Final = _CLOSING + " "


def _gap_ends(gap: str) -> bool:
    """``_GAP_END.search(gap) is not None``: the narration ends in punctuation and white space
    (read back from its end in the compiled build, by :func:`_gap_ends_by_table`)."""
    if not NATIVE:
        return _GAP_END.search(gap) is not None
    return _gap_ends_by_table(gap, _CLASSES)


def _gap_ends_by_table(gap: str, classes: bytes) -> bool:
    """:func:`_gap_ends`, read back from the end of ``gap`` with the class table, whose white
    space is the pattern's (``regex``'s own class; no character beyond the BMP is one), instead
    of the pattern tried at each place."""
    i = len(gap) - 1
    while i >= 0:
        code = ord(gap[i])
        if code >= 0x10000 or not classes[code] & 16:
            break
        i -= 1
    if i < 0:
        return False
    last = gap[i]
    return last in ",.:;\u2014\u2013" or (last == "-" and i > 0 and gap[i - 1] == "-")


def _interrupted(doc: Document, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two quotations are one speech interrupted by its cue: “A,” she said, “B.”

    Both halves stand in one paragraph, and the narration between them is short, holds a cue
    and ends in punctuation.
    """
    text = doc.text
    gap = text[first[1] : second[0]]
    if gap == "" or gap.isspace():  # (not gap.strip())
        return False
    if len(gap) > _INTERRUPTION_CHARS and len(gap) - gap.count("\r\n") > _INTERRUPTION_CHARS:
        return False  # ("\r\n" is one line break: a text with Windows line ends reads the same)
    if paragraph_index(doc, first[0]) != paragraph_index(doc, second[0]):
        return False
    i = first[1] - 1  # the last character inside the first half: its rstrip(_INNER_STRIP)
    while i >= first[0] and text[i] in _INNER_STRIP:
        i -= 1
    if i < first[0] or text[i] not in _ENDS_OPEN or not _gap_ends(gap):
        return False
    cue = cue_search(gap)
    return cue is not None and cue.group().islower()


_SENTENCE_END: Final = frozenset(".!?\u2026")


def _own_sentence(text: str, start: int, end: int, first_word: str) -> bool:
    """Whether the quotation ``text[start:end]`` is a sentence standing on its own: it follows
    the end of a sentence, opens with a capital and ends with its own stop ("He turned. “Go
    home.”"). A scare quote or a title stands inside a sentence ("a “disaster.”").
    """
    if not first_word[0].isupper():
        return False
    inner = text[start:end].rstrip(_CLOSING)
    if not inner or inner[-1] not in _SENTENCE_END:
        return False
    before = text[max(0, start - 8) : start].rstrip()
    if before[-1:] in _CLOSING:
        before = before[:-1]
    return before[-1:] in _SENTENCE_END


#: how far before a quotation its cue may stand: "said, with a grave air, “…”"
_CUE_REACH: Final = 48
#: what may not stand between a cue and its quotation: a stop or a quotation mark
_NOT_IN_CUE_GAP: Final = regex.compile(r"[.!?;\"“”«»„]")


def _after_cue(text: str, start: int) -> bool:
    """Whether a speech cue in lower case introduces the quotation at ``start``: "again said,
    “What do you mean?”", "said, with a grave air, “I'll do it!”"."""
    lo = max(0, start - _CUE_REACH)
    i = last_non_space(text, lo, start)
    if i < lo or text[i] not in ",:":
        return False  # (most quotations: no comma or colon right before the mark)
    for cue in cue_finditer(text, lo, start):
        # a comma or colon right before the mark, and no stop or mark since the cue
        if cue.group().islower() and text[cue.end() : start].rstrip()[-1:] in (",", ":") and (
            _NOT_IN_CUE_GAP.search(text, cue.end(), start) is None
        ):
            return True
    return False


def quoteattr_detect_quotes(doc: Document) -> list[Quote]:
    """Every top-level quotation in ``doc``, with its marks, bar names and titles.

    A quotation interrupted by its own cue ("“A,” she said, “B.”") is one speech event: one
    quote whose ``fragments`` are its two halves.
    """
    text = doc.text
    bmp = not beyond_bmp(text)
    spans = [(s, e) for s, e in find_quote_spans(doc) if not _is_named(text, s)]
    para_starts = paragraph_starts(doc)
    quotes: list[Quote] = []
    k = 0
    while k < len(spans):
        start, end = spans[k]
        if k + 1 < len(spans) and _interrupted(doc, spans[k], spans[k + 1]):
            nxt = spans[k + 1]
            halves = (span_of(doc, start, end), span_of(doc, *nxt))
            quotes.append(
                trusted.quote(span_of(doc, start, nxt[1]), "direct", halves, None, None,
                              RULE + "-split", False)
            )
            k += 2
            continue
        k += 1
        words = _words_in(text, start, end) if bmp else _WORDS.findall(text, start, end)
        if not words:
            continue  # marks around nothing that reads: “” or “…”
        span = span_of(doc, start, end)
        title_like = len(words) > 1 and words[0][0].isupper() and all(
            w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words
        )
        if title_like and len(words) <= _TITLE_MAX_WORDS and _after_of_or_owner(text, start):
            continue  # "the broadcast of “Fox and Friends”", "told Channel 4’s “Morning Show”"
        # a short quotation may be a scare quote or a title, unless it opens its paragraph as a
        # turn of dialogue does ("“Why?”"), or is a sentence of its own ("She turned. “Go.”")
        turn = start in para_starts or _own_sentence(text, start, end, words[0]) or (
            len(words) <= _SHORT_QUOTE_WORDS and _after_cue(text, start)
        )
        needs_speaker = (len(words) <= _SHORT_QUOTE_WORDS and not turn) or title_like
        quotes.append(trusted.quote(span, "direct", (), None, None, RULE, needs_speaker))
    return quotes
