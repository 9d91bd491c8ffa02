"""Built-in speaker-resolution sieves, one plugin each, most precise first.

======================  ==========  ==========================================================
plugin                  order       decides
======================  ==========  ==========================================================
``sieve-frame``         tryfirst    quotes whose detector saw the cue's subject ("X said …")
``sieve-adjacent-cue``  tryfirst    direct quotes with a cue right after or before them:
                                    "“…,” she said", "“…,” said the minister", "X told Y: “…”"
``sieve-continuation``  trylast     a quote with no cue right after the same speaker's quote
                                    (or, in a conversation, the turn before last)
``sieve-preceding-      trylast     a quote with no cue after a sentence whose subject is a
subject``                           name or a pronoun: "Ruiz disagreed. “…”"
======================  ==========  ==========================================================

The two ``tryfirst`` sieves never both apply (a quote has a detected subject or it has not),
so their order within the tier does not matter. Each sieve is a separate plugin so that it can
be blocked or replaced on its own: ``--block sieve-continuation``; the plugin objects, which
carry the order above, are in :mod:`quoteattr.default.plugins`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

import attrs
import regex

from quoteattr import trusted
from quoteattr.default.coref import addressed_names
from quoteattr.default.grammar import (
    Tok,
    can_speak,
    cue_at,
    cue_info,
    first_name_gender,
    is_adverb,
    is_cap,
    leading_subject,
    make_cue,
    np_mention,
    subject_after,
    subject_before,
    tokenize,
    word_class,
)
from quoteattr.model import Document, Mention, Quote, Resolution, Span, StashKey
from quoteattr.pipeline import ResolutionContext
from quoteattr.text import (
    bisect_right_int,
    is_space,
    last_non_space,
    paragraph_index,
    paragraph_offsets,
    paragraph_starts,
    paragraphs,
    sentence_at,
)
from quoteattr.trusted import span_of

__all__ = ["Sieve", "adjacent_cue", "continuation", "frame", "preceding_subject"]


class Sieve(Protocol):
    """A sieve of this module: its name (the ``sieve`` of its resolutions) and its decision."""

    name: str

    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        """The speaker of ``quote``, or ``None`` to leave it to the next sieve."""

_CONFIDENCE: Final = {
    "name": 0.92, "organization": 0.88, "group": 0.85, "nominal": 0.8, "pronoun": 0.8,
}
#: how much less sure a sieve is of content that a weaker detector rule found
_RULE_SCALE: Final = {"attitude": 0.6, "belief-clause": 0.85, "parenthetical-cue": 0.9,
                      "noun-cue": 0.75, "label-colon": 0.8}
_WINDOW: Final = 240  # characters scanned on either side of a quote for its cue
_MAX_GAP_TOKENS: Final = 24  # "“…,” Ana Ruiz, the port's director, said": room for an appositive
_STOP: Final = frozenset(".!?;")
_OPEN_MARKS: Final = frozenset("\"“‘'«„‚‹「『")
_DASHES: Final = frozenset("―—–-")
#: the last character inside a quote that can hand on to a cue after it: “…,” she said
_OPEN_INNER: Final = frozenset({",", "?", "!", "—", "–", "-", "…", "."})
#: characters that, standing right before a quote, leave no cue between them and it
_ENDS_BEFORE: Final = frozenset("!?;”\"»") | _OPEN_MARKS
#: closing double quotation marks
_CLOSE_DOUBLE: Final = frozenset("”\"»")
#: double quotation marks, either way round
_DOUBLE_MARKS: Final = frozenset("\"“”«»„")
# a speaker's label in capitals opening a quoted transcript line: "WALLACE:", "SEN. KAINE:"
_SPEAKER_LABEL: Final = regex.compile(
    r"\s*(?P<name>\p{Lu}[\p{Lu}.'’\-]+(?: \p{Lu}[\p{Lu}.'’\-]+){0,2}):\s"
)
_CLOSING: Final = "\"”’'»›」』"
#: how a paragraph that introduces a quotation in the next one ends: "He said:", "Emma said,",
#: "and thus spoke--"
_INTRODUCING: Final = (":", ",", "--", "\u2014", "\u2013")
#: the marks of emphasis in plain text, which may end a quotation's words: “Who are _you?_”
_EMPHASIS: Final = "_*"
#: words that open an adverbial clause: a cue inside one is not the quote's
_CLAUSE_OPENERS: Final = frozenset({
    "while", "although", "though", "because", "if", "unless", "whereas", "since", "when",
})
#: subjects that name no one: "There is one rule:", "This is what she wrote:"
_EXPLETIVES: Final = frozenset({"there", "here", "it", "this", "that", "these", "those", "what"})


def _name_then_cue(toks: list[Tok]) -> bool:
    """Whether the tokens start with a name (capitalised words) and then a lower-case cue."""
    for k, t in enumerate(toks[:5]):
        if t.text.islower() and cue_info(t.lower) is not None:
            return k > 0
        if not is_cap(t):
            return False
    return False


def _resolution(mention: Mention | None, quote: Quote, sieve: str, scale: float = 1.0,
                cue: object = None) -> Resolution | None:
    if mention is None:
        return None
    confidence = _CONFIDENCE.get(mention.kind, 0.7) * scale
    return trusted.resolution(mention, cue or quote.cue, confidence, sieve)


#: what _after() strips from the end of a quotation to find its last character inside
_INNER_STRIP: Final = _CLOSING + _EMPHASIS + " "
#: what _before() strips from the end of the stretch before a quotation to find the last
#: character that may end a cue's clause
_BEFORE_STRIP: Final = " \t\n\r,:\u2014\u2013-"


#: the code points of _INNER_STRIP and _BEFORE_STRIP, which the scans below test
_INNER_STRIP_CODES: Final = frozenset(map(ord, _INNER_STRIP))
_BEFORE_STRIP_CODES: Final = frozenset(map(ord, _BEFORE_STRIP))


def _last_inner(text: str, start: int, end: int) -> str:
    """``text[start:end].rstrip(_INNER_STRIP)[-1:]``, without copying the quotation."""
    i = end - 1
    while i >= start and ord(text[i]) in _INNER_STRIP_CODES:
        i -= 1
    return text[i] if i >= start else ""


def _first_after(text: str, end: int, stop: int) -> str:
    """``text[end:stop].lstrip()[:1]``, without copying the stretch."""
    stop = min(stop, len(text))
    i = end
    while i < stop and is_space(ord(text[i])):
        i += 1
    return text[i] if i < stop else ""


def _last_before(text: str, lo: int, start: int) -> str:
    """``text[lo:start].rstrip(_BEFORE_STRIP)[-1:]``, without copying the stretch."""
    i = min(start, len(text)) - 1
    while i >= lo and ord(text[i]) in _BEFORE_STRIP_CODES:
        i -= 1
    return text[i] if i >= lo else ""


def _may_hand_on(text: str, start: int, end: int) -> bool:
    """Whether :meth:`AdjacentCueSieve._after` may read past the first test for a quotation
    at ``[start, end)``, whatever its limit: the quote's last word inside hands on to a cue,
    or a comma or a dash follows it (with a limit, nothing or the same character follows)."""
    if _last_inner(text, start, end) in _OPEN_INNER:
        return True
    nxt = _first_after(text, end, end + _WINDOW)
    return nxt == "," or nxt in _DASHES


def _colon_before(text: str, start: int) -> bool:
    """Whether a colon is the last character before ``start`` but white space: only then may
    :meth:`AdjacentCueSieve._colon` read past its first test, whatever its limit."""
    i = last_non_space(text, 0, start)
    return i >= 0 and text[i] == ":"


class FrameSieve:
    """The subject of the quote's own cue, as the detector saw it."""

    name = "frame"

    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        if quote.subject is None:
            return None
        toks = tokenize(doc.text, quote.subject.start, quote.subject.end)
        mention = np_mention(doc, toks, rule=self.name, role="speaker")
        scale = _RULE_SCALE.get(quote.rule, 1.0 if quote.type != "indirect" else 0.95)
        return _resolution(mention, quote, self.name, scale)


