"""The ``quoteattr`` command line; docs/cli.md is its reference.

::

    quoteattr [--format F] [--output PATH] [--block PLUGIN] [--jobs N] [--encoding ENC]
              [--errors E] [--glob P] [--max-chars N] [--max-seconds-per-doc S]
              [--quiet] [--summary] [--debug] FILE...
    quoteattr plugins [--format text|json]
    quoteattr formats [--format text|json]
    quoteattr evaluate GOLD [PRED] [--format text|json] [--errors N] [--tiers T,...] ...

A command is recognised only as the first argument, so a file named like one is given as
``./plugins``. Exit status: 0 when every document was attributed, 1 when any record is an error,
2 for a usage error or a problem found before any document was processed, 130 when interrupted,
141 when the reader of the output went away (for ``evaluate``: 0 scored, 1 scored but some
documents could not be attributed, 2 usage or input error).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import json
import os
import sys
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from quoteattr import __version__
from quoteattr.errors import FormatError, InputError, QuoteattrError
from quoteattr.inputs import (
    DECODE_ERRORS,
    DEFAULT_GLOBS,
    DEFAULT_MAX_CHARS,
    STDIN,
    ReadOptions,
    check_readable,
    expand_paths,
    read_documents,
)
from quoteattr.manager import PluginManager, get_plugin_manager
from quoteattr.model import Document, Result
from quoteattr.pipeline import (
    ErrorRecord,
    LineSpec,
    Pipeline,
    gc_paused,
    stream_encoding,
    tune_gc_for_batch,
)

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_ERRORS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "attribute_files",
    "main",
]

PROG = "quoteattr"
#: every document was attributed
EXIT_OK = 0
#: at least one record of the output is an error record
EXIT_ERRORS = 1
#: a usage error, or a problem found before any document was processed
EXIT_USAGE = 2
#: the reader of the output went away, as for a process killed by SIGPIPE (128 + 13)
EXIT_BROKEN_PIPE = 141
#: interrupted with Ctrl-C (128 + SIGINT)
EXIT_INTERRUPTED = 130

DEFAULT_FORMAT = "text"
#: names reserved for commands to come: not read as file names either
RESERVED_COMMANDS: frozenset[str] = frozenset()

_USAGE = f"""\
{PROG} [--format F] [--output PATH] [--block PLUGIN] [--no-plugins]
                 [--min-confidence X] [--jobs N] [--encoding ENC] [--errors E]
                 [--glob PATTERN] [--max-chars N] [--max-seconds-per-doc S]
                 [-q] [--summary] [--debug] FILE...
       {PROG} plugins [--format {{text,json}}] [--block PLUGIN] [--no-plugins]
       {PROG} formats [--format {{text,json}}] [--block PLUGIN] [--no-plugins]
       {PROG} evaluate GOLD [PRED] [--format {{text,json}}] [--errors N] [--tiers T,...] ...
       {PROG} --version"""

_EPILOG = f"""\
input:
  A .jsonl file holds one {{"doc_id": ..., "text": ...}} object per line. Any other file is one
  document whose id is the file name without its extension; "-" reads one document from
  standard input (id "stdin"). A directory is read recursively: the files matching --glob
  (default: {" and ".join(DEFAULT_GLOBS)}), in sorted order. Files are read as UTF-8 (see
  --encoding and --errors); offsets are into the text as decoded, CR, NUL and all.

commands:
  {PROG} plugins   list the registered plugins, their source and the hooks they implement
  {PROG} formats   list the output formats
  {PROG} evaluate  score attributions against a hand annotation ({PROG} evaluate --help)
  A command is recognised only as the first argument: give a file named "plugins" as ./plugins.

standard error:
  Messages, a progress line (only when standard error is a terminal and there is more than
  one document; --quiet turns it off), the --summary table and --debug tracebacks go to
  standard error, never into the output.

exit status:
  0 every document was attributed; 1 some output record is an error (bad input, a plugin
  error, a limit), or the output could not be written; 2 usage error, or an error found
  before processing (unknown format or plugin, unreadable file); 130 interrupted (Ctrl-C);
  141 the reader of the output went away.

