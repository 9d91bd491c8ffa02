"""The compiled build's fast paths give what the pure-Python code they replace gives.

- The C tokenizer (``quoteattr/_speedups.c``, ``tokens()``) makes the token pattern's tokens.
  The pattern (``grammar._TOKEN``) is the definition, and the pure-Python build runs it; the
  C loop must cut every text into the same tokens, with the same offsets, lower-case forms
  and abbreviations.
- The C record maker (``record()``) makes the records ``quoteattr.trusted`` makes in Python,
  and refuses anything that is not a writable slot of the class.
- The C token picker (``picked()``) picks the tokens that ``grammar._picked_by_python`` does.
- The C reader of JSONL lines (``json_fields()``) accepts only lines that ``json.loads`` reads
  as an object, and finds there the ``doc_id`` and ``text`` that it finds.
- The C JSON writer (``result_json()``) is held to ``json.dumps`` by tests/test_formats.py
  (which runs it in the compiled build); here, its refusals and its references.
- The C sentence-boundary scan (``boundaries()``) finds what ``text._BOUNDARY`` finds.
- The C word scan (``words()``) finds the words of a quotation that ``quotes._WORDS`` finds.
- The searches of sorted offsets (``text.bisect_right_int``, ``bisect_left_int``) answer as
  ``bisect`` does.

The C tests run where the C module is built (the compiled wheel, as CI installs it) and are
skipped in a pure-Python install, which has no C module to check.
"""

from __future__ import annotations

import bisect
import gc
import json
import os
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quoteattr
from quoteattr import inputs, trusted
from quoteattr import text as text_module
from quoteattr.default import grammar, jsontext, quotes
from quoteattr.model import Mention, Quote, Result, Span
from quoteattr.text import NATIVE, bisect_left_int, bisect_right_int, char_classes

needs_c = pytest.mark.skipif(grammar._C_TOKENS is None,
                             reason="a pure-Python build: no C tokenizer")

#: letters of each class and case (with the ones whose lower-case form is longer or shorter),
#: a combining mark, digits (ASCII and Arabic-Indic), the joiners, white space of each kind
_ALPHABET = "aZéÉßıİσΣжЖǅ語\u0301\u0663" + "09" + ".,:'’-" + " \n\t\u00a0\u2003" + "“”(?!$&"
#: pieces that make abbreviations, initials and names: "Mr. W. Bush", "U.S.", "a.m."
_PIECES = ["Mr", "Dr", "Gen", "St", "U", "S", "W", "Bush", "a", "m", "é", "İ", ".", ". ", " ",
           "  ", "\n", "'", "’", "-", "3", "10", ",", ":", "\u0301"]

texts = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=60),
    st.lists(st.sampled_from(_PIECES), max_size=20).map("".join),
)


def test_the_compiled_build_has_the_c_tokenizer() -> None:
    """A compiled wheel builds the C module with the rest, so these tests run on it."""
    if os.environ.get("QUOTEATTR_PURE_TOKENS"):
        assert grammar._C_TOKENS is None
    else:
        assert (grammar._C_TOKENS is not None) == quoteattr.compiled()


@needs_c
@given(text=texts, data=st.data())
def test_the_c_tokens_are_the_token_patterns(text: str, data: st.DataObject) -> None:
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    most = data.draw(st.integers(0, 8))
    for a, b in ((0, len(text)), (start, end)):
        for m in (0, most):
            made = c_tokens(text, a, b, m, grammar.Tok, char_classes())
            assert made == grammar._pattern_tokens(text, a, b, m)
            assert made is not None
            toks, starts, stops = made
            assert all(type(t) is grammar.Tok for t in toks)
            assert starts == [t.start for t in toks]
            assert stops == [k for k, t in enumerate(toks) if t.text == "."]
            assert all(text[t.start : t.end] == t.text and t.lower == t.text.lower()
                       for t in toks)


