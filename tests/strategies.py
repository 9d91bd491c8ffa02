"""Hypothesis strategies for quoteattr's property tests.

Three families of text:

- :func:`unicode_text`: anything at all, over the whole of Unicode bar lone surrogates (which
  cannot be encoded and so never reach a real pipeline);
- :func:`quote_heavy_text` and :func:`token_soup`: noise in which quotation marks, apostrophes,
  line breaks, cue verbs and names are frequent, to exercise the detector's bookkeeping;
- :func:`news_articles`: news-like articles built from sentence templates, which return the
  text *and* the plan used to build it (:class:`Article`), so a test can check that what was
  planted is found: each direct quote's exact span, its speaker, and whether its cue names the
  speaker explicitly ("“…,” Ana Lopez said").

Generated names never contain a word of any lexicon (``quoteattr/lexicons/*.txt``): a name such
as "Chair Smith" or "Said Lopez" is ambiguous for any reader, and would test the lexicons rather
than the pipeline. Names whose first word looks like a nationality to quoteattr's grammar
("Brian", "Ali", "Juan": see :data:`DEMONYM_LIKE`), and surnames that look like a plural
("Davis", "Evans": see :data:`PLURAL_LIKE`), are separate sub-cases: see :func:`persons`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from hypothesis import strategies as st

from quoteattr.model import Document, Quote

__all__ = [
    "ANY_CHARACTER",
    "CUE_VERBS",
    "DEMONYM_LIKE",
    "EXPLICIT_SHAPES",
    "PLURAL_LIKE",
    "PREFIX_SENTENCES",
    "QUOTE_FIRST_SHAPES",
    "QUOTE_MARKS",
    "STRAY_OPENERS",
    "Article",
    "IsolatedQuote",
    "Person",
    "PlannedQuote",
    "clean_paragraphs",
    "isolated_quotes",
    "lexicon_words",
    "news_articles",
    "person_names",
    "persons",
    "quote_heavy_text",
    "quotes_at",
    "second_references",
    "token_soup",
    "unicode_text",
]

#: every quotation mark the detector knows, and the apostrophes that double as single marks
QUOTE_MARKS = "“”\"'‘’«»„「」"
#: reporting cues as a news writer uses them after a subject ("X said", "X told reporters")
CUE_VERBS = ("said", "says", "told reporters", "claimed", "added", "insisted", "explained")
#: cues that also read well inverted ("…,” said X)
INVERTED_CUE_VERBS = ("said", "added", "claimed", "insisted")
#: quoteattr's grammar reads a capitalised word with one of these endings before a name as a
#: nationality ("Russian envoy X"): the same shape as many first names ("Brian", "Ali", "Ivan")
DEMONYM_LIKE = re.compile(r"^[A-Z][a-z]+(?:ian|an|ese|ish|i|ch|ic)$")
#: quoteattr's grammar reads a capitalised word alone with one of these endings as a plural
#: of people ("Israelis", "Democrats"): the same shape as many surnames ("Davis", "Evans")
PLURAL_LIKE = re.compile(r"^[A-Z][a-z]+(?:ans|ats|ists|ites|ives|als|is)$")

TITLES = (
    "the minister",
    "a spokeswoman",
    "the spokesman",
    "the mayor",
    "a senior official",
    "the envoy",
    "the governor",
)
APPOSITIVES = (
    "a spokeswoman for the ministry",
    "the city's mayor",
    "a senior official",
    "the former envoy",
    "a lawmaker from the north",
)
PREFIX_SENTENCES = (
    "Weather was mild.",
    "The day began quietly.",
    "Rain fell overnight.",
    "Markets opened higher.",
)

# ---------------------------------------------------------------------------------------------
# arbitrary text

_SPECIALS = (
    *QUOTE_MARKS,
    *QUOTE_MARKS,
    "’",
    "'",
    "’",
    "'",
    "\n",
    "\n",
    "\n\n",
    " ",
    " ",
    " ",
    ".",
    ",",
    ":",
    "\u2029",
    "\r\n",
)


#: any code point but a surrogate
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


def unicode_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Any text over the full Unicode range, surrogates excluded."""
    return st.text(ANY_CHARACTER, max_size=max_size)


