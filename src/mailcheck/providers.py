"""How a provider plugin describes its contact-list export to the core reader.

A provider plugin rarely needs to parse CSV itself. It answers two hooks:

* ``mailcheck_detect_provider`` -> a :class:`ProviderMatch` (name, score, why), so the
  most specific plugin wins and ``mailcheck inspect`` can say why;
* ``mailcheck_contact_format`` -> a :class:`ContactFormat`: which source column feeds which
  canonical column, how its dates are written, what its status words mean, and values
  that come from the file name rather than a column (Mailchimp's status).

The built-in reader then does the encoding, dialect, physical-line and chunking work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck.i18n import Text

#: Canonical status values (DESIGN.md): every provider word maps to one of these.
#: ``nonsubscribed``: in the audience without ever having opted in to marketing (a
#: purchase, a transactional mail: Mailchimp's non-subscribed contacts); the provider
#: sends it no campaign, and it is no objection either.
STATUSES = (
    "subscribed",
    "unsubscribed",
    "cleaned",
    "pending",
    "blocklisted",
    "nonsubscribed",
    "unknown",
)
#: Canonical legal bases.
LEGAL_BASES = ("consent", "customer", "b2b", "unknown")


@dataclass(frozen=True)
class ProviderMatch:
    """A plugin's claim on a contact-list file.

    ``score`` orders competing claims: 100 for a file-name plus header signature that only
    this provider produces, about 50 for a distinctive header, below 20 for a guess. The
    highest score wins; ties go to the plugin registered first. ``reason`` is shown by
    ``mailcheck inspect`` ("header has OPTIN_TIME, CONFIRM_IP, LEID"): a
    :func:`mailcheck.t` text, so that it is read in the report's language.
    """

    provider: str
    score: int
    reason: str | Text


@dataclass
class ContactFormat:
    """A provider's export layout, mapped onto the canonical contact frame.

    * ``columns``: canonical name -> candidate source headers, first present wins
      (``{"consent_at": ["OPTIN_TIME"], "email": ["Email Address", "Email"]}``).
    * ``date_formats``: canonical date column (or ``"*"`` for all) -> explicit
      ``strptime`` formats tried in order. No per-value inference.
    * ``status_values``: lower-cased source value -> canonical status.
    * ``legal_basis_values``: lower-cased source value -> canonical legal basis.
    * ``constants``: canonical column -> value for every row (Mailchimp's status from the
      file name).
    * ``normalize``: optional callable applied to each canonical chunk after mapping, for
      what a table cannot say (Klaviyo consent states, HubSpot booleans).
    * ``hints``: free-form facts the provider rules may read from ``doc.contact_format``.
    * ``role``: what the file is, when its layout alone says so: one of
      :data:`mailcheck.config.CONTACT_ROLES` (``"send-log"`` for a campaign report or
      statistics export, which nobody is sent to). ``None`` lets the core decide from
      the columns and the file name; ``contact-roles`` in config wins over both.
    """

    provider: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    date_formats: dict[str, list[str]] = field(default_factory=dict)
    status_values: dict[str, str] = field(default_factory=dict)
    legal_basis_values: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    normalize: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    role: str | None = None
