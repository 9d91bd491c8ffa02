"""Built-in plugin ``coref``: entity linking for speakers.

Mentions are read once, in text order, and each joins an entity or starts one:

- **names** join the entity whose name they share a surname with, or that they extend
  ("Okafor" and "Maria Okafor"); the canonical name is the fullest form seen;
- **titles and appositives** attach to the name they stand beside and record its roles, so a
  later **description** ("The Russian envoy") joins the latest entity with that role whose
  words include the description's modifiers ("Russian");
- **pronouns** join the most salient compatible entity: the latest speaker or clause subject
  before them, then the latest person; never a name inside quoted content. Gender comes from
  honorifics, gendered role nouns and the pronouns already used for the entity;
- **groups** and **organisations** are their own entities, merged when their words match.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from operator import attrgetter

import regex

from quoteattr import hookimpl
from quoteattr.default.grammar import role_noun
from quoteattr.model import Document, Entity, Mention, Quote, Span, trusted_entity
from quoteattr.text import lexicon_pairs

__all__ = ["quoteattr_link_entities"]

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-.]*")
_DROP = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "sir", "mr.", "mrs.",
                   "ms.", "dr.", "prof."})
_STOP_MODIFIERS = frozenset({"the", "a", "an", "this", "that", "former", "then", "new", "top",
                             "senior", "chief", "own"})
#: how far back (in characters) a pronoun looks for a speaker before falling back to recency
_SPEAKER_REACH = 1500
#: how many of the latest mentions a pronoun weighs, and how many entities with a role a
#: description does: bounds that keep linking linear in the length of the document
_PRONOUN_REACH = 60
_DESCRIPTION_REACH = 20
_NAME_REACH = 50
#: relative pronouns, which a mention finder may give as a speaker's subject
_RELATIVES = frozenset({"who", "which", "that"})
_EXPANDED: dict[str, str] = {short: full for short, full in lexicon_pairs("title_abbreviations")}
_PREPOSITIONS = frozenset({"of", "on", "in", "at", "from", "with", "for", "by", "to", "about"})
_COLLECTIVE = ("group", "organization")
_START_END = attrgetter("start", "end")
_SPAN_ORDER = attrgetter("start", "end", "text")
_ENTITY_KIND = {"name": "person", "organization": "organization", "group": "group"}


class _Entity:
    """An entity being built: its names, roles, mentions and salience."""

    __slots__ = (
        "gender",
        "index",
        "kind",
        "last",
        "last_salient",
        "name",
        "name_len",
        "names",
        "roles",
        "spans",
        "speaker",
    )

    def __init__(self, index: int, kind: str) -> None:
        self.index = index
        self.kind = kind
        #: every distinct name it was given (as the word lists of _words), in order
        self.names: set[tuple[str, ...]] = set()
        self.name = ""
        self.name_len = 0
        self.gender: str | None = None
        #: each title or description: the role nouns it can be called by, and all its words
        self.roles: list[tuple[set[str], set[str]]] = []
        self.spans: list[Span] = []
        self.last = -1
        self.last_salient = -1
        self.speaker = False

    def add(self, mention: Mention, salient: bool) -> None:
        span = mention.span
        self.spans.append(span)
        start = span.start
        if start > self.last:
            self.last = start
        if salient and start > self.last_salient:
            self.last_salient = start
        if mention.role == "speaker":
            self.speaker = True
        if mention.gender in ("male", "female") and self.gender is None:
            self.gender = mention.gender

    def add_name(self, words: tuple[str, ...]) -> None:
        self.names.add(words)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower().rstrip(".") for w in _WORD.findall(text) if w.lower() not in _DROP)


#: a bounded memo of _words (``_Linker.words``)
_WORDS_OF: dict[str, tuple[str, ...]] = {}
_WORDS_OF_MAX = 20_000


def _surname_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names can be one person: equal, or one's last word ends the other."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short[-1] == long_[-1] and all(w in long_ for w in short)


def _first_names_clash(words: tuple[str, ...], names: Iterable[tuple[str, ...]]) -> bool:
    """Whether a full name's first word differs from the first word of the entity's full names."""
    if len(words) < 2:
        return False
    firsts = {n[0] for n in names if len(n) >= 2 and n[-1] == words[-1]}
    return bool(firsts) and words[0] not in firsts


class _Linker:
    def __init__(self, doc: Document, quotes: Sequence[Quote]) -> None:
        self.doc = doc
        self.entities: list[_Entity] = []
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
        self.last_name: _Entity | None = None
        self.last_name_end = -1
        self.last_entity: _Entity | None = None  # the entity of the latest mention read
        self.last_start = self.last_end = -1
        # bounded indexes, so that each pronoun and description costs a bounded amount
        self.recent: list[_Entity] = []  # the entity of each non-quoted mention, in order
        self.by_role: dict[str, list[_Entity]] = {}

    @staticmethod
    def words(text: str) -> tuple[str, ...]:
        """:func:`_words` of a mention's text, remembered: names recur across documents."""
        words = _WORDS_OF.get(text)
        if words is None:
            if len(_WORDS_OF) >= _WORDS_OF_MAX:
                _WORDS_OF.clear()
            words = _WORDS_OF[text] = _words(text)
        return words

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i >= 0 and pos < self.q_ends[i]

    def new(self, kind: str) -> _Entity:
        entity = _Entity(len(self.entities), kind)
        self.entities.append(entity)
        return entity

    def link(self, mention: Mention) -> None:
        pos = mention.span.start
        i = bisect.bisect_right(self.q_starts, pos) - 1
        quoted = i >= 0 and pos < self.q_ends[i]  # self.in_quote(pos)
        salient = not quoted and mention.role in ("speaker", "subject")
        entity: _Entity | None
        if mention.kind == "pronoun":
            entity = self.pronoun(mention)
            if entity is None:
                return
            if mention.gender in ("male", "female") and entity.gender is None:
                entity.gender = mention.gender
        elif mention.role in ("appositive", "title"):
            entity = self.attach(mention)
            if entity is None:
                entity = self.description(mention)
        elif mention.kind == "nominal" and mention.head in _RELATIVES:
            # "Ana Ruiz, who said …": the relative pronoun is the phrase it follows
            entity = self.relative_antecedent(mention) or self.description(mention)
        elif mention.kind == "nominal":
            entity = self.description(mention)
        else:
            entity = self.name(mention)
        if quoted:
            entity.spans.append(mention.span)  # never an antecedent: see pronoun()
        else:
            entity.add(mention, salient)
            self.recent.append(entity)
            self.last_entity, self.last_end = entity, mention.span.end
            self.last_start = mention.span.start
        if mention.kind in ("name", "organization"):
            self.last_name, self.last_name_end = entity, mention.span.end

    def relative_antecedent(self, mention: Mention) -> _Entity | None:
        """The entity of the mention right before a relative pronoun and its comma."""
        if self.last_entity is None or self.last_entity.kind == "group":
            return None
        gap = self.doc.text[self.last_end : mention.span.start]
        if gap.strip() != "," or len(gap) > 3:
            return None
        words = self.doc.text[max(0, self.last_start - 40) : self.last_start].split()[-2:]
        if len(words) == 2 and words[1].lower() in _PREPOSITIONS and not (
            words[0].islower() and words[0].endswith("ed")
        ):
            return None  # "Democrats on Capitol Hill, who …", but "backed by Ana Ruiz, who …"
        return self.last_entity

    # -- names ---------------------------------------------------------------------------

    def name(self, mention: Mention) -> _Entity:
        words = self.words(mention.span.text)
        kind = _ENTITY_KIND.get(mention.kind, "unknown")
        if mention.kind == "name" and len(words) == 1 and mention.gender is None:
            kind = "unknown"  # "Russia" or "Okafor": a person only once something says so
        found = None
        if kind == "group" and len(words) == 1 and mention.span.text[:1].isupper():
            # "Evans", "Vilaists": plural in shape, but a surname if a person bears it
            for candidate in reversed(self.by_word.get(words[0], [])):
                if candidate.kind != "group" and any(
                    n[-1:] == words for n in candidate.names
                ):
                    kind = candidate.kind
                    break
        if words:
            # the latest bearers of the name suffice, and keep linking linear
            for candidate in reversed(self.by_word.get(words[-1], [])[-_NAME_REACH:]):
                if (candidate.kind == "group") != (kind == "group"):
                    continue
                names = candidate.names
                if kind == "group":
                    # "officials" here and "officials" there are seldom the same people
                    if len(words) > 1 and words in names:
                        found = candidate
                        break
                    continue
                if words in names:  # the same name again (no clash, and a match)
                    found = candidate
                    break
                if _first_names_clash(words, names):
                    continue  # "Ivanka Trump" is not "Donald Trump"
                if mention.gender in ("male", "female") and candidate.gender in (
                    "male", "female"
                ) and mention.gender != candidate.gender:
                    continue  # "Clara Ruiz" is not the "Ruiz" called "he" so far
                if any(_surname_match(words, n) for n in names):
                    found = candidate
                    break
        entity = found or self.new(kind)
        if entity.kind == "unknown" and kind == "person":
            entity.kind = "person"
        if mention.role == "speaker" and entity.kind == "unknown" and mention.kind == "name":
            entity.kind = "person"
        entity.add_name(words)
        text = mention.span.text
        if len(words) > entity.name_len or not entity.name:
            entity.name, entity.name_len = text, len(words)
        for w in words:
            bucket = self.by_word.setdefault(w, [])
            if not bucket or bucket[-1] is not entity:
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
        self.add_roles(target, mention.head, set(self.words(mention.span.text)))
        if target.kind == "unknown":
            target.kind = "person"
        if mention.gender and target.gender is None:
            target.gender = mention.gender
        return target

    def title_for(self, mention: Mention, name_entity: _Entity) -> None:
        self.add_roles(name_entity, mention.head, set(self.words(mention.span.text)))

    def add_roles(self, entity: _Entity, head: str, words: set[str]) -> None:
        """Record a title: a later description may call the entity by its head or by another
        role noun in it ("U.N. aid coordinator": "the coordinator"), not by any word of it
        ("city campaign adviser" is not "the campaign").
        """
        heads = {head} | {w for w in words if role_noun(w)[0]}
        heads |= {_EXPANDED[w] for w in heads if w in _EXPANDED}  # "Gov." is a governor
        entity.roles.append((heads, words | {head}))
        for role in heads:
            bucket = self.by_role.setdefault(role, [])
            if not bucket or bucket[-1] is not entity:
                bucket.append(entity)

    def description(self, mention: Mention) -> _Entity:
        head = mention.head
        modifiers = {w for w in self.words(mention.span.text) if w not in _STOP_MODIFIERS} - {head}
        best: _Entity | None = None
        best_score = (-1, -1)
        for entity in self.by_role.get(head, [])[-_DESCRIPTION_REACH:]:
            if entity.kind == "group" or entity.last < 0:
                continue
            for heads, words in entity.roles:
                if head in heads:
                    score = (len(modifiers & words), entity.last)
                    if score > best_score:
                        best, best_score = entity, score
        definite = mention.span.text.lower().startswith(("the ", "this ", "that "))
        # every modifier must fit: "the Democratic nominee" is not the Republican one
        if best is not None and definite and best_score[0] == len(modifiers):
            return best
        entity = self.new("group" if mention.plural else "person")
        entity.name = mention.span.text
        self.add_roles(entity, head, modifiers)
        entity.add_name(self.words(mention.span.text))
        if mention.gender:
            entity.gender = mention.gender
        return entity

    # -- pronouns ------------------------------------------------------------------------

    def pronoun(self, mention: Mention) -> _Entity | None:
        if self.in_quote(mention.span.start):
            return None  # "I", "he" inside a quotation refer inside it
        plural = mention.plural
        gender = mention.gender
        pos = mention.span.start

        # a lone capitalised word ("Russia", "Contrary") is a person only once it has spoken;
        # only the entities of the latest mentions are weighed, the latest first
        recent = dict.fromkeys(reversed(self.recent[-_PRONOUN_REACH:]))
        if plural:
            candidates = [e for e in recent if 0 <= e.last < pos and e.kind in _COLLECTIVE]
        elif gender == "neuter":
            candidates = [e for e in recent if 0 <= e.last < pos and e.kind == "organization"]
        else:
            candidates = [
                e for e in recent
                if 0 <= e.last < pos and e.kind not in _COLLECTIVE
                and (e.gender is None or gender is None or e.gender == gender)
                and (e.kind != "unknown" or e.speaker)
            ]
        if not candidates:
            return None
        recent_speakers = [
            e for e in candidates if e.speaker and pos - e.last_salient <= _SPEAKER_REACH
        ]
        pool = recent_speakers or [e for e in candidates if e.last_salient >= 0] or candidates
        people = [e for e in pool if e.kind == "person"] if not plural else pool
        pool = people or pool
        return max(pool, key=lambda e: (e.last_salient, e.last))


