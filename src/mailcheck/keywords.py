"""Multilingual keyword lists, kept as data.

The lists live in ``mailcheck/data/keywords/<name>.toml``, one table per language::

    [terms]
    en = ["unsubscribe", "opt out"]
    fr = ["se désabonner", "désinscription"]

A key is a language code, ``all`` for terms of no one language (URL stems, host names),
or the provider a term belongs to (``klaviyo`` in ``link_tag_with_text``). Each file
starts with a comment saying what the list is for and which rules read it.

They are extended by plugins (``mailcheck_keywords``) and by the user's config
(``[keywords] unsubscribe = ["uitschrijven hier"]``). Matching is done on *folded* text:
Unicode NFKC, case-folded, accents stripped, ``-``/``_``/NBSP as spaces, whitespace
collapsed -- so "Désabonnez-vous" matches "desabonnez vous". Lists looked for in text
that is not prose (URL stems, host names, field names, template tag names) are matched
as their file says, by the builders of :mod:`mailcheck.analysis.patterns`.

A run reads and compiles only the lists its documents need: one template uses about 20 of
the 115 lists, and reading them all (TOML) then folding and compiling them was a third of
the start-up of ``mailcheck lint one.html``. So a list's file is read when the list is
first looked up, its terms are folded when first matched, and its pattern is compiled
on its first search.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from mailcheck.errors import ConfigError, InputError, message_of
from mailcheck.files import read_input
from mailcheck.i18n import t

_SEPARATORS = re.compile(r"[\s\-_\u00a0\u2010-\u2015]+")
#: Combining marks left by NFKD (accents, cedillas, breves...): removed to strip accents.
COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Normalise text for keyword matching (see module docstring).

    Fast on ASCII text (most of a template's markup), where case folding is all it does.
    """
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
        text = text.replace("\u2019", "'")
    return _SEPARATORS.sub(" ", text).strip()


