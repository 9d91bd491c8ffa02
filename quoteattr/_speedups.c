/* quoteattr._speedups: hot loops of the built-in rules, in C, for the compiled build.
 *
 * Each has a definition in Python that the pure-Python build runs, and tests that hold the
 * two to the same results (tests/test_speedups.py):
 *
 * - tokens(): the tokenizer. quoteattr.default.grammar defines tokens by a pattern (_TOKEN)
 *   and cuts a text into them with a regular-expression split. This function makes the same
 *   tokens in one pass over the characters: the split, the offsets, the lower-case forms and
 *   the token tuples were about a fifth of the time of the whole pipeline on news, most of it
 *   spent making objects that are thrown away.
 * - record(): a record of the model (quoteattr.model), made as quoteattr.trusted makes it
 *   in Python (object.__new__, then each slot set through its descriptor) without a call
 *   through a descriptor for each field. The rules make a few hundred thousand spans and
 *   mentions in ten megabytes of news.
 * - boundaries(): the sentence boundaries of quoteattr.text's pattern (_BOUNDARY), found in
 *   one pass over the characters instead of a regular-expression search from each mark and a
 *   match object for each boundary (see the function).
 * - json_fields(): where a JSONL line's "doc_id" and "text" values are, the line checked to
 *   be JSON without building the values that the reader does not use (see the function).
 * - result_json(): the JSON line of a result, written into one buffer (see the function).
 * - picked(): the tokens of a sentence that a rule reads (a word of a list, or a capital), out
 *   of every token, without a Python-level test of each.
 * - words(): the words of a quotation as quoteattr.default.quotes's word pattern (_WORDS)
 *   finds them, without the cost of a pattern call for each quotation (a text of dialogue
 *   has one every few words).
 *
 * tokens(text, start, end, most, tok, classes) -> (toks, starts, stops) | None
 *
 *   text     a str; None is returned when the stretch holds a character beyond the BMP (the
 *            caller then uses the pattern: the classes table covers the BMP only)
 *   start, end
 *            the stretch text[start:end] to tokenize, cut as if it were a string of its own
 *            (nothing before start or from end on is looked at)
 *   most     how many tokens to make at most, or 0 for all of them
 *   tok      the token type: a subclass of tuple, made with four items (text, start, end,
 *            lower), as grammar.Tok
 *   classes  65,536 bytes, one for each BMP code point: the OR of the flags below, made from
 *            the `regex` module's classes so that both ways agree on the Unicode version
 *
 *   toks     the tokens, in order
 *   starts   each token's start (the same int objects as in the tokens)
 *   stops    the indexes in toks of the tokens that are a full stop alone, for the caller's
 *            joining of abbreviations ("Mr" "." -> "Mr.")
 *
 * The tokens, one alternative a kind, tried in this order at each character that is not
 * white space (as _TOKEN's alternatives are):
 *
 *   (?:\p{L}\.){2,}                      dotted initials: U.S., a.m.
 *   \p{Lu}\.(?=\s+\p{Lu})                a middle initial: George W. Bush
 *   \p{L}[\p{L}\p{M}\p{N}]*(?:['’\-]\p{L}[\p{L}\p{M}\p{N}]*)*    a word
 *   \p{N}+(?:[.,:]\p{N}+)*               a number: 3.5, 10,000, 10:30
 *   \S                                   any other character on its own
 *
 * Each alternative is read left to right and never backs up by more than the one character
 * it looked ahead at, so a stretch costs time in proportion to its length.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>

/* the classes table's flags */
#define C_LETTER 1
#define C_UPPER 2
#define C_MARK 4
#define C_NUMBER 8
#define C_SPACE 16

#define WORD_CHAR (C_LETTER | C_MARK | C_NUMBER)

static PyObject *str_lower; /* "lower", for str.lower() of a word with non-ASCII letters */

/* The lower-case form of text[a:b] (the token `word`): the word itself when it has nothing to
 * lower (as the value str.lower() would make: the same characters), a new ASCII string when
 * the word is ASCII, and str.lower() otherwise. */
static PyObject *
lower_of(PyObject *word, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    int upper = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 128) {
            return PyObject_CallMethodNoArgs(word, str_lower);
        }
        if (c >= 'A' && c <= 'Z') {
            upper = 1;
        }
    }
    if (!upper) {
        Py_INCREF(word);
        return word;
    }
    PyObject *low = PyUnicode_New(b - a, 127);
    if (low == NULL) {
        return NULL;
    }
    Py_UCS1 *out = PyUnicode_1BYTE_DATA(low);
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        out[i - a] = (Py_UCS1)((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
    }
    return low;
}

/* The words of one call, so that a word the text repeats is one string object, not a new
 * one for each time it occurs, with one lower-case form: in news about half the tokens repeat
 * a word of the same document ("the", "said", the names), and making, hashing and freeing a
 * string for each was a good share of the time of tokenizing and of the set and dict look-ups
 * of the rules after it (a string's hash is computed once, then kept in the string).
 *
 * An open-addressing table of the words seen, keyed by their characters: an entry holds where
 * the word first occurred (to compare the characters of the text there) and the two strings,
 * borrowed from that occurrence's token, which the list of tokens keeps alive for the call.
 * It grows by doubling at half full, so its size and the time to fill it are in proportion
 * to the number of tokens. Words longer than WORDS_LONGEST are not kept (rarely repeated). */
typedef struct {
    Py_ssize_t at;  /* where the word first occurred; -1: an empty slot */
    Py_ssize_t len;
    Py_uhash_t hash;
    PyObject *word; /* borrowed */
    PyObject *low;  /* borrowed */
} WordEntry;

typedef struct {
    WordEntry *slots;
    size_t mask;
    size_t used;
} Words;

#define WORDS_LONGEST 40
#define WORDS_FIRST_SIZE 1024

static int
words_init(Words *w)
{
    w->slots = PyMem_Malloc(WORDS_FIRST_SIZE * sizeof(WordEntry));
    if (w->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < WORDS_FIRST_SIZE; i++) {
        w->slots[i].at = -1;
    }
    w->mask = WORDS_FIRST_SIZE - 1;
    w->used = 0;
    return 0;
}

static void
words_free(Words *w)
{
    PyMem_Free(w->slots);
    w->slots = NULL;
}

static Py_uhash_t
words_hash(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    Py_uhash_t h = 14695981039346656037ULL; /* FNV-1a, over the code points */
    for (Py_ssize_t i = a; i < b; i++) {
        h = (h ^ PyUnicode_READ(kind, data, i)) * 1099511628211ULL;
    }
    return h;
}

/* The slot of the word text[a:b] (whose hash is h): the entry holding it, or the empty slot
 * where it goes. */
static WordEntry *
words_slot(Words *w, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_uhash_t h)
{
    Py_ssize_t len = b - a;
    size_t i = (size_t)h & w->mask;
    for (;;) {
        WordEntry *e = &w->slots[i];
        if (e->at < 0) {
            return e;
        }
        if (e->hash == h && e->len == len
            && memcmp((const char *)data + e->at * kind, (const char *)data + a * kind,
                      (size_t)len * kind) == 0) {
            return e;
        }
        i = (i + 1) & w->mask;
    }
}