See docs/cli.md for the output formats."""


# --------------------------------------------------------------------------------------------
# entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Nothing is raised for expected failures: usage errors and :class:`QuoteattrError` print
    one ``quoteattr: error: ...`` line on stderr and give the status documented in docs/cli.md.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in _COMMANDS:
            return _COMMANDS[args[0]](args[1:])
        if args and args[0] in RESERVED_COMMANDS:
            return _fail(
                f'"{args[0]}" is reserved for a future command; '
                f"give a file of that name as ./{args[0]}"
            )
        return _attribute_command(args)
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        return _exit_status(exc.code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_USAGE


def _fail(
    message: object,
    status: int = EXIT_USAGE,
    *,
    debug: bool = False,
    progress: _Progress | None = None,
    exc: BaseException | None = None,
) -> int:
    """Print ``quoteattr: error: message`` as one line on stderr; return ``status``.

    With ``debug``, the traceback of ``exc`` (or of ``message``, when it is an exception) is
    printed before it.
    """
    if progress is not None:
        progress.clear()
    if debug:
        cause = exc if exc is not None else message
        if isinstance(cause, BaseException):
            _print_traceback(cause)
    text = " ".join(str(message).split())
    print(f"{PROG}: error: {text}", file=sys.stderr)
    return status


# --------------------------------------------------------------------------------------------
# argument parsing


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        msg = f"not a number: {value!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _confidence(value: str) -> float:
    number = _number(value)
    if not 0.0 <= number <= 1.0:  # also rejects nan
        msg = f"must be between 0 and 1, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        msg = f"not a whole number: {value!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if number < 1:
        msg = f"must be at least 1, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _add_plugin_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--block",
        metavar="PLUGIN",
        action="append",
        default=[],
        help="do not register this plugin, built-in or third-party (repeatable); "
        "`quoteattr plugins` lists the names",
    )
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="load no third-party plugins, only quoteattr's built-in ones",
    )


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, the width argparse formats help for, found as
    shutil finds it: ``COLUMNS`` if it is a positive number, else the width of the terminal of
    ``sys.__stdout__``, else 80 (shutil, and the compression modules it imports, took a few
    per cent of the start-up of a run, which formats no help)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80
    return size.columns or 80


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's ``RawDescriptionHelpFormatter``, told the terminal's width by
    :func:`_terminal_columns` (argparse makes one for every argument added)."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2  # as argparse does
        super().__init__(prog, indent_increment, max_help_position, width)


def _attribute_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=_USAGE,
        description="Find the quotations in texts and say who said them.",
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help='a text file (one document), a .jsonl file (one document a line), or "-" for stdin',
    )
    parser.add_argument(
        "-f",
        "--format",
        default=DEFAULT_FORMAT,
        metavar="F",
        help=f"output format (default: {DEFAULT_FORMAT}); `quoteattr formats` lists them",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH instead of stdout; the file is replaced only once the run is done",
    )
    _add_plugin_options(parser)
    parser.add_argument(
        "--min-confidence",
        metavar="X",
        type=_confidence,
        default=0.0,
        help="leave out attributions whose confidence is below X, in [0, 1] (default: 0)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_jobs,
        default=1,
        help="attribute in N worker processes (default: 1); the output is the same, in the "
        "same order",
    )
    parser.add_argument(
        "--encoding",
        metavar="ENC",
        type=_encoding,
        default="utf-8",
        help="the encoding of the input files (default: utf-8); any Python codec",
    )
    parser.add_argument(
        "--errors",
        choices=DECODE_ERRORS,
        default="strict",
        help="input that is not valid in the encoding: strict makes it an error record naming "
        "the byte; replace reads it with U+FFFD; surrogateescape with one lone surrogate per "
        "bad byte (default: strict)",
    )
    parser.add_argument(
        "--glob",
        metavar="PATTERN",
        action="append",
        help="the files a directory given as FILE is read for (repeatable; default: "
        f"{' and '.join(DEFAULT_GLOBS)})",
    )
    parser.add_argument(
        "--max-chars",
        metavar="N",
        type=_count,
        default=DEFAULT_MAX_CHARS,
        help="a document longer than N characters is an error record, DocumentTooLarge "
        f"(default: {DEFAULT_MAX_CHARS:_}; 0: no limit)".replace("_", ","),
    )
    parser.add_argument(
        "--max-seconds-per-doc",
        metavar="S",
        type=_seconds,
        default=None,
        help="a document that takes longer than S seconds is stopped and is an error record, "
        "TimeBudgetExceeded (default: no limit)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line, and no closing 'N of M documents failed' line; errors and "
        "warnings are still printed",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="after the run, print on standard error who is quoted: each speaker with the "
        "number of attributions and of characters quoted, and the totals",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the full traceback of an error that stops the run and, with --jobs 1, "
        "of each document that fails, on standard error",
    )
    parser.add_argument("--version", action=_VersionAction,
                        help="show the version, and whether the rules run compiled, and exit")
    return parser


class _VersionAction(argparse.Action):
    """``--version``: "quoteattr 0.1.0 (compiled)" or "(pure Python)" (see ``setup.py``).

    Whether the rules are compiled is read only when asked: it imports them.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from quoteattr import compiled

        build = "compiled" if compiled() else "pure Python"
        sys.stdout.write(f"{PROG} {__version__} ({build})\n")
        parser.exit()


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        msg = f"unknown encoding: {value!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return value


