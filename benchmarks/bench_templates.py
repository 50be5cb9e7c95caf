"""Benchmark the template pipeline against a bare BeautifulSoup parse of the same files.

    python benchmarks/bench_templates.py [COUNT]

Generates ``benchmarks/out/templates/`` (COUNT newsletters of ~100 KB, default 1,000) if
missing, then times, on the same files and in the same process order:

1. bare: read each file and ``BeautifulSoup(text, "html.parser")`` -- the floor, since
   mailcheck must parse every template once;
2. mailcheck: ``Linter.lint`` of the folder with every template rule on
   and the message rules (``select = ["MC1", "MC32"]``): classification, reading, the
   shared body analysis, all MC1xx rules, suppressions and excerpts.

The bare parse is timed before and after the mailcheck run and averaged (the machine
may be shared). Prints templates per second for both and the ratio (goal: at most 2x).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate_templates import OUT, main  # noqa: E402


def bare(files: list[Path]) -> float:
    from bs4 import BeautifulSoup

    start = time.perf_counter()
    for path in files:
        BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return time.perf_counter() - start


def full(folder: Path) -> tuple[float, int]:
    from mailcheck.config import Config, apply_table
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager

    config = Config(root=folder)
    apply_table(config, {"select": ["MC1", "MC32"]}, where="bench")
    linter = Linter(config, pm=create_plugin_manager(load_entry_points=False))
    start = time.perf_counter()
    result = linter.lint([folder])
    return time.perf_counter() - start, len(result.findings)


def run(count: int) -> None:
    folder = OUT
    files = sorted(folder.glob("*.html")) if folder.is_dir() else []
    if len(files) != count:
        main(count, folder)
        files = sorted(folder.glob("*.html"))
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    bare(files[:20])  # warm the file cache and imports
    # The machine may be shared: time the bare parse before and after, use the mean.
    bare_before = bare(files)
    full_seconds, findings = full(folder)
    bare_seconds = (bare_before + bare(files)) / 2
    print(f"{len(files)} templates, {megabytes:.1f} MB")
    print(
        f"bare BeautifulSoup html.parser: {bare_seconds:7.2f} s  {len(files) / bare_seconds:7.1f} "
        "templates/s"
    )
    print(
        f"mailcheck (MC1xx + MC32x):      {full_seconds:7.2f} s  {len(files) / full_seconds:7.1f} "
        "templates/s"
        f"  ({findings} findings)"
    )
    print(f"ratio mailcheck / bare: {full_seconds / bare_seconds:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
