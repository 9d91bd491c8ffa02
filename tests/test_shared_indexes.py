"""Shortcuts over the shared per-document indexes give what the long way gives.

- ``tokenize(text, start, end, most)`` cut from the document's tokens is what tokenizing the
  stretch on its own gives, abbreviations joined with their stops ("Mr.") included;
- the mention finder's look-up of the words a document also writes in lower case agrees with
  collecting every such word with ``findall``, before and after its search budget runs out;
- the word before a full stop, read back with ``str.rsplit`` a stretch at a time, is the one a
  character loop reads;
- a ``re`` character class built by ``bmp_class()`` holds the code points of its ``regex`` item;
- the starts kept beside the document's tokens are the tokens' starts;
- sentences made without trimming those that start after a boundary are the trimmed ones.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from quoteattr.default import grammar, mentions
from quoteattr.model import Document
from quoteattr.text import (
    sentences,
)

# pieces of text that make abbreviations, initials, stops and odd white space meet
_PIECES = ["Mr.", "Mr", ".", "Gen.", "J.", "W.", "Smith", "U.S.", "U.S", "a.m.", "said", ",",
           "etc.", "Dr", "St.", "No.", "3.5", "I.", "old", "Old", "poor", "it's", "well-known",
           "Ünal", "ΣΑΣ.", "\u201c", "\u201d"]
_GAPS = [" ", "", "  ", "\t", "\n"]

texts = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), min_size=1, max_size=60
).map(lambda parts: "".join(piece + gap for piece, gap in parts))


@given(text=texts, data=st.data())
def test_a_stretch_takes_its_share_of_the_document_tokens(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    sents = sentences(doc)
    if not sents:
        return
    grammar.sentence_tokens(doc, sents[0])  # tokenizes the whole text, shared from now on
    every = doc.stash[grammar._DOC_TOKENS][0]
    if not every:
        return
    tok = data.draw(st.sampled_from(every))
    start = data.draw(st.sampled_from([tok.start, tok.end]))
    end = data.draw(st.integers(start, len(text)))
    # the most interesting counts are near the number of tokens in the stretch
    count = sum(1 for t in every if start <= t.start < end)
    most = data.draw(st.one_of(st.none(), st.integers(1, 45), st.integers(max(1, count - 2),
                                                                       count + 2)))
    assert grammar.tokenize(text, start, end, most) == _tokenize_alone(text, start, end, most)


@given(text=texts, words=st.lists(st.sampled_from(_PIECES).map(str.lower), max_size=40))
def test_lower_case_words_agree_with_findall(text: str, words: list[str]) -> None:
    every = frozenset(mentions._LOWER_WORD.findall(text))
    lookup = mentions._LowerCaseWords(text)
    # a word's prefix ("wel" of "well-known") is where a match is found but is another word;
    # many look-ups spend the search budget, so both ways of answering are tried
    for word in [*words, *(w[:-1] for w in sorted(every) if len(w) > 1), *sorted(every)]:
        assert (word in lookup) == (word in every), word


def _last_space(text: str, lo: int, hi: int) -> int:
    i = hi - 1
    while i >= lo and not text[i].isspace():
        i -= 1
    return i


@given(
    text=st.one_of(texts, st.text(alphabet="ab. \t\n\u00a0", max_size=300)),
    lo=st.integers(0, 200),
    hi=st.integers(0, 300),
)
def test_the_word_before_a_stop_is_what_follows_the_last_space(text: str, lo: int, hi: int) -> None:
    """The sentence splitter's word before a stop, read back a stretch at a time, is what a
    character loop finds (texts longer than a stretch included)."""
    from quoteattr.text import _word_before

    hi = min(hi, len(text) - 1)
    if hi < lo or text[hi].isspace():
        return
    word_start = max(lo, _last_space(text, lo, hi) + 1)
    assert _word_before(text, lo, hi + 1) == text[word_start : hi + 1]


def _tokenize_alone(text: str, start: int, end: int, most: int | None) -> list[grammar.Tok]:
    kept = grammar._WHOLE[:]
    grammar._WHOLE.clear()
    try:
        return grammar.tokenize(text, start, end, most)
    finally:
        grammar._WHOLE[:] = kept


def test_every_stretch_of_a_few_texts_takes_its_share() -> None:
    for text in ("Mr. Smith said it.", "Gen. J. W. Bell of the U.S. Army, Mr.Ruiz said.",
                 "He met Mr. and Mrs. Ruiz at 10 a.m. on Monday. No. 3 is St. Paul."):
        doc = Document(text)
        grammar.sentence_tokens(doc, sentences(doc)[0])
        every = doc.stash[grammar._DOC_TOKENS][0]
        for start in sorted({t.start for t in every} | {t.end for t in every}):
            for end in range(start, len(text) + 1):
                for most in [None, *range(1, 20)]:
                    assert grammar.tokenize(text, start, end, most) == _tokenize_alone(
                        text, start, end, most
                    ), (text, start, end, most)


@pytest.mark.parametrize(
    "item",
    # the last ones hold the characters a class body must escape (\ [ ] ^ - & ~ |), the
    # surrogates and the control characters
    [r"\p{L}", r"\p{Lu}", r"\p{Ll}", r"\p{M}", r"\p{N}", r"\s", r"\p{P}", r"\p{S}",
     r"\p{Cs}", r"\p{Cc}", r"\x00-\x7f", r"^\p{L}"],
)
def test_a_bmp_class_matches_what_regex_matches_in_the_bmp(item: str) -> None:
    """bmp_class() spells a ``regex`` class item as ``re`` ranges: the same code points,
    in a class that ``re`` reads without a warning (of a nested set, a set operation)."""
    import re
    import warnings

    import regex

    from quoteattr.text import bmp_class

    every = "".join(map(chr, range(0x10000)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        twin = re.compile("[" + bmp_class(item) + "]")
    original = regex.compile("[" + item + "]")
    assert [m.start() for m in twin.finditer(every)] == [
        m.start() for m in original.finditer(every)
    ]


@given(text=texts)
def test_the_starts_beside_the_document_tokens_are_their_starts(text: str) -> None:
    """The starts are cut from the offsets that made the tokens, joined stops taken out."""
    doc = Document(text)
    for sent in sentences(doc):
        grammar.sentence_tokens(doc, sent)
    found = doc.stash.get(grammar._DOC_TOKENS)
    if found is not None:
        every, starts = found
        assert starts == [t.start for t in every]


@given(text=texts)
@example(text="Ana left.  Bo came.\tCy went.” Then: “Dee?”\u00a0Eve stayed.")
def test_sentences_after_a_boundary_need_no_trimming(text: str) -> None:
    """Sentences after a boundary are made without the trim step: none needs it (trimming
    drops the white space around a sentence, and an empty one)."""
    for sent in sentences(Document(text)):
        assert sent.text and sent.text == sent.text.strip()
        assert not sent.text[0].isspace() and not sent.text[-1].isspace()


def test_a_lexicon_is_read_as_importlib_resources_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the package's directory when a file loader imported it, else through
    ``importlib.resources``: the same text either way."""
    from importlib import resources

    import quoteattr
    from quoteattr import text

    files = resources.files("quoteattr").joinpath("lexicons")
    names = sorted(p.name.removesuffix(".txt") for p in files.iterdir() if p.name.endswith(".txt"))
    assert names
    expected = {n: files.joinpath(f"{n}.txt").read_text(encoding="utf-8") for n in names}
    assert {n: text._lexicon_text(n) for n in names} == expected
    assert quoteattr.__spec__ is not None
    assert isinstance(quoteattr.__spec__.loader, text._FILE_LOADERS)  # read directly above
    monkeypatch.setattr(text, "_FILE_LOADERS", ())  # as if the loader were not a file loader
    assert {n: text._lexicon_text(n) for n in names} == expected
