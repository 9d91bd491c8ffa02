"""Per-document storage for plugins: :class:`StashKey` and :class:`Stash`.

Both are re-exported by :mod:`quoteattr.model` (and ``quoteattr``), where they belong; they
are defined here so that this module can be compiled with the rules (``setup.py``): the
indexes the rules share (paragraphs, sentences, tokens) are read through a document's stash
hundreds of thousands of times in a corpus, and a call to a compiled method is a call in C.
"""

from __future__ import annotations

from typing import Any, Final, Generic, TypeVar

__all__ = ["Stash", "StashKey"]

T = TypeVar("T")

#: no argument given to :meth:`Stash.setdefault`'s factory
_NO_ARGUMENT: Final[Any] = object()


class StashKey(Generic[T]):
    """A typed key into a :class:`Stash`. Create one per kind of value, at module level."""

    __slots__ = ("name",)

    def __init__(self, name: str = "") -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"StashKey({self.name!r})"


class Stash:
    """Private, typed storage that plugins attach to a :class:`Document`.

    Keys are :class:`StashKey` objects, so two plugins can never collide by choosing the same
    string, and a type checker knows what each key holds::

        SENTENCES: StashKey[list[Span]] = StashKey("sentences")
        doc.stash.setdefault(SENTENCES, split, doc)  # split(doc), the first time
    """

    __slots__ = ("_data",)

    def __init__(self) -> None:
        self._data: dict[StashKey[Any], Any] = {}

    # (no typing.cast in these: they are called on every hot path, and cast is a call)

    def __getitem__(self, key: StashKey[T]) -> T:
        return self._data[key]  # type: ignore[no-any-return]

    def __setitem__(self, key: StashKey[T], value: T) -> None:
        self._data[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: StashKey[T], default: T | None = None) -> T | None:
        """Return the value under ``key``, or ``default``."""
        return self._data.get(key, default)

    def setdefault(self, key: StashKey[T], factory: Any, argument: Any = _NO_ARGUMENT) -> T:
        """Return the value under ``key``; compute it with ``factory()`` the first time, or
        with ``factory(argument)`` when an ``argument`` is given.

        Passing the factory's argument (``setdefault(SENTENCES, split, doc)``) rather than a
        closure over it (``lambda: split(doc)``) makes nothing on the calls that find the value,
        which are most of them.
        """
        try:
            return self._data[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._data[key] = (
                factory() if argument is _NO_ARGUMENT else factory(argument)
            )
            return value  # type: ignore[no-any-return]
