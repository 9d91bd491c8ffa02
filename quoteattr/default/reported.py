"""Built-in plugin ``reported-speech``: speech reported around a cue, with or without quotes.

One pass finds every cue of the cue lexicon (``lexicons/cues.txt``) outside quotations; each
cue is then read within its own sentence:

- "X said (on Tuesday) that …", "X said …" (a clause right after the verb), "X told Y that …";
- "According to X, …" and "…, according to X";
- "X said: “…”" and "X said, “…”" (the merge turns these into direct quotes with a cue);
- "…, accusing Y of …", "…, adding that …": a participle after a comma shares the subject of
  the clause it hangs on, and so does a second verb joined by "and"/"but"
  ("He declared … and claimed …").

Content runs to the end of the sentence, or to where a second reporting verb or a "but" with
a past-tense verb starts a new predicate; a quotation that the content enters is taken whole.
A cue inside quoted or reported content is someone else's speech, reported within, and opens
nothing of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import regex

from quoteattr import trusted
from quoteattr.default.grammar import (
    ADVERB,
    ADVERBIAL_SUBORDINATORS,
    CueForm,
    CueIndex,
    Tok,
    WordIndex,
    can_speak,
    class_words,
    contraction_pronoun,
    cue_info,
    cue_table,
    function_words,
    is_adverb,
    is_cap,
    leading_subject,
    make_cue,
    np_mention,
    picked,
    pronoun,
    role_noun,
    source_noun,
    subject_after,
    subject_before,
    tokenize,
    word_class,
)
from quoteattr.model import Document, Quote, StashKey
from quoteattr.text import bisect_left_int, bisect_right_int, lexicon, paragraphs
from quoteattr.trusted import span_of

__all__ = ["quoteattr_detect_reported_speech"]

_OPEN_MARKS: Final = frozenset("\"“‘'«„‚‹「『")
_CLOSE_MARKS: Final = frozenset("\"”’'»“‘›」』")
_ANY_MARKS: Final = _OPEN_MARKS | _CLOSE_MARKS
_NOT_CLAUSE: Final = frozenset({
    "so", "yes", "nothing", "something", "anything", "everything", "goodbye", "hello",
    "thanks", "sorry", "otherwise", "not", "never", "to", "and", "or", "but", "nor", "as",
    "than", "what", "how", "why", "when", "where", "whether", "if", "goodnight", "please",
})
_SUBJECT_PRONOUNS: Final = frozenset({"i", "we", "you", "they", "he", "she", "it", "there"})
#: the subject pronouns that can open the clause after an addressee ("told them he was …")
_CLAUSE_PRONOUNS: Final = _SUBJECT_PRONOUNS - {"it", "you"}
#: words that open an indirect question: "asked whether …", "wondered how …"
_QUESTION_WORDS: Final = frozenset({"whether", "if", "how", "why", "what", "when", "where", "who"})
#: the question words that open an indirect question after "say" ("did not say how …")
_SAY_QUESTION_WORDS: Final = _QUESTION_WORDS - {"when", "where"}
_MIN_CONTENT_TOKENS: Final = 3
#: how far a cue's subject or source is looked for: every cue then costs a bounded amount of
#: work, and a sentence with many cues stays linear
_LOOKBACK: Final = 40
_LOOKAHEAD: Final = 12
_THAT_WINDOW: Final = 10

# The tokens, subjects and flags that the functions below take are lists (``list[Tok]``, not
# ``Sequence[Tok]``): every caller passes one, and compiled, reading an item of a list is a
# direct read where that of a Sequence is a generic call with a boxed index.

# Look-ups for the hot paths, each one set or dictionary look-up instead of a call:
# ``w in _CUE_FORMS`` is ``cue_info(w) is not None`` for a lower-case ``w`` (a token's ``lower``);
# ``w in _FUNCTION_WORDS`` is ``bool(word_class(w))``; ``w in _PREP`` is
# ``"prep" in word_class(w)``, and a set of several classes holds the words of any of them.
_CUE_FORMS: Final = cue_table("cues")
_FUNCTION_WORDS: Final = function_words()
_PREP: Final = class_words("prep")
_AUX: Final = class_words("aux")
_DET: Final = class_words("det")
_NUM: Final = class_words("num")
_NEG: Final = class_words("neg")
_TIME: Final = class_words("time")
_AUX_NEG: Final = class_words("aux", "neg")
_DET_NUM: Final = class_words("det", "num")
_PREP_CONJ: Final = class_words("prep", "conj")
_PREP_SUB: Final = class_words("prep", "sub")
_PREP_TIME_ADV: Final = class_words("prep", "time", "adv")
_PREP_AUX_SUB: Final = class_words("prep", "aux", "sub")
_SUB_PREP_CONJ: Final = class_words("sub", "prep", "conj")
_CONJ_PREP_AUX: Final = class_words("conj", "prep", "aux")
_DET_PREP_NUM: Final = class_words("det", "prep", "num")
_ADV_NEG: Final = class_words("adv", "neg")
_CONJ_WORDS: Final = class_words("conj")


class _Sentence:
    """The tokens of one sentence, and the subject its last cue used.

    ``quoted``: whether any quotation overlaps the sentence's tokens (from their first start
    to their last end). When none does, no offset within them is in a quotation, which spares
    looking each one up.
    """

    __slots__ = ("_headline", "_in_quote", "_quotes", "_stops", "quoted", "subject", "toks")

    def __init__(self, toks: list[Tok], quotes: _QuoteIndex, quoted: bool | None = None) -> None:
        self.toks = toks
        self.subject: list[Tok] | None = None
        self._quotes = quotes
        if quoted is None:
            quoted = bool(toks) and quotes.overlaps(toks[0].start, toks[-1].end)
        self.quoted = quoted
        self._in_quote: list[bool] | None = None
        self._headline: bool | None = None
        self._stops: list[int] | None = None

    @property
    def headline(self) -> bool:
        """Whether the sentence is a headline in title case ("Senator Says Deal Is Dead"):
        capitals mark no names there (computed once).
        """
        if self._headline is None:
            # the words of more than three letters, and how many of them open with a capital:
            # counted in one pass, the cheap length test first (no list, no generator)
            words = capitals = 0
            for t in self.toks:
                text = t.text
                if len(text) > 3 and text[0].isalpha():
                    words += 1
                    if text[0].isupper():
                        capitals += 1
            self._headline = words >= 3 and capitals >= 0.8 * words
        return self._headline

    @property
    def in_quote(self) -> list[bool]:
        """For each token, whether it stands inside a quotation (computed once)."""
        if self._in_quote is None:
            toks = self.toks
            if not self.quoted:
                self._in_quote = [False] * len(toks)  # no quotation here: the common case
            else:
                self._in_quote = self._quotes.within(toks)
        return self._in_quote

    @property
    def stops(self) -> list[int]:
        """Where content may end in the sentence (:func:`_content_stops`, computed once)."""
        if self._stops is None:
            self._stops = _content_stops(self.toks)
        return self._stops


def _is_word(tok: Tok) -> bool:
    return tok.text[:1].isalnum()


#: lemmas whose base form is also their past tense
_PAST_AS_BASE: Final = frozenset({"read", "hit back", "put in", "cut in", "bet"})


def _plausible_subject(
    doc: Document, subject: list[Tok], info: CueForm, prev: Tok | None
) -> bool:
    """Whether ``subject`` can be the subject of the cue, or the cue is a noun after all.

    A base form ("state", "report", "claim") is as often a noun as a verb: it is taken as a verb
    after an auxiliary ("will say") or a plural subject ("officials say", "they claim") only.
    A subject holding a finite reporting verb ("Okafor told local") is no noun phrase.
    """
    for k in range(1, len(subject)):
        t = subject[k]
        other = _CUE_FORMS.get(t.lower)
        # (the look-up first: ``islower`` is a generic method call in the compiled build)
        if other is not None and other.form != other.lemma and not other.form.endswith("ing") and (
            t.text.islower()  # "United States": a name
        ):
            return False
    if info.form != info.lemma or info.lemma in _PAST_AS_BASE:
        return True
    if prev is not None and (prev.lower in _CONTROL_VERBS or prev.lower in _AUX):
        return True  # "declined to say": an infinitive; "will say": after an auxiliary
    if any(t.lower == "and" for t in subject[1:-1]):
        return True  # "Mr. Grassley and Mr. Leahy say": two make a plural subject
    if len(subject) == 1 and subject[0].lower == "who" and info.cls in ("S", "H", "T"):
        return True  # "critics, who say …": a relative pronoun is followed by its verb
    mention = np_mention(doc, subject, rule="")
    if mention is None:
        return False
    if mention.kind == "pronoun":
        return mention.span.text.lower() in ("i", "we", "you", "they")
    return mention.plural or _plural_subject(subject)


#: what "not" may precede in a subject: "not everyone", "not all of them"
_NOBODY: Final = frozenset({"nobody", "no", "none", "neither", "nothing", "noone"})
_NEGATED_SUBJECTS: Final = frozenset(
    {"everyone", "everybody", "all", "many", "only", "even", "one"}
)


def _noun_phrase_shape(subject: list[Tok]) -> bool:
    """Whether tokens can be a noun phrase at all: not punctuation ("-- and"), not an adverb
    alone ("again"), no negated verb ("not address his plan"; "not everyone" is fine).
    """
    head = subject[0]
    text = head.text
    lw = head.lower
    alone = len(subject) == 1
    if not text[:1].isalnum() or lw in _NOBODY:
        return False  # "nobody could say why …": nobody said anything
    if lw in _PREP and text.islower() and not (
        not alone and (subject[1].text[:1].isdigit() or subject[1].lower in _NUM
                       or subject[1].lower in _PLURAL_WORDS)
    ):  # "in a box labelled …" is no subject; "about half of voters say" is one
        return False
    if alone and lw in ("the", "a", "an"):
        return False  # an article alone
    if alone and lw in _SUB_PREP_CONJ and (
        pronoun(lw) is None and lw not in _RELATIVE_OBJECTS and lw != "who"
    ):
        return False  # "Whenever asked about …", "With …": a function word, even capitalised
    if (lw in _AUX or (
        lw.endswith("ed") and len(lw) > 4 and (alone or subject[1].lower in _PREP)
    )) and text.islower():
        return False  # "are now more", "obtained by AP": a verb phrase, not a noun phrase
    if alone and text.islower() and text.isalpha() and not (
        pronoun(lw) is not None or source_noun(lw) or lw in _FUNCTION_WORDS
        or (lw.endswith("s") and not lw.endswith("ss"))
    ):
        return False  # "long", "rather": one lower-case word that names no one
    last = subject[-1]
    if last.lower.endswith(("’s", "'s")) and contraction_pronoun(last) is None:
        return False  # "Oz's": a possessor without the noun it owns
    if alone and is_adverb(head) and pronoun(lw) is None:
        return False
    for k in range(len(subject) - 1):
        if subject[k].lower in _NEG:
            nxt = subject[k + 1]
            if nxt.lower == "to" or not (
                nxt.lower in _FUNCTION_WORDS or is_cap(nxt) or nxt.lower in _NEGATED_SUBJECTS
            ):
                return False
    # a word that is no conjunction, preposition or auxiliary: something to be the head
    return any(t.text[:1].isalnum() and t.lower not in _CONJ_PREP_AUX for t in subject)


#: words that make a noun phrase plural, or stand for a plural one: "many say", "those polled"
_PLURAL_WORDS: Final = frozenset({
    "those", "these", "many", "some", "most", "others", "both", "all", "few", "several",
    "percent", "%", "majority", "half", "third", "thirds", "quarter", "dozens", "hundreds",
    "thousands", "millions",
})


def _plural_subject(subject: list[Tok]) -> bool:
    """Whether a subject reads as plural without knowing its noun: "security specialists",
    "67 percent", "those surveyed", "about four in 10 voters".
    """
    if any(t.lower in _PLURAL_WORDS or t.text.isdigit() for t in subject):
        return True
    head = subject[-1].lower
    return (subject[-1].text.islower() and len(head) > 3 and head.endswith("s")
            and not head.endswith(("ss", "us", "is", "ics")))


_CONTROL_VERBS: Final = lexicon("control_verbs")


def _control_verb(toks: list[Tok], to: int) -> int | None:
    """The index of the verb that governs the infinitive whose "to" is token ``to``: "declined"
    in "declined to say", "went" in "went on to say"; ``None`` if there is none.
    """
    k = to - 1
    if k >= 1 and toks[k].lower == "on":
        k -= 1  # "went on to say"
    while k >= 0 and ADVERB[toks[k].lower] and toks[k].lower not in _BE:
        k -= 1  # "refused again to say"
    if k >= 0 and toks[k].lower in _CONTROL_VERBS and toks[k].text.islower():
        return k
    return None


#: prepositions that before a number make an amount, not a topic ("said about half …")
_APPROXIMATE: Final = frozenset({"about", "around", "over", "under", "nearly", "almost"})
#: words of an amount besides numbers: "half", "a third", "a quarter of"
_FRACTIONS: Final = frozenset({"half", "third", "quarter", "fifth", "tenth", "dozen", "hundred",
                               "thousand", "million", "billion"})


def _amount_at(toks: list[Tok], k: int) -> bool:
    """Whether an amount starts at token ``k``: a number, a number word, "half", "a third"."""
    if k >= len(toks):
        return False
    t = toks[k]
    if t.text[:1].isdigit() or t.lower in _NUM or t.lower in _FRACTIONS:
        return True
    return t.lower in ("a", "one") and k + 1 < len(toks) and toks[k + 1].lower in _FRACTIONS


def _content_start(
    toks: list[Tok], j: int, cls: str, participle: bool, lemma: str
) -> int | None:
    """The index of the first content token after a cue ending before token ``j``."""
    n = len(toks)
    if j >= n:
        return None
    first = toks[j]
    mark = first.text
    if mark == ":" and j + 1 < n:
        return j + 1
    if mark in _OPEN_MARKS:
        return j
    if mark == "," and j + 1 < n and toks[j + 1].text in _OPEN_MARKS:
        return j + 1
    # "… (to reporters) (on Tuesday) that …"; most cues have no "that" in reach, which a look
    # at the tokens' ``lower`` shows (the walk below acts at a "that" only), cheaper than the
    # walk's tests of each token or lowering the text they stand in
    window = min(n, j + _THAT_WINDOW)
    that = j
    while that < window and toks[that].lower != "that":
        that += 1
    if that < window:
        for k in range(j, window):
            t = toks[k]
            if t.lower == "that":
                if k == j or participle or cls == "T" or first.lower in _PREP_TIME_ADV or (
                    is_adverb(first) or mark == "," or first.lower in _EARLY_LATE
                ):
                    return k + 1 if k + 1 < n else None
                break
            if not t.text[:1].isalnum():
                if t.text != ",":
                    break  # but "said, among other things, that …" reads on
            elif t.lower in _CUE_FORMS and t.text.islower():
                break  # another cue
    word = mark[:1].isalnum()
    if participle and cls in ("S", "T", "H") and word:
        return j  # "…, accusing the U.S. of …"
    if cls == "O":  # "criticized the plan", "called for a recount"
        return j if word and first.lower not in _NOT_CLAUSE else None
    if cls == "I":  # "vowed to appeal"
        return j if first.lower == "to" and j + 1 < n else None
    if cls == "T":
        if lemma in _OF_VERBS and not toks[j].lower.endswith(("self", "selves")):
            # "accused the mayor of ignoring the law"; not "assured herself of …"
            addressee = _addressee_end(toks, j)
            if addressee is not None and addressee + 1 < n and (
                toks[addressee].lower == "of" and _is_word(toks[addressee + 1])
            ):
                return j
        return _told_content(toks, j)
    if cls not in ("S", "B"):
        return None
    if first.lower in _APPROXIMATE and _amount_at(toks, j + 1):
        return j  # "said about half of the cuts …", "said over 200 people …": an amount
    if first.lower in _PREP:
        # "said after the convention he would …", "said on Friday she was …"
        for k in range(j + 1, min(n, j + 7)):
            if toks[k].lower in _SUBJECT_PRONOUNS:
                return k
            if not _is_word(toks[k]):
                break
        return None
    while j < n and ((toks[j].lower in _TIME and toks[j].lower != "this") or (
        toks[j].lower in _EARLY_LATE and j + 1 < n and toks[j + 1].lower in _TIME
    )):  # "said Friday …", "said late Tuesday …"
        j += 1
    if j >= n:
        return None
    t = toks[j]
    w = t.lower
    if cls == "S" and w in _SAY_QUESTION_WORDS and j + 2 < n:
        return j  # "would not say whether …", "did not say how …": an indirect question
    if not _is_word(t) or w in _NOT_CLAUSE or w in _PREP_CONJ:
        return None
    if w.endswith("ly") and len(w) > 4:
        return None
    if w in _OBJECT_FORMS and _object_pronoun(toks, j, lemma):
        return None  # "saw him go", "felt himself baffled": an object, no clause
    if lemma in _OBJECT_NOT_CONTENT and (w in _DET or w in _PLURAL_DETERMINERS) and (
        not _subject_and_verb(toks, j)
    ):
        return None  # "felt a wind play on her cheeks", "thought the matter over": an object
    return j if _has_finite_verb(toks[j : j + 12]) else None


#: words that open a time phrase after a cue: "said early Friday that …"
_EARLY_LATE: Final = frozenset({"early", "late"})


#: telling verbs whose content may be the addressee and an "of" phrase: "accused Ruiz of
#: lying", "warned voters of higher rents" (not "reminded me of a Dane": a likeness)
_OF_VERBS: Final = frozenset({"accuse", "warn", "inform", "assure", "notify"})


#: the pronouns that can only be objects: no clause opens with one ("her" also owns a noun)
_OBJECT_FORMS: Final = frozenset({
    "me", "him", "her", "us", "them", "myself", "himself", "herself", "itself", "ourselves",
    "yourself", "yourselves", "themselves",
})


def _object_pronoun(toks: list[Tok], j: int, lemma: str) -> bool:
    """Whether token ``j`` (one of ``_OBJECT_FORMS``) is the object of the verb before it
    rather than the start of its content: "saw him going", "felt himself baffled", "watched
    her for a moment"; but "want them to know" (an object with an infinitive: what is
    wanted) and "sees himself as a reformer" (a belief about him) read on, and "her" that owns
    the next word ("said her plan was dead") opens a clause.
    """
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is None:
        return True
    w = nxt.lower
    if w in ("to", "as"):
        return False
    if toks[j].lower == "her" and (_is_word(nxt) or nxt.text in _CURRENCY) and not (
        w in _FUNCTION_WORDS or w.endswith("ing") or (
            w.endswith("ly") and (j + 2 >= len(toks) or not _is_word(toks[j + 2])
                                  or toks[j + 2].lower in _PREP_CONJ)
        )
    ):
        return False  # "her plan", "her family": a possessive, the clause's subject may follow
    return lemma not in _SMALL_CLAUSE_VERBS


_CURRENCY: Final = frozenset("$£€¥")
#: verbs whose object and what follows it are a belief or a wish about it: "thought her
#: bewitching", "considers himself a reformer", "want them home", "the video shows her
#: leaving"; and "know", whose object is what is known ("has known him for years" reports an
#: acquaintance, which news corpora annotate). After the others an object pronoun is what was
#: seen or spoken to ("saw him go", "was observing her closely")
_SMALL_CLAUSE_VERBS: Final = frozenset({
    "think", "consider", "believe", "find", "want", "wish", "expect", "show", "suppose",
    "imagine", "deem", "judge", "presume", "assume", "know",
})
#: belief and feeling verbs whose content is a clause, never a noun phrase object: "felt the
#: cold wind", "thought the matter over", "wished the day over", "worried the dog" report no
#: belief: after a determiner their content must be a subject and its finite verb. (Others
#: take one as what is believed: "doubted the polls", "suspected foul play", "sees the vote
#: as a test", "wants a recount", "the poll shows Ruiz ahead", "knows the facts".)
_OBJECT_NOT_CONTENT: Final = frozenset({"feel", "think", "wish", "guess", "figure", "worry"})


def _told_content(toks: list[Tok], j: int) -> int | None:
    """The content after "told"/"asked"/"urged" (a ``T`` cue ending before token ``j``).

    "told the forum he was …": an addressee, then a clause opened by a subject pronoun;
    "asked Ruiz whether …": an addressee, then an indirect question;
    "urged voters to …", "told him to …": an addressee and what they are to do.
    """
    n = len(toks)
    if toks[j].lower in _QUESTION_WORDS and j + 1 < n:
        return j  # "asked whether …", "asked how …"
    in_phrase = False  # inside a prepositional phrase after the addressee
    for k in range(j + 1, min(n, j + 9)):
        w = toks[k].lower
        if w in _CLAUSE_PRONOUNS or (not in_phrase and w in _QUESTION_WORDS):
            return k if k + 1 < n else None
        if w == "to" and k + 1 < n and (toks[k + 1].text in _OPEN_MARKS or (
            _is_word(toks[k + 1]) and not (toks[k + 1].lower in _DET_NUM or is_cap(toks[k + 1]))
        )):
            return j  # "told supporters at a rally to “go and vote”"
        if w in ("at", "in", "on") and k - j <= 4 and not in_phrase:
            in_phrase = True  # "his supporters at a Michigan rally"
            continue
        if not _is_word(toks[k]) or w in _PREP_AUX_SUB:
            break
        if not in_phrase and k - j >= 4:
            break
    # "told the AP his firm worked …", "told reporters the plan was dead": no "that"
    clause = _addressee_end(toks, j)
    if clause is not None and clause < n and (
        toks[clause].lower in _DET_NUM or is_cap(toks[clause])
    ) and toks[clause].lower not in _QUESTION_WORDS and _has_finite_verb(
        toks[clause : clause + 12]
    ):
        return clause
    return None


#: verbs that name or describe someone in words of the speaker: "called him “a liar”"
_NAMING_VERBS: Final = frozenset({"call", "describe", "brand", "label", "dub"})
_RELATIVE_OBJECTS: Final = frozenset({"what", "which", "that", "whom"})
_PARTICLES_AFTER_CALL: Final = frozenset({"for", "on", "off", "in", "out", "up", "back", "it"})


def _named_content(toks: list[Tok], j: int, in_quote: list[bool]) -> int | None:
    """Content after "called"/"described": what they were called, in the speaker's words.

    "called the system “rotten to the core”" and "called him divisive" report speech;
    "called for a recount" and "called an emergency session" do not. The content must hold a
    quotation, or start with a personal pronoun object.
    """
    n = len(toks)
    if j >= n or not _is_word(toks[j]) or toks[j].lower in _PARTICLES_AFTER_CALL:
        return None
    if toks[j].lower in _OBJECT_PRONOUNS - {"you"} and j + 1 < n and _is_word(toks[j + 1]):
        return j  # "called him divisive", "called her a liar"
    for k in range(j, min(n, j + _LOOKAHEAD)):
        if in_quote[k]:
            return j  # "called both candidates “crazy”"
        if toks[k].text in ",;.:" or (toks[k].lower in ("and", "but") and k > j + 1):
            break
    return None


_OBJECT_PRONOUNS: Final = frozenset({"me", "him", "her", "us", "them", "you"})


def _addressee_end(toks: list[Tok], j: int) -> int | None:
    """The index after the addressee that starts at token ``j``: "him", "reporters", "the AP",
    "the crowd", "host Ana Ruiz"; ``None`` if no short addressee stands there.
    """
    n = len(toks)
    if j >= n:
        return None
    first = toks[j]
    if first.lower in _OBJECT_PRONOUNS:
        return j + 1
    k = j
    if first.lower in _DET:
        k += 1
    start = k
    while k < n and k - j < 5 and _is_word(toks[k]) and not (
        toks[k].lower in _FUNCTION_WORDS or toks[k].lower in _CUE_FORMS
    ):
        k += 1  # "host Ana Ruiz", "a Senate panel"; a function word ends it
    return k if k > start else None


#: words after which a verb has no subject of its own in the clause: "and then drew", "who wore"
_AFTER_NO_SUBJECT: Final = frozenset({"and", "or", "but", "then", "that", "which", "who", "whom"})


def _has_finite_verb(toks: list[Tok]) -> bool:
    """Whether a stretch reads as a clause rather than a noun phrase object.

    "said the talks would resume" has a clause; "announced a new plan" has an object. Without
    a tagger: an auxiliary or modal, a past-tense form, or an -s form right after a name,
    pronoun or noun stands for the finite verb.
    """
    if toks and toks[0].lower in _SUBJECT_PRONOUNS:
        return True
    prev: Tok | None = None
    for t in toks:
        w = t.lower
        if w in _AUX_NEG or w.endswith(("n't", "’t")) or w == "cannot":
            return True
        if w.endswith("ed") and len(w) > 3 and t.text.islower():
            return True
        if prev is not None and (w in _CUE_FORMS or (
            w in _IRREGULAR_PAST and prev.lower not in _DET_PREP_NUM
            and prev.lower not in _AFTER_NO_SUBJECT and t.text.islower()
            and prev.text[:1].isalpha()
        ) or (  # "tensions grew", not "the rose garden", "a note and then drew", "who wore"
            w.endswith("s") and not w.endswith("ss") and len(w) > 3
            and prev.lower not in _DET_PREP_NUM and t.text.islower() and prev.text[:1].isalpha()
        )):  # (the set look-ups before islower and isalpha, generic calls when compiled)
            return True
        prev = t
    return False


#: words that end a subject before its verb is reached: a relative or adverbial clause, a
#: question, a comparison
_NOT_IN_SUBJECT: Final = frozenset({
    "that", "which", "who", "whom", "whose", "where", "when", "what", "whether", "if", "as",
    "than", "to", "while", "because", "although", "though", "since", "until", "unless", "once",
    "whereas", "whenever", "wherever",
})
#: determiners of a plural noun: "several ligatures", "many claims" (no verb in -s after them)
_PLURAL_DETERMINERS: Final = frozenset({
    "several", "many", "few", "these", "those", "both", "all", "some", "no", "various", "two",
    "three", "four", "five", "numerous", "countless",
})
_IRREGULAR_PAST: Final = lexicon("irregular_past")
_SUBJECT_MOST: Final = 9


def _finite_form(toks: list[Tok], k: int, plural_np: bool) -> bool:
    """Whether token ``k`` reads as the finite verb of a subject that ends before it: an
    auxiliary ("would", "has", "didn't"), a past tense ("asked", "took", "said"), or an -s form
    ("plans", "says") that a determiner did not make a noun ("several claims", "her shoes")
    and that no preposition or punctuation follows ("the claims to the land", "his wrists,").
    """
    t = toks[k]
    w = t.lower
    if w in _AUX or w.endswith(("n't", "’t")) or w == "cannot":
        return True
    if not t.text.islower():
        return False
    if (w.endswith("ed") and len(w) > 3) or w in _IRREGULAR_PAST:
        return True
    info = _CUE_FORMS.get(w)
    if info is not None and info.form != info.lemma and not w.endswith("ing"):
        return True  # "says", "thought"
    if plural_np or len(w) <= 3 or not w.endswith("s") or w.endswith(("ss", "us", "is")) or (
        toks[k - 1].lower in _DET_PREP_NUM
    ):
        return False  # "her shoes", "of claims": a noun
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    if nxt is None or not _is_word(nxt):
        return False
    if nxt.lower == "to":
        after = toks[k + 2] if k + 2 < len(toks) else None
        return after is not None and _is_word(after) and after.lower not in _DET_NUM
    return nxt.lower not in _PREP


def _subject_and_verb(toks: list[Tok], j: int) -> bool:
    """Whether the noun phrase from token ``j`` is the subject of a finite clause: the words
    after it are its verb ("knew their numbers increased", "felt the plan would fail") or an
    infinitive ("expect the board to act").

    "saw no boats now", "felt several ligatures across my body" (a noun phrase object), "felt a
    wind play upon my cheeks", "saw the men pulling the ropes" (an object and a verb that is
    not finite) and "saw little that was familiar" (a relative clause) have none.
    """
    n = len(toks)
    plural_np = toks[j].lower in _PLURAL_DETERMINERS
    for k in range(j, min(n, j + _SUBJECT_MOST + 1)):
        t = toks[k]
        w = t.lower
        if k > j:
            v = k
            while v < n and (
                (toks[v].lower in _ADV_NEG and toks[v].lower not in _AUX)
                or toks[v].text in _ANY_MARKS
            ):
                v += 1  # "the plan still works", "Ruiz and his staff “need to …”"
            if v < n and (_finite_form(toks, v, plural_np) or (
                toks[v].lower == "to" and v + 1 < n and toks[v + 1].lower not in _DET_NUM
                and (_is_word(toks[v + 1]) or toks[v + 1].text in _OPEN_MARKS)
            )):
                return True
        if w == "as" and k > j:
            return True  # "sees the vote as a test": a belief about the object
        if not (_is_word(t) or t.text in _NP_PUNCT or t.text in _ANY_MARKS) or (
            w in _NOT_IN_SUBJECT or w in _AUX or (k == j and w in _PREP)
            or (k > j and w in _CONJ_WORDS and w != "and")
            or (k > j and w in _DET and toks[k - 1].lower not in _PREP_CONJ)
        ):
            return False  # "doubted the story the ferryman told": an object and its relative
    return False


_BE: Final = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "isn't", "isn’t", "aren't",
    "aren’t", "wasn't", "wasn’t", "weren't", "weren’t",
})


def _gerund_has_subject(toks: list[Tok], i: int) -> bool:
    """Whether the -ing cue at token ``i`` has a subject of its own.

    After a form of "be" it is a progressive ("is once again questioning"); right after a
    noun for a person or a document it is a reduced relative ("a letter opposing …", "a
    tweet attacking …", "one saying that …").
    """
    k = i - 1
    while k >= 0 and ADVERB[toks[k].lower] and toks[k].lower not in _BE:
        k -= 1
    if k < 0:
        return False
    w = toks[k].lower
    if w in _BE or contraction_pronoun(toks[k]) is not None:
        return True  # "is questioning", "He’s claiming"
    return w == "one" or source_noun(w)


def _noun_before(toks: list[Tok], i: int) -> list[Tok]:
    """The short noun phrase that ends right before token ``i``: "a letter", "one"."""
    k = i - 1
    while k > 0 and i - k < 4 and toks[k].lower not in _DET_NUM:
        prev = toks[k - 1]
        if not prev.text[:1].isalpha() or prev.lower in _PREP_AUX_SUB:
            break
        k -= 1
    return list(toks[k:i])


def _passive(toks: list[Tok], i: int) -> bool:
    """Whether the cue at token ``i`` (no -ing form) is a passive participle ("we are told",
    "was said")."""
    for k in range(i - 1, -1, -1):
        w = toks[k].lower
        if w not in _PASSIVE_ADVERBS and not (w.endswith("ly") and len(w) > 4):
            return w in _BE
        # "was once asked", "is widely reported", "were repeatedly told": read on
    return False


#: the adverbs (besides those in -ly) that may stand between "be" and a passive participle
_PASSIVE_ADVERBS: Final = frozenset({"not", "also", "often", "widely", "never", "once"})


def _is_trailing_punct(tok: Tok) -> bool:
    """Punctuation that ends content without belonging to it (not a closing quote mark)."""
    return not _is_word(tok) and tok.text not in _CLOSE_MARKS


def _content_end(
    toks: list[Tok], i: int, in_quote: list[bool], stops: list[int]
) -> int:
    """One past the last content token: the sentence end, or a new predicate.

    ``stops`` are the indexes of the tokens where content may end (:func:`_content_stops`):
    only those are read, as the walk over every token up to the sentence end did nothing at
    any other token.
    """
    n = len(toks)
    end = n
    depth = 0  # brackets opened within the content
    for s in range(bisect_left_int(stops, i), len(stops)):
        k = stops[s]
        if in_quote[k]:
            continue
        t = toks[k]
        text = t.text
        if text in _CONTENT_MARKS:  # punctuation: one character
            if text == ";":
                end = k
                break
            if text in "([":
                depth += 1
            elif text in ")]":
                if depth == 0:
                    end = k
                    break  # the aside the cue stood in closes: "(she later said it was …)"
                depth -= 1
            # the only mark left in _CONTENT_MARKS is the comma
            elif k + 1 < n and k > i and toks[k + 1].lower.endswith("ing"):
                info = _CUE_FORMS.get(toks[k + 1].lower)
                if info is not None and info.cls != "B":
                    end = k
                    break  # "…, adding that …": a new attribution starts
            elif k > i and _attribution_after(toks, k + 1, in_quote):
                end = k
                break  # "When the firm signaled that …, Ana Ruiz said, “…”": her own report
        elif k + 1 < n and k > i:  # "and" or "but"
            m = k + 1
            while m < n and ADVERB[toks[m].lower]:
                m += 1
            nxt = toks[m] if m < n else None
            if nxt is not None and not in_quote[m]:
                info = _CUE_FORMS.get(nxt.lower)
                after = toks[m + 1].lower if m + 1 < n else ""
                noun = after in _CUE_FORMS or after in _AUX
                if (info is not None and info.cls != "B" and not nxt.lower.endswith("ing")
                        and not noun):  # "… and protests demands …": a noun, then its verb
                    end = k
                    break
                if t.lower == "but" and nxt.lower.endswith("ed") and nxt.text.islower():
                    end = k
                    break
                if toks[k - 1].text == "," and _new_speaker_clause(toks, m):
                    end = k
                    break  # "…, and the mayor said …": a new attribution with its own subject
    k = end
    # drop trailing punctuation that is not part of a quotation
    while k > i and _is_trailing_punct(toks[k - 1]):
        k -= 1
    if k > i and toks[k - 1].text == ",":
        k -= 1
    return k


def _new_speaker_clause(toks: list[Tok], m: int) -> bool:
    """Whether a short subject from token ``m`` is followed by a finite speech cue: "the mayor
    said", "officials told", "Ruiz added" (a past or -s form, not a base form that may be a
    noun, not a belief).
    """
    if m >= len(toks) or toks[m].lower in _AUX:
        return False
    for k in range(m + 1, min(len(toks), m + 7)):
        t = toks[k]
        w = t.lower
        if not (_is_word(t) or t.text in _NP_PUNCT) or w in _CLAUSE_WORDS:
            return False
        if w in _AUX:
            continue  # "…, and two lawsuits have accused …"
        info = _CUE_FORMS.get(w)
        if info is not None and t.text.islower():
            return info.cls in ("S", "H", "T") and info.form != info.lemma and (
                not w.endswith("ing")
            )
    return False


#: how many words a subject between a comma and its cue may have: ", the city's mayor said,"
_SUBJECT_REACH: Final = 6
#: words after a comma that open a clause inside the content, not a new subject
_CLAUSE_OPENERS_AFTER_COMMA: Final = frozenset({"who", "whom", "whose", "which", "that", "what",
                                                "where", "when", "as", "if", "because", "while",
                                                "and", "but", "or", "so", "yet"})


def _attribution_after(toks: list[Tok], m: int, in_quote: list[bool]) -> bool:
    """Whether a subject and a cue of speech start at token ``m``, with the cue's own content
    after it: "Ana Ruiz said, “…”", "the mayor told reporters:" (after a comma that ends the
    content of another cue).
    """
    n = len(toks)
    if m >= n:
        return False
    first = toks[m]
    if first.lower in _CLAUSE_OPENERS_AFTER_COMMA or not (
        first.lower in _DET_NUM or first.lower in _SUBJECT_PRONOUNS or first.text[:1].isupper()
    ):
        # ", whom he called “…”": a relative clause inside the content; ", to thank him on
        # what she called “…”": no subject (one opens with a capital, a determiner, a pronoun)
        return False
    for x in range(m, min(n, m + _SUBJECT_REACH + 1)):
        if in_quote[x]:
            return False
        t = toks[x]
        if not t.text[:1].isalnum():
            return False  # a subject of words only
        info = _CUE_FORMS.get(t.lower)
        if info is not None and x > m and t.text.islower():
            if info.cls not in ("S", "T", "Q") or t.lower.endswith("ing") or x + 1 >= n:
                return False  # (not "…, but the police overruled that request, …")
            nxt = toks[x + 1].text
            return nxt in (",", ":") or nxt in _OPEN_MARKS
    return False


def _content_stops(toks: list[Tok]) -> list[int]:
    """The indexes of the tokens at which :func:`_content_end` may end content: a mark of
    ``_CONTENT_MARKS``, "and", "but" (found once a sentence, for all the cues in it).
    """
    # one test of ``lower`` a token: a token's ``lower`` is its text lowered, and no other
    # text lowers to one of these marks (tests/test_reported_fast.py checks every character);
    # the compiled build makes that test in C (grammar.picked)
    return picked(toks, _STOP_WORDS)


#: the punctuation that may end content (or, after a comma, start a new attribution)
_CONTENT_MARKS: Final = frozenset(";()[],")
#: the tokens, lowered, at which content may end: the marks, "and", "but"
_STOP_WORDS: Final = _CONTENT_MARKS | {"and", "but"}


def quoteattr_detect_reported_speech(doc: Document, quotes: Sequence[Quote]) -> list[Quote]:
    """Reported speech anchored on a cue (see the module docstring)."""
    index = _quote_index(doc, quotes)  # one for the three readings: it reads every quotation
    found = _find_reported(doc, index, _SPEECH_CUES)
    return found + _noun_cues(doc, quotes, index) + _labelled_lines(doc, index)


# a paragraph opening with a short capitalised label and a colon: "Ruiz: …", "POLL: …", "Q: …"
_LABEL: Final = regex.compile(
    r"(?P<label>\p{Lu}[\p{L}\p{M}.'’\-]*(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}.'’\-]*|of|de|van|von"
    r"|al|bin|la|le|da|del|di|du|dos)){0,3}):[ \t]+(?=\S)"
)
_LABEL_WORDS: Final = lexicon("label_words")
_LABEL_MIN_WORDS: Final = 3


def _labelled_lines(doc: Document, index: _QuoteIndex) -> list[Quote]:
    """ "Ruiz: The bridge will open in May." — a paragraph that opens with who says it.

    Headlines ("Poll: Voters Sour On Plan") and transcripts ("RUIZ: We are ready.") name
    the source before a colon. The label must be a name, a group, a role or a document
    ("Report:"), not a label word of ``lexicons/label_words.txt`` ("Update:", "Photo:").
    The content is the rest of the paragraph.
    """
    out: list[Quote] = []
    text = doc.text
    quote_at = index.at
    for para in paragraphs(doc):
        a, b = para.start, para.end
        colon = text.find(":", a, b)
        # no colon, no label (the common case); the label holds no colon, so the colon after
        # it is the first, and a space or tab follows it; nor does the label hold a comma
        # ("Asked why, he said: …"): each passes over a paragraph before matching
        if colon < 0 or colon + 1 >= b or text[colon + 1] not in " \t" or (
            text.find(",", a, colon) >= 0
        ):
            continue
        m = _LABEL.match(text, a, b)
        if m is None:
            continue
        if quote_at(m.start()) is not None:
            continue
        label = m.group("label")
        words = label.lower().split()
        # a transcript names an office in capitals: "THE PRESIDENT:" (below: a role noun)
        office = words[0] == "the" and len(words) > 1 and label.isupper()
        if words[-1].rstrip(".") in _LABEL_WORDS or (not office and (
            words[0] in _LABEL_WORDS or cue_info(words[0]) is not None or word_class(words[0])
        )):
            continue  # "Update: …", and "Said Ruiz: “…”" (a cue, for the sieves)
        start, end = m.end(), b
        while end > start and text[end - 1] in ". \t":
            end -= 1
        if len(text[start:end].split()) < _LABEL_MIN_WORDS:
            continue
        toks = tokenize(text, m.start("label"), m.end("label"))
        mention = np_mention(doc, toks, rule="")
        if not can_speak(mention) or (mention is not None and mention.kind == "pronoun"):
            continue
        if office and (mention is None or mention.kind != "nominal"
                       or not role_noun(mention.head)[0]):
            continue  # "THE BOTTOM LINE:", "THE UPSHOT:": a heading
        c_start, c_end = _widen_to_quotes(start, end, quote_at)
        out.append(trusted.quote(span_of(doc, c_start, c_end), "indirect", (), None,
                                 span_of(doc, m.start("label"), m.end("label")), "label-colon",
                                 False))
    return out


_CUE_NOUNS: Final = lexicon("cue_nouns")
_NOUN_INDEX: Final = WordIndex(_CUE_NOUNS)
_POSSESSIVE_PRONOUNS: Final = {"his": "he", "her": "she", "their": "they", "its": "it"}


def _noun_cues(
    doc: Document, quotes: Sequence[Quote], index: _QuoteIndex | None = None
) -> list[Quote]:
    """ "Trump’s claim that …", "her insistence that …": a possessor who claimed it.

    The possessor is the subject: a possessive pronoun or a name with ’s. Without one
    ("the claim that …") nobody is named and nothing is reported.

    The cue nouns are found by the scan the cue indexes share (:class:`WordIndex`): only the
    sentences that hold one are read, and in them only the tokens after one.

    ``index``: that of ``quotes``, when the caller has made it.
    """
    if index is None:
        index = _QuoteIndex(quotes)
    out: list[Quote] = []
    text = doc.text
    for sent, toks, nouns in _NOUN_INDEX.in_document(doc):
        a, b = sent.start, sent.end
        if text.find("that", a, b) < 0 and text.find("THAT", a, b) < 0 and (
            text.find("That", a, b) < 0
        ):
            continue  # no "that" (any "that" after a noun is lower case or in capitals)
        s: _Sentence | None = None
        for i in nouns:  # toks[i].lower in _CUE_NOUNS, in order
            if i < 1 or i >= len(toks) - 2 or toks[i + 1].lower != "that":
                continue
            if index.at(toks[i].start) is not None:
                continue
            subject = _possessor(toks, i)
            if not subject:
                continue
            if s is None:
                s = _Sentence(toks, index)  # which tokens stand in a quotation, found once
            that = i + 1
            end = _content_end(toks, that + 1, s.in_quote, s.stops)
            if end - (that + 1) < _MIN_CONTENT_TOKENS:
                continue
            c_start, c_end = _widen_to_quotes(toks[that + 1].start, toks[end - 1].end, index.at)
            last = subject[-1]
            s_end = last.end - 2 if last.lower.endswith(("’s", "'s")) else last.end
            out.append(trusted.quote(
                span_of(doc, c_start, c_end), "indirect", (),
                trusted.cue(span_of(doc, toks[i].start, toks[i].end), toks[i].lower),
                span_of(doc, subject[0].start, s_end), "noun-cue", False,
            ))
    return out


def _possessor(toks: list[Tok], i: int) -> list[Tok]:
    """The possessive pronoun or the name with ’s right before token ``i``, or nothing."""
    owner = toks[i - 1]
    if owner.lower in _POSSESSIVE_PRONOUNS:
        return [owner]
    if not (owner.lower.endswith(("’s", "'s")) and owner.text[:1].isupper()):
        return []
    subject = [owner]
    k = i - 2
    while k >= 0 and i - k < 6 and toks[k].text[:1].isupper() and toks[k].text[:1].isalpha():
        subject.insert(0, toks[k])
        k -= 1
    return subject


_QUOTE_INDEX: Final[StashKey[_QuoteIndex]] = StashKey(
    "which quotation holds an offset, for the quotations the hooks were given"
)


def _quote_index(doc: Document, quotes: Sequence[Quote]) -> _QuoteIndex:
    """The :class:`_QuoteIndex` of ``quotes``, made once for the document when they are a
    tuple (the pipeline gives each reported-speech plugin the same one: the reported-speech
    and attitudes plugins share it), else made for the call."""
    if type(quotes) is not tuple:
        return _QuoteIndex(quotes)
    found = doc.stash.get(_QUOTE_INDEX)
    if found is None or found.quotes is not quotes:
        found = doc.stash[_QUOTE_INDEX] = _QuoteIndex(quotes)
    return found


class _QuoteIndex:
    """Which quotation, if any, holds an offset."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = quotes
        # each quotation's content and its offsets read once (attribute look-ups on the
        # model's objects are generic calls in the compiled build)
        spans: list[tuple[int, int]] = []
        for q in quotes:
            content = q.content
            spans.append((content.start, content.end))
        self.spans = spans
        self.starts = [start for start, _end in spans]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any quotation overlaps ``[start, end)``."""
        i = bisect_left_int(self.starts, end) - 1  # the last quotation starting before end
        # quotations do not nest (merge_quotes), so their ends increase with their starts
        return i >= 0 and self.spans[i][1] > start

    def at(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right_int(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def within(self, toks: list[Tok]) -> list[bool]:
        """``[self.at(t.start) is not None for t in toks]`` for tokens in text order: one walk
        over the tokens and the quotations among them together, rather than a look-up for each
        token (nor a list of their offsets, each a new int object in the compiled build).
        """
        out = [False] * len(toks)
        if not out:
            return out
        starts, spans = self.starts, self.spans
        last = len(starts) - 1
        beyond = toks[-1].start + 1  # past every token's start
        q = bisect_right_int(starts, toks[0].start) - 1  # the quotation that at() reads
        end = spans[q][1] if q >= 0 else -1
        following = starts[q + 1] if q < last else beyond
        for k in range(len(toks)):
            pos = toks[k].start
            while pos >= following:  # at() reads a later quotation from here on
                q += 1
                end = spans[q][1]
                following = starts[q + 1] if q < last else beyond
            if pos < end:
                out[k] = True
        return out


#: determiners that also stand alone as a plural subject: "Many said …", "some argue …"
_QUANTIFIER_SUBJECTS: Final = frozenset({"many", "some", "most", "both", "all", "several", "few"})
_SPEECH_CUES: Final = CueIndex("cues")
_RULES: Final = {"B": "belief-clause", "O": "attitude", "I": "attitude"}


def find_reported(doc: Document, quotes: Sequence[Quote], cues: CueIndex) -> list[Quote]:
    """Reported content around every cue of ``cues`` outside ``quotes``, in text order.

    Each cue's lexicon class decides what content may follow it (see ``lexicons/cues.txt``
    and ``lexicons/attitude_cues.txt``).
    """
    return _find_reported(doc, _quote_index(doc, quotes), cues)


def _find_reported(doc: Document, index: _QuoteIndex, cues: CueIndex) -> list[Quote]:
    """:func:`find_reported` outside the quotations of ``index``."""
    quote_at = index.at
    found: list[Quote] = []
    covered_until = -1
    for all_toks, sentence_cues in cues.in_document(doc):
        s: _Sentence | None = None
        # a cue stands in a quotation only in a sentence that overlaps one (most do not)
        quoted = index.overlaps(all_toks[0].start, all_toks[-1].end)
        for i, j, info in sentence_cues:
            cs = all_toks[i].start
            if cs < covered_until or (quoted and quote_at(cs) is not None):
                continue
            if s is None:
                s = _Sentence(all_toks, index, quoted)
            covered_until = _one_cue(doc, s, i, j, info, quote_at, found, covered_until)
    return found


def _one_cue(
    doc: Document,
    s: _Sentence,
    i: int,
    j: int,
    info: CueForm,
    quote_at: Callable[[int], tuple[int, int] | None],
    found: list[Quote],
    covered_until: int,
) -> int:
    """Read the cue at tokens ``i:j`` of sentence ``s``; append what it reports to ``found``.

    Most cues report nothing; the tests that reject them are made cheapest first. Every test
    is a pure function of the tokens, so their order changes nothing but the time taken.

    :returns: the offset up to which reported content now reaches.
    """
    toks = s.toks
    cls = info.cls
    if cls == "P":
        quote = _according_to(doc, toks, i, j, quote_at)
        if quote is not None:
            found.append(quote)
            covered_until = max(covered_until, quote.content.end)
        return covered_until
    prev = toks[i - 1] if i > 0 else None
    gerund = info.form.endswith("ing")
    control: int | None = None
    if prev is not None:
        before = i - 1
        while before > 0 and ADVERB[toks[before].lower] and toks[before].lower not in _BE:
            before -= 1  # "his recently revealed plan": look past the adverb
        left = toks[before].lower
        if left == "to":
            control = _control_verb(toks, before)
        if control is None and (
            left == "to" or (left in _DET and not (
                left in _QUANTIFIER_SUBJECTS and cls in ("S", "H", "T", "B")
                and not info.form.endswith("s")  # "many said", "some argue"; not "many claims"
                and (before == 0 or not _is_word(toks[before - 1]))
            ))
            or (left.endswith(("’s", "'s"))  # "Friday’s tweets", "Trump's claims"
                and contraction_pronoun(toks[before]) is None)  # but "He’s claiming"
            or (prev.lower in _PREP and (not gerund or cls in ("O", "I")))
        ):
            return covered_until  # "to say", "his claim", "the report", "secretary of state"
        if (toks[i].text[:1].isupper() and prev.text not in _CLOSE_MARKS
                and not s.headline):
            return covered_until  # "The Post", "United States": a capitalised word inside
    if not gerund and _passive(toks, i):
        return covered_until  # "we are told", "it was announced": the subject did not say it
    # "…, accusing …" and "… for saying that …" hang on the main clause's subject
    participle = gerund and prev is not None and (
        prev.text in (",", "and", "but") or prev.lower in _PREP_SUB
    )
    if gerund and not participle and not _gerund_has_subject(toks, i):
        return covered_until  # "the continuing ties": an -ing form that is not the clause's verb
    shared = prev is not None and prev.lower in ("and", "but")
    if (cls in ("S", "H", "T", "Q") or (
        cls == "B" and (j >= len(toks) or not _is_word(toks[j]))  # "…, records show."
    )) and not (participle or shared):
        trailing = _trailing_cue(doc, toks, i, j, info)
        if trailing is None and cls in ("S", "H", "T"):
            trailing = _as_clause_cue(doc, toks, i, j, info)
        if trailing is not None:
            content, source, rule = trailing
            s.subject = source
            c_start, c_end = _widen_in(s, toks[content[0]].start, toks[content[1] - 1].end,
                                       quote_at)
            found.append(trusted.quote(
                span_of(doc, c_start, c_end), "indirect", (),
                trusted.cue(span_of(doc, toks[i].start, toks[j - 1].end), info.lemma),
                span_of(doc, source[0].start, source[-1].end), rule, False,
            ))
            return max(covered_until, c_end)
    # Where the content would start does not depend on the subject, and is cheaper to find:
    # with no content after the cue (nor a naming verb's, found further on), the subject is
    # looked for only where it is noted for later cues ("“…,” said X", below).
    start = _content_start(toks, j, cls, participle, info.lemma)
    no_content = start is None and info.lemma not in _NAMING_VERBS
    if no_content and (participle or shared or gerund or control is not None):
        return covered_until
    subject: list[Tok]
    if participle or shared:
        subject = s.subject if s.subject is not None else leading_subject(
            _after_last_quote(toks[max(0, i - _LOOKBACK) : i - 1])
        )
    elif gerund and prev is not None and prev.lower not in _BE and (
        contraction_pronoun(prev) is None
    ):
        subject = _noun_before(toks, i)  # "a letter opposing …": the letter
    elif control is not None:
        subject = subject_before(toks[max(0, control - _LOOKBACK) : control])
        prev = toks[control]  # "declined to say": the subject's verb stands for the cue's
    else:
        after_quote = prev is not None and (prev.text in _CLOSE_MARKS or prev.text == ",")
        if no_content and not after_quote:
            return covered_until
        subject = subject_before(toks[max(0, i - _LOOKBACK) : i])
        if not subject and after_quote:
            subject = subject_after(toks[j : j + _LOOKAHEAD])  # "…,” said X": no content here
            s.subject = subject or s.subject
            return covered_until
        if no_content:
            return covered_until
    if not subject or not _noun_phrase_shape(subject) or not _plausible_subject(
        doc, subject, info, prev
    ):
        return covered_until
    if cls in ("O", "I", "B") and not can_speak(np_mention(doc, subject, rule="")):
        return covered_until  # "the bridge supports …": a stance needs someone to hold it
    if start is None and not (
        i - len(subject) > 0 and toks[i - len(subject) - 1].lower in _RELATIVE_OBJECTS
    ):  # not "what he called a “breach”": that names the content of another verb
        start = _named_content(toks, j, s.in_quote)  # a naming verb's: "called him a liar"
    if start is None:
        return covered_until
    s.subject = subject
    in_quote = s.in_quote
    end = _content_end(toks, start, in_quote, s.stops)
    opener = i - len(subject) - 1
    if participle or shared:  # the subject stands further back: "when X left and said …"
        opener = next((k - 1 for k in range(i - 1, max(-1, i - _LOOKBACK - 1), -1)
                       if toks[k] is subject[0]), -1)
    if opener >= 0 and toks[opener].lower in _ADVERBIAL_OPENERS and toks[opener].start < (
        subject[0].start
    ):
        # "While Bell admits its appeal, he prefers …": the clause ends at its comma
        for k in range(start, end):
            if toks[k].text == "," and not in_quote[k]:
                end = k
                break
    if end <= start or (end - start < _MIN_CONTENT_TOKENS and not in_quote[start]):
        return covered_until  # (no content at all: a stop right where it would start)
    c_start, c_end = _widen_in(s, toks[start].start, toks[end - 1].end, quote_at)
    found.append(
        trusted.quote(
            span_of(doc, c_start, c_end),
            "indirect",
            (),
            trusted.cue(span_of(doc, toks[i].start, toks[j - 1].end), info.lemma),
            span_of(doc, subject[0].start, subject[-1].end),
            _RULES.get(cls) or ("participle" if participle
                                else "shared-subject" if shared else "cue-clause"),
            False,
        )
    )
    return c_end


def _after_last_quote(toks: list[Tok]) -> list[Tok]:
    """The tokens after the last quotation mark: the narration around a quote's cue."""
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].text in _ANY_MARKS and not (
            toks[k].text in "’'" and k + 1 < len(toks) and toks[k + 1].lower == "s"
            and k > 0 and toks[k - 1].end == toks[k].start  # "D.C.’s": a possessive
        ):
            return list(toks[k + 1 :])
    return list(toks)


