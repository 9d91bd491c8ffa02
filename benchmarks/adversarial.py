"""Cost per MB of hostile inputs, relative to ordinary text (goal: within 3x).

    python benchmarks/adversarial.py [CORPUS.jsonl] [--timeout 120] [--repeat 3] [--only NAME]

"Ordinary" is the corpus (without one, the seed article repeated) attributed document by
document, about 1 MB of it; each case is one document built to stress one part of the rules.
Each case runs in a child process with a time limit, so a super-linear case reports "timeout"
instead of hanging the benchmark; the time counted is attribution only (the pipeline is built
first). "x ordinary" is seconds per MB divided by ordinary text's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from common import describe_machine, eprint, megabytes, ordinary_texts, paragraphs, table

from quoteattr import Pipeline

GOAL = 3.0
FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jules"]
LAST = ["Lopez", "Stone", "Okafor", "Marsh", "Whitfield", "Ruiz", "Novak", "Sato", "Kim", "Berg"]


def _words(texts: list[str]) -> list[str]:
    words = []
    for text in texts:
        for word in text.split():
            bare = "".join(ch for ch in word if ch.isalnum())
            if bare:
                words.append(bare)
    return words


def _names(n: int) -> list[str]:
    return [f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}" for i in range(n)]


def cases(ordinary: list[str]) -> dict[str, Callable[[], str]]:
    """Name -> a function that builds the case's text."""
    words = _words(ordinary)

    def sentence_1mb() -> str:
        out: list[str] = []
        size = 0
        i = 0
        while size < 1_000_000:
            w = words[i % len(words)]
            out.append(w)
            size += len(w) + 1
            i += 1
        return " ".join(out)

    def nested(depth: int) -> str:
        marks = [("“", "”"), ("‘", "’")]
        opening = "".join(f"{marks[i % 2][0]}w{i} said " for i in range(depth))
        closing = "".join(marks[i % 2][1] for i in reversed(range(depth)))
        return f"He said {opening}the end{closing}."

    return {
        "100k straight double quotes in a row": lambda: '"' * 100_000,
        "100k marks: 50k one-word quotes “a”": lambda: "“a” " * 50_000,
        "100k marks: dense dialogue with cues": lambda: '“Yes,” she said. “No,” he said. ' * 25_000,
        "50k turns of uncued dialogue, a paragraph each": lambda: (
            "“Is it far?” asked Mara.\n\n“Two miles,” said Tomas.\n\n"
            + "“Then we walk on.”\n\n“If you like.”\n\n" * 25_000
        ),
        "unbalanced: 50k opening marks never closed": lambda: "“It was fine. " * 50_000,
        "unbalanced: 50k closing marks never opened": lambda: "It was fine.” " * 50_000,
        "unbalanced: odd straight quotes": lambda: 'He said "yes. She said no. ' * 40_000,
        "1 MB sentence without punctuation": sentence_1mb,
        "1 MB sentence of abbreviations (Mr. Mr. …)": lambda: "Mr. " * 250_000,
        "10k names in a row, then a cue": lambda: " ".join(_names(10_000)) + " said it was late.",
        "10k names, comma-separated, then a cue": (
            lambda: ", ".join(_names(10_000)) + " said it was late."
        ),
        "deeply nested quotes (depth 5,000)": lambda: nested(5_000),
        "100k apostrophes": (
            lambda: "The Smiths' house, rock 'n' roll, it's the '90s. " * 20_000
        ),
        "ordinary text as one 1 MB document": lambda: _one_mb(ordinary),
    }


def _one_mb(ordinary: list[str]) -> str:
    paras = [p for text in ordinary for p in paragraphs(text)]
    out: list[str] = []
    size = 0
    i = 0
    while size < 1_000_000:
        out.append(paras[i % len(paras)])
        size += len(paras[i % len(paras)].encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)


def _ordinary_docs(ordinary: list[str]) -> list[str]:
    """About 1 MB of ordinary documents."""
    docs: list[str] = []
    size = 0
    i = 0
    while size < 1_000_000:
        docs.append(ordinary[i % len(ordinary)])
        size += len(docs[-1].encode("utf-8"))
        i += 1
    return docs


def _child(conn: Connection, texts: list[str], repeat: int) -> None:
    pipeline = Pipeline()
    pipeline.attribute("warm-up: “Yes,” she said.")
    runs = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = sum(len(pipeline.attribute(text)) for text in texts)
        runs.append(time.perf_counter() - start)
    conn.send((runs, count))


def measure(texts: list[str], repeat: int, timeout: float) -> tuple[float | None, int]:
    """Median seconds (``None`` on timeout) and the attributions found."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, texts, repeat), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return None, 0
        runs, count = parent.recv()
        return statistics.median(runs), count
    except EOFError:  # the child died
        return None, -1
    finally:
        proc.kill()
        proc.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="a JSONL file of {doc_id, text} objects")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case (median)")
    parser.add_argument("--only", help="run the cases whose name contains this")
    ns = parser.parse_args(argv)

    print(describe_machine())
    ordinary = ordinary_texts(ns.corpus)
    base_docs = _ordinary_docs(ordinary)
    base_mb = megabytes(base_docs)
    base_s, base_count = measure(base_docs, ns.repeat, ns.timeout)
    if base_s is None:
        raise SystemExit("ordinary text timed out: raise --timeout")
    base_rate = base_s / base_mb
    print(f"ordinary: {len(base_docs)} documents, {base_mb:.2f} MB: {base_s:.2f} s, "
          f"{base_rate:.2f} s per MB, {base_count} attributions")

    rows = [["case", "MB", "median s", "s per MB", "x ordinary", "attributions", "verdict"]]
    for name, build in cases(ordinary).items():
        if ns.only and ns.only not in name:
            continue
        text = build()
        mb = megabytes(text)
        seconds, count = measure([text], ns.repeat, ns.timeout)
        if seconds is None:
            verdict = "TIMEOUT" if count == 0 else "CRASHED"
            floor_ratio = ns.timeout / mb / base_rate
            rows.append([name, f"{mb:.2f}", f"> {ns.timeout:.0f}", "-",
                         f"> {floor_ratio:.0f}", "-", verdict])
        else:
            ratio = seconds / mb / base_rate
            verdict = "ok" if ratio <= GOAL else f"over {GOAL:.0f}x"
            rows.append([name, f"{mb:.2f}", f"{seconds:.2f}", f"{seconds / mb:.2f}",
                         f"{ratio:.2f}", f"{count}", verdict])
        eprint(f"  {name}: {rows[-1][2]} s")
    for line in table(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
