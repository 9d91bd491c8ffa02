"""Built-in plugin ``mentions``: names, pronouns and descriptions of people and groups.

One pass over each sentence's tokens finds:

- **names**: runs of capitalised words (with initials, hyphens and particles such as "de" or
  "bin"), without the titles before them; "the" before a name marks an organisation;
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

import regex

from quoteattr import hookimpl
from quoteattr.default.grammar import (
    Tok,
    class_words,
    cue_table,
    function_words,
    honorific_words,
    np_mention,
    pronoun,
    role_noun,
    role_noun_words,
    sentence_tokens,
)
from quoteattr.model import Document, Mention, Quote, StashKey, trusted_mention
from quoteattr.text import beyond_bmp, bmp_class, sentences

__all__ = ["quoteattr_find_mentions"]

_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their"})
_PARTICLES = frozenset({"de", "van", "von", "der", "bin", "ibn", "al", "da", "del", "di", "du",
                        "la", "le", "dos", "ter", "ben", "abu"})
_POSSESSIVE = ("’s", "'s")
_LOWER_WORD = regex.compile(r"(?<![\p{L}'’\-])\p{Ll}[\p{Ll}'’\-]*(?![\p{L}])")


@cache
def _fast_lower_word() -> re.Pattern[str]:
    """:data:`_LOWER_WORD` for the ``re`` module, for text within the BMP (twice as fast)."""
    letter, lower = bmp_class(r"\p{L}"), bmp_class(r"\p{Ll}")
    return re.compile(f"(?<![{letter}'’\\-])[{lower}][{lower}'’\\-]*(?![{letter}])")


#: lower-case words that may start a mention without a capital: pronouns and role nouns
_TRIGGERS = _PERSON_PRONOUNS | role_noun_words()
#: closed classes, as sets of words (``w in _DET_NUM`` is ``word_class(w) & {"det", "num"}``)
_DET_NUM = class_words("det", "num")
_FUNCTION_WORDS = function_words()
_NOT_IN_DESCRIPTION = class_words("prep", "aux", "conj", "sub")
_NOT_IN_TITLE = class_words("det", "prep", "aux", "conj", "sub")
_ROLE_WORDS = role_noun_words()  # ``w in _ROLE_WORDS`` is ``role_noun(w)[0]`` (w lower-case)
_HONORIFICS = honorific_words()
_CUE_FORMS = cue_table("cues")  # ``w.lower() in _CUE_FORMS`` is ``cue_info(w) is not None``


def _sentence_mentions(doc: Document, toks: Sequence[Tok], common: frozenset[str]) -> list[Mention]:
    out: list[Mention] = []
    n = len(toks)
    i = 0  # the tokens before i are read
    covered = -1  # end of the last appositive or title: descriptions inside it are taken
    # most words need nothing: only capitalised words, pronouns and role nouns are looked at
    triggers = _TRIGGERS
    # (a token's text is never empty; the capital test first, as it is the cheaper one)
    for c in [k for k, t in enumerate(toks) if t.text[0].isupper() or t.lower in triggers]:
        if c < i:
            continue  # inside a name already read
        i = c
        t = toks[i]
        role = "subject" if i == 0 else ""
        if t.lower in _PERSON_PRONOUNS and (p := pronoun(t.lower)) is not None:
            out.append(trusted_mention(doc.span(t.start, t.end), "pronoun", p[0], p[1], "",
                                       "pronoun", role))
            i += 1
            continue
        first = t.text[:1]
        if first.isupper() and first.isalpha():  # a name token
            # the run of name tokens, with the initials, stops and particles inside a name
            j = i + 1
            while j < n:
                nt = toks[j]
                ch = nt.text[:1]
                if not (ch.isupper() and ch.isalpha()):
                    # a stop or particle, then a name token: "J. Smith", "Ana de Souza"
                    ch = toks[j + 1].text[:1] if j + 1 < n else ""
                    if not (ch.isupper() and ch.isalpha()):
                        break
                    if nt.text == ".":
                        before = toks[j - 1].text
                        if not (len(before) <= 2 or before.lower().rstrip(".") in _HONORIFICS):
                            break
                    elif nt.lower not in _PARTICLES:
                        break
                if toks[j - 1].lower.endswith(_POSSESSIVE):
                    break
                j += 1
            found = _name_mentions(doc, toks, i, j, role, common)
            out += found
            for f in found:
                if f.role and f.span.end > covered:
                    covered = f.span.end
            i = j
            continue
        is_role = t.lower in _ROLE_WORDS
        compound = i + 1 < n and toks[i + 1].text.islower() and toks[i + 1].lower in _ROLE_WORDS
        if is_role and t.text.islower() and not compound and t.start >= covered:
            k = i
            while (k > 0 and i - k < 3 and toks[k - 1].text[:1].isalpha()
                   and toks[k - 1].lower not in _NOT_IN_DESCRIPTION
                   and toks[k - 1].lower.lower() not in _CUE_FORMS):
                k -= 1
                if toks[k].lower in _DET_NUM:
                    break
            start_tok = toks[k]
            if start_tok.lower in _DET_NUM or t.lower.endswith("s"):
                m = np_mention(doc, toks[k : i + 1], rule="description")
                if m is not None and m.kind in ("nominal", "group"):
                    out.append(m)
        i += 1
    return out


def _name_mentions(
    doc: Document, toks: Sequence[Tok], i: int, j: int, role: str, common: frozenset[str]
) -> list[Mention]:
    """The mentions of the capitalised run ``toks[i:j]``: the name, its title, its appositive."""
    run = list(toks[i:j])
    # a sentence-initial function word or role noun is not part of a name
    while run and (
        run[0].lower in _FUNCTION_WORDS or run[0].lower.lower() in _CUE_FORMS
    ) and run[0].text.lower().rstrip(".") not in _HONORIFICS:
        if run[0].lower == "the" and len(run) > 1:
            break
        run = run[1:]
    if not run:
        return []
    if len(run) == 1 and run[0].lower in _ROLE_WORDS and run[0] is toks[0]:
        return []  # "Officials said …": a role noun capitalised at the start of a sentence
    first = j - len(run)  # the run is toks[first:j]: only its front was dropped so far
    starts_sentence = first == 0 or not toks[first - 1].text[:1].isalnum()
    if len(run) > 1 and starts_sentence and run[0].lower in common and (
        run[0].lower not in _ROLE_WORDS  # "President Ana Ruiz" keeps her title
    ):
        run = run[1:]  # "Poor Eleanor", "Still Ruiz": a capitalised common word, then the name
    if len(run) > 1 and all(t.text.isupper() and len(t.text) > 1 for t in run):
        return []  # "CHAPTER XII", "FURTHER PARTICULARS": a heading in capitals, not a name
    last = run[-1]
    if last.lower.endswith(_POSSESSIVE):  # "Putin’s envoy": the name without its ’s
        cut = Tok(last.text[:-2], last.start, last.end - 2, last.lower[:-2])
        run = [*run[:-1], cut] if cut.text else run[:-1]
    k = i
    # an honorific with its full stop: "Mr. Smith"
    if i >= 2 and toks[i - 1].text == "." and toks[i - 2].text.lower().rstrip(".") in _HONORIFICS:
        run = [toks[i - 2], *run]
        k = i - 2
    elif i >= 1 and toks[i - 1].text.lower().rstrip(".") in _HONORIFICS:
        run = [toks[i - 1], *run]
        k = i - 1
    with_det = [toks[k - 1], *run] if k >= 1 and toks[k - 1].lower == "the" else run
    name = np_mention(doc, with_det, rule="name", role=role)
    if name is None or name.kind not in ("name", "organization"):
        return []
    out = [name]
    # a title of lower-case role words before the name: "counterterrorism coordinator X"
    b = k
    while (b > 0 and k - b < 4 and toks[b - 1].text[:1].isalpha()
           and toks[b - 1].lower not in _NOT_IN_TITLE
           and toks[b - 1].lower.lower() not in _CUE_FORMS):
        b -= 1
    title = [t for t in toks[b:k] if t.lower in _ROLE_WORDS]
    # and capitalised titles that the name itself dropped: "President Ana Ruiz", "Gov. Bell"
    lead = [t for t in run if t.end <= name.span.start and t.lower.rstrip(".") in _ROLE_WORDS]
    if (title or lead) and name.kind == "name":
        head = (title + lead)[-1]
        word = head.lower.rstrip(".")
        opener = toks[b] if title else lead[0]
        out.append(trusted_mention(doc.span(opener.start, head.end), "nominal",
                                   role_noun(word)[2], False, word, "title", "title"))
    # an appositive: "Name, a senior official with the ministry,"
    if j < len(toks) and toks[j].text == "," and name.kind == "name":
        e = j + 1
        while e < len(toks) and toks[e].text not in ",.;:!?" and e - j < 16:
            e += 1
        if e > j + 1 and e < len(toks) and toks[e].text in ",.;":
            app = np_mention(doc, toks[j + 1 : e], rule="appositive")
            if app is not None and app.kind == "nominal" and role_noun(app.head)[0]:
                span = doc.span(toks[j + 1].start, toks[e - 1].end)
                out.append(trusted_mention(span, "nominal", app.gender, False, app.head,
                                           "appositive", "appositive"))
    return out


@hookimpl
def quoteattr_find_mentions(doc: Document, quotes: Sequence[Quote]) -> list[Mention]:
    """Every name, description and personal pronoun in ``doc``."""
    out: list[Mention] = []
    common = _common_words(doc)
    for sent in sentences(doc):
        out += _sentence_mentions(doc, sentence_tokens(doc, sent), common)
    return out


_LOWER_WORDS: StashKey[frozenset[str]] = StashKey("words written in lower case")


def _common_words(doc: Document) -> frozenset[str]:
    """The words that the document also writes in lower case: "poor", "old", "still".

    A capital on one of them at the start of a sentence marks the sentence, not a name.
    """

    def build() -> frozenset[str]:
        text = doc.text
        pattern = _LOWER_WORD if beyond_bmp(text) else _fast_lower_word()
        return frozenset(pattern.findall(text))

    return doc.stash.setdefault(_LOWER_WORDS, build)