def _widen_to_quotes(
    start: int, end: int, quote_at: Callable[[int], tuple[int, int] | None]
) -> tuple[int, int]:
    """Grow ``[start, end)`` so that no quotation is cut in two at either end."""
    inside = quote_at(start)
    if inside is not None:
        start = min(start, inside[0])
    inside = quote_at(end - 1)
    if inside is not None:
        end = max(end, inside[1])
    return start, end


def _widen_in(
    s: _Sentence, start: int, end: int, quote_at: Callable[[int], tuple[int, int] | None]
) -> tuple[int, int]:
    """:func:`_widen_to_quotes` of ``[start, end)``, offsets within the tokens of sentence
    ``s``: with no quotation overlapping them (most sentences), nothing to widen.
    """
    if not s.quoted:
        return start, end
    return _widen_to_quotes(start, end, quote_at)


#: the punctuation a noun phrase may hold: "Mr.", "O’Neill", "Smith-Jones", "AT&T"
_NP_PUNCT: Final = frozenset({".", "’", "'", "-", "&"})


def _clause_start(toks: list[Tok], end: int) -> int:
    """Where the clause that ends before token ``end`` starts: after ``;`` or ``:``.

    It looks back at most ``_LOOKBACK`` tokens, so reading one cue costs a bounded amount.
    """
    lo = max(0, end - _LOOKBACK)
    for k in range(end - 1, lo - 1, -1):
        if toks[k].text in ";:":
            return k + 1
    return lo


