"""Which provider's embedded signup widget a form is, from provider knowledge kept as data
(``mailcheck/data/signup_widgets.toml``: provider -> markup strings), not in code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def signup_widgets() -> dict[str, tuple[str, ...]]:
    """Provider name -> strings of its widget's markup, in the order they are tried."""
    text = (resources.files("mailcheck") / "data" / "signup_widgets.toml").read_text(
        encoding="utf-8"
    )
    return {provider: tuple(hints) for provider, hints in tomllib.loads(text).items()}


def widget_provider(markup: str) -> str | None:
    """The first provider one of whose strings ``markup`` contains (case-insensitive)."""
    lowered = markup.lower()
    for provider, hints in signup_widgets().items():
        if any(hint in lowered for hint in hints):
            return provider
    return None
