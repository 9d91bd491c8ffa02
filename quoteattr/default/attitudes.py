"""Built-in plugin ``attitudes``: stances and topics reported without their words.

"The senator criticized the plan", "Officials called for a recount", "She vowed to appeal":
such sentences report what someone said only as a stance or a topic. Corpora that annotate
attribution broadly (PolNeAR, Newell et al. 2018) count them; a reader after quotations may
not, so their attributions carry a lower confidence (``--min-confidence 0.7`` leaves them out)
and the whole plugin can be blocked (``--block attitudes``).

The cues are the data file ``lexicons/attitude_cues.txt``; the grammar (subjects, passives,
clause ends) is the reported-speech plugin's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from quoteattr.default.grammar import CueIndex
from quoteattr.default.reported import find_reported
from quoteattr.model import Document, Quote

__all__ = ["quoteattr_detect_reported_speech"]


_CUES: Final = CueIndex("attitude_cues")


def quoteattr_detect_reported_speech(doc: Document, quotes: Sequence[Quote]) -> list[Quote]:
    """Stances and topics: the object or infinitive after an attitude cue."""
    return find_reported(doc, quotes, _CUES)
