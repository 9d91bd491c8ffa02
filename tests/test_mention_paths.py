"""The shortcuts of mention finding give what the general rules give.

- ``np_mention`` of "the" and plain name words ("the Pentagon") returns the organisation at
  once, without the full rules;
- the mentions walk drops a capitalised run that is one pronoun ("It", "We") without asking
  ``np_mention``, which would make it a pronoun, and asks ``np_mention`` about a phrase after a
  name and a comma only when it has a role noun (only such a phrase is an appositive).

Each test runs the same input with the shortcuts on and off (patched to always fail) and
compares the results.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quoteattr.default import grammar, mentions
from quoteattr.default.grammar import np_mention, pronoun, pronoun_forms, tokenize, word_class
from quoteattr.model import Document

#: words that exercise every branch around the shortcuts: plain names, "the" in any case,
#: capitalised pronouns, honorifics, titles and role nouns, organisation words, particles,
#: dates, capitals, possessives, initials, and punctuation
_WORDS = (
    "the", "The", "THE", "tHe", "Ana", "Ruiz", "Moscow", "Pentagon", "Ivan", "Russian",
    "Republicans", "Israelis", "Evans", "It", "We", "I", "You", "They", "He", "he", "it",
    "Mr", "Mr.", "Dr", "Gov.", "President", "envoy", "officials", "mayor", "minister", "Deputy",
    "Retired", "General", "Bank", "Committee", "Ministry", "de", "al", "van", "Tuesday",
    "March", "NATO", "CHAPTER", "XII", "Putin’s", "D.C.’s", "J.", "U.S.", "of", "and", "who",
    "a", "senior", "official", "with", "said", "told", "Still", "still", "Poor", "poor",
    ",", ",", ".", ";", ":", "’s", "'s", "(", ")", "—", "\n",
)

_texts = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.sampled_from((" ", " ", " ", ""))), max_size=40
).map(lambda pairs: "".join(w + g for w, g in pairs))


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn every shortcut off."""
    monkeypatch.setattr(grammar, "_plain_words", lambda toks, start: False)
    monkeypatch.setattr(mentions, "_PRONOUN_FORMS", frozenset())
    monkeypatch.setattr(mentions, "_has_role_word", lambda toks: True)


def _find(text: str) -> list[tuple[object, ...]]:
    doc = Document(text)
    return [
        (m.span, m.kind, m.gender, m.plural, m.head, m.rule, m.role)
        for m in mentions.quoteattr_find_mentions(doc, ())
    ]


@settings(max_examples=300, deadline=None)
@given(_texts)
@example("Ana Ruiz, envoy, said it. It was late, and We left.")
@example("He met Ivan Evans, the Gov. of Moscow; Mr. Ruiz, a senior official, told the Pentagon.")
@example("The Pentagon and THE Kremlin said, Ana Ruiz, Deputy General, and Evans, officials.")
def test_find_mentions_shortcuts(text: str) -> None:
    fast = _find(text)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _general(monkeypatch)
        slow = _find(text)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_np_mention_shortcut(text: str) -> None:
    doc = Document(text)
    toks = tokenize(text, 0, len(text))
    for start in range(len(toks)):
        for end in range(start + 1, min(len(toks), start + 5) + 1):
            fast = np_mention(doc, toks[start:end], rule="test")
            with pytest.MonkeyPatch.context() as monkeypatch:
                _general(monkeypatch)
                slow = np_mention(doc, toks[start:end], rule="test")
            assert fast == slow


@pytest.mark.parametrize("phrase", ["the Pentagon", "The Pentagon", "THE Kremlin Palace"])
def test_the_and_a_name_is_an_organisation(phrase: str) -> None:
    doc = Document(phrase)
    mention = np_mention(doc, tokenize(phrase, 0, len(phrase)), rule="test")
    assert mention is not None
    assert (mention.kind, mention.span.text) == ("organization", phrase)


def test_what_the_shortcuts_rely_on() -> None:
    # "the" is a determiner, and none of the words np_mention() strips before a name
    assert "det" in word_class("the")
    assert "the" not in grammar._PARTICLES | grammar._ORG_WORDS | grammar.honorific_words()
    assert not grammar.role_noun("the")[0]
    assert grammar._DEMONYM.match("The") is None
    # the pronoun forms are what pronoun() knows
    assert all(pronoun(w) is not None for w in pronoun_forms())
    assert pronoun_forms() >= {"it", "we", "i", "you"}
    # every role noun that role_noun() knows is a role word
    assert all(grammar.role_noun(w)[0] for w in grammar.role_noun_words())


@given(st.text(max_size=12))
def test_pronoun_forms(word: str) -> None:
    assert (pronoun(word) is not None) == (word.lower() in pronoun_forms())


@given(st.text(alphabet="IVXLCDMivx.Aa", max_size=8))
def test_the_roman_pre_test_refuses_only_what_the_pattern_refuses(word: str) -> None:
    """``_roman()`` calls the pattern only for a word that opens with two of IVXL, which
    every word the pattern takes does."""
    assert mentions._roman(word) == (mentions._ROMAN.fullmatch(word) is not None)


@given(st.text(alphabet="gov.Mr\u2024 ", max_size=8))
def test_unstopped_is_rstrip(word: str) -> None:
    assert grammar.unstopped(word) == word.rstrip(".")