/* Keep a new word in its empty slot e, growing the table when it gets half full. */
static int
words_add(Words *w, WordEntry *e, Py_ssize_t a, Py_ssize_t b, Py_uhash_t h, PyObject *word,
          PyObject *low)
{
    e->at = a;
    e->len = b - a;
    e->hash = h;
    e->word = word;
    e->low = low;
    w->used++;
    if (w->used * 2 <= w->mask + 1) {
        return 0;
    }
    size_t size = (w->mask + 1) * 2;
    WordEntry *old = w->slots;
    size_t old_size = w->mask + 1;
    WordEntry *slots = PyMem_Malloc(size * sizeof(WordEntry));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < size; i++) {
        slots[i].at = -1;
    }
    for (size_t k = 0; k < old_size; k++) {
        if (old[k].at >= 0) {
            size_t i = (size_t)old[k].hash & (size - 1);
            while (slots[i].at >= 0) {
                i = (i + 1) & (size - 1);
            }
            slots[i] = old[k];
        }
    }
    PyMem_Free(old);
    w->slots = slots;
    w->mask = size - 1;
    return 0;
}

/* Append the token text[a:b] to toks (and its start to starts). `last` is the int object of
 * the previous token's end (or NULL), which is this one's start when the two touch ("said,"):
 * the object is shared. */
static int
emit(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b,
     PyTypeObject *tok, PyObject *toks, PyObject *starts, Words *words, PyObject **last_end)
{
    PyObject *word, *low;
    WordEntry *slot = NULL;
    Py_uhash_t h = 0;
    if (b - a <= WORDS_LONGEST) {
        h = words_hash(kind, data, a, b);
        slot = words_slot(words, kind, data, a, b, h);
    }
    if (slot != NULL && slot->at >= 0) {
        word = slot->word;
        low = slot->low;
        Py_INCREF(word);
        Py_INCREF(low);
    }
    else {
        word = PyUnicode_Substring(text, a, b);
        if (word == NULL) {
            return -1;
        }
        low = lower_of(word, kind, data, a, b);
        if (low == NULL) {
            Py_DECREF(word);
            return -1;
        }
        if (slot != NULL && words_add(words, slot, a, b, h, word, low) < 0) {
            Py_DECREF(word);
            Py_DECREF(low);
            return -1;
        }
    }
    PyObject *first;
    if (*last_end != NULL && PyLong_AsSsize_t(*last_end) == a) {
        first = *last_end;
        Py_INCREF(first);
    }
    else {
        first = PyLong_FromSsize_t(a);
    }
    PyObject *last = PyLong_FromSsize_t(b);
    if (first == NULL || last == NULL) {
        goto fail;
    }
    if (PyList_Append(starts, first) < 0) {
        goto fail;
    }
    /* tp_alloc of a tuple subclass: the items zeroed, filled below before any other call */
    PyObject *made = tok->tp_alloc(tok, 4);
    if (made == NULL) {
        goto fail;
    }
    PyTuple_SET_ITEM(made, 0, word);
    PyTuple_SET_ITEM(made, 1, first);
    PyTuple_SET_ITEM(made, 2, last);
    PyTuple_SET_ITEM(made, 3, low);
    *last_end = last; /* borrowed: the token holds it */
    int appended = PyList_Append(toks, made);
    Py_DECREF(made);
    return appended;
fail:
    Py_DECREF(word);
    Py_DECREF(low);
    Py_XDECREF(first);
    Py_XDECREF(last);
    return -1;
}

/* The end of a run of characters of the class `run` from r on, where one of the three
 * `joiners` followed by a character of the class `then` goes on with the run: a word's inner
 * apostrophes and hyphens, a number's stops, commas and colons. */
static inline Py_ssize_t
joined_run(int kind, const void *data, const unsigned char *classes, Py_ssize_t r,
           Py_ssize_t end, unsigned char run, const Py_UCS4 joiners[3], unsigned char then)
{
    for (;;) {
        while (r < end && (classes[PyUnicode_READ(kind, data, r)] & run)) {
            r++;
        }
        if (r + 1 < end) {
            Py_UCS4 c = PyUnicode_READ(kind, data, r);
            if ((c == joiners[0] || c == joiners[1] || c == joiners[2])
                && (classes[PyUnicode_READ(kind, data, r + 1)] & then)) {
                r += 2;
                continue;
            }
        }
        return r;
    }
}

static const Py_UCS4 WORD_JOINERS[3] = {'\'', 0x2019, '-'};
static const Py_UCS4 NUMBER_JOINERS[3] = {'.', ',', ':'};

/* The end of the token that starts at p, a character that is not white space. */
static Py_ssize_t
token_end(int kind, const void *data, const unsigned char *classes, Py_ssize_t p,
          Py_ssize_t end)
{
#define AT(i) PyUnicode_READ(kind, data, (i))
#define CLASS(i) classes[AT(i)]
    unsigned char f = CLASS(p);
    Py_ssize_t r;
    if (f & C_LETTER) {
        if (p + 1 < end && AT(p + 1) == '.') {
            /* dotted initials: two letter-and-stop pairs or more, as many as there are */
            r = p + 2;
            while (r + 1 < end && (CLASS(r) & C_LETTER) && AT(r + 1) == '.') {
                r += 2;
            }
            if (r > p + 2) {
                return r;
            }
            /* a middle initial: a capital and its stop, then white space and a capital */
            if (f & C_UPPER) {
                r = p + 2;
                while (r < end && (CLASS(r) & C_SPACE)) {
                    r++;
                }
                if (r > p + 2 && r < end && (CLASS(r) & C_UPPER)) {
                    return p + 2;
                }
            }
        }
        /* a word: letters, marks and digits, joined by an apostrophe or hyphen before a
         * letter */
        return joined_run(kind, data, classes, p + 1, end, WORD_CHAR, WORD_JOINERS, C_LETTER);
    }
    if (f & C_NUMBER) {
        /* a number: digits, joined by a stop, comma or colon before a digit */
        return joined_run(kind, data, classes, p + 1, end, C_NUMBER, NUMBER_JOINERS, C_NUMBER);
    }
    return p + 1; /* any other character on its own */
#undef CLASS
#undef AT
}

/* A stretch text[start:end] that tokens() and words() read, with the class table. */
typedef struct {
    PyObject *text;
    Py_ssize_t start, end;
    int kind;
    const void *data;
    const unsigned char *classes;
} Stretch;

/* Read the text, start and end arguments (args[0..2]) of the function `name`: 0, or -1 with an
 * exception set. */
