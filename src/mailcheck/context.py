"""What rules see besides the document: the run's :class:`LintContext`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mailcheck.config import Config
from mailcheck.keywords import Keywords

#: Merge-tag roles a provider plugin may declare (``mailcheck_merge_tags``).
MERGE_TAG_ROLES = ("unsubscribe", "preferences", "postal_address", "web_version")


#: Owner name of the tags in the core's own list (``data/merge_tags.toml``).
GENERIC = "generic"
_CORE_TAG_PLUGIN = "merge-tags"


@dataclass
class MergeTags:
    """Template merge tags by role: ``tags[role][tag]`` = the providers that declare it.

    A provider plugin's claim replaces the core's generic list for a tag both know (so a
    tag can be recognised as another provider's); a tag several plugins declare lists
    them all (``("brevo", "sendy")``). :meth:`find` ignores case and inner whitespace
    (``{{unsubscribe}}`` is ``{{ Unsubscribe }}``).
    """

    tags: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

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

    def find(self, text: str, role: str) -> tuple[str, tuple[str, ...]] | None:
        """The first ``(tag, owners)`` of ``role`` that occurs in ``text``."""
        squeezed = _squeeze(text)
        for tag, owners in self.tags.get(role, {}).items():
            if _squeeze(tag) in squeezed:
                return tag, owners
        return None


def _squeeze(text: str) -> str:
    return "".join(text.split()).lower()


def _accepted(impl, **kwargs: Any) -> dict[str, Any]:
    """Only the keyword arguments an implementation declares (pluggy's opt-in arguments)."""
    return {key: value for key, value in kwargs.items() if key in impl.argnames}


@dataclass
class LintContext:
    """Shared, read-only state of a run.

    ``settings`` holds each enabled rule's instance-independent options by code;
    ``shared`` is a scratch dict for cross-file rules that need to exchange state.
    """

    config: Config
    pm: Any
    keywords: Keywords
    merge_tags: MergeTags
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def profile(self) -> str:
        return self.config.profile

    @property
    def today(self) -> dt.date:
        return self.config.today