def quote_heavy_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Text in which quotation marks, apostrophes, line breaks and spaces are most characters."""
    char = st.one_of(
        st.sampled_from(_SPECIALS),
        st.sampled_from("abcdeXYZ019"),
        ANY_CHARACTER,
    )
    return st.lists(char, max_size=max_size).map("".join)


_SOUP_WORDS = (
    "said", "says", "told", "reporters", "claimed", "according", "to", "that", "he", "she",
    "they", "it’s", "don't", "the", "’90s", "'90s", "rock ’n’ roll", "the Smiths’", "minister",
    "a spokeswoman", "officials", "we", "will", "win", "Ana Lopez", "Lopez", "Mr.", "U.S.",
    "Kabulov", "asked", "added", "but", "and", "on Tuesday", "...", "…", "—", "(", ")",
)


def token_soup(max_tokens: int = 80) -> st.SearchStrategy[str]:
    """News vocabulary (cues, names, pronouns, apostrophes) shuffled with marks and breaks."""
    token = st.one_of(
        st.sampled_from(_SOUP_WORDS),
        st.sampled_from(_SPECIALS),
        st.text(ANY_CHARACTER, max_size=3),
    )
    glue = st.sampled_from(("", " ", " ", " ", ", ", ". ", "\n"))
    return st.lists(st.tuples(token, glue), max_size=max_tokens).map(
        lambda pairs: "".join(t + g for t, g in pairs)
    )


# ---------------------------------------------------------------------------------------------
# names


@cache
def lexicon_words() -> frozenset[str]:
    """Every word of every lexicon shipped with quoteattr, lower-cased."""
    words: set[str] = set()
    for path in resources.files("quoteattr").joinpath("lexicons").iterdir():
        if not path.name.endswith(".txt"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            for word in re.split(r"[\s|]+", line.split("#", 1)[0].lower()):
                if word:
                    words.add(word.rstrip("."))
    return frozenset(words)


_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "kr", "st", "tr", "sh", "zh", "")
_VOWELS = ("a", "e", "i", "o", "u", "a", "o")
_CODAS = ("", "", "", "n", "r", "l", "s", "k", "m")

#: real first names, none of them nationality-shaped
_FIRST_NAMES = ("Ana", "Olena", "Zamir", "Wei", "Fatima", "Kofi", "Maria", "Tomasz", "Grace",
                "Hiroshi", "Amara", "Lucas", "Ingrid", "Pedro", "Yusuf", "Sofia", "Elena",
                "Kwame", "Nadia", "Oscar", "Priya", "Chloe", "Mateo", "Leila")
#: real first names that look like nationalities to the grammar (see DEMONYM_LIKE)
_FIRST_NAMES_DEMONYM_LIKE = ("Brian", "Adrian", "Julian", "Sebastian", "Christian", "Ivan",
                             "Juan", "Ali", "Dominic", "Mitch", "Naomi", "Yuri", "Giovanni")
_SURNAMES = ("Lopez", "Kabulov", "Okafor", "Nguyen", "Fischer", "Haddad", "Novak", "Tanaka",
             "Mensah", "Kowalski", "Silva", "Petrov", "Osei", "Lindqvist", "Moreau",
             "Fitton-Brown", "Castillo", "Abebe", "Rossi", "Byrne")


def _generated_word(draw: st.DrawFn) -> str:
    """A pronounceable capitalised word: two or three syllables and maybe a final consonant.

    Never a lexicon word: a clash gets an "o" added (not redrawn, so shrinking terminates).
    """
    syllables = draw(st.integers(2, 3))
    word = "".join(
        draw(st.sampled_from(_ONSETS)) + draw(st.sampled_from(_VOWELS)) for _ in range(syllables)
    )
    word = (word + draw(st.sampled_from(_CODAS))).capitalize()
    while len(word) < 3 or word.lower() in lexicon_words():
        word += "o"
    return word


@st.composite
def _name_word(draw: st.DrawFn, pool: Sequence[str] = ()) -> str:
    """A real name from ``pool`` or a generated one, half and half."""
    from_pool: bool = draw(st.booleans())
    if pool and from_pool:
        return draw(st.sampled_from(pool))
    return _generated_word(draw)


_DEMONYM_SUFFIXES = ("ian", "an", "i", "ic", "ich", "ese", "ish")


@st.composite
def _first_name(draw: st.DrawFn, demonym_like: bool | None) -> str:
    if demonym_like is None:
        return draw(_name_word(_FIRST_NAMES + _FIRST_NAMES_DEMONYM_LIKE))
    if demonym_like:
        if draw(st.booleans()):
            return draw(st.sampled_from(_FIRST_NAMES_DEMONYM_LIKE))
        return _generated_word(draw) + draw(st.sampled_from(_DEMONYM_SUFFIXES))
    word = draw(_name_word(_FIRST_NAMES))
    return word + "o" if DEMONYM_LIKE.match(word) else word


@dataclass(frozen=True)
class Person:
    """A generated person: a first name and a surname, both capitalised single words."""

    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def words(self) -> tuple[str, ...]:
        return (self.first, *self.last.split("-"))


_SURNAMES_PLURAL_LIKE = ("Davis", "Harris", "Lewis", "Morris", "Curtis", "Evans", "Travis",
                         "Dennis", "Jarvis", "Regis")
_PLURAL_SUFFIXES = ("is", "ans", "als", "ats", "ists", "ites", "ives")


@st.composite
def _surname(draw: st.DrawFn, plural_like: bool | None) -> str:
    if plural_like is None:
        return draw(_name_word(_SURNAMES + _SURNAMES_PLURAL_LIKE))
    if plural_like:
        if draw(st.booleans()):
            return draw(st.sampled_from(_SURNAMES_PLURAL_LIKE))
        return _generated_word(draw) + draw(st.sampled_from(_PLURAL_SUFFIXES))
    word = draw(_name_word(_SURNAMES))
    return word + "o" if PLURAL_LIKE.match(word) else word


@st.composite
def persons(
    draw: st.DrawFn, demonym_like: bool | None = False, plural_like: bool | None = False
) -> Person:
    """A person's name: a first name and a surname, neither of them a lexicon word.

    :param demonym_like: ``False`` (the default) gives first names that do not match
        :data:`DEMONYM_LIKE`, ``True`` only ones that do, ``None`` either.
    :param plural_like: the same for surnames and :data:`PLURAL_LIKE`.
    """
    first = draw(_first_name(demonym_like))
    last = draw(_surname(plural_like))
    if last.lower() == first.lower():
        last = _lengthen(last, plural_like)
    return Person(first, last)


def _clashes(surname: str, taken: set[str]) -> bool:
    """Whether the surname, or a hyphenated part of it, is one of the ``taken`` words."""
    return not taken.isdisjoint({surname.lower(), *surname.lower().split("-")})


def _lengthen(surname: str, plural_like: bool | None) -> str:
    """A different surname of the same shape, each of its hyphenated parts changed."""
    if plural_like:
        return "-".join(part[0] + "o" + part[1:] for part in surname.split("-"))
    return "-".join(part + "ro" for part in surname.split("-"))


def person_names(
    demonym_like: bool | None = False, plural_like: bool | None = False
) -> st.SearchStrategy[str]:
    """Full names ("Ana Lopez", "Dorika Velun") as strings; see :func:`persons`."""
    return persons(demonym_like, plural_like).map(lambda p: p.name)


@st.composite
def _cast(
    draw: st.DrawFn, size: int, demonym_like: bool | None, plural_like: bool | None = False
) -> tuple[Person, ...]:
    """``size`` people none of whom can be taken for another.

    No surname is a word of anyone else's name (coreference links names by surname); clashes
    are resolved by lengthening the name, not by drawing again, so shrinking terminates.
    """
    people: list[Person] = []
    for _ in range(size):
        p = draw(persons(demonym_like, plural_like))
        others = {w.lower() for q in people for w in (*q.words, q.last)}
        surnames = {w.lower() for q in people for w in (*q.words[1:], q.last)}
        first, last = p.first, p.last
        while first.lower() in surnames:
            first += "ian" if demonym_like else "o"
        while _clashes(last, others | {first.lower()}):
            last = _lengthen(last, plural_like)
        people.append(Person(first, last))
    return tuple(people)


# ---------------------------------------------------------------------------------------------
# sentences

_QUOTE_WORDS = (
    "we", "will", "win", "the", "vote", "plan", "is", "dead", "this", "was", "a", "mistake",
    "people", "deserve", "better", "our", "team", "worked", "hard", "for", "months", "nothing",
    "has", "changed", "they", "know", "it", "time", "to", "move", "on", "there", "no", "deal",
    "yet", "every", "family", "in", "city", "should", "be", "heard", "and", "we", "are", "ready",
    "talks", "failed", "because", "of", "them", "not", "going", "back", "now", "he", "she",
    "said", "told", "us", "that",
)
_APOSTROPHE_WORDS = ("it’s", "don’t", "we’re", "can't", "isn't", "they’ve", "o’clock",
                     "the ’90s", "the '90s", "rock ’n’ roll")
_NESTED = ("a mistake", "not negotiable", "the final word", "business as usual")


@st.composite
def quote_bodies(draw: st.DrawFn, straight: bool = False) -> str:
    """What a speaker says: 3 to 12 words, capitalised, no final punctuation.

    Sometimes with apostrophes (it’s, the ’90s), a nested quotation (‘a mistake’) or a second
    sentence. ``straight`` uses ASCII apostrophes and single quotes, as texts with straight
    double quotes do.
    """
    words = draw(st.lists(st.sampled_from(_QUOTE_WORDS), min_size=3, max_size=12))
    # each extra shows up in about one body in four; shrinking drops it (toward 0)
    if draw(st.integers(0, 3)) == 3:
        at = draw(st.integers(0, len(words)))
        words.insert(at, draw(st.sampled_from(_APOSTROPHE_WORDS)))
    if draw(st.integers(0, 4)) == 4:
        at = draw(st.integers(1, len(words)))
        inner = draw(st.sampled_from(_NESTED))
        words.insert(at, f"'{inner}'" if straight else f"‘{inner}’")
    if draw(st.integers(0, 4)) == 4:
        at = draw(st.integers(0, len(words) - 2))
        words[at] = words[at] + "."
        words[at + 1] = words[at + 1].capitalize()
    body = " ".join(words)
    if straight:
        body = body.replace("’", "'").replace("‘", "'")
    if body.endswith(("'", "’")):
        body += " today"  # a nested quote at the very end is fine, but keep bodies simple
    return body[0].upper() + body[1:]


_CLAUSES = (
    "the talks would resume next week",
    "the budget had been cut",
    "nobody was hurt in the fire",
    "the plan was never approved",
    "prices would rise again",
    "the bridge would reopen in spring",
)
_NARRATIVE = (
    "The meeting lasted two hours.",
    "Talks resumed after a short break.",
    "Prices rose sharply in the spring.",
    "Delegates did not respond to requests for comment.",
    "The bridge has been closed since March.",
    "About forty people attended the hearing.",
)
_NARRATIVE_APOSTROPHES = (
    "It’s the first such visit since the ’90s.",
    "The Smiths’ house stood empty.",
    "A band played rock ’n’ roll outside.",
    "The city's budget wasn't passed.",
    "It's been a long year for the council.",
)
#: realistic stray marks: inches, a mistyped closer, a lone guillemet
_STRAY = (
    "The statue stands 6'2\" tall.",
    "The ” key on the old typewriter was stuck.",
    "A lone « survived in the draft.",
    "Workers fixed the 12\" pipe.",
)
#: an opening mark with white space after it and no closer: see isolated_quotes(stray_opener)
STRAY_OPENERS = (
    "The sign had a “ where a word should be.",
    "Someone typed “ by mistake.",
)


# ---------------------------------------------------------------------------------------------
# articles


@dataclass(frozen=True)
class PlannedQuote:
    """A quotation that a template put into an article.

    :ivar kind: ``direct``, ``mixed`` or ``indirect``.
    :ivar template: the template's label, e.g. ``after-name`` for "“…,” NAME said".
    :ivar start: the offset of the content (marks included for a direct quote).
    :ivar text: the content as it should be found.
    :ivar speaker: the expected speaker's canonical name, when the template names one.
    :ivar explicit: the cue names the speaker right by the quote ("“…,” NAME said",
        "NAME said: “…”"), so a quote attributor should never miss it.
    """

    kind: str
    template: str
    start: int
    text: str
    speaker: str | None
    explicit: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Article:
    """A generated article and the plan it was built from."""

    text: str
    separator: str
    people: tuple[Person, ...]
    quotes: tuple[PlannedQuote, ...]
    blocks: tuple[str, ...]

    @property
    def explicit_quotes(self) -> tuple[PlannedQuote, ...]:
        return tuple(q for q in self.quotes if q.explicit)


@dataclass
class _Writer:
    """Writes an article piece by piece and records where each planned quote lands."""

    separator: str
    chunks: list[str] = field(default_factory=list)
    pos: int = 0
    quotes: list[PlannedQuote] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    mentioned: set[Person] = field(default_factory=set)
    last_speaker: Person | None = None

    def write(self, *parts: str) -> None:
        for part in parts:
            self.chunks.append(part)
            self.pos += len(part)

    def since(self, start: int) -> str:
        return "".join(self.chunks)[start:]

    def planned(self, start: int, kind: str, template: str, speaker: Person | None,
                explicit: bool = False) -> None:
        self.quotes.append(PlannedQuote(kind, template, start, self.since(start),
                                        speaker.name if speaker else None, explicit))

    def quote(self, marks: tuple[str, str], body: str, end_punct: str, template: str,
              speaker: Person | None, explicit: bool) -> None:
        start = self.pos
        self.write(marks[0], body, end_punct, marks[1])
        self.planned(start, "direct", template, speaker, explicit)

    def ref(self, person: Person, surname: bool) -> str:
        """How the text names ``person``: the full name first, then maybe the surname alone."""
        use_surname = surname and person in self.mentioned
        self.mentioned.add(person)
        return person.last if use_surname else person.name


_CURLY = ("“", "”")
_STRAIGHT = ('"', '"')

Block = Callable[[st.DrawFn, _Writer, tuple[Person, ...]], None]


def _marks(draw: st.DrawFn) -> tuple[tuple[str, str], bool]:
    straight = draw(st.integers(0, 2)) == 2  # one quote in three; shrinks to curly
    return (_STRAIGHT if straight else _CURLY), straight


#: the shapes of a quote whose cue names the speaker; the "after" ones start with the quote
QUOTE_FIRST_SHAPES = ("after-name", "after-verb", "after-name-time", "after-appositive")
EXPLICIT_SHAPES = (*QUOTE_FIRST_SHAPES, "before-colon", "before-comma", "before-time")


def _explicit(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...],
              shapes: Sequence[str] = EXPLICIT_SHAPES, curly: bool = False,
              surname_only: bool = False) -> None:
    """A direct quote whose cue names its speaker, in one of the usual news shapes.

    The speaker is named in full, or by surname alone once the text has named them in full
    (always by surname when ``surname_only``).
    """
    person = draw(st.sampled_from(people))
    marks, straight = (_CURLY, False) if curly else _marks(draw)
    body = draw(quote_bodies(straight))
    surname = surname_only or draw(st.booleans())
    shape = draw(st.sampled_from(tuple(shapes)))
    if shape == "after-name":
        verb = draw(st.sampled_from(CUE_VERBS))
        w.quote(marks, body, ",", shape, person, True)
        w.write(" ", w.ref(person, surname), " ", verb, ".")
    elif shape == "after-verb":
        verb = draw(st.sampled_from(INVERTED_CUE_VERBS))
        w.quote(marks, body, ",", shape, person, True)
        w.write(" ", verb, " ", w.ref(person, surname), ".")
    elif shape == "after-name-time":
        w.quote(marks, body, ",", shape, person, True)
        w.write(" ", w.ref(person, surname), " said on Tuesday.")
    elif shape == "after-appositive":
        appositive = draw(st.sampled_from(APPOSITIVES))
        w.quote(marks, body, ",", shape, person, True)
        w.write(" ", w.ref(person, False), ", ", appositive, ", said.")
    elif shape == "before-colon":
        verb = draw(st.sampled_from(("said", "told reporters", "added")))
        w.write(w.ref(person, surname), " ", verb, ": ")
        w.quote(marks, body, ".", shape, person, True)
    elif shape == "before-comma":
        w.write(w.ref(person, surname), " said, ")
        w.quote(marks, body, ".", shape, person, True)
    else:  # before-time
        w.write(w.ref(person, surname), " said on Monday: ")
        w.quote(marks, body, ".", shape, person, True)
    w.last_speaker = person


def _question(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """“…?” NAME asked."""
    person = draw(st.sampled_from(people))
    marks, straight = _marks(draw)
    body = draw(quote_bodies(straight))
    w.quote(marks, body, "?", "question", person, True)
    w.write(" ", w.ref(person, draw(st.booleans())), " asked.")
    w.last_speaker = person


def _run_on(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """A quotation over two paragraphs: the first left open, the second reopening it."""
    person = draw(st.sampled_from(people))
    marks, straight = _marks(draw)
    start = w.pos
    w.write(marks[0], draw(quote_bodies(straight)), ".", w.separator)
    w.write(marks[0], draw(quote_bodies(straight)), ",", marks[1])
    w.planned(start, "direct", "run-on", person, explicit=True)
    w.write(" ", w.ref(person, draw(st.booleans())), " said.")
    w.last_speaker = person


def _titled(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """“…,” the minister said."""
    marks, straight = _marks(draw)
    w.quote(marks, draw(quote_bodies(straight)), ",", "title", None, False)
    w.write(" ", draw(st.sampled_from(TITLES)), " ", draw(st.sampled_from(CUE_VERBS)), ".")
    w.last_speaker = None


def _pronoun(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """“…,” she said: the speaker is whoever spoke last, when someone did."""
    marks, straight = _marks(draw)
    w.quote(marks, draw(quote_bodies(straight)), ",", "pronoun", w.last_speaker, False)
    w.write(" ", draw(st.sampled_from(("he", "she"))), " said.")


def _continuation(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """A paragraph that is only a quotation, after the same speaker's quote."""
    marks, straight = _marks(draw)
    w.quote(marks, draw(quote_bodies(straight)), ".", "continuation", w.last_speaker, False)


