"""The cue pattern of quoteattr.default.grammar: a prefix tree of the cue forms, built at import.

The tree must match as the named list ``\\L<cues>`` it stands for would, and give way to that
list when two sibling branches differ only in case. The look-ups that call it only where a cue
may start must find what it finds.
"""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from quoteattr.default import grammar


def test_the_prefix_tree_shares_prefixes_and_tries_longer_words_first() -> None:
    assert grammar._prefix_tree(["said", "say", "says"]) == "sa(?:id|y(?:s|))"
    assert grammar._prefix_tree(["a.b", "a b"]) == r"a(?:\ b|\.b)"


def test_branches_that_differ_only_in_case_give_no_tree() -> None:
    assert grammar._prefix_tree(["said", "Said"]) is None
    # the Kelvin sign is a capital k when case is ignored
    assert grammar._prefix_tree(["ok", "o\u212a"]) is None
    assert grammar._prefix_tree(["ok", "ox"]) == "o(?:k|x)"


def test_the_cue_pattern_matches_as_the_named_list_would() -> None:
    forms = sorted(grammar.cue_table("cues"))
    listed = regex.compile(
        r"(?<![\p{L}\p{N}'’\-])\L<cues>(?![\p{L}\p{N}'’\-])", cues=forms, flags=regex.IGNORECASE
    )
    text = " ".join(f"{form}, {form.upper()}s {form.title()}" for form in forms)
    assert [m.span() for m in grammar.CUE_RE.finditer(text)] == [
        m.span() for m in listed.finditer(text)
    ]


# The cue look-ups that rule places out before calling the pattern (cue_at, cue_search,
# cue_finditer) answer as the pattern does: on texts made of cue forms in every case, cut
# short, run together, next to letters, numbers, apostrophes and hyphens, and to letters that
# match an ASCII letter when case is ignored (the Kelvin sign, the long s, a dotted capital I).
_FORMS = sorted(grammar.cue_table("cues"))
_PIECES = st.one_of(
    st.sampled_from(_FORMS),
    st.sampled_from(_FORMS).map(str.upper),
    st.sampled_from(_FORMS).map(str.title),
    st.sampled_from([" ", "  ", ", ", "-", "'", "’", "x", "3", "\u212a", "\u017f", "\u0130",
                     "é", "\u0301", "😀", "\n", "“", "”", "Said", "sa", "ſaid", "sai"]),
)
_CUE_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


@settings(max_examples=400)
@given(text=_CUE_TEXTS, data=st.data())
def test_the_cue_look_ups_answer_as_the_pattern(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))

    def spans(found: regex.Match[str] | grammar.CueMatch | None) -> tuple[int, int] | None:
        return None if found is None else found.span()

    assert spans(grammar.cue_at(text, pos, end)) == spans(grammar.CUE_RE.match(text, pos, end))
    assert spans(grammar.cue_search(text, pos, end)) == spans(
        grammar.CUE_RE.search(text, pos, end)
    )
    assert spans(grammar.cue_search(text)) == spans(grammar.CUE_RE.search(text))
    # (the compiled build's search, whichever build runs the test)
    assert spans(grammar._cue_search_at_places(text, pos, end)) == spans(
        grammar.CUE_RE.search(text, pos, end)
    )
    assert [m.span() for m in grammar.cue_finditer(text, pos, end)] == [
        m.span() for m in grammar.CUE_RE.finditer(text, pos, end)
    ]
    # (the compiled build's reading of one place, whichever build runs the test: -2 leaves
    # the place to the pattern)
    found = grammar._cue_end(text, pos, end)
    if found != -2:
        assert spans(grammar.CUE_RE.match(text, pos, end)) == (
            None if found == -1 else (pos, found)
        )
    match = grammar.cue_at(text, pos, end)
    assert match is None or match.group() == text[match.start() : match.end()]


def test_the_cue_forms_are_plain_for_the_compiled_reading() -> None:
    """The lexicon's forms are ASCII lower-case letters and spaces, which _cue_end() reads
    without the pattern; a form that is not leaves every place to the pattern."""
    assert frozenset(_FORMS) == grammar._PLAIN_CUES
    assert max(map(len, _FORMS)) == grammar._LONGEST_CUE
    assert grammar._cue_end("Ana said so", 4, 11) == 8
    assert grammar._cue_end("Ana said so", 4, 7) == -1  # "sai": no form
    assert grammar._cue_end("Ana ſaid so", 4, 11) == -2  # the long s: the pattern's to read
    assert grammar._cue_end("Ana’said", 4, 8) == -1  # after an apostrophe


def test_the_cue_forms_open_with_what_the_look_ups_read() -> None:
    """The look-ups rule places out by three ASCII characters: the forms are ASCII (the
    lexicon is), so the test is on; a form shorter than three would be kept whole."""
    assert grammar._CUE_OPENINGS is not None
    openings, short = grammar._CUE_OPENINGS
    assert all(form[:3] in openings or form in short for form in _FORMS)
    assert grammar._no_cue_opens("xyz said", 0, 8)
    assert not grammar._no_cue_opens("xyz said", 4, 8)
    assert not grammar._no_cue_opens("Said", 0, 4)
    assert not grammar._no_cue_opens("\u017faid", 0, 4)  # not ASCII: left to the pattern