@needs_c
@given(words=st.lists(st.text(alphabet="aBéÉжЖ'’-1", min_size=1, max_size=50), min_size=1,
                      max_size=40),
       seps=st.lists(st.sampled_from([" ", ", ", ". ", "\n", ""]), min_size=1, max_size=5),
       repeat=st.integers(1, 400))
def test_the_c_tokens_of_many_words_repeated(words: list[str], seps: list[str],
                                             repeat: int) -> None:
    """The C tokenizer keeps the words of a call in a table, so that a word the text repeats
    is one string: with thousands of words, repeated and not, some longer than the table
    keeps and some touching the token before, the tokens are still the pattern's, and a
    repeated word is the same object each time."""
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    # distinct words by the thousand (the table grows past its first size) and repeats
    pieces = [w + str(k % 97) * (k % 3) + seps[k % len(seps)]
              for k, w in enumerate(words * repeat)]
    text = "".join(pieces)
    made = c_tokens(text, 0, len(text), 0, grammar.Tok, char_classes())
    assert made == grammar._pattern_tokens(text, 0, len(text), 0)
    assert made is not None
    seen: dict[str, str] = {}
    for t in made[0]:
        if len(t.text) <= 40:
            assert seen.setdefault(t.text, t.text) is t.text


@needs_c
def test_a_text_beyond_the_bmp_is_left_to_the_pattern() -> None:
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    text = "Ana 😀 said \U0001d400bc."
    assert c_tokens(text, 0, len(text), 0, grammar.Tok, char_classes()) is None
    toks, _ = grammar._tokens_and_starts(text, 0, len(text), None)
    assert [t.text for t in toks] == ["Ana", "😀", "said", "\U0001d400bc", "."]


@needs_c
@given(text=st.text(alphabet=".!?\u2026\"'\u201d\u2019\u00bb\u203a)]([\u201c a\n\t"
                            "\u00a0\u2003\u2028\u0085\u180eZ😀", max_size=80))
def test_the_c_boundaries_are_the_patterns(text: str) -> None:
    """Runs of final punctuation, closing marks and white space of every kind, in every order
    (and a character beyond the BMP, which the C scan reads too): the boundaries are the
    pattern's."""
    c_boundaries = text_module._C_BOUNDARIES
    assert c_boundaries is not None
    assert c_boundaries(text, text_module.char_classes()) == text_module._boundaries_by_pattern(
        text
    )


@needs_c
@given(text=st.text(alphabet=_ALPHABET + "\u02bc\u0300ǈ-'’_😀\U0001d400", max_size=60),
       data=st.data())
def test_the_c_words_are_the_patterns(text: str, data: st.DataObject) -> None:
    """Letters of every kind, marks, apostrophes and hyphens inside and around words, and
    characters beyond the BMP (whose stretches are left to the pattern, None)."""
    c_words = quotes._C_WORDS
    assert c_words is not None
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = c_words(text, start, end, char_classes())
    if any(ord(ch) > 0xFFFF for ch in text[start:end]):
        assert found is None
    else:
        assert found == quotes._WORDS.findall(text, start, end)
        assert quotes._words_in(text, start, end) == found


@needs_c
@given(text=texts, words=st.frozensets(st.sampled_from(["mr.", "ruiz", "said", "é", "ı", "."])),
       capitals=st.booleans())
def test_the_c_picks_are_the_pythons(text: str, words: frozenset[str], capitals: bool) -> None:
    """The tokens picked in C, by a word list and by capitals of every kind (Latin, Greek,
    Cyrillic, titlecase and dotted letters), are the ones the Python definition picks."""
    toks = grammar.tokenize(text, 0, len(text))
    assert grammar._C_PICKED is not None
    assert grammar._C_PICKED(toks, words, capitals) == grammar._picked_by_python(
        toks, words, capitals
    )


