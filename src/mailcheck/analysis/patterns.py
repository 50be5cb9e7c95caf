"""Regular expressions built from keyword terms (URL path stems, plain substrings),
compiled once per distinct list of terms."""

from __future__ import annotations

import re
from functools import cache


def stem_pattern(terms: list[str]) -> re.Pattern[str]:
    """Stems that must start a word but may end anywhere (URL path hints)."""
    return _stem_pattern(tuple(sorted(set(terms), key=len, reverse=True)))


@cache
def _stem_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    return re.compile("(?<![a-z0-9])(?:" + "|".join(re.escape(t) for t in terms) + ")")


def substring_pattern(terms: list[str]) -> re.Pattern[str]:
    return _substring_pattern(tuple(sorted(set(terms), key=len, reverse=True)))


@cache
def _substring_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(t) for t in terms))