_ADJACENT_READINGS: Final[StashKey[dict[tuple[int, int], Resolution | None]]] = StashKey(
    "the adjacent-cue sieve's decision, by quotation"
)


class AdjacentCueSieve:
    """A cue next to a direct quote: after it ("“…,” she said") or before it ("X said: “…”")."""

    name = "adjacent-cue"

    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        # the reading made already, if the continuation sieve read this quotation's cue ahead
        # (through read()); otherwise made now and not kept: the hook asks once a quotation,
        # and most texts have no conversation for the walks to read ahead in
        memo = doc.stash.get(_ADJACENT_READINGS)
        if memo is not None:
            content = quote.content
            key = (content.start, content.end)
            if key in memo:
                return memo[key]
        return self._read(doc, quote)

    def read(self, doc: Document, quote: Quote) -> Resolution | None:
        """The decision for ``quote``, read once per quotation and document and kept: the
        continuation sieve reads the cues of the turns ahead of a reply with it (see
        :func:`_cue_speaker`), and the hook takes what it kept. It depends on the text and the
        quotation alone."""
        memo = doc.stash.setdefault(_ADJACENT_READINGS, dict)
        content = quote.content
        key = (content.start, content.end)
        if key in memo:
            return memo[key]
        found = memo[key] = self._read(doc, quote)
        return found

    def _read(self, doc: Document, quote: Quote) -> Resolution | None:
        if quote.type != "direct" or quote.subject is not None:
            return None
        fragments = quote.fragments
        if len(fragments) >= 2:  # “A,” she said, “B.”: the cue stands between
            return self._after(doc, quote, fragments[1].start, fragments[0])
        text = doc.text
        content = quote.content
        qs, qe = content.start, content.end
        # (a label ends with a colon: most quotations hold none, and need no match)
        label = _SPEAKER_LABEL.match(text, qs + 1, qe) if text.find(":", qs + 1, qe) >= 0 else None
        if label is not None:  # a transcript: "“WALLACE: Let's start with …”"
            mention = Mention(span_of(doc, *label.span("name")), "name", rule=self.name,
                              role="speaker")
            return trusted.resolution(mention, None, 0.85, self.name)
        offsets = paragraph_offsets(doc)
        index = max(0, bisect_right_int(offsets, qs) - 1)  # paragraph_index(doc, qs)
        start = offsets[index]
        if not (_may_hand_on(text, qs, qe) or _colon_before(text, qs)) and _last_before(
            text, max(start, qs - _WINDOW), qs
        ) in _ENDS_BEFORE:
            # what _after(), _colon() and _before() each turn away first, whatever their
            # limits (a text of dialogue has a quotation every few words, and most of them
            # follow another one or a stop): nothing after the quote to hand on to a cue, no
            # colon before it, and a stop or a quotation right before it
            return None
        paras = paragraphs(doc)
        last = paragraph_index(doc, qe - 1)
        para = paras[last]
        if start == qs and index > 0 and paras[index - 1].text.endswith(_INTRODUCING):
            start = paras[index - 1].start  # "He said:" or "she said," closing the one before
        end = para.end
        if index + 1 < len(paras) and paras[index + 1].text[:1].islower() and last == index:
            end = paras[index + 1].end  # “…”⏎said Ada: no paragraph opens in lower case
        return (self._after(doc, quote, end) or self._before(doc, quote, start)
                or self._colon(doc, quote, start))

    def _colon(self, doc: Document, quote: Quote, limit: int) -> Resolution | None:
        """A quote after a clause that ends in a colon: "The memo put the goal plainly: “…”".

        With no cue next to the quote, the subject of the introducing clause is the source.
        """
        text = doc.text
        colon = quote.content.start - 1
        while colon >= limit and text[colon].isspace():
            colon -= 1  # the gap before this quote only, not the paragraph up to it
        if colon < limit or text[colon] != ":":
            return None
        sentence = sentence_at(doc, colon)
        lo = max(limit, colon - _WINDOW, sentence.start if sentence is not None else 0)
        toks = tokenize(text, lo, colon)
        if any(t.text in _DOUBLE_MARKS for t in toks):
            return None  # a quotation of its own before the colon
        subject = leading_subject(toks)
        if not subject or subject[0].lower in _EXPLETIVES or all(
            word_class(t.lower) for t in subject
        ):
            return None  # "There is one rule: “…”", and no noun at all ("The" alone)
        mention = np_mention(doc, subject, rule=self.name, role="speaker")
        if not can_speak(mention):
            return None
        return _resolution(mention, quote, self.name, scale=0.7)

    def _after(
        self, doc: Document, quote: Quote, limit: int, piece: Span | None = None
    ) -> Resolution | None:
        text = doc.text
        piece = piece or quote.content
        end = piece.end
        inner = _last_inner(text, piece.start, end)
        if inner not in _OPEN_INNER:
            # “experts” were wrong: without a comma after the quote (or a dash before a byline)
            # a quoted word inside a sentence reports no speech; decided before tokenizing
            nxt = _first_after(text, end, min(limit, end + _WINDOW))
            if nxt != "," and nxt not in _DASHES:
                return None
        if limit <= end:
            return None  # the quote closes its paragraph: nothing after it to read
        toks = tokenize(text, end, min(limit, end + _WINDOW), most=_MAX_GAP_TOKENS + 16)
        comma_after = bool(toks) and toks[0].text == ","
        if comma_after:
            toks = toks[1:]
        if not toks:
            return None
        if toks[0].text in _DASHES and not comma_after:
            return self._byline(doc, quote, toks[1:])
        ended = inner == "."
        # “Why?” He left. — a capital after a question starts a new sentence, unless a cue
        # stands first or second: “Why?” Anna asked.
        new_sentence = toks[0].text[:1].isupper() and cue_info(toks[0].lower) is None
        if inner in "?!" and new_sentence and not _name_then_cue(toks):
            return None
        if toks[0].lower in _CLAUSE_OPENERS:
            return None  # “…” While Ruiz agrees, she …: a cue in another clause's opening
        window = toks[: _MAX_GAP_TOKENS + 1]
        for k, tok in enumerate(window):
            abbreviation = tok.text == "." and k + 1 < len(window) and window[k + 1].text in ",)"
            if (tok.text in _STOP and not abbreviation) or tok.text in _OPEN_MARKS:
                return None
            if tok.text[:1].isupper():
                continue  # a cue here would start with that capital: no lower-case cue
            match = cue_at(text, tok.start, min(limit, tok.start + 40))
            if match is None or not match.group().islower():
                continue
            info = cue_info(match.group())
            if info is None or (info.cls in ("P", "B") and info.lemma != "think"):
                continue  # (a thought is quoted as speech is: “…,” thought Ada)
            if k == 0:
                rest = [t for t in toks if t.start >= match.end()]
                subject = _without_trailing_adverbs(subject_after(rest))
            else:
                subject = [t for t in toks[:k] if not is_adverb(t)]
                if subject and subject[0].lower == "as":
                    subject = subject[1:]  # “…,” as the mayor put it
                comma = next((n for n, t in enumerate(subject) if t.text == ","), None)
                if comma is not None:  # “…,” X, a senior official, said
                    subject = subject[:comma]
            mention = np_mention(doc, subject, rule=self.name, role="speaker")
            if not (can_speak(mention) or (
                not match.group().endswith("ing") and _inverted_noun(
                    mention, subject, _INVERTED_OPENERS if k == 0 else _FRONTED_OPENERS
                ) and (k == 0 or (len(subject) == k and inner == ","))
                # k > 0: no auxiliary ("this one was told"), and a comma closes the quote
            )):
                continue  # "state" in "state meteorologist X said" is no cue; nor a verb phrase
            assert mention is not None
            if ended and mention.kind == "nominal" and not mention.role and k > 0:
                return None
            # “… ends.” Ana Ruiz said. — a new sentence, but in news still the quote's cue
            cue = make_cue(doc, match.start(), match.end())
            return _resolution(mention, quote, self.name, scale=0.85 if ended else 1.0, cue=cue)
        return None

    def _byline(self, doc: Document, quote: Quote, toks: list[Tok]) -> Resolution | None:
        """“…” — Ana Ruiz: a name after a dash, with nothing else in its line or sentence."""
        name: list[Tok] = []
        for t in toks:
            if t.text in ",.;" or t.text in _OPEN_MARKS:
                break
            if not is_cap(t):
                return None
            name.append(t)
        if not 0 < len(name) <= 4:
            return None
        mention = np_mention(doc, name, rule=self.name, role="speaker")
        if mention is None or mention.kind != "name":
            return None
        return _resolution(mention, quote, self.name, scale=0.9)

    def _before(self, doc: Document, quote: Quote, limit: int) -> Resolution | None:
        text = doc.text
        start = quote.content.start
        lo = max(limit, start - _WINDOW)
        if _last_before(text, lo, start) in _ENDS_BEFORE:
            return None  # another quotation or a sentence end right before: no cue here
        toks = tokenize(text, lo, start)
        while toks and toks[-1].text in ",:\u2014\u2013-":
            toks.pop()
        # a few words between the cue and the quote: "told reporters", "said on the other hand"
        reach = 6  # words to walk back; a name's further words are free: "with The New York
        for back in range(1, 11):  # Times" costs one
            if back > len(toks):
                return None
            tok = toks[-back]
            if tok.text in _STOP or tok.text in _OPEN_MARKS or tok.text in "”\"»":
                return None
            if not (is_cap(tok) and back < len(toks) and is_cap(toks[-back - 1])) or (
                tok.text.isupper() and len(tok.text) > 1  # a headline's words all cost
            ):
                reach -= 1
                if reach < 0:
                    return None
            match = cue_at(text, tok.start, min(start, tok.start + 40))
            first_word = len(toks) == back or toks[-back - 1].text in _STOP or (
                # after a quotation that ended its sentence: "… “was not good.” Adding, “…”"
                back + 1 < len(toks) and toks[-back - 1].text in _CLOSE_DOUBLE
                and toks[-back - 2].text in _STOP
            )
            if match is None or match.end() > toks[-1].end or not (
                match.group().islower() or first_word
            ):
                continue
            info = cue_info(match.group())
            if info is None or info.cls in ("P", "B"):
                continue
            before = toks[-back - 1] if back < len(toks) else None
            if before is not None and (
                word_class(before.lower) & {"prep", "det"} or before.lower.endswith(("’s", "'s"))
            ):
                continue  # "said via email that, “…”": a noun here, the cue stands further back
            head: list[Tok] = [] if first_word else _in_sentence(
                doc, toks[: len(toks) - back], match.start()
            )
            participle = match.group().endswith("ing")
            subject = _name_before_participle(head) if participle else []
            if not subject and participle and before is not None and before.text == ",":
                # "…, Ruiz said, adding, “…”": the participle shares its clause's subject
                sentence = sentence_at(doc, match.start())
                if sentence is not None and sentence.start >= toks[0].start:
                    subject = leading_subject(
                        [t for t in head if t.start >= sentence.start][:-1]
                    )
            subject = subject or subject_before(head)
            if not subject and first_word:  # "Said Ellis: “…”"
                subject = subject_after([t for t in toks if t.start >= match.end()])
            if not subject and first_word and participle and back <= 2:
                # "Ruiz said the plan was dead. Adding, “…”": the last sentence's subject
                subject = _last_sentence_subject(doc, toks, match.start())
            mention = np_mention(doc, subject, rule=self.name, role="speaker")
            if not can_speak(mention) and before is not None and before.lower in (
                _VERB_JOINERS
            ) and text[lo:start].rstrip()[-1:] in ",:":
                # "Ruiz did not name them, but told the crowd, “…”": the first verb's subject;
                # the comma keeps out a quoted phrase ("and found there had been “…”")
                subject = _sentence_subject(doc, head, match.start())
                mention = np_mention(doc, subject, rule=self.name, role="speaker")
            if not can_speak(mention):
                return None
            cue = make_cue(doc, match.start(), match.end())
            return _resolution(mention, quote, self.name, scale=0.95, cue=cue)
        return None