def _rest_is_adverbial(toks: list[Tok], start: int) -> bool:
    """Whether the sentence from token ``start`` on holds adverbials only (a bounded look)."""
    return len(toks) - start <= _LOOKAHEAD and _only_adverbials(toks[start:])


#: the last word of a time phrase measured from another time: "a few days later"
_TIME_AFTER: Final = frozenset({"ago", "later", "earlier", "before"})


def _only_adverbials(toks: list[Tok]) -> bool:
    """Whether what follows a cue adds no content: "on Friday", "in a statement", "."."""
    words = [t for t in toks if t.text[:1].isalnum()]
    if not words:
        return True
    if len(words) > 8 or any(t.lower == "that" for t in words):
        return False
    first = words[0]
    return first.lower in _PREP or first.lower in _TIME or (
        len(words) <= 5 and words[-1].lower in _TIME_AFTER  # "a few days later", "two weeks ago"
    ) or first.text[:1].isupper()


#: words that open a clause of their own: a noun phrase never runs across them
_CLAUSE_WORDS: Final = frozenset({
    "where", "who", "whom", "which", "when", "while", "as", "because", "although", "though",
    "if", "since", "after", "before", "until", "yet", "but", "so",
})
#: words that open an adverbial clause: what they start is no reported content
_ADVERBIAL_OPENERS: Final = ADVERBIAL_SUBORDINATORS


