"""What rules see besides the document: the run's :class:`LintContext`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mailcheck.config import Config
from mailcheck.keywords import Keywords

#: Merge-tag roles a provider plugin may declare (``mailcheck_merge_tags``).
MERGE_TAG_ROLES = ("unsubscribe", "preferences", "postal_address", "web_version")


@dataclass
class MergeTags:
    """Template merge tags by role: ``tags[role][tag] = provider`` (``"generic"`` for core)."""

    tags: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_plugins(cls, pm, provider: str | None) -> MergeTags:
        tags: dict[str, dict[str, str]] = {role: {} for role in MERGE_TAG_ROLES}
        for impl in pm.hook.mailcheck_merge_tags.get_hookimpls():
            declared = impl.function(**_accepted(impl, provider=provider)) or {}
            for role, values in declared.items():
                for tag in values:
                    tags.setdefault(role, {}).setdefault(tag, impl.plugin_name)
        return cls(tags)

    def find(self, text: str, role: str) -> tuple[str, str] | None:
        """The first ``(tag, provider)`` of ``role`` that occurs in ``text``."""
        for tag, provider in self.tags.get(role, {}).items():
            if tag in text:
                return tag, provider
        return None


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