def _seconds(value: str) -> float:
    number = _number(value)
    if not 0 < number < float("inf"):  # also rejects nan
        msg = f"must be a number of seconds above 0, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _listing_parser(command: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} {command}", description=description, allow_abbrev=False
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for reading, json for programs (default: text)",
    )
    _add_plugin_options(parser)
    return parser


# --------------------------------------------------------------------------------------------
# quoteattr plugins / quoteattr formats


def _plugin_manager(ns: argparse.Namespace) -> PluginManager:
    block: list[str] = ns.block
    no_plugins: bool = ns.no_plugins
    return get_plugin_manager(load_entrypoints=not no_plugins, block=block)


def _write_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2) + "\n")


def _write_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def _plugins_command(argv: list[str]) -> int:
    parser = _listing_parser(
        "plugins", "List the registered plugins: where each comes from and the hooks it implements."
    )
    ns = parser.parse_args(argv)
    try:
        pm = _plugin_manager(ns)
    except QuoteattrError as exc:
        return _fail(exc)
    entries: list[dict[str, Any]] = []
    rows = [["name", "source", "distribution", "version", "hooks"]]
    for name, info in pm.plugin_info.items():
        hooks = pm.plugin_hooks(name)
        entries.append(
            {
                "name": name,
                "source": info.source,
                "distribution": info.distribution,
                "version": info.version,
                "value": info.value,
                "hooks": hooks,
            }
        )
        short = ", ".join(h.removeprefix("quoteattr_") for h in hooks) or "-"
        rows.append([name, info.source, info.distribution or "-", info.version or "-", short])
    if ns.format == "json":
        _write_json(entries)
        return EXIT_OK
    _write_table(rows)
    return EXIT_OK


def _formats_command(argv: list[str]) -> int:
    parser = _listing_parser("formats", "List the output formats that --format accepts.")
    ns = parser.parse_args(argv)
    try:
        formats = Pipeline(pm=_plugin_manager(ns)).formats
    except QuoteattrError as exc:
        return _fail(exc)
    entries = [{"name": f.name, "description": f.description} for f in formats.values()]
    if ns.format == "json":
        _write_json(entries)
        return EXIT_OK
    _write_table([["name", "description"], *([e["name"], e["description"]] for e in entries)])
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# quoteattr evaluate

_EVALUATE_USAGE = f"""\
{PROG} evaluate GOLD [PRED] [--format {{text,json}}] [--errors N] [--seed S]
                          [--tiers T,...] [--min-confidence X] [--thresholds T,...]
                          [--bands X,...] [--block PLUGIN] [--no-plugins]"""

_EVALUATE_EPILOG = f"""\
gold:
  A JSONL file, one {{"doc_id", "text", "quotes": [...]}} a line (the schema of
  ../shared/data/README.md); a .json file holding one such document (its text may be given
  as "source", a file beside it); or brat standoff: a directory of NAME.ann + NAME.txt pairs,
  or one .ann file (doc_id NAME; the mapping is documented in quoteattr/brat.py).

predictions:
  PRED is the output of `{PROG} --format jsonl` (or --format json). Without PRED, {PROG} is
  run on the gold texts now, with the plugins that --block and --no-plugins leave.

exit status:
  0 the figures were printed; 1 they were printed, but some documents could not be
  attributed (they count as finding nothing); 2 usage error, or GOLD or PRED unreadable.

See docs/cli.md#quoteattr-evaluate and docs/accuracy.md."""


def _number_list(kind: Callable[[str], float], what: str) -> Callable[[str], list[float]]:
    def parse(value: str) -> list[float]:
        try:
            numbers = [kind(v) for v in value.split(",") if v.strip()]
        except argparse.ArgumentTypeError:
            raise
        except ValueError:
            msg = f"expected comma-separated {what}, got {value!r}"
            raise argparse.ArgumentTypeError(msg) from None
        if not numbers:
            raise argparse.ArgumentTypeError(f"expected at least one of {what}")
        return numbers

    return parse


def _open_unit(value: str) -> float:
    number = _confidence(value)
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError(f"must be strictly between 0 and 1, got {value}")
    return number


def _threshold(value: str) -> float:
    number = _confidence(value)
    if number >= 1.0:  # a share can never exceed 1: nothing would match
        raise argparse.ArgumentTypeError(f"must be below 1, got {value}")
    return number


