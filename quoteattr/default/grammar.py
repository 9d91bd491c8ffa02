"""Shallow English grammar shared by the built-in plugins: tokens, cues and noun phrases.

No tagger and no parser: closed-class word lists (``lexicons/function_words.txt``), the cue
lexicon, capitalisation and punctuation are enough to find a reporting verb's subject, split a
subject from its appositive, and strip a title from a name. Every function here works on a
bounded stretch of text (a sentence or less) and is linear in it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import accumulate, islice, repeat
from typing import Any, Final, NamedTuple, TypeVar

import regex

from quoteattr.model import Cue, Document, Mention, Span, StashKey
from quoteattr.text import (
    NATIVE,
    beyond_bmp,
    bisect_left_int,
    bmp_class,
    c_function,
    char_classes,
    lexicon,
    lexicon_pairs,
    sentences,
)
from quoteattr.trusted import cue as _cue
from quoteattr.trusted import mention as _mention
from quoteattr.trusted import span_of

__all__ = [
    "ADVERB",
    "ADVERBIAL_SUBORDINATORS",
    "CONTRACTION_ENDINGS",
    "CUE_RE",
    "CueIndex",
    "CueMatch",
    "Tok",
    "WordIndex",
    "can_speak",
    "capitals_before",
    "class_words",
    "contraction_pronoun",
    "cue_at",
    "cue_finditer",
    "cue_info",
    "cue_regex",
    "cue_search",
    "cue_table",
    "first_name_gender",
    "function_words",
    "given_name_gender",
    "honorific",
    "honorific_words",
    "is_adverb",
    "is_cap",
    "leading_subject",
    "make_cue",
    "np_mention",
    "picked",
    "pronoun",
    "pronoun_forms",
    "role_noun",
    "role_noun_words",
    "sentence_tokens",
    "sentences_with_tokens",
    "singular",
    "source_noun",
    "subject_after",
    "subject_before",
    "tokenize",
    "unstopped",
    "word_class",
]


class Tok(NamedTuple):
    """A token: its text, its start and end offsets in the document, and its lower-case form."""

    text: str
    start: int
    end: int
    lower: str


# Tokens, one alternative a kind; each alternative consumes a fixed separator per repetition,
# so no two ways exist to match the same characters (no catastrophic backtracking).
_TOKEN: Final = regex.compile(
    r"""
    (?:\p{L}\.){2,}                                   # dotted initials: U.S., U.N., a.m.
    | \p{Lu}\.(?=\s+\p{Lu})                            # a middle initial: George W. Bush
    | \p{L}[\p{L}\p{M}\p{N}]*(?:['’\-]\p{L}[\p{L}\p{M}\p{N}]*)*  # words; inner ' ’ - kept
    | \p{N}+(?:[.,:]\p{N}+)*                          # numbers: 3, 3.5, 10,000, 10:30
    | \S                                              # any other character on its own
    """,
    regex.VERBOSE,
)
_ABBREVIATIONS: Final = lexicon("abbreviations")
# the same tokens as the pieces between the white space that separates them: every offset then
# follows from the lengths of the pieces alone, and the per-token work is done in C
_TOKEN_SPLIT: Final = regex.compile(r"(" + _TOKEN.pattern + r")", regex.VERBOSE)
_new_tok: Final = tuple.__new__
_T = TypeVar("_T")
_V = TypeVar("_V")


@cache
def _fast_token_split() -> re.Pattern[str]:
    """:data:`_TOKEN_SPLIT` for the ``re`` module: the same tokens in text within the BMP.

    The three alternatives that start with a letter share that letter, so a word is not
    matched from its first letter three times over: the dotted initials are tried first, then
    the middle initial (the letter just read being a capital), then the rest of a word, in
    :data:`_TOKEN`'s order, which makes the same tokens. The first two share the full stop
    after the letter as well, so a plain word (no stop after its first letter: ``re`` passes
    over a branch whose first literal does not match at once) skips the middle initial's
    look-behind; a word never goes on with a stop, so when neither stop branch matches, the
    word is the letter alone, as before.
    """
    letter, upper, mark, number, space = (
        bmp_class(p) for p in (r"\p{L}", r"\p{Lu}", r"\p{M}", r"\p{N}", r"\s")
    )
    rest = f"[{letter}{mark}{number}]*"
    return re.compile(
        f"([{letter}](?:"
        f"\\.(?:(?:[{letter}]\\.)+"  # dotted initials
        f"|(?<=[{upper}]\\.)(?=[{space}]+[{upper}]))"  # a middle initial
        f"|{rest}(?:['’\\-][{letter}]{rest})*)"  # words
        f"|[{number}]+(?:[.,:][{number}]+)*"  # numbers
        f"|[^{space}])"  # any other character
    )


def _split_tokens(stretch: str, most: int) -> list[str]:
    """``_TOKEN_SPLIT.split(stretch, maxsplit=most)``, by the faster twin where it applies."""
    if beyond_bmp(stretch):
        return list(_TOKEN_SPLIT.split(stretch, maxsplit=most))
    return _fast_token_split().split(stretch, maxsplit=most)


def tokenize(text: str, start: int, end: int, most: int | None = None) -> list[Tok]:
    """The tokens of ``text[start:end]`` with document offsets; the first ``most`` of them.

    A word whose full stop makes a known abbreviation ("Mr.", "Gen.", "Calif.") keeps it.
    """
    if most is not None and most <= 0:
        return _tokenize_most(text, start, end, most)
    if start >= end:
        return []  # (an empty stretch: the sieves ask about the gap before many a quotation)
    whole = _WHOLE[0] if _WHOLE else None
    if whole is not None and whole[0] is text:  # a stretch of the text tokenized last
        toks = _share(whole[1], whole[2], start, end, most)
        if toks is not None:
            return toks
    return _tokens_and_starts(text, start, end, most)[0]


def _tokens_and_starts(
    text: str, start: int, end: int, most: int | None
) -> tuple[list[Tok], list[int]]:
    """:func:`tokenize` done in full, with the list of the tokens' starts beside the tokens.

    The starts are the same offsets as the tokens', so a caller that indexes them
    (:func:`_tokens_within`) need not read them back out of the tokens.
    """
    made = None
    if _C_TOKENS is not None:
        made = _C_TOKENS(text, start, end, most or 0, Tok, char_classes())
    if made is None:  # the pure-Python build, or a character beyond the BMP
        made = _pattern_tokens(text, start, end, most or 0)
    toks, starts, stops = made
    if not toks:
        return toks, starts
    last = toks[-1]
    if stops:
        taken = _keep_abbreviation_stops(toks, stops)
        if taken:
            toks, starts = _without(toks, taken), _without(starts, taken)
    if most is not None and toks[-1] is last and last.end < end and text[last.end] == "." and (
        last.lower + "." in _ABBREVIATIONS
    ):
        # the last of the ``most`` tokens keeps its full stop, though the stop is not counted
        toks[-1] = _new_tok(Tok, (last.text + ".", last.start, last.end + 1, last.lower + "."))
    return toks, starts


def _pattern_tokens(
    text: str, start: int, end: int, most: int
) -> tuple[list[Tok], list[int], list[int]]:
    """The tokens of ``text[start:end]`` as the token pattern cuts them (the first ``most``;
    all for 0), their starts, and the indexes of the tokens that are a full stop alone.

    This is the definition of the tokens, and what the pure-Python build runs; the compiled
    build makes the same three lists in C (``quoteattr/_speedups.c``, :data:`_C_TOKENS`).
    """
    # [space, token, space, token, …, space]; the pattern looks neither behind nor past the
    # stretch it is given, so splitting the slice finds the tokens that scanning in place does
    # (with ``most``, the last piece is the rest of the stretch, unsplit)
    pieces = _split_tokens(text[start:end], most)
    if len(pieces) == 1:
        return [], [], []
    # bounds[2k + 1] and bounds[2k + 2]: the start and end of token k
    bounds = list(accumulate(map(len, pieces), initial=start))
    words = pieces[1::2]
    starts = bounds[1:-1:2]
    # each word lowered on its own (in C, as one join-lower-split of the text would be, but
    # without the copies: about a third cheaper)
    lowers = list(map(str.lower, words))
    toks = list(map(_new_tok, repeat(Tok),
                    zip(words, starts, bounds[2::2], lowers, strict=True)))
    return toks, starts, [k for k, w in enumerate(words) if w == "."] if "." in words else []


def _c_tokens() -> Callable[
    [str, int, int, int, type[Tok], bytes], tuple[list[Tok], list[int], list[int]] | None
] | None:
    """The C tokenizer of the compiled build (``quoteattr/_speedups.c``), or ``None`` in the
    pure-Python build or when ``QUOTEATTR_PURE_TOKENS`` is set (to compare the two)."""
    if os.environ.get("QUOTEATTR_PURE_TOKENS"):
        return None
    return c_function("tokens")  # type: ignore[no-any-return]


#: :func:`_pattern_tokens` in C, taking also the token type and the table of character classes
#: (:func:`quoteattr.text.char_classes`), and
#: giving ``None`` for a stretch with a character beyond the BMP; ``None`` where it is not built
_C_TOKENS: Final = _c_tokens()


def picked(toks: list[Tok], words: frozenset[str], capitals: bool = False) -> list[int]:
    """The indexes of the tokens whose ``lower`` is one of ``words`` or, with ``capitals``,
    whose text starts with a capital (``str.isupper()`` of its first character), in order.

    A rule reads only these among a sentence's tokens; the compiled build picks them in C
    (``picked()`` in ``quoteattr/_speedups.c``), the pure build by :func:`_picked_by_python`.
    """
    if _C_PICKED is not None:
        return _C_PICKED(toks, words, capitals)
    return _picked_by_python(toks, words, capitals)


def _picked_by_python(toks: list[Tok], words: frozenset[str], capitals: bool) -> list[int]:
    """:func:`picked`, defined (a token's text is never empty)."""
    if capitals:
        return [k for k, t in enumerate(toks) if t.text[0].isupper() or t.lower in words]
    return [k for k, t in enumerate(toks) if t.lower in words]


_C_PICKED: Final[Callable[[list[Tok], frozenset[str], bool], list[int]] | None] = c_function(
    "picked"
)


def _keep_abbreviation_stops(toks: list[Tok], stops: list[int]) -> list[int]:
    """Join each known abbreviation with the full stop right after it: "Mr" "." → "Mr.".

    ``stops`` are the indexes of the tokens that are a full stop alone, in order. The joined
    word replaces the word in ``toks``; the indexes of the stops it took, which are tokens no
    longer, are returned (in order).
    """
    found: list[int] = []
    taken = -2  # the index of the stop taken last
    for i in stops:
        # (a stop right after a stop taken follows no word of its own)
        if i == 0 or i == taken + 1:
            continue
        prev = toks[i - 1]
        # the stop touches the word (no space between), and the two make an abbreviation
        if prev.end == toks[i].start and prev.lower + "." in _ABBREVIATIONS:
            toks[i - 1] = _new_tok(Tok, (prev.text + ".", prev.start, prev.end + 1,
                                         prev.lower + "."))
            found.append(i)
            taken = i
    return found


def _without(items: list[_T], drop: list[int]) -> list[_T]:
    """``items`` without the ones at the indexes ``drop`` (in increasing order)."""
    out: list[_T] = []
    last = 0
    for i in drop:
        out += items[last:i]
        last = i + 1
    out += items[last:]
    return out


def _tokenize_most(text: str, start: int, end: int, most: int) -> list[Tok]:
    toks: list[Tok] = []
    append = toks.append
    skip_stop = -1
    new = tuple.__new__
    for m in islice(_TOKEN.finditer(text, start, end), most):
        s, e = m.span()
        if s == skip_stop:
            continue
        word = m.group()
        lower = word.lower()
        if e < end and text[e] == "." and lower + "." in _ABBREVIATIONS:
            word, lower, e = word + ".", lower + ".", e + 1
            skip_stop = e - 1
        append(new(Tok, (word, s, e, lower)))
    return toks


_SENT_TOKENS: Final[StashKey[dict[int, list[Tok]]]] = StashKey("sentence tokens")


_DOC_TOKENS: Final[StashKey[tuple[list[Tok], list[int]]]] = StashKey("document tokens")


def sentence_tokens(doc: Document, sentence: Span) -> list[Tok]:
    """The tokens of one sentence, computed once per document and sentence."""
    cache = doc.stash.setdefault(_SENT_TOKENS, dict)
    toks = cache.get(sentence.start)
    if toks is None:
        toks = cache[sentence.start] = _tokens_within(doc, sentence.start, sentence.end)
    return toks


_SENTENCES_WITH_TOKENS: Final[StashKey[list[tuple[Span, list[Tok]]]]] = StashKey(
    "every sentence with its tokens"
)


def sentences_with_tokens(doc: Document) -> list[tuple[Span, list[Tok]]]:
    """Each sentence of ``doc`` with its :func:`sentence_tokens`, listed once a document.

    For the plugins that walk every sentence (reported speech, attitudes, mentions): a walk
    reads this list instead of asking for each sentence's tokens again.
    """
    found = doc.stash.get(_SENTENCES_WITH_TOKENS)
    if found is None:
        found = doc.stash[_SENTENCES_WITH_TOKENS] = [
            (sent, sentence_tokens(doc, sent)) for sent in sentences(doc)
        ]
    return found


def _tokens_within(doc: Document, start: int, end: int) -> list[Tok]:
    """``tokenize(doc.text, start, end)``, cut from the tokens of the whole text.

    The text is tokenized once, and a sentence takes its share (see :func:`_share`).
    """
    found = doc.stash.get(_DOC_TOKENS)
    if found is None:
        found = doc.stash[_DOC_TOKENS] = _tokens_and_starts(doc.text, 0, len(doc.text), None)
        _WHOLE[:] = [(doc.text, *found)]
    toks = _share(found[0], found[1], start, end, None)  # (no *found: a call in C)
    return tokenize(doc.text, start, end) if toks is None else toks


#: the text whose tokens sentence_tokens() took last, with those tokens and their starts:
#: tokenize() of a stretch of that very text object takes its share of them
_WHOLE: Final[list[tuple[str, list[Tok], list[int]]]] = []


def _share(
    every: list[Tok], starts: list[int], start: int, end: int, most: int | None
) -> list[Tok] | None:
    """``tokenize(text, start, end, most)`` cut from ``every`` token of the text, or ``None``.

    A token never crosses the white space around a sentence, and the token pattern looks past
    a token's end only for a middle initial ("W." before " Bush"): a stretch that cuts a token,
    or whose last token may be such an initial, needs tokenizing on its own (``None``). With
    ``most``, the first ``most`` tokens are the share when another token follows them in the
    stretch and none is a word joined with its full stop ("Mr."): such a token is two of the
    ``most`` that tokenize() counts (its stop is not counted when it is the last one). A joined
    token's lower-case form is a known abbreviation, which is what is tested (so dotted
    initials that are one, "U.S.", count as two as well: a stretch is then tokenized on its
    own, correctly if more slowly).

    For example, tokenize() of "Mr. Ruiz said no" with ``most=2`` reads the pieces "Mr", "."
    (its two) and gives ["Mr."]; the document's tokens there are "Mr.", "Ruiz", …, so their
    first two would be one token too many: the stretch is tokenized on its own. With "Ana Ruiz
    said no" the first two document tokens, "Ana" and "Ruiz", are the share.
    """
    lo = bisect_left_int(starts, start)
    if lo > 0 and every[lo - 1].end > start:
        return None
    hi = bisect_left_int(starts, end, lo)
    if most is not None:
        if hi - lo > most:
            toks = every[lo : lo + most]
            return None if any(t.lower in _ABBREVIATIONS for t in toks) else toks
        # a stretch of no more than ``most`` tokens, each joined word counted twice, is
        # tokenized whole: its share is the one without ``most``
        if hi - lo + sum(t.lower in _ABBREVIATIONS for t in every[lo:hi]) > most:
            return None
    if lo == hi:
        return None
    last = every[hi - 1]
    if last.end > end or (len(last.text) == 2 and last.text[1] == "."):
        return None
    return every[lo:hi]


# --------------------------------------------------------------------------------------------
# lexicons


@cache
def _function_words() -> dict[str, frozenset[str]]:
    classes: dict[str, set[str]] = {}
    for cls, word in lexicon_pairs("function_words"):
        classes.setdefault(word.lower(), set()).add(cls)
    return {w: frozenset(c) for w, c in classes.items()}


def word_class(word: str) -> frozenset[str]:
    """The closed classes (``det``, ``prep``, ``aux`` …) of a lower-case word."""
    return _function_words().get(word, frozenset())


def function_words() -> frozenset[str]:
    """Every lower-case word of a closed class: ``w in function_words()`` is
    ``bool(word_class(w))``."""
    return frozenset(_function_words())


def class_words(*classes: str) -> frozenset[str]:
    """Every lower-case word of any of these closed classes: ``w in class_words("prep")`` is
    ``"prep" in word_class(w)``, as one set look-up."""
    wanted = frozenset(classes)
    return frozenset(w for w, c in _function_words().items() if c & wanted)


#: words of one closed class, for the hot paths: set look-ups instead of set intersections
_CONJ: Final = class_words("conj")
_PREP: Final = class_words("prep")
_TIME: Final = class_words("time")
_NUM: Final = class_words("num")
_DET_NUM: Final = class_words("det", "num")
_DET: Final = class_words("det")
_CONJ_ADV: Final = class_words("conj", "adv")
#: the closed-class words that open a sentence but never a name: determiners, sentence adverbs
#: ("Perhaps", "Meanwhile"), conjunctions and subordinators ("But", "When")
_DET_OPENERS: Final = class_words("det", "adv", "conj", "sub")
_AUX: Final = class_words("aux")
_AUX_NEG: Final = class_words("aux", "neg")
_ADV_AUX_NEG: Final = class_words("adv", "aux", "neg")
_AUX_SUB_CONJ: Final = class_words("aux", "sub", "conj")
_PREP_SUB_ADV: Final = class_words("prep", "sub", "adv")
_PREP_AUX: Final = class_words("prep", "aux")
_PREP_AUX_SUB: Final = class_words("prep", "aux", "sub")
_FUNCTION_WORDS: Final = function_words()


class CueForm(NamedTuple):
    """A cue lexicon entry for one inflected form."""

    lemma: str
    cls: str
    form: str


@cache
def cue_table(name: str) -> dict[str, CueForm]:
    """Every form of a cue lexicon (``CLASS|lemma|form|form…`` lines), by lower-case form."""
    forms: dict[str, CueForm] = {}
    for line in lexicon_pairs(name):
        fields = " ".join(line).split("|")
        cls, lemma, *inflected = fields
        for form in inflected:
            forms.setdefault(form, CueForm(lemma, cls, form))
    return forms


#: every form of the reporting cues (``cue_table("cues")``), read without a call
_CUE_FORMS: Final = cue_table("cues")


def cue_info(form: str) -> CueForm | None:
    """The lexicon entry of a cue form ("shot back" → lemma "shoot back"), or ``None``."""
    return _CUE_FORMS.get(form.lower())


def cue_regex(name: str) -> regex.Pattern[str]:
    r"""One pattern matching every form of a cue lexicon as whole words, in any case.

    It matches as ``\L<cues>`` with the forms would (longest form first, then shorter ones),
    but the forms are spelled out as a tree of their shared prefixes, which the ``regex``
    module matches about ten times faster than a named list ignoring case.
    """
    forms = sorted(cue_table(name))
    tree = _prefix_tree(forms)
    if tree is None:
        return regex.compile(
            r"(?<![\p{L}\p{N}'’\-])\L<cues>(?![\p{L}\p{N}'’\-])",
            cues=forms,
            flags=regex.IGNORECASE,
        )
    return regex.compile(
        r"(?<![\p{L}\p{N}'’\-])" + tree + r"(?![\p{L}\p{N}'’\-])", flags=regex.IGNORECASE
    )


@cache
def _same_ignoring_case(a: str, b: str) -> bool:
    """Whether the character ``a`` matches ``b`` when case is ignored (a pattern's view).

    Asked for each pair of sibling characters of a prefix tree: a few hundred distinct pairs
    among thousands of questions, so each pair is matched once (compiling a pattern is slow).
    """
    return _caseless(a).fullmatch(b) is not None


@cache
def _caseless(char: str) -> regex.Pattern[str]:
    """The pattern ``char``, ignoring case, compiled once a character."""
    return regex.compile(_escaped(char), flags=regex.IGNORECASE)


#: ``regex.escape``, once a character: the tree escapes each of its characters, thousands of them
_escaped: Final = cache(regex.escape)


def _prefix_tree(words: Sequence[str]) -> str | None:
    r"""``words`` as one alternation that shares prefixes and tries longer words first.

    "said", "say", "says" → ``sa(?:id|y(?:s|))``. Along one path a longer word is tried before
    the shorter one it extends, and two branches of a node start with different characters,
    so no text matches both: the first match is the one ``\L<words>`` finds. When two
    branches differ only in case (which ignoring case cannot tell apart), ``None``.
    """
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str | None:
        chars = sorted(ch for ch in node if ch)
        for k, a in enumerate(chars):
            for b in chars[k + 1 :]:
                if _same_ignoring_case(a, b):
                    return None
        branches: list[str] = []
        for ch in chars:
            rest = emit(node[ch])
            if rest is None:
                return None
            branches.append(_escaped(ch) + rest)
        if "" in node:
            branches.append("")  # the word that ends here, after every longer one
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root)


#: Every reporting cue as a pattern, for looking at one place ("is there a cue here?").
CUE_RE: Final = cue_regex("cues")


def _cue_openings() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """What the forms of :data:`CUE_RE` open with: their first three characters, and the
    forms shorter than that; ``None`` when a form is not ASCII (then no text is ruled out)."""
    forms = cue_table("cues")
    if not all(form.isascii() for form in forms):
        return None
    return (
        frozenset(form.lower()[:3] for form in forms if len(form) >= 3),
        tuple(form.lower() for form in forms if len(form) < 3),
    )


_CUE_OPENINGS: Final = _cue_openings()


def _no_cue_opens(text: str, pos: int, endpos: int) -> bool:
    """Whether no form of :data:`CUE_RE` can match at ``pos`` (before ``endpos``), by the next
    three characters alone: a call to the pattern costs a hundred times this test.

    It rules a place out only when those characters are ASCII: the forms are ASCII (else
    nothing is ruled out), and an ASCII character matches an ASCII one ignoring case exactly
    when the two lower-case alike. Anything else is left to the pattern.
    """
    openings = _CUE_OPENINGS
    if openings is None or endpos - pos < 3:
        return False
    window = text[pos : pos + 3]
    if not window.isascii():
        return False
    key = window.lower()
    return key not in openings[0] and not key.startswith(openings[1])


class CueMatch:
    """A cue found in a text, as a match of :data:`CUE_RE` tells it: the form as written
    (``group()``), where it starts and where it ends."""

    def __init__(self, form: str, start: int, end: int) -> None:
        self.form = form
        self.at = start
        self.until = end

    def group(self) -> str:
        """The cue as the text writes it: "said", "Told", "according to"."""
        return self.form

    def start(self) -> int:
        """Where the cue starts in the text."""
        return self.at

    def end(self) -> int:
        """Where the cue ends in the text."""
        return self.until

    def span(self) -> tuple[int, int]:
        """``(start(), end())``."""
        return (self.at, self.until)

    def __repr__(self) -> str:
        return f"<CueMatch {self.form!r} [{self.at}, {self.until})>"


def _matched(found: regex.Match[str] | None) -> CueMatch | None:
    return None if found is None else CueMatch(found.group(), found.start(), found.end())


def _plain_cue_forms() -> frozenset[str] | None:
    """The forms of :data:`CUE_RE` when each is ASCII lower-case letters and spaces, as the
    lexicon's are, for :func:`_cue_end`; ``None`` otherwise (then the pattern reads every
    place)."""
    forms = cue_table("cues")
    plain = all(
        form.isascii() and form.islower() and form.replace(" ", "").isalpha()
        and not form.startswith(" ") and not form.endswith(" ")
        for form in forms
    )
    return frozenset(forms) if plain and forms else None


_PLAIN_CUES: Final = _plain_cue_forms()
_LONGEST_CUE: Final = max((len(form) for form in _PLAIN_CUES or ()), default=0)
#: the class table, read at import in the compiled build (a call to the cached function from
#: each look-up costs more than the look-up's test)
_CLASSES: Final = char_classes()


def _is_ascii_letter(code: int) -> bool:
    return 97 <= code <= 122 or 65 <= code <= 90


def _refuses(text: str, i: int, classes: bytes) -> int:
    """Whether the character at ``i`` is one that :data:`CUE_RE`'s look-behind and look-ahead
    refuse next to a form (a letter, a number, an apostrophe or a hyphen): 1 or 0, and -1 for
    a character beyond the BMP, which the class table does not cover."""
    code = ord(text[i])
    if code == 39 or code == 45 or code == 0x2019:  # ' - ’
        return 1
    if code >= 0x10000:
        return -1
    return 1 if classes[code] & 9 else 0  # a letter (1) or a number (8)


def _cue_end(text: str, pos: int, endpos: int) -> int:
    """Where the cue that ``CUE_RE.match(text, pos, endpos)`` finds ends, read without the
    pattern while the characters it must read are ASCII: -1 when it finds none, -2 when a
    character it would read is beyond ASCII (the place is then left to the pattern).

    The forms (:data:`_PLAIN_CUES`) are ASCII lower-case letters and spaces, and an ASCII
    character matches one of them, ignoring case, exactly when the two lower-case alike; a
    character beyond ASCII may match one too (the long s, the Kelvin sign). The pattern's
    tree tries the longer form first along each path, so its match is the longest form that
    the text spells from ``pos``, before ``endpos``, with no letter, number, apostrophe or
    hyphen before ``pos`` or after the form.
    """
    forms = _PLAIN_CUES
    if forms is None:
        return -2
    n = min(endpos, len(text))
    if pos >= n:
        return -1  # (no form is empty)
    classes = _CLASSES
    if pos > 0:
        before = _refuses(text, pos - 1, classes)
        if before != 0:
            return -1 if before > 0 else -2
    stop = min(n, pos + _LONGEST_CUE)
    i = pos  # the letters and spaces from pos: where a form may end
    while i < stop:
        code = ord(text[i])
        if code >= 128:
            return -2
        if not (code == 32 or _is_ascii_letter(code)):
            break
        i += 1
    for e in range(i, pos, -1):
        if ord(text[e - 1]) == 32:
            continue  # (no form ends with a space)
        after = 0 if e == n else _refuses(text, e, classes)
        if after > 0 or text[pos:e].lower() not in forms:
            continue
        return e if after == 0 else -2
    return -1


def cue_at(text: str, pos: int, endpos: int) -> CueMatch | None:
    """``CUE_RE.match(text, pos, endpos)``: a cue that starts at ``pos``, read by
    :func:`_cue_end` in the compiled build (a call to the pattern costs some thousand
    instructions, and it is asked about the words around each quotation), and where its
    first characters rule every form out."""
    if NATIVE:
        end = _cue_end(text, pos, endpos)
        if end != -2:
            return None if end < 0 else CueMatch(text[pos:end], pos, end)
    if _no_cue_opens(text, pos, endpos):
        return None
    return _matched(CUE_RE.match(text, pos, endpos))


def cue_search(text: str, pos: int = 0, endpos: int = -1) -> CueMatch | None:
    """``CUE_RE.search(text, pos, endpos)`` (``endpos`` -1: the end of the text): the first
    cue, the pattern tried only where a cue may start (after no letter, number, apostrophe or
    hyphen, and with a form's first characters) in the compiled build (:data:`NATIVE`)."""
    end = len(text) if endpos < 0 else min(endpos, len(text))
    if not NATIVE:  # (interpreted, a loop over the places costs more than the search)
        return _matched(CUE_RE.search(text, pos, end))
    return _cue_search_at_places(text, pos, end)


def _cue_search_at_places(text: str, pos: int, end: int) -> CueMatch | None:
    """:func:`cue_search` as the compiled build runs it: each place where a cue may start
    read by :func:`_cue_end`, or matched by the pattern where that cannot tell, the first
    match returned."""
    plain = _PLAIN_CUES is not None
    for p in range(pos, end):
        code = ord(text[p])
        if plain and code < 128 and not _is_ascii_letter(code):
            continue  # (every form opens with a letter, and an ASCII one only with its own)
        found = _cue_end(text, p, end)  # (-1 after a letter, number, apostrophe or hyphen)
        if found >= 0:
            return CueMatch(text[p:found], p, found)
        if found == -1 or _no_cue_opens(text, p, end):
            continue
        matched = CUE_RE.match(text, p, end)
        if matched is not None:
            return _matched(matched)
    return None


def cue_finditer(text: str, pos: int, endpos: int) -> list[CueMatch]:
    """``list(CUE_RE.finditer(text, pos, endpos))``, by :func:`cue_search` (a form is never
    empty, so each search goes on from the end of the match before)."""
    if not NATIVE:
        return [CueMatch(m.group(), m.start(), m.end())
                for m in CUE_RE.finditer(text, pos, endpos)]
    out: list[CueMatch] = []
    while True:
        found = cue_search(text, pos, endpos)
        if found is None:
            return out
        out.append(found)
        pos = found.end()


class CueIndex:
    """Finds a cue lexicon's forms among tokens by dictionary look-up, longest form first.

    Scanning a sentence's tokens this way costs one look-up a token, far less than matching a
    pattern of every form at every character.
    """

    def __init__(self, name: str) -> None:
        self.table = cue_table(name)
        starts: dict[str, list[tuple[tuple[str, ...], CueForm]]] = {}
        for form, info in self.table.items():
            words = tuple(form.split())
            starts.setdefault(words[0], []).append((words, info))
        for options in starts.values():
            options.sort(key=lambda o: -len(o[0]))
        self._starts = starts
        if not _CUE_STARTS[0].issuperset(starts):
            _CUE_STARTS[0] = _CUE_STARTS[0].union(starts)

    def find(self, toks: Sequence[Tok]) -> Iterator[tuple[int, int, CueForm]]:
        """``(i, j, entry)`` for each cue at tokens ``i`` to ``j`` (exclusive), in order."""
        starts = self._starts
        return self._cues_at(toks, [k for k, t in enumerate(toks) if t.lower in starts])

    def _cues_at(
        self, toks: Sequence[Tok], candidates: Sequence[int]
    ) -> Iterator[tuple[int, int, CueForm]]:
        """The cues that open at the ``candidates`` token indexes (in order), longest first."""
        starts = self._starts
        n = len(toks)
        after = 0  # the tokens before this one belong to a cue found already
        for i in candidates:
            if i < after:
                continue
            options = starts.get(toks[i].lower)
            if options is None:
                continue
            for words, info in options:
                j = i + len(words)
                if j <= n and (j == i + 1 or all(
                    toks[i + k].lower == words[k] for k in range(1, len(words))
                )):
                    yield i, j, info
                    after = j
                    break

    def in_document(self, doc: Document) -> list[tuple[list[Tok], list[tuple[int, int, CueForm]]]]:
        """The sentences of ``doc`` that hold a cue of this index, each as its tokens and its
        cues (``(i, j, entry)`` as :meth:`find` gives them for those tokens), in text order.

        The tokens that may open a cue of any cue index are picked out once per document and
        shared (:func:`_candidates`): this index reads only those, not every token again.
        """
        starts = self._starts
        sentences, candidates = _candidates(doc)
        out: list[tuple[list[Tok], list[tuple[int, int, CueForm]]]] = []
        cues: list[tuple[int, int, CueForm]] | None = None
        toks: list[Tok] = []
        current = -1  # the sentence of the candidate before
        after = 0  # in that sentence, the tokens before this one belong to a cue found already
        for no, i, lower in candidates:
            options = starts.get(lower)
            if options is None:
                continue  # a cue of another index opens here
            if no != current:
                current, toks, cues, after = no, sentences[no][1], None, 0
            elif i < after:
                continue
            for words, info in options:  # as in _cues_at (a test holds the two together)
                j = i + len(words)
                if j <= len(toks) and (j == i + 1 or all(
                    toks[i + k].lower == words[k] for k in range(1, len(words))
                )):
                    if cues is None:
                        cues = []
                        out.append((toks, cues))
                    cues.append((i, j, info))
                    after = j
                    break
        return out


class WordIndex:
    """Finds the tokens of a word list (lower-case words) in a document, through the scan
    that the cue indexes share (:func:`_candidates`): the words join the words looked for,
    and a document's tokens are read once for all the indexes.
    """

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        if not _CUE_STARTS[0].issuperset(words):
            _CUE_STARTS[0] = _CUE_STARTS[0].union(words)

    def in_document(self, doc: Document) -> list[tuple[Span, list[Tok], list[int]]]:
        """The sentences of ``doc`` that hold one of the words, each as its span, its tokens and
        the indexes of the tokens whose ``lower`` is one of the words (in order), in text order.
        """
        words = self.words
        sentences, candidates = _candidates(doc)
        out: list[tuple[Span, list[Tok], list[int]]] = []
        current = -1
        found: list[int] = []
        for no, i, _lower in [c for c in candidates if c[2] in words]:
            if no != current:
                current, found = no, []
                sent, toks = sentences[no]
                out.append((sent, toks, found))
            found.append(i)
        return out


def _candidates(doc: Document) -> tuple[list[tuple[Span, list[Tok]]], list[tuple[int, int, str]]]:
    """The tokens of ``doc`` that open a cue of any cue index, or are a word of any word index,
    made so far.

    Returns :func:`sentences_with_tokens`, and for each such token (in text order) its
    sentence's number in that list, its index among that sentence's tokens and its lower-case
    form. Computed once per document, and again only if a new index has added words since.
    """
    union = _CUE_STARTS[0]
    found = doc.stash.get(_CUE_CANDIDATES)
    if found is None or found[0] is not union:
        sentences = sentences_with_tokens(doc)
        candidates: list[tuple[int, int, str]] = []
        for no, (_sent, toks) in enumerate(sentences):
            indexes = picked(toks, union)
            if indexes:
                candidates += [(no, k, toks[k].lower) for k in indexes]
        found = doc.stash[_CUE_CANDIDATES] = (union, sentences, candidates)
    return found[1], found[2]


#: the words that open a cue of any cue index, or are a word of any word index, made so far
#: (replaced, never changed in place)
_CUE_STARTS: list[frozenset[str]] = [frozenset()]
_CUE_CANDIDATES: StashKey[
    tuple[frozenset[str], list[tuple[Span, list[Tok]]], list[tuple[int, int, str]]]
] = StashKey("tokens that may open a cue, by sentence")


def make_cue(doc: Document, start: int, end: int) -> Cue:
    """A :class:`Cue` for ``doc.text[start:end]`` with its lemma."""
    info = cue_info(doc.text[start:end])
    return _cue(span_of(doc, start, end), info.lemma if info else doc.text[start:end].lower())


@cache
def _pronouns() -> dict[str, tuple[str | None, bool]]:
    genders = {"m": "male", "f": "female", "n": "neuter", "-": None}
    return {
        form: (genders[g], number == "pl") for form, g, number in lexicon_pairs("pronouns")
    }


#: the pronoun lexicon (``_pronouns()``), read without a call
_PRONOUNS: Final = _pronouns()


def pronoun_forms() -> frozenset[str]:
    """Every lower-case form the pronoun lexicon knows: ``pronoun(w) is not None`` is
    ``w.lower() in pronoun_forms()``."""
    return frozenset(_pronouns())


def pronoun(word: str) -> tuple[str | None, bool] | None:
    """``(gender, plural)`` of a personal pronoun, or ``None``."""
    return _PRONOUNS.get(word.lower())


@cache
def _gendered(name: str) -> dict[str, str | None]:
    genders = {"m": "male", "f": "female", "-": None}
    return {form: genders[g] for form, g in lexicon_pairs(name)}


#: the lexicons of given names and honorifics, read without a call
_GIVEN_NAMES: Final = _gendered("given_names")
_HONORIFIC_GENDERS: Final = _gendered("honorifics")


def given_name_gender(word: str) -> str | None:
    """The gender a common given name usually marks ("maria" → "female"), or ``None``:
    one that marks it even standing alone ("Maria said")."""
    return _GIVEN_NAMES.get(word)


def first_name_gender(word: str) -> str | None:
    """The gender the first word of a full name usually marks ("irene" in "Irene Adler"), or
    ``None``: :func:`given_name_gender`, or else the longer list of ``first_names.txt``, whose
    names may also be places or words when alone ("Geneva", "Virginia")."""
    return _FIRST_NAMES.get(word)


#: the genders of first words of full names, for the hot path: ``_FIRST_NAMES.get(w)`` is
#: ``first_name_gender(w)``
_FIRST_NAMES: Final = {**_gendered("first_names"), **_gendered("given_names")}


def honorific_words() -> frozenset[str]:
    """Every honorific, lower-case and without its full stop: ``honorific(w)[0]`` is
    ``w.lower().rstrip(".") in honorific_words()``."""
    return frozenset(_gendered("honorifics"))


def unstopped(word: str) -> str:
    """``word.rstrip(".")``: the word without its full stops (``"gov."`` → ``"gov"``). A call
    to ``rstrip`` is a method call by name in the compiled build; most words end in no stop
    and are returned as they are, without one."""
    return word.rstrip(".") if word.endswith(".") else word


def honorific(word: str) -> tuple[bool, str | None]:
    """``(is_honorific, gender)`` for a word such as "Mrs" or "Dr" (no full stop)."""
    table = _HONORIFIC_GENDERS
    w = word.lower().rstrip(".")
    return (w in table, table.get(w))


#: how many words a :class:`_Remembered` keeps, and how long each may be: together a bound on
#: its memory for any input (a few megabytes; the longest English adverbs, and role nouns,
#: are about 20 letters)
_REMEMBERED = 50_000
_LONGEST_REMEMBERED: Final = 32


class _Remembered(dict[str, _V]):
    """A pure function of a word, its answers kept for the words asked about (at most
    ``_REMEMBERED`` of them, none longer than ``_LONGEST_REMEMBERED``): ``table[word]`` is then
    one dictionary look-up, without a call. Words come from the text, so a plain ``@cache``
    would keep every word a long-running process is ever given.
    """

    def __init__(self, test: Callable[[str], _V]) -> None:
        super().__init__()
        self._test = test

    def __missing__(self, word: str) -> _V:
        found = self._test(word)
        if len(self) < _REMEMBERED and len(word) <= _LONGEST_REMEMBERED:
            self[word] = found
        return found


def singular(word: str) -> str:
    """A plural role noun's singular ("officials" → "official", "spokesmen" → "spokesman")."""
    return _SINGULAR[word]


def _singular_of(word: str) -> str:
    w = word.lower()
    if w.endswith("men") and w[:-3] + "man" in _gendered("titles"):
        return w[:-3] + "man"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


_SINGULAR: Final[_Remembered[str]] = _Remembered(_singular_of)


def role_noun(word: str) -> tuple[bool, bool, str | None]:
    """``(is_role_noun, plural, gender)``: "envoy" → (True, False, None)."""
    return _ROLE_NOUN[word]


def _role_noun_of(word: str) -> tuple[bool, bool, str | None]:
    table = _gendered("titles")
    w = word.lower()
    if w in ("police", "people", "authorities"):
        return (True, True, None)
    if w in table:
        return (True, False, table[w])
    s = singular(w)
    if s != w and s in table:
        return (True, True, None)
    return (False, False, None)


_ROLE_NOUN: Final[_Remembered[tuple[bool, bool, str | None]]] = _Remembered(_role_noun_of)


@cache
def role_noun_words() -> frozenset[str]:
    """Every lower-case word that :func:`role_noun` takes for a role noun, plurals included."""
    table = _gendered("titles")
    candidates = {"police", "people", "authorities"}
    for title in table:
        # every word that singular() maps to this title: the title and its plural forms
        candidates.update((title, title + "s", title + "es", title[:-1] + "ies",
                           title[:-3] + "men"))
    return frozenset(w for w in candidates if w == w.lower() and role_noun(w)[0])


_ORG_WORDS: Final = lexicon("org_words")
_PARTICLES: Final = frozenset({
    "de", "van", "von", "der", "den", "bin", "ibn", "al", "el", "da", "del", "della", "di", "du",
    "la", "le", "dos", "das", "ter", "ben", "abu", "y",
})
_RELATIVES: Final = frozenset({"who", "whom", "whose", "which", "that"})
_DEMONSTRATIVES: Final = frozenset({"this", "that", "these", "those"})
# a demonym or nationality adjective: Russian, Afghan, Chinese, British, Israeli
_DEMONYM: Final = regex.compile(r"\p{Lu}\p{Ll}+(?:ian|an|ese|ish|i|ch|ic)$")
_POSSESSIVE: Final = ("’s", "'s", "s’", "s'")
#: the endings of a capitalised plural of people, which :data:`_PLURAL_PEOPLE` requires (and
#: a cheap test before the pattern's)
_PLURAL_PEOPLE_ENDINGS: Final = ("icans", "ians", "crats", "ists", "ites", "ives")
# a capitalised plural of people: Republicans, Democrats, Americans, Israelis, Loyalists
_PLURAL_PEOPLE: Final = regex.compile(
    r"^\p{Lu}\p{Ll}+(?:" + "|".join(_PLURAL_PEOPLE_ENDINGS) + ")$"
)


def is_cap(tok: Tok) -> bool:
    """Whether a token starts with a capital letter."""
    return tok.text[:1].isupper()


def _is_name_token(tok: Tok) -> bool:
    return is_cap(tok) and tok.text[:1].isalpha()


def is_adverb(tok: Tok) -> bool:
    """An adverb or auxiliary that may stand between a subject and its verb."""
    return ADVERB[tok.lower]


def _adverb_word(word: str) -> bool:
    """:func:`is_adverb` of a token whose ``lower`` is ``word``."""
    if word in _ADV_AUX_NEG:
        return True  # the common case first: either test may decide, each is pure
    return word.endswith("ly") and len(word) > 4 and word not in ("only", "early")


#: :func:`is_adverb` by a token's ``lower``: ``ADVERB[tok.lower] == is_adverb(tok)``, for the
#: hot loops that step over adverbs
ADVERB: Final = _Remembered(_adverb_word)


def _demonym_before_title(run: Sequence[Tok], k: int) -> bool:
    """ "Russian" in "Russian President X": a nationality before a title, never a first name.

    "Brian", "Ivan" and "Dominic" look like nationalities; only a title after the word with
    a name after that, and the word not being a known given name, make it one: in "Babaian
    Popes" the word that reads as a title ends the name, and is its surname.
    """
    t = run[k]
    if not _DEMONYM.match(t.text) or given_name_gender(t.lower) is not None:
        return False
    if k + 2 >= len(run):
        return False
    nxt = run[k + 1]
    return bool(role_noun(nxt.lower)[0] or honorific(nxt.text)[0])


#: the lower-case words that np_mention() must read by its full rules when capitalised: any
#: closed-class word, date word, organisation word, name particle, pronoun, honorific or role
#: noun. A phrase of capitalised words made of letters only, none of them here, is a name as a
#: whole (no rule cuts or strips any of its words).
_NOT_PLAIN_NAME_WORDS: Final = frozenset().union(
    _function_words(), _TIME, _ORG_WORDS, _PARTICLES, _RELATIVES, _DEMONSTRATIVES,
    _pronouns(), honorific_words(), role_noun_words(),
)


def _plain_words(toks: Sequence[Tok], start: int) -> bool:
    """Whether ``toks[start:]`` are all plain name words: each starts with a capital, is made
    of letters only and is not in :data:`_NOT_PLAIN_NAME_WORDS` ("Ana", "Ruiz", "Moscow")."""
    not_plain = _NOT_PLAIN_NAME_WORDS
    for x in range(start, len(toks)):
        t = toks[x]
        text = t.text
        if not (text[0].isupper() and text.isalpha()) or t.lower in not_plain:
            return False
    return True


def capitals_before(toks: Sequence[Tok], i: int, j: int) -> int:
    """How many tokens at the start of the capitalised run ``toks[i:j]`` are a heading or a
    dateline: two words or more in capitals before capitalised words ("THE TURN OF THE
    SCREW The story", "NEW YORK Ana Ruiz", "A SCANDAL IN BOHEMIA I. To Sherlock Holmes");
    0 when there are none, or when the run is capitals throughout. One acronym before a name
    is no heading ("NAACP President Derrick Johnson").
    """
    k = i
    while k < j and (toks[k].text.isupper() or toks[k].text == "."):
        k += 1
    if k == j or k - i < 2 or sum(len(t.text) > 1 and t.text.isalpha() for t in toks[i:k]) < 2:
        return 0  # (initials are no heading: "J. J. Abrams")
    first = toks[k].text[0]
    if not (first.isupper() and first.isalpha()):
        return 0  # "CHAPTER I PARIS: …": no name after the capitals
    return k - i


def _without_heading(toks: Sequence[Tok]) -> Sequence[Tok]:
    """``toks`` without the heading or dateline in capitals that opens them (see
    :func:`capitals_before`); the test of the first token spares most phrases the walk."""
    if len(toks) > 2 and len(toks[0].text) > 1 and toks[0].text.isupper():
        return toks[capitals_before(toks, 0, len(toks)) :]
    return toks


def np_mention(doc: Document, toks: Sequence[Tok], rule: str, role: str = "") -> Mention | None:
    """Turn the tokens of a noun phrase into the speaker :class:`Mention` it names.

    - a pronoun gives a pronoun mention;
    - a relative clause or prepositional phrase ends the phrase ("a senior official with the
      ministry" → "a senior official"), though "of" between capitals stays ("Secretary of
      State");
    - a possessor is not the head ("Putin’s envoy" is an envoy), though a description keeps
      it in its span ("Putin’s envoy", not "envoy");
    - a name at the end of the phrase is the mention, without the titles and roles before it
      ("U.N. aid coordinator Lena Marsh-Olsen" → "Lena Marsh-Olsen");
    - "the" before a name makes an organisation ("the Pentagon");
    - otherwise a plural role noun makes a group ("Two commanders") and a singular one a
      description ("The Russian envoy").
    """
    if not toks:
        return None
    toks = _without_heading(toks)
    # the common case first: a run of plain capitalised words ("Ana Ruiz", "Moscow")
    not_plain = _NOT_PLAIN_NAME_WORDS
    for t in toks:
        text = t.text
        if not (text[0].isupper() and text.isalpha()) or t.lower in not_plain:
            break
    else:
        head_tok = toks[0]
        span = span_of(doc, head_tok.start, toks[-1].end)
        if len(toks) > 1:
            return _mention(span, "name", _FIRST_NAMES.get(head_tok.lower), False, "", rule,
                            role)
        text = head_tok.text
        if text.endswith(_PLURAL_PEOPLE_ENDINGS) and _PLURAL_PEOPLE.search(text):
            return _mention(span, "group", None, True, head_tok.lower, rule, role)
        return _mention(span, "name", None, False, "", rule, role)
    if toks[0].lower == "the" and len(toks) > 1 and _plain_words(toks, 1):
        # "the Pentagon": an organisation, as the rules below find too (tests/
        # test_mention_paths.py holds them equal): "the" is a determiner, and no particle,
        # title, honorific, nationality or organisation word, so the name they find is the
        # plain words, and "the" before it makes it an organisation
        return _mention(span_of(doc, toks[0].start, toks[-1].end), "organization", "neuter", False,
                        "", rule, role)
    # the rules, or what they made of the same words before (see _NP_MEMO)
    key = tuple([t.text for t in toks])  # (a loop in C when compiled, unlike map())
    found = _NP_MEMO.get(key, _UNREAD)
    if found is _UNREAD:
        mention = _np_rules(doc, toks, rule, role)
        _remember_np(key, toks, mention)
        return mention
    if found is None:
        return None
    first, last, kind, gender, plural, head = found
    return _mention(span_of(doc, toks[first].start, toks[last].end), kind, gender, plural, head,
                    rule, role)


#: what :func:`_np_rules` made of a phrase: ``None``, or the indexes of the tokens its span
#: starts and ends with and the mention's kind, gender, plural and head
_NpReading = tuple[int, int, str, str | None, bool, str] | None
#: _np_rules()'s readings by the texts of the phrase's tokens (its offsets only place the
#: span; a token's ``lower`` is its text lower-cased). A phrase that takes the rules recurs
#: within and across documents ("President Donald Trump", "the Democratic Party"), and the
#: rules cost several times what building its mention does. At most _NP_MEMO_SIZE phrases of
#: at most _NP_MEMO_LONGEST characters are kept (a few megabytes); a full memo is emptied, so
#: that a long-running process keeps the phrases of its latest documents.
_NP_MEMO: dict[tuple[str, ...], _NpReading] = {}
_NP_MEMO_SIZE = 20_000
_NP_MEMO_LONGEST: Final = 64
_UNREAD: Final[Any] = object()


def _remember_np(key: tuple[str, ...], toks: Sequence[Tok], mention: Mention | None) -> None:
    """Keep what :func:`_np_rules` made of the tokens ``toks``, whose texts are ``key``.

    Only tokens in text order, each after the end of the one before, are kept: the rules
    then cannot tell two of them apart but by their place in the phrase (``toks.index()``
    finds a token by equality, which includes its offsets), and the span's two ends are the
    start of one token and the end of another, found here by their places.
    """
    if sum(map(len, key)) > _NP_MEMO_LONGEST:
        return
    end = -1
    for t in toks:
        if t.start < end or t.end <= t.start:
            return
        end = t.end
    reading: _NpReading = None
    if mention is not None:
        span = mention.span
        first = last = -1
        for x, t in enumerate(toks):
            if t.start == span.start:
                first = x
            if t.end == span.end:
                last = x
        if first < 0 or last < 0:
            return
        reading = (first, last, mention.kind, mention.gender, mention.plural, mention.head)
    if len(_NP_MEMO) >= _NP_MEMO_SIZE:
        _NP_MEMO.clear()
    _NP_MEMO[key] = reading


def _np_rules(doc: Document, toks: Sequence[Tok], rule: str, role: str) -> Mention | None:
    """:func:`np_mention` of a phrase that its shortcuts do not read: by the general rules."""
    toks = _without_heading(toks)  # (nothing is left to cut when np_mention() cut it)
    last = toks[-1]
    # a comma or full stop that ends the phrase is not part of it
    toks = [t for t in toks if t is not last] if last.text in ",.;:" else list(toks)
    # "and officials", "Then she", "Still, the mayor": a conjunction or sentence adverb
    # before the phrase is no part of it ("often in his campaign" is no noun phrase at all:
    # it is left to the rules below)
    while len(toks) > 1 and (toks[0].lower in _CONJ_ADV or toks[0].text == ",") and (
        toks[1].lower not in _PREP
    ):
        toks = toks[1:]
    if toks and toks[0].lower in _CONJ:
        toks = toks[1:]
    # "one of those advisers", "one of the senators": one member of a group, a description
    if len(toks) > 2 and toks[0].lower == "one" and toks[1].lower == "of":
        group = _np_rules(doc, toks[2:], rule, role)
        if group is None or group.kind != "group":
            return None
        return _mention(span_of(doc, toks[0].start, group.span.end), "nominal", group.gender,
                        False, group.head, rule, role)
    # "Many of her supporters", "two of the senators": the head follows "of"
    while len(toks) > 2 and toks[1].lower == "of" and (
        toks[0].lower in _DET_NUM or toks[0].text.isdigit()
    ) and toks[0].lower not in _DEMONSTRATIVES and toks[0].lower != "one":
        toks = toks[2:]
    if not toks:
        return None
    n = len(toks)
    if n == 1 and (p := pronoun(toks[0].lower)) is not None:
        return _mention(span_of(doc, toks[0].start, toks[0].end), "pronoun", p[0], p[1], "", rule,
                        role)
    # the phrase ends at a relative pronoun, a preposition (bar "of" + capital) or punctuation
    for i in range(1, n):
        t = toks[i]
        w = t.lower
        if w in _RELATIVES or (not t.text[:1].isalnum() and t.text not in ".'’-&/"):
            toks = toks[:i]
            break
        if w in _PREP and t.text.islower():
            if w == "of" and i + 1 < n and is_cap(toks[i + 1]) and is_cap(toks[i - 1]):
                continue
            toks = toks[:i]
            break
    n = len(toks)
    # a possessor is not the head: keep what follows the last possessive (a description keeps
    # its possessor in its span, below: "Ruiz’s campaign" says whose campaign it is)
    phrase_start = toks[0].start if toks else 0
    for i in range(n - 2, -1, -1):
        if toks[i].lower.endswith(_POSSESSIVE):
            toks = toks[i + 1 :]
            n = len(toks)
            break
        if toks[i].text in "’'" and toks[i + 1].lower == "s" and i + 2 < n:
            toks = toks[i + 2 :]  # "D.C.’s board": the mark and its "s" stand apart
            n = len(toks)
            break
    if not toks:
        return None
    # a name at the end of the phrase
    j = n
    while j > 0:
        t = toks[j - 1]
        c = t.text[:1]
        if (c.isupper() and c.isalpha()) or (
            t.lower in _PARTICLES and j < n and j - 1 > 0 and _is_name_token(toks[j - 2])
        ) or (t.text == "." and j - 1 > 0 and (
            len(toks[j - 2].text) == 1 or honorific(toks[j - 2].text)[0]
        )):
            j -= 1
        else:
            break
    run = toks[j:]
    if run and run[0].lower in _TIME and all(t.lower in _TIME for t in run):
        run = []  # "Tuesday", "March": a date, not a name
    gender: str | None = None
    if len(run) > 1 and run[-1].lower in _ORG_WORDS:
        # "United States Harbour Services", "Senate Intelligence Committee": the whole name
        return _mention(span_of(doc, run[0].start, run[-1].end), "organization", "neuter", False,
                        "", rule, role)
    if run:
        # strip titles, honorifics, nationalities and dotted abbreviations before the name
        k = 0
        while k < len(run) - 1:
            t = run[k]
            is_hon, hon_gender = honorific(t.text)
            is_role, _, role_gender = role_noun(t.lower)
            if is_hon:
                gender = gender or hon_gender
            elif is_role:
                gender = gender or role_gender
            elif not (_demonym_before_title(run, k) or "." in t.text or t.text == "."
                      or t.lower in _ORG_WORDS):
                break
            k += 1
        run = run[k:]
        # a title after modifiers: "Maine Gov. Paul Ward", "Harbour Bank CEO Joan Marsh"
        for r in range(len(run) - 2, 0, -1):
            if (role_noun(unstopped(run[r].lower))[0] or honorific(run[r].text)[0]) and any(
                _is_name_token(t) and not role_noun(t.lower)[0] for t in run[r + 1 :]
            ):
                t0 = run[r]
                gender = gender or honorific(t0.text)[1] or role_noun(t0.lower)[2]
                run = run[r + 1 :]
                break
        while run and (run[0].text == "." or (len(run) > 1 and run[0].lower in _DET_OPENERS)):
            # "Some Democrats": a capitalised quantifier opening the sentence; "Perhaps Ana
            # Ruiz", "Meanwhile Ruiz", "But Ruiz": an adverb or conjunction opening it
            run = run[1:]
        first = run[0] if run else None
        head_is_role = len(run) == 1 and first is not None and role_noun(first.lower)[0] and (
            first is toks[0] or toks[0].lower in _DET_NUM
            or all(_title_word(t) for t in toks[: toks.index(first)])  # "Deputy Director"
        )
        if first is not None and not head_is_role:
            before = toks.index(first)
            start, end = first.start, run[-1].end
            kind = "name" if _ORG_WORDS.isdisjoint([t.lower for t in run]) else "organization"
            title_word = unstopped(run[-1].lower)
            if kind == "name" and len(run) > 1 and role_noun(title_word)[0] and all(
                _title_word(t) for t in run[:-1]
            ):
                # "Retired General", "Deputy Director", "the Prime Minister": a title with no
                # name after it (with "the", a person still: an office, not an organisation)
                if before and toks[before - 1].lower == "the":
                    start = toks[before - 1].start
                return _mention(span_of(doc, start, end), "nominal", role_noun(title_word)[2],
                                False, title_word, rule, role)
            if before and toks[before - 1].lower == "the" and not gender:
                return _mention(span_of(doc, toks[before - 1].start, end), "organization", "neuter",
                                False, "", rule, role)
            if kind == "name" and gender is None and len(run) > 1:
                gender = first_name_gender(run[0].lower)
            if len(run) == 1 and _PLURAL_PEOPLE.search(run[0].text):
                return _mention(span_of(doc, start, end), "group", None, True, run[0].lower, rule,
                                role)
            return _mention(span_of(doc, start, end), kind, gender, False, "", rule, role)
    # a description: its head is the last word
    head = toks[-1]
    is_role, plural, role_gender = role_noun(head.lower)
    if not head.text[:1].isalpha():
        return None
    if not is_role and n > (10 if singular(head.lower) in _SOURCE_NOUNS else 6):
        return None  # (a source's name may be long: "a New York Times/CBS News poll")
    if n > 2 and any(t.lower in _AUX and t.text.islower() for t in toks[:-1]):
        return None  # "she could hear the man": a clause, not a noun phrase ("May" is a month)
    if not plural and (head.lower.endswith("s") and not head.lower.endswith("ss")
                       and toks[0].lower in _NUM):
        plural = True
    kind = "group" if plural else "nominal"
    return _mention(span_of(doc, phrase_start, head.end), kind, role_gender, plural,
                    singular(head.lower) if plural else head.lower, rule, role)


_CLAUSE_CONJ: Final = frozenset({"and", "but", "or", "so", "yet"})
_SUBORDINATORS: Final = frozenset({
    "what", "which", "who", "whom", "whose", "where", "when", "how", "whether", "because",
    "although", "though", "while", "if", "unless", "whereas", "as", "that", "since", "after",
    "before", "until", "once", "than",
})
_NOMINATIVE: Final = frozenset({"he", "she", "they", "we", "i", "you", "who"})


def _last_clause(toks: list[Tok]) -> list[Tok]:
    """The tokens after the last clause-joining conjunction (", but", ", and", "yet")."""
    for i in range(len(toks) - 1, -1, -1):
        t = toks[i]
        after_comma = i > 0 and toks[i - 1].text == ","
        if t.lower in _CLAUSE_CONJ and (t.lower in ("but", "yet") or after_comma):
            rest = _without_subordinator(toks[i + 1 :])
            if rest and (rest[0].lower in _NOMINATIVE or is_cap(rest[0])):
                return rest
    return toks


#: subordinators that open an adverbial clause with its own subject: "when Ruiz arrived"
ADVERBIAL_SUBORDINATORS: Final = frozenset({
    "when", "as", "while", "after", "before", "once", "since", "until", "because", "although",
    "though", "if", "unless", "whereas",
})


def _without_subordinator(toks: list[Tok]) -> list[Tok]:
    """The clause without the subordinator that opens it, when a subject follows that:
    "when Ana Ruiz thanked the city" → "Ana Ruiz thanked the city"."""
    if len(toks) > 1 and toks[0].lower in ADVERBIAL_SUBORDINATORS and (
        toks[1].lower in _NOMINATIVE or is_cap(toks[1]) or toks[1].lower in _DET_NUM
    ):
        return toks[1:]
    return toks


#: the marks after which a clause starts (``text in _CLAUSE_MARKS``, a test of substrings)
_CLAUSE_MARKS: Final = ";:\u2014\u2013\"“”«»„'’-"
#: every text that :func:`_clause` acts on besides a conjunction: each substring of
#: ``_CLAUSE_MARKS`` (the empty one too) and the round brackets
_CLAUSE_SIGNS: Final = frozenset(
    _CLAUSE_MARKS[a:b] for a in range(len(_CLAUSE_MARKS) + 1)
    for b in range(a, len(_CLAUSE_MARKS) + 1)
) | {"(", ")"}


def _clause(toks: Sequence[Tok]) -> list[Tok]:
    """The tokens of the clause that ends the stretch, without its introductory phrases.

    The clause starts after the last quotation mark, semicolon, colon or dash, and after the
    last clause-joining conjunction (", and", ", but", and a bare "but" or "yet"). An
    introductory phrase ending in a comma ("In a statement on Monday, …", "Speaking to
    reporters, …", "However, …") is dropped.
    """
    out = list(toks)
    closed = False  # a ")" stands after this point: a "(" here opened an aside that ended
    for i in range(len(out) - 1, -1, -1):
        t = out[i]
        lower = t.lower  # a token's text lowered: a mark's text, and no other text lowers to one
        if lower not in _CLAUSE_SIGNS and lower not in _CLAUSE_CONJ:
            continue  # most words: neither a mark nor a conjunction, nothing below applies
        text = t.text
        if text == ")":
            closed = True
        elif (
            text in _CLAUSE_MARKS
            or (text == "(" and not closed)  # an aside: "(her campaign later disclosed …"
            or (t.lower in _CLAUSE_CONJ and (
                t.lower in ("but", "yet") or (i > 0 and out[i - 1].text == ",")
            ))
        ):
            out = out[i + 1 :]
            break
    return _drop_intro(out, lenient=True)


_SOURCE_NOUNS: Final = lexicon("source_nouns")


def can_speak(mention: Mention | None) -> bool:
    """Whether a mention can name a source: a name, a pronoun, a group, an organisation, a
    person's role ("the envoy") or a document ("the report"); not "the plan", "stopped short".
    """
    if mention is None:
        return False
    if mention.kind in ("nominal", "group"):
        return mention.kind == "group" or source_noun(mention.head) or (
            mention.head in ("who", "which")  # "Ana Ruiz, who said": linking finds her
        )
    return True


def source_noun(word: str) -> bool:
    """Whether a lower-case noun names who or what can report: a role, a document, a body."""
    head = singular(word)
    return role_noun(word)[0] or head in _SOURCE_NOUNS or head in _ORG_WORDS


def subject_before(toks: Sequence[Tok]) -> list[Tok]:
    """The subject noun phrase of a verb, from the tokens of its clause before the verb.

    Adverbs and auxiliaries before the verb are skipped and the clause is found as
    :func:`_clause` describes; of "X, an appositive or relative clause, said", X is the
    subject; in "what X says" or "which X said", X is.
    """
    out = list(toks)
    while out:
        if _is_time_phrase_end(out):
            out = out[:-2]
        elif ADVERB[out[-1].lower] and not is_cap(out[-1]):
            out = out[:-1]
        else:
            break
    out = _clause(out)
    if not out:
        return []
    if out[-1].text == ",":
        # "X, an appositive or a relative clause, said": X
        comma = next(i for i, t in enumerate(out) if t.text == ",")
        middle = out[comma + 1 : -1]
        described = out[0].lower in _DET and not is_cap(out[comma - 1])
        if described and 0 < len(middle) <= 4 and all(is_cap(t) for t in middle):
            return middle  # "A lawyer for the outlets, David Schulz, said": the name
        out = out[:comma]
    else:
        # "…, in which he said", "…, which Mr. Ruiz says": the phrase after the last comma
        for i in range(len(out) - 1, -1, -1):
            if out[i].text == ",":
                out = out[i + 1 :]
                break
    out = _without_brackets(out)
    if out and (bare := contraction_pronoun(out[-1])) is not None:
        return [bare]  # "He’s claiming", "They’ve said": the pronoun
    if out and out[-1].lower in _NOMINATIVE:
        return out[-1:]  # "… but even now at 86 she still says": she
    for i in range(len(out) - 1, -1, -1):
        w = out[i].lower
        if w not in _SUBORDINATORS:
            continue  # "who" and "whose" are subordinators too
        if w in ("who", "whose") and i > 0 and out[i - 1].text[:1].isalpha() and not (
            out[i - 1].lower in _PREP_AUX_SUB or cue_info(out[i - 1].lower)
        ):
            out = out[:i]  # "Experts who studied the plan say": the experts
            break
        if w in _SUBORDINATORS and (i > 0 or w != "that"):
            out = out[i + 1 :]
            break
    for i in range(1, len(out)):
        if out[i].lower in _IRREGULAR_PAST and out[i].text.islower():
            out = out[:i]  # "Tom Bell met the engineers and came away convinced": Tom Bell
            break
    for i in range(len(out) - 1, 0, -1):
        # a verb inside means a clause came first: "X had a wide array of artists writing …"
        if out[i].lower in _AUX and out[i].text.islower():
            rest = out[i + 1 :]
            if 0 < len(rest) <= 2 and all(
                t.text.isalpha() and t.text.islower() and not word_class(t.lower)
                and not role_noun(t.lower)[0] and pronoun(t.lower) is None for t in rest
            ):
                out = out[:i]  # "Ruiz has long said": words between auxiliary and verb
            else:
                out = rest
            break
    while out and out[-1].lower in _CONJ:
        out = out[:-1]  # "Ruiz and Bell and almost at once said": no subject ends in "and"
    if len(out) > 10:
        # too long for a subject: keep the trailing phrase after the last clause word
        for i in range(len(out) - 1, -1, -1):
            if out[i].lower in _AUX_SUB_CONJ and out[i].lower != "that":
                out = out[i + 1 :]
                break
        if len(out) > 10:
            return []
    return out


_IRREGULAR_PAST: Final = lexicon("irregular_past")
#: words that modify a title without naming anyone: "Retired General", "Deputy Director"
_TITLE_MODIFIERS: Final = frozenset({
    "retired", "former", "deputy", "acting", "assistant", "associate", "senior", "junior", "vice",
    "interim", "outgoing", "incoming", "late", "chief", "executive", "managing", "prime", "foreign",
    "home", "first", "supreme", "attorney", "surgeon", "lord",
})


def _title_word(tok: Tok) -> bool:
    """Whether a word can stand in a title without naming anyone: "Deputy", "Gov.", "Retired"."""
    return tok.lower in _TITLE_MODIFIERS or role_noun(unstopped(tok.lower))[0]


#: words of a time phrase besides the time words of function_words.txt: "Hours later, …"
_TIME_UNITS: Final = frozenset({
    "later", "earlier", "ago", "hours", "hour", "minutes", "minute", "days", "day", "weeks",
    "months", "years", "moments", "moment", "decades", "seconds", "few",
})
#: what a contraction adds to a word: "He’s", "they've"
CONTRACTION_ENDINGS: Final = (
    "’s", "'s", "’re", "'re", "’m", "'m", "’ve", "'ve", "’d", "'d", "’ll", "'ll",
)


def contraction_pronoun(tok: Tok) -> Tok | None:
    """The subject pronoun of a contraction token ("He’s" → "He", "they've" → "they")."""
    if not tok.lower.endswith(CONTRACTION_ENDINGS):
        return None  # most words: one test for all the endings
    for ending in CONTRACTION_ENDINGS:
        if tok.lower.endswith(ending):
            stem = tok.text[: -len(ending)]
            if stem.lower() in _NOMINATIVE and stem.lower() != "who":
                return Tok(stem, tok.start, tok.start + len(stem), stem.lower())
            return None
    return None


def _is_time_phrase_end(toks: Sequence[Tok]) -> bool:
    """Whether the stretch ends in a short time phrase: "in 2010", "on Monday", "last week"."""
    if len(toks) < 2:
        return False
    last, before = toks[-1], toks[-2]
    timely = last.text.isdigit() or last.lower in _TIME
    return timely and (before.lower in ("in", "on", "at", "last", "this", "since")) and (
        len(toks) > 2
    )


#: the texts of the bracket tokens that :func:`_without_brackets` takes out
_BRACKETS: Final = frozenset("()[]")


def _without_brackets(toks: Sequence[Tok]) -> list[Tok]:
    """The tokens outside parentheses and square brackets: "Meeks (D-N.Y.)" → "Meeks"."""
    # (a token's text lowered is its ``lower``: a bracket's text, and no other text lowers to one)
    if _BRACKETS.isdisjoint([t.lower for t in toks]):
        return list(toks)  # most stretches have none
    out, depth = [], 0
    for t in toks:
        if t.text in "([":
            depth += 1
        elif t.text in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(t)
    return out


def leading_subject(toks: Sequence[Tok]) -> list[Tok]:
    """The subject at the head of a clause: "Mrs. Ruiz has embraced …" → "Mrs. Ruiz".

    Used for a participle or a second verb that shares the subject of its main clause when no
    cue before it gave one.
    """
    # (the subject of "when the mayor thanked the city and said …" is the mayor)
    out = _without_subordinator(_clause_head(_last_clause(list(toks))))
    end = len(out)
    for i, t in enumerate(out):
        w = t.lower
        verbish = (
            w in _AUX_NEG
            or (w.endswith("ed") and t.text.islower() and len(w) > 3)
            or cue_info(w) is not None
            or t.text == ","
            or w in _SUBORDINATORS
            or (w in _IRREGULAR_PAST and t.text.islower())  # "European leaders met …"
            or (is_adverb(t) and t.text.islower())  # "The senator also …": the senator
        )
        if verbish and i > 0:
            end = i
            break
    while end > 0 and (
        out[end - 1].lower in _CONJ or not out[end - 1].text[:1].isalnum()
    ):
        end -= 1  # "Ruiz and Bell and": no subject ends in a conjunction or a dash
    return out[:end] if end <= 8 else []


def _clause_head(toks: list[Tok]) -> list[Tok]:
    """The clause that starts the stretch, without its introductory phrases and without a
    dateline ("BRUSSELS - European leaders …", "CHARLOTTE, N.C. — The wife …").
    """
    for i, t in enumerate(toks[:6]):
        if t.text in ("-", "\u2014", "\u2013", "--") and i > 0 and all(
            not x.text[:1].isalpha() or x.text.isupper() for x in toks[:i]
        ):
            toks = toks[i + 1 :]
            break
    return _drop_intro(toks, lenient=False)


def _drop_intro(toks: list[Tok], *, lenient: bool) -> list[Tok]:
    """Drop leading conjunctions and introductory phrases that end in a comma.

    An introductory phrase starts with a preposition, subordinator or adverb, or a participle
    ("Speaking to reporters, …"); ``lenient`` also drops a single adverb ("Still, …") and one
    lower-case word.
    """
    out = toks
    while out and out[0].lower in _CONJ:
        out = out[1:]
    while True:
        comma = None
        for i, t in enumerate(out):  # the first comma (a loop: no generator made each time)
            if t.text == ",":
                comma = i
                break
        if comma is None or comma == len(out) - 1:
            return out
        first = out[0]
        intro = first.lower in _PREP_SUB_ADV or first.lower.endswith("ing") or (
            # "Chastened by the polls, Ruiz …": a participle phrase, not a name ("Ahmed, …")
            first.lower.endswith("ed") and len(first.lower) > 5 and comma >= 2
            and first_name_gender(first.lower) is None
        ) or (
            # "Early in the race, …", "Shortly after the vote, …": an adverb and its phrase
            comma >= 3 and out[1].lower in _PREP and first.text[:1].isupper()
            and (ADVERB[first.lower] or first.lower in ("early", "late"))
        ) or (
            # "Last week, …", "Earlier this month, …": a time phrase
            0 < comma <= 5 and all(
                t.lower in _TIME or t.lower in _TIME_UNITS or t.text.isdigit()
                or t.lower in _DET_NUM for t in out[:comma]
            ) and any(t.lower in _TIME or t.lower in _TIME_UNITS for t in out[:comma])
        )
        if lenient:
            intro = intro or (first.lower.endswith("ly") and comma == 1) or (
                comma == 1 and not is_cap(first)
            )
        if first.lower in _RELATIVES or not intro:
            return out
        if lenient and first.lower in _SUB and _name_then_appositive(out, comma):
            return out  # "As Tom Bell, the senator, put it": no clause, the subject's start
        out = out[comma + 1 :]


_SUB: Final = class_words("sub")


def _name_then_appositive(toks: list[Tok], comma: int) -> bool:
    """Whether a subordinator and a bare name before ``comma`` are followed by one appositive
    that closes the stretch: "As Tom Bell , the senator ," (a verb of the name's comes next)."""
    name = toks[1:comma]
    if not 0 < len(name) <= 4 or not all(is_cap(t) for t in name):
        return False
    rest = toks[comma + 1 :]
    return len(rest) > 1 and rest[-1].text == "," and all(t.text != "," for t in rest[:-1])


def _title_before_name(toks: Sequence[Tok]) -> bool:
    """Whether the phrase opens with lower-case words that are no function words, then a
    capitalised word: a title before a name ("constituent Dan Hill", "state Rep. Ana Ruiz").
    """
    for t in toks[:3]:
        if is_cap(t):
            return t is not toks[0]
        w = t.lower
        if not (t.text.isalpha() and t.text.islower()) or w in _FUNCTION_WORDS or (
            w.endswith("ly")
        ):
            return False
    return False


#: endings of a word that, before a preposition, modifies the noun before it instead of
#: heading the phrase: "a source involved in", "an aide familiar with", "one close to"
_POSTMODIFIER_ENDINGS: Final = ("ed", "ing", "familiar", "close", "knowledgeable", "privy")


def subject_after(toks: Sequence[Tok]) -> list[Tok]:
    """The subject of an inverted cue ("…,” said the minister, …"): the phrase after the verb."""
    out: list[Tok] = []
    for i, t in enumerate(toks):
        if not t.text[:1].isalnum() and t.text not in ".'’-/":
            break  # "/" stays: "9/11 widow Ana Ruiz", "a CNN/ORC poll"
        if t.text == "." and not (out and len(out[-1].text) == 1):
            break
        # a preposition, auxiliary, relative or subordinator ends the phrase: "said Ana Ruiz
        # in a statement", "said Ana Ruiz, who …", "said Ana Ruiz when asked about it"
        clause_word = t.lower in _PREP_AUX_SUB
        title_of = t.lower == "of" and i + 1 < len(toks) and (
            is_cap(toks[i + 1]) or (i == 1 and toks[0].lower in _DET_NUM)  # "one of the aides"
        )
        if i > 0 and clause_word and t.text.islower() and not title_of:
            if len(out) > 2 and out[-1].lower.endswith(_POSTMODIFIER_ENDINGS) and (
                out[-1].text.islower()
            ):
                out.pop()  # "said a source familiar with …", "a source involved in …"
            break
        if i == 0 and not (is_cap(t) or t.lower in _DET_NUM or pronoun(t.lower)
                           or t.text[:1].isdigit()  # "said 9/11 widow Ana Ruiz"
                           or _title_before_name(toks)):  # "said campaign aide Ana Ruiz"
            return []
        out.append(t)
        if len(out) > 8:
            return []
    return out


