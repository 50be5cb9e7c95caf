"""Dates of contact exports: explicit formats, month names, and the values left unread.

A date column is parsed with explicit formats only (per provider, per config, then
:func:`default_date_formats` of the profile: day first in the EU, month first under
``us``), never by guessing each value's format. What no format reads is tried once more
in the shapes spreadsheets and locales write (:func:`parse_spreadsheet_dates`): a month
name (``14 mars 2016``, Excel's ``14-mars-16``, ``Jun 2, 2025``, ``14. März 2016``,
``14 de marzo de 2016``), a two-digit year (Excel's ``14/03/16``), a French time
(``14/03/2016 10h30``, ``... à 10:30``). A year of fewer than four digits never passes
for a four-digit one (``%Y`` would read ``14/03/16`` as the year 16), and an impossible
date is never moved (``31/02/2016`` is unread, not 2 March). A value still unread is
counted in :class:`UnreadableDates`, which MC904 reports: the rules see it as an empty
cell, and the user must know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from mailcheck.lazy import np, pa, pc

#: Profiles whose numeric dates are written month first (``03/04/2025`` is 4 March in the
#: EU, March 4 in the US). Canada mixes both: its official all-numeric form is ISO 8601
#: (CSA Z234.4), Windows' ``en-CA`` and ``fr-CA`` write ``yyyy-mm-dd``, and Quebec writes
#: the day first; ``ca`` stays day first, and a US-style export says so in config
#: (``date-formats = { "*" = ["%m/%d/%Y"] }``).
MONTH_FIRST_PROFILES = frozenset({"us"})

#: ``"ISO"`` = ``YYYY-MM-DD[T ]HH:MM[:SS]`` with anything after the seconds (fractions,
#: ``Z``, ``+02:00``, Go's ``+0000 UTC``) ignored: a day is all a retention rule needs.
_YEAR_FIRST_FORMATS = ["%Y-%m-%d %H:%M:%S", "ISO", "%Y-%m-%d"]
#: Figures with ``/`` or ``-``, in the order a profile writes day and month.
_NUMERIC_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
]
#: Dotted dates are German, Swiss, Dutch... day first under every profile.
_DOTTED_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y"]


def default_date_formats(profile: str = "eu-fr", *, month_first: bool | None = None) -> list[str]:
    """The formats a date column is read with when neither the provider plugin nor the
    config names one, in order: year first, then figures day first (EU, UK, Canada) or
    month first (:data:`MONTH_FIRST_PROFILES`, or ``month_first`` when given), then
    dotted. Only one order of day and month is tried, never both: a column is written
    one way, and ``05/04/2025`` read either way at random would move a date by a month."""
    numeric = _NUMERIC_FORMATS
    if profile in MONTH_FIRST_PROFILES if month_first is None else month_first:
        numeric = [f.replace("%d", "%D").replace("%m", "%d").replace("%D", "%m") for f in numeric]
    return [*_YEAR_FIRST_FORMATS, *numeric, *_DOTTED_FORMATS]


#: Dates in figures, to see which of the first two numbers can be a month.
_FIGURES = r"^\s*(?P<first>\d{1,2})[/-](?P<second>\d{1,2})[/-]\d{2,4}\b"


def proven_order(values: pa.Array) -> bool | None:
    """Whether the dates in figures of a column prove the month first (``True``: a second
    number above 12, as in ``12/31/2024``, and no first one), the day first (``False``:
    ``31/12/2024``), or nothing (``None``: every number fits both, or both orders are
    seen)."""
    parts = pc.extract_regex(values, _FIGURES)
    if parts.null_count == len(parts):
        return None
    above = {
        name: pc.any(pc.greater(pc.cast(pc.struct_field(parts, name), pa.int64()), 12)).as_py()
        for name in ("first", "second")
    }
    if above["first"] == above["second"]:
        return None
    return bool(above["second"])


def settle_order(formats: list[str], values: pa.Array, explicit: int = 0) -> list[str]:
    """``formats`` with its defaults (all but the first ``explicit``, which a provider or
    the config named and which always win) in the order of day and month that
    ``values`` prove, when they prove the other order than the profile's: a French
    export linted under ``--profile us`` is still read day first when it holds a
    ``25/12/2024``. A column whose every date fits both orders is read as the profile
    says."""
    proven = proven_order(values)
    if proven is None or proven == month_first(formats[explicit:]):
        return formats
    head = formats[:explicit]
    return head + [f for f in default_date_formats(month_first=proven) if f not in head]


#: The formats of the EU profiles (the default ``eu-fr``): day first.
DEFAULT_DATE_FORMATS = default_date_formats()


def month_first(formats: list[str]) -> bool:
    """Whether the first format that writes day and month in figures puts the month
    first: it says how the spreadsheet shapes (``3/4/25``) are read too, so an explicit
    config or provider format decides them as the profile does."""
    for fmt in formats:
        if "%d" in fmt and "%m" in fmt and "%Y-%m-%d" not in fmt:
            return fmt.index("%m") < fmt.index("%d")
    return False


#: Month names and abbreviations, lower-case, with and without accents (EN, FR, DE, ES,
#: IT, NL, PT). Excel FR writes ``janv.``, ``févr.``, ``avr.``, ``juil.``, ``sept.``,
#: ``déc.``; a trailing dot is allowed after any of them.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv januar jänner jaenner jän enero ene gennaio gen januari "
            "janeiro",
            "february feb février fevrier févr fevr fév fev februar febrero febbraio febbr "
            "februari fevereiro",
            "march mar mars märz maerz marz mrz marzo maart mrt março marco",
            "april apr avril avr abril abr aprile",
            "may mai mayo maggio mag mei maio",
            "june jun juin juni junio giugno giu junho",
            "july jul juillet juil juli julio luglio lug julho",
            "august aug août aout agosto ago augustus",
            "september sep sept septembre septiembre settembre set setembro",
            "october oct octobre oktober okt octubre ottobre ott outubro out",
            "november nov novembre noviembre novembro",
            "december dec déc décembre decembre dezember dez diciembre dic dicembre dezembro",
        ),
        start=1,
    )
    for name in names.split()
}

#: An optional time after the date (``10:30``, ``10h30``, ``à 10:30``, ``10:30:00 +0200``).
_TIME = (
    r"(?:(?:\s+|\s*,\s*|\s*t\s*|\s+(?:à|a|at|um|om|alle|às|as)\s+)"
    r"(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?"
    r"(?:\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2}))?)?"
)
#: An optional weekday word before the date (``lundi 14 mars 2016``, ``Mon, 2 Jun 2025``).
_WEEKDAY = r"(?:[^\d\s,]+\.?,?\s+)?"
_WORD = r"(?P<month>[^\d\s,./-]+)\.?"
#: ``14 mars 2016``, ``14-mars-16``, ``1er juin 2025``, ``14. März 2016``,
#: ``14 de marzo de 2016``.
_DAY_FIRST = (
    rf"^{_WEEKDAY}(?P<day>\d{{1,2}})(?:er|st|nd|rd|th|º|°)?\.?[\s/-]*(?:de\s+)?{_WORD}"
    rf"[\s,/-]*(?:de\s+)?(?P<year>\d{{4}}|\d{{2}}){_TIME}\s*$"
)
#: ``Jun 2, 2025``, ``June 2nd 2025 10:30``.
_MONTH_FIRST = (
    rf"^{_WEEKDAY}{_WORD}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}\s*$"
)
#: Day first, in figures: ``14/03/16``, ``14.3.16 10:30``, ``14/03/2016 10h30``.
_NUMERIC = rf"^(?P<day>\d{{1,2}})[/.-](?P<month>\d{{1,2}})[/.-](?P<year>\d{{4}}|\d{{2}}){_TIME}\s*$"
#: Month first, in figures (US): ``3/14/16``, ``03/14/2016 10:30``; dotted dates stay
#: day first (``14.3.16``), as :data:`_DOTTED_FORMATS` do.
_NUMERIC_MONTH_FIRST = (
    rf"^(?P<month>\d{{1,2}})[/-](?P<day>\d{{1,2}})[/-](?P<year>\d{{4}}|\d{{2}}){_TIME}\s*$"
)
_DOTTED = rf"^(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}|\d{{2}}){_TIME}\s*$"
#: The shapes :func:`parse_spreadsheet_dates` tries, in order: the first whose month is
#: a month wins ("June 2nd 2025" is also "June" as a weekday, day 2, month "nd").
_SHAPES = (_DAY_FIRST, _MONTH_FIRST, _NUMERIC)
_SHAPES_MONTH_FIRST = (_DAY_FIRST, _MONTH_FIRST, _NUMERIC_MONTH_FIRST, _DOTTED)
#: Years of fewer than four digits, which ``%Y`` reads (``16`` -> the year 16).
_YEAR_1000 = datetime(1000, 1, 1)


@cache
def _year_1000() -> pa.Scalar:
    """:data:`_YEAR_1000` as an Arrow timestamp (built on first use: pyarrow is imported
    only by a run that reads a contact list)."""
    return pa.scalar(_YEAR_1000, pa.timestamp("s"))


def parse_date_column(values: pa.Array, formats: list[str]) -> tuple[pa.Array, pa.Array | None]:
    """The dates of ``values`` (null where empty or unread), and the mask of the filled
    values nothing read (``None`` when there is none).

    Each explicit format is tried in turn (vectorized), on the values still unparsed
    only, so a file written in the first format costs one pass; what no format reads is
    tried in the shapes of :func:`parse_spreadsheet_dates`. When the preferred format is
    year-first, Arrow's ISO 8601 cast is tried first (4x faster than ``strptime``); it is
    kept only when it reads every value, and only values of the shapes the ISO formats
    accept."""
    if year_first(formats):
        iso = _cast_iso(values)
        if iso is not None:
            return iso, None
    result = pa.nulls(len(values), pa.timestamp("s"))
    pending = pc.not_equal(values, "")
    remaining = pc.sum(pending).as_py() or 0
    for fmt in [*formats, "spreadsheet", "serial"]:
        if not remaining:
            break
        candidates = pc.if_else(pending, values, pa.scalar(None, pa.string()))
        if fmt == "spreadsheet":
            parsed = parse_spreadsheet_dates(candidates, month_first=month_first(formats))
        elif fmt == "serial":
            parsed = parse_serial_dates(candidates)
        elif fmt == "ISO":
            # YYYY-MM-DD[T ]HH:MM[:SS], anything after the seconds (fraction, zone) ignored.
            head = pc.replace_substring(pc.utf8_slice_codeunits(candidates, 0, 19), "T", " ")
            parsed = pc.strptime(head, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
            if parsed.null_count > len(values) - remaining:
                minutes = pc.strptime(
                    pc.utf8_slice_codeunits(head, 0, 16),
                    format="%Y-%m-%d %H:%M",
                    unit="s",
                    error_is_null=True,
                )
                parsed = pc.coalesce(parsed, minutes)
        else:
            parsed = pc.strptime(candidates, format=fmt, unit="s", error_is_null=True)
        if fmt == "ISO" or "%Y" in fmt:
            parsed = pc.if_else(pc.less(parsed, _year_1000()), pa.scalar(None, parsed.type), parsed)
        if fmt not in ("spreadsheet", "serial"):
            parsed = _without_rollover(parsed, candidates, _day_pattern(fmt))
        hit = pc.is_valid(parsed)
        hits = pc.sum(hit).as_py() or 0
        if not hits:
            continue
        result = (
            parsed
            if hits == remaining and remaining == len(values)
            else pc.if_else(hit, parsed, result)
        )
        pending = pc.and_(pending, pc.invert(hit))
        remaining -= hits
    return result, (pending if remaining else None)


#: Excel's serial day numbers of 1970-01-01 and 2100-01-01: a whole number of five figures
#: between them, in a date column, is a date cell exported without its date format.
_SERIAL_1970, _SERIAL_2100 = 25_569, 73_051


def parse_serial_dates(values: pa.Array) -> pa.Array:
    """Excel's serial dates (``44000``, ``45266.5``: days since 1899-12-30, the fraction
    the time of day), as an ``.xlsx`` cell or a CSV saved from it writes a date whose
    format was lost; only from 1970 to 2100, so that a year or a postcode is no date."""
    shaped = pc.match_substring_regex(values, r"^\d{5}(?:\.\d+)?$")
    numbers = pc.cast(pc.if_else(shaped, values, pa.scalar(None, pa.string())), pa.float64())
    inside = pc.and_(pc.greater_equal(numbers, _SERIAL_1970), pc.less(numbers, _SERIAL_2100))
    seconds = pc.multiply(pc.subtract(numbers, float(_SERIAL_1970)), 86_400.0)
    stamps = pc.cast(pc.round(seconds), pa.int64()).cast(pa.timestamp("s"))
    return pc.if_else(inside, stamps, pa.scalar(None, pa.timestamp("s")))


def parse_spreadsheet_dates(values: pa.Array, *, month_first: bool = False) -> pa.Array:
    """Dates in the shapes spreadsheets and locales write, day first (EU): with a month
    name (or, in English, month first), or in figures with a two-digit year or a French
    time (``10h30``), month first in figures when ``month_first`` (US: ``3/14/16``); an
    optional weekday before, a time and zone after. Anything else,
    or an impossible month, is null. A two-digit year is read as Excel does: 00-29 ->
    20xx, 30-99 -> 19xx."""
    lowered = pc.utf8_lower(values)
    nothing = pa.nulls(len(values), pa.string())
    month = nothing
    fields = dict.fromkeys(("day", "year", "hour", "minute", "second", "ampm"), nothing)
    for shape in _SHAPES_MONTH_FIRST if month_first else _SHAPES:
        parts = pc.extract_regex(lowered, shape)
        months = _month_numbers(pc.struct_field(parts, "month"))
        taken = pc.and_kleene(pc.is_null(month), pc.is_valid(months))
        month = pc.if_else(taken, months, month)
        for name, chosen in fields.items():
            fields[name] = pc.if_else(taken, pc.struct_field(parts, name), chosen)
    year = fields["year"]
    two_digits = pc.equal(pc.utf8_length(year), 2)
    if pc.any(two_digits).as_py():
        century = pc.if_else(pc.less(year, "30"), "20", "19")
        year = pc.if_else(two_digits, pc.binary_join_element_wise(century, year, ""), year)

    def padded(part: pa.Array, default: str) -> pa.Array:
        filled = pc.if_else(pc.equal(part, ""), default, part)
        return pc.utf8_lpad(pc.fill_null(filled, default), 2, "0")

    text = pc.binary_join_element_wise(
        year,
        "-",
        month,
        "-",
        padded(fields["day"], "01"),
        " ",
        padded(_twenty_four_hours(fields["hour"], fields["ampm"]), "00"),
        ":",
        padded(fields["minute"], "00"),
        ":",
        padded(fields["second"], "00"),
        "",
    )
    parsed = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    return _without_rollover(parsed, text, _day_pattern("%Y-%m-%d"))


#: What a format's directives look like in the text, up to the day.
_DIRECTIVE_PATTERNS = {
    "%d": r"(?P<day>\d{1,2})",
    "%Y": r"\d{4}",
    "%y": r"\d{2}",
    "%m": r"\d{1,2}",
    "%H": r"\d{1,2}",
    "%M": r"\d{1,2}",
    "%S": r"\d{1,2}",
    "%%": "%",
}


@cache
def _day_pattern(fmt: str) -> str | None:
    """A regex capturing the day a value of ``fmt`` states (``None`` when the format has
    no day, or the text before it cannot be told apart)."""
    if fmt == "ISO":
        fmt = "%Y-%m-%d"
    if "%d" not in fmt:
        return None
    pattern = r"^\s*"
    for part in re.split(r"(%.)", fmt[: fmt.index("%d") + 2]):
        if len(part) == 2 and part.startswith("%"):
            if part not in _DIRECTIVE_PATTERNS:
                return None  # a month name or a weekday before the day
            pattern += _DIRECTIVE_PATTERNS[part]
        else:
            pattern += re.escape(part)
    return pattern


def _without_rollover(parsed: pa.Array, texts: pa.Array, day_pattern: str | None) -> pa.Array:
    """``parsed`` with the impossible dates made null: ``strptime`` rolls ``31/02/2016``
    over to 2 March, a date the user never wrote. A rolled-over date lands on the 1st to
    the 3rd of the next month, so only those are compared with the day the text states."""
    if day_pattern is None or parsed.null_count == len(parsed):
        return parsed
    early = pc.fill_null(pc.less_equal(pc.day(parsed), 3), False)
    if not pc.any(early).as_py():
        return parsed
    stated = pc.struct_field(pc.extract_regex(pc.if_else(early, texts, None), day_pattern), "day")
    differs = pc.fill_null(pc.not_equal(pc.cast(stated, pa.int64()), pc.day(parsed)), False)
    return pc.if_else(differs, pa.scalar(None, parsed.type), parsed)


def _twenty_four_hours(hours: pa.Array, meridiem: pa.Array) -> pa.Array:
    """``10:00pm`` -> 22, ``12:30am`` -> 0 (AWeber, US exports); other hours as they are."""
    if not pc.any(pc.is_valid(pc.if_else(pc.equal(meridiem, ""), None, meridiem))).as_py():
        return hours
    hour = pc.cast(pc.if_else(pc.equal(hours, ""), "0", hours), pa.int64())
    hour = pc.if_else(pc.equal(hour, 12), 0, hour)
    hour = pc.if_else(pc.equal(meridiem, "p"), pc.add(hour, 12), hour)
    return pc.if_else(pc.equal(hours, ""), hours, pc.cast(hour, pa.string()))


def _month_numbers(words: pa.Array) -> pa.Array:
    """Month words or figures -> ``"01"``..``"12"`` (null for anything else), looked up
    once per distinct value."""
    encoded = pc.dictionary_encode(words)
    numbers = [_month_number(word) for word in encoded.dictionary.to_pylist()]
    return pa.array(numbers, pa.string()).take(encoded.indices)


def _month_number(word: str | None) -> str | None:
    if word is None:
        return None
    number = int(word) if word.isdigit() else MONTHS.get(word, 0)
    return f"{number:02d}" if 1 <= number <= 12 else None


def year_first(formats: list[str]) -> bool:
    """Whether the preferred format is ISO-like: ISO 8601 may then be tried first."""
    return bool(formats) and (formats[0] == "ISO" or formats[0].startswith("%Y-%m-%d"))


#: Lengths of ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM`` and ``YYYY-MM-DD HH:MM:SS`` (``T`` or
#: space): the only shapes taken from the cast (it would also read ``YYYY-MM-DD HH``).
_ISO_LENGTHS = (0, 10, 16, 19)


def _cast_iso(values: pa.Array) -> pa.Array | None:
    """``values`` cast to ``timestamp[s]`` (empty -> null), or ``None`` when a value is
    not a plain ISO date or date-time (time zone, fraction, other format, invalid day,
    a year before 1000)."""
    if values.type != pa.string():
        return None
    lengths = pc.binary_length(values).to_numpy(zero_copy_only=False)
    if not np.isin(lengths, _ISO_LENGTHS).all():
        return None
    empty = pc.equal(values, "")
    try:
        cast = pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), values), pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    earliest = pc.min(cast)
    if earliest.is_valid and earliest.as_py() < _YEAR_1000:
        return None  # a year like 0016: the formats' pass tells it apart
    return cast


@dataclass
class UnreadDates:
    """The filled cells of one date column that no format read."""

    source: str  # the column's name in the file
    count: int = 0
    first_lines: list[int] = field(default_factory=list)
    first_values: list[str] = field(default_factory=list)


@dataclass
class UnreadableDates:
    """Filled date cells no format read, per canonical column: the rules see them as
    empty, MC904 reports them (from ``doc.read_report.unreadable_dates``)."""

    columns: dict[str, UnreadDates] = field(default_factory=dict)

    def add(self, column: str, source: str, lines: np.ndarray, values: pa.Array) -> None:
        """Count unread cells of ``column`` on ``lines``; ``values`` holds (at least)
        the first few of them."""
        unread = self.columns.setdefault(column, UnreadDates(source))
        unread.count += len(lines)
        room = max(0, 3 - len(unread.first_lines))
        unread.first_lines.extend(int(line) for line in lines[:room])
        unread.first_values.extend(values.slice(0, room).to_pylist())
