"""Generate a corpus of hostile inputs for the command line, deterministically.

    python tests/hostile.py DIR        # write the corpus into DIR (created if need be)

tests/test_reliability.py runs ``quoteattr`` over it and checks that every document gives
exactly one record. Each file is built from fixed strings and a seeded generator, so two runs
write the same bytes. :func:`write_corpus` returns each file's name and the number of
documents it holds, which is the number of records the command line must write for it:

- a text file is one document, whatever its bytes (unreadable ones give an error record);
- a ``.jsonl`` file is one document per line that is not blank (bad lines give error records).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

__all__ = ["SEED", "build_corpus", "expected_documents", "write_corpus"]

SEED = 20260601
_SAY = "“We will win,” said Ana Lopez, the mayor."


def _html() -> bytes:
    text = (
        "<html><head><script>var q = \"“not a quote,” said nobody\"; "
        "document.write('<b onmouseover=alert(1)>x</b>');</script></head>\n"
        "<body><p class=\"lede\" onmouseover=\"alert('“hi,” he said')\">"
        "“The budget is balanced,” the minister said on Tuesday.</p>"
        "<a href=\"javascript:alert(&quot;x&quot;)\">&ldquo;Click&rdquo; here</a>"
        "<img src=x onerror=alert(1)>&#8220;Escaped,&#8221; she said.<!-- “comment,” -->"
        "<style>p::before { content: '“'; }</style></body></html>\n"
    )
    return text.encode("utf-8")


def _random_text(rng: random.Random, size: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz    ,.“”\"'‘’«»\n"
    return "".join(rng.choice(alphabet) for _ in range(size))


def _jsonl(*objects: object) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode("utf-8")


def build_corpus(seed: int = SEED) -> dict[str, bytes]:
    """The corpus: file name -> bytes."""
    rng = random.Random(seed)
    corpus: dict[str, bytes] = {}
    corpus["html.txt"] = _html()
    corpus["invalid_utf8.txt"] = (
        _SAY.encode() + b"\n caf\xe9 \xff\xfe \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 " + b"\x80"
    )
    corpus["nul.txt"] = f"\x00{_SAY}\x00 “Nul\x00 inside,” he said.\x00".encode()
    corpus["bom.txt"] = b"\xef\xbb\xbf" + f"{_SAY}\r\n".encode()
    corpus["crlf_cr.txt"] = f"{_SAY}\r\n\r\n“Then CR,” he said.\r“Lone,” she said.\r".encode()
    separators = "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"
    names = ["Ana", "Bo", "Cy", "Di", "Ed", "Fa", "Gu", "Hu"]
    corpus["separators.txt"] = "".join(
        f"“Line {i},” said {name}.{sep}"
        for i, (sep, name) in enumerate(zip(separators, names, strict=True))
    ).encode()
    corpus["surrogates.jsonl"] = (
        b'{"doc_id": "lone-high", "text": "\\ud800 \\u201cHi,\\u201d she said."}\n'
        b'{"doc_id": "lone-low", "text": "\\u201c\\udc80 x,\\u201d he said. \\udfff"}\n'
        b'{"doc_id": "reversed-pair", "text": "\\udc00\\ud800\\u201cOk,\\u201d said Bo."}\n'
    )
    corpus["quote_marks_100k.txt"] = "".join(
        rng.choice("“”\"‘’«»„") for _ in range(100_000)
    ).encode()
    corpus["unbalanced.txt"] = ("“Open and never closed, she said. " * 2_000
                                + "” ” ” closed and never opened." * 500).encode()
    corpus["long_sentence.txt"] = (
        "“" + " and ".join(f"word{i} said that the vote" for i in range(20_000)) + ",” she said."
    ).encode()
    depth = 2_000
    corpus["nested.txt"] = (
        "".join("“‘"[i % 2] for i in range(depth)) + "deep"
        + "".join("”’"[i % 2] for i in reversed(range(depth))) + " said Ana."
    ).encode()
    corpus["empty.txt"] = b""
    corpus["whitespace.txt"] = " \t\r\n\n\u3000\u00a0 \n".encode()
    corpus["huge_line.txt"] = _random_text(rng, 200_000).replace("\n", " ").encode()
    corpus["binary_junk.txt"] = bytes(rng.randrange(256) for _ in range(50_000))
    corpus["malformed.jsonl"] = b"\n".join(
        [
            b"not json at all",
            b'["an", "array"]',
            b'{"doc_id": "no-text"}',
            b'{"doc_id": "number", "text": 42}',
            b'{"doc_id": true, "text": "boolean id"}',
            b'{"doc_id": "truncated", "text": "\xe2\x80\x9cHi,',
            b'{"doc_id": "bad-utf8", "text": "caf\xe9"}',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"doc_id": "bad-escape", "text": "\\x41"}',
            b"\x00\x01\x02",
            b"",
            b"   ",
            b'{"doc_id": "nan", "text": NaN}',
        ]
    ) + b"\n"
    corpus["mixed.jsonl"] = b"".join(
        [
            _jsonl({"doc_id": "good-1", "text": _SAY}),
            b"{broken\n",
            _jsonl({"doc_id": "good-2", "text": "“Yes,” he said.\u2028“No,” she said."}),
            b"\n",
            _jsonl({"text": "no id: named after the line"}),
            b'{"doc_id": "bad-2", "text": null}\n',
            _jsonl({"doc_id": "good-3", "text": "<script>“x,” said y</script>", "extra": [1, 2]}),
            b'{"doc_id": "last-no-newline", "text": "\\u201cEnd,\\u201d said Cy."}',
        ]
    )
    return corpus


def expected_documents(name: str, data: bytes) -> int:
    """How many documents (so records) the file ``name`` holding ``data`` gives."""
    if name.endswith(".jsonl"):
        return sum(1 for line in data.split(b"\n") if line.strip())
    return 1


def write_corpus(directory: Path, seed: int = SEED) -> dict[str, int]:
    """Write the corpus into ``directory``; file name -> number of documents, in name order."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, data in sorted(build_corpus(seed).items()):
        (directory / name).write_bytes(data)
        counts[name] = expected_documents(name, data)
    return counts


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile.py DIR")
    for file_name, count in write_corpus(Path(sys.argv[1])).items():
        print(f"{count:3}  {file_name}")