def _last_sentence_subject(doc: Document, toks: list[Tok], at: int) -> list[Tok]:
    """The subject of the sentence before the one at ``at``, when it is capitalised (a name,
    "The mayor") or one word (a pronoun) and that sentence, in the same paragraph, reports
    speech (a cue stands in it)."""
    here = sentence_at(doc, at)
    if here is None or here.start < 2:
        return []
    before = sentence_at(doc, here.start - 2)
    if before is None or before.start < toks[0].start or "\n" in doc.text[before.start:at]:
        return []
    part = [t for t in toks if before.start <= t.start < before.end]
    if not any(cue_info(t.lower) is not None for t in part):
        return []
    subject = leading_subject(part)
    if not subject or not (is_cap(subject[0]) or len(subject) == 1):
        return []
    return subject


def _in_sentence(doc: Document, toks: list[Tok], at: int) -> list[Tok]:
    """The tokens of ``toks`` in the sentence of offset ``at``: a cue's subject is no word of
    the sentence before ("Few agreed. As Tom Bell, the senator, put it: “…”")."""
    sentence = sentence_at(doc, at)
    if sentence is None or not toks or toks[0].start >= sentence.start:
        return toks
    return [t for t in toks if t.start >= sentence.start]


#: words that join a cue to an earlier verb of the same subject: "…, but told", "and then said"
_VERB_JOINERS: Final = frozenset({"and", "but", "then"})