def _tier_list(value: str) -> list[str]:
    tiers = [t.strip() for t in value.split(",") if t.strip()]
    if not tiers:
        raise argparse.ArgumentTypeError("expected comma-separated tier names, e.g. required")
    return tiers


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return number


def _evaluate_parser() -> argparse.ArgumentParser:
    from quoteattr import evaluate as evaluation  # only ``evaluate`` needs it

    parser = argparse.ArgumentParser(
        prog=f"{PROG} evaluate",
        usage=_EVALUATE_USAGE,
        description="Score attributions against a hand annotation: precision, recall and F1 "
        "of the quotes,\nspeaker accuracy, by type and by confidence, and samples of the errors.",
        epilog=_EVALUATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("gold", metavar="GOLD", help="the hand annotation (JSONL, .json, brat)")
    parser.add_argument(
        "pred",
        metavar="PRED",
        nargs="?",
        help=f"`{PROG} --format jsonl` output to score; without it, {PROG} runs on GOLD's texts",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: tables for reading; json: one JSON object (default: text)",
    )
    parser.add_argument(
        "--errors",
        metavar="N",
        type=_count,
        default=0,
        help="show N misses, N false alarms and N wrong speakers, with context (default: 0)",
    )
    parser.add_argument(
        "--seed",
        metavar="S",
        type=int,
        default=0,
        help="the seed that chooses which errors --errors shows (default: 0)",
    )
    parser.add_argument(
        "--tiers",
        metavar="T,...",
        type=_tier_list,
        help="count only gold quotes of these tiers (a quote without one is 'required'); "
        "unmatched predictions are then not false alarms",
    )
    parser.add_argument(
        "--min-confidence",
        metavar="X",
        type=_confidence,
        default=0.0,
        help="leave out predictions whose confidence is below X before scoring (default: 0)",
    )
    parser.add_argument(
        "--thresholds",
        metavar="T,...",
        type=_number_list(_threshold, "overlap thresholds in [0, 1)"),
        default=list(evaluation.DEFAULT_THRESHOLDS),
        help="overlap thresholds to report; bands and errors use the first (default: 0.3,0.8)",
    )
    parser.add_argument(
        "--bands",
        metavar="X,...",
        type=_number_list(_open_unit, "band edges in (0, 1)"),
        default=list(evaluation.DEFAULT_BANDS),
        help="inner edges of the confidence bands, increasing (default: 0.5,0.7,0.85)",
    )
    _add_plugin_options(parser)
    return parser


def _predict(
    pipeline: Pipeline, gold: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, list[Mapping[str, Any]]], list[str]]:
    """Attribute the gold texts: the quotes by doc_id, and the ids of the documents that failed."""
    docs = [Document(doc["text"], str(doc["doc_id"])) for doc in gold]
    quotes: dict[str, list[Mapping[str, Any]]] = {}
    failed: list[str] = []
    for doc, record in zip(docs, pipeline.attribute_many(docs), strict=True):
        key = str(doc.doc_id)
        if isinstance(record, ErrorRecord):
            failed.append(key)
            quotes[key] = []
            print(f"{PROG}: {key}: {record.type}: {record.message}", file=sys.stderr)
        else:
            quotes[key] = [a.to_dict() for a in record.attributions]
    return quotes, failed


