"""Postal address lines known by their shape, when no street word is written.

Many real addresses name their street without a word for "street": "Damrak 1, 1012 LG
Amsterdam", "Unter den Linden 77, 10117 Berlin", "Serrano 41, 28001 Madrid", "1 Infinite
Loop, Cupertino, CA 95014", "1 Kings Cross, London N1C 4AG". MC109 finds most addresses
by a street word near a postcode (the ``postal_street`` lists); these are found by the
layout of the line instead, read on the text as written (capitals matter):

- a house number right before the postcode, then the town: "<street> <number>,
  <postcode> <Town>" (the continental layout, with an optional "D-"/"NL-" country
  prefix, "·", "|" or "–" as separators);
- a town, a US state and a ZIP code, with a house number earlier in the line: "<number>
  <street>, <Town>, CA 95014";
- a UK or Canadian postcode written in capitals after the town, with a house number
  earlier in the line: "<number> <street>, London N1C 4AG".

A number followed by a postcode-like number and a capitalised word is what is asked for,
so a year ("© 2026 Acme"), a price or a quantity is not taken for an address.
"""

from __future__ import annotations

import re

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽŚŁŻĆŃŐŰ"
_LETTER = r"[^\W\d_]"
#: A house number: "1", "77", "12b", "221B", "12-14", "5/2".
_HOUSE = r"\d{1,4}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?"
#: Postcodes as written: Dutch "1012 LG", Portuguese "1100-148", Polish "00-029",
#: Swedish/Czech "111 51", five digits, four digits (with a country prefix or not).
#: A bare four-digit code that reads as a year ("Top 10, 2026 Edition") is not taken.
_POSTCODE = (
    r"(?:[A-Z]{1,2}-)?(?:\d{4} ?[A-Z]{2}(?![\w])|\d{4}-\d{3}|\d{2}-\d{3}|\d{3} \d{2}|\d{5}"
    r"|(?!(?:19|20)\d\d)\d{4})"
)
_SEPARATOR = r"\s*[,·|–—/]?\s*"
_TOWN = rf"[{_UPPER}]{_LETTER}+"
#: "<street> <number>, <postcode> <Town>".
_CONTINENTAL = re.compile(
    rf"(?<![\w.,/:€$£%-]){_LETTER}{{2,}}\s{_HOUSE}(?![\w%€$£.,]\d){_SEPARATOR}"
    rf"{_POSTCODE}\s+{_TOWN}"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
#: "<Town>, CA 95014" (US) and "<Town> N1C 4AG" / "<Town>, ON M5V 2T6" (UK, Canada).
_TOWN_AND_CODE = re.compile(
    rf"{_TOWN}(?:\s{_LETTER}+){{0,2}},?\s(?:(?:{_STATES})\s\d{{5}}(?:-\d{{4}})?"
    rf"|(?:[A-Z]{{2}}\s)?[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}"
    rf"|(?:[A-Z]{{2}}\s)?[A-Z]\d[A-Z]\s?\d[A-Z]\d)(?![\w])"
)
_HOUSE_FIRST = re.compile(rf"(?<![\w.,/:€$£%-]){_HOUSE}\s{_LETTER}{{2,}}")
_SPACES = re.compile(r"\s+")


def address_line(text: str) -> str | None:
    """The first postal address line of ``text`` (as a reader reads it) found by its
    layout, or ``None``."""
    flat = _SPACES.sub(" ", text)
    found = _CONTINENTAL.search(flat)
    if found is not None:
        return found.group(0)
    for town in _TOWN_AND_CODE.finditer(flat):
        line = flat[max(0, town.start() - 80) : town.start()]
        if _HOUSE_FIRST.search(line):
            return flat[max(0, town.start() - 40) : town.end()].strip()
    return None
