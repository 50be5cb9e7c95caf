"""Canonical columns: which source column is which, what the file is, and the words used.

Column mapping (``[columns]`` from config first, then the provider's
:class:`~mailcheck.providers.ContactFormat`, then the multilingual synonyms of
``data/columns.toml``; each with its :class:`~mailcheck.readers.csv.origins.ColumnOrigin`,
the values' own evidence being added by :mod:`mailcheck.readers.csv.values`), the
provider claim, the file's role for cross-file rules, and the
vocabulary the plan and the header detection share (date and yes/no columns, truthy and
falsy words, what an address looks like in a cell).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from mailcheck.config import CONTACT_ROLES, Config, column_table
from mailcheck.errors import InputError
from mailcheck.i18n import Text, t
from mailcheck.keywords import Keywords, fold
from mailcheck.providers import ContactFormat, ProviderMatch
from mailcheck.readers.csv.origins import ColumnOrigin, OriginKind

DATE_COLUMNS = (
    "consent_at",
    "confirmed_at",
    "unsubscribed_at",
    "last_activity_at",
    "last_open_at",
    "last_purchase_at",
    "created_at",
    "birth_date",
    "sent_at",
    "last_inquiry_at",
)


#: Canonical yes/no columns: a truthy value sets the status or the legal basis.
FLAG_COLUMNS = ("opted_out", "blocklisted", "bounced", "is_b2b", "is_customer")
#: Every canonical column of yes/no values (a name pointing at other values is refused).
YES_NO_COLUMNS = (*FLAG_COLUMNS, "accepts_marketing")


TRUTHY = frozenset(
    {
        "1",
        "true",
        "yes",
        "y",
        "x",
        "oui",
        "o",
        "vrai",
        "ja",
        "si",
        "sim",
        "wahr",
        "waar",
        "vero",
        "verdadero",
        "verdadeiro",
    }
)


#: An explicit "no" in a yes/no column (an empty cell says nothing).
FALSY = frozenset(
    {"0", "false", "no", "n", "non", "faux", "nein", "nee", "nao", "falso", "falsch", "onwaar"}
)


#: An answer that accepts, as a form's checkbox column writes it ("Oui, j'accepte de
#: recevoir la newsletter", "I agree to receive emails"): a yes, though not one word.
ACCEPTING = (
    "j'accepte",
    "j accepte",
    "i agree",
    "i accept",
    "ich stimme zu",
    "ich willige",
    "acepto",
    "accetto",
    "ik ga akkoord",
    "aceito",
)


def answer(value: str) -> str:
    """A yes/no cell as ``"yes"``, ``"no"`` or ``""`` (neither: empty or another word):
    one word of :data:`TRUTHY` or :data:`FALSY`, or a sentence starting with one ("Oui,
    j'accepte...", "Non merci") or accepting (:data:`ACCEPTING`)."""
    folded = fold(value)
    if folded in TRUTHY:
        return "yes"
    if folded in FALSY:
        return "no"
    first = folded.split(maxsplit=1)[0].rstrip(",.;:!") if folded else ""
    if first in TRUTHY:
        return "yes"
    if first in FALSY:
        return "no"
    return "yes" if any(phrase in folded for phrase in ACCEPTING) else ""


#: An e-mail address as a whole cell: how a first row is told to be data, a column of
#: addresses is found by its values, and a line swallowed by a quote is seen to be a row.
_ADDRESS = re.compile(r"[^@\s\"'<>;,]+@[^@\s\"'<>;,]+\.[^@\s\"'<>;,.]{2,}")


@cache
def column_synonyms() -> dict[str, list[str]]:
    """Canonical column -> folded synonyms, from ``data/columns.toml``."""
    return {name: [fold(s) for s in synonyms] for name, synonyms in column_table().items()}


def _provider(path: Path, header: list[str], config: Config, archive: Path | None = None):
    """(provider, reason, ContactFormat) -- forced by config (a ``providers`` glob on the
    file, or on the ZIP holding it), else the best-scoring claim."""
    pm = config.pluginmanager
    forced = (
        (archive is not None and config.glob_value(config.providers, archive))
        or config.glob_value(config.providers, path)
        or (config.provider if getattr(config, "provider_reads_lists", True) else None)
    )
    if forced:
        provider, reason = forced, t("forced in config")
    else:
        matches: list[ProviderMatch] = (
            [
                m
                for m in pm.hook.mailcheck_detect_provider(path=path, header=header, config=config)
                if m
            ]
            if pm
            else []
        )
        if not matches:
            return None, t("no provider plugin recognised the header"), None
        best = max(matches, key=lambda m: m.score)
        provider, reason = best.provider, best.reason
    contact_format = (
        pm.hook.mailcheck_contact_format(provider=provider, path=path, header=header, config=config)
        if pm
        else None
    )
    return provider, reason, contact_format


def map_columns(
    header: list[str], contact_format: ContactFormat | None, config: Config
) -> dict[str, str]:
    """Canonical column -> source header (config, then provider format, then synonyms)."""
    return {c: o.header for c, o in map_column_origins(header, contact_format, config).items()}


def map_column_origins(
    header: list[str],
    contact_format: ContactFormat | None,
    config: Config,
    refuse: Callable[[str, str], str | None] | None = None,
) -> dict[str, ColumnOrigin]:
    """Canonical column -> where it is read from and why: ``[columns]`` in config, then
    the provider's format, then the synonyms of ``data/columns.toml`` (their order is the
    preference order). ``refuse(canonical, header)`` may turn down a synonym's header by
    its values (a text column named like a date): the next synonym is tried."""
    present = {h: fold(h) for h in header}
    origins: dict[str, ColumnOrigin] = {}
    for canonical, source in config.columns.items():
        if source in present:
            origins[canonical] = ColumnOrigin(
                canonical, source, OriginKind.CONFIG, f"{canonical} = '{source}'"
            )
            continue
        for header_name, folded in present.items():  # tolerate case/accent differences
            if folded == fold(source):
                origins[canonical] = ColumnOrigin(
                    canonical,
                    header_name,
                    OriginKind.CONFIG,
                    t(
                        "{column} = '{header}' (matched without case or accents)",
                        column=canonical,
                        header=source,
                    ),
                )
                break
    if contact_format is not None:
        for canonical, candidates in contact_format.columns.items():
            if canonical in origins:
                continue
            for candidate in candidates:
                if candidate in present:
                    origins[canonical] = ColumnOrigin(
                        canonical,
                        candidate,
                        OriginKind.PROVIDER,
                        t("the {provider} layout", provider=contact_format.provider),
                    )
                    break
    every_synonym = column_synonyms()
    # A header serves one column, unless columns.toml lists it under both: Constant
    # Contact's "Email permission status" is the status and says the legal basis
    # ("Implicit": implied consent).
    used = {origin.header: origin.canonical for origin in origins.values()}
    for canonical, synonyms in every_synonym.items():
        if canonical in origins:
            continue
        for synonym in synonyms:
            source = next(
                (
                    s
                    for s, f in present.items()
                    if f == synonym
                    and (s not in used or synonym in every_synonym.get(used[s], ()))
                    and not (refuse and refuse(canonical, s))
                ),
                None,
            )
            if source is not None:
                origins[canonical] = ColumnOrigin(
                    canonical, source, OriginKind.SYNONYM, t("matches '{name}'", name=synonym)
                )
                used.setdefault(source, canonical)
                break
    return origins


@cache
def _keywords_for(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Keywords:
    return Keywords([{name: list(terms) for name, terms in extra}])


def reader_keywords(config: Config) -> Keywords:
    """The run's keyword lists (built-ins + plugins + config), as rules see them."""
    merged: dict[str, list[str]] = {}
    pm = config.pluginmanager
    extensions = [*(pm.hook.mailcheck_keywords() if pm else []), config.keywords]
    for extension in extensions:
        for name, terms in (extension or {}).items():
            merged.setdefault(name, []).extend(terms)
    return _keywords_for(tuple(sorted((k, tuple(v)) for k, v in merged.items())))


def _status_from_name(path: Path, keywords: Keywords) -> str | None:
    """A status word in the file name (``unsubscribed_members_export_x.csv``,
    ``desinscrits.csv``): the status of every row when the file has no status column."""
    name = fold(re.sub(r"[_.\-]+", " ", path.stem))
    for status in ("unknown", "blocklisted", "unsubscribed", "cleaned", "pending", "subscribed"):
        if keywords[f"status_{status}"].search_folded(name):
            return status
    return None


def file_role(
    path: Path,
    columns: dict[str, str],
    config: Config,
    keywords: Keywords,
    contact_format: ContactFormat | None = None,
) -> tuple[str, Text]:
    """What the file is for the cross-file rules, and why (shown by ``inspect``)."""
    forced = config.glob_value(getattr(config, "contact_roles", {}) or {}, path)
    if forced:
        return forced, t("forced in config (contact-roles)")
    if contact_format is not None and contact_format.role is not None:
        if contact_format.role not in CONTACT_ROLES:
            raise InputError(
                t(
                    "the {provider} plugin gives the role '{role}', not one of {roles}",
                    provider=contact_format.provider,
                    role=contact_format.role,
                    roles=", ".join(CONTACT_ROLES),
                )
            )
        return contact_format.role, t("{provider} export layout", provider=contact_format.provider)
    name = fold(re.sub(r"[_.\-]+", " ", path.stem))
    if "email_hash" in columns and "email" not in columns:
        return "suppression", t(
            "hashed addresses in column '{column}'", column=columns["email_hash"]
        )
    hit = keywords["suppression_file"].search_folded(name)
    if hit:
        return "suppression", t("the file name says '{word}'", word=hit)
    if "sent_at" in columns:
        return "send-log", t("send dates in column '{column}'", column=columns["sent_at"])
    hit = keywords["send_list_file"].search_folded(name)
    if hit:
        return "send-list", t("the file name says '{word}'", word=hit)
    return "audience", t("a contact list")