def _attach_title(linker: _Linker, title: Mention, entity: _Entity) -> None:
    """Give a named entity the roles of the title right before its name."""
    linker.title_for(title, entity)
    if title.gender and entity.gender is None:
        entity.gender = title.gender
    if entity.kind == "unknown":
        entity.kind = "person"


@hookimpl
def quoteattr_link_entities(
    doc: Document, mentions: Sequence[Mention], quotes: Sequence[Quote]
) -> list[Entity]:
    """Group ``mentions`` into entities (see the module docstring)."""
    linker = _Linker(doc, quotes)
    # a title ends one character before the name it describes: "coordinator Ana Ruiz"
    title_before = {m.span.end + 1: m for m in mentions if m.role == "title"}
    for m in mentions:
        if m.role == "title":
            continue
        linker.link(m)
        title = title_before.get(m.span.start) if m.kind == "name" else None
        if title is not None and linker.last_name is not None:
            # its roles count from here on, before any later description looks for them
            _attach_title(linker, title, linker.last_name)
    out: list[Entity] = []
    for entity in linker.entities:
        if not entity.spans:
            continue
        spans = tuple(sorted(set(entity.spans), key=_START_END))
        out.append(trusted_entity(f"E{len(out) + 1}", entity.name or spans[0].text,
                                  entity.kind, entity.gender, spans))
    return out
