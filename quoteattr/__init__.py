"""quoteattr: find every quotation in a text and say who said it.

>>> import quoteattr
>>> result = quoteattr.attribute("“We are ready,” said Ana Lopez, the mayor.")
>>> [(a.type, a.speaker.name) for a in result]
[('direct', 'Ana Lopez')]

Plugin authors write ``from quoteattr import hookimpl``; docs/plugins.md has the guide.
"""

from __future__ import annotations

import pluggy

from quoteattr.errors import (
    DocumentTooLarge,
    FormatError,
    InputError,
    PluginError,
    QuoteattrError,
    TimeBudgetExceeded,
    ValidationError,
)
from quoteattr.manager import PluginInfo, PluginManager, get_plugin_manager
from quoteattr.model import (
    Attribution,
    Cue,
    Document,
    Entity,
    Mention,
    Quote,
    Resolution,
    Result,
    Span,
    Speaker,
    Stash,
    StashKey,
)
from quoteattr.pipeline import ErrorRecord, Format, Pipeline, ResolutionContext, attribute

__version__ = "0.1.0"



def compiled() -> bool:
    """Whether the built-in rules run compiled with mypyc (a wheel built where a C compiler
    was found; see ``setup.py``) rather than as pure Python. The results are the same."""
    from importlib.machinery import ExtensionFileLoader

    from quoteattr.default import grammar

    spec = grammar.__spec__
    return spec is not None and isinstance(spec.loader, ExtensionFileLoader)


#: Marker for hook implementations: ``@hookimpl def quoteattr_detect_quotes(doc): ...``
hookimpl = pluggy.HookimplMarker("quoteattr")

__all__ = [
    "Attribution",
    "Cue",
    "Document",
    "DocumentTooLarge",
    "Entity",
    "ErrorRecord",
    "Format",
    "FormatError",
    "InputError",
    "Mention",
    "Pipeline",
    "PluginError",
    "PluginInfo",
    "PluginManager",
    "Quote",
    "QuoteattrError",
    "Resolution",
    "ResolutionContext",
    "Result",
    "Span",
    "Speaker",
    "Stash",
    "StashKey",
    "TimeBudgetExceeded",
    "ValidationError",
    "__version__",
    "attribute",
    "compiled",
    "get_plugin_manager",
    "hookimpl",
]
