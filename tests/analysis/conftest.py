"""A lint context for the analysis functions, which keep what they derive in its memo."""

from __future__ import annotations

import pytest

from mailcheck.config import Config
from mailcheck.context import LintContext, MergeTags
from mailcheck.keywords import Keywords


@pytest.fixture
def ctx() -> LintContext:
    return LintContext(config=Config(), pm=None, keywords=Keywords(), merge_tags=MergeTags())