def _evaluate_command(argv: list[str]) -> int:
    from quoteattr import evaluate as evaluation  # only ``evaluate`` needs it

    parser = _evaluate_parser()
    ns = parser.parse_args(argv)
    edges: list[float] = ns.bands
    if edges != sorted(set(edges)):
        parser.error(f"argument --bands: the edges must increase, got {edges}")
    gold_path: str = ns.gold
    pred_path: str | None = ns.pred

    # Everything that can go wrong before scoring: exit status 2.
    try:
        gold = evaluation.load_gold(gold_path)
        predictions: dict[str, list[Mapping[str, Any]]] = {}
        if pred_path is not None:
            read = evaluation.read_predictions(pred_path)
            predictions = {k: list(v) for k, v in read.quotes.items()}
            failed = list(read.failed)
        else:
            untexted = [str(d["doc_id"]) for d in gold if not isinstance(d.get("text"), str)]
            if untexted:
                raise InputError(
                    f"gold document {untexted[0]!r} has no text to attribute "
                    "(give PRED, or a 'text' or 'source' in the gold)",
                    path=gold_path,
                )
            pipeline = Pipeline(block=ns.block, load_entrypoints=not ns.no_plugins)
    except QuoteattrError as exc:
        return _fail(exc)
    if pred_path is None:
        predictions, failed = _predict(pipeline, gold)

    gold_ids = {str(d["doc_id"]) for d in gold}
    missing = sorted(gold_ids - set(predictions))
    stray = sorted(set(predictions) - gold_ids)
    if missing:
        print(
            f"{PROG}: warning: {len(missing)} of {len(gold_ids)} gold documents have no record "
            f"in {pred_path} (they count as finding nothing), e.g. {missing[0]!r}",
            file=sys.stderr,
        )
    if stray:
        print(
            f"{PROG}: warning: {len(stray)} records of {pred_path} have no gold document "
            f"(they are not scored), e.g. {stray[0]!r}",
            file=sys.stderr,
        )
    threshold: float = ns.min_confidence
    if threshold > 0:
        predictions = evaluation.at_least(predictions, threshold)
    info = {
        "gold": {
            "path": gold_path,
            "documents": len(gold),
            "quotes": sum(len(d["quotes"]) for d in gold),
        },
        "predictions": {
            "path": pred_path,
            "documents": len(predictions),
            "quotes": sum(len(v) for k, v in predictions.items() if k in gold_ids),
            "failed": len(failed),
            "missing": len(missing),
            "min_confidence": threshold,
        },
    }
    result = evaluation.evaluate(
        gold,
        predictions,
        thresholds=ns.thresholds,
        tiers=ns.tiers,
        bands=edges,
        errors=ns.errors,
        seed=ns.seed,
        info=info,
    )
    try:
        if ns.format == "json":
            _write_json(result.to_dict())
        else:
            sys.stdout.write(evaluation.format_text(result))
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if failed:
        print(
            f"{PROG}: {len(failed)} of {len(gold)} documents could not be attributed; "
            "they count as finding nothing",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    return EXIT_OK


_COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "plugins": _plugins_command,
    "formats": _formats_command,
    "evaluate": _evaluate_command,
}


# --------------------------------------------------------------------------------------------
# reading the inputs


def _check_readable(path: str) -> None:
    """:func:`quoteattr.inputs.check_readable`, with a hint for a misplaced command."""
    try:
        check_readable(path)
    except InputError as exc:
        if Path(path).name in _COMMANDS and path == Path(path).name:
            hint = f" (a command such as `{PROG} {path}` must be the first argument)"
            raise InputError(f"{str(exc).removeprefix(path + ': ')}{hint}", path=path) from None
        raise


def _check_encoding(paths: list[str], options: ReadOptions) -> None:
    if options.ascii_compatible:
        return
    for path, _ in expand_paths(paths, options.globs):
        if path != STDIN and Path(path).suffix.lower() == ".jsonl":
            msg = (f"JSONL is read line by line, which --encoding {options.encoding} does not "
                   "allow; convert the file to UTF-8")
            raise InputError(msg, path=path)


def _warn_empty_directories(paths: list[str], options: ReadOptions) -> None:
    for path in paths:
        if path != STDIN and Path(path).is_dir() and not expand_paths([path], options.globs):
            patterns = ", ".join(options.globs)
            print(f"{PROG}: warning: {path} holds no file matching {patterns}", file=sys.stderr)


def attribute_files(
    pipeline: Pipeline,
    paths: Iterable[str],
    *,
    jobs: int = 1,
    options: ReadOptions | None = None,
    max_seconds: float | None = None,
    on_read: Callable[[Document | ErrorRecord], object] | None = None,
    on_error: Callable[[str | None, Exception], object] | None = None,
    lines: LineSpec | None = None,
) -> Iterator[Result | ErrorRecord | str]:
    """Attribute every document of the inputs, yielding one record per document, in order.

    Documents that cannot be read (a malformed JSONL line, invalid UTF-8, too large) become
    :class:`~quoteattr.pipeline.ErrorRecord` objects in their place in the stream
    (:mod:`quoteattr.inputs` reads them). With ``jobs`` above 1 they are attributed in that
    many worker processes (quoteattr.parallel). ``options.max_chars`` and ``max_seconds`` are
    the limits of :meth:`~quoteattr.pipeline.Pipeline.attribute_many`.

    :param on_read: called with each item as it is read, before it is attributed.
    :param on_error: with ``jobs`` 1, called with the ``doc_id`` and the exception of each
        document whose attribution fails, before its error record is yielded (the exception
        still holds its traceback); not called for worker processes, which send back only
        the record.
    :param lines: yield each result as its line in this line format, made where the document
        was attributed (:meth:`~quoteattr.pipeline.Pipeline.attribute_lines`), and the error
        records as they are. With ``on_error`` and ``jobs`` 1 the results come as they are,
        for the writer to make their lines (``min_confidence`` is not applied to them then).
    """
    options = options or ReadOptions()
    docs: Iterable[Document | ErrorRecord] = read_documents(paths, options)
    if on_read is not None:
        docs = _observed(docs, on_read)
    if on_error is not None and jobs == 1:
        return _attribute_each(pipeline, docs, on_error, options.max_chars, max_seconds)
    if lines is not None:
        return pipeline.attribute_lines(
            docs, format=lines.format, encoding=lines.encoding,
            min_confidence=lines.min_confidence, jobs=jobs, max_chars=options.max_chars,
            max_seconds=max_seconds,
        )
    return pipeline.attribute_many(
        docs, jobs=jobs, max_chars=options.max_chars, max_seconds=max_seconds
    )


