"""How a clean-up list is written: the core's plain layout, or a provider's own.

``mailcheck campaign --removals OUT`` writes one row per contact that may not receive the
campaign. A provider plugin that knows how its tool imports unsubscribes or deletions
answers ``mailcheck_removals_layout(provider)`` with a :class:`RemovalsLayout`, so the
file goes back into the tool as it is; without one, the core writes :data:`PLAIN`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Removal:
    """One contact of the clean-up list."""

    address: str  # in clear: the file is the user's own list
    action: str  # "suppress", "delete" or "re-permission"
    reasons: str  # the reason codes, space-separated ("retention no-proof")
    explanation: str  # the reasons in the report's language
    source: str  # the audience file it comes from
    line: int  # its line there


@dataclass(frozen=True)
class RemovalsLayout:
    """A clean-up list's columns and dialect: ``row`` gives a removal's cells."""

    header: tuple[str, ...]
    row: Callable[[Removal], Sequence[str | int]]
    delimiter: str = ","
    #: ``utf-8-sig`` for a file people open in Excel; ``utf-8`` for a tool's importer.
    encoding: str = "utf-8-sig"


#: The core's layout: every fact, ``;``-separated as French Excel opens it.
PLAIN = RemovalsLayout(
    header=("email", "action", "reasons", "explanation", "list", "line"),
    row=lambda r: (r.address, r.action, r.reasons, r.explanation, r.source, r.line),
    delimiter=";",
)
