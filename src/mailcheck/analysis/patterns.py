"""Regular expressions built from keyword terms, compiled once per distinct list of terms.

Keyword lists (``mailcheck/data/keywords``) are matched as whole words on folded text by
:class:`mailcheck.keywords.KeywordList`. Some lists are matched differently, because the
text they are looked for in is not prose: URL path stems, substrings of ``src`` values,
words of field names as written, host names, template tag names. The builders here keep
each of those matchings in one place, so the list stays data and the rule code says which
matching it needs. Terms arrive folded (lower case, ``-``/``_`` as spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from mailcheck.analysis.tags import TemplateTagFinder, template_tag_finder


def _distinct(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(terms), key=len, reverse=True))


def stem_pattern(terms: list[str], preceded_by_none_of: str = "a-z0-9") -> re.Pattern[str]:
    """Stems that must start a word but may end anywhere (URL path hints). A stem starts a
    word when the character before it is none of ``preceded_by_none_of`` (a character
    class body: letters and digits by default)."""
    return _stem_pattern(_distinct(terms), preceded_by_none_of)


@cache
def _stem_pattern(terms: tuple[str, ...], preceded_by_none_of: str) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(f"(?<![{preceded_by_none_of}])(?:{alternatives})")


def substring_pattern(terms: list[str], ignore_case: bool = False) -> re.Pattern[str]:
    """Terms found anywhere, inside words too (``src`` values of tracking pixels, stems of
    privacy-page URLs); ``ignore_case`` for text that is not lower-cased."""
    return _substring_pattern(_distinct(terms), ignore_case)


@cache
def _substring_pattern(terms: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(t) for t in terms), re.I if ignore_case else 0)


def word_pattern(terms: Iterable[str], ignore_case: bool = True) -> re.Pattern[str]:
    """Terms as whole words (``\\b`` on both sides) of text as written, not folded: the
    words of ``name``/``id``/``action`` values. ``ignore_case=False`` for text that is
    already lower-cased (Python's case-insensitive matching also equates ``ſ`` and ``s``)."""
    return _word_pattern(_distinct(terms), ignore_case)


@cache
def _word_pattern(terms: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"\b(?:{alternatives})\b", re.I if ignore_case else 0)


def placeholder_host_pattern(hosts: Iterable[str], words: Iterable[str]) -> re.Pattern[str]:
    """A lower-cased host that only stands in for a real one: one of ``hosts`` exactly
    (``www.`` allowed before it), or a host with a label that starts with one of ``words``
    and ends there or at a hyphen (``yourdomain.com``, ``shop.votre-site-web.fr``). A space
    in a word (a hyphen before folding) is an optional hyphen: ``your-domain`` also matches
    ``yourdomain``."""
    return _placeholder_host_pattern(_distinct(hosts), _distinct(words))


@cache
def _placeholder_host_pattern(hosts: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern[str]:
    branches = []
    if hosts:
        branches.append(r"^(www\.)?(?:" + "|".join(re.escape(h) for h in hosts) + ")$")
    if words:
        labels = "|".join("-?".join(re.escape(p) for p in w.split(" ")) for w in words)
        branches.append(r"(^|\.)(?:" + labels + r")(\.|-|$)")
    return re.compile("|".join(branches) if branches else r"(?!)")


def tag_with_text_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """A ``{% name '...' %}`` tag: one of ``names`` followed by a quoted argument (Klaviyo's
    ``{% unsubscribe 'Quitter' %}``). A space in a name (an ``_`` before folding) is an
    ``_``: tag names of these languages are identifiers."""
    return _tag_with_text_pattern(_distinct(names))


@cache
def _tag_with_text_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    if not names:
        return re.compile(r"(?!)")
    alternatives = "|".join("_".join(re.escape(p) for p in n.split(" ")) for n in names)
    return re.compile(rf"\{{%\s*(?:{alternatives})\s+['\"]", re.I)


def tag_name_finder(terms: Iterable[str]) -> TemplateTagFinder:
    """Template expressions of any language whose name contains one of ``terms``
    (``{{ site_settings.company_street_address_1 }}`` for "address"). A space in a term
    stands for any one character or none: "sender info" finds ``%SENDER-INFO%``."""
    return _tag_name_finder(_distinct(terms))


@cache
def _tag_name_finder(terms: tuple[str, ...]) -> TemplateTagFinder:
    if not terms:
        return template_tag_finder(r"(?!)")
    return template_tag_finder("|".join(".?".join(map(re.escape, t.split(" "))) for t in terms))
