"""How much a second process could buy the contact pipeline: the bound of any design
that splits one export across two processes.

    python benchmarks/ceiling_contacts.py 1000000

Each side runs in a fresh process, best of 5 after a discarded warm-up run:

* **pyarrow**: the bare ``pyarrow.csv.read_csv`` of the N-row export (as
  ``bench_contacts.py``);
* **mailcheck**: the lint of that export, every contact rule on (as ``bench_contacts.py``);
* **two halves**: two forked processes at once, each linting an N/2-row export made by
  the same generator, its reader in-line (two processes already fill two cores; a reader
  thread in each measured slower). Nothing is shared, merged or sent back.

The third figure is what a lint split across two processes would take if splitting the
file, merging the rules' cross-chunk state (duplicates, cross-file unsubscribes, per-file
counts) and sending the findings back to one reporter cost nothing: no such design can do
better. It uses ``os.fork`` (Linux, macOS).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import bench_contacts


def two_halves(paths: list[str]) -> dict:
    """Fork one process per path, each linting its file; time until both are done."""
    import mailcheck.readers.csv.frames as csv_reader
    from mailcheck import __version__
    from mailcheck.config import Config, apply_table
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager
    from mailcheck.reporters.base import ReportSettings
    from mailcheck.reporters.concise import ConciseReporter

    # The reader in-line: no background thread in a process that has a core of its own.
    csv_reader.prefetch = lambda frames, depth=1: frames
    linters = []
    for path in paths:  # built before the clock starts, as bench_contacts' start-up
        config = Config(root=Path(path).parent)
        apply_table(config, {"select": ["MC2"], "today": "2026-11-22"}, where="bench")
        linters.append(Linter(config, pm=create_plugin_manager(load_entry_points=False)))
    start = time.perf_counter()
    children = []
    for path, linter in zip(paths, linters, strict=True):
        pid = os.fork()
        if pid == 0:
            with open(os.devnull, "w", encoding="utf-8") as report:
                settings = ReportSettings(registry=linter.registry, version=__version__)
                reporter = ConciseReporter(report, settings)
                reporter.start()
                for findings in linter.lint_files(linter.discover([Path(path)])):
                    reporter.add(findings)
                reporter.finish(linter.result)
            os._exit(0)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise SystemExit(f"a half's lint failed (pids {failed})")
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": done - start, "cpu": usage.ru_utime + usage.ru_stime}


def _child(mode: str, paths: list[Path]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, f"--{mode}", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(size: int) -> None:
    whole, half = bench_contacts.export(size), bench_contacts.export(size // 2)
    sides = (
        ("pyarrow", "bare", [whole]),
        ("mailcheck", "full", [whole]),
        ("two halves", "halves", [half, half]),
    )
    best = {}
    print(f"{'rows':>11} {'side':>10} {'work s':>7} {'cpu s':>6}  runs")
    for side, mode, paths in sides:
        _child(mode, paths)  # warm-up, discarded
        runs = [_child(mode, paths) for _ in range(5)]
        best[side] = min(runs, key=lambda run: run["seconds"])
        times = " ".join(f"{run['seconds']:.2f}" for run in runs)
        print(
            f"{size:>11,} {side:>10} {best[side]['seconds']:>7.2f} {best[side]['cpu']:>6.2f}"
            f"  {times}"
        )
    bare = best["pyarrow"]["seconds"]
    print(
        f"    ratio to the bare read: mailcheck {best['mailcheck']['seconds'] / bare:.2f}x, "
        f"two halves at once {best['two halves']['seconds'] / bare:.2f}x"
    )


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] in ("--bare", "--full", "--halves"):
        mode, paths = sys.argv[1], sys.argv[2:]
        if mode == "--halves":
            outcome = two_halves(paths)
        else:
            run = bench_contacts.bare if mode == "--bare" else bench_contacts.full
            outcome = run(paths[0])
            outcome.pop("findings", None)
        print(json.dumps(outcome))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
