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
the CPU time (user + system, the workers' included: on a busy shared machine it moves
less than the wall time), the ratios to the bare parse (goal: at most 1x) and the core
count, and checks that the serial and parallel runs found the same findings.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate_templates import OUT, main  # noqa: E402


def cpu() -> float:
    """User + system seconds of this process and of its workers that have ended."""
    mine = os.times()
    return mine.user + mine.system + mine.children_user + mine.children_system


def bare(files: list[Path]) -> tuple[float, float]:
    from bs4 import BeautifulSoup

    start, used = time.perf_counter(), cpu()
    for path in files:
        BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return time.perf_counter() - start, cpu() - used


def full(folder: Path, jobs: int | None) -> tuple[float, float, list]:
    from mailcheck.config import Config, apply_table
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager

    config = Config(root=folder)
    apply_table(config, {"select": ["MC1", "MC32"]}, where="bench")
    config.jobs = jobs
    linter = Linter(config, pm=create_plugin_manager(load_entry_points=False))
    linter.auto_jobs = True  # as the CLI: this script's main module is guarded
    start, used = time.perf_counter(), cpu()
    result = linter.lint([folder])  # the workers have ended when it returns
    seconds, used = time.perf_counter() - start, cpu() - used
    return seconds, used, [(f.path, f.line, f.column, f.code, f.message) for f in result.findings]


def cores() -> int:
    from mailcheck.parallel import worker_count

    return worker_count(None)


def run(count: int, repeat: int = 1) -> None:
    folder = OUT
    files = sorted(folder.glob("*.html")) if folder.is_dir() else []
    if len(files) != count:
        # Another count has its own folder: a folder of other newsletters is never
        # rewritten, and the lint (which takes the whole folder) sees only these.
        folder = OUT.with_name(f"{OUT.name}-{count}")
        files = sorted(folder.glob("*.html")) if folder.is_dir() else []
        if len(files) != count:
            main(count, folder)
            files = sorted(folder.glob("*.html"))
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    bare(files[:20])  # warm the file cache and imports
    times: dict[str, list[float]] = {"bare": [], "serial": [], "parallel": []}
    used: dict[str, list[float]] = {"bare": [], "serial": [], "parallel": []}
    found = {}
    for _ in range(repeat):
        for side, jobs in (("bare", 0), ("serial", 1), ("parallel", None)):
            if side == "bare":
                seconds, seconds_cpu = bare(files)
            else:
                seconds, seconds_cpu, found[side] = full(folder, jobs)
            times[side].append(seconds)
            used[side].append(seconds_cpu)
    seconds, seconds_cpu = bare(files)
    times["bare"].append(seconds)
    used["bare"].append(seconds_cpu)
    median = {side: statistics.median(values) for side, values in times.items()}
    median_cpu = {side: statistics.median(values) for side, values in used.items()}
    print(f"{len(files)} templates, {megabytes:.1f} MB, {cores()} cores, {repeat} round(s)")
    names = {
        "bare": "bare BeautifulSoup html.parser:",
        "serial": "mailcheck serial (jobs = 1):   ",
        "parallel": f"mailcheck parallel ({cores()} workers):",
    }
    for side, seconds in median.items():
        extra = f"  ({len(found[side])} findings)" if side in found else ""
        print(
            f"{names[side]:32} {seconds:7.2f} s  {len(files) / seconds:7.1f} templates/s"
            f"  CPU {median_cpu[side]:7.2f} s{extra}"
        )
    for side in ("serial", "parallel"):
        print(
            f"ratio {side} / bare: {median[side] / median['bare']:.2f}x (goal <= 1x);"
            f" CPU {median_cpu[side] / median_cpu['bare']:.2f}x"
        )
    if found["serial"] != found["parallel"]:
        print("MISMATCH: the parallel run's findings differ from the serial run's")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--repeat=")]
    rounds = [int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--repeat=")]
    run(int(arguments[0]) if arguments else 1000, rounds[0] if rounds else 1)
