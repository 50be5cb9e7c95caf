"""Languages: what a user reads, in French or English.

Every user-facing text is written in English in the code, as the *message id* of a
gettext catalogue; French lives in ``locale/fr/LC_MESSAGES/*.po`` (managed with Babel:
``python -m mailcheck.i18n extract`` lists every message id, ``check`` says which lack a
translation). A plugin ships its own catalogues through ``mailcheck_catalogs``.

A finding's message is a :class:`Text`: its message id and parameters. ``str(text)`` is
the English rendering (what machine formats and the baseline have always carried);
:meth:`Text.render` gives any language, the parameters formatted the language's way:
:class:`Date` (``2016-02-03`` / ``03/02/2016``), :class:`Days` (``2,749 days`` / ``7 ans
et 6 mois``), numbers (``12,430`` / ``12 430``), and nested texts.

The language of a run: ``--lang``, else ``lang`` in the config, else the environment's
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``fr_FR.UTF-8`` gives French), else English.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

#: Languages mailcheck speaks; the first is the one of the code.
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def choose_language(
    asked: str | None = None,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language of a run: ``asked`` (``--lang``), ``configured`` (``lang``), the
    environment's locale, English. An unknown value is a ``ValueError``."""
    for value in (asked, configured):
        if value:
            language = value.strip().lower().replace("-", "_").split("_")[0]
            if language not in LANGUAGES:
                raise ValueError(
                    f"unknown language {value!r} (expected one of {', '.join(LANGUAGES)})"
                )
            return language
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:  # the first one set wins, as in gettext
            language = value.lower().split(".")[0].split("_")[0]
            return language if language in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


# -- parameters that each language writes its own way ----------------------------------


@dataclass(frozen=True, slots=True)
class Date:
    """A day: ``2016-02-03`` in English (as machine formats always had it), the
    language's short form elsewhere (``03/02/2016``)."""

    value: dt.date

    def render(self, language: str) -> str:
        day = self.value.date() if isinstance(self.value, dt.datetime) else self.value
        if language == "en":
            return day.isoformat()
        from babel.dates import format_date

        return format_date(day, "short" if language != "fr" else "dd/MM/yyyy", locale=language)


@dataclass(frozen=True, slots=True)
class Days:
    """A duration in days: ``2,749 days`` in English; years and months elsewhere
    (``7 ans et 6 mois``), as a person says it."""

    value: int

    def render(self, language: str) -> str:
        if language == "en":
            return f"{self.value:,} day{'s' if self.value != 1 else ''}"
        return _years_and_months(self.value, language)


def _years_and_months(days: int, language: str) -> str:
    catalog = translations(language)
    years, rest = divmod(days, 365)
    months = rest * 12 // 365
    if years == 0 and months == 0:
        return _plural(catalog, "{count} day", "{count} days", days, language)
    parts = []
    if years:
        parts.append(_plural(catalog, "{count} year", "{count} years", years, language))
    if months:
        parts.append(_plural(catalog, "{count} month", "{count} months", months, language))
    return (
        catalog.get("{first} and {second}", "{first} and {second}").format(
            first=parts[0], second=parts[1]
        )
        if len(parts) == 2
        else parts[0]
    )


def _plural(catalog: dict[str, str], one: str, many: str, count: int, language: str) -> str:
    msgid = one if singular(count, language) else many
    return catalog.get(msgid, msgid).format(count=number(count, language))


def singular(count: int, language: str) -> bool:
    """Whether ``count`` takes the singular: French for 0 and 1, English only for 1."""
    return count <= 1 if language == "fr" else count == 1


def number(value: int | float, language: str) -> str:
    """A count as the language writes it (``12,430`` / ``12 430``)."""
    if language == "en":
        return f"{value:,}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=language)


# -- texts ------------------------------------------------------------------------------

_FIELDS = string.Formatter()


