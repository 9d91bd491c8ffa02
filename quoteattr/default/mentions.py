"""Built-in plugin ``mentions``: names, pronouns and descriptions of people and groups.

One pass over each sentence's tokens finds:

- **names**: runs of capitalised words (with initials, hyphens and particles such as "de" or
  "bin"), without the titles before them; "the" before a name marks an organisation; a run
  that opens with a heading word and a number ("CHAPTER I THE INN") is a heading, no name;
- **titles** before a name ("U.S. envoy Dana Whitfield": "U.S. envoy") and **appositives**
  after it ("Ana Ruiz, the city's mayor,"): descriptions that entity linking attaches to the
  name, so that a later "the mayor" finds her;
- **descriptions** ("the Russian envoy", "a senior official") and **groups** ("two
  commanders", "officials") built on a role noun from ``lexicons/titles.txt``;
- **pronouns** that can refer to people (he, she, they and their other forms).

A mention at the start of a sentence is marked with the role ``subject``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Final

import regex

from quoteattr import trusted
from quoteattr.default.grammar import (
    CONTRACTION_ENDINGS,
    Tok,
    capitals_before,
    class_words,
    cue_table,
    function_words,
    honorific_words,
    np_mention,
    picked,
    pronoun,
    pronoun_forms,
    role_noun,
    role_noun_words,
    sentences_with_tokens,
    unstopped,
)
from quoteattr.model import Document, Mention, Quote, StashKey
from quoteattr.text import beyond_bmp, bmp_class, lexicon
from quoteattr.trusted import span_of

__all__ = ["quoteattr_find_mentions"]

_PERSON_PRONOUNS: Final = frozenset(
    {"he", "him", "his", "she", "her", "hers", "they", "them", "their"}
)
_PARTICLES: Final = frozenset({
    "de", "van", "von", "der", "bin", "ibn", "al", "da", "del", "di", "du", "la", "le", "dos",
    "ter", "ben", "abu",
})
_POSSESSIVE: Final = ("’s", "'s")
_LOWER_WORD: Final = regex.compile(r"(?<![\p{L}'’\-])\p{Ll}[\p{Ll}'’\-]*(?![\p{L}])")


#: ``pronoun(w)`` of each person pronoun that the pronoun lexicon knows, looked up once
_PRONOUN_INFO: Final = {w: p for w in _PERSON_PRONOUNS if (p := pronoun(w)) is not None}
#: a subject pronoun with a contraction: its length and, for a person pronoun, what
#: ``pronoun()`` says of it ("she’d": 3, ("female", False)); other pronouns ("I'm", "it's",
#: "we'll") have ``None``: one token, no name, no mention of a person
_CONTRACTIONS: Final[dict[str, tuple[int, tuple[str | None, bool] | None]]] = {
    w + end: (len(w), _PRONOUN_INFO.get(w))
    for w in ("he", "she", "they", "i", "we", "you", "it")
    for end in CONTRACTION_ENDINGS
    if pronoun(w) is not None
}
#: lower-case words that may start a mention without a capital: pronouns (with their
#: contractions) and role nouns
_TRIGGERS: Final = _PERSON_PRONOUNS | role_noun_words() | frozenset(_CONTRACTIONS)
#: every form the pronoun lexicon knows (``w in _PRONOUN_FORMS`` is ``pronoun(w) is not None``)
_PRONOUN_FORMS = pronoun_forms()
#: closed classes, as sets of words (``w in _DET_NUM`` is ``word_class(w) & {"det", "num"}``)
_DET_NUM: Final = class_words("det", "num")
_NOT_IN_DESCRIPTION: Final = class_words("prep", "aux", "conj", "sub")
#: determiners of a description that refers to no one in particular
_QUANTIFIERS: Final = frozenset({"any", "no", "every", "each", "either", "neither"})
_NOT_IN_TITLE: Final = class_words("det", "prep", "aux", "conj", "sub")
_ROLE_WORDS: Final = role_noun_words()  # ``w in _ROLE_WORDS`` is ``role_noun(w)[0]`` (w lower-case)
_HONORIFICS: Final = honorific_words()
_CUE_FORMS: Final = cue_table("cues")  # ``w.lower() in _CUE_FORMS`` is ``cue_info(w) is not None``
#: function words and cue forms: what a capitalised run drops from its front (and
#: "according", which opens "According to X, …" and is no name)
_FUNCTION_OR_CUE: Final = function_words() | frozenset(_CUE_FORMS) | {"according"}

# A token's ``lower`` is its text lower-cased, and lower-casing is idempotent (no character's
# lower-case form changes when lower-cased again), so ``tok.lower`` stands for both
# ``tok.text.lower()`` and ``tok.lower.lower()`` below.


def _sentence_mentions(doc: Document, toks: list[Tok], common: _LowerCaseWords) -> list[Mention]:
    out: list[Mention] = []
    n = len(toks)
    i = 0  # the tokens before i are read
    covered = -1  # end of the last appositive or title: descriptions inside it are taken
    # most words need nothing: only capitalised words, pronouns and role nouns are looked at
    for c in picked(toks, _TRIGGERS, True):
        if c < i:
            continue  # inside a name already read
        i = c
        t = toks[i]
        low = t.lower
        role = "subject" if i == 0 else ""
        p = _PRONOUN_INFO.get(low)
        if p is not None:
            out.append(trusted.mention(span_of(doc, t.start, t.end), "pronoun", p[0], p[1], "",
                                       "pronoun", role))
            i += 1
            continue
        contracted = _CONTRACTIONS.get(low)
        if contracted is not None:  # "she’d", "They're": the pronoun, without the rest
            size, p = contracted
            if p is not None:
                out.append(trusted.mention(span_of(doc, t.start, t.start + size), "pronoun", p[0],
                                           p[1], "", "pronoun", role))
            i += 1
            continue
        first = t.text[0]
        if first.isupper() and first.isalpha():  # a name token
            # the run of name tokens, with the initials, stops and particles inside a name
            j = i + 1
            while j < n:
                nt = toks[j]
                ch = nt.text[0]
                if not (ch.isupper() and ch.isalpha()):
                    # a stop or particle, then a name token: "J. Smith", "Ana de Souza"
                    ch = toks[j + 1].text[0] if j + 1 < n else ""
                    if not (ch.isupper() and ch.isalpha()):
                        break
                    if nt.text == ".":
                        before = toks[j - 1]
                        if not (len(before.text) <= 2 or unstopped(before.lower) in _HONORIFICS):
                            break
                    elif nt.lower not in _PARTICLES:
                        break
                if toks[j - 1].lower.endswith(_POSSESSIVE):
                    break
                j += 1
            covered = _name_mentions(doc, toks, i, j, role, common, out, covered)
            i = j
            continue
        if (low in _ROLE_WORDS and t.text.islower() and t.start >= covered
                and not (i + 1 < n and toks[i + 1].lower in _ROLE_WORDS
                         and toks[i + 1].text.islower())):  # not the first of a compound
            k = i
            while k > 0 and i - k < 3:
                before = toks[k - 1]
                if not (before.text[0].isalpha() and before.lower not in _NOT_IN_DESCRIPTION
                        and before.lower not in _CUE_FORMS):
                    break
                k -= 1
                if before.lower in _DET_NUM:
                    break
            # ("any young man", "no officer", "every voter": nobody in particular)
            if toks[k].lower not in _QUANTIFIERS and (
                toks[k].lower in _DET_NUM or low.endswith("s")
            ):
                m = np_mention(doc, toks[k : i + 1], rule="description")
                if m is not None and m.kind in ("nominal", "group"):
                    out.append(m)
        i += 1
    return out


_HEADING_WORDS: Final = lexicon("heading_words")
#: a chapter's number in roman numerals, of two letters or more (not "I", a pronoun): "II",
#: "XIV", "XL"; the hundreds (C, D, M) are left out, which also spell "DC" and "MD"
_ROMAN: Final = re.compile(r"(?=[IVXL]{2})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
#: a number in a heading: roman (with its full stop), arabic, or an ordinal word
_HEADING_NUMBER: Final = re.compile(r"(?:[ivxlcdm]+|\d+)\.?|the|first|second|third|one|two|three")


def _roman(word: str) -> bool:
    """``_ROMAN.fullmatch(word)``: the pattern asks for two letters of IVXL first, which most
    capitalised words (names) lack, and those are refused without a call to the pattern."""
    return len(word) >= 2 and word[0] in "IVXL" and word[1] in "IVXL" and (
        _ROMAN.fullmatch(word) is not None
    )


def _heading(toks: list[Tok], f: int, j: int) -> bool:
    """Whether the capitalised run ``toks[f:j]`` opens with a heading word and a number."""
    return (
        j - f > 1
        and toks[f].lower in _HEADING_WORDS
        and _HEADING_NUMBER.fullmatch(toks[f + 1].lower) is not None
    )


def _name_mentions(
    doc: Document, toks: list[Tok], i: int, j: int, role: str, common: _LowerCaseWords,
    out: list[Mention], covered: int,
) -> int:
    """Add to ``out`` the mentions of the capitalised run ``toks[i:j]``: the name, its title,
    its appositive; return ``covered`` moved to the end of the furthest of them with a role.
    """
    i += capitals_before(toks, i, j)  # "NEW YORK Ana Ruiz": a dateline, then the name
    # a sentence-initial function word or role noun is not part of a name
    f = i  # the run is toks[f:j]
    while f < j:
        low = toks[f].lower
        if low not in _FUNCTION_OR_CUE or unstopped(low) in _HONORIFICS or (
            low == "the" and j - f > 1
        ):
            break
        f += 1
    while f < j and _roman(toks[f].text):
        f += 1  # "II It was …", "Book XII": a chapter's number, no name
    if f == j:
        return covered
    if f == 0 and j == 1 and toks[0].lower in _ROLE_WORDS:
        return covered  # "Officials said …": a role noun capitalised at the start of a sentence
    # (the look-up in ``common`` last: it searches the text, and most runs stand mid-sentence)
    if j - f > 1 and (
        f == 0 or not toks[f - 1].text[0].isalnum()  # at the start of a sentence
    ) and toks[f].lower not in _ROLE_WORDS and toks[f].lower in common:
        # ("President Ana Ruiz" keeps her title)
        f += 1  # "Poor Eleanor", "Still Ruiz": a capitalised common word, then the name
    if j - f > 1 and toks[f].text.isupper() and all(
        t.text.isupper() or t.text == "." for t in toks[f:j]
    ) and sum(len(t.text) > 1 for t in toks[f:j]) > 0:
        # "CHAPTER XII", "FURTHER PARTICULARS", "ADVENTURE I. A SCANDAL IN BOHEMIA": a
        # heading in capitals
        return covered
    if _heading(toks, f, j):
        return covered  # "Chapter VII The Episode", "CHAPTER I IN WHICH …": a heading
    last = toks[j - 1]
    if last.lower.endswith(_POSSESSIVE):  # "Putin’s envoy": the name without its ’s
        run = toks[f : j - 1]
        if len(last.text) > 2:
            run.append(Tok(last.text[:-2], last.start, last.end - 2, last.lower[:-2]))
    else:
        run = toks[f:j]
    k = i
    # an honorific with its full stop: "Mr. Smith"
    if i >= 2 and toks[i - 1].text == "." and unstopped(toks[i - 2].lower) in _HONORIFICS:
        run = [toks[i - 2], *run]
        k = i - 2
    elif i >= 1 and unstopped(toks[i - 1].lower) in _HONORIFICS:
        run = [toks[i - 1], *run]
        k = i - 1
    with_det = [toks[k - 1], *run] if k >= 1 and toks[k - 1].lower == "the" else run
    if len(with_det) == 1 and with_det[0].lower in _PRONOUN_FORMS:
        return covered  # "It", "We": np_mention() would make it a pronoun (or nothing)
    name = np_mention(doc, with_det, rule="name", role=role)
    if name is None:
        return covered
    if name.kind == "nominal":  # a capitalised office, no name: "The Prime Minister"
        out.append(name)
        return covered
    if name.kind not in ("name", "organization"):
        return covered
    out.append(name)
    if name.role and name.span.end > covered:
        covered = name.span.end
    if name.kind == "organization":
        return covered  # no title or appositive for an organisation
    # a title of lower-case role words before the name: "counterterrorism coordinator X"
    b = k
    while b > 0 and k - b < 4:
        before = toks[b - 1]
        if not (before.text[0].isalpha() and before.lower not in _NOT_IN_TITLE
                and before.lower not in _CUE_FORMS):
            break
        b -= 1
    title = [t for t in toks[b:k] if t.lower in _ROLE_WORDS] if b < k else []
    # and capitalised titles that the name itself dropped: "President Ana Ruiz", "Gov. Bell"
    # (none when the name starts with the run: the run's tokens end after that)
    name_start = name.span.start
    lead = [
        t for t in run if t.end <= name_start and unstopped(t.lower) in _ROLE_WORDS
    ] if run and run[0].end <= name_start else []
    if title or lead:
        head = (title + lead)[-1]
        word = unstopped(head.lower)
        opener = toks[b] if title else lead[0]
        out.append(trusted.mention(span_of(doc, opener.start, head.end), "nominal",
                                   role_noun(word)[2], False, word, "title", "title"))
        if head.end > covered:
            covered = head.end
    # an appositive: "Name, a senior official with the ministry,"
    n = len(toks)
    if j < n and toks[j].text == ",":
        e = j + 1
        while e < n and toks[e].text not in ",.;:!?" and e - j < 16:
            e += 1
        if e > j + 1 and e < n and toks[e].text in ",.;" and _has_role_word(toks[j + 1 : e]):
            app = np_mention(doc, toks[j + 1 : e], rule="appositive")
            if app is not None and app.kind == "nominal" and role_noun(app.head)[0]:
                span = span_of(doc, toks[j + 1].start, toks[e - 1].end)
                out.append(trusted.mention(span, "nominal", app.gender, False, app.head,
                                           "appositive", "appositive"))
                if span.end > covered:
                    covered = span.end
    return covered


def _has_role_word(toks: list[Tok]) -> bool:
    """Whether a phrase has a word that is a role noun, or is one without its stops.

    Only such a phrase can make an appositive: the head of a description that np_mention()
    finds is one of the phrase's words (lower-case), or for a title without a name that word
    without its stops, and ``w in _ROLE_WORDS`` is ``role_noun(w)[0]``. Most phrases after a
    name and a comma have none ("Ana Ruiz, Moscow and Kyiv"), and need no np_mention().
    """
    roles = _ROLE_WORDS
    return any(t.lower in roles or unstopped(t.lower) in roles for t in toks)


def quoteattr_find_mentions(doc: Document, quotes: Sequence[Quote]) -> list[Mention]:
    """Every name, description and personal pronoun in ``doc``."""
    out: list[Mention] = []
    common = _common_words(doc)
    for _, toks in sentences_with_tokens(doc):
        out += _sentence_mentions(doc, toks, common)
    return out


_LOWER_WORDS: Final[StashKey[_LowerCaseWords]] = StashKey("words written in lower case")


class _LowerCaseWords:
    """The words that a document also writes in lower case: "poor", "old", "still".

    A capital on one of them at the start of a sentence marks the sentence, not a name.
    ``word in words`` is ``word in frozenset(_LOWER_WORD.findall(doc.text))``, found for the
    few words asked about instead of for every word of the text: a match of the pattern can
    only start where the character before is no letter, apostrophe or hyphen, and every
    character of a match is one of those, so no match starts inside another: the matches
    that findall() finds are those that the pattern makes at each place it matches at all.

    Each look-up searches the text, so a document that asks about many words (one with many
    sentences) would be searched as many times over: once the look-ups have searched the
    text :data:`_SEARCH_BUDGET` times over, every word is collected with findall() after all.
    """

    __slots__ = ("_budget", "_known", "_text", "_words")

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: dict[str, bool] = {}
        self._words: frozenset[str] | None = None  # every word, once the budget is spent
        self._budget = _SEARCH_BUDGET * len(text)  # characters the look-ups may still search

    def __contains__(self, word: str) -> bool:
        if self._words is not None:
            return word in self._words
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._written(word)
        return known

    def _written(self, word: str) -> bool:
        """Whether the pattern matches ``word`` at one of the places the text has it."""
        text = self._text
        match = _LOWER_WORD.match  # (looks behind the place it is given, as findall does)
        found = False
        tries = 0
        at = text.find(word)
        while at >= 0:
            tries += 1
            m = match(text, at)
            if m is not None and m.group() == word:
                found = True
                break
            at = text.find(word, at + 1)
        # what the search cost: the stretch of text searched, and a charge for each place tried
        self._budget -= (at if found else len(text)) + tries * _TRY_COST
        if self._budget < 0:
            pattern = _LOWER_WORD if beyond_bmp(text) else _fast_lower_word()
            self._words = frozenset(pattern.findall(text))
        return found


#: how many times over the look-ups of :class:`_LowerCaseWords` may search a document's text
#: before it collects every word instead (a news article asks about a dozen words or so)
_SEARCH_BUDGET: Final = 32
#: what one place tried costs, in characters searched (a regex match from Python code)
_TRY_COST: Final = 100


@cache
def _fast_lower_word() -> re.Pattern[str]:
    """:data:`_LOWER_WORD` for the ``re`` module, for text within the BMP (twice as fast)."""
    letter, lower = bmp_class(r"\p{L}"), bmp_class(r"\p{Ll}")
    return re.compile(f"(?<![{letter}'’\\-])[{lower}][{lower}'’\\-]*(?![{letter}])")


def _common_words(doc: Document) -> _LowerCaseWords:
    """The words that the document also writes in lower case (see :class:`_LowerCaseWords`)."""
    return doc.stash.setdefault(_LOWER_WORDS, _LowerCaseWords, doc.text)