def _sentence_subject(doc: Document, head: list[Tok], at: int) -> list[Tok]:
    """The subject that opens the sentence of the offset ``at``, when ``head`` (the tokens
    before the cue) holds the whole sentence up to the cue and the sentence is one clause
    before the joining word."""
    sentence = sentence_at(doc, at)
    if sentence is None or not head or sentence.start < head[0].start:
        return []
    part = [t for t in head if t.start >= sentence.start]
    while part and (part[-1].lower in _VERB_JOINERS or part[-1].text == ","):
        part.pop()
    if any(t.text == "," for t in part):
        return []  # a clause of its own between ("…, and the others rising, Ada had to say")
    return leading_subject(part)


def _inverted_noun(mention: Mention | None, subject: list[Tok], openers: frozenset[str]) -> bool:
    """Whether an inverted cue's subject is a noun phrase: "“…,” wrote one onlooker".

    Right after the comma that closes a quote, "said one …" or "says a …" has no reading but
    the speaker, whatever noun heads it; only a time word ("said a day later") is none; and
    "“…,” this city stand-in declared" points back at someone just described. The phrase is
    plain words after one of ``openers``, ending in its noun: no adverb, no participle, no
    function word ("…, adding that …" is no inverted cue at all).
    """
    if mention is None or mention.kind not in ("nominal", "group") or not subject:
        return False
    if len(subject) == 1 and subject[0].lower not in _ARTICLES:
        return False  # "said another" is a phrase, but "“…,” the email read" has no noun
    if subject[0].lower not in openers or mention.span.end != subject[-1].end:
        return False  # the phrase ends in more than its noun: "the King very decidedly"
    for t in subject[1:]:
        if not t.text.replace("-", "").isalpha() or word_class(
            t.lower
        ) or is_adverb(t) or t.lower.endswith("ing"):
            return False
    return mention.head not in _TIME_HEADS