@needs_c
def test_the_c_json_writer_refuses_what_it_cannot_read() -> None:
    c_json = jsontext._C_RESULT_JSON
    assert c_json is not None
    result = quoteattr.attribute("“Yes,” said Ana Ruiz.")
    assert c_json(result, jsontext._CLASSES) == jsontext._result_json_by_python(result)
    with pytest.raises(TypeError, match="six"):
        c_json(result, jsontext._CLASSES[:5])
    with pytest.raises(TypeError, match="classes"):
        c_json(result, (*jsontext._CLASSES[:5], "Span"))
    assert c_json("not a result", jsontext._CLASSES) is None


@needs_c
def test_the_c_picks_refuse_what_they_cannot_read() -> None:
    c_picked = grammar._C_PICKED
    assert c_picked is not None
    tok = grammar.Tok("Ana", 0, 3, "ana")
    with pytest.raises(TypeError, match="list"):
        c_picked((tok,), frozenset(), True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="set"):
        c_picked([tok], ["ana"], True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a token"):
        c_picked([("Ana", 0, 3)], frozenset(), True)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="empty"):
        c_picked([grammar.Tok("", 0, 0, "")], frozenset(), True)
    assert c_picked([grammar.Tok("", 0, 0, "")], frozenset({""}), False) == [0]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(alphabet="a\"\\/\b\f\n\t\u00e9\u2028\ud800😀 "),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["text", "doc_id", "x", "t\u00e9"]), inner, max_size=3),
    max_leaves=8,
)
_json_lines = st.builds(
    lambda obj, ascii_only, indent, spaces: spaces + json.dumps(
        obj, ensure_ascii=ascii_only, indent=indent
    ) + spaces,
    st.dictionaries(st.sampled_from(["text", "doc_id", "x", "te\\u0078t"]), _json_values,
                    max_size=4),
    st.booleans(), st.sampled_from([None, 0, 1]), st.sampled_from(["", " ", "\n", "\t\r\n"]),
)


def _mutated(line: str, data: st.DataObject) -> str:
    """``line`` with a piece cut out or put in: mostly no JSON any more, sometimes still."""
    if not line or not data.draw(st.booleans()):
        return line
    at = data.draw(st.integers(0, len(line)))
    piece = data.draw(st.sampled_from(
        ["", ",", "}", "]", "{", '"', "\\", "\\u12", "\\x", "\x01", "NaN", "-", "01", ".5",
         "1e", "tru", "\ufeff", " ", ":"]
    ))
    cut = data.draw(st.integers(0, 3))
    return line[:at] + piece + line[at + cut :]


@needs_c
@given(line=_json_lines, data=st.data())
def test_the_c_json_reader_reads_what_json_reads(line: str, data: st.DataObject) -> None:
    """Where the C reader finds the two fields, json.loads reads the line as an object with
    the same two values there; what it does not plainly read as one it leaves to json.loads
    (``None``), never taking a line that json.loads refuses."""
    line = _mutated(line, data)
    c_fields = inputs._C_JSON_FIELDS
    assert c_fields is not None
    found = c_fields(line)
    if found is None:
        return
    obj = json.loads(line)  # (raises, failing the test, if the C reader took a bad line)
    assert isinstance(obj, dict)
    decoder = json.JSONDecoder()
    for key, at in zip(("doc_id", "text"), found, strict=True):
        if at < 0:
            assert key not in obj
        else:
            assert decoder.raw_decode(line, at)[0] == obj[key]


@needs_c
def test_the_c_json_reader_leaves_the_unusual_to_json() -> None:
    c_fields = inputs._C_JSON_FIELDS
    assert c_fields is not None
    line = '{"text": "a", "doc_id": "b"}'
    assert c_fields(line) == (line.index('"b"'), line.index('"a"'))
    line = ' {"doc_id": null, "text": "x", "text": "y"}\n'  # the last of a repeated key
    assert c_fields(line) == (line.index("null"), line.index('"y"'))
    assert c_fields("{}") == (-1, -1)
    for line in ('{"t\\u0065xt": "a"}', '{"text": NaN}', '["text"]', '{"text": "a"} x',
                 '{"text": "a\x01"}', "\ufeff{}", "[" * 500 + "]" * 500, '{"a": ' * 300 + "1"
                 + "}" * 300, '{"text": 01}', '{"text": "\\q"}', ""):
        assert c_fields(line) is None
    with pytest.raises(TypeError):
        c_fields(b"{}")  # type: ignore[arg-type]