def _adverbial_only(toks: list[Tok], first: int, end: int) -> bool:
    """Whether ``toks[first:end]`` is one adverbial clause and nothing else: "As the mayor
    weighs a veto" is no content of its own; "If it passes, the port closes" is.
    """
    return toks[first].lower in _ADVERBIAL_OPENERS and not any(
        t.text == "," for t in toks[first:end]
    )


def _no_comma_before(text: str, toks: list[Tok], k: int) -> bool:
    """Whether no comma token stands among ``toks[k - 10 : k - 1]``, where the noun phrase
    before the cue at token ``k`` (at most 8 words, or "as" and those words) would have to
    start after one for :func:`_trailing_cue` to read "…, X said".

    A token's text is the document's ``text`` at its offsets, so the text tells at once: the
    tokens themselves are not read.
    """
    return k < 2 or text.find(",", toks[max(0, k - 10)].start, toks[k - 2].end) < 0


#: belief verbs that after their content make an aside ("…, you see", "…, I know"); so does
#: any belief with a pronoun for its subject ("…, I think", "…, she feared"): in news the
#: belief reported after its content is a source's ("…, records show", "…, aides believe")
_ASIDE_BELIEFS: Final = frozenset(
    {"see", "know", "wish", "guess", "understand", "suppose", "imagine"}
)