#: the words that open a new, indefinite speaker after an inverted cue: "wrote one …", "says
#: a …" (news brings in an unnamed source so; fiction's "said the beadle" names one known)
_ARTICLES: Final = frozenset({"a", "an", "one", "another"})


#: the words that open a speaker's phrase between a quote and its cue: "“…,” this city
#: stand-in declared" (news pointing back at someone just described)
_DEMONSTRATIVES: Final = frozenset({"this", "that", "these", "those"})


#: the words that open a known person's phrase: "“…,” said the waggoner", "“…,” his sister
#: replied" (fiction calls a character so, whatever noun heads the phrase)
_DEFINITE_OPENERS: Final = frozenset({"the", "my", "his", "her", "their", "our", "your"})
_INVERTED_OPENERS: Final = _ARTICLES | _DEFINITE_OPENERS
_FRONTED_OPENERS: Final = _DEMONSTRATIVES | _DEFINITE_OPENERS


def _without_trailing_adverbs(subject: list[Tok]) -> list[Tok]:
    """An inverted cue's subject without the adverbs after it: "said he softly", "cried Ada
    hastily" (the manner of speaking, no part of the speaker's phrase)."""
    end = len(subject)
    while end > 1 and subject[end - 1].text.islower() and is_adverb(subject[end - 1]):
        end -= 1
    return subject if end == len(subject) else subject[:end]


#: nouns of time, which follow an inverted cue without being its subject: "said a week later"
_TIME_HEADS: Final = frozenset({
    "day", "days", "week", "weeks", "month", "months", "year", "years", "time", "times",
    "morning", "afternoon", "evening", "night", "hour", "hours", "minute", "minutes",
})


def _name_before_participle(toks: list[Tok]) -> list[Tok]:
    """The name right before a participle cue: "footage of Ana Ruiz asking, “…”" → Ana Ruiz."""
    k = len(toks)
    while k > 0 and is_cap(toks[k - 1]) and toks[k - 1].text[:1].isalpha() and len(toks) - k < 4:
        k -= 1
    if k == len(toks) or k == 0 or toks[k - 1].text in _STOP:
        return []  # nothing capitalised, or the sentence's own subject: subject_before reads it
    return toks[k:]


class ContinuationSieve:
    """A quote with no cue right after the same speaker's quote: the same speaker.

    News style continues a speaker's quotation in the next paragraph without a new cue; the
    sieve applies when nothing but that speaker's own mention stands between the two quotes.
    A quotation that opens the paragraph after two turns of a conversation is a reply instead,
    and takes the speaker of the turn before last (see :func:`_turn_before_last`).
    """

    name = "continuation"

    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        if quote.type != "direct" or quote.needs_speaker:
            return None  # a short or title-like quotation needs a cue of its own
        turns = _turns(doc, context)
        found = self._follow(doc, quote, context, turns) if context.previous else None
        if found is None and _opens_conversation(doc, quote, context, turns) and (
            preceding_subject.quoteattr_resolve_speaker(doc, quote, context) is None
        ):  # (the narration before, "Ada nodded. ¶ “…”", is read by that sieve first)
            # “…?” ¶ “…,” said Ada. ¶ “…,” said Tom: the first turn is Tom's
            here = _opening(doc, quote)  # (it opens a paragraph: _opens_conversation said so)
            first = _named_turn_ahead(doc, context, here, _TURN_REACH, turns)
            if first is not None:
                return trusted.resolution(first, None, 0.45, "alternation")
        return found

    def _follow(self, doc: Document, quote: Quote, context: ResolutionContext, turns: _Turns
                ) -> Resolution | None:
        """The speaker of a turn before: the one the last turn called by name, the turn before
        last, or the last one's going on."""
        called = _called_by_last_turn(doc, quote, context, turns)
        if called is not None:
            return trusted.resolution(called, None, 0.5, "alternation")
        turn = _turn_before_last(doc, quote, context, turns)
        if turn is not None:
            return trusted.resolution(turn, None, 0.5, "alternation")
        prev_quote, prev = context.previous[-1]
        if prev is None or prev.mention is None:
            return None
        if prev_quote.type == "indirect" and not _cue_right_after(doc, prev_quote, prev, quote):
            return None  # news continues a speaker's quotation, not their paraphrase, unless
            # the paraphrase ends with its cue right before: "…, Ruiz said. “…”"
        gap = _first_paragraph(doc, turns, context.index, quote) - _last_paragraph(
            doc, turns, len(context.previous) - 1, prev_quote
        )
        if gap > 1:
            return None
        if gap == 1 and _opening(doc, quote) < 0:
            return None
        between = context.mentions_between(prev_quote.content.end, quote.content.start)
        speaker = prev.mention.span
        cue_sentence = sentence_at(doc, prev_quote.content.end)
        for m in between:
            if cue_sentence is not None and m.span.start < cue_sentence.end:
                continue  # the previous quote's own attribution: "…,” he told Reuters."
            if m.role in ("title", "appositive"):
                continue  # it describes a name beside it, which decides
            if m.span != speaker and m.kind in ("name", "nominal", "group", "organization"):
                return None
        return trusted.resolution(prev.mention, None, 0.6, self.name)


