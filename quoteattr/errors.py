"""Public exceptions. Every error quoteattr raises on purpose is a :class:`QuoteattrError`.

Each message names what it is about: the plugin, the file and line, or the format, so that a
user reading one line of output knows where to look.
"""

from __future__ import annotations

__all__ = [
    "DocumentTooLarge",
    "FormatError",
    "InputError",
    "PluginError",
    "QuoteattrError",
    "TimeBudgetExceeded",
    "ValidationError",
]


class QuoteattrError(Exception):
    """Root of every exception raised by quoteattr on purpose."""


class PluginError(QuoteattrError):
    """A plugin raised, or returned something the pipeline cannot accept.

    :ivar plugin: the registered name of the plugin, or ``None`` when it cannot be told.
    :ivar hook: the hook that was being called.
    """

    def __init__(self, message: str, *, plugin: str | None, hook: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook

    @classmethod
    def from_exception(cls, exc: BaseException, *, plugin: str | None, hook: str) -> PluginError:
        """Wrap ``exc``, raised while ``plugin`` ran ``hook``."""
        who = f'plugin "{plugin}"' if plugin else "a plugin"
        message = f"Error in {who} ({hook}): {type(exc).__name__}: {exc}"
        return cls(message, plugin=plugin, hook=hook)


class ValidationError(PluginError):
    """A plugin returned a value of the wrong type, or a span that does not match the text."""


class InputError(QuoteattrError):
    """An input could not be read: the message names the file and, where known, the line.

    :ivar path: the file involved, or ``None`` for in-memory input.
    :ivar line: the 1-based line number, or ``None``.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class FormatError(QuoteattrError):
    """An output format is unknown, or two plugins registered the same format name."""


class DocumentTooLarge(QuoteattrError):
    """A document holds more characters than the ``max_chars`` limit allows; it is not read."""


class TimeBudgetExceeded(QuoteattrError):
    """Attributing a document took longer than the ``max_seconds`` budget; it was stopped."""
