"""The cheaper forms of coref's computations give what their plain definitions give.

Each holds a function of ``quoteattr.default.coref`` to the expression it stands for (the one
the module wrote before, kept here): compiled, most of them run loops over machine integers or
code points instead of generic calls, which the pure-Python build may not run at all
(``text.NATIVE``), so this suite is worth running on both builds.

- the words of a mention's text (``_words_of``) and its quick test of ASCII letters and spaces;
- the one-line test of a canonical name (``_written_on_one_line``);
- the last quotation before a mention, stepped to from the one before (``_quotation_before``);
- the distinct recent entities a pronoun weighs (``_latest_each``), and the one it prefers
  (``_most_salient``, ``_latest``);
- an entity's spans in text order (``_in_order``);
- the names a quotation calls out, the pattern tried only where a match can start
  (``_vocatives``);
- the memos of titles, descriptions and names called out.
"""

from __future__ import annotations

import bisect
from operator import attrgetter

import regex
from hypothesis import example, given
from hypothesis import strategies as st

from quoteattr.default import coref
from quoteattr.model import Span

_TEXTS = st.text(alphabet="aZ .-'’\n\t\u00a0é\u0301İ\x00\u2028Gov", max_size=24)
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-.]*")


def _words_of_before(text: str) -> tuple[str, ...]:
    """coref._words_of as it was written before."""
    if text.isascii() and text.replace(" ", "").isalpha():
        words = text.lower().split()
        if coref._DROP.isdisjoint(words):
            return tuple(words)
        return tuple(w for w in words if w not in coref._DROP)
    lowered = [w.lower() for w in _WORD.findall(text)]
    return tuple(w.rstrip(".") for w in lowered if w not in coref._DROP)


@given(_TEXTS)
@example("")
@example("   ")
@example("Mr Ana the Ruiz")
@example("Gov. Bell")
def test_the_words_of_a_text_are_as_before(text: str) -> None:
    assert coref._letters_and_spaces(text) == (
        text.isascii() and text.replace(" ", "").isalpha()
    )
    assert coref._words_of(text) == _words_of_before(text)


@given(_TEXTS)
@example("John  Knightley")
@example("John\nKnightley")
@example("Ana Ruiz ")
@example("Zoë Ruiz")
def test_a_name_is_on_one_line_as_before(name: str) -> None:
    assert coref._written_on_one_line(name) == (name.isprintable() and "  " not in name)


@given(
    st.lists(st.integers(0, 60), max_size=12).map(sorted),
    st.lists(st.integers(-2, 64), min_size=1, max_size=12),
)
def test_the_quotation_before_a_mention_is_bisects(starts: list[int], positions: list[int]) -> None:
    # positions in any order: mostly rising, as mentions come, but not always
    prior = -1
    for pos in positions:
        prior = coref._quotation_before(starts, pos, prior)
        assert prior == bisect.bisect_right(starts, pos) - 1


def _entities(n: int) -> list[coref._Entity]:
    return [coref._Entity("person", f"E{k}", 1, (f"e{k}",)) for k in range(n)]


@given(st.lists(st.integers(0, 5), max_size=30), st.integers(0, 35))
def test_the_recent_entities_are_the_distinct_latest_first(picks: list[int], reach: int) -> None:
    # a list as _Linker.link() makes it: each entry's count of mentions, and the entity's own
    pool = _entities(6)
    entities: list[coref._Entity] = []
    at: list[int] = []
    for seen, k in enumerate(picks):
        entities.append(pool[k])
        at.append(seen * 2)  # (the other list's mentions count too: not every count is here)
        pool[k].at = seen * 2
    lo = bisect.bisect_left(at, reach)
    assert coref._latest_each(entities, at, lo) == list(dict.fromkeys(reversed(entities[lo:])))


@given(st.lists(st.tuples(st.integers(-1, 4), st.integers(-1, 4)), min_size=1, max_size=8))
def test_the_preferred_entity_is_the_max(lasts: list[tuple[int, int]]) -> None:
    entities = _entities(len(lasts))
    for e, (salient, last) in zip(entities, lasts, strict=True):
        e.last_salient, e.last = salient, last
    assert coref._most_salient(entities) is max(
        entities, key=attrgetter("last_salient", "last")
    )
    assert coref._latest(entities) is max(entities, key=attrgetter("last"))


_SPANS = st.builds(
    lambda start, length, text: Span(start, start + length, text[:length].ljust(length)),
    st.integers(0, 6), st.integers(0, 2), st.sampled_from(("ab", "xy")),
)


@given(st.lists(_SPANS, max_size=8))
@example([Span(0, 1, "a"), Span(0, 1, "a")])
@example([Span(0, 1, "a"), Span(0, 2, "ab"), Span(3, 4, "c")])
def test_the_spans_in_order_are_the_sorted_distinct(spans: list[Span]) -> None:
    expected = tuple(sorted(set(spans), key=attrgetter("start", "end")))
    assert coref._in_order(spans) == expected


@given(st.sampled_from(("envoy", "coordinator", "girl", "gov")), _TEXTS)
@example("envoy", "the Russian envoy")
@example("gov", "Gov. Bell")
def test_the_memos_are_the_plain_functions(head: str, text: str) -> None:
    for _ in range(2):  # once computed, once remembered
        assert coref._description(head, text) == coref._describe(head, text)
        assert coref._title_roles(head, text) == coref._roles(head, coref._words_of(text))
        assert coref.addressed_names(text) == coref._addressed_names(text)


#: pieces of quotations that call people by name, and near misses
_VOCATIVE_PIECES = (
    "Harry", "Mr.", "Mrs", "Dear", "dear", "Oh", "O", "my", "good", "Bell", "Ada", "Okafor",
    "Well", "ear", "Dearest", "Odear", "x_O", "é", "3", ", ", "! ", "? ", "; ", ".", "“", "”",
    "\"", "'", "«", " ", "  ", "\n", "\t", "\u00a0",
)


@given(st.lists(st.sampled_from(_VOCATIVE_PIECES), max_size=16).map("".join))
@example("“Harry, look!”")
@example("“Well, Harry, you are late. Oh! I see, Mr. Bell.”")
@example("“Good-bye, my dear Ada!” O Romeo, dear Juliet.")
@example("Dear Sir, dearHarry, _Dear Bell, 3O Ada")
def test_the_names_called_out_are_the_patterns_matches(text: str) -> None:
    def spans(matches: list[regex.Match[str]]) -> list[tuple[object, ...]]:
        return [(m.span(), m.groupdict()) for m in matches]

    assert spans(coref._vocatives(text)) == spans(list(coref._VOCATIVE.finditer(text)))
