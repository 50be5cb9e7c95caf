"""The README's configuration example must stay valid: every key and code in it exists."""

from __future__ import annotations

import re
from pathlib import Path

from mailcheck.config import load_config
from mailcheck.engine import Linter

README = Path(__file__).parent.parent / "README.md"


def test_readme_config_example_is_valid(tmp_path):
    block = re.search(r"```toml\n(\[tool\.mailcheck\].*?)```", README.read_text("utf-8"), re.S)
    assert block is not None
    (tmp_path / "pyproject.toml").write_text(block.group(1), encoding="utf-8")
    config = load_config(None, tmp_path)
    assert config.profile == "eu-fr" and config.rules["MC203"]["retention-days"] == 1095
    Linter(config)  # validates rule codes, rule options and keyword lists