def _indirect(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """NAME said that …; According to NAME, …; …, according to the minister."""
    person = draw(st.sampled_from(people))
    clause = draw(st.sampled_from(_CLAUSES))
    shape = draw(st.sampled_from(("said-that", "told-that", "according-to", "according-after")))
    if shape == "said-that":
        w.write(w.ref(person, draw(st.booleans())), " said that ")
    elif shape == "told-that":
        w.write(w.ref(person, draw(st.booleans())), " told reporters that ")
    elif shape == "according-to":
        w.write("According to ", w.ref(person, draw(st.booleans())), ", ")
    else:
        start = w.pos
        w.write(clause[0].upper(), clause[1:])
        w.planned(start, "indirect", shape, None)
        w.write(", according to ", draw(st.sampled_from(TITLES)), ".")
        return
    start = w.pos
    w.write(clause)
    w.planned(start, "indirect", shape, person)
    w.write(".")
    w.last_speaker = person


def _mixed(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """NAME said the plan was “…”."""
    person = draw(st.sampled_from(people))
    marks, _ = _marks(draw)
    w.write(w.ref(person, draw(st.booleans())), " said ")
    start = w.pos
    fragment = " ".join(draw(st.lists(st.sampled_from(_QUOTE_WORDS), min_size=2, max_size=6)))
    w.write("the plan was ", marks[0], fragment, marks[1])
    w.planned(start, "mixed", "mixed", person)
    w.write(".")
    w.last_speaker = person


def _narrative_name(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """NAME arrived … / NAME said that …: a person named in full outside any quotation."""
    person = draw(st.sampled_from(people))
    if draw(st.booleans()):
        w.write(w.ref(person, False), " said that ")
        start = w.pos
        w.write(draw(st.sampled_from(_CLAUSES)))
        w.planned(start, "indirect", "said-that", person)
        w.write(".")
    else:
        w.write(w.ref(person, False), " arrived in the capital on Monday.")


def _narrative(draw: st.DrawFn, w: _Writer, people: tuple[Person, ...]) -> None:
    """Sentences with no quotation: maybe a name, apostrophes, a stray mark."""
    n = draw(st.integers(1, 3))
    sentences = []
    for _ in range(n):
        kind = draw(st.sampled_from(("plain", "plain", "name", "apostrophe", "stray")))
        if kind == "name":
            person = draw(st.sampled_from(people))
            sentences.append(f"{w.ref(person, True)} arrived in the capital on Monday.")
        elif kind == "apostrophe":
            sentences.append(draw(st.sampled_from(_NARRATIVE_APOSTROPHES)))
        elif kind == "stray":
            sentences.append(draw(st.sampled_from(_STRAY)))
        else:
            sentences.append(draw(st.sampled_from(_NARRATIVE)))
    w.write(" ".join(sentences))


_BLOCKS: dict[str, Block] = {
    "explicit": _explicit,
    "question": _question,
    "run-on": _run_on,
    "title": _titled,
    "pronoun": _pronoun,
    "continuation": _continuation,
    "indirect": _indirect,
    "mixed": _mixed,
    "narrative": _narrative,
}
_DEFAULT_BLOCKS = ("explicit", "explicit", "explicit", "title", "pronoun", "continuation",
                   "indirect", "mixed", "narrative", "narrative", "run-on", "question")


@st.composite
def news_articles(
    draw: st.DrawFn,
    blocks: Sequence[str] = _DEFAULT_BLOCKS,
    demonym_like: bool | None = False,
    max_blocks: int = 8,
    plural_like: bool | None = False,
) -> Article:
    """A news-like article of 1 to ``max_blocks`` paragraphs (a run-on quote takes two).

    :param blocks: the block kinds to draw from, repeated to weight them (see ``_BLOCKS``).
    :param demonym_like: passed to :func:`persons`.
    :param plural_like: passed to :func:`persons`.
    """
    people = draw(_cast(draw(st.integers(1, 3)), demonym_like, plural_like))
    separator = draw(st.sampled_from(("\n", "\n\n")))
    w = _Writer(separator)
    kinds = draw(st.lists(st.sampled_from(tuple(blocks)), min_size=1, max_size=max_blocks))
    for i, kind in enumerate(kinds):
        if i:
            w.write(separator)
        _BLOCKS[kind](draw, w, people)
        w.blocks.append(kind)
    return Article("".join(w.chunks), separator, people, tuple(w.quotes), tuple(w.blocks))


@st.composite
def second_references(draw: st.DrawFn, plural_like: bool | None = False) -> Article:
    """A person named in full, then quoted with a cue naming them by surname alone.

    "Ana Davis arrived in the capital on Monday. / “…,” Davis said."; the shapes without a
    surname ("“…,” NAME, a spokeswoman, said") are left out.
    """
    people = draw(_cast(1, False, plural_like))
    separator = draw(st.sampled_from(("\n", "\n\n")))
    w = _Writer(separator)
    _narrative_name(draw, w, people)
    w.blocks.append("narrative")
    w.write(separator)
    shapes = tuple(s for s in EXPLICIT_SHAPES if s != "after-appositive")
    _explicit(draw, w, people, shapes, surname_only=True)
    w.blocks.append("explicit")
    return Article("".join(w.chunks), separator, people, tuple(w.quotes), tuple(w.blocks))


# ---------------------------------------------------------------------------------------------
# a quote paragraph among paragraphs without quotation marks


@st.composite
def clean_paragraphs(draw: st.DrawFn, people: tuple[Person, ...] = (),
                     apostrophes: bool = False) -> str:
    """A paragraph with no quotation mark at all (nor apostrophe, unless ``apostrophes``).

    It may name people and hold reported speech ("X said that …").
    """
    options = list(_NARRATIVE)
    if apostrophes:
        options += list(_NARRATIVE_APOSTROPHES)
    for p in people:
        options.append(f"{p.name} arrived in the capital on Monday.")
        options.append(f"{p.last} said that {draw(st.sampled_from(_CLAUSES))}.")
    sentences = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3))
    return " ".join(sentences)


@dataclass(frozen=True)
class IsolatedQuote:
    """A one-paragraph direct quote with its cue, and paragraphs to put around it."""

    paragraph: str
    quote: PlannedQuote  # its offsets are within ``paragraph``
    before: tuple[str, ...]
    after: tuple[str, ...]
    separator: str

    @property
    def text(self) -> str:
        return self.separator.join((*self.before, self.paragraph, *self.after))

    @property
    def offset(self) -> int:
        """Where ``paragraph`` starts in :attr:`text`."""
        return sum(len(p) + len(self.separator) for p in self.before)


@st.composite
def isolated_quotes(
    draw: st.DrawFn, apostrophes: bool = False, stray_opener: bool = False
) -> IsolatedQuote:
    """A “…,” NAME said. paragraph, and clean paragraphs before and after it.

    :param apostrophes: the other paragraphs may hold apostrophes (it’s, the ’90s).
    :param stray_opener: the paragraph right before the quote ends with a sentence holding a
        lone “ followed by a space (:data:`STRAY_OPENERS`), and the quote paragraph starts with
        “: the news convention for a quotation running on over paragraphs, but for the space.
    """
    people = draw(_cast(draw(st.integers(1, 2)), False))
    separator = draw(st.sampled_from(("\n", "\n\n")))
    w = _Writer(separator)
    if stray_opener:
        _explicit(draw, w, people, QUOTE_FIRST_SHAPES, curly=True)
    else:
        _explicit(draw, w, people)
    (quote,) = w.quotes
    around = clean_paragraphs(people, apostrophes)
    before = tuple(draw(st.lists(around, max_size=3)))
    if stray_opener:
        last = draw(around) if draw(st.booleans()) else ""
        before = (*before, f"{last} {draw(st.sampled_from(STRAY_OPENERS))}".strip())
    after = tuple(draw(st.lists(around, min_size=0 if before else 1, max_size=3)))
    return IsolatedQuote("".join(w.chunks), quote, before, after, separator)


def quotes_at(spans: Sequence[tuple[int, int]]) -> list[Quote]:
    """Direct quotations of a text of 300 x's at ``(start, size)`` pairs, in order, those that
    would overlap an earlier one left out: quotations do not nest or overlap (merge_quotes)."""
    quotes: list[Quote] = []
    doc = Document("x" * 300)
    end = 0
    for start, size in sorted(spans):
        if start >= end:
            quotes.append(Quote(doc.span(start, start + size), "direct"))
            end = start + size
    return quotes
