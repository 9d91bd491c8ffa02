"""Throughput of the whole pipeline on a corpus, against a bare regex scan as the floor.

    python benchmarks/throughput.py CORPUS.jsonl [--repeat 3] [--jobs 2] [--no-cli]

CORPUS.jsonl holds one ``{"doc_id", "text"}`` object a line. Each measurement is run
``--repeat`` times and the median is reported, with every run listed:

- floor, in memory: one ``regex`` pass over the same texts that finds every quoted span (an
  opening mark, then anything but its closing mark, then the closing mark), the "bare regex
  scan for quoted spans" of the issue that asked for these benchmarks; the in-process runs are
  compared with it;
- floor, whole process: the same scan run as a program of its own, ``python`` reading and
  decoding the JSONL corpus line by line (interpreter start included): what the CLI does
  besides attributing, so the CLI runs are compared with it;
- in process: ``Pipeline.attribute_many`` over the documents, with ``jobs=1`` and, when
  ``--jobs N`` is above 1, with ``jobs=N`` too (worker start-up included);
- CLI: ``python -m quoteattr CORPUS --format jsonl -o FILE`` in a child process: wall time
  (interpreter start, plugin loading, JSON reading and writing included) and the child's peak
  RSS (``ru_maxrss`` from ``os.wait4``: that child and the workers it waited for). When the CLI
  has a ``--jobs`` option, it runs with ``--jobs N`` as well.

MB are 10^6 bytes of the texts in UTF-8; "x floor" is the time divided by the time of the
floor of the same kind (in memory for in-process runs, whole process for CLI runs).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex
from common import (
    describe_machine,
    eprint,
    fmt_runs,
    median_of,
    megabytes,
    read_corpus,
    table,
    timed,
)

from quoteattr import ErrorRecord, Pipeline, Result

#: a quoted span for each double-mark pair of quoteattr's lexicon (lexicons/quote_marks.txt):
#: the opening mark, no closing mark, the closing mark; linear (one way to match each text)
QUOTED_SPANS = r'"[^"]*"|“[^”"]*[”"]|„[^“”]*[“”]|«[^»]*»|「[^」]*」|『[^』]*』'

#: the whole-process floor: read and decode the corpus, scan every text (argv[1]: the corpus)
FLOOR_PROGRAM = f"""
import json, sys, regex
spans = regex.compile({QUOTED_SPANS!r})
found = 0
with open(sys.argv[1], encoding="utf-8") as stream:
    for line in stream:
        if line.strip():
            found += sum(1 for _ in spans.finditer(json.loads(line)["text"]))
print(found)
"""


def floor(texts: list[str]) -> int:
    spans = regex.compile(QUOTED_SPANS)
    return sum(1 for text in texts for _ in spans.finditer(text))


def floor_process(corpus: str) -> tuple[float, int]:
    """Wall seconds of the whole-process floor, and the spans it found."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", FLOOR_PROGRAM, corpus], capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - start, int(done.stdout)


def in_process(pipeline: Pipeline, docs: list[tuple[str, str]], jobs: int) -> tuple[int, int]:
    attributions = errors = 0
    for record in pipeline.attribute_many(docs, jobs=jobs):
        if isinstance(record, ErrorRecord):
            errors += 1
        elif isinstance(record, Result):
            attributions += len(record.attributions)
    return attributions, errors


#: where the CLI runs: not the current directory, which ``python -m`` puts first on the path,
#: so that from a checkout the CLI runs the installed package (compiled, for a compiled
#: install), not the source tree beside it
_CLI_CWD = tempfile.gettempdir()


def cli_supports_jobs() -> bool:
    done = subprocess.run([sys.executable, "-m", "quoteattr", "--help"], cwd=_CLI_CWD,
                          capture_output=True, text=True, check=False)
    return "--jobs" in done.stdout