#: how far back (in characters) a name called out is looked for in narration
_CALLED_REACH: Final = 5000


def _called_by_last_turn(doc: Document, quote: Quote, context: ResolutionContext,
                         turns: _Turns) -> Mention | None:
    """The person the turn right before a reply calls by name, named in the narration before:
    "“Do you believe it, Florence?” he said. ¶ “Yes, uncle.”" → Florence.

    The reply must open its paragraph and the last quotation end in the paragraph before; the
    last turn must call out one name (:func:`addressed_names`) that the reply does not call,
    and a name mention with that word must stand outside quotations within
    :data:`_CALLED_REACH` characters before.
    """
    here = _opening(doc, quote)
    if here < 0:
        return None
    last, _ = context.previous[-1]
    if last.type != "direct" or _last_paragraph(
        doc, turns, len(context.previous) - 1, last
    ) != here - 1:
        return None
    called = addressed_names(last.content.text) - addressed_names(quote.content.text)
    if len(called) != 1:
        return None
    ((title, word),) = called
    found = bare = None
    for m in context.mentions_between(max(0, quote.content.start - _CALLED_REACH),
                                      last.content.start):
        if m.kind != "name":
            continue
        words = m.span.text.lower().replace(".", "").split()
        if word not in words:
            continue
        if not title or words[0] == title:
            found = m
        elif len(words) == 1:
            bare = m
    # a title called is the name's own ("Mr. Bell"), failing one a bare name ("Bell"); never
    # "Mrs. Bell" nor "Ann Bell"
    return found or bare


#: the last character inside a quotation that is a sentence said, a turn of a conversation
_UTTERANCE_ENDS: Final = frozenset(".?!…—–-,;")


def _opens_conversation(
    doc: Document, quote: Quote, context: ResolutionContext, turns: _Turns
) -> bool:
    """Whether ``quote`` opens a paragraph after narration (or the text) and is a sentence
    said: no direct quotation among the last few before it ends in the paragraph right
    before it or later. (The text's start counts as narration, so that a paragraph put
    before a text changes nothing in it.)"""
    here = _opening(doc, quote)
    if here < 0:
        return False
    if quote.content.text.rstrip(_CLOSING + _EMPHASIS + " ")[-1:] not in _UTTERANCE_ENDS:
        return False  # a phrase in marks, not a sentence said: "⟦Nobody claims this one⟧"
    previous = context.previous
    for k in range(len(previous) - 1, max(len(previous) - _TURN_REACH, 0) - 1, -1):
        earlier = previous[k][0]
        if earlier.type == "direct":
            return _last_paragraph(doc, turns, k, earlier) < here - 1
    return True


def _cue_right_after(doc: Document, prev_quote: Quote, prev: Resolution, quote: Quote) -> bool:
    """Whether only the speaker and cue of ``prev_quote`` stand between it and ``quote``, in
    one paragraph: "The plan is dead, Ruiz said. “We will try again.”"
    """
    assert prev.mention is not None
    gap = doc.text[prev_quote.content.end : quote.content.start]
    mention = prev.mention.span
    return (
        len(gap) <= 60
        and "\n" not in gap
        and prev_quote.content.end <= mention.start
        and mention.end <= quote.content.start
        and gap.rstrip().endswith(".")
    )


def _opening(doc: Document, quote: Quote) -> int:
    """The index of the paragraph that ``quote`` opens, or -1 when it opens none."""
    found = paragraph_starts(doc).get(quote.content.start)
    return -1 if found is None else found


def _first_paragraph(doc: Document, turns: _Turns, k: int, quote: Quote) -> int:
    """The paragraph of ``quote``'s first character, read off the table for the ``k``-th of
    its quotations (the context lists the quote being decided at ``context.index``, and each
    one decided so far at its place in ``previous``)."""
    if 0 <= k < len(turns.quotes) and turns.quotes[k] is quote:
        return turns.filled(doc).firsts[k]
    return _paragraph_of(doc, quote.content.start)


def _last_paragraph(doc: Document, turns: _Turns, k: int, quote: Quote) -> int:
    """The paragraph of ``quote``'s last character (see :func:`_first_paragraph`)."""
    if 0 <= k < len(turns.quotes) and turns.quotes[k] is quote:
        return turns.filled(doc).lasts[k]
    return _paragraph_of(doc, quote.content.end - 1)


#: how many earlier quotations the turn finder walks back over (a turn may hold several)
_TURN_REACH: Final = 8
#: sieves whose speaker is a guess from other turns, not read off a cue of the quote's own
_GUESSES: Final = frozenset({"alternation", "continuation"})
#: the kinds of a later turn's cued speaker that stand for one person: a name, "she", "the girl"
_PERSON_KINDS: Final = frozenset({"name", "pronoun", "nominal"})


