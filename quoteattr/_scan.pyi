"""The tokenizer's inner loop in C: the compiled build only (see ``_scan.c``)."""

from quoteattr.default.grammar import Tok

def tokens(
    text: str, start: int, end: int, most: int, tok: type[Tok], classes: bytes, /
) -> tuple[list[Tok], list[int], list[int]] | None: ...