def _observed(
    items: Iterable[Document | ErrorRecord], see: Callable[[Document | ErrorRecord], object]
) -> Iterator[Document | ErrorRecord]:
    for item in items:
        see(item)
        yield item


def _attribute_each(
    pipeline: Pipeline,
    docs: Iterable[Document | ErrorRecord],
    on_error: Callable[[str | None, Exception], object],
    max_chars: int | None,
    max_seconds: float | None,
) -> Iterator[Result | ErrorRecord]:
    """:meth:`Pipeline.attribute_many` one document at a time, so that the exception of a
    failed document reaches ``on_error``; the records are the same."""
    for doc in docs:
        if isinstance(doc, ErrorRecord):
            yield doc
            continue
        try:
            [record] = pipeline.attribute_many(
                [doc], errors="raise", max_chars=max_chars, max_seconds=max_seconds
            )
        except Exception as exc:
            on_error(doc.doc_id, exc)
            plugin = getattr(exc, "plugin", None)
            yield ErrorRecord(doc.doc_id, type(exc).__name__, str(exc), plugin)
            continue
        yield record


def _at_least(
    stream: Iterable[Result | ErrorRecord | str], threshold: float
) -> Iterator[Result | ErrorRecord | str]:
    """Drop attributions below ``threshold``, and the entities only they referred to (a line
    made already had them dropped where it was made)."""
    for record in stream:
        yield record.at_least(threshold) if isinstance(record, Result) else record


#: the label of the attributions without a speaker in the --summary table
NO_SPEAKER = "(no speaker)"


def _utf8_size(item: Document | ErrorRecord) -> int:
    if isinstance(item, ErrorRecord):
        return 0
    return len(item.text.encode("utf-8", "surrogatepass"))


class _Tally:
    """Counts the records that pass through it, the error records among them, the input bytes
    they came from and, for --summary, the attributions and characters quoted per speaker.

    Every input item gives exactly one record, in order, so the size of each item read
    (:meth:`read`) is matched with the next record counted. Only the progress line shows the
    bytes: without one, nothing need be told of the items read.
    """

    def __init__(self, *, progress: _Progress | None = None, speakers: bool = False) -> None:
        self.records = 0
        self.errors = 0
        self.bytes = 0
        self.progress = progress
        #: speaker name (None: no speaker) -> [attributions, characters], when counted
        self.speakers: dict[str | None, list[int]] | None = {} if speakers else None
        self._sizes: deque[int] = deque()

    def read(self, item: Document | ErrorRecord) -> None:
        self._sizes.append(_utf8_size(item))

    def count(
        self, stream: Iterable[Result | ErrorRecord | str]
    ) -> Iterator[Result | ErrorRecord | str]:
        for record in stream:
            self.records += 1
            self.bytes += self._sizes.popleft() if self._sizes else 0
            if isinstance(record, ErrorRecord):
                self.errors += 1
            elif self.speakers is not None and isinstance(record, Result):
                for a in record.attributions:
                    name = a.speaker.name if a.speaker is not None else None
                    row = self.speakers.setdefault(name, [0, 0])
                    row[0] += 1
                    row[1] += a.end - a.start
            if self.progress is not None:
                self.progress.suspend()
                yield record
                self.progress.resume()
                self.progress.update(self.records, self.errors, self.bytes)
            else:
                yield record


