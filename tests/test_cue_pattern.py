"""The cue pattern of quoteattr.default.grammar: a prefix tree of the cue forms, built at import.

The tree must match as the named list ``\\L<cues>`` it stands for would, and give way to that
list when two sibling branches differ only in case.
"""

from __future__ import annotations

import regex

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
