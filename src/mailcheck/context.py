"""What rules see besides the document: the run's :class:`LintContext`."""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mailcheck.config import Config
from mailcheck.keywords import Keywords

#: Merge-tag roles a provider plugin may declare (``mailcheck_merge_tags``).
MERGE_TAG_ROLES = ("unsubscribe", "preferences", "postal_address", "web_version")


#: Owner name of the tags in the core's own list (``data/merge_tags.toml``).
GENERIC = "generic"
_CORE_TAG_PLUGIN = "merge-tags"


_TAG_TOKENS = re.compile(r"\w+|[^\w\s]+")


def _canonical(tag: str) -> str:
    return "".join(tag.split()).lower()


@dataclass
class TagMatcher:
    """Finds the merge tags of one role in a text, ignoring case and inner whitespace
    (``{{unsubscribe}}`` == ``{{ Unsubscribe }}``). ``provider`` in the answers is the
    tag's owners joined by commas (``"brevo,sendy"``), ``"generic"`` for the core list."""

    pattern: re.Pattern[str]
    providers: dict[str, tuple[str, str]]  # canonical -> (tag as declared, owners)

    @classmethod
    def build(cls, declared: dict[str, tuple[str, ...]]) -> TagMatcher:
        providers: dict[str, tuple[str, str]] = {}
        alternatives = []
        for tag, owners in declared.items():
            key = _canonical(tag)
            if not key or key in providers:
                continue
            providers[key] = (tag, ",".join(owners))
            tokens = _TAG_TOKENS.findall(tag)
            alternatives.append(r"\s*".join(re.escape(token) for token in tokens))
        alternatives.sort(key=len, reverse=True)  # longest tag first
        pattern = re.compile("|".join(alternatives) if alternatives else r"(?!)", re.I)
        return cls(pattern, providers)

    def _answer(self, match: re.Match[str]) -> tuple[str, str]:
        return self.providers.get(_canonical(match.group(0)), (match.group(0), GENERIC))

    def find_all(self, text: str) -> list[tuple[int, str, str]]:
        """``(offset, tag, provider)`` of every occurrence in ``text``."""
        if not self.providers:
            return []
        return [(m.start(), *self._answer(m)) for m in self.pattern.finditer(text)]

    def find(self, text: str) -> tuple[str, str] | None:
        """``(tag, provider)`` of the first occurrence in ``text``, or ``None``."""
        match = self.pattern.search(text) if self.providers else None
        return None if match is None else self._answer(match)


@dataclass
class MergeTags:
    """Template merge tags by role: ``tags[role][tag]`` = the providers that declare it.

    A provider plugin's claim replaces the core's generic list for a tag both know (so a
    tag can be recognised as another provider's); a tag several plugins declare lists
    them all (``("brevo", "sendy")``). :meth:`matcher` finds them in a text.
    """

    tags: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    _matchers: dict[str, TagMatcher] = field(default_factory=dict, repr=False)

    @classmethod
    def from_plugins(cls, pm, provider: str | None) -> MergeTags:
        tags: dict[str, dict[str, tuple[str, ...]]] = {role: {} for role in MERGE_TAG_ROLES}
        for impl in pm.hook.mailcheck_merge_tags.get_hookimpls():
            owner = GENERIC if impl.plugin_name == _CORE_TAG_PLUGIN else impl.plugin_name
            declared = impl.function(**_accepted(impl, provider=provider)) or {}
            for role, values in declared.items():
                by_tag = tags.setdefault(role, {})
                for tag in values:
                    owners = [o for o in by_tag.get(tag, ()) if o != GENERIC]
                    if owner not in owners and not (owner == GENERIC and owners):
                        owners.append(owner)
                    by_tag[tag] = tuple(owners)
        return cls(tags)

    def matcher(self, role: str) -> TagMatcher:
        """The (cached) matcher of one role's tags."""
        if role not in self._matchers:
            self._matchers[role] = TagMatcher.build(self.tags.get(role, {}))
        return self._matchers[role]

    def find(self, text: str, role: str) -> tuple[str, str] | None:
        """``(tag, provider)`` of the first tag of ``role`` in ``text``, or ``None``."""
        return self.matcher(role).find(text)


