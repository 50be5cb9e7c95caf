"""Benchmark the template pipeline against a bare BeautifulSoup parse of the same files.

    python benchmarks/bench_templates.py [COUNT] [--repeat=N]

Generates ``benchmarks/out/templates/`` (COUNT newsletters of ~100 KB, default 1,000) if
missing, then times, on the same files and in the same process order:

1. bare: read each file and ``BeautifulSoup(text, "html.parser")`` -- the floor, since
   mailcheck must parse every template once;
2. mailcheck serial (``jobs = 1``): ``Linter.lint`` of the folder with every template
   rule on and the message rules (``select = ["MC1", "MC32"]``): classification,
   reading, the shared body analysis, all MC1xx rules, suppressions and excerpts;
3. mailcheck parallel (``jobs = "auto"``: one spawned worker per core, their start
   included), the same lint.

The runs alternate (bare, serial, parallel, bare, ...) ``--repeat`` times (default 1)
and each side's median is kept: the machine may be shared. Prints templates per second,
the ratios to the bare parse (goal: at most 1x) and the core count, and checks that the
serial and parallel runs found the same findings.
"""

from __future__ import annotations

import statistics
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


def full(folder: Path, jobs: int | None) -> tuple[float, list]:
    from mailcheck.config import Config, apply_table
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager

    config = Config(root=folder)
    apply_table(config, {"select": ["MC1", "MC32"]}, where="bench")
    config.jobs = jobs
    linter = Linter(config, pm=create_plugin_manager(load_entry_points=False))
    linter.auto_jobs = True  # as the CLI: this script's main module is guarded
    start = time.perf_counter()
    result = linter.lint([folder])
    seconds = time.perf_counter() - start
    return seconds, [(f.path, f.line, f.column, f.code, f.message) for f in result.findings]


def cores() -> int:
    from mailcheck.parallel import worker_count

    return worker_count(None)


def run(count: int, repeat: int = 1) -> None:
    folder = OUT
    files = sorted(folder.glob("*.html")) if folder.is_dir() else []
    if len(files) != count:
        main(count, folder)
        files = sorted(folder.glob("*.html"))
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    bare(files[:20])  # warm the file cache and imports
    times: dict[str, list[float]] = {"bare": [], "serial": [], "parallel": []}
    found = {}
    for _ in range(repeat):
        times["bare"].append(bare(files))
        seconds, found["serial"] = full(folder, 1)
        times["serial"].append(seconds)
        seconds, found["parallel"] = full(folder, None)
        times["parallel"].append(seconds)
    times["bare"].append(bare(files))
    median = {side: statistics.median(values) for side, values in times.items()}
    print(f"{len(files)} templates, {megabytes:.1f} MB, {cores()} cores, {repeat} round(s)")
    names = {
        "bare": "bare BeautifulSoup html.parser:",
        "serial": "mailcheck serial (jobs = 1):   ",
        "parallel": f"mailcheck parallel ({cores()} workers):",
    }
    for side, seconds in median.items():
        extra = f"  ({len(found[side])} findings)" if side in found else ""
        print(f"{names[side]:32} {seconds:7.2f} s  {len(files) / seconds:7.1f} templates/s{extra}")
    for side in ("serial", "parallel"):
        print(f"ratio {side} / bare: {median[side] / median['bare']:.2f}x (goal <= 1x)")
    if found["serial"] != found["parallel"]:
        print("MISMATCH: the parallel run's findings differ from the serial run's")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--repeat=")]
    rounds = [int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--repeat=")]
    run(int(arguments[0]) if arguments else 1000, rounds[0] if rounds else 1)
