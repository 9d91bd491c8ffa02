"""Coverage-guided fuzzing of ``quoteattr.attribute`` with atheris.

    pip install atheris
    python fuzz/atheris_attribute.py -max_total_time=600 -rss_limit_mb=4096 fuzz/corpus

The input bytes become a text in one of three ways (chosen by the first byte), so that the
fuzzer reaches every kind of text the command line can hand the pipeline: UTF-8 with
``replace``, UTF-8 with ``surrogateescape`` (lone surrogates), and UTF-16 code units (any
code point, lone surrogates included). For each text the harness checks the invariants that
hold for any input:

- ``attribute`` returns a ``Result`` and raises nothing;
- every span of every attribution slices the text exactly (``text[start:end] == span.text``);
- the result's dict form survives a JSON round trip (``ensure_ascii`` output, so that lone
  surrogates are allowed).

A failure is reported by atheris with the input that caused it, written to ``crash-*``.
See fuzz/README.md and docs/reliability.md.
"""

from __future__ import annotations

import json
import sys

import atheris

import quoteattr
from quoteattr.model import Result

quoteattr.attribute("")  # load the default pipeline and its plugins, then instrument them all
atheris.instrument_all()

def text_of(data: bytes) -> str:
    """The text a fuzz input stands for."""
    if not data:
        return ""
    how, body = data[0] % 3, data[1:]
    if how == 0:
        return body.decode("utf-8", "replace")
    if how == 1:
        return body.decode("utf-8", "surrogateescape")
    units = [int.from_bytes(body[i : i + 2], "little") for i in range(0, len(body) - 1, 2)]
    return "".join(map(chr, units))


def check(text: str) -> None:
    result = quoteattr.attribute(text)
    assert isinstance(result, Result)
    for entity in result.entities:
        for span in entity.mentions:
            assert text[span.start : span.end] == span.text, (span, text)
    for a in result.attributions:
        spans = [a.content, *a.fragments]
        if a.cue is not None:
            spans.append(a.cue.span)
        if a.speaker is not None:
            spans.append(a.speaker.mention)
        for span in spans:
            assert text[span.start : span.end] == span.text, (span, text)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data


def test_one_input(data: bytes) -> None:
    check(text_of(data))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