static int
stretch_arguments(const char *name, PyObject *const *args, Stretch *s)
{
    s->text = args[0];
    if (!PyUnicode_Check(s->text)) {
        PyErr_Format(PyExc_TypeError, "%s(): the text must be a str", name);
        return -1;
    }
    s->start = PyLong_AsSsize_t(args[1]);
    if (s->start == -1 && PyErr_Occurred()) {
        return -1;
    }
    s->end = PyLong_AsSsize_t(args[2]);
    if (s->end == -1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* Check the class table and the stretch's bounds, and read the text's kind and data: 1 when the
 * stretch can be read, 0 when it holds a character beyond the BMP (the table covers the BMP
 * only: the caller returns None and its pattern reads the stretch; nothing outside the stretch
 * is read), -1 with an exception set. */
static int
stretch_readable(const char *name, PyObject *classes, Stretch *s)
{
    if (!PyBytes_Check(classes) || PyBytes_GET_SIZE(classes) != 0x10000) {
        PyErr_Format(PyExc_ValueError, "%s(): the classes must be 65536 bytes", name);
        return -1;
    }
    s->classes = (const unsigned char *)PyBytes_AS_STRING(classes);
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s->text) < 0) {
        return -1;
    }
#endif
    s->kind = PyUnicode_KIND(s->text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(s->text);
    if (s->start < 0 || s->end > length || s->start > s->end) {
        PyErr_Format(PyExc_ValueError, "%s(): no stretch [%zd, %zd) in a text of %zd", name,
                     s->start, s->end, length);
        return -1;
    }
    s->data = PyUnicode_DATA(s->text);
    if (s->kind == PyUnicode_4BYTE_KIND) {
        for (Py_ssize_t i = s->start; i < s->end; i++) {
            if (PyUnicode_READ(s->kind, s->data, i) > 0xFFFF) {
                return 0;
            }
        }
    }
    return 1;
}

static PyObject *
tokens(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 6) {
        PyErr_Format(PyExc_TypeError, "tokens() takes 6 arguments (%zd given)", nargs);
        return NULL;
    }
    Stretch stretch;
    if (stretch_arguments("tokens", args, &stretch) < 0) {
        return NULL;
    }
    Py_ssize_t most = PyLong_AsSsize_t(args[3]);
    if (most == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (!PyType_Check(args[4]) || !PyType_IsSubtype((PyTypeObject *)args[4], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "tokens(): the token type must be a tuple subclass");
        return NULL;
    }
    PyTypeObject *tok = (PyTypeObject *)args[4];
    int readable = stretch_readable("tokens", args[5], &stretch);
    if (readable <= 0) {
        if (readable < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *text = stretch.text;
    Py_ssize_t start = stretch.start, end = stretch.end;
    int kind = stretch.kind;
    const void *data = stretch.data;
    const unsigned char *classes = stretch.classes;
    Words words;
    if (words_init(&words) < 0) {
        return NULL;
    }
    PyObject *last_end = NULL; /* the int of the previous token's end, borrowed */
    PyObject *toks = PyList_New(0);
    PyObject *starts = PyList_New(0);
    PyObject *stops = PyList_New(0);
    if (toks == NULL || starts == NULL || stops == NULL) {
        goto fail;
    }
    Py_ssize_t p = start;
    while (p < end) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (classes[c] & C_SPACE) {
            p++;
            continue;
        }
        if (most > 0 && PyList_GET_SIZE(toks) == most) {
            break;
        }
        Py_ssize_t q = token_end(kind, data, classes, p, end);
        if (c == '.' && q == p + 1) {
            PyObject *index = PyLong_FromSsize_t(PyList_GET_SIZE(toks));
            if (index == NULL) {
                goto fail;
            }
            int appended = PyList_Append(stops, index);
            Py_DECREF(index);
            if (appended < 0) {
                goto fail;
            }
        }
        if (emit(text, kind, data, p, q, tok, toks, starts, &words, &last_end) < 0) {
            goto fail;
        }
        p = q;
    }
    words_free(&words);
    PyObject *out = PyTuple_Pack(3, toks, starts, stops);
    Py_DECREF(toks);
    Py_DECREF(starts);
    Py_DECREF(stops);
    return out;
fail:
    words_free(&words);
    Py_XDECREF(toks);
    Py_XDECREF(starts);
    Py_XDECREF(stops);
    return NULL;
}

/* boundaries(text, classes) -> [a, b, c, d, a, b, c, d, ...]
 *
 * The sentence boundaries of quoteattr.text._BOUNDARY, found as its finditer() over the whole
 * text finds them: a run of final punctuation [.!?…] not preceded by one (a..b), the closing
 * quotation marks and brackets after it (b..c), and the white space after those (c..d, at
 * least one character); four ints a boundary, in text order. `classes` is the tokenizer's
 * table, of which only the white-space flag is read (white space is all in the BMP: a
 * character beyond it is none).
 *
 * The pattern takes the punctuation possessively and the marks and the white space greedily;
 * the three sets are disjoint, so a match is the maximal run of each, and where the marks are
 * not followed by white space there is no match at that run at all (nor inside it: the look-
 * behind refuses every later start in the run). One pass over the characters. */
static int
is_final_punct(Py_UCS4 c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

static int
is_closing_mark(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201d || c == 0x2019 || c == 0x00bb || c == 0x203a
           || c == ')' || c == ']';
}

static int
append_int(PyObject *list, Py_ssize_t value)
{
    PyObject *v = PyLong_FromSsize_t(value);
    if (v == NULL) {
        return -1;
    }
    int appended = PyList_Append(list, v);
    Py_DECREF(v);
    return appended;
}

static PyObject *
boundaries(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "boundaries() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "boundaries(): the text must be a str");
        return NULL;
    }
    if (!PyBytes_Check(args[1]) || PyBytes_GET_SIZE(args[1]) != 0x10000) {
        PyErr_SetString(PyExc_ValueError, "boundaries(): the classes must be 65536 bytes");
        return NULL;
    }
    const unsigned char *classes = (const unsigned char *)PyBytes_AS_STRING(args[1]);
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
#define SPACE(c) ((c) < 0x10000 && (classes[(c)] & C_SPACE))
    Py_ssize_t p = 0;
    while (p < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (!is_final_punct(c)) {
            p++;
            continue;
        }
        /* p opens a run: the character before it is no final punctuation (a run is read
         * whole below, and a match ends in white space) */
        Py_ssize_t a = p, b = p + 1;
        while (b < n && is_final_punct(PyUnicode_READ(kind, data, b))) {
            b++;
        }
        Py_ssize_t c2 = b;
        while (c2 < n && is_closing_mark(PyUnicode_READ(kind, data, c2))) {
            c2++;
        }
        Py_ssize_t d = c2;
        while (d < n && SPACE(PyUnicode_READ(kind, data, d))) {
            d++;
        }
        if (d == c2) {
            p = c2 > b ? c2 : b; /* no boundary here; nothing before c2 opens one */
            continue;
        }
        if (append_int(out, a) < 0 || append_int(out, b) < 0 || append_int(out, c2) < 0
            || append_int(out, d) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        p = d;
    }
#undef SPACE
    return out;
}

/* picked(toks, words, capitals) -> [k, ...]
 *
 * The indexes of the tokens whose lower-case form (item 3) is one of `words` (a set or
 * frozenset) or, when `capitals` is true, whose text (item 0) starts with a capital
 * (str.isupper() of its first character): the tokens that a rule reads, out of every token of
 * a sentence (quoteattr.default.grammar.picked() is the definition). */
static PyObject *
picked(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "picked() takes 3 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *toks = args[0], *words = args[1];
    if (!PyList_Check(toks)) {
        PyErr_SetString(PyExc_TypeError, "picked(): the tokens must be a list");
        return NULL;
    }
    if (!PyAnySet_Check(words)) {
        PyErr_SetString(PyExc_TypeError, "picked(): the words must be a set or frozenset");
        return NULL;
    }
    int capitals = PyObject_IsTrue(args[2]);
    if (capitals < 0) {
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(toks); k++) {
        PyObject *t = PyList_GET_ITEM(toks, k);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 4
            || !PyUnicode_Check(PyTuple_GET_ITEM(t, 0))
            || !PyUnicode_Check(PyTuple_GET_ITEM(t, 3))) {
            PyErr_SetString(PyExc_TypeError,
                            "picked(): a token must be a tuple (text, start, end, lower)");
            goto fail;
        }
        int take = 0;
        if (capitals) {
            PyObject *text = PyTuple_GET_ITEM(t, 0);
#if PY_VERSION_HEX < 0x030C0000
            if (PyUnicode_READY(text) < 0) {
                goto fail;
            }
#endif
            if (PyUnicode_GET_LENGTH(text) == 0) {
                PyErr_SetString(PyExc_ValueError, "picked(): a token's text is empty");
                goto fail;
            }
            take = Py_UNICODE_ISUPPER(PyUnicode_READ_CHAR(text, 0));
        }
        if (!take) {
            take = PySet_Contains(words, PyTuple_GET_ITEM(t, 3));
            if (take < 0) {
                goto fail;
            }
        }
        if (take && append_int(out, k) < 0) {
            goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* words(text, start, end, classes) -> [word, ...] | None
 *
 * The words of text[start:end] as findall() of quoteattr.default.quotes's pattern
 * \p{L}[\p{L}\p{M}'’\-]* finds them: a letter, then every letter, mark, apostrophe or hyphen
 * after it. None when the stretch holds a character beyond the BMP (the classes table covers
 * the BMP only: the caller then uses the pattern). One pass over the characters. */
static PyObject *
words(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "words() takes 4 arguments (%zd given)", nargs);
        return NULL;
    }
    Stretch stretch;
    if (stretch_arguments("words", args, &stretch) < 0) {
        return NULL;
    }
    int readable = stretch_readable("words", args[3], &stretch);
    if (readable <= 0) {
        if (readable < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *text = stretch.text;
    Py_ssize_t end = stretch.end;
    int kind = stretch.kind;
    const void *data = stretch.data;
    const unsigned char *classes = stretch.classes;
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t i = stretch.start;
    while (i < end) {
        if (!(classes[PyUnicode_READ(kind, data, i)] & C_LETTER)) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < end) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (!((classes[c] & (C_LETTER | C_MARK)) || c == '\'' || c == 0x2019 || c == '-')) {
                break;
            }
            j++;
        }
        PyObject *word = PyUnicode_Substring(text, i, j);
        if (word == NULL || PyList_Append(out, word) < 0) {
            Py_XDECREF(word);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(word);
        i = j;
    }
    return out;
}

/* json_fields(line) -> (doc_id_at, text_at) | None
 *
 * Where the values of the keys "doc_id" and "text" of a JSONL line's object start (the last of
 * each, as json.loads keeps the last of a repeated key; -1 for a key the object lacks), having
 * checked that the whole line is one JSON object with white space around it. Reading a corpus
 * line with json.loads builds every value of it (a corpus's annotations are often most of the
 * line); this reads them without building anything, and the caller decodes just the two
 * strings with json's own scanstring.
 *
 * None when the line is not plainly such an object, and the caller then reads it with
 * json.loads, which gives its value or its error as ever. The check accepts a subset of what
 * json.loads accepts, never more: RFC 8259 JSON (no NaN or Infinity), objects and arrays at
 * most JSON_DEPTH deep, top-level keys without escapes. */
#define JSON_DEPTH 200

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} JsonText;

#define JAT(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static Py_ssize_t
json_ws(const JsonText *t, Py_ssize_t p)
{
    while (p < t->n) {
        Py_UCS4 c = JAT(t, p);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        p++;
    }
    return p;
}

static int
is_hex(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The end of the string whose opening quotation mark is at p, or -1; *escaped is set when it
 * holds an escape. */
static Py_ssize_t
json_string(const JsonText *t, Py_ssize_t p, int *escaped)
{
    p++;
    while (p < t->n) {
        Py_UCS4 c = JAT(t, p);
        if (c == '"') {
            return p + 1;
        }
        if (c < 0x20) {
            return -1; /* json.loads refuses a control character in a string */
        }
        if (c == '\\') {
            *escaped = 1;
            if (p + 1 >= t->n) {
                return -1;
            }
            Py_UCS4 e = JAT(t, p + 1);
            if (e == 'u') {
                if (p + 5 >= t->n || !is_hex(JAT(t, p + 2)) || !is_hex(JAT(t, p + 3))
                    || !is_hex(JAT(t, p + 4)) || !is_hex(JAT(t, p + 5))) {
                    return -1;
                }
                p += 6;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n'
                && e != 'r' && e != 't') {
                return -1;
            }
            p += 2;
            continue;
        }
        p++;
    }
    return -1;
}

static Py_ssize_t
json_digits(const JsonText *t, Py_ssize_t p)
{
    while (p < t->n && JAT(t, p) >= '0' && JAT(t, p) <= '9') {
        p++;
    }
    return p;
}

static Py_ssize_t
json_number(const JsonText *t, Py_ssize_t p)
{
    if (JAT(t, p) == '-') {
        p++;
    }
    if (p >= t->n) {
        return -1;
    }
    if (JAT(t, p) == '0') {
        p++;
    }
    else if (JAT(t, p) >= '1' && JAT(t, p) <= '9') {
        p = json_digits(t, p);
    }
    else {
        return -1;
    }
    if (p < t->n && JAT(t, p) == '.') {
        Py_ssize_t q = json_digits(t, p + 1);
        if (q == p + 1) {
            return -1;
        }
        p = q;
    }
    if (p < t->n && (JAT(t, p) == 'e' || JAT(t, p) == 'E')) {
        p++;
        if (p < t->n && (JAT(t, p) == '+' || JAT(t, p) == '-')) {
            p++;
        }
        Py_ssize_t q = json_digits(t, p);
        if (q == p) {
            return -1;
        }
        p = q;
    }
    return p;
}

static Py_ssize_t
json_literal(const JsonText *t, Py_ssize_t p, const char *word)
{
    for (; *word; word++, p++) {
        if (p >= t->n || JAT(t, p) != (Py_UCS4)(unsigned char)*word) {
            return -1;
        }
    }
    return p;
}

static int
json_key_is(const JsonText *t, Py_ssize_t p, Py_ssize_t end, const char *word)
{
    /* the key's characters are p+1 .. end-2 (no escapes) */
    Py_ssize_t len = end - p - 2;
    if (len != (Py_ssize_t)strlen(word)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (JAT(t, p + 1 + i) != (Py_UCS4)(unsigned char)word[i]) {
            return 0;
        }
    }
    return 1;
}

/* The end of the value at p (no white space before it), or -1. At depth 0 (the line's own
 * object) the positions of the values of "doc_id" and "text" are kept in at[0], at[1]; an
 * escaped key there makes the line one for json.loads (-2). */
static Py_ssize_t
json_value(const JsonText *t, Py_ssize_t p, int depth, Py_ssize_t at[2])
{
    if (p >= t->n) {
        return -1;
    }
    Py_UCS4 c = JAT(t, p);
    int escaped = 0;
    switch (c) {
    case '"':
        return json_string(t, p, &escaped);
    case 't':
        return json_literal(t, p, "true");
    case 'f':
        return json_literal(t, p, "false");
    case 'n':
        return json_literal(t, p, "null");
    case '[':
    case '{':
        break;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            return json_number(t, p);
        }
        return -1;
    }
    if (depth >= JSON_DEPTH) {
        return -1;
    }
    Py_UCS4 close = c == '[' ? ']' : '}';
    p = json_ws(t, p + 1);
    if (p < t->n && JAT(t, p) == close) {
        return p + 1;
    }
    for (;;) {
        if (c == '{') {
            if (p >= t->n || JAT(t, p) != '"') {
                return -1;
            }
            escaped = 0;
            Py_ssize_t key_end = json_string(t, p, &escaped);
            if (key_end < 0) {
                return -1;
            }
            int which = -1;
            if (depth == 0) {
                if (escaped) {
                    return -2;
                }
                which = json_key_is(t, p, key_end, "doc_id") ? 0
                        : json_key_is(t, p, key_end, "text") ? 1 : -1;
            }
            p = json_ws(t, key_end);
            if (p >= t->n || JAT(t, p) != ':') {
                return -1;
            }
            p = json_ws(t, p + 1);
            if (which >= 0) {
                at[which] = p;
            }
        }
        p = json_value(t, p, depth + 1, at);
        if (p < 0) {
            return p;
        }
        p = json_ws(t, p);
        if (p >= t->n) {
            return -1;
        }
        Py_UCS4 d = JAT(t, p);
        if (d == close) {
            return p + 1;
        }
        if (d != ',') {
            return -1;
        }
        p = json_ws(t, p + 1);
    }
}

static PyObject *
json_fields(PyObject *module, PyObject *arg)
{
    (void)module;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "json_fields(): the line must be a str");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(arg) < 0) {
        return NULL;
    }
#endif
    JsonText t = {PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg)};
    Py_ssize_t at[2] = {-1, -1};
    Py_ssize_t p = json_ws(&t, 0);
    if (p >= t.n || JAT(&t, p) != '{') {
        Py_RETURN_NONE;
    }
    p = json_value(&t, p, 0, at);
    if (p < 0 || json_ws(&t, p) != t.n) {
        Py_RETURN_NONE;
    }
    return Py_BuildValue("(nn)", at[0], at[1]);
}
#undef JAT

/* result_json(result, classes) -> str | None
 *
 * quoteattr.default.jsontext.result_json() in C, which is its definition: the line of JSON of
 * a Result, exactly as json.dumps(result.to_dict(), ensure_ascii=False) writes it, or None when
 * the result is not made of the model's own classes and plain values (the caller then writes
 * it by to_dict). `classes` is (Result, Attribution, Cue, Speaker, Entity, Span). The text is
 * written into one buffer, with json's own escaping (`"`, backslash and the control
 * characters; nothing else), instead of a string for each value, field and record: the output
 * of a news corpus is twice the size of its text, and writing it took as long as a twentieth
 * of attributing it. */
enum { J_RESULT, J_ATTRIBUTION, J_CUE, J_SPEAKER, J_ENTITY, J_SPAN };

/* the fields read, each of one class */
enum {
    F_SPAN_START, F_SPAN_END, F_SPAN_TEXT, F_RESULT_DOC_ID, F_RESULT_ATTRIBUTIONS,
    F_RESULT_ENTITIES, F_A_CONTENT, F_A_TYPE, F_A_FRAGMENTS, F_A_CUE, F_A_SPEAKER,
    F_A_CONFIDENCE, F_A_SIEVE, F_A_RULE, F_CUE_SPAN, F_CUE_LEMMA, F_SPEAKER_NAME,
    F_SPEAKER_MENTION, F_SPEAKER_ENTITY, F_SPEAKER_KIND, F_ENTITY_ID, F_ENTITY_NAME,
    F_ENTITY_KIND, F_ENTITY_GENDER, F_ENTITY_MENTIONS, N_FIELDS
};

static const struct {
    int cls;
    const char *name;
} FIELDS[N_FIELDS] = {
    {J_SPAN, "start"}, {J_SPAN, "end"}, {J_SPAN, "text"}, {J_RESULT, "doc_id"},
    {J_RESULT, "attributions"}, {J_RESULT, "entities"}, {J_ATTRIBUTION, "content"},
    {J_ATTRIBUTION, "type"}, {J_ATTRIBUTION, "fragments"}, {J_ATTRIBUTION, "cue"},
    {J_ATTRIBUTION, "speaker"}, {J_ATTRIBUTION, "confidence"}, {J_ATTRIBUTION, "sieve"},
    {J_ATTRIBUTION, "rule"}, {J_CUE, "span"}, {J_CUE, "lemma"}, {J_SPEAKER, "name"},
    {J_SPEAKER, "mention"}, {J_SPEAKER, "entity"}, {J_SPEAKER, "kind"}, {J_ENTITY, "id"},
    {J_ENTITY, "name"}, {J_ENTITY, "kind"}, {J_ENTITY, "gender"}, {J_ENTITY, "mentions"},
};

/* the field names, interned once (module init) */
static PyObject *field_names[N_FIELDS];

typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t len, cap;
    Py_UCS4 maxchar;
    PyObject *classes[6];
    /* where each field's slot is in an instance of exactly its class (the member descriptor's
     * offset), or -1 to read it by getattr (a field that is no plain object slot) */
    Py_ssize_t offset[N_FIELDS];
} JsonOut;