def _trailing_cue(
    doc: Document, toks: list[Tok], i: int, j: int, info: CueForm
) -> tuple[tuple[int, int], list[Tok], str] | None:
    """Content before its cue: "CONTENT, X said (on Friday)." and "CONTENT, said X."

    Also the parenthetical "CONTENT, X said, CONTENT.", whose content is the whole sentence.
    Returns ``((first, end) token indices of the content, subject tokens, rule)``.

    The shape of the sentence is checked before the subject is read as a mention, which
    costs the most (each test only rejects, so their order does not matter).
    """
    n = len(toks)
    if i > 0 and toks[i - 1].text == ",":  # inverted: "…, said the minister."
        if info.cls in ("T", "B"):
            return None  # "…, told Reuters": who follows "told" is the addressee
        if toks[i - 2 if i >= 2 else 0].text in _CLOSE_MARKS:
            return None  # “…”, said X: the quotation's own cue, for the sieves
        subject = subject_after(toks[j : j + _LOOKAHEAD])
        if not subject:
            return None
        after = j + len(subject)
        appositive = after < n and toks[after].text == ","  # "…, said X, a senior official."
        if not (appositive or _rest_is_adverbial(toks, after)):
            return None
        first = _clause_start(toks, i - 1)
        if i - 1 - first < _MIN_CONTENT_TOKENS or _adverbial_only(toks, first, i - 1):
            return None
        if not can_speak(np_mention(doc, subject, rule="")):
            return None
        return (first, i - 1), subject, "cue-after-content"
    # "…, X said": a short noun phrase between a comma and the cue
    k = i
    while k > 0 and ADVERB[toks[k - 1].lower]:
        k -= 1
    if _no_comma_before(doc.text, toks, k):
        return None  # most cues: the walk below would find no comma to stop at
    s = k
    while s > 0 and k - s < 8:
        t = toks[s - 1]
        if not (t.text[:1].isalnum() or t.text in _NP_PUNCT) or t.lower in _CLAUSE_WORDS:
            break
        s -= 1
    if s < k and s >= 2 and toks[s - 1].lower == "as" and toks[s - 2].text == ",":
        s -= 1  # "…, as the mayor said.": the subject after "as"
        as_clause = True
    else:
        as_clause = False
    if s == k or s == 0 or toks[s - 1].text != ",":
        return None
    if s >= 2 and toks[s - 2].text in _CLOSE_MARKS:
        return None  # “…,” he said: the quotation's own cue, for the sieves
    subject = list(toks[s + 1 : k] if as_clause else toks[s:k])
    if not subject:
        return None
    after_cue = j
    while after_cue < n and ADVERB[toks[after_cue].lower]:
        after_cue += 1  # "the senator said then, …"
    if info.cls == "T":  # "…, X told a Senate panel on Wednesday.": past the addressee
        after_cue = _addressee_end(toks, after_cue) or after_cue
        if info.lemma in _OF_VERBS and after_cue < n and toks[after_cue].lower == "of":
            return None  # "…, and X accused the firm of lying": content of its own
    first = _clause_start(toks, s - 1)
    rest = toks[after_cue : after_cue + _LOOKAHEAD]
    found: tuple[tuple[int, int], list[Tok], str]
    if rest and rest[0].text == "," and len([t for t in rest if t.text[:1].isalnum()]) >= 2:
        if rest[1].text in _OPEN_MARKS:
            # "During the debate, Ruiz said, “…”": the cue of the quotation after it, not a
            # parenthetical with content on both sides ("If it fails, Ruiz argues, there are
            # other tools" is one)
            return None
        end = n
        while end > j and _is_trailing_punct(toks[end - 1]):
            end -= 1
        if end - first - (j - s + 2) < _MIN_CONTENT_TOKENS:
            return None
        found = (first, end), subject, "parenthetical-cue"
    else:
        if s - 1 - first < _MIN_CONTENT_TOKENS or _adverbial_only(toks, first, s - 1):
            return None  # "As the mayor weighs a veto, Ruiz disagrees": an adverbial clause
        if after_cue < n and (toks[after_cue].text == ":" or toks[after_cue].text in _OPEN_MARKS):
            # "Asked about taxes, Ruiz said: …", "…, a man yelled “Stay there!”": the content
            # follows the cue
            return None
        if not _rest_is_adverbial(toks, after_cue):
            return None
        found = (first, s - 1), subject, "cue-after-content"
    if info.cls == "B" and (as_clause or info.lemma in _ASIDE_BELIEFS or (
        any(pronoun(t.lower) is not None for t in subject)  # "and I", "I at first"
    )):
        return None  # "…, as you know", "…, she thought": asides, not a belief reported

    if not can_speak(np_mention(doc, subject, rule="")):
        return None
    return found


