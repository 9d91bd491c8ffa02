"""Built-in plugin ``coref``: entity linking for speakers.

Mentions are read once, in text order, and each joins an entity or starts one:

- **names** join the entity whose name they share a surname with, or that they extend
  ("Okafor" and "Maria Okafor"); the canonical name is the fullest form seen;
- **titles and appositives** attach to the name they stand beside and record its roles, so a
  later **description** ("The Russian envoy") joins the latest entity with that role whose
  words include the description's modifiers ("Russian");
- **pronouns** join the most salient compatible entity: the latest speaker or clause subject
  before them, then the latest person; never a name inside quoted content. A speaker's
  pronoun ("“…,” she said") first takes the latest person of its gender named in its own
  paragraph (a named one before a described one), failing that the one the paragraph of
  narration before is about; a pronoun opening a sentence, and "his", "him", "her", first
  take the person of their gender named in their paragraph, its subject first. Gender comes
  from honorifics, gendered role nouns, a lone given name, and the pronouns already used for
  the entity; a name's own gender overrules the pronouns', and keeps "Mr. Ruiz" and "Mrs.
  Ruiz" apart;
- a speaker's pronoun, or "the girl", opening a reply with no antecedent in its own paragraph
  is the person the turn before called by name ("“Nancy, dear!” … ¶ “…,” she replied");
- a **definite description** of a person by sex or age ("the girl") with no holder of its role
  takes the latest salient person of its gender, as a pronoun would;
- **"I"** in narration is the narrator, one entity named "I" that no other pronoun joins,
  unless the turns next to the narrator's own call it by one name ("“My dear Hale, …”");
- **groups** and **organisations** are their own entities, merged when their words match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Final, NamedTuple, TypeVar

import regex

from quoteattr import trusted
from quoteattr.default.grammar import given_name_gender, role_noun
from quoteattr.model import Document, Entity, Mention, Quote, Span
from quoteattr.text import (
    NATIVE,
    bisect_left_int,
    bisect_right_int,
    lexicon_pairs,
    paragraph_index,
    paragraphs,
)

__all__ = ["quoteattr_link_entities"]

_WORD: Final = regex.compile(r"\p{L}[\p{L}\p{M}'’\-.]*")
_DROP: Final = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "sir", "mr.", "mrs.",
                          "ms.", "dr.", "prof."})
_STOP_MODIFIERS: Final = frozenset(
    {"the", "a", "an", "this", "that", "former", "then", "new", "top", "senior", "chief", "own"}
)
#: how far back (in characters) a pronoun looks for a speaker before falling back to recency
_SPEAKER_REACH: Final = 1500
#: how many of the latest mentions a pronoun weighs, and how many entities with a role a
#: description does: bounds that keep linking linear in the length of the document
_PRONOUN_REACH: Final = 60
_DESCRIPTION_REACH: Final = 20
_NAME_REACH: Final = 50
#: relative pronouns, which a mention finder may give as a speaker's subject
_RELATIVES: Final = frozenset({"who", "which", "that"})
#: nouns that call a person by sex and age alone ("the girl"): see gendered_antecedent()
_PERSON_NOUNS: Final = frozenset(w for kind, w in lexicon_pairs("person_nouns") if kind == "noun")
#: modifiers that set a description's person apart from those named before ("the other man")
_CONTRAST: Final = frozenset(w for kind, w in lexicon_pairs("person_nouns") if kind == "contrast")
#: the first-person singular pronouns: in narration, the narrator
_FIRST_SINGULAR: Final = frozenset({"i", "me"})
_EXPANDED: Final[dict[str, str]] = {
    short: full for short, full in lexicon_pairs("title_abbreviations")
}
_PREPOSITIONS: Final = frozenset(
    {"of", "on", "in", "at", "from", "with", "for", "by", "to", "about"}
)
_COLLECTIVE: Final = ("group", "organization")
#: the nominative he and she, which a pronoun inside a sentence mostly is when it continues the
#: subject of its clause ("Ana nodded as she left"): see pronoun()
_NOMINATIVE: Final = frozenset({"he", "she"})
_GENDERED: Final = ("male", "female")
_DEFINITE: Final = ("the ", "this ", "that ")
_START_END: Final = attrgetter("start", "end")
_SPAN_ORDER: Final = attrgetter("start", "end", "text")
_ENTITY_KIND: Final = {"name": "person", "organization": "organization", "group": "group"}
#: how many distinct texts (names, descriptions) each memo below remembers: the same names and
#: titles recur across the documents of a corpus, and the memos are pure functions of strings
_MEMO_SIZE = 20_000
#: the longest text a memo keeps (in characters, all arguments together): a name run may be
#: as long as the text's capitalised words in a row, and a memo full of such texts would keep
#: megabytes each for the life of the process
_MEMO_LONGEST: Final = 200
_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V, size: int) -> None:
    """Keep ``value`` in ``memo`` by ``key``, whose strings are ``size`` characters together:
    only when at most :data:`_MEMO_LONGEST`; a memo of :data:`_MEMO_SIZE` entries is emptied
    first, so that a long-running process keeps what its latest documents said."""
    if size <= _MEMO_LONGEST:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = value


#: a name called out inside a quotation: after the opening mark, a comma, "!" or "?" (and an
#: optional "my dear", "dear", "O" or a title), ending at a comma, "!", "?", "." or the closing
#: mark: "“Harry, look!”", "“I know, Mr. Bell.”", "“Good-bye, my dear Ada!”"
_VOCATIVE: Final = regex.compile(
    r"(?:(?P<open>^\s*(?:[\"“‘'«]\s*)?|[;!?]\s*)|,\s*|\b(?:[Dd]ear|O)\s+)"
    r"(?:(?:[Mm]y\s+)?(?:dear|good|poor)\s+)?"
    r"(?:(?P<title>Mr|Mrs|Ms|Miss|Dr|Sir|Lady|Lord|Madam|Aunt|Uncle|Cousin|Captain|Colonel)"
    r"\.?\s+)?"
    r"(?P<name>\p{Lu}\p{Ll}+)(?=\s*(?:[,!?.;]|[”\"’'»]|$))"
)
#: how much of a quotation is searched for names called out (its start and its end)
_VOCATIVE_REACH: Final = 400
#: how many turns next to a first-person narrator's must call it by a name to name it
_NARRATOR_VOTES: Final = 2
#: the gender each title of a name called out gives
_TITLE_GENDER: Final = {
    "mr": "male", "sir": "male", "lord": "male", "uncle": "male", "mrs": "female", "ms": "female",
    "miss": "female", "lady": "female", "madam": "female", "aunt": "female",
}


#: :func:`addressed_names` by the text (see :func:`_remember`)
_ADDRESSED: Final[dict[str, frozenset[tuple[str, str]]]] = {}


def addressed_names(text: str) -> frozenset[tuple[str, str]]:
    """The names that a quotation's ``text`` calls out (its vocatives), each as its title (or
    "") and its name in lower case: ``("", "harry")`` and ``("mr", "bell")`` in "“Harry,
    look!”" and "“I know, Mr. Bell.”".

    Only the first and last :data:`_VOCATIVE_REACH` characters are read, where fiction puts
    the name of the one spoken to. A word that opens a sentence ("Well, …", "Oh! …") counts
    only with a title or as a known given name. Remembered (a reply's quotation is read again
    as the last turn before the next reply).
    """
    found = _ADDRESSED.get(text)
    if found is None:
        found = _addressed_names(text)
        _remember(_ADDRESSED, text, found, len(text))
    return found


def _addressed_names(text: str) -> frozenset[tuple[str, str]]:
    """:func:`addressed_names`, not remembered."""
    if len(text) > 2 * _VOCATIVE_REACH:
        text = text[:_VOCATIVE_REACH] + " … " + text[-_VOCATIVE_REACH:]
    out = set()
    for m in _vocatives(text):
        title, name = (m.group("title") or "").lower(), m.group("name").lower()
        if m.group("open") is not None and not title and given_name_gender(name) is None:
            continue  # "Oh, …", "Well, …": a sentence's first word, unless a known given name
        out.add((title, name))
    return frozenset(out)


def _vocatives(text: str) -> list[regex.Match[str]]:
    """The matches of :data:`_VOCATIVE` in ``text``: ``list(_VOCATIVE.finditer(text))``.

    Compiled, the pattern is tried only where a match can start: at the start of the text, at
    ";", "!", "?" or ",", and at "Dear", "dear" or "O" not after a letter, a digit or "_" (of
    the word before, where ``\\b`` fails). The regex engine tries every place of the text
    otherwise, at a cost of some hundred instructions each in a quotation of hundreds of
    characters. (In pure Python a loop over the characters costs more than the search.)
    """
    if not NATIVE:
        return list(_VOCATIVE.finditer(text))
    out: list[regex.Match[str]] = []
    n = len(text)
    p = 0
    while p < n:
        c = ord(text[p])
        if p == 0 or c == 44 or c == 59 or c == 33 or c == 63:  # , ; ! ?
            can = True
        elif c == 79 or (  # "O", "Dear", "dear"
            (c == 68 or c == 100) and p + 3 < n and ord(text[p + 1]) == 101
            and ord(text[p + 2]) == 97 and ord(text[p + 3]) == 114
        ):
            b = ord(text[p - 1])
            can = not (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b == 95)
        else:
            can = False
        if can:
            m = _VOCATIVE.match(text, p)
            if m is not None:
                out.append(m)
                p = m.end()  # (never p: a match holds a name)
                continue
        p += 1
    return out


class _Entity:
    """An entity being built: its names, roles, mentions and salience."""

    __slots__ = (
        "at",
        "gender",
        "kind",
        "last",
        "last_salient",
        "name",
        "name_gender",
        "name_len",
        "named_speaker",
        "names",
        "roles",
        "spans",
        "speaker",
        "thing",
    )

    def __init__(self, kind: str, name: str, name_len: int, words: tuple[str, ...]) -> None:
        self.kind = kind
        #: every distinct name it was given (as the word lists of _words)
        self.names: set[tuple[str, ...]] = {words}
        #: its canonical name, and how many words that has
        self.name = name
        self.name_len = name_len
        self.gender: str | None = None
        #: the gender its names or titles mark ("Mrs. Ruiz"), not the pronouns linked to it,
        #: which may be wrong: only this keeps two bearers of a surname apart
        self.name_gender: str | None = None
        #: each title or description: the role nouns it can be called by, and all its words
        #: (None until the first: most entities get none, and need no list)
        self.roles: list[tuple[tuple[str, ...], tuple[str, ...]]] | None = None
        self.spans: list[Span] = []
        #: the start of its latest mention outside quotations, and of its latest as a speaker
        #: or subject (-1: none yet)
        self.last = -1
        self.last_salient = -1
        #: how many mentions outside quotations came before its latest one (-1: none yet):
        #: where it last entered _Linker.individuals or .collectives, see _latest_each()
        self.at = -1
        self.speaker = False
        #: whether narration names it as a speaker ("“…,” said Ada"), not only by a pronoun
        self.named_speaker = False
        #: known only by a description whose head names no person ("her heart", "the
        #: report"): a document or a thing may say something, but no "he" or "she" is it
        self.thing = False

    def become_person(self) -> None:
        """An entity of unknown kind is a person from now on (a title, a gendered pronoun, a
        speaker's role said so). The only change of kind there is: _Linker keeps individuals
        and collectives in separate lists, which holds only while no entity changes side.
        """
        if self.kind == "unknown":
            self.kind = "person"


class _MemoInfo(NamedTuple):
    currsize: int
    maxsize: int


class _WordsMemo(dict[str, tuple[str, ...]]):
    """:func:`_words_of` remembered: ``memo[text]`` is ``_words_of(text)``.

    What :func:`_remember` does for the other memos, but a remembered text is one dictionary
    look-up in C, without a Python call: linking reads the words of every name,
    once or more. At most :data:`_MEMO_SIZE` texts of at most :data:`_MEMO_LONGEST` characters
    are kept; a full memo is emptied, so that a long-running process keeps the names of its
    latest documents.
    """

    __slots__ = ()

    def __missing__(self, text: str) -> tuple[str, ...]:
        words = _words_of(text)
        if len(text) <= _MEMO_LONGEST:
            if len(self) >= _MEMO_SIZE:
                self.clear()
            self[text] = words
        return words

    def cache_info(self) -> _MemoInfo:
        """How many texts are remembered, and how many at most (for tests and profiling)."""
        return _MemoInfo(len(self), _MEMO_SIZE)


def _words_of(text: str) -> tuple[str, ...]:
    """The lower-case words of a mention's text (``_WORD``), without articles and honorifics,
    and without the dot of an abbreviation ("Gov." → "gov").

    Remembered (:data:`_words`): it is a pure function of the text, and names recur within and
    across documents.
    """
    if _letters_and_spaces(text):
        # ASCII letters and spaces only, as most names are: its words are what split() finds
        words = text.lower().split()
        for w in words:  # (compiled, a set look-up each: isdisjoint() is a generic call)
            if w in _DROP:
                return tuple([w for w in words if w not in _DROP])
        return tuple(words)
    lowered = [w.lower() for w in _WORD.findall(text)]
    return tuple(w.rstrip(".") for w in lowered if w not in _DROP)


def _letters_and_spaces(text: str) -> bool:
    """Whether ``text`` is ASCII letters and spaces, with a letter:
    ``text.isascii() and text.replace(" ", "").isalpha()``.

    Compiled, as a loop over the code points (``ord(text[i])`` is read in C): the string
    methods are generic calls there, and ``replace()`` copies the text.
    """
    if not NATIVE:
        return text.isascii() and text.replace(" ", "").isalpha()
    letters = False
    for i in range(len(text)):
        c = ord(text[i])
        if 97 <= c <= 122 or 65 <= c <= 90:
            letters = True
        elif c != 32:
            return False
    return letters


_words: Final = _WordsMemo()


# The memos below hold tuples of strings, not sets: the garbage collector stops tracking such
# tuples, so that a full memo does not slow down every full collection of the program. Each is
# a plain dict (see _remember()), which compiled is a look-up in C: an lru_cache behind a
# wrapper of the texts' lengths was a few Python calls for each, several times the look-up.

#: :func:`_title_roles` and :func:`_description` by their (head, text)
_TITLE_ROLES: Final[dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]] = {}
_DESCRIPTIONS: Final[
    dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]]
] = {}


def _roles(head: str, words: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A title's role nouns and all its words, each without repeats (see
    :meth:`_Linker.add_roles`).

    A later description may call the entity by the title's head or by another role noun in it
    ("U.N. aid coordinator": "the coordinator"), not by any word of it ("city campaign adviser"
    is not "the campaign").
    """
    distinct = set(words)
    heads = {head} | {w for w in distinct if role_noun(w)[0]}
    heads |= {_EXPANDED[w] for w in heads if w in _EXPANDED}  # "Gov." is a governor
    distinct.add(head)
    return tuple(heads), tuple(distinct)


def _title_roles(head: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`_roles` of a title or appositive, from all the words of its text (remembered)."""
    key = (head, text)
    found = _TITLE_ROLES.get(key)
    if found is None:
        found = _roles(head, _words[text])
        _remember(_TITLE_ROLES, key, found, len(head) + len(text))
    return found


def _description(
    head: str, text: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """What :meth:`_Linker.description` needs of a description's text, remembered."""
    key = (head, text)
    found = _DESCRIPTIONS.get(key)
    if found is None:
        found = _describe(head, text)
        _remember(_DESCRIPTIONS, key, found, len(head) + len(text))
    return found


def _describe(
    head: str, text: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """What :meth:`_Linker.description` needs of a description's text (see :func:`_description`).

    ``(modifiers, role nouns, words, definite)``: the words that must fit the entity it joins
    ("Russian" of "the Russian envoy"), without repeats; the :func:`_roles` of the entity it
    starts instead; and whether it is definite ("the", "this", "that": only those join one).
    """
    modifiers = {w for w in _words[text] if w not in _STOP_MODIFIERS and w != head}
    heads, words = _roles(head, modifiers)
    return tuple(modifiers), heads, words, text.lower().startswith(_DEFINITE)


def _surname_match(words: tuple[str, ...], names: Iterable[tuple[str, ...]]) -> bool:
    """Whether a name can be one person with any of ``names``: equal, or one's last word ends
    the other and all its words are in the other ("Ruiz", "Ana Ruiz", "Ana Maria Ruiz")."""
    if not words:
        return False
    last = words[-1]
    for name in names:
        if name and name[-1] == last:  # the cheap test first: it rejects most
            short, long_ = (words, name) if len(words) <= len(name) else (name, words)
            if all(w in long_ for w in short):
                return True
    return False


def _first_names_clash(words: tuple[str, ...], names: Iterable[tuple[str, ...]]) -> bool:
    """Whether a full name's first word differs from the first word of the entity's full names."""
    if len(words) < 2:
        return False
    firsts = {n[0] for n in names if len(n) >= 2 and n[-1] == words[-1]}
    return bool(firsts) and words[0] not in firsts


class _Linker:
    def __init__(
        self, doc: Document, quotes: Sequence[Quote], titles: dict[int, Mention]
    ) -> None:
        self.doc = doc
        #: the title mentions, by where the name they stand before starts
        self.titles = titles
        self.entities: list[_Entity] = []
        #: the entities of names with each word, in the order they last took the word
        self.by_word: dict[str, list[_Entity]] = {}
        quoted = sorted(
            (
                span
                for q in quotes
                for span in (
                    (q.content,) if q.type == "direct" and not q.fragments else q.fragments
                )
            ),
            key=_SPAN_ORDER,  # Span's own order, compared in C
        )
        self.q_starts = [s.start for s in quoted]
        self.q_ends = [s.end for s in quoted]
        #: the last of those starting at or before the latest mention read (-1: none), from
        #: which the next mention's is found (see _quotation_before())
        self.q_at = -1
        #: whether each span has narration between two of its quotations (“…,” Ana said.
        #: “…”), as a mixed quotation's fragment may: see link(), which asks only about those
        #: holding a mention (most quotations hold none), each once (-1: not asked yet)
        self.q_spans = quoted
        self.q_gapped = [-1] * len(quoted)
        self.last_name: _Entity | None = None
        self.last_name_end = -1
        # the latest mention read outside quotations, and its entity
        self.last_span: Span | None = None
        self.last_entity: _Entity | None = None
        #: the mention outside quotations before that one, and its entity
        self.prior_span: Span | None = None
        self.prior_entity: _Entity | None = None
        # bounded indexes, so that each pronoun and description costs a bounded amount:
        # the entity of each mention outside quotations, in order, kept apart for individuals
        # (persons and unknowns) and collectives (groups and organisations), which a pronoun
        # never confuses (an entity stays on its side: only "unknown" ever changes, to
        # "person"); each with the number of such mentions before it
        self.seen = 0
        self.individuals: list[_Entity] = []
        self.individuals_at: list[int] = []
        self.collectives: list[_Entity] = []
        self.collectives_at: list[int] = []
        self.by_role: dict[str, list[_Entity]] = {}
        #: the first-person narrator, once narration says "I"
        self.narrator: _Entity | None = None
        #: where the narrator is a speaker ("“…,” I said"), for naming the narrator
        self.narrator_turns: list[int] = []

    def new(self, kind: str, name: str, name_len: int, words: tuple[str, ...]) -> _Entity:
        entity = _Entity(kind, name, name_len, words)
        self.entities.append(entity)
        return entity

    def link(self, mention: Mention) -> None:
        """Join ``mention`` to an entity, or start one (pronouns may join none).

        The hot loop of linking, once per mention, in text order: the mention's fields are read
        once, into locals.
        """
        role = mention.role
        if role == "title":
            return  # read with the name it stands before (below)
        span = mention.span
        pos = span.start
        i = self.q_at = _quotation_before(self.q_starts, pos, self.q_at)
        quoted = i >= 0 and pos < self.q_ends[i]
        if quoted and self.q_gapped[i] < 0:
            self.q_gapped[i] = 1 if _gapped(self.q_spans[i].text) else 0
        if quoted and self.q_gapped[i] == 1:
            # “…,” Ana said. “…”: after a closing mark and before the next opening one is
            # narration, though the span runs on (curly marks only: straight ones do not say
            # which way they face)
            seg = self.doc.text[self.q_starts[i] : pos]
            close = max(seg.rfind("\u201d"), seg.rfind("\u00bb"))
            if close > 0 and max(seg.rfind("\u201c", close), seg.rfind("\u00ab", close)) < 0:
                quoted = False
        kind = mention.kind
        gender = mention.gender
        entity: _Entity | None
        if kind == "pronoun":
            if quoted:
                return  # "I", "he" inside a quotation refer inside it
            if span.text.lower() in _FIRST_SINGULAR:
                # "“…,” I said": in narration "I" is the narrator, one entity throughout, and
                # never the antecedent of a third-person pronoun
                if self.narrator is None:
                    self.narrator = self.new("person", "I", 1, ("i",))
                self.narrator.spans.append(span)
                if role == "speaker":
                    self.narrator_turns.append(pos)
                return
            entity = self.pronoun(mention)
            if entity is None:
                return
        elif role == "appositive":
            entity = self.attach(mention) or self.description(mention)
        elif kind == "nominal":
            if mention.head in _RELATIVES:
                # "Ana Ruiz, who said …": the relative pronoun is the phrase it follows
                entity = self.relative_antecedent(mention) or self.description(mention)
            else:
                entity = self.description(mention, quoted)
        else:
            entity = self.name(span.text, kind, gender, role)
            if gender in _GENDERED and entity.name_gender is None:
                # a name's own gender ("Mrs. Ruiz") overrules what pronouns linked to it said
                entity.name_gender = entity.gender = gender
        entity.spans.append(span)
        if not quoted:  # a quoted mention is never an antecedent: see pronoun()
            if pos > entity.last:
                entity.last = pos
            if role == "speaker":
                entity.speaker = True
                if kind == "name":
                    entity.named_speaker = True
                if pos > entity.last_salient:
                    entity.last_salient = pos
            elif role == "subject" and pos > entity.last_salient:
                entity.last_salient = pos
            if gender in _GENDERED and entity.gender is None:
                entity.gender = gender
            if entity.kind in _COLLECTIVE:
                self.collectives.append(entity)
                self.collectives_at.append(self.seen)
            else:
                self.individuals.append(entity)
                self.individuals_at.append(self.seen)
            entity.at = self.seen
            self.seen += 1
            self.prior_span, self.prior_entity = self.last_span, self.last_entity
            self.last_span, self.last_entity = span, entity
        if kind == "name":
            self.last_name, self.last_name_end = entity, span.end
            title = self.titles.get(pos)
            if title is not None:
                # its roles count from here on, before any later description looks for them
                _attach_title(self, title, entity)
        elif kind == "organization":
            self.last_name, self.last_name_end = entity, span.end

    def relative_antecedent(self, mention: Mention) -> _Entity | None:
        """The entity of the mention right before a relative pronoun and its comma."""
        if self.last_entity is None or self.last_entity.kind == "group":
            return None
        assert self.last_span is not None  # read with last_entity
        last_start = self.last_span.start
        gap = self.doc.text[self.last_span.end : mention.span.start]
        if gap.strip() != "," or len(gap) > 3:
            return None
        words = self.doc.text[max(0, last_start - 40) : last_start].split()[-2:]
        if len(words) == 2 and words[1].lower() in _PREPOSITIONS and not (
            words[0].islower() and words[0].endswith("ed")
        ) and not (self.last_entity.kind == "person" and self.last_entity.gender):
            # "Democrats on Capitol Hill, who …", "Ted Cruz of Texas, who …": the phrase that
            # the place follows, when it ends right before the preposition; but "backed by Ana
            # Ruiz, who …", "an endorsement from Ana Ruiz, who …": a person known as one (by a
            # given name, title or pronoun) is the antecedent
            prior = self.prior_entity
            if prior is None or prior.kind in _COLLECTIVE:
                return None
            assert self.prior_span is not None  # read with prior_entity
            between = self.doc.text[self.prior_span.end : last_start].split()
            return prior if between == words[1:] else None
        return self.last_entity

    # -- names ---------------------------------------------------------------------------

    def name(self, text: str, mention_kind: str, gender: str | None, role: str) -> _Entity:
        """The entity of a name (or an organisation's or a group's) mention, of the text,
        kind, gender and role given (the fields link() has read already)."""
        words = _words[text]
        n = len(words)
        kind = _ENTITY_KIND.get(mention_kind, "unknown")
        if n == 1 and mention_kind == "name" and gender is None:
            kind = "unknown"  # "Russia" or "Okafor": a person only once something says so
        by_word = self.by_word
        if kind == "group" and n == 1 and text[:1].isupper():
            # "Evans", "Vilaists": plural in shape, but a surname if a person bears it
            for candidate in reversed(by_word.get(words[0], ())):
                if candidate.kind != "group" and any(
                    name[-1:] == words for name in candidate.names
                ):
                    kind = candidate.kind
                    break
        found = None
        # the latest bearers of the name's last word suffice, and keep linking linear
        bearers = by_word.get(words[-1]) if n else None
        if bearers is not None:
            if len(bearers) > _NAME_REACH:  # (most names have a few bearers: no copy then)
                bearers = bearers[-_NAME_REACH:]
            if kind == "group":
                # "officials" here and "officials" there are seldom the same people
                if n > 1:
                    for candidate in reversed(bearers):
                        if candidate.kind == "group" and words in candidate.names:
                            found = candidate
                            break
            else:
                gendered = gender in _GENDERED
                for candidate in reversed(bearers):
                    if candidate.kind == "group":
                        continue
                    if gendered and candidate.name_gender in _GENDERED and (
                        gender != candidate.name_gender
                    ):
                        continue  # "Mrs. Ruiz" is not "Mr. Ruiz", though both are "Ruiz"
                    names = candidate.names
                    if words in names:  # the same name again (and no clash)
                        found = candidate
                        break
                    if n > 1 and _first_names_clash(words, names):
                        continue  # "Ivanka Trump" is not "Donald Trump"
                    if gendered and candidate.gender in _GENDERED and gender != candidate.gender:
                        continue  # "Clara Ruiz" is not the "Ruiz" called "he" so far
                    if _surname_match(words, names):
                        found = candidate
                        break
        # a name that a sieve made a speaker is a person's
        spoke = role == "speaker" and mention_kind == "name"
        if found is None:
            if kind == "unknown" and spoke:
                kind = "person"
            entity = self.new(kind, text, n, words)
            if n == 1 and gender is None and mention_kind == "name":
                # a lone given name ("Clara") that starts an entity marks its gender; a lone
                # surname that joins a full name ("Ruiz") takes that name's instead
                entity.gender = given_name_gender(words[0])
        else:
            entity = found
            if kind == "person" or spoke:
                entity.become_person()
            entity.names.add(words)
            if n > entity.name_len or not entity.name:
                entity.name, entity.name_len = text, n
        for w in words:
            bucket = by_word.get(w)
            if bucket is None:
                by_word[w] = [entity]
            elif bucket[-1] is not entity:
                bucket.append(entity)
        return entity

    # -- descriptions --------------------------------------------------------------------

    def attach(self, mention: Mention) -> _Entity | None:
        """A title or appositive joins the name right beside it."""
        target: _Entity | None = None
        if mention.role == "appositive" and self.last_name is not None:
            gap = self.doc.text[self.last_name_end : mention.span.start]
            if gap.strip() == ",":
                target = self.last_name
        if target is None:
            return None
        _attach_title(self, mention, target)
        return target

    def title_for(self, mention: Mention, name_entity: _Entity) -> None:
        heads, words = _title_roles(mention.head, mention.span.text)
        self.add_roles(name_entity, heads, words)

    def add_roles(
        self, entity: _Entity, heads: tuple[str, ...], words: tuple[str, ...]
    ) -> None:
        """Record a title (see :func:`_roles`): the entity's roles, and it under each role noun."""
        if entity.roles is None:
            entity.roles = [(heads, words)]
        else:
            entity.roles.append((heads, words))
        by_role = self.by_role
        for role in heads:
            bucket = by_role.get(role)
            if bucket is None:
                by_role[role] = [entity]
            elif bucket[-1] is not entity:
                bucket.append(entity)

    def description(self, mention: Mention, quoted: bool = False) -> _Entity:
        """The entity a description joins: the latest holder of its role whose words fit it;
        failing one, for a definite description of a gendered person outside quotations ("the
        girl", "the old man"), the latest salient person of its gender (see
        :meth:`gendered_antecedent`); failing that, a new entity."""
        head = mention.head
        text = mention.span.text
        modifiers, heads, words, definite = _description(head, text)
        best: _Entity | None = None
        # the best (fit, last) so far, compared as a pair
        best_fit = best_last = -1
        holders: Sequence[_Entity] = self.by_role.get(head, ())
        if len(holders) > _DESCRIPTION_REACH:
            holders = holders[-_DESCRIPTION_REACH:]
        for entity in holders:
            if entity.kind == "group" or entity.last < 0:
                continue
            for role_heads, role_words in entity.roles or ():
                if head in role_heads:
                    # how many of the (distinct) modifiers the role has (counted, not
                    # intersected: most descriptions have none, and no set is made then)
                    fit = 0
                    for w in modifiers:
                        if w in role_words:
                            fit += 1
                    last = entity.last
                    if fit > best_fit or (fit == best_fit and last > best_last):
                        best, best_fit, best_last = entity, fit, last
        # every modifier must fit: "the Democratic nominee" is not the Republican one
        if best is not None and definite and best_fit == len(modifiers):
            return best
        if not quoted and mention.role == "speaker" and head in _PERSON_NOUNS and (
            definite and not mention.plural and _CONTRAST.isdisjoint(_words[text])
        ):
            called = self.addressee(mention)
            if called is not None:
                return called
        if not quoted:
            known = self.gendered_antecedent(mention)
            if known is not None:
                return known
        entity = self.new("group" if mention.plural else "person", text, 0, _words[text])
        entity.thing = not (mention.plural or head in _PERSON_NOUNS or role_noun(head)[0])
        self.add_roles(entity, heads, words)
        if mention.gender:
            entity.gender = mention.gender
        return entity

    def gendered_antecedent(self, mention: Mention) -> _Entity | None:
        """The person a definite description of a gendered role refers to when no one holds
        the role yet: "Ada came in. … “…,” said the girl" → Ada.

        Fiction names a character, then calls her "the girl" or "the old woman" as it would
        call her "she"; the description takes the entity a pronoun of its gender would, if
        that entity is a person of that gender. An indefinite description ("a girl") brings
        in someone new, a plural one a group, and "the other man" someone else: none joins.
        """
        gender = mention.gender
        if (mention.plural or gender not in _GENDERED or mention.head not in _PERSON_NOUNS
                or mention.span.text[:4].lower() != "the "
                or not _CONTRAST.isdisjoint(_words[mention.span.text])):
            return None  # "a girl", "the girls", "the queen", "the other man"
        entity = self.pronoun(mention)
        if entity is None or entity.kind != "person" or entity.gender != gender:
            return None
        return entity

    # -- the narrator --------------------------------------------------------------------

    def narrator_name(self) -> str | None:
        """The name the other speakers call a first-person narrator by, if they agree.

        In a conversation the turns next to the narrator's own ("“…,” I said") are spoken to
        the narrator, and call the narrator by name ("“My dear Watson, …”"). A name called so
        in at least :data:`_NARRATOR_VOTES` such turns, more often than any other, and never
        called in the narrator's own turns nor borne by anyone the narration names as a
        speaker (the narrator is "I" there), is the narrator's. Each turn of the narrator
        costs a bounded amount: the quotations of its paragraph and of the two around it.
        """
        doc = self.doc
        paras = paragraphs(doc)
        votes: dict[str, int] = {}
        spoken_to: set[str] = set()
        for pos in self.narrator_turns:
            here = paragraph_index(doc, pos)
            for k in (here - 1, here, here + 1):
                if not 0 <= k < len(paras):
                    continue
                texts = self.quotations_in(paras[k])
                if not texts:
                    continue
                names = {word for _, word in addressed_names(" ".join(texts))}
                if k == here:
                    spoken_to |= names
                else:
                    for word in names:
                        votes[word] = votes.get(word, 0) + 1
        ranked = sorted(
            ((n, w) for w, n in votes.items() if w not in spoken_to and not any(
                e.named_speaker for e in self.by_word.get(w, ())
            )),
            reverse=True,
        )
        if not ranked or ranked[0][0] < _NARRATOR_VOTES or (
            len(ranked) > 1 and ranked[1][0] == ranked[0][0]
        ):
            return None
        return ranked[0][1].capitalize()

    def quotations_in(self, para: Span) -> list[str]:
        """The text of the quotations (or their pieces) that start in ``para`` (a few)."""
        starts = self.q_starts
        k = bisect_left_int(starts, para.start)
        out: list[str] = []
        while k < len(starts) and starts[k] < para.end and len(out) < 8:
            out.append(self.doc.text[starts[k] : self.q_ends[k]])
            k += 1
        return out

    # -- pronouns ------------------------------------------------------------------------

    def addressee(self, mention: Mention) -> _Entity | None:
        """The person the turn before a reply called by name, for the reply's speaker:
        "“Nancy, dear!” said the old man. ¶ “Leave me,” replied the girl" → Nancy.

        In a conversation the one spoken to answers: when the speaker's paragraph opens with a
        quotation, and the paragraph right before it holds one that calls out a single name
        (:func:`addressed_names`) borne by a person of the speaker's gender (and of the title's,
        if the name has one), that person is the speaker.
        """
        doc = self.doc
        pos = mention.span.start
        here = paragraph_index(doc, pos)
        if here == 0:
            return None
        paras = paragraphs(doc)
        opening, before = paras[here].start, paras[here - 1]
        starts = self.q_starts
        j = bisect_left_int(starts, opening)
        if j >= len(starts) or starts[j] > min(pos, opening + 2):
            return None  # the speaker's paragraph does not open with a quotation
        k = bisect_left_int(starts, before.start)
        texts = []
        while k < j and starts[k] < before.end:
            texts.append(doc.text[starts[k] : self.q_ends[k]])
            k += 1
        if not texts:
            return None  # narration before: no one was spoken to
        called = addressed_names(" ".join(texts))
        if not called:
            return None
        own: list[str] = []
        while j < len(starts) and starts[j] < paras[here].end:
            own.append(doc.text[starts[j] : self.q_ends[j]])
            j += 1
        # one the reply itself calls by name is spoken to, not speaking
        called -= addressed_names(" ".join(own))
        gender = mention.gender
        found: _Entity | None = None
        for title, word in called:
            title_gender = _TITLE_GENDER.get(title)
            for entity in reversed(self.by_word.get(word, ())[-_NAME_REACH:]):
                if entity.kind != "person" or entity.thing or not entity.name_len:
                    continue
                if gender in _GENDERED and entity.gender in _GENDERED and entity.gender != gender:
                    continue
                if title_gender and entity.name_gender in _GENDERED and (
                    entity.name_gender != title_gender
                ):
                    continue
                if found is not None and found is not entity:
                    return None  # two people called: which one answers is not known
                found = entity
                break
        return found

    def pronoun(self, mention: Mention) -> _Entity | None:
        """The entity a pronoun outside quotations refers to, if any."""
        plural = mention.plural
        gender = mention.gender
        pos = mention.span.start

        # only the entities of the latest mentions are weighed, the latest first (and of those,
        # only the collectives for "they" and "it", only the individuals for the others)
        reach = self.seen - _PRONOUN_REACH
        if plural or gender == "neuter":
            entities, at = self.collectives, self.collectives_at
        else:
            entities, at = self.individuals, self.individuals_at
        recent = _latest_each(entities, at, bisect_left_int(at, reach))
        # (each has a mention outside quotations, so its ``last`` is that mention's start)
        if plural:
            candidates = [e for e in recent if e.last < pos]
        elif gender == "neuter":
            candidates = [e for e in recent if e.last < pos and e.kind == "organization"]
        elif gender is None:
            # a lone capitalised word ("Russia", "Contrary") is a person once it has spoken
            candidates = [
                e for e in recent
                if e.last < pos and (e.kind != "unknown" or e.speaker) and not e.thing
            ]
        else:
            candidates = [
                e for e in recent
                if e.last < pos and (e.gender is None or e.gender == gender)
                and (e.kind != "unknown" or e.speaker) and not e.thing
            ]
        speaker = mention.role == "speaker"
        # a pronoun opening a sentence (mentions.py marks it a subject), or any other form than
        # the nominative he or she ("his", "him", "her", "himself")
        chained = mention.kind == "pronoun" and (
            mention.role == "subject" or mention.span.text.lower() not in _NOMINATIVE
        )
        if (speaker or chained) and gender in _GENDERED:
            # "Ana looked up. “…,” she said": the latest person of the pronoun's gender named
            # in the narration of its own paragraph, before the latest speaker elsewhere
            # (a pronoun's antecedent is mostly in its own or the previous sentence; Hobbs 1978)
            paras = paragraphs(self.doc)
            here = paragraph_index(self.doc, pos)
            opening = paras[here].start
            # (a lone given name counts here, though its kind is not known yet: "Maria"); the
            # entities come latest mention first, so the first one named before the paragraph
            # ends the search
            local = []
            ungendered = []  # named people of the paragraph whose gender nothing told yet
            for e in recent:
                if e.last < opening:
                    break
                if e.last < pos:
                    if e.gender == gender:
                        local.append(e)
                    elif e.gender is None and e.kind == "person" and e.name_len > 0 and (
                        not e.thing
                    ):
                        ungendered.append(e)
            if chained and local:
                # "Tom came in with Ben. He sat down", "… He gave Ben his hat": the pronoun
                # continues a person named in the paragraph (not "her cousin", whose gender
                # may be a pronoun's guess), the latest subject or speaker first (centering: a
                # subject before an object)
                local = [e for e in local if e.name_len > 0]
                salient = [e for e in local if e.last_salient >= opening]
                if salient:
                    return _most_salient(salient)
            if speaker and local:
                # "Mary sat by his wife. “…,” she said": a person the story names before one
                # it describes ("his wife", "the girl" may be a pronoun's guess or a passer-by)
                named = [e for e in local if e.name_len > 0]
                if named:
                    return _latest(named)
            if local:
                return _latest(local)
            if speaker and ungendered:
                # "Labour leader Keir Starmer disagreed. “…,” he said": a person the paragraph
                # names, of no known gender, before one of the pronoun's gender further back
                return _latest(ungendered)
            if speaker:
                called = self.addressee(mention)
                if called is not None:
                    return called
            if here > 0 and speaker:
                # "Ana came in and sat down. ¶ “…,” she said": failing one, the person of its
                # gender that the paragraph of narration right before it is about, its
                # subject before any other (centering: the subject of the sentence before is
                # what a pronoun continues); not after a paragraph with a quotation, whose
                # turns the conversation rules read
                before = paras[here - 1]
                k = bisect_right_int(self.q_starts, before.end) - 1
                if k < 0 or self.q_ends[k] <= before.start:
                    local = [
                        e for e in recent if before.start <= e.last < opening and e.gender == gender
                    ]
                    if local:
                        return _most_salient(local)
        if not candidates:
            return None
        recent_speakers = [
            e for e in candidates if e.speaker and pos - e.last_salient <= _SPEAKER_REACH
        ]
        pool = recent_speakers or [e for e in candidates if e.last_salient >= 0] or candidates
        people = [e for e in pool if e.kind == "person"] if not plural else pool
        pool = people or pool
        return _most_salient(pool)


def _quotation_before(starts: list[int], pos: int, prior: int) -> int:
    """``bisect_right(starts, pos) - 1``, the last of the sorted ``starts`` at or before
    ``pos``, given ``prior``, that of an earlier position (or -1).

    Mentions come in text order, mostly: then the answer is ``prior`` or a few places on,
    found by stepping from there; a position before ``prior``'s start is searched for.
    """
    if prior >= 0 and starts[prior] > pos:
        return bisect_right_int(starts, pos) - 1
    i = prior
    n = len(starts)
    while i + 1 < n and starts[i + 1] <= pos:
        i += 1
    return i


def _written_on_one_line(name: str) -> bool:
    """``name.isprintable() and "  " not in name``: no line break, tab or other character
    not printed, and no two spaces in a row.

    Compiled, a loop over the code points (``ord(name[i])`` is read in C) where the text is
    ASCII, as most names are: ``isprintable()`` is a generic call there.
    """
    if not NATIVE:
        return name.isprintable() and "  " not in name
    space = False
    for i in range(len(name)):
        c = ord(name[i])
        if c == 32:
            if space:
                return False
            space = True
        elif 32 < c < 127:
            space = False
        else:  # (beyond ASCII, or a control character)
            return name.isprintable() and "  " not in name
    return True


def _latest_each(entities: list[_Entity], at: list[int], lo: int) -> list[_Entity]:
    """The distinct entities of ``entities[lo:]``, latest first:
    ``list(dict.fromkeys(reversed(entities[lo:])))``, for _Linker's individuals or
    collectives and their ``at`` list.

    Without hashing: an entity's latest place in the list is where ``at`` holds its own
    ``at`` (it enters one of the two lists only, and takes the count of mentions there).
    """
    out: list[_Entity] = []
    for k in range(len(entities) - 1, lo - 1, -1):
        e = entities[k]
        if e.at == at[k]:
            out.append(e)
    return out


def _most_salient(entities: list[_Entity]) -> _Entity:
    """What a pronoun prefers among its candidates: the latest salient mention, then the
    latest; ``max(entities, key=attrgetter("last_salient", "last"))``, the first of equals.

    (A loop on machine integers, compiled: ``max`` with a key calls it and compares tuples.)
    """
    best = entities[0]
    for e in entities:
        if e.last_salient > best.last_salient or (
            e.last_salient == best.last_salient and e.last > best.last
        ):
            best = e
    return best


def _latest(entities: list[_Entity]) -> _Entity:
    """The entity of the latest mention: ``max(entities, key=attrgetter("last"))``, the first
    of equals."""
    best = entities[0]
    for e in entities:
        if e.last > best.last:
            best = e
    return best


def _gapped(text: str) -> bool:
    """Whether ``text`` has a closing curly quotation mark with an opening one after it."""
    close = text.find("\u201d")
    if close < 0 or 0 <= text.find("\u00bb") < close:
        close = text.find("\u00bb")
    return close >= 0 and ("\u201c" in text[close:] or "\u00ab" in text[close:])


def _attach_title(linker: _Linker, title: Mention, entity: _Entity) -> None:
    """Give a named entity the roles of a title or appositive beside its name: "coordinator
    Ana Ruiz", "Ana Ruiz, the mayor,"; it is a person, of the title's gender if it has none."""
    linker.title_for(title, entity)
    if title.gender and entity.gender is None:
        entity.gender = title.gender
    entity.become_person()


def quoteattr_link_entities(
    doc: Document, mentions: Sequence[Mention], quotes: Sequence[Quote]
) -> list[Entity]:
    """Group ``mentions`` into entities (see the module docstring)."""
    # a title ends one character before the name it describes: "coordinator Ana Ruiz"
    title_before = {m.span.end + 1: m for m in mentions if m.role == "title"}
    linker = _Linker(doc, quotes, title_before)
    for m in mentions:
        linker.link(m)  # (compiled, a native call: a bound method would be a generic one)
    if linker.narrator is not None:
        called = linker.narrator_name()
        if called is not None:
            linker.narrator.name = called
    out: list[Entity] = []
    for entity in linker.entities:
        spans = entity.spans
        # most entities have one mention
        ordered = tuple(spans) if len(spans) == 1 else _in_order(spans)
        if ordered:
            name = entity.name or ordered[0].text
            if not _written_on_one_line(name):
                # a name over a line break in wrapped text ("John\nKnightley"): the canonical
                # name is written on one line, with single spaces (its mentions stay as written)
                name = " ".join(name.split())
            out.append(trusted.entity(f"E{len(out) + 1}", name, entity.kind, entity.gender,
                                      ordered))
    return out


def _in_order(spans: list[Span]) -> tuple[Span, ...]:
    """The distinct ``spans``, in text order: ``tuple(sorted(set(spans), key=_START_END))``.

    Without hashing each span (a Python-level ``__hash__``) when it cannot matter: most
    entities have one mention, spans of distinct offsets are distinct, and spans whose offsets
    rise are in order.
    """
    if len(spans) < 2:
        return tuple(spans)
    # mentions are mostly linked in text order, and then an entity's spans come in order, each
    # after the one before: distinct, and sorted already
    start, end = spans[0].start, spans[0].end
    for k in range(1, len(spans)):
        span = spans[k]
        s, e = span.start, span.end
        if s < start or (s == start and e <= end):
            break
        start, end = s, e
    else:
        return tuple(spans)
    if len(set(map(_START_END, spans))) == len(spans):
        return tuple(sorted(spans, key=_START_END))
    return tuple(sorted(set(spans), key=_START_END))
