"""Hygiene that a reviewer would otherwise have to remember."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the seed article's people and groups: library code must not special-case them
SEED_NAMES = ("Kabulov", "Sediqqi", "Fitton-Brown", "Khalilzad", "Taliban")


def _library_files() -> list[Path]:
    files = []
    for top in ("quoteattr", "plugins"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "egg-info" not in str(path) and "__pycache__" not in str(path):
                files.append(path)
    return files


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_names_appear_nowhere_in_library_code(name: str) -> None:
    files = _library_files()
    assert files
    # in any case: a lower-case "kabulov" in an example path is the seed's name as much
    hits = [str(p.relative_to(ROOT)) for p in files
            if name.casefold() in p.read_text(encoding="utf-8", errors="replace").casefold()]
    assert hits == []


def test_package_ships_py_typed_and_its_lexicons() -> None:
    package = ROOT / "quoteattr"
    assert (package / "py.typed").is_file()
    lexicons = sorted(p.stem for p in (package / "lexicons").glob("*.txt"))
    for needed in ("cues", "titles", "pronouns", "quote_marks"):
        assert needed in lexicons


def test_cue_lexicon_has_at_least_150_reporting_cues() -> None:
    from quoteattr.text import lexicon_pairs

    entries = [" ".join(e).split("|") for e in lexicon_pairs("cues")]
    speech = {lemma for cls, lemma, *_ in entries if cls != "B"}
    assert len(speech) >= 150
    for cue in ("say", "tell", "claim", "warn", "insist", "admit", "declare", "accuse",
                "shoot back", "point out", "according to"):
        assert cue in speech
