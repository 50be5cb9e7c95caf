"""Benchmark the contact-list pipeline against a bare ``pyarrow.csv.read_csv``.

    python benchmarks/bench_contacts.py 1000000 --old 1000000 10000000

Each argument is one export of N rows (``benchmarks/out/contacts-<N>.csv``, about 57k
findings a million rows); ``--old N`` is an old list of N rows
(``benchmarks/out/old-<N>.csv``: 90% of the contacts past retention, about 900k findings
a million rows). A missing export is generated first (``generate_contacts.py``).

For each export, two processes run in turn: (1) ``pyarrow.csv.read_csv`` of the whole
file, (2) ``mailcheck`` with every contact rule on (``select = ["MC2"]``, fixed
``today``), findings written to the default (concise) report, as ``mailcheck lint``
does, into ``os.devnull``. Each side is timed in two parts:

* **start-up**: from an empty interpreter to ready -- importing the libraries (pyarrow for
  the bare read; mailcheck, its plugins, pandas for mailcheck) and, for mailcheck,
  building the plugin manager, the configuration and the rules;
* **work**: reading the file (bare) / linting it, every finding given to the report
  and counted per rule from its batch (mailcheck; row findings stay columns, as the
  concise report keeps them).

The two sides run as pairs, alternately (bare, mailcheck, bare, mailcheck ...) after one
discarded pair, so that both meet the same load on a shared machine: it prints the
median of each side and the median of the pairs' ratios, work to work (libraries loaded
on both sides, as a benchmark of the reading usually is) and everything to everything
(start-up included), and each side's peak RSS (``ru_maxrss``, as ``/usr/bin/time -v``
shows it). Up to 2M rows 5 pairs are run, 1 above.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).parent
OUT = HERE / "out"


def bare(path: str) -> dict:
    start = time.perf_counter()
    import pyarrow.csv as pacsv

    ready = time.perf_counter()
    cpu = time.process_time()
    # newlines_in_values: the generated notes hold quoted newlines, as real exports do;
    # without it pyarrow mis-splits them ("parser got out of sync with chunker").
    table = pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True))
    done = time.perf_counter()
    return {
        "startup": ready - start,
        "seconds": done - ready,
        "cpu": time.process_time() - cpu,
        "rows": table.num_rows,
        "peak_mb": _peak_mb(),
    }


def full(path: str) -> dict:
    start = time.perf_counter()
    from mailcheck import __version__
    from mailcheck.batches import parts_of, rows_in
    from mailcheck.config import Config, apply_table
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager
    from mailcheck.reporters.base import ReportSettings
    from mailcheck.reporters.concise import ConciseReporter

    config = Config(root=Path(path).parent)
    apply_table(config, {"select": ["MC2"], "today": "2026-11-22"}, where="bench")
    linter = Linter(config, pm=create_plugin_manager(load_entry_points=False))
    report = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    reporter = ConciseReporter(
        report, ReportSettings(registry=linter.registry, version=__version__)
    )
    ready = time.perf_counter()
    cpu = time.process_time()
    # As `mailcheck lint` does: findings streamed file by file to the default report.
    counts: dict[str, int] = {}
    reporter.start()
    for findings in linter.lint_files(linter.discover([Path(path)])):
        reporter.add(findings)
        # Counted part by part: a batch's row findings stay columns (as the report
        # keeps them), not one Finding object each.
        for part in parts_of(findings):
            counts[part.code] = counts.get(part.code, 0) + rows_in(part)
    reporter.finish(linter.result)
    done = time.perf_counter()
    report.close()
    return {
        "startup": ready - start,
        "seconds": done - ready,
        "cpu": time.process_time() - cpu,
        "findings": counts,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, f"--{mode}", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def export(size: int, old: bool = False) -> Path:
    """``benchmarks/out/contacts-<size>.csv`` (``old-<size>.csv`` for an old list),
    generated the first time it is asked for."""
    path = OUT / f"{'old' if old else 'contacts'}-{size}.csv"
    if not path.exists():
        command = [sys.executable, str(HERE / "generate_contacts.py"), str(size), str(path)]
        extra = ["--old", "0.9"] if old else []
        subprocess.run([*command, *extra], check=True, capture_output=True)
    return path


def measure(path: Path, pairs: int) -> dict[str, list[dict]]:
    """``pairs`` (bare read, mailcheck) pairs run alternately, after a discarded pair when
    more than one is asked for (it warms the page cache)."""
    runs: dict[str, list[dict]] = {"pyarrow": [], "mailcheck": []}
    warm = pairs > 1
    for index in range(pairs + warm):
        for side, mode in (("pyarrow", "bare"), ("mailcheck", "full")):
            run = _child(mode, path)
            if index or not warm:
                runs[side].append(run)
    return runs


def main(exports: list[tuple[int, bool]]) -> None:
    print(
        f"{'export':>16} {'side':>9} {'start-up s':>10} {'work s':>7} {'cpu s':>6} "
        f"{'rows/s':>11} {'peak MB':>8}"
    )
    for size, old in exports:
        path = export(size, old)
        runs = measure(path, 5 if size <= 2_000_000 else 1)
        name = f"{'old' if old else 'contacts'}-{size:,}"
        for side, r in runs.items():
            work = median(x["seconds"] for x in r)
            print(
                f"{name:>16} {side:>9} {median(x['startup'] for x in r):>10.2f} {work:>7.2f} "
                f"{median(x['cpu'] for x in r):>6.2f} {size / work:>11,.0f} "
                f"{max(x['peak_mb'] for x in r):>8.0f}"
            )
        pairs = list(zip(runs["pyarrow"], runs["mailcheck"], strict=True))
        work = median(m["seconds"] / b["seconds"] for b, m in pairs)
        everything = median(
            (m["startup"] + m["seconds"]) / (b["startup"] + b["seconds"]) for b, m in pairs
        )
        each = " ".join(f"{m['seconds'] / b['seconds']:.2f}" for b, m in pairs)
        print(
            f"    ratio (median of {len(pairs)} pairs), work only: {work:.2f}x ({each})   "
            f"start-up included: {everything:.2f}x"
        )
        findings = runs["mailcheck"][-1]["findings"]
        print(
            f"    {sum(findings.values()):,} findings:", json.dumps(dict(sorted(findings.items())))
        )


def _exports(arguments: list[str]) -> list[tuple[int, bool]]:
    """``1000000 --old 1000000`` -> [(1000000, False), (1000000, True)]."""
    exports, old = [], False
    for argument in arguments:
        if argument == "--old":
            old = True
            continue
        exports.append((int(argument), old))
        old = False
    return exports or [(1_000_000, False)]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--bare", "--full"):
        print(json.dumps(bare(sys.argv[2]) if sys.argv[1] == "--bare" else full(sys.argv[2])))
    else:
        main(_exports(sys.argv[1:]))