def _is_word_char(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


#: Scripts written without spaces between words (Chinese, Japanese, Thai), and Korean,
#: whose words take their particles attached ("수신거부를"): a term in them is found
#: anywhere in a run of letters, not only as a whole word ("配信停止" in
#: "メール配信停止はこちら"). The Hiragana block holds the voicing marks NFKD leaves.
UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _bounded(char: str) -> bool:
    """Whether a term's edge ``char`` must be a word's edge in the text."""
    return _is_word_char(char) and UNSPACED.match(char) is None


#: A run of word characters, as the ``\w`` of the patterns' word boundaries sees it.
_WORD = re.compile(r"\w+")
#: Texts at least this long have their words kept (:func:`_words_of`): a body is
#: searched for a dozen lists, a link's label for two or three.
_LONG_TEXT = 512
#: Patterns kept per list for the sets of terms that long texts left (a run sees few).
_SUBSETS_KEPT = 256
#: The words of the last long texts searched: the same body is searched for a dozen lists.
_WORDS_KEPT = 4
_words: dict[str, frozenset[str]] = {}


def _words_of(folded: str) -> frozenset[str]:
    """The runs of word characters of ``folded`` (kept for the last few long texts)."""
    if len(folded) < _LONG_TEXT:
        return frozenset(_WORD.findall(folded))
    found = _words.get(folded)
    if found is None:
        if len(_words) >= _WORDS_KEPT:
            _words.clear()
        found = _words[folded] = frozenset(_WORD.findall(folded))
    return found


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One pattern for ``terms`` (folded), matched as whole words.

    Longest first, so "ne plus recevoir nos e-mails" wins over "ne plus recevoir". Word
    boundaries only where the term's edge is a word character of a spaced script: "% off"
    must match in "30% off", "order #" in "order #1234", and "注文番号" in
    "ご注文番号：12345" (:data:`UNSPACED`). Terms are grouped by edge kind so each
    group keeps one leading look-behind (one check per position, not one per term)."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for term in sorted(terms, key=len, reverse=True):
        edges = (_bounded(term[:1]), _bounded(term[-1:]))
        groups.setdefault(edges, []).append(re.escape(term))
    if not groups:
        return re.compile(r"(?!)")
    branches = [
        ("(?<!\\w)" if start else "") + f"(?:{'|'.join(terms)})" + ("(?!\\w)" if end else "")
        for (start, end), terms in sorted(groups.items(), reverse=True)
    ]
    return re.compile("|".join(branches))


class KeywordList:
    """A named list of phrases, matched as whole words on folded text."""

    def __init__(self, name: str, terms: Iterable[str]) -> None:
        self.name = name
        self._raw = list(terms)

    @cached_property
    def terms(self) -> list[str]:
        """The folded terms, sorted (folded on first use)."""
        return sorted({fold(term) for term in self._raw if term.strip()})

    def extended(self, terms: Iterable[str]) -> KeywordList:
        return KeywordList(self.name, [*self._raw, *terms])

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every term, as one pattern (see :func:`_pattern`)."""
        return _pattern(self.terms)

    @cached_property
    def _by_first_word(
        self,
    ) -> tuple[dict[str, list[tuple[str, tuple[str, ...]]]], list[str], list[str]]:
        """The terms by their first run of word characters, each with its other runs
        ("ne plus recevoir": under "ne", with "plus" and "recevoir"); the terms without
        any ("%", "#"), which no word rules out; and those written in an
        :data:`UNSPACED` script, found inside words (so looked for as they are)."""
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        always, unspaced = [], []
        for term in self.terms:
            runs = _WORD.findall(term)
            if UNSPACED.search(term):
                unspaced.append(term)
            elif runs:
                index.setdefault(runs[0], []).append((term, tuple(runs[1:])))
            else:
                always.append(term)
        return index, always, unspaced

    def _pattern_for(self, folded: str) -> re.Pattern[str]:
        """A pattern that finds in ``folded`` exactly what :attr:`pattern` finds there.

        The pattern of every term costs about a millisecond a search on a template's
        whole body (17 KB), even when no term is there -- most lists, most templates --
        and compiling it is most of the cost of a list for a one-template run. Each run
        of word characters of a term is bounded by a non-word character of the term or
        by a word boundary of the pattern, so a term can match only where each of its
        runs is a whole word of the text: the terms that fail that cannot match anywhere
        in it, and dropping their branches changes no match (same place, same term, same
        order). So the terms left are found from the text's words (a long text's are
        listed once, :func:`_words_of`), and their pattern is compiled once per set of
        terms; none left (a link's label, most of the time): no search at all. A term
        of an :data:`UNSPACED` script is left when the text holds it."""
        words = _words_of(folded)
        index, always, unspaced = self._by_first_word
        left = set(always)
        if unspaced and not folded.isascii():
            left.update(term for term in unspaced if term in folded)
        for word in words:
            for term, rest in index.get(word, ()):
                if all(run in words for run in rest):
                    left.add(term)
        key = tuple(sorted(left))
        found = self._subsets.get(key)
        if found is None:
            if len(self._subsets) >= _SUBSETS_KEPT:
                self._subsets.clear()
            found = self._subsets[key] = _pattern(key)
        return found

    @cached_property
    def _subsets(self) -> dict[tuple[str, ...], re.Pattern[str]]:
        return {}

    def search(self, text: str) -> str | None:
        """The first term found in ``text`` (folded), or ``None``."""
        return self.search_folded(fold(text))

    def search_folded(self, folded: str) -> str | None:
        """Like :meth:`search` for text already passed through :func:`fold`."""
        match = self._pattern_for(folded).search(folded)
        return match.group(0) if match else None

    def findall_folded(self, folded: str) -> list[str]:
        """Every term found in folded text, in order (``pattern.findall``)."""
        return self._pattern_for(folded).findall(folded)

    def __contains__(self, text: str) -> bool:
        return self.search(text) is not None

    def __repr__(self) -> str:
        return f"KeywordList({self.name!r}, {len(self.terms)} terms)"


@cache
def _builtin_files() -> dict[str, Traversable]:
    """The built-in lists' files by list name, in name order (listed once per process)."""
    folder = resources.files("mailcheck") / "data" / "keywords"
    return {
        entry.name.removesuffix(".toml"): entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    }


def builtin_names() -> list[str]:
    """The names of the built-in lists, without reading them."""
    return list(_builtin_files())


@cache
def builtin_list(name: str) -> dict[str, list[str]]:
    """One built-in list: language -> terms (read once per process, on first use)."""
    return _read_list(_builtin_files()[name]).get("terms", {})


def builtin_lists() -> dict[str, dict[str, list[str]]]:
    """Every built-in list: name -> language -> terms (each read once per process)."""
    return {name: builtin_list(name) for name in _builtin_files()}


def _read_list(entry: Traversable) -> dict[str, Any]:
    """A keyword file, read as a configuration file is (a regular file, at most the
    default ``limits.max-config-size``: these are read before any config); a broken
    one is a one-line error naming it, not a crash."""
    from mailcheck.config import Limits

    limit = Limits().max_config_size
    try:
        if isinstance(entry, Path):
            raw = read_input(entry, limit, "limits.max-config-size")
        else:  # inside a zipped package: no FIFO or device there
            raw = entry.read_bytes()
        return tomllib.loads(raw.decode("utf-8"))
    except (InputError, OSError, ValueError, RecursionError) as error:
        reason = t("nested too deeply") if isinstance(error, RecursionError) else message_of(error)
        raise ConfigError(
            t(
                "{path}: keyword list unreadable ({reason}); reinstall mailcheck",
                path=entry,
                reason=reason,
            )
        ) from None


class Keywords(Mapping[str, KeywordList]):
    """All keyword lists of a run: built-ins, plus plugin and config extensions."""

    def __init__(self, extra: Iterable[Mapping[str, Iterable[str]]] = ()) -> None:
        self._extra: dict[str, list[str]] = {}
        for extension in extra:
            for name, terms in extension.items():
                self._extra.setdefault(name, []).extend(terms)
        self._names = list(dict.fromkeys([*builtin_names(), *self._extra]))
        self._lists: dict[str, KeywordList] = {}

    def __getitem__(self, name: str) -> KeywordList:
        found = self._lists.get(name)
        if found is None:
            if name not in self._extra and name not in _builtin_files():
                raise KeyError(name)
            builtin = builtin_list(name) if name in _builtin_files() else {}
            terms = [term for by_language in builtin.values() for term in by_language]
            found = self._lists[name] = KeywordList(name, [*terms, *self._extra.get(name, ())])
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._extra or name in _builtin_files()

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
