"""The shortcuts of the reported-speech and attitudes plugins give what the long way gives.

- a cue index's cues for a whole document, read from the candidates the indexes share, are
  what :meth:`CueIndex.find` gives sentence by sentence; a word index's tokens are those whose
  ``lower`` is one of its words;
- no offset within a sentence's tokens is in a quotation when none overlaps them (so a cue
  there needs no look-up, and content there no widening);
- "…, X said" needs a comma token where :func:`reported._no_comma_before` looks, so the text
  answering for the tokens changes nothing;
- the stops of :func:`reported._content_stops`, found by one test of a token's ``lower``, are
  those of the three tests on its text and ``lower``;
- the clause walk of :func:`grammar._clause` skips only tokens that its tests pass over;
- :func:`grammar.subject_before`, :func:`grammar.is_adverb`, :func:`reported._passive` and
  the cue nouns of :func:`reported._noun_cues` give what the earlier, plainer code gave (kept
  here as references).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import quotes_at

from quoteattr.default import attitudes, grammar, reported
from quoteattr.default.grammar import Tok
from quoteattr.model import Cue, Document, Quote
from quoteattr.text import sentences

_WORDS = sorted(
    {
        # cues, of both lexicons, and their neighbours
        "said", "says", "say", "told", "asked", "claimed", "according", "to", "that", "added",
        "adding", "saying", "called", "criticized", "vowed", "believes", "think", "shot", "back",
        "state", "states", "claim", "statement", "comments", "view", "hope", "threat",
        # function words, subjects, names
        "the", "a", "he", "she", "they", "it", "who", "whose", "which", "what", "as", "and",
        "but", "yet", "or", "in", "on", "at", "of", "for", "with", "while", "if", "when",
        "is", "was", "were", "be", "has", "had", "will", "not", "also", "never", "once",
        "widely", "only", "early", "recently", "quickly", "his", "her", "their", "its",
        "Ruiz", "Ana", "Bell", "Mr.", "Senate", "officials", "reporters", "minister", "police",
        "Trump's", "Bell’s", "He’s", "they've", "last", "week", "Monday", "2010", "later",
        "met", "went", "speaking", "chastened", "However", "Still", "THAT", "That", "tHat",
    }
)
_MARKS = [",", ";", ":", ".", "(", ")", "[", "]", "—", "–", "-", "--", '"', "“", "”", "«",
          "»", "„", "'", "’", "'’", "“”", ";:", "?", "!"]

tokens = st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKS)), max_size=45)


def _toks(words: Sequence[str]) -> tuple[str, list[Tok]]:
    """A text of ``words`` joined by spaces, and its tokens (each its text at its offsets)."""
    out: list[Tok] = []
    at = 0
    for w in words:
        out.append(Tok(w, at, at + len(w), w.lower()))
        at += len(w) + 1
    return " ".join(words), out


texts = st.lists(
    st.tuples(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKS)),
              st.sampled_from([" ", " ", " ", "", ". ", "\n", ", "])),
    max_size=80,
).map(lambda parts: "".join(w + gap for w, gap in parts))


# ---------------------------------------------------------------------------------------------
# the cue and word indexes


@given(text=texts)
def test_the_cues_of_a_document_are_those_found_sentence_by_sentence(text: str) -> None:
    doc = Document(text)
    for index in (reported._SPEECH_CUES, attitudes._CUES):
        expected = [
            (toks, cues) for _sent, toks in grammar.sentences_with_tokens(doc)
            if (cues := list(index.find(toks)))
        ]
        got = index.in_document(doc)
        assert [(toks, cues) for toks, cues in got] == expected
        assert all(a is b for (a, _), (b, _) in zip(got, expected, strict=True))


@given(text=texts)
def test_a_word_index_finds_the_tokens_of_its_words(text: str) -> None:
    doc = Document(text)
    words = reported._NOUN_INDEX.words
    expected = [
        (sent, toks, hits) for sent, toks in grammar.sentences_with_tokens(doc)
        if (hits := [k for k, t in enumerate(toks) if t.lower in words])
    ]
    assert reported._NOUN_INDEX.in_document(doc) == expected


def test_a_new_index_makes_the_candidates_be_found_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "_CUE_STARTS", list(grammar._CUE_STARTS))  # undone after
    doc = Document("Ruiz said the zyzzyva plan failed.")
    assert reported._SPEECH_CUES.in_document(doc)  # the shared candidates, stashed
    late = grammar.WordIndex(frozenset({"zyzzyva"}))
    assert [hits for _s, _t, hits in late.in_document(doc)] == [[3]]


@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=8),
    a=st.integers(0, 230),
    length=st.integers(1, 40),
    data=st.data(),
)
def test_a_cue_in_a_quotation_is_in_a_sentence_that_overlaps_one(
    spans: list[tuple[int, int]], a: int, length: int, data: st.DataObject
) -> None:
    quotes = quotes_at(spans)  # (quotations do not nest or overlap: merge_quotes)
    index = reported._QuoteIndex(quotes)
    b = a + length
    p = data.draw(st.integers(a, b - 1))
    if index.at(p) is not None:
        assert index.overlaps(a, b)


# ---------------------------------------------------------------------------------------------
# the grammar shortcuts


def test_the_clause_signs_hold_every_text_the_clause_walk_acts_on() -> None:
    marks = grammar._CLAUSE_MARKS
    for a in range(len(marks) + 1):
        for b in range(a, len(marks) + 1):
            assert marks[a:b] in grammar._CLAUSE_SIGNS
    assert {"(", ")"} <= grammar._CLAUSE_SIGNS


@given(text=st.text(max_size=4))
def test_a_text_outside_the_clause_signs_is_no_mark_and_no_bracket(text: str) -> None:
    if text not in grammar._CLAUSE_SIGNS:
        assert text not in grammar._CLAUSE_MARKS and text not in ("(", ")")


@given(words=tokens)
def test_subject_before_is_the_plain_walk(words: list[str]) -> None:
    _text, toks = _toks(words)
    for end in range(len(toks) + 1):
        assert grammar.subject_before(toks[:end]) == _subject_before(toks[:end])


@given(word=st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)))
def test_is_adverb_is_the_plain_test(word: str) -> None:
    tok = Tok(word, 0, len(word), word.lower())
    assert grammar.is_adverb(tok) == _is_adverb(tok)
    assert grammar.ADVERB[tok.lower] == _is_adverb(tok)


def test_a_remembered_test_keeps_a_bounded_number_of_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(grammar, "_REMEMBERED", 3)
    table = grammar._Remembered(grammar._adverb_word)
    words = ["quickly", "the", "not", "early", "sadly", "is", "only"]
    expected = [_is_adverb(Tok(w, 0, len(w), w)) for w in words]
    assert [table[w] for w in words] == expected
    assert [table[w] for w in words] == expected  # asked again: kept or not, the same
    assert len(table) == 3


def test_a_remembered_test_keeps_no_long_word() -> None:
    # a bound on the number of words alone is no bound on memory: a text may hold words of
    # any length (a million letters ending in "ly"), and each would stay for the process's life
    table = grammar._Remembered(grammar._adverb_word)
    long_word = "x" * 1_000_000 + "ly"
    assert table[long_word] is True
    assert table["quickly"] is True
    assert long_word not in table
    assert "quickly" in table


def test_the_coreference_memos_keep_no_long_text() -> None:
    # a name run is as long as the capitalised words in a row: such a text is answered, not kept
    from quoteattr.default import coref

    run = " ".join(["Ana"] * 10_000)
    before = coref._words.cache_info().currsize  # type: ignore[attr-defined]
    assert coref._words[run] == ("ana",) * 10_000
    assert coref._words.cache_info().currsize == before  # type: ignore[attr-defined]
    assert coref._words["Ana Ruiz"] == ("ana", "ruiz")
    assert coref._words.cache_info().currsize <= before + 1  # type: ignore[attr-defined]


def test_the_role_noun_tables_keep_no_long_word() -> None:
    # role_noun() and singular() are asked about words of the text too: remembered, not cached
    long_plural = "y" * 100_000 + "ies"
    assert grammar.role_noun(long_plural) == (False, False, None)
    assert grammar.singular(long_plural) == "y" * 100_001
    assert grammar.role_noun("envoys") == (True, True, None)
    assert long_plural not in grammar._ROLE_NOUN and long_plural not in grammar._SINGULAR
    assert "envoys" in grammar._ROLE_NOUN


# ---------------------------------------------------------------------------------------------
# the reported-speech shortcuts


def test_no_character_but_a_mark_lowers_to_one() -> None:
    """So a token's ``lower`` (its text lowered) is a string of these marks only when its text
    is that very string: the shortcuts test ``lower``, which the cue scan has read already."""
    marks = set(reported._CONTENT_MARKS) | set(grammar._CLAUSE_MARKS) | set(grammar._BRACKETS)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char not in marks:
            assert marks.isdisjoint(char.lower()), hex(code)
    assert reported._CONTENT_MARKS | {"and", "but"} == reported._STOP_WORDS


@given(text=st.text(alphabet=st.sampled_from(sorted(grammar._CLAUSE_MARKS + "()[]Aaİ")),
                    max_size=3))
def test_a_text_is_a_sign_or_a_bracket_as_its_lower_is(text: str) -> None:
    assert (text in grammar._CLAUSE_SIGNS) == (text.lower() in grammar._CLAUSE_SIGNS)
    assert (text in grammar._BRACKETS) == (text.lower() in grammar._BRACKETS)


@given(words=st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKS),
                                st.sampled_from(["And", "BUT", "bUt", "and,"]),
                                st.text(max_size=3)), max_size=40))
def test_the_content_stops_are_the_three_tests(words: list[str]) -> None:
    _text, toks = _toks(words)
    assert reported._content_stops(toks) == [
        k for k, t in enumerate(toks)
        if t.text in reported._CONTENT_MARKS or t.lower == "and" or t.lower == "but"
    ]


@given(words=tokens)
def test_passive_is_the_plain_walk(words: list[str]) -> None:
    _text, toks = _toks(words)
    for i in range(len(toks) + 1):
        assert reported._passive(toks, i) == _passive(toks, i)


# "CONTENT, X said": content, a comma (and "as"), a noun phrase of up to 9 words, adverbs, the
# cue and what may follow it
_NP_WORDS = ["Ruiz", "Ana", "the", "senior", "minister", "Mr.", "Bell’s", "O'Neill", "-", "&",
             "2010", "who", "and"]
trailing_shapes = st.tuples(
    st.lists(st.sampled_from(_WORDS), min_size=2, max_size=6),
    st.sampled_from([[","], [",", "as"], [";"], []]),
    st.lists(st.sampled_from(_NP_WORDS), min_size=0, max_size=10),
    st.lists(st.sampled_from(["also", "recently", "not"]), max_size=2),
    st.sampled_from(["said", "says", "told", "claimed", "added"]),
    st.sampled_from([[], ["."], ["on", "Monday", "."], [",", "adding", "more"]]),
).map(lambda parts: [w for part in parts for w in ([part] if isinstance(part, str) else part)])

_CONTENT = ["the", "plan", "will", "fail"]


@given(words=st.one_of(tokens, trailing_shapes))
@example(words=[*_CONTENT, ",", "Ruiz", "said", "."])  # the comma at k - 2
@example(words=[*_CONTENT, ",", "as", "Ruiz", "said", "."])  # "as", the comma at k - 3
@example(words=[*_CONTENT, ",", *["Ana"] * 8, "said", "."])  # the comma at k - 9
@example(words=[*_CONTENT, ",", "as", *["Ana"] * 8, "said", "."])  # the comma at k - 10
@example(words=[*_CONTENT, ",", "as", *["Ana"] * 7, "also", "said", "."])  # an adverb
@settings(deadline=None)
def test_a_trailing_cue_needs_the_comma_the_text_shows(words: list[str]) -> None:
    text, toks = _toks(words)
    doc = Document(text)
    cues = list(reported._SPEECH_CUES.find(toks))
    got = [reported._trailing_cue(doc, toks, i, j, info) for i, j, info in cues]
    shortcut = reported._no_comma_before
    try:
        reported._no_comma_before = lambda text, toks, k: False  # type: ignore[assignment]
        expected = [reported._trailing_cue(doc, toks, i, j, info) for i, j, info in cues]
    finally:
        reported._no_comma_before = shortcut
    assert got == expected


@given(text=texts)
@settings(deadline=None)
def test_the_noun_cues_are_those_of_every_sentence(text: str) -> None:
    doc = Document(text)
    assert repr(reported._noun_cues(doc, ())) == repr(_noun_cues(Document(text), ()))


# ---------------------------------------------------------------------------------------------
# references: the code before the shortcuts


def _is_adverb(tok: Tok) -> bool:
    if tok.lower.endswith("ly") and len(tok.lower) > 4 and tok.lower not in ("only", "early"):
        return True
    return tok.lower in grammar._ADV_AUX_NEG


def _passive(toks: Sequence[Tok], i: int) -> bool:
    k = i - 1
    while k >= 0 and (toks[k].lower in ("not", "also", "often", "widely", "never", "once")
                      or (toks[k].lower.endswith("ly") and len(toks[k].lower) > 4)):
        k -= 1
    return k >= 0 and toks[k].lower in reported._BE


def _drop_intro(toks: list[Tok], *, lenient: bool) -> list[Tok]:
    g = grammar
    out = toks
    while out and out[0].lower in g._CONJ:
        out = out[1:]
    while True:
        comma = next((i for i, t in enumerate(out) if t.text == ","), None)
        if comma is None or comma == len(out) - 1:
            return out
        first = out[0]
        intro = first.lower in g._PREP_SUB_ADV or first.lower.endswith("ing") or (
            first.lower.endswith("ed") and len(first.lower) > 5 and comma >= 2
            and g.given_name_gender(first.lower) is None
        ) or (
            0 < comma <= 5 and all(
                t.lower in g._TIME or t.lower in g._TIME_UNITS or t.text.isdigit()
                or t.lower in g._DET_NUM for t in out[:comma]
            ) and any(t.lower in g._TIME or t.lower in g._TIME_UNITS for t in out[:comma])
        )
        if lenient:
            intro = intro or (first.lower.endswith("ly") and comma == 1) or (
                comma == 1 and not g.is_cap(first)
            )
        if first.lower in g._RELATIVES or not intro:
            return out
        out = out[comma + 1 :]


def _clause(toks: Sequence[Tok]) -> list[Tok]:
    out = list(toks)
    closed = False
    for i in range(len(out) - 1, -1, -1):
        t = out[i]
        text = t.text
        if text == ")":
            closed = True
        elif (
            text in ";:\u2014\u2013\"“”«»„'’-"
            or (text == "(" and not closed)
            or (t.lower in grammar._CLAUSE_CONJ and (
                t.lower in ("but", "yet") or (i > 0 and out[i - 1].text == ",")
            ))
        ):
            out = out[i + 1 :]
            break
    return _drop_intro(out, lenient=True)


def _subject_before(toks: Sequence[Tok]) -> list[Tok]:
    g = grammar
    out = list(toks)
    while out and ((_is_adverb(out[-1]) and not g.is_cap(out[-1]))
                   or g._is_time_phrase_end(out)):
        out = out[:-2] if g._is_time_phrase_end(out) else out[:-1]
    out = _clause(out)
    if not out:
        return []
    if out[-1].text == ",":
        comma = next(i for i, t in enumerate(out) if t.text == ",")
        middle = out[comma + 1 : -1]
        described = out[0].lower in g._DET and not g.is_cap(out[comma - 1])
        if described and 0 < len(middle) <= 4 and all(g.is_cap(t) for t in middle):
            return middle
        out = out[:comma]
    else:
        for i in range(len(out) - 1, -1, -1):
            if out[i].text == ",":
                out = out[i + 1 :]
                break
    out = g._without_brackets(out)
    if out and (bare := g.contraction_pronoun(out[-1])) is not None:
        return [bare]
    if out and out[-1].lower in g._NOMINATIVE:
        return out[-1:]
    for i in range(len(out) - 1, -1, -1):
        w = out[i].lower
        if w in ("who", "whose") and i > 0 and out[i - 1].text[:1].isalpha() and not (
            out[i - 1].lower in g._PREP_AUX_SUB or g.cue_info(out[i - 1].lower)
        ):
            out = out[:i]
            break
        if w in g._SUBORDINATORS and (i > 0 or w != "that"):
            out = out[i + 1 :]
            break
    for i in range(1, len(out)):
        if out[i].lower in g._IRREGULAR_PAST and out[i].text.islower():
            out = out[:i]
            break
    for i in range(len(out) - 1, 0, -1):
        if out[i].lower in g._AUX and out[i].text.islower():
            rest = out[i + 1 :]
            if 0 < len(rest) <= 2 and all(
                t.text.isalpha() and t.text.islower() and not g.word_class(t.lower)
                and not g.role_noun(t.lower)[0] and g.pronoun(t.lower) is None for t in rest
            ):
                out = out[:i]
            else:
                out = rest
            break
    while out and out[-1].lower in g._CONJ:
        out = out[:-1]
    if len(out) > 10:
        for i in range(len(out) - 1, -1, -1):
            if out[i].lower in g._AUX_SUB_CONJ and out[i].lower != "that":
                out = out[i + 1 :]
                break
        if len(out) > 10:
            return []
    return out


def _noun_cues(doc: Document, quotes: Sequence[Quote]) -> list[Quote]:
    r = reported
    index = r._QuoteIndex(quotes)
    out: list[Quote] = []
    text = doc.text
    for sent in sentences(doc):
        a, b = sent.start, sent.end
        if text.find("that", a, b) < 0 and text.find("THAT", a, b) < 0 and (
            text.find("That", a, b) < 0
        ):
            continue
        toks = grammar.sentence_tokens(doc, sent)
        s = None
        for i in range(1, len(toks) - 2):
            if toks[i + 1].lower != "that" or toks[i].lower not in r._CUE_NOUNS:
                continue
            if index.at(toks[i].start) is not None:
                continue
            subject = r._possessor(toks, i)
            if not subject:
                continue
            if s is None:
                s = r._Sentence(toks, index)
            that = i + 1
            end = r._content_end(toks, that + 1, s.in_quote, s.stops)
            if end - (that + 1) < r._MIN_CONTENT_TOKENS:
                continue
            c_start, c_end = r._widen_to_quotes(toks[that + 1].start, toks[end - 1].end, index.at)
            last = subject[-1]
            s_end = last.end - 2 if last.lower.endswith(("’s", "'s")) else last.end
            out.append(Quote(doc.span(c_start, c_end), "indirect",
                             cue=Cue(doc.span(toks[i].start, toks[i].end), toks[i].lower),
                             subject=doc.span(subject[0].start, s_end), rule="noun-cue"))
    return out