/* -1: an error is set; -2: not plain (the caller returns None) */
#define NOT_PLAIN (-2)

static int
out_grow(JsonOut *o, Py_ssize_t more)
{
    if (o->len + more <= o->cap) {
        return 0;
    }
    Py_ssize_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + more) {
        cap *= 2;
    }
    Py_UCS4 *buf = PyMem_Realloc(o->buf, (size_t)cap * sizeof(Py_UCS4));
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    o->buf = buf;
    o->cap = cap;
    return 0;
}

static int
out_ascii(JsonOut *o, const char *s)
{
    Py_ssize_t n = (Py_ssize_t)strlen(s);
    if (out_grow(o, n) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        o->buf[o->len++] = (Py_UCS4)(unsigned char)s[i];
    }
    return 0;
}

/* a str as json's encode_basestring writes it (with its quotation marks); a value that is no
 * str is not plain (encode_basestring raises TypeError, which result_json() turns to None) */
static int
out_json_str(JsonOut *o, PyObject *value)
{
    if (!PyUnicode_Check(value)) {
        return NOT_PLAIN;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(value) < 0) {
        return -1;
    }
#endif
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (out_grow(o, n * 6 + 2) < 0) { /* at most six characters for one: \u001f */
        return -1;
    }
    Py_UCS4 *w = o->buf + o->len;
    *w++ = '"';
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x20 && c != '"' && c != '\\') {
            if (c > o->maxchar) {
                o->maxchar = c;
            }
            *w++ = c;
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\b': *w++ = 'b'; break;
        case '\f': *w++ = 'f'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        default:
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = (Py_UCS4)"0123456789abcdef"[(c >> 4) & 0xf];
            *w++ = (Py_UCS4)"0123456789abcdef"[c & 0xf];
        }
    }
    *w++ = '"';
    o->len = w - o->buf;
    return 0;
}

