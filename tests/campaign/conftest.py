"""Shared inputs of the campaign tests: the commented example campaign, copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "campaign"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of fixtures/campaign (tests write next to it); its manifest's path."""
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    return folder / "campaign.toml"
