"""How the time for one document grows with its length: 1x, 4x, 16x and 64x.

    python benchmarks/scaling.py [CORPUS.jsonl] [--doc-id ID] [--factors 1,4,16,64] [--repeat 3]

The document (by default the corpus document of median length; without a corpus, the seed
article) is made k times longer by repeating its paragraphs, joined by blank lines as they were.
For a pipeline linear in the length, "per-char vs 1x" (the time per character divided by that
at 1x) stays near 1.0; 4x at 16x means the cost per character grew fourfold. The number of
attributions should grow k-fold too: the longer document says the same things k times.
A factor is skipped once the previous one took longer than --budget seconds.
"""

from __future__ import annotations

import argparse
import functools
import sys

from common import (
    SEED,
    describe_machine,
    eprint,
    fmt_runs,
    median_of,
    paragraphs,
    read_corpus,
    table,
    timed,
)

from quoteattr import Pipeline


def pick(corpus: str | None, doc_id: str | None) -> tuple[str, str]:
    if not corpus:
        return "seed article", SEED.read_text(encoding="utf-8")
    docs = read_corpus(corpus)
    if doc_id is not None:
        found = [d for d in docs if d[0] == doc_id]
        if not found:
            raise SystemExit(f"no document {doc_id!r} in {corpus}")
        return found[0]
    by_length = sorted(docs, key=lambda d: len(d[1]))
    return by_length[len(by_length) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="a JSONL file of {doc_id, text} objects")
    parser.add_argument("--doc-id", help="the document to grow (default: median length)")
    parser.add_argument("--factors", default="1,4,16,64", help="comma-separated list")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size (median)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds; see above")
    ns = parser.parse_args(argv)
    factors = [int(f) for f in ns.factors.split(",")]

    print(describe_machine())
    doc_id, text = pick(ns.corpus, ns.doc_id)
    paras = paragraphs(text)
    pipeline = Pipeline()
    pipeline.attribute("warm-up: “Yes,” she said.")
    print(f"document: {doc_id}: {len(text)} characters, {len(paras)} paragraphs")

    rows = [["factor", "chars", "median s", "s per MB", "per-char vs 1x", "attributions",
             "runs (s)"]]
    base: float | None = None
    for k in factors:
        grown = "\n\n".join(paras * k)
        runs: list[float] = []
        count = 0
        for _ in range(ns.repeat):
            seconds, result = timed(functools.partial(pipeline.attribute, grown))
            runs.append(seconds)
            count = len(result)
        med = median_of(runs)
        per_char = med / len(grown)
        base = base or per_char
        mb = len(grown.encode("utf-8")) / 1e6
        rows.append([f"{k}x", f"{len(grown)}", f"{med:.3f}", f"{med / mb:.2f}",
                     f"{per_char / base:.2f}", f"{count}", fmt_runs(runs)])
        eprint(f"  {k}x: {med:.2f} s")
        if med > ns.budget:
            eprint(f"  stopping: {k}x took more than {ns.budget:.0f} s")
            break
    for line in table(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