/* a str as it is (a float's repr) */
static int
out_raw(JsonOut *o, PyObject *value)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (out_grow(o, n) < 0) {
        return -1;
    }
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c > o->maxchar) {
            o->maxchar = c;
        }
        o->buf[o->len++] = c;
    }
    return 0;
}

/* an int exactly (type int, not bool), in decimal */
static int
out_int(JsonOut *o, PyObject *value)
{
    if (!PyLong_CheckExact(value)) {
        return NOT_PLAIN;
    }
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow) {
        PyObject *digits = PyObject_Str(value);
        if (digits == NULL) {
            return -1;
        }
        int done = out_raw(o, digits);
        Py_DECREF(digits);
        return done;
    }
    char digits[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (out_grow(o, n + 1) < 0) {
        return -1;
    }
    if (v < 0) {
        o->buf[o->len++] = '-';
    }
    while (n) {
        o->buf[o->len++] = (Py_UCS4)digits[--n];
    }
    return 0;
}

/* getattr(obj, field), the new reference stored in *value; -1 on an error. obj is an
 * instance of exactly the field's class: a plain slot is read where the class keeps it. */
static int
get(const JsonOut *o, PyObject *obj, int field, PyObject **value)
{
    Py_ssize_t offset = o->offset[field];
    if (offset < 0) {
        *value = PyObject_GetAttr(obj, field_names[field]);
        return *value == NULL ? -1 : 0;
    }
    PyObject *v = *(PyObject **)((char *)obj + offset);
    if (v == NULL) {
        PyErr_Format(PyExc_AttributeError, "'%s' object has no attribute '%s'",
                     Py_TYPE(obj)->tp_name, FIELDS[field].name);
        return -1;
    }
    Py_INCREF(v);
    *value = v;
    return 0;
}

