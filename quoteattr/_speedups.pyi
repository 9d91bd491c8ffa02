"""Hot loops of the rules in C: the compiled build only (see ``_speedups.c``)."""

from typing import Any, TypeVar

from quoteattr.default.grammar import Tok

_R = TypeVar("_R")

def tokens(
    text: str, start: int, end: int, most: int, tok: type[Tok], classes: bytes, /
) -> tuple[list[Tok], list[int], list[int]] | None: ...
def record(cls: type[_R], slots: tuple[Any, ...], values: tuple[Any, ...], /) -> _R: ...
def boundaries(text: str, classes: bytes, /) -> list[int]: ...
def picked(toks: list[Tok], words: frozenset[str], capitals: bool, /) -> list[int]: ...
