"""Where each canonical column of a contact list came from, and the evidence.

A :class:`ColumnOrigin` per canonical column is kept in the reader's column plan
(``doc.reader_plan.origins``) and shown by ``mailcheck inspect``: the user sees whether a
column was named in config, known from the provider's export layout, matched by a header
synonym, or recognised by its values -- and why ("94% of values parse as dd/mm/yyyy").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mailcheck.i18n import Text
from mailcheck.i18n_extract import N_


class OriginKind(StrEnum):
    """How a canonical column was found, in the order names are tried."""

    CONFIG = "config"
    PROVIDER = "provider"
    SYNONYM = "synonym"
    VALUES = "values"

    @property
    def label(self) -> str:
        """The words ``inspect`` shows."""
        return {
            OriginKind.CONFIG: N_("[columns] in config"),
            OriginKind.PROVIDER: N_("provider export layout"),
            OriginKind.SYNONYM: N_("header synonym"),
            OriginKind.VALUES: N_("found by its values"),
        }[self]


@dataclass
class ColumnOrigin:
    """One canonical column: the source header it is read from, how it was found, and the
    evidence in words (what the name matched, what the sampled values hold)."""

    canonical: str
    header: str
    kind: OriginKind
    evidence: str | Text


@dataclass(frozen=True)
class RefusedColumn:
    """A header a name pointed to that its values refused (a text column named like a
    date): shown by ``inspect`` so the user knows why it was not used."""

    canonical: str
    header: str
    evidence: str | Text
