"""Where the time goes: seconds spent in each plugin's hook implementation over a corpus.

    python benchmarks/hooks.py [CORPUS.jsonl] [--repeat 3]

Every hook implementation of a default ``Pipeline`` is wrapped in a timer (generators are
drained inside it), then ``Pipeline.attribute_many`` runs over the corpus (the seed article
without one). Lazily built shared indexes (sentences, sentence tokens) are charged to the first
plugin that asks for them. The time not spent in any hook implementation is the pipeline's own
(pluggy, checks, merging, assembling results).
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from common import SEED, describe_machine, eprint, median_of, read_corpus, table

from quoteattr import Pipeline


def _timed(name: str, func: Callable[..., Any], spent: Counter[str]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(func):

        def drained(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            result = list(func(*args, **kwargs))
            spent[name] += time.perf_counter() - t
            return result

        return drained

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        result = func(*args, **kwargs)
        spent[name] += time.perf_counter() - t
        return result

    return timed


def run(docs: list[tuple[str, str]]) -> tuple[float, Counter[str]]:
    pipeline = Pipeline()
    spent: Counter[str] = Counter()
    for caller in vars(pipeline.pm.hook).values():
        if not hasattr(caller, "get_hookimpls"):
            continue
        hook = caller.name.removeprefix("quoteattr_")
        for impl in caller.get_hookimpls():
            impl.function = _timed(f"{hook}: {impl.plugin_name}", impl.function, spent)
    t = time.perf_counter()
    for _ in pipeline.attribute_many(docs):
        pass
    return time.perf_counter() - t, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="a JSONL file of {doc_id, text} objects")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median per hook)")
    ns = parser.parse_args()
    docs = read_corpus(ns.corpus) if ns.corpus else [("seed", SEED.read_text(encoding="utf-8"))]
    eprint(describe_machine())
    totals: list[float] = []
    per_hook: dict[str, list[float]] = {}
    for k in range(ns.repeat):
        total, spent = run(docs)
        eprint(f"  run {k + 1}: {total:.2f} s")
        totals.append(total)
        for name, seconds in spent.items():
            per_hook.setdefault(name, []).append(seconds)
    total = median_of(totals)
    rows = [["hook: plugin", "median s", "share"]]
    for name, runs in sorted(per_hook.items(), key=lambda kv: -median_of(kv[1])):
        rows.append([name, f"{median_of(runs):.3f}", f"{median_of(runs) / total:.0%}"])
    inside = sum(median_of(runs) for runs in per_hook.values())
    rows.append(["(pipeline, outside any hook implementation)", f"{total - inside:.3f}",
                 f"{(total - inside) / total:.0%}"])
    rows.append(["total", f"{total:.3f}", "100%"])
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
