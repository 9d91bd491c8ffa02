"""Reading the command line's inputs: files, JSONL lines, standard input and directories.

Every input document becomes one item of the stream :func:`read_documents` yields: a
:class:`~quoteattr.model.Document`, or, for a document that cannot be read (invalid text in
the chosen encoding, a malformed JSONL line, a file too large), an
:class:`~quoteattr.pipeline.ErrorRecord` in its place. docs/cli.md#input and
docs/reliability.md describe the rules; in short:

- bytes are decoded with ``encoding`` (default UTF-8) and ``errors``: ``strict`` makes
  undecodable input an error record naming the file, line and byte offset; ``replace`` puts
  U+FFFD in place of each bad sequence; ``surrogateescape`` puts one lone surrogate
  (U+DC80..U+DCFF) in place of each bad byte, so the text keeps one code point per bad byte;
- nothing but a leading byte-order mark is removed: NUL, CR, CRLF, U+2028 and every other
  character stay, so output offsets are ``str`` indices into the text exactly as decoded;
- a JSONL file is split on ``\\n`` bytes only (never on U+2028, U+0085 or CR);
- a directory is read recursively: the files whose names match one of ``globs``, hidden files
  and directories left out, in sorted order of their path below the directory.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import attrs

from quoteattr.errors import DocumentTooLarge, InputError, QuoteattrError
from quoteattr.model import Document
from quoteattr.pipeline import ErrorRecord
from quoteattr.text import c_function

__all__ = [
    "DECODE_ERRORS",
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_CHARS",
    "STDIN",
    "STDIN_DOC_ID",
    "ReadOptions",
    "check_readable",
    "expand_paths",
    "read_documents",
]

STDIN = "-"
STDIN_DOC_ID = "stdin"
#: the files of a directory that are read, unless ``--glob`` says otherwise
DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.jsonl")
#: the largest document attributed, in characters, unless ``--max-chars`` says otherwise
DEFAULT_MAX_CHARS = 10_000_000
#: the values of ``--errors``
DECODE_ERRORS = ("strict", "replace", "surrogateescape")
_UTF8_BOM = b"\xef\xbb\xbf"
#: bytes a JSONL line may hold beyond ``6 * max_chars`` (a ``\\uXXXX`` escape per character)
_JSONL_SLACK = 1 << 20


@attrs.frozen
class ReadOptions:
    """How inputs are read.

    :ivar encoding: any codec Python knows; JSONL needs one that encodes ``\\n`` as ``b"\\n"``.
    :ivar errors: one of :data:`DECODE_ERRORS`.
    :ivar globs: the names of the files read from a directory.
    :ivar max_chars: inputs certainly longer than this are not read (``None``: no limit); the
        exact check on the decoded text is the pipeline's.
    """

    encoding: str = "utf-8"
    errors: str = "strict"
    globs: tuple[str, ...] = DEFAULT_GLOBS
    max_chars: int | None = DEFAULT_MAX_CHARS

    def __attrs_post_init__(self) -> None:
        codecs.lookup(self.encoding)  # LookupError for an unknown codec
        if self.errors not in DECODE_ERRORS:
            msg = f"errors must be one of {', '.join(DECODE_ERRORS)}, not {self.errors!r}"
            raise ValueError(msg)

    @property
    def ascii_compatible(self) -> bool:
        """Whether ``\\n`` is the byte 10 in this encoding, so that JSONL can be split on it."""
        try:
            return "\n{}".encode(self.encoding) == b"\n{}"
        except UnicodeError:
            return False

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"


# --------------------------------------------------------------------------------------------
# paths


def _is_jsonl(path: str) -> bool:
    return path != STDIN and Path(path).suffix.lower() == ".jsonl"


def check_readable(path: str) -> None:
    """Raise :class:`InputError` now, before any processing, if ``path`` cannot be read."""
    if path == STDIN:
        return
    try:
        if Path(path).is_dir():
            os.listdir(path)
        else:
            with open(path, "rb"):
                pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot read: {reason}", path=path) from None


def expand_paths(paths: Iterable[str], globs: Iterable[str]) -> list[tuple[str, str | None]]:
    """Each path, a directory replaced by the files below it that match ``globs``.

    :returns: ``(path, doc_id)`` pairs; ``doc_id`` is ``None`` for a path given as it is (the
        file's stem is its id), and the path below the directory without the extension, with
        ``/`` separators, for a file found in a directory (``news/envoy-talks``).
    """
    patterns = tuple(globs)
    found: list[tuple[str, str | None]] = []
    for path in paths:
        if path == STDIN or not Path(path).is_dir():
            found.append((path, None))
            continue
        below: list[tuple[str, str]] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith(".") or not any(fnmatch.fnmatch(name, p) for p in patterns):
                    continue
                full = os.path.join(root, name)
                below.append((Path(os.path.relpath(full, path)).as_posix(), full))
        for relative, full in sorted(below):
            found.append((full, str(Path(relative).with_suffix("")).replace(os.sep, "/")))
    return found


# --------------------------------------------------------------------------------------------
# decoding


def _decode(
    data: bytes, path: str, options: ReadOptions, *, offset: int = 0, line: int | None = None
) -> str:
    """``data`` decoded, or an :class:`InputError` with the byte offset of the fault.

    :param offset: where ``data`` starts in the file, so the offset reported is the file's.
    :param line: the line ``data`` is, when known; otherwise it is counted (when the encoding
        lets newlines be counted in bytes).
    """
    try:
        return data.decode(options.encoding, options.errors)
    except UnicodeDecodeError as exc:
        if line is None and options.ascii_compatible:
            line = data.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if options.is_utf8 else options.encoding
        msg = (f"invalid {name} at byte {offset + exc.start} ({exc.reason}); "
               "--errors replace or --encoding ENC reads it anyway")
        raise InputError(msg, path=path, line=line) from None


def _error_record(doc_id: str | None, exc: QuoteattrError) -> ErrorRecord:
    return ErrorRecord(doc_id, type(exc).__name__, str(exc), None)


def _too_large(doc_id: str, where: str, size: str, max_chars: int) -> ErrorRecord:
    """The record of an input too large to read: ``where`` is ``path`` or ``path:line``."""
    msg = (f"{where}: {size} bytes cannot hold {max_chars:,} characters or fewer, the limit "
           "(--max-chars); not read")
    return ErrorRecord(doc_id, DocumentTooLarge.__name__, msg)


def _byte_limit(max_chars: int | None) -> int | None:
    """Inputs above this many bytes certainly decode to more than ``max_chars`` characters."""
    return None if max_chars is None else 4 * max_chars + len(_UTF8_BOM)


def _read_whole(path: str, limit: int | None) -> bytes | None:
    """The bytes of ``path`` (or standard input); ``None`` when they are more than ``limit``."""
    if path == STDIN:
        stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
        if stream is None:
            data = sys.stdin.read().encode("utf-8", "surrogatepass")
            return None if limit is not None and len(data) > limit else data
        data = stream.read() if limit is None else stream.read(limit + 1)
        return None if limit is not None and len(data) > limit else data
    with open(path, "rb") as file:
        if limit is not None and os.fstat(file.fileno()).st_size > limit:
            return None
        data = file.read() if limit is None else file.read(limit + 1)
    return None if limit is not None and len(data) > limit else data


def _whole_file(path: str, doc_id: str, options: ReadOptions) -> Iterator[Document | ErrorRecord]:
    label = "<stdin>" if path == STDIN else path
    limit = _byte_limit(options.max_chars)
    try:
        data = _read_whole(path, limit)
        if data is None:
            assert options.max_chars is not None and limit is not None
            yield _too_large(doc_id, label, f"more than {limit:,}", options.max_chars)
            return
        offset = len(_UTF8_BOM) if options.is_utf8 and data.startswith(_UTF8_BOM) else 0
        text = _decode(data[offset:], label, options, offset=offset)
    except OSError as err:
        reason = err.strerror or str(err)
        yield _error_record(doc_id, InputError(f"cannot read: {reason}", path=label))
        return
    except InputError as err:
        yield _error_record(doc_id, err)
        return
    yield Document(text, doc_id)


# --------------------------------------------------------------------------------------------
# JSONL


def _jsonl_document(
    raw: bytes, path: str, lineno: int, offset: int, default_id: str, options: ReadOptions
) -> Document:
    """The document on one line of a JSONL file; :class:`InputError` names ``path:line``."""
    text = _decode(raw, path, options, offset=offset, line=lineno)
    found = _C_JSON_FIELDS(text) if _C_JSON_FIELDS is not None else None
    if found is not None:  # a JSON object: its two strings decoded, the rest left unbuilt
        id_at, body_at = found
        if body_at >= 0 and text[body_at] == '"' and (id_at < 0 or text[id_at] in '"n'):
            decoded = _scanstring(text, body_at + 1, True)[0]
            if id_at < 0 or text[id_at] == "n":  # no doc_id, or null
                return Document(decoded, default_id)
            return Document(decoded, _scanstring(text, id_at + 1, True)[0])
        # (a text that is no string, a doc_id that is a number: as json.loads reads them)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise InputError(msg, path=path, line=lineno) from None
    except RecursionError:  # [[[[...]]]] deeper than the interpreter's stack
        raise InputError("invalid JSON: nested too deeply", path=path, line=lineno) from None
    if not isinstance(obj, dict):
        msg = f"expected a JSON object with a 'text', got {type(obj).__name__}"
        raise InputError(msg, path=path, line=lineno)
    doc_id = obj.get("doc_id")
    if doc_id is None:
        doc_id = default_id
    elif isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        msg = f"'doc_id' must be a string, got {type(doc_id).__name__}"
        raise InputError(msg, path=path, line=lineno)
    body = obj.get("text")
    if not isinstance(body, str):
        what = "is missing" if body is None else f"must be a string, not {type(body).__name__}"
        raise InputError(f"'text' {what}", path=path, line=lineno)
    return Document(body, str(doc_id))


#: ``json_fields()`` of the compiled build's C module: where a line's ``doc_id`` and ``text``
#: values start, the line checked to be a JSON object; ``None`` in the pure build, which reads
#: each line with ``json.loads``
_C_JSON_FIELDS: Callable[[str], tuple[int, int] | None] | None = c_function("json_fields")
#: json's own decoding of a string literal (what ``json.loads`` decodes each string with)
_scanstring: Callable[[str, int, bool], tuple[str, int]] = (
    json.decoder.scanstring  # type: ignore[attr-defined]
)


def _lines(stream: BinaryIO, limit: int | None) -> Iterator[tuple[bytes, int, bool]]:
    """``(line, size, whole)`` for each line; a line over ``limit`` bytes is skipped, unread:
    ``line`` is then empty, ``size`` its length and ``whole`` false."""
    while True:
        raw = stream.readline() if limit is None else stream.readline(limit + 1)
        if not raw:
            return
        if limit is None or len(raw) <= limit or raw.endswith(b"\n"):
            yield raw, len(raw), True
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):  # the rest of the line, a block at a time
            raw = stream.readline(1 << 20)
            size += len(raw)
        yield b"", size, False


def _jsonl_file(
    path: str, stem: str, options: ReadOptions
) -> Iterator[Document | ErrorRecord]:
    """One document per non-blank line, read lazily; a bad line becomes an error record."""
    limit = None if options.max_chars is None else 6 * options.max_chars + _JSONL_SLACK
    try:
        with open(path, "rb") as stream:
            offset = 0
            for lineno, (raw, size, whole) in enumerate(_lines(stream, limit), start=1):
                start = offset
                offset += size
                default_id = f"{stem}:{lineno}"
                if not whole:
                    assert options.max_chars is not None
                    where = f"{path}:{lineno}"
                    yield _too_large(default_id, where, f"{size:,}", options.max_chars)
                    continue
                if lineno == 1 and options.is_utf8 and raw.startswith(_UTF8_BOM):
                    raw, start = raw[len(_UTF8_BOM) :], start + len(_UTF8_BOM)
                if not raw or raw.isspace():  # (strip() would copy the whole line)
                    continue
                try:
                    doc = _jsonl_document(raw, path, lineno, start, default_id, options)
                except InputError as err:
                    yield _error_record(_given_id(raw, options) or default_id, err)
                    continue
                yield doc
    except OSError as err:
        reason = err.strerror or str(err)
        yield _error_record(stem, InputError(f"cannot read: {reason}", path=path))


def _given_id(raw: bytes, options: ReadOptions) -> str | None:
    """The ``doc_id`` of a line that was rejected, when the line is readable enough to have one."""
    try:
        obj = json.loads(raw.decode(options.encoding))
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError
        return None
    doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        return None
    return str(doc_id)


# --------------------------------------------------------------------------------------------
# everything


def read_documents(
    paths: Iterable[str], options: ReadOptions | None = None
) -> Iterator[Document | ErrorRecord]:
    """Every document of every input, lazily and in order; an unreadable one is an error
    record in its place. A directory is expanded first (:func:`expand_paths`)."""
    options = options or ReadOptions()
    for path, doc_id in expand_paths(paths, options.globs):
        stem = doc_id if doc_id is not None else Path(path).stem
        if _is_jsonl(path):
            yield from _jsonl_file(path, stem, options)
        else:
            yield from _whole_file(path, STDIN_DOC_ID if path == STDIN else stem, options)