/* the offsets of the fields' slots in the classes given (-1: read by getattr) */
static int
find_offsets(JsonOut *o)
{
    for (int f = 0; f < N_FIELDS; f++) {
        o->offset[f] = -1;
        PyTypeObject *cls = (PyTypeObject *)o->classes[FIELDS[f].cls];
        PyObject *d = PyDict_GetItemWithError(cls->tp_dict, field_names[f]);
        if (d == NULL) {
            if (PyErr_Occurred()) {
                return -1;
            }
            continue;
        }
        if (Py_IS_TYPE(d, &PyMemberDescr_Type) && PyDescr_TYPE(d) == cls) {
            PyMemberDef *member = ((PyMemberDescrObject *)d)->d_member;
            if (member->type == T_OBJECT_EX) {
                o->offset[f] = member->offset;
            }
        }
    }
    return 0;
}

#define TRY(call)                  \
    do {                           \
        int r_ = (call);           \
        if (r_ < 0) {              \
            status = r_;           \
            goto done;             \
        }                          \
    } while (0)

/* "start": S, "end": E, "text": "…" of a Span exactly */
static int
out_span_fields(JsonOut *o, PyObject *span)
{
    if ((PyObject *)Py_TYPE(span) != o->classes[J_SPAN]) {
        return NOT_PLAIN;
    }
    int status = 0;
    PyObject *start = NULL, *end = NULL, *text = NULL;
    TRY(get(o, span, F_SPAN_START, &start));
    TRY(get(o, span, F_SPAN_END, &end));
    if (!PyLong_CheckExact(start) || !PyLong_CheckExact(end)) {
        status = NOT_PLAIN;
        goto done;
    }
    TRY(get(o, span, F_SPAN_TEXT, &text));
    TRY(out_ascii(o, "\"start\": "));
    TRY(out_int(o, start));
    TRY(out_ascii(o, ", \"end\": "));
    TRY(out_int(o, end));
    TRY(out_ascii(o, ", \"text\": "));
    TRY(out_json_str(o, text));
done:
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(text);
    return status;
}

/* {"start": S, "end": E, "text": "…"} of a Span exactly */
static int
out_span(JsonOut *o, PyObject *span)
{
    int status = 0;
    TRY(out_ascii(o, "{"));
    TRY(out_span_fields(o, span));
    TRY(out_ascii(o, "}"));
done:
    return status;
}

/* a str or None (null) */
static int
out_json_str_or_null(JsonOut *o, PyObject *value)
{
    return value == Py_None ? out_ascii(o, "null") : out_json_str(o, value);
}

/* [item, item, …] of an iterable, each written by `one` */
static int
out_list(JsonOut *o, PyObject *items, int (*one)(JsonOut *, PyObject *))
{
    PyObject *iter = PyObject_GetIter(items);
    if (iter == NULL) {
        return -1;
    }
    int status = 0;
    PyObject *item = NULL;
    int first = 1;
    TRY(out_ascii(o, "["));
    while ((item = PyIter_Next(iter)) != NULL) {
        if (!first) {
            TRY(out_ascii(o, ", "));
        }
        first = 0;
        TRY(one(o, item));
        Py_CLEAR(item);
    }
    if (PyErr_Occurred()) {
        status = -1;
        goto done;
    }
    TRY(out_ascii(o, "]"));
done:
    Py_XDECREF(item);
    Py_DECREF(iter);
    return status;
}