def cli_version() -> str:
    """What ``quoteattr --version`` prints in the CLI's runs: the version and the build."""
    done = subprocess.run([sys.executable, "-m", "quoteattr", "--version"], cwd=_CLI_CWD,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip()


def run_cli(corpus: str, jobs: int) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KB, exit status of one CLI run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        cmd = [sys.executable, "-m", "quoteattr", corpus, "--format", "jsonl", "-o", str(out)]
        if jobs > 1:
            cmd += ["--jobs", str(jobs)]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=_CLI_CWD)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return seconds, usage.ru_maxrss, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="a JSONL file of {doc_id, text} objects")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--jobs", type=int, default=2, help="also measure jobs=N (default 2)")
    parser.add_argument("--limit", type=int, help="use only the first N documents")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    ns = parser.parse_args(argv)

    print(describe_machine())
    from quoteattr import __version__, compiled

    print(f"in process: quoteattr {__version__} ({'compiled' if compiled() else 'pure Python'})"
          f"{'' if ns.no_cli else '; CLI: ' + cli_version()}")
    tmp_dir = tempfile.mkdtemp(prefix="quoteattr-bench-")
    docs = read_corpus(ns.corpus, ns.limit)
    texts = [text for _, text in docs]
    mb = megabytes(texts)
    build, pipeline = timed(Pipeline)
    print(f"corpus: {ns.corpus}: {len(docs)} documents, {mb:.2f} MB of text; "
          f"pipeline built in {build:.2f} s")

    # (label, runs, peak RSS note, the floor it is compared with)
    results: list[tuple[str, list[float], str, str]] = []
    floor_runs: list[float] = []
    for _ in range(ns.repeat):
        seconds, spans = timed(lambda: floor(texts))
        floor_runs.append(seconds)
    results.append(("floor, in memory: regex scan for quoted spans", floor_runs, "-", "memory"))
    print(f"floor: {spans} quoted spans")
    cli_corpus = os.path.abspath(ns.corpus)  # (the CLI runs elsewhere: see _CLI_CWD)
    if ns.limit is not None:  # the child processes read the same documents as the runs here
        cli_corpus = write_corpus(docs, tmp_dir)
    process_runs = [floor_process(cli_corpus)[0] for _ in range(ns.repeat)]
    results.append(("floor, whole process: read the JSONL, same scan", process_runs, "-",
                    "process"))

    self_before = resource.getrusage(resource.RUSAGE_SELF)
    variants = [1] + ([ns.jobs] if ns.jobs > 1 else [])
    speed: dict[int, float] = {}
    for jobs in variants:
        runs: list[float] = []
        cpu: list[float] = []
        for i in range(ns.repeat):
            before = _cpu()
            run = functools.partial(in_process, pipeline, docs, jobs)
            seconds, (attributions, errors) = timed(run)
            runs.append(seconds)
            cpu.append(_cpu() - before)
            eprint(f"  in process, jobs={jobs}, run {i + 1}: {seconds:.2f} s")
        speed[jobs] = median_of(runs)
        rss = resource.getrusage(resource.RUSAGE_SELF if jobs == 1 else resource.RUSAGE_CHILDREN)
        note = f"{rss.ru_maxrss / 1024:.0f} MB" + (" (largest worker)" if jobs > 1 else "")
        results.append((f"in process, jobs={jobs}", runs, note, "memory"))
        print(f"in process, jobs={jobs}: {attributions} attributions, {errors} error records; "
              f"CPU s (all processes) per run: {fmt_runs(cpu)}")
    print(f"benchmark process peak RSS before the runs: {self_before.ru_maxrss / 1024:.0f} MB "
          "(it holds the corpus)")

    cli_speed: dict[int, float] = {}
    if not ns.no_cli:
        cli_jobs = [1] + ([ns.jobs] if ns.jobs > 1 and cli_supports_jobs() else [])
        for jobs in cli_jobs:
            runs, peaks = [], []
            for i in range(ns.repeat):
                seconds, peak, status = run_cli(cli_corpus, jobs)
                runs.append(seconds)
                peaks.append(peak)
                eprint(f"  CLI, jobs={jobs}, run {i + 1}: {seconds:.2f} s, exit status {status}")
            label = "CLI --format jsonl -o FILE" + (f" --jobs {jobs}" if jobs > 1 else "")
            results.append((label, runs, f"{max(peaks) / 1024:.0f} MB", "process"))
            cli_speed[jobs] = median_of(runs)

    floors = {"memory": median_of(floor_runs), "process": median_of(process_runs)}
    rows = [["", "median s", "MB/s", "docs/s", "x floor", "peak RSS", "runs (s)"]]
    for label, runs, rss_note, kind in results:
        med = median_of(runs)
        rows.append([label, f"{med:.3f}", f"{mb / med:.2f}", f"{len(docs) / med:.0f}",
                     f"{med / floors[kind]:.1f}", rss_note, fmt_runs(runs)])
    print()
    for line in table(rows):
        print(line)
    if len(speed) > 1:
        print(f"\njobs={ns.jobs} vs jobs=1, in process: {speed[1] / speed[ns.jobs]:.2f}x faster")
    if len(cli_speed) > 1:
        print(f"jobs={ns.jobs} vs jobs=1, CLI: {cli_speed[1] / cli_speed[ns.jobs]:.2f}x faster")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    return 0


def write_corpus(docs: list[tuple[str, str]], directory: str) -> str:
    path = Path(directory) / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for doc_id, text in docs:
            out.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return str(path)


def _cpu() -> float:
    self_ = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return self_.ru_utime + self_.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    sys.exit(main())
