"""The core's generic merge tags (``data/merge_tags.toml``), served through the same hook
provider plugins use."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from mailcheck import hookimpl


@cache
def generic_merge_tags() -> dict[str, list[str]]:
    text = (resources.files("mailcheck") / "data" / "merge_tags.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@hookimpl(trylast=True)
def mailcheck_merge_tags(provider: str | None) -> dict[str, list[str]]:
    return generic_merge_tags()
