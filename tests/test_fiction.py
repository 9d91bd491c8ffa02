"""Entity linking rules that fiction needs: the members of one family, told apart by gender.

Each case is a sentence written for the test; the table-driven cases in ``tests/cases`` compare
speakers by name, which cannot tell "Mr. Hallam" from "Mrs. Hallam" (both are "Hallam").
"""

from __future__ import annotations

import quoteattr


def _entities(text: str) -> list[str | None]:
    result = quoteattr.Pipeline(load_entrypoints=False).attribute(text)
    return [a.speaker.entity if a.speaker else None for a in result]


def test_honorifics_of_two_genders_keep_a_surname_apart() -> None:
    text = (
        "Mr. Hallam came in from the garden.\n"
        "“The roses are ruined,” said Mrs. Hallam.\n"
        "“Then we shall plant more,” said Mr. Hallam.\n"
        "“Not this year,” said she."
    )
    wife, husband, she = _entities(text)
    assert wife is not None and husband is not None
    assert wife != husband
    assert she == wife  # "she" fits only the entity whose honorific is a woman's


def test_one_honorific_joins_the_same_surname() -> None:
    text = (
        "“We open at nine,” said Mrs. Hallam.\n"
        "The shop was busy all morning.\n"
        "“We close at five,” said Mrs. Hallam."
    )
    first, second = _entities(text)
    assert first is not None and first == second
