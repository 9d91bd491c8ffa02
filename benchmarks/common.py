"""What the benchmark scripts share: reading a corpus, timing, and describing the machine."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "kabulov.txt"
T = TypeVar("T")


def read_corpus(path: str | Path, limit: int | None = None) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of each line of a ``{"doc_id", "text"}`` JSONL file."""
    docs: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as stream:
        for lineno, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            obj = json.loads(line)
            docs.append((str(obj.get("doc_id", lineno)), obj["text"]))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def ordinary_texts(corpus: str | None) -> list[str]:
    """Ordinary prose: the corpus's texts, or the seed article when no corpus is given."""
    if corpus:
        return [text for _, text in read_corpus(corpus)]
    return [SEED.read_text(encoding="utf-8")]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def megabytes(texts: list[str] | str) -> float:
    """UTF-8 size in MB (10^6 bytes)."""
    if isinstance(texts, str):
        texts = [texts]
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def timed(func: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def median_of(runs: list[float]) -> float:
    return statistics.median(runs)


def fmt_runs(runs: list[float]) -> str:
    return ", ".join(f"{r:.2f}" for r in runs)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{out}{' (with uncommitted changes)' if dirty else ''}"


def describe_machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')}, commit {commit()}, {os.cpu_count()} CPUs "
        f"({cpu_model()}), Python {platform.python_version()}, load average {load}"
    )


def table(rows: list[list[str]]) -> Iterator[str]:
    """Left-aligned first column, right-aligned others."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        yield "  ".join(cells).rstrip()


def eprint(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)