static int
out_attribution(JsonOut *o, PyObject *a)
{
    if ((PyObject *)Py_TYPE(a) != o->classes[J_ATTRIBUTION]) {
        return NOT_PLAIN;
    }
    int status = 0;
    PyObject *cue = NULL, *speaker = NULL, *confidence = NULL, *content = NULL, *type = NULL,
             *fragments = NULL, *sieve = NULL, *rule = NULL, *span = NULL, *lemma = NULL,
             *name = NULL, *mention = NULL, *entity = NULL, *kind = NULL, *repr = NULL;
    TRY(get(o, a, F_A_CUE, &cue));
    TRY(get(o, a, F_A_SPEAKER, &speaker));
    TRY(get(o, a, F_A_CONFIDENCE, &confidence));
    if (cue != Py_None && (PyObject *)Py_TYPE(cue) != o->classes[J_CUE]) {
        status = NOT_PLAIN;
        goto done;
    }
    if (speaker != Py_None && (PyObject *)Py_TYPE(speaker) != o->classes[J_SPEAKER]) {
        status = NOT_PLAIN;
        goto done;
    }
    if (!PyFloat_CheckExact(confidence) || !isfinite(PyFloat_AS_DOUBLE(confidence))) {
        status = NOT_PLAIN;
        goto done;
    }
    TRY(get(o, a, F_A_CONTENT, &content));
    TRY(get(o, a, F_A_TYPE, &type));
    TRY(get(o, a, F_A_FRAGMENTS, &fragments));
    TRY(get(o, a, F_A_SIEVE, &sieve));
    TRY(get(o, a, F_A_RULE, &rule));
    TRY(out_ascii(o, "{"));
    TRY(out_span_fields(o, content));
    TRY(out_ascii(o, ", \"type\": "));
    TRY(out_json_str(o, type));
    TRY(out_ascii(o, ", \"fragments\": "));
    TRY(out_list(o, fragments, out_span));
    TRY(out_ascii(o, ", \"cue\": "));
    if (cue == Py_None) {
        TRY(out_ascii(o, "null"));
    }
    else {
        TRY(get(o, cue, F_CUE_SPAN, &span));
        TRY(get(o, cue, F_CUE_LEMMA, &lemma));
        TRY(out_ascii(o, "{"));
        TRY(out_span_fields(o, span));
        TRY(out_ascii(o, ", \"lemma\": "));
        TRY(out_json_str(o, lemma));
        TRY(out_ascii(o, "}"));
    }
    TRY(out_ascii(o, ", \"speaker\": "));
    if (speaker == Py_None) {
        TRY(out_ascii(o, "null"));
    }
    else {
        TRY(get(o, speaker, F_SPEAKER_NAME, &name));
        TRY(get(o, speaker, F_SPEAKER_MENTION, &mention));
        TRY(get(o, speaker, F_SPEAKER_ENTITY, &entity));
        TRY(get(o, speaker, F_SPEAKER_KIND, &kind));
        TRY(out_ascii(o, "{\"name\": "));
        TRY(out_json_str(o, name));
        TRY(out_ascii(o, ", "));
        TRY(out_span_fields(o, mention));
        TRY(out_ascii(o, ", \"entity\": "));
        TRY(out_json_str_or_null(o, entity));
        TRY(out_ascii(o, ", \"kind\": "));
        TRY(out_json_str(o, kind));
        TRY(out_ascii(o, "}"));
    }
    TRY(out_ascii(o, ", \"confidence\": "));
    repr = PyObject_Repr(confidence);
    if (repr == NULL) {
        status = -1;
        goto done;
    }
    TRY(out_raw(o, repr));
    TRY(out_ascii(o, ", \"sieve\": "));
    TRY(out_json_str(o, sieve));
    TRY(out_ascii(o, ", \"rule\": "));
    TRY(out_json_str(o, rule));
    TRY(out_ascii(o, "}"));
done:
    Py_XDECREF(cue);
    Py_XDECREF(speaker);
    Py_XDECREF(confidence);
    Py_XDECREF(content);
    Py_XDECREF(type);
    Py_XDECREF(fragments);
    Py_XDECREF(sieve);
    Py_XDECREF(rule);
    Py_XDECREF(span);
    Py_XDECREF(lemma);
    Py_XDECREF(name);
    Py_XDECREF(mention);
    Py_XDECREF(entity);
    Py_XDECREF(kind);
    Py_XDECREF(repr);
    return status;
}

static int
out_entity(JsonOut *o, PyObject *e)
{
    if ((PyObject *)Py_TYPE(e) != o->classes[J_ENTITY]) {
        return NOT_PLAIN;
    }
    int status = 0;
    PyObject *gender = NULL, *id = NULL, *name = NULL, *kind = NULL, *mentions = NULL;
    TRY(get(o, e, F_ENTITY_GENDER, &gender));
    TRY(get(o, e, F_ENTITY_ID, &id));
    TRY(get(o, e, F_ENTITY_NAME, &name));
    TRY(get(o, e, F_ENTITY_KIND, &kind));
    TRY(get(o, e, F_ENTITY_MENTIONS, &mentions));
    TRY(out_ascii(o, "{\"id\": "));
    TRY(out_json_str(o, id));
    TRY(out_ascii(o, ", \"name\": "));
    TRY(out_json_str(o, name));
    TRY(out_ascii(o, ", \"kind\": "));
    TRY(out_json_str(o, kind));
    TRY(out_ascii(o, ", \"gender\": "));
    TRY(out_json_str_or_null(o, gender));
    TRY(out_ascii(o, ", \"mentions\": "));
    TRY(out_list(o, mentions, out_span));
    TRY(out_ascii(o, "}"));
done:
    Py_XDECREF(gender);
    Py_XDECREF(id);
    Py_XDECREF(name);
    Py_XDECREF(kind);
    Py_XDECREF(mentions);
    return status;
}

static PyObject *
result_json(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "result_json() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *result = args[0], *classes = args[1];
    if (!PyTuple_Check(classes) || PyTuple_GET_SIZE(classes) != 6) {
        PyErr_SetString(PyExc_TypeError, "result_json(): the classes must be a tuple of six");
        return NULL;
    }
    JsonOut o;
    o.buf = NULL;
    o.len = o.cap = 0;
    o.maxchar = 127;
    for (int i = 0; i < 6; i++) {
        o.classes[i] = PyTuple_GET_ITEM(classes, i);
        if (!PyType_Check(o.classes[i])) {
            PyErr_SetString(PyExc_TypeError, "result_json(): the classes must be classes");
            return NULL;
        }
    }
    if ((PyObject *)Py_TYPE(result) != o.classes[J_RESULT]) {
        Py_RETURN_NONE;
    }
    if (find_offsets(&o) < 0) {
        return NULL;
    }
    int status = 0;
    PyObject *doc_id = NULL, *attributions = NULL, *entities = NULL, *out = NULL;
    TRY(get(&o, result, F_RESULT_DOC_ID, &doc_id));
    TRY(get(&o, result, F_RESULT_ATTRIBUTIONS, &attributions));
    TRY(get(&o, result, F_RESULT_ENTITIES, &entities));
    TRY(out_ascii(&o, "{\"doc_id\": "));
    TRY(out_json_str_or_null(&o, doc_id));
    TRY(out_ascii(&o, ", \"quotes\": "));
    TRY(out_list(&o, attributions, out_attribution));
    TRY(out_ascii(&o, ", \"entities\": "));
    TRY(out_list(&o, entities, out_entity));
    TRY(out_ascii(&o, "}"));
    /* the string of the narrowest kind that holds the widest character written */
    out = PyUnicode_New(o.len, o.maxchar);
    if (out == NULL) {
        status = -1;
        goto done;
    }
    switch (PyUnicode_KIND(out)) {
    case PyUnicode_1BYTE_KIND: {
        Py_UCS1 *to = PyUnicode_1BYTE_DATA(out);
        for (Py_ssize_t i = 0; i < o.len; i++) {
            to[i] = (Py_UCS1)o.buf[i];
        }
        break;
    }
    case PyUnicode_2BYTE_KIND: {
        Py_UCS2 *to = PyUnicode_2BYTE_DATA(out);
        for (Py_ssize_t i = 0; i < o.len; i++) {
            to[i] = (Py_UCS2)o.buf[i];
        }
        break;
    }
    default:
        memcpy(PyUnicode_4BYTE_DATA(out), o.buf, (size_t)o.len * sizeof(Py_UCS4));
    }
done:
    PyMem_Free(o.buf);
    Py_XDECREF(doc_id);
    Py_XDECREF(attributions);
    Py_XDECREF(entities);
    if (status == NOT_PLAIN) {
        Py_RETURN_NONE;
    }
    return status < 0 ? NULL : out;
}
#undef TRY