@needs_c
def test_a_bmp_stretch_of_a_text_beyond_it_is_tokenized_in_c() -> None:
    """A text with a character beyond the BMP is tokenized in C wherever a stretch of it has
    none: only a stretch that holds one is left to the pattern."""
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    text = "Mr. Ruiz said “yes.” 😀 U.S. officials left."
    cut = text.index("😀")
    table = char_classes()
    for a, b in ((0, cut), (cut + 1, len(text)), (3, cut - 2)):
        made = c_tokens(text, a, b, 0, grammar.Tok, table)
        assert made is not None
        assert made == grammar._pattern_tokens(text, a, b, 0)
    assert c_tokens(text, 0, cut + 1, 0, grammar.Tok, table) is None


@needs_c
def test_the_c_tokenizer_refuses_what_it_cannot_read() -> None:
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    table = char_classes()
    with pytest.raises(ValueError, match="no stretch"):
        c_tokens("abc", 2, 1, 0, grammar.Tok, table)
    with pytest.raises(ValueError, match="no stretch"):
        c_tokens("abc", 0, 4, 0, grammar.Tok, table)
    with pytest.raises(ValueError, match="65536 bytes"):
        c_tokens("abc", 0, 3, 0, grammar.Tok, table[:-1])
    with pytest.raises(TypeError, match="tuple subclass"):
        c_tokens("abc", 0, 3, 0, list, table)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        c_tokens(b"abc", 0, 3, 0, grammar.Tok, table)  # type: ignore[arg-type]
    c_boundaries = text_module._C_BOUNDARIES
    assert c_boundaries is not None
    with pytest.raises(TypeError, match="str"):
        c_boundaries(b"a. B", table)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="65536 bytes"):
        c_boundaries("a. B", table[:-1])
    c_words = quotes._C_WORDS
    assert c_words is not None
    with pytest.raises(ValueError, match="no stretch"):
        c_words("abc", 2, 1, table)
    with pytest.raises(ValueError, match="no stretch"):
        c_words("abc", -1, 2, table)
    with pytest.raises(ValueError, match="65536 bytes"):
        c_words("abc", 0, 3, table[:-1])
    with pytest.raises(TypeError, match="str"):
        c_words(b"abc", 0, 3, table)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="4 arguments"):
        c_words("abc", 0, 3)  # type: ignore[call-arg]


def test_the_compiled_build_searches_natively() -> None:
    assert quoteattr.compiled() == NATIVE


@given(st.lists(st.integers(-5, 50)).map(sorted), st.integers(-10, 60), st.integers(0, 60))
def test_the_int_searches_answer_as_bisect(a: list[int], x: int, lo: int) -> None:
    lo = min(lo, len(a))
    assert bisect_right_int(a, x, lo) == bisect.bisect_right(a, x, lo)
    assert bisect_left_int(a, x, lo) == bisect.bisect_left(a, x, lo)


needs_record = pytest.mark.skipif(trusted._RECORD is None,
                                  reason="a pure-Python build: no C record maker")


def test_the_compiled_build_has_the_record_maker() -> None:
    assert (trusted._RECORD is not None) == quoteattr.compiled()