@dataclass(frozen=True, slots=True)
class Text:
    """A message id and its parameters. ``str()`` is the English text."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, language: str) -> str:
        template = self.msgid
        if language != "en":
            template = translations(language).get(self.msgid) or self.msgid
        values = {name: render_value(value, language) for name, value in self.params.items()}
        return template.format(**values)


@dataclass(frozen=True, slots=True)
class Plural(Text):
    """A text in two forms: ``msgid`` (singular) or ``many``, chosen by the ``count``
    parameter as each language counts (:func:`singular`)."""

    many: str = ""

    def render(self, language: str) -> str:
        count = self.params["count"]
        chosen = self.msgid if singular(count, language) else self.many
        return Text(chosen, self.params).render(language)


def tn(one: str, many: str, count: int, **params: Any) -> Text:
    """``t`` of a text with a singular and a plural form (each marked ``N_`` for the
    catalogue): ``tn(N_("{count} contact"), N_("{count} contacts"), n)``."""
    return Plural(one, {"count": count, **params}, many)


def t(msgid: str, **params: Any) -> Text:
    """A text to show the user: ``t("{count} rows past retention", count=n)``. The
    message id is English with named ``{placeholders}``; the extractor finds it here."""
    return Text(msgid, params)


def render_value(value: Any, language: str) -> str:
    """One parameter, written the language's way."""
    if isinstance(value, (Text, Date, Days)):
        return value.render(language)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return number(value, language)


def render(text: str | Text, language: str) -> str:
    """A message as the user reads it: a :class:`Text` rendered, a plain string as is
    (a plugin's message that has no id)."""
    return text.render(language) if isinstance(text, Text) else str(text)


def localized(text: str | Text, language: str) -> str:
    """A :class:`Text` rendered, a plain string looked up in the catalogues (a label
    marked ``N_``): either way, what ``language`` reads."""
    return text.render(language) if isinstance(text, Text) else gettext(str(text), language)


def gettext(msgid: str, language: str) -> str:
    """A fixed text (a heading, a label) in ``language``."""
    if language == "en":
        return msgid
    return translations(language).get(msgid) or msgid


def labelled(label: str, text: str, language: str) -> str:
    """``label: text`` as the language punctuates it (``label : text`` in French)."""
    return t("{label}: {text}", label=label, text=text).render(language)


def joined(first: str, second: str, language: str) -> str:
    """``first; second`` as the language punctuates it (``first ; second`` in French)."""
    return t("{first}; {second}", first=first, second=second).render(language)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` of a message id or of its translation."""
    return {name for _, name, _, _ in _FIELDS.parse(template) if name}


# -- catalogues -------------------------------------------------------------------------

_EXTRA_CATALOGS: list[Path] = []


def add_catalogs(folders: Iterable[str | Path]) -> None:
    """Catalogue folders of plugins (each holding ``<lang>/LC_MESSAGES/*.po``), read
    after the core's: a plugin translates its own messages."""
    for folder in folders:
        path = Path(folder)
        if path not in _EXTRA_CATALOGS:
            _EXTRA_CATALOGS.append(path)
            translations.cache_clear()


def catalog_files(language: str) -> list[Path | Any]:
    """The ``.po`` files of ``language``: the core's, then the plugins'."""
    core = resources.files("mailcheck") / "locale" / language / "LC_MESSAGES"
    files: list[Any] = (
        sorted(
            (entry for entry in core.iterdir() if entry.name.endswith(".po")),
            key=lambda entry: entry.name,
        )
        if core.is_dir()
        else []
    )
    for folder in _EXTRA_CATALOGS:
        messages = folder / language / "LC_MESSAGES"
        if messages.is_dir():
            files += sorted(messages.glob("*.po"))
    return files


@cache
def translations(language: str) -> dict[str, str]:
    """message id -> translation, from every catalogue of ``language`` (fuzzy and empty
    entries left out: English is shown rather than a guess)."""
    if language == "en":
        return {}
    return read_catalogs(catalog_files(language), language)


def read_catalogs(files: Iterable[Any], language: str) -> dict[str, str]:
    """message id -> translation from ``.po`` files, the first file's entry winning;
    fuzzy and empty entries left out."""
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    for entry in files:
        with entry.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            usable = message.string and not message.fuzzy
            if usable and isinstance(message.id, str) and message.id:
                merged.setdefault(message.id, message.string)
    return merged


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Whitespace folded: how a long message id is compared with its source."""
    return _SPACES.sub(" ", text).strip()
