"""Shared inputs of the campaign tests: the commented example campaign, copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXAMPLE = FIXTURES / "campaign"
#: The template the example's manifest names, beside the campaign folder.
TEMPLATE = Path("templates") / "brevo-fr-newsletter.html"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of fixtures/campaign and of the template it sends (tests write next to
    them); its manifest's path."""
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    (tmp_path / TEMPLATE).parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / TEMPLATE, tmp_path / TEMPLATE)
    return folder / "campaign.toml"
