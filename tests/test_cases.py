"""Table-driven attribution cases from tests/cases/*.json.

Each case has a ``label``, a ``text`` and the ``quotes`` expected, in text order, as
``{"text", "type", "speaker"}`` (``speaker`` is the canonical name, or null). The comparison is
exact, so a case fails on a missed quote and on an extra one alike. A case the rules do not get
right yet is kept, marked ``"status": "xfail"`` with its ``reason``, rather than deleted; the
marker is strict, so fixing one makes the suite say so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import quoteattr

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = []
            if case.get("status") == "xfail":
                marks.append(pytest.mark.xfail(reason=case["reason"], strict=True))
            params.append(pytest.param(case, id=f"{path.stem}:{case['label']}", marks=marks))
    return params


@pytest.fixture(scope="module")
def pipeline() -> quoteattr.Pipeline:
    return quoteattr.Pipeline(load_entrypoints=False)


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any], pipeline: quoteattr.Pipeline) -> None:
    result = pipeline.attribute(case["text"])
    got = [
        {"text": a.text, "type": a.type, "speaker": a.speaker.name if a.speaker else None}
        for a in result
    ]
    assert got == case["quotes"]