def _accepted(impl, **kwargs: Any) -> dict[str, Any]:
    """Only the keyword arguments an implementation declares (pluggy's opt-in arguments)."""
    return {key: value for key, value in kwargs.items() if key in impl.argnames}


T = TypeVar("T")


class Memo:
    """The run's one cache: what is derived once and reused by every rule that asks.

    ``memo.get(key, compute)`` keeps ``compute()`` for the whole run (a pattern built
    from the keyword lists). ``memo.get(key, compute, of=owner)`` keeps it for one
    object: a document, a body, a chunk of a contact list. Rules run one document (one
    chunk) at a time, so only the last :attr:`RECENT_OWNERS` objects keep their values:
    memory stays flat over a million-row list or a thousand-template ZIP, even when a
    value refers back to its owner (a parsed form holds its document). Owners are held
    by weak reference where they allow it, so an object at a reused address starts
    afresh, and the values of one that is gone are dropped at the next call (a contact
    chunk's masks and dictionaries, about 2 MB a chunk, were otherwise kept for the 15
    chunks after it). Keys belong to the caller (start them with the module's job:
    ``("routes", ...)``); values are shared, so callers must not modify them.
    """

    RECENT_OWNERS = 16

    def __init__(self) -> None:
        self._run: dict[Hashable, Any] = {}
        self._owners: OrderedDict[int, tuple[Callable[[], object], dict[Hashable, Any]]]
        self._owners = OrderedDict()
        #: Idents of owners collected since the last call (appended by their weak
        #: references' callbacks, which may run at any allocation: they only append).
        self._gone: list[tuple[int, weakref.ref]] = []

    def get(self, key: Hashable, compute: Callable[[], T], of: object = None) -> T:
        store = self._run if of is None else self._store_of(of)
        try:
            return store[key]
        except KeyError:
            value = store[key] = compute()
            return value

    def _store_of(self, owner: object) -> dict[Hashable, Any]:
        while self._gone:
            gone, reference = self._gone.pop()
            entry = self._owners.get(gone)
            if entry is not None and entry[0] is reference:
                del self._owners[gone]
        ident = id(owner)
        entry = self._owners.get(ident)
        if entry is not None and entry[0]() is owner:
            self._owners.move_to_end(ident)
            return entry[1]
        try:
            gone = self._gone
            reference: Callable[[], object] = weakref.ref(owner, lambda r: gone.append((ident, r)))
        except TypeError:  # not weakly referable: held (at most RECENT_OWNERS of them)
            reference = lambda: owner  # noqa: E731
        store: dict[Hashable, Any] = {}
        self._owners[ident] = (reference, store)
        self._owners.move_to_end(ident)
        while len(self._owners) > self.RECENT_OWNERS:
            self._owners.popitem(last=False)
        return store


@dataclass
class LintContext:
    """What every rule receives besides the document, the same for the whole run.

    ``config`` is the resolved configuration (``profile`` and ``today`` are shortcuts to
    it), ``pm`` the plugin manager, ``keywords`` the keyword lists (built-in, plugins'
    and the user's ``[keywords]``) and ``merge_tags`` the merge tags declared by plugins.
    A rule's own options are not here but on the rule, in ``self.settings``. ``memo``
    is the run's one cache (:class:`Memo`): what is worth computing once per run (a
    pattern built from the keyword lists) or once per document, body or chunk (the
    routes of a body, the active rows of a chunk).
    """

    config: Config
    pm: Any
    keywords: Keywords
    merge_tags: MergeTags
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    @property
    def profile(self) -> str:
        return self.config.profile

    @property
    def today(self) -> dt.date:
        return self.config.today