def _turn_before_last(
    doc: Document, quote: Quote, context: ResolutionContext, turns: _Turns
) -> Mention | None:
    """In a conversation, the speaker of the turn before last: “A,” said X. / “B,” said Y. / “C.”

    Fiction gives each speaker's turn its own paragraph, and a quotation with no cue that opens
    the paragraph after the last turn is the reply of the speaker before: turns alternate
    A, B, A, B (the conversation sieve of Muzny et al. 2017, "A two-stage sieve approach for
    quote attribution"; He, Barbosa & Kondrak 2013 use the same turn-taking). A turn is a
    paragraph with a direct quotation in it; the rule needs the paragraphs of the turns to
    follow each other with no paragraph of narration between, so a run of turns stops where
    narration breaks the conversation.

    The nearest turn of the same parity decides, earlier or later, as long as a cue decided it:
    a guess (one turn copied from another) is taken only when no cued turn of the parity lies
    in reach, so one wrong guess does not run down the whole conversation. A later turn counts
    only when its cue names its speaker ("“…,” said Ada"). A lone cued quotation followed by an
    uncued paragraph (news style: the speaker goes on) is no conversation unless a later turn
    of the reply's parity names its speaker; otherwise continuation reads it.
    """
    here = _opening(doc, quote)
    if here < 0:
        return None
    turn = here  # the paragraph of the turn being read, walking back
    back = 0  # how many turns back it is: 1 the last, 2 the one before
    guess: Mention | None = None  # the nearest turn of the parity that was itself a guess
    cued: tuple[int, Mention] | None = None  # the nearest one a cue decided, and how far back
    quotes, previous = turns.quotes, context.previous
    filled = turns.filled(doc)
    firsts, lasts, direct = filled.firsts, filled.lasts, filled.direct
    for j in range(len(previous) - 1, max(len(previous) - _TURN_REACH, 0) - 1, -1):
        earlier, resolution = previous[j]
        # (the pipeline's context lists each quotation decided so far in ``previous``, in the
        # order of ``quotes``: what they are is read from the table)
        listed = j < len(quotes) and quotes[j] is earlier
        if not (direct[j] if listed else earlier.type == "direct"):
            continue  # a paraphrase in narration is no turn; a paragraph of it breaks the run
        if back == 0 and (
            lasts[j] if listed else _paragraph_of(doc, earlier.content.end - 1)
        ) != here - 1:
            return None  # the last quotation does not end in the paragraph right before
        para = firsts[j] if listed else _paragraph_of(doc, earlier.content.start)
        if para == turn - 1:
            turn, back = para, back + 1
        elif para != turn:
            break  # a gap: narration between the turns ends the conversation
        if back % 2 == 0 and resolution is not None and resolution.mention is not None:
            if resolution.sieve not in _GUESSES:
                cued = (back, resolution.mention)
                break
            if guess is None:
                guess = resolution.mention
    if back == 0:
        return None
    ahead = _named_turn_ahead(doc, context, here, cued[0] if cued else _TURN_REACH, turns)
    if ahead is not None:
        return ahead
    if cued is not None:
        return cued[1]
    return guess


def _named_turn_ahead(
    doc: Document, context: ResolutionContext, here: int, within: int, turns: _Turns
) -> Mention | None:
    """The speaker of the nearest later turn of the same parity as the turn in paragraph
    ``here``, fewer than ``within`` turns on, when its own cue names one person as speaker.

    The later turn is read with the cue sieves (:class:`FrameSieve`, then
    :class:`AdjacentCueSieve`), which look at nothing but the text, so the answer does not
    depend on turns not yet decided. The walk stops at the first paragraph of narration.
    """
    filled = turns.filled(doc)
    firsts, direct = filled.firsts, filled.direct
    turn = here
    ahead = 0
    for j in range(context.index + 1, min(len(firsts), context.index + 1 + _TURN_REACH)):
        if not direct[j]:
            continue
        para = firsts[j]
        if para == turn + 1:
            turn, ahead = para, ahead + 1
        elif para != turn:
            return None  # narration between: the conversation ended
        if ahead >= within:
            return None
        if ahead % 2 == 0 and ahead > 0:
            named = _cue_speaker_of(doc, turns, j, context)
            if named is not None:
                return named
    return None


_PARAGRAPH_OF: Final[StashKey[dict[int, int]]] = StashKey(
    "paragraph index by offset, for the turn walks"
)


def _paragraph_of(doc: Document, offset: int) -> int:
    """:func:`paragraph_index`, remembered by offset for the document: the turn walks ask about
    the same quotations' ends again and again, for each reply within reach of them."""
    memo = doc.stash.setdefault(_PARAGRAPH_OF, dict)
    found = memo.get(offset)
    if found is None:
        found = memo[offset] = paragraph_index(doc, offset)
    return found