class _Progress:
    """One line on a terminal, rewritten in place with ``\\r``: documents done, errors, MB/s.

    It is redrawn at most every :attr:`interval` seconds. When the output goes to the same
    terminal, :meth:`suspend` clears the line before each record is written and :meth:`resume`
    puts it back after.
    """

    interval = 0.2

    def __init__(
        self,
        stream: TextIO,
        *,
        shares_terminal: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.shares_terminal = shares_terminal
        self.clock = clock
        self.start = clock()
        self._drawn = ""  # what the line shows now
        self._line = ""  # the latest line, also while suspended
        self._due = self.start  # when it may be redrawn next

    def update(self, done: int, errors: int, nbytes: int) -> None:
        now = self.clock()
        if now < self._due:
            return
        self._due = now + self.interval
        elapsed = now - self.start
        rate = f"{nbytes / 1e6 / elapsed:.2f} MB/s" if elapsed > 0 else "- MB/s"
        noun = "document" if done == 1 else "documents"
        self._line = f"{PROG}: {done} {noun} done, {errors} failed, {rate}"
        self._draw(self._line)

    def _draw(self, line: str) -> None:
        padding = " " * max(0, len(self._drawn) - len(line))
        self.stream.write(f"\r{line}{padding}")
        if padding:
            self.stream.write("\b" * len(padding))
        self.stream.flush()
        self._drawn = line

    def clear(self) -> None:
        """Blank the line and put the cursor back at its start."""
        if self._drawn:
            self.stream.write("\r" + " " * len(self._drawn) + "\r")
            self.stream.flush()
            self._drawn = ""

    def suspend(self) -> None:
        if self.shares_terminal:
            self.clear()

    def resume(self) -> None:
        if self.shares_terminal and self._line:
            self._draw(self._line)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed stream
        return False


def _inert(text: str) -> str:
    """``text`` on one line with control and bidi characters escaped, for the terminal."""
    return "".join(
        c.encode("unicode_escape").decode("ascii")
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in " ".join(text.split())
    )


def _summary_lines(tally: _Tally) -> list[str]:
    """The --summary table: speakers by characters quoted, then attributions, then name."""
    speakers = tally.speakers or {}
    total_n = sum(n for n, _ in speakers.values())
    total_chars = sum(chars for _, chars in speakers.values())
    failed = f", {tally.errors} failed" if tally.errors else ""
    noun = "document" if tally.records == 1 else "documents"
    lines = [f"{PROG}: summary of {tally.records} {noun}{failed}"]
    named = sorted(
        ((name, n, chars) for name, (n, chars) in speakers.items() if name is not None),
        key=lambda row: (-row[2], -row[1], row[0]),
    )
    rows = [(_shorten(_inert(name), 40), n, chars) for name, n, chars in named]
    if None in speakers:
        n, chars = speakers[None]
        rows.append((NO_SPEAKER, n, chars))
    rows.append(("total", total_n, total_chars))
    width = max(len("speaker"), *(len(name) for name, _, _ in rows))
    lines.append(f"{'speaker'.ljust(width)}  attributions  characters")
    lines.extend(f"{name.ljust(width)}  {n:>12}  {chars:>10}" for name, n, chars in rows)
    return lines


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_traceback(exc: BaseException, progress: _Progress | None = None) -> None:
    if progress is not None:
        progress.clear()
    import traceback  # only for --debug and the errors that stop a run

    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)


# --------------------------------------------------------------------------------------------
# writing the output


class _Output:
    """Standard output, or a file written through a temporary file in the same directory.

    The temporary file is created up front, so an unwritable destination is reported before
    any work is done; :meth:`commit` renames it over the destination, :meth:`discard` removes it.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._tmp: str | None = None
        self.stream: TextIO
        if path is None or path == STDIN:
            self.stream = sys.stdout
            return
        target = Path(path)
        if target.is_dir():
            raise QuoteattrError(f"cannot write {path}: it is a directory")
        if target.exists() and not target.is_file():
            # /dev/null, a named pipe, a terminal: written in place, never replaced by a file
            try:
                self.stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise QuoteattrError(f"cannot write {path}: {reason}") from None
            return
        try:
            fd, self._tmp = _temporary_file(os.fspath(target.parent), f".{target.name}.")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise QuoteattrError(f"cannot write {path}: {reason}") from None
        self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        """Make the output final: flush it, and put the file in place of the destination."""
        if self._tmp is None:
            self.stream.flush()
            if self.stream is not sys.stdout:
                self.stream.close()
            return
        assert self.path is not None
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.chmod(self._tmp, _file_mode(self.path))
        os.replace(self._tmp, self.path)
        self._tmp = None

    def discard(self) -> None:
        """Abandon the output: the destination file, if any, is left as it was."""
        if self._tmp is None:
            return
        self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)
        self._tmp = None


#: how many names :func:`_temporary_file` tries before it gives up (as many as tempfile does)
_TEMPORARY_NAMES = 10_000


def _temporary_file(directory: str, prefix: str) -> tuple[int, str]:
    """A new file ``PREFIX<random>.tmp`` in ``directory``, open for writing, readable and
    writable by its owner only: its descriptor and absolute path, as ``tempfile.mkstemp``
    makes it (that module, with shutil and the compression modules it imports, took a few
    per cent of the start-up)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(_TEMPORARY_NAMES):
        path = os.path.join(directory, f"{prefix}{os.urandom(5).hex()}.tmp")
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        return fd, os.path.abspath(path)
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found")