#: what may stand between "as" and a subject, or a subject and its cue: "as the paper first
#: reported", "as she has often said"
_AS_SKIP: Final = frozenset({
    "has", "have", "had", "was", "were", "is", "did", "does", "do", "first", "once", "later",
    "also", "recently", "previously", "earlier", "then",
})


#: objects that make "as X said this" a time: "As she said this, she turned"
_DEMONSTRATIVE_OBJECTS: Final = frozenset({"this", "that", "these", "those", "so", "it"})
#: the word "as" (a simple pattern: no backtracking)
_AS_WORD: Final = regex.compile(r"\b[Aa]s\b")
#: cues that in an "as" clause tell a time, not a source
_NOT_AS_REPORT: Final = frozenset(
    {"speak", "talk", "speak out", "chat", "lecture", "answer", "reply"}
)


def _as_clause_cue(
    doc: Document, toks: list[Tok], i: int, j: int, info: CueForm
) -> tuple[tuple[int, int], list[Tok], str] | None:
    """Content after an "as" clause of report: "As the Tribune reported (on Friday), CONTENT"
    and "…; as Ruiz noted, CONTENT". The clause opens the sentence (or follows ``;``, ``(``,
    ``—`` or "and"/"but") and holds only a subject, the cue and adverbials before its comma.

    Returns ``((first, end) token indices of the content, subject tokens, rule)``.
    """
    n = len(toks)
    # most cues have no comma in reach after them, nor "as" before: the text tells at once
    text = doc.text
    if j >= n or text.find(",", toks[j].start, toks[min(n, j + 7) - 1].end) < 0:
        return None
    lo = toks[max(0, i - 11)].start
    if text.find("as ", lo, toks[i].start) < 0 and text.find("As ", lo, toks[i].start) < 0:
        return None
    if _AS_WORD.search(text, lo, toks[i].start) is None:
        return None  # the word "as" (the finds above are cheaper, but also find "has ")
    if info.lemma in _NOT_AS_REPORT:
        return None  # "As he spoke, the crowd fell silent": a time, not a source
    # the comma that closes the clause: right after the cue, or after a short adverbial
    k = j
    if info.cls == "T":
        k = _addressee_end(toks, k) or k  # "As he told reporters, …"
    comma = None
    for m in range(k, min(n, k + 7)):
        if toks[m].text == ",":
            comma = m
            break
        if not _is_word(toks[m]):
            return None
    if comma is None or comma + _MIN_CONTENT_TOKENS >= n or (
        comma > k and (toks[k].lower in _DEMONSTRATIVE_OBJECTS
                       or not _only_adverbials(toks[k:comma]))
    ):
        return None  # not "As she said this, she turned": an object, and a time
    # "as", then the subject, then the cue
    a = i - 1
    while a >= 0 and (ADVERB[toks[a].lower] or toks[a].lower in _AS_SKIP):
        a -= 1
    end_subject = a + 1
    while a >= 0 and i - a <= 10 and toks[a].lower != "as":
        t = toks[a]
        if not (_is_word(t) or t.text in _NP_PUNCT) or t.lower in _CLAUSE_WORDS:
            return None
        a -= 1
    if a < 0 or toks[a].lower != "as" or end_subject - a < 2:
        return None
    if a > 0 and not (toks[a - 1].text in (";", "(", "—", "–", "--") or (
        toks[a - 1].lower in ("and", "but") and (a == 1 or toks[a - 2].text in (",", ";"))
    )):
        return None  # "…, as the mayor said" is read by _trailing_cue; "so far as" is not this
    subject = list(toks[a + 1 : end_subject])
    start = comma + 1
    end = next((m for m in range(start, n) if toks[m].text == ";"), n)
    while end > start and _is_trailing_punct(toks[end - 1]):
        end -= 1
    if toks[start].lower in _CONJ_WORDS or toks[start].lower in _PREP or (
        end - start < _MIN_CONTENT_TOKENS or not _has_finite_verb(toks[start:end])
    ):
        return None  # the content is a clause: not "…, with the air of a man wronged"
    if not _noun_phrase_shape(subject) or not can_speak(np_mention(doc, subject, rule="")):
        return None
    return (start, end), subject, "as-clause"