class _Turns:
    """What the turn walks read of each of a context's quotations (``quotes``), once for the
    document, since every reply walks over the turns within reach of it, before and after: the
    paragraphs of its first and last characters and whether it is direct (filled in by
    :meth:`filled` when first asked: a text may hold many quotations and no turns at all), and
    the person its own cue names (by :func:`_cue_speaker_of`, when first asked)."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = quotes
        self.firsts: list[int] = []
        self.lasts: list[int] = []
        self.direct: list[bool] = []
        self.named: list[Mention | None] = [None] * len(quotes)
        self.read = [False] * len(quotes)

    def filled(self, doc: Document) -> _Turns:
        """The table, its paragraphs and kinds filled in (the first time)."""
        if len(self.firsts) < len(self.quotes):
            starts = [p.start for p in paragraphs(doc)]
            # paragraph_index() of each first and last character, found by walking the
            # paragraph starts along with the quotations, which come in text order
            first = last = -1  # how many paragraph starts lie at or before the offset, less 1
            for q in self.quotes:
                content = q.content
                first = _walked(starts, first, content.start)
                last = _walked(starts, last, content.end - 1)
                self.firsts.append(max(0, first))
                self.lasts.append(max(0, last))
                self.direct.append(q.type == "direct")
        return self


def _walked(starts: list[int], k: int, offset: int) -> int:
    """``bisect_right(starts, offset) - 1`` from ``k``, that of an offset before: a few steps
    forward, else a bisection (from ``k``, or from the start when the offset goes back)."""
    if k >= 0 and starts[k] > offset:
        return bisect_right_int(starts, offset) - 1
    for _ in range(8):
        if k + 1 >= len(starts) or starts[k + 1] > offset:
            return k
        k += 1
    return bisect_right_int(starts, offset, k) - 1


_TURNS: Final[StashKey[_Turns]] = StashKey("the turn walks' table of the quotations")


def _turns(doc: Document, context: ResolutionContext) -> _Turns:
    """The :class:`_Turns` of ``context.quotes``, made once a document (and again for another
    context's quotations)."""
    found = doc.stash.get(_TURNS)
    if found is None or found.quotes is not context.quotes:
        found = doc.stash[_TURNS] = _Turns(context.quotes)
    return found


def _cue_speaker_of(doc: Document, turns: _Turns, j: int, context: ResolutionContext
                    ) -> Mention | None:
    """:func:`_cue_speaker` of the ``j``-th quotation of ``turns``, kept in the table."""
    if turns.read[j]:
        return turns.named[j]
    named = turns.named[j] = _cue_speaker(doc, turns.quotes[j], context)
    turns.read[j] = True
    return named


def _cue_speaker(doc: Document, quote: Quote, context: ResolutionContext) -> Mention | None:
    """The one person that ``quote``'s own cue names as its speaker, read with the cue sieves
    (:class:`FrameSieve`, then :class:`AdjacentCueSieve`, whose reading is remembered for the
    document), or ``None``; kept in the turn table (:func:`_cue_speaker_of`).

    The cue sieves read nothing of ``context`` but its type, so the answer is the same whichever
    quote asks. (They are the plugins' own objects, called as functions: blocking
    ``sieve-frame`` or ``sieve-adjacent-cue`` stops their decisions, not this reading of the
    cues ahead.)
    """
    found = frame.quoteattr_resolve_speaker(doc, quote, context) or adjacent_cue.read(doc, quote)
    if found is not None and found.mention is not None and found.mention.kind in _PERSON_KINDS:
        return found.mention
    return None


class PrecedingSubjectSieve:
    """A quote with no cue after a sentence about someone: "Ruiz disagreed. “…”".

    The subject of the sentence right before the quote, in the same paragraph or closing the
    paragraph before, is taken as the speaker when it is a name or a personal pronoun. It is
    the last sieve asked, and its confidence is low.
    """

    name = "preceding-subject"

    def quoteattr_resolve_speaker(
        self, doc: Document, quote: Quote, context: ResolutionContext
    ) -> Resolution | None:
        if quote.type != "direct" or quote.needs_speaker:
            return None
        at = _two_back(doc.text, quote.content.start)
        before = sentence_at(doc, at) if at >= 0 else None
        if before is None or before.end > quote.content.start:
            return None
        if any(ch in before.text for ch in _OPEN_MARKS):
            return None  # the sentence before holds a quotation of its own
        opening = before.start
        for m in context.mentions_between(before.start, before.end):
            if m.role == "title" and m.span.start == opening:
                opening = m.span.end + 1  # "President Ana Ruiz": the name after the title
                continue
            if m.span.start != opening:
                break  # only the subject that opens the sentence
            if (m.kind == "pronoun" and not m.plural) or (
                m.kind == "name" and _known_person(doc, m, context)
            ):
                return trusted.resolution(attrs.evolve(m, role="speaker"), None, 0.45, self.name)
        return None


def _two_back(text: str, at: int) -> int:
    """``at - 2``, a ``"\r\n"`` before ``at`` counting as one character: the character before
    the one (a space, a line break) that precedes a quotation, in a text with Windows line
    ends as in one without."""
    if at >= 3 and text[at - 1] == "\n" and text[at - 2] == "\r":
        return at - 3
    return at - 2


def _known_person(doc: Document, mention: Mention, context: ResolutionContext) -> bool:
    """Whether a name is a person's: a full name, the surname of one named before, or a word
    capitalised before in the middle of a sentence ("…,” said Ada. … Ada sighed.).

    A lone capitalised word opening a sentence ("Weather was mild.") may be any word; one
    that keeps its capital inside a sentence is a name.
    """
    words = mention.span.text.split()
    if len(words) > 1 or first_name_gender(words[0].lower()) is not None:
        return True  # (a given name is a person's wherever it stands: "Clara sighed.")
    # a bounded look back keeps many uncued quotes linear
    earlier = context.mentions_between(max(0, mention.span.start - 5000), mention.span.start)
    text = doc.text
    for m in earlier:
        if m.kind != "name":
            continue
        parts = m.span.text.split()
        if len(parts) > 1 and parts[-1] == words[0]:
            return True  # the surname of a full name
        if parts == words and _inside_sentence(text, m.span.start):
            return True
    return False


def _inside_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` stands inside a sentence: a word or a comma before it."""
    before = text[max(0, start - 4) : start].rstrip()[-1:]
    return before.isalnum() or before == ","


frame: Final = FrameSieve()
adjacent_cue: Final = AdjacentCueSieve()
continuation: Final = ContinuationSieve()
preceding_subject: Final = PrecedingSubjectSieve()