def _file_mode(path: str) -> int:
    """The permissions for the output: those of the file it replaces, else the umask's."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# --------------------------------------------------------------------------------------------
# quoteattr FILE...


def _attribute_command(argv: list[str]) -> int:
    parser = _attribute_parser()
    ns = parser.parse_args(argv)
    paths: list[str] = ns.files
    fmt: str = ns.format
    threshold: float = ns.min_confidence
    quiet: bool = ns.quiet
    debug: bool = ns.debug
    if paths.count(STDIN) > 1:
        parser.error('standard input ("-") can be read only once')

    max_chars: int = ns.max_chars
    options = ReadOptions(
        encoding=ns.encoding,
        errors=ns.errors,
        globs=tuple(ns.glob) if ns.glob else DEFAULT_GLOBS,
        max_chars=max_chars or None,
    )

    # Everything that can be checked before the first document is processed: exit status 2.
    try:
        for path in paths:
            _check_readable(path)
        _check_encoding(paths, options)
        _warn_empty_directories(paths, options)
        # Loading the plugins makes the objects that last the whole run (modules, lexicons,
        # patterns): collecting while they are made would find nothing, and they are frozen
        # out of collections once they are all made.
        with gc_paused():
            pipeline = Pipeline(block=ns.block, load_entrypoints=not ns.no_plugins)
            tune_gc_for_batch()
        if fmt not in pipeline.formats:
            available = ", ".join(pipeline.formats) or "none"
            raise FormatError(f"unknown output format {fmt!r} (available: {available})")
        output = _Output(ns.output)
    except QuoteattrError as exc:
        return _fail(exc, debug=debug)

    progress: _Progress | None = None
    if not quiet and _isatty(sys.stderr) and _many_documents(paths):
        shares = output.stream is sys.stdout and _isatty(sys.stdout)
        progress = _Progress(sys.stderr, shares_terminal=shares)
    tally = _Tally(progress=progress, speakers=ns.summary)

    def failed(doc_id: str | None, exc: Exception) -> None:
        if progress is not None:
            progress.clear()
        print(f"{PROG}: {_inert(str(doc_id))} failed; its traceback (--debug):", file=sys.stderr)
        _print_traceback(exc)

    # a line format's lines are made where each document is attributed: in the worker
    # processes, with --jobs N (--summary counts speakers, and needs the results themselves)
    lines = None
    if pipeline.formats[fmt].line is not None and not ns.summary:
        lines = LineSpec(fmt, stream_encoding(output.stream), threshold)
    stream = attribute_files(
        pipeline, paths, jobs=ns.jobs, options=options, max_seconds=ns.max_seconds_per_doc,
        on_read=tally.read if progress is not None else None,
        on_error=failed if debug else None, lines=lines,
    )
    if threshold > 0:
        stream = _at_least(stream, threshold)
    try:
        pipeline.write(tally.count(stream), output.stream, format=fmt)
    except BrokenPipeError:
        output.discard()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except QuoteattrError as exc:
        output.discard()
        return _fail(exc, EXIT_ERRORS, debug=debug, progress=progress)
    except OSError as exc:  # writing the output failed: a full disk, a vanished directory
        output.discard()
        where = ns.output or "the output"
        return _fail(f"cannot write {where}: {exc.strerror or exc}", EXIT_ERRORS,
                     debug=debug, progress=progress, exc=exc)
    except BaseException:
        output.discard()
        raise
    finally:
        if progress is not None:
            progress.clear()
    try:
        output.commit()
    except OSError as exc:
        output.discard()
        return _fail(f"cannot write {ns.output}: {exc.strerror or exc}", EXIT_ERRORS,
                     debug=debug, exc=exc)
    if ns.summary:
        print("\n".join(_summary_lines(tally)), file=sys.stderr)
    if tally.errors:
        if not quiet:
            print(
                f"{PROG}: {tally.errors} of {tally.records} documents failed; "
                "the output holds an error record for each",
                file=sys.stderr,
            )
        return EXIT_ERRORS
    return EXIT_OK


def _many_documents(paths: Sequence[str]) -> bool:
    """Whether the inputs may hold more than one document: the progress line is for those."""
    return len(paths) > 1 or any(
        path != STDIN and (Path(path).is_dir() or Path(path).suffix.lower() == ".jsonl")
        for path in paths
    )
