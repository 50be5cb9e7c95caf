"""Inputs the format tests generate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def old_list(path: Path, rows: int) -> Path:
    """An old list of ``rows`` contacts at ``path``, as the benchmarks make it: most rows
    past retention, several rules and severities on each chunk."""
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate_contacts.py"), str(rows), str(path)]
        + ["--old", "0.9"],
        check=True,
        capture_output=True,
    )
    return path
