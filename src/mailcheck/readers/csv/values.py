"""Columns recognised by their values: what a sample of each column holds, and its role.

:func:`profile_columns` reads the first rows of a contact list (those read to sniff the
dialect, at most ``sample-rows`` of ``data/column_inference.toml``) and counts, per
column, the values that are addresses, dates (and in which shape), IP addresses, and the
distinct values. :func:`refuses` tells a date column named by a header synonym that holds
text (Wix ``Last Activity``: ``Submitted a form``); :func:`infer_roles` gives a role to
the columns no name mapped: addresses, dates (their role from the words of their name),
IP addresses, yes/no consent, status words, contact types (the legal basis) and opt-in
sources -- each when at least ``role-share`` (90%) of the non-empty sampled values fit.
The words come from keyword lists and ``data/column_inference.toml``, never from here.

Not inferred: per-purpose consent columns (MC214 reads them by their header), and dates
in a list without a header row (an opt-in date cannot be told from a birth date there).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailcheck.i18n import Text, t
from mailcheck.keywords import KeywordList, Keywords, fold
from mailcheck.lazy import pa, pc
from mailcheck.readers.csv.columns import (
    _ADDRESS,
    DATE_COLUMNS,
    FALSY,
    TRUTHY,
    YES_NO_COLUMNS,
    answer,
)
from mailcheck.readers.csv.origins import ColumnOrigin, OriginKind
from mailcheck.readers.dates import (
    DEFAULT_DATE_FORMATS,
    month_first,
    parse_date_column,
    settle_order,
)

#: Canonical columns whose values are a small vocabulary: ``inspect`` shows their shares.
VOCABULARY_COLUMNS = frozenset(
    {"status", "legal_basis", "consent_source", "accepts_marketing", "last_activity_type"}
)

#: Dates read as qualifying activity or collection by MC203 (see rules/contacts/common).
_QUALIFYING = ("consent_at", "confirmed_at", "last_activity_at", "last_purchase_at", "created_at")

#: A header that names nothing: ``column 3`` (a list without a header row), ``Champ 7``.
_NAMELESS = re.compile(
    r"^(?:column|colonne|champ|field|spalte|feld|columna|campo|colonna|kolom|veld|coluna)?"
    r"\s*\d*$"
)

#: The shapes of dates, to say which format a column is written in (``dd``/``mm`` swap
#: places in the labels when the formats read the month first: the ``us`` profile).
_DATE_SHAPES = (
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d"), "yyyy-mm-dd hh:mm"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "yyyy-mm-dd"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}\s"), "dd/mm/yyyy hh:mm"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "dd/mm/yyyy"),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}\s"), "dd-mm-yyyy hh:mm"),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "dd-mm-yyyy"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}"), "dd.mm.yyyy"),
    (re.compile(r"^\d{1,2}[/-]\d{1,2}[/-]\d{2}\b"), "dd/mm/yy"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2}\b"), "dd.mm.yy"),
)


@dataclass(frozen=True)
class InferenceSettings:
    """``data/column_inference.toml``: thresholds and the words of date column names."""

    role_share: float
    date_share_min: float
    min_values: int
    sample_rows: int
    oldest_signup_year: int
    #: (canonical or "ignore", the words of a name that give it), in the order checked
    date_names: tuple[tuple[str, KeywordList], ...]
    text_instead_of_date: dict[str, str]
    neutral_columns: frozenset[str]
    person_words: KeywordList
    placeholders: frozenset[str]  # folded


@cache
def inference_settings() -> InferenceSettings:
    """The settings of ``data/column_inference.toml``."""
    text = (resources.files("mailcheck") / "data" / "column_inference.toml").read_text("utf-8")
    data = tomllib.loads(text)
    limits = data["thresholds"]
    return InferenceSettings(
        role_share=float(limits["role-share"]),
        date_share_min=float(limits["date-share-min"]),
        min_values=int(limits["min-values"]),
        sample_rows=int(limits["sample-rows"]),
        oldest_signup_year=int(limits["oldest-signup-year"]),
        date_names=tuple(
            (name, KeywordList(f"date-names.{name}", words))
            for name, words in data["date-names"].items()
        ),
        text_instead_of_date=dict(data["text-instead-of-date"]),
        neutral_columns=frozenset(data["not-a-contact-list"]["neutral-columns"]),
        person_words=KeywordList("person-words", data["not-a-contact-list"]["person-words"]),
        placeholders=frozenset(fold(v) for v in data["placeholders"]["values"]),
    )


def looks_like_people(header: list[str], columns: dict[str, str]) -> bool:
    """Whether a table without an address column is still a list of people (MC908): a
    contact column was found, or a header names a person or a phone."""
    settings = inference_settings()
    if any(canonical not in settings.neutral_columns for canonical in columns):
        return True
    return any(settings.person_words.search_folded(fold(name)) for name in header)


@dataclass
class ColumnProfile:
    """What the sampled values of one column are."""

    filled: int  # non-empty sampled values
    addresses: int
    dates: int
    date_shape: str  # the most common shape of the dates ("dd/mm/yyyy")
    old_dates: int  # dates before ``oldest-signup-year``
    ips: int
    values: Counter[str]  # distinct values -> count

    def percent(self, count: int) -> int:
        return round(100 * count / self.filled) if self.filled else 0

    def shares(self, limit: int = 3) -> str | Text:
        """``Professionnel 61%, Particulier 39%``: the commonest values and their shares."""
        shown = ", ".join(
            f"{value} {self.percent(n)}%" for value, n in self.values.most_common(limit)
        )
        more = len(self.values) - limit
        if more > 0:
            return t("{values} (+{count} other values)", values=shown, count=more)
        return shown

    def count(self, fits) -> int:
        """How many sampled values ``fits`` (a test on one distinct value) accepts."""
        return sum(n for value, n in self.values.items() if fits(value))


def profile_columns(
    rows: list[list[str]],
    width: int,
    oldest_year: int,
    date_formats: list[str] = DEFAULT_DATE_FORMATS,
) -> list[ColumnProfile]:
    """One profile per column of ``rows`` (the data rows of the sample, no header); dates
    are read with ``date_formats`` (the profile's: day or month first)."""
    return [
        _profile(
            [row[i].strip() for row in rows if i < len(row) and row[i].strip()],
            oldest_year,
            date_formats,
        )
        for i in range(width)
    ]


def _profile(values: list[str], oldest_year: int, date_formats: list[str]) -> ColumnProfile:
    distinct = Counter(values)
    addresses = sum(n for v, n in distinct.items() if _ADDRESS.fullmatch(v))
    ips = sum(n for v, n in distinct.items() if _is_ip(v))
    dates = old = 0
    shape = ""
    if values and not addresses:
        sample = pa.array(values, pa.string())
        date_formats = settle_order(date_formats, sample)  # as the plan will read it
        parsed, _ = parse_date_column(sample, date_formats)
        read = pc.is_valid(parsed)
        dates = pc.sum(read).as_py() or 0
        if dates:
            years = pc.year(pc.filter(parsed, read))
            old = pc.sum(pc.less(years, oldest_year)).as_py() or 0
            swap = month_first(date_formats)
            shapes = Counter(
                _shape(v, swap) for v, ok in zip(values, read.to_pylist(), strict=True) if ok
            )
            shape = shapes.most_common(1)[0][0]
    return ColumnProfile(len(values), addresses, dates, shape, old, ips, distinct)


def _shape(value: str, month_first: bool = False) -> str:
    for pattern, label in _DATE_SHAPES:
        if pattern.match(value):
            if month_first and label[:3] in ("dd/", "dd-"):
                return label[3:5] + label[2] + label[:2] + label[5:]
            return label
    return _MONTH_NAME


#: The shape of a date written with its month's name (what the notes say of it).
_MONTH_NAME = "a date with a month name"


def date_shape(shape: str) -> str | Text:
    """A date shape as notes say it: ``dd/mm/yyyy`` as it is, the month-name one in words."""
    return t("a date with a month name") if shape == _MONTH_NAME else shape


def _is_ip(value: str) -> bool:
    if not (":" in value or value.count(".") == 3):
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def refuses(canonical: str, profile: ColumnProfile, settings: InferenceSettings) -> Text | None:
    """Why a column found by its name cannot be ``canonical`` (``None``: it can). A date
    column whose filled sampled values mostly do not parse as dates holds text; a yes/no
    column whose values are mostly not yes or no holds something else (dates under
    "Opt-in")."""
    if canonical not in DATE_COLUMNS and canonical not in YES_NO_COLUMNS:
        return None
    meaningful = profile.filled - profile.count(lambda v: fold(v) in settings.placeholders)
    if meaningful < settings.min_values:
        return None  # too few values to say: the name is trusted
    if canonical in YES_NO_COLUMNS:
        answers = profile.count(lambda v: fold(v) in TRUTHY | FALSY)
        if answers >= settings.date_share_min * meaningful:
            return None
        return t(
            "{percent}% of {count} sampled values are yes or no ({values}): not a yes/no column",
            percent=profile.percent(answers),
            count=profile.filled,
            values=profile.shares(2),
        )
    if profile.dates >= settings.date_share_min * meaningful:
        return None
    return t(
        "{percent}% of {count} sampled values read as dates ({values}): text, not a date",
        percent=profile.percent(profile.dates),
        count=profile.filled,
        values=profile.shares(2),
    )


def describe_values(canonical: str, profile: ColumnProfile) -> str | Text:
    """The evidence of the values for a column found by its name ("" when none helps)."""
    if not profile.filled:
        return t("no value in the sampled rows")
    if canonical == "email":
        return t(
            "{percent}% of sampled values are addresses",
            percent=profile.percent(profile.addresses),
        )
    if canonical in DATE_COLUMNS:
        if profile.date_shape:
            return t(
                "{percent}% of sampled values read as {shape}",
                percent=profile.percent(profile.dates),
                shape=date_shape(profile.date_shape),
            )
        return t(
            "{percent}% of sampled values read as dates", percent=profile.percent(profile.dates)
        )
    if canonical in ("consent_ip", "confirm_ip"):
        return t(
            "{percent}% of sampled values are IP addresses", percent=profile.percent(profile.ips)
        )
    if canonical in VOCABULARY_COLUMNS:
        return t("values: {values}", values=profile.shares())
    return ""


def infer_roles(
    header: list[str],
    profiles: list[ColumnProfile],
    origins: dict[str, ColumnOrigin],
    keywords: Keywords,
    settings: InferenceSettings,
) -> list[str | Text]:
    """Give a role to the columns no name mapped, in place in ``origins``; return notes
    on what was seen but not used (several date columns whose names say nothing)."""
    used = {origin.header for origin in origins.values()}
    vague: list[int] = []

    def take(canonical: str, index: int, evidence: str | Text) -> None:
        origins[canonical] = ColumnOrigin(canonical, header[index], OriginKind.VALUES, evidence)
        used.add(header[index])

    for index, name in enumerate(header):
        profile = profiles[index]
        if name in used or profile.filled < settings.min_values:
            continue
        folded = fold(name)
        fits = settings.role_share * profile.filled
        if profile.addresses >= fits:
            if "email" not in origins:
                take(
                    "email",
                    index,
                    t(
                        "{percent}% of {count} sampled values are addresses",
                        percent=profile.percent(profile.addresses),
                        count=profile.filled,
                    ),
                )
            continue
        if profile.ips >= fits:
            confirm = _date_role(folded, settings) == "confirmed_at"
            canonical = "confirm_ip" if confirm else "consent_ip"
            if canonical not in origins:
                take(
                    canonical,
                    index,
                    t(
                        "{percent}% of {count} sampled values are IP addresses",
                        percent=profile.percent(profile.ips),
                        count=profile.filled,
                    ),
                )
            continue
        if profile.dates >= fits:
            evidence = t(
                "{percent}% of {count} sampled values read as {shape}",
                percent=profile.percent(profile.dates),
                count=profile.filled,
                shape=date_shape(profile.date_shape or ""),
            )
            role = _date_role(folded, settings)
            if role is None:
                vague.append(index)
            elif role != "ignore" and role not in origins:
                if role != "birth_date" and profile.old_dates * 2 > profile.dates:
                    continue  # mostly before the first sign-ups: birth dates, not these
                take(
                    role, index, t("{evidence}; the name says {role}", evidence=evidence, role=role)
                )
            continue
        role = _vocabulary_role(folded, profile, keywords, fits)
        if role is not None and role not in origins:
            take(role, index, t("values: {values}", values=profile.shares()))
    return _vague_dates(header, profiles, vague, origins, take)


def _vague_dates(header, profiles, vague: list[int], origins, take) -> list[str | Text]:
    """A date column whose name says nothing is the collection date when it is the only
    one and no qualifying date was found; several are left to the user."""
    if not vague:
        return []
    if len(vague) == 1 and not any(c in origins for c in _QUALIFYING):
        (index,) = vague
        profile = profiles[index]
        if profile.old_dates * 2 <= profile.dates:
            take(
                "created_at",
                index,
                t(
                    "{percent}% of {count} sampled values read as {shape}; the only date "
                    "column, its name says nothing: taken as the date the contact was added",
                    percent=profile.percent(profile.dates),
                    count=profile.filled,
                    shape=date_shape(profile.date_shape or ""),
                ),
            )
            return []
    names = ", ".join(repr(header[i]) for i in vague)
    return [
        t(
            "date columns whose names say nothing, not used: {names}; name them in "
            '[columns] (consent_at = "...", created_at = "...")',
            names=names,
        )
    ]


def _date_role(folded_name: str, settings: InferenceSettings) -> str | None:
    """The role the words of a date column's name give (``ignore``: none ever)."""
    for role, words in settings.date_names:
        if words.search_folded(folded_name):
            return role
    return None


def _vocabulary_role(
    folded_name: str, profile: ColumnProfile, keywords: Keywords, fits: float
) -> str | None:
    """A yes/no consent, opt-out or block-list column, a status, a contact type (legal
    basis) or an opt-in source, when enough of the values are words of that
    vocabulary."""
    if profile.count(lambda v: answer(v) != "") >= fits:
        # A header that refuses or blocks ("Désinscrit de la newsletter", "Opt-out",
        # "Liste noire"): "yes" is a NO to mailing, whatever purpose it names.
        if keywords["status_blocklisted"].search_folded(folded_name):
            return "blocklisted"
        if any(
            keywords[name].search_folded(folded_name)
            for name in ("opt_out_header", "status_unsubscribed")
        ):
            return "opted_out"
        # Only under a consent or newsletter header, or a header that names nothing: a
        # yes/no under any other name ("Is Bestseller", "VIP") says something else.
        nameless = bool(_NAMELESS.match(folded_name))
        consentish = any(
            keywords[name].search_folded(folded_name)
            for name in ("consent_column", "purpose_newsletter")
        )
        other_purpose = any(
            keywords[name].search_folded(folded_name)
            for name in ("purpose_partners", "purpose_profiling", "purpose_offers")
        )
        if (consentish or nameless) and not other_purpose:
            return "accepts_marketing"
        if profile.count(lambda v: fold(v) in TRUTHY | FALSY) >= fits:
            return None
        # Sentences that start with a yes or a no ("Oui, abonné") under another name:
        # the vocabularies below judge them (a status, a source ...).
    statuses = [keywords[f"status_{s}"] for s in _STATUSES]
    if profile.count(lambda v: any(k.search_folded(fold(v)) for k in statuses)) >= fits:
        return "status"
    bases = [keywords[f"legal_basis_{b}"] for b in ("b2b", "customer", "consent")]
    types = [keywords["contact_type"], *bases]
    if profile.count(lambda v: any(k.search_folded(fold(v)) for k in types)) >= fits and (
        profile.count(lambda v: any(k.search_folded(fold(v)) for k in bases))
    ):
        return "legal_basis"
    sources = [
        keywords[n] for n in ("optin_source", "optin_source_doubtful", "optin_source_invalid")
    ]
    sourced = bool(_NAMELESS.match(folded_name)) or keywords["source_column"].search_folded(
        folded_name
    )
    if sourced and profile.count(lambda v: any(k.search_folded(fold(v)) for k in sources)) >= fits:
        # Only under a source header, or one that names nothing: an event's name
        # ("Salon des créateurs") or a product says nothing of how consent was given.
        return "consent_source"
    return None


_STATUSES = ("unknown", "blocklisted", "unsubscribed", "cleaned", "pending", "subscribed")