/* record(cls, slots, values) -> a new cls with each of slots set to the value in the same
 * place of values.
 *
 *   cls      a class whose instances object.__new__ makes (an attrs class with slots)
 *   slots    a tuple of cls's slot descriptors (member descriptors of objects)
 *   values   a tuple of as many values
 *
 * The instance is what object.__new__(cls) makes, each slot then set as the descriptor's
 * __set__ sets it; anything else is refused with TypeError, so that no memory but a slot of
 * the class itself is ever written. The caller gives immutable values only (see below). */
static PyObject *
record(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "record() takes 3 arguments (%zd given)", nargs);
        return NULL;
    }
    if (!PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "record(): the first argument must be a class");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    if (cls->tp_new != PyBaseObject_Type.tp_new || (cls->tp_flags & Py_TPFLAGS_IS_ABSTRACT)) {
        PyErr_Format(PyExc_TypeError, "record(): %s is not made by object.__new__",
                     cls->tp_name);
        return NULL;
    }
    PyObject *slots = args[1];
    PyObject *values = args[2];
    if (!PyTuple_Check(slots) || !PyTuple_Check(values)
        || PyTuple_GET_SIZE(slots) != PyTuple_GET_SIZE(values)) {
        PyErr_SetString(PyExc_TypeError,
                        "record(): the slots and the values must be tuples of one length");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(slots);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *slot = PyTuple_GET_ITEM(slots, i);
        if (!Py_IS_TYPE(slot, &PyMemberDescr_Type)) {
            PyErr_SetString(PyExc_TypeError, "record(): a slot must be a member descriptor");
            return NULL;
        }
        PyMemberDef *member = ((PyMemberDescrObject *)slot)->d_member;
        if (member->type != T_OBJECT_EX || (member->flags & READONLY)
            || !PyType_IsSubtype(cls, PyDescr_TYPE(slot))) {
            PyErr_Format(PyExc_TypeError, "record(): %s is no writable object slot of %s",
                         member->name, cls->tp_name);
            return NULL;
        }
    }
    PyObject *made = cls->tp_alloc(cls, 0);
    if (made == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyMemberDef *member = ((PyMemberDescrObject *)PyTuple_GET_ITEM(slots, i))->d_member;
        PyObject **place = (PyObject **)((char *)made + member->offset);
        PyObject *value = PyTuple_GET_ITEM(values, i);
        Py_INCREF(value);
        Py_XSETREF(*place, value);
    }
    /* Left out of the cycle collector's lists, as CPython leaves out a tuple of atoms: a
     * record is frozen, so it can only refer to what existed before it, and the values the
     * rules give it are immutable (numbers, strings, tuples, other records): no reference
     * cycle can pass through it. A text of dialogue leaves hundreds of thousands of them
     * alive in its result, which every collection would otherwise traverse. */
    if (PyObject_IS_GC(made)) {
        PyObject_GC_UnTrack(made);
    }
    return made;
}

static PyMethodDef methods[] = {
    {"tokens", (PyCFunction)(void (*)(void))tokens, METH_FASTCALL,
     "tokens(text, start, end, most, tok, classes) -> (toks, starts, stops) or None\n\n"
     "The tokens of text[start:end] (the first most, or all for 0) as\n"
     "quoteattr.default.grammar's token pattern makes them;\n"
     "None when the stretch holds a character beyond the Basic Multilingual Plane."},
    {"boundaries", (PyCFunction)(void (*)(void))boundaries, METH_FASTCALL,
     "boundaries(text, classes) -> [a, b, c, d, ...]\n\n"
     "The sentence boundaries that quoteattr.text's boundary pattern finds in text:\n"
     "punctuation a..b, closing marks b..c, white space c..d."},
    {"picked", (PyCFunction)(void (*)(void))picked, METH_FASTCALL,
     "picked(toks, words, capitals) -> [k, ...]\n\n"
     "The indexes of the tokens whose lower-case form is one of words, or (capitals)\n"
     "whose text starts with a capital."},
    {"words", (PyCFunction)(void (*)(void))words, METH_FASTCALL,
     "words(text, start, end, classes) -> [word, ...] or None\n\n"
     "The words of text[start:end] as quoteattr.default.quotes's word pattern finds them;\n"
     "None when the stretch holds a character beyond the Basic Multilingual Plane."},
    {"json_fields", (PyCFunction)json_fields, METH_O,
     "json_fields(line) -> (doc_id_at, text_at) or None\n\n"
     "Where the values of a JSONL line's top-level \"doc_id\" and \"text\" start (-1: none),\n"
     "the whole line checked to be one JSON object; None when it is not plainly one."},
    {"result_json", (PyCFunction)(void (*)(void))result_json, METH_FASTCALL,
     "result_json(result, classes) -> str or None\n\n"
     "The JSON line of a Result, as quoteattr.default.jsontext.result_json() writes it."},
    {"record", (PyCFunction)(void (*)(void))record, METH_FASTCALL,
     "record(cls, slots, values) -> a new cls, each of its slots set to a value\n\n"
     "As object.__new__(cls), then slot.__set__(made, value) for each slot and value."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "quoteattr._speedups",
    "Hot loops of the rules in C (the compiled build only; see grammar.py, text.py, trusted.py).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    str_lower = PyUnicode_InternFromString("lower");
    if (str_lower == NULL) {
        return NULL;
    }
    for (int f = 0; f < N_FIELDS; f++) {
        field_names[f] = PyUnicode_InternFromString(FIELDS[f].name);
        if (field_names[f] == NULL) {
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