@needs_record
def test_c_records_equal_validated_ones() -> None:
    text = "Ana Ruiz said it."
    span = trusted.span(text, 0, 8)
    assert type(span) is Span and span == Span(0, 8, "Ana Ruiz")
    made = trusted.mention(span, "name", "female", False, "ruiz", "name", "subject")
    assert made == Mention(span, "name", "female", False, "ruiz", "name", "subject")
    quote = trusted.quote(span, "direct", (), None, None, "r", True)
    assert quote == Quote(span, "direct", (), None, None, "r", True)
    assert hash(quote) == hash(Quote(span, "direct", (), None, None, "r", True))
    with pytest.raises(AttributeError):
        span.start = 1  # type: ignore[misc]  # frozen, as ever
    # no cycle can pass through a frozen record of immutable values: the collector skips them
    assert not gc.is_tracked(span) and not gc.is_tracked(quote)
    assert gc.is_tracked(Span(0, 8, "Ana Ruiz"))  # (a record made the usual way is tracked)


@needs_record
def test_the_record_maker_writes_only_slots_of_the_class() -> None:
    record = trusted._RECORD
    slots = trusted._SPAN.descriptors
    with pytest.raises(TypeError, match="one length"):
        record(Span, slots, (0, 1))
    with pytest.raises(TypeError, match="one length"):
        record(Span, list(slots), (0, 1, "a"))
    with pytest.raises(TypeError, match="no writable object slot of"):
        record(Mention, slots, (0, 1, "a"))  # Span's slots, not Mention's
    with pytest.raises(TypeError, match="member descriptor"):
        record(Span, (Span.__init__, *slots[1:]), (0, 1, "a"))
    with pytest.raises(TypeError, match=r"object\.__new__"):
        record(int, (), ())
    with pytest.raises(TypeError, match="a class"):
        record("Span", slots, (0, 1, "a"))


@needs_c
@needs_record
def test_the_c_functions_leave_no_references_behind() -> None:
    """Each call takes and gives back every reference it holds, errors included."""
    c_tokens = grammar._C_TOKENS
    assert c_tokens is not None
    text = "Mr. Ruiz said “U.S. officials, W. Bush and Ana-María’s 10,000 friends” left. " * 5
    table = char_classes()

    def calls() -> None:
        c_tokens(text, 0, len(text), 0, grammar.Tok, table)
        c_tokens(text, 3, 60, 4, grammar.Tok, table)
        text_module._boundaries(text)
        assert quotes._C_WORDS is not None
        quotes._C_WORDS(text, 3, 200, table)
        with pytest.raises(ValueError):
            quotes._C_WORDS(text, 5, 2, table)
        inputs._C_JSON_FIELDS('{"text": "a", "x": [1, {"y": null}]}')
        jsontext.result_json(result)
        jsontext.result_json(odd)
        with pytest.raises(AttributeError):
            jsontext.result_json(broken)
        inputs._C_JSON_FIELDS('{"text": "a", "x": [1, {"y": nul}]}')
        toks = grammar.tokenize(text, 0, len(text))
        grammar.picked(toks, frozenset({"said", "mr."}), True)
        with pytest.raises(TypeError):
            grammar.picked([("x",)], frozenset(), True)  # type: ignore[list-item]
        with pytest.raises(ValueError):
            c_tokens(text, 5, 2, 0, grammar.Tok, table)
        span = trusted.span(text, 0, 3)
        trusted.mention(span, "name", None, False, "mr", "name", "")
        with pytest.raises(TypeError):
            trusted._RECORD(Mention, trusted._SPAN.descriptors, (0, 1, "a"))

    result = quoteattr.attribute("“Yes,” said Ana Ruiz, the mayor. “No,” she said again.")
    odd = attrs.evolve(result, doc_id=7)  # no plain value: written from its dict
    broken = object.__new__(Result)  # its slots unset: reading one raises
    calls()  # (anything made once, such as an exception's traceback, made before counting)
    gc.collect()  # (and the garbage of what ran before, collected before counting)
    watched = (text, grammar.Tok, table, Span, Mention, "name", result.attributions[0].content,
               result.attributions[0].speaker, result.entities[0].mentions[0], odd.doc_id)
    before = [sys.getrefcount(x) for x in watched]
    for _ in range(200):
        calls()
    gc.collect()
    assert [sys.getrefcount(x) for x in watched] == before