def _bare_source(toks: list[Tok]) -> list[Tok]:
    """ "according to police", "according to exit polls": words up to the punctuation; up to
    ``_LONG_SOURCE`` words where a comma, a full stop or a closing bracket ends them
    ("according to early results of exit polls conducted for the AP and networks, …").
    """
    out: list[Tok] = []
    for t in toks:
        if not t.text[:1].isalnum():
            if len(out) > 6 and t.text not in (",", ".", ")", ";"):
                return []
            break
        out.append(t)
    else:
        if len(out) > 6:
            return []  # no punctuation in reach
    return out if 0 < len(out) <= _LONG_SOURCE else []


#: the most words a source of "according to" without a name may have
_LONG_SOURCE: Final = 16


def _source_end(toks: list[Tok], k: int) -> int:
    """Where the source of "according to" ends: past "of …" and "by …" phrases that extend
    it ("according to a summary of its inquiry, …"), at the comma that ends it, if it comes
    within a few words; else at ``k``.
    """
    for m in range(k, min(len(toks), k + _LOOKAHEAD)):
        t = toks[m]
        if t.text == ",":
            return m
        if not (_is_word(t) or t.text in "'’-./"):
            break
    return k


def _according_to(
    doc: Document,
    toks: list[Tok],
    i: int,
    j: int,
    quote_at: Callable[[int], tuple[int, int] | None],
) -> Quote | None:
    """ "According to X, …" and "…, according to X"."""
    cue = make_cue(doc, toks[i].start, toks[j - 1].end)
    source = subject_after(toks[j : j + _LOOKAHEAD]) or _bare_source(
        toks[j : j + _LONG_SOURCE + 1]
    )
    if not source:
        return None
    after = _source_end(toks, j + len(source))
    prev = toks[i - 1] if i > 0 else None
    whole = prev is not None and prev.text == "," and after + 1 < len(toks) and (
        toks[after].text == ","
    )
    if whole:
        prev = None  # "Since May, according to X, CONTENT": the opening phrase is content too
    bracket = prev is not None and prev.text == "(" and not whole
    if prev is None or bracket or (prev.lower in ("and", "but") and i == 1):
        # According to X, CONTENT.  (and "(According to X, CONTENT.)")
        if after >= len(toks) or toks[after].text != ",":
            return None
        start = after + 1
        end = len(toks)
        if bracket:
            end = next((m for m in range(start, end) if toks[m].text == ")"), end)
        while end > start and _is_trailing_punct(toks[end - 1]):
            end -= 1
        if end - start < _MIN_CONTENT_TOKENS and toks[start].text not in _OPEN_MARKS:
            return None
        if whole:
            start = _clause_start(toks, i)  # the opening phrase belongs to the content
        span = span_of(doc, *_widen_to_quotes(toks[start].start, toks[end - 1].end, quote_at))
    elif prev.text == "," or (
        _is_word(prev) and i >= _MIN_CONTENT_TOKENS and after < len(toks)
        and _only_adverbials(toks[after:])
    ):
        # CONTENT, according to X. (and, without the comma, CONTENT according to X.)
        if prev.text != ",":
            i += 1  # no comma to step over
        start = 0
        for k in range(i - 2, -1, -1):
            if toks[k].text in ";:":
                start = k + 1
                break
        if i - 1 - start < _MIN_CONTENT_TOKENS:
            return None
        span = span_of(doc, *_widen_to_quotes(toks[start].start, toks[i - 2].end, quote_at))
    else:
        return None
    return trusted.quote(
        span, "indirect", (), cue, span_of(doc, source[0].start, source[-1].end),
        "according-to", False,
    )
