"""Every output format against the default (concise) report, on a list with many findings.

    python benchmarks/bench_outputs.py [--rows 1000000] [--rounds 3] [--save DIR] [FORMAT ...]

Lints ``benchmarks/out/old-<rows>.csv`` (generated the first time: an old list where
about 90% of the contacts are past the retention period, about 1.1 findings per row)
with the CLI, as a process, once per format: ``concise`` (the reference), then each
format written to ``os.devnull`` (``--output-format F``), ``--statistics``, the HTML
report written to a file, and ``--rows-out`` written to a folder. Each format's run is
paired with a concise run just before it, ``--rounds`` times: the machine may be shared,
so the ratio of each pair is what counts. Prints per format the median wall time, CPU
time (user + sys, the worker processes included) and peak RSS, and the median ratio of
wall times to concise (the goal: at most 1.3x).

``--save DIR`` also keeps each format's output of the last round in ``DIR`` (to compare
two commits: the outputs must be identical; the HTML report's "made on" line differs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
FORMATS = [
    "statistics",
    "full",
    "json",
    "json-lines",
    "json-report",
    "sarif",
    "junit",
    "github",
    "gitlab",
    "html",
    "rows-out",
]


#: The ``mailcheck`` command installed beside this Python, as a user runs it.
_SCRIPT = shutil.which("mailcheck", path=str(Path(sys.executable).parent))
CLI = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "mailcheck.cli"]


def old_list(rows: int) -> Path:
    path = OUT / f"old-{rows}.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_contacts.py"), str(rows), str(path)]
            + ["--old", "0.9"],
            check=True,
            capture_output=True,
        )
    return path


def command(fmt: str, path: Path, target: Path) -> list[str]:
    """The CLI run for ``fmt``, its output going to ``target`` (a file or a folder)."""
    base = [
        *CLI,
        "lint",
        str(path),
        "--today",
        "2026-11-22",
        "--exit-zero",
    ]
    if fmt == "concise":
        return [*base, "-o", str(target)]
    if fmt == "statistics":
        return [*base, "--statistics", "-o", str(target)]
    if fmt == "rows-out":
        return [*base, "--rows-out", str(target), "-o", os.devnull]
    return [*base, "--output-format", fmt, "-o", str(target)]


def run(argv: list[str]) -> dict[str, float]:
    """One run: wall seconds, CPU seconds (its worker processes included), peak RSS MB."""
    env = {**os.environ, "MAILCHECK_FINGERPRINT_KEY": "bench"}
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()[-400:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        # ru_maxrss of wait4 is the process's own peak (kilobytes on Linux).
        "peak": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("formats", nargs="*", default=FORMATS)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    path = old_list(args.rows)
    scratch = Path(tempfile.mkdtemp(prefix="mailcheck-bench-"))
    print(f"{path.name}: {args.rows:,} rows; {os.cpu_count()} cores; {args.rounds} rounds")
    print(f"{'format':<12} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'/concise':>9}")
    try:
        for fmt in ["concise", *args.formats]:
            runs, ratios = [], []
            for _ in range(args.rounds):
                concise = run(command("concise", path, Path(os.devnull)))
                target = scratch / fmt
                if fmt == "rows-out":
                    shutil.rmtree(target, ignore_errors=True)
                elif fmt not in ("html",) and fmt != "concise":
                    target = Path(os.devnull)
                measured = run(command(fmt, path, target)) if fmt != "concise" else concise
                runs.append(measured)
                ratios.append(measured["wall"] / concise["wall"])
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            ratio = statistics.median(ratios)
            print(
                f"{fmt:<12} {median['wall']:>7.2f} {median['cpu']:>7.2f} "
                f"{median['peak']:>8.0f} {ratio:>8.2f}x",
                flush=True,
            )
            if args.save is not None:
                args.save.mkdir(parents=True, exist_ok=True)
                saved = args.save / fmt
                if fmt in ("html", "rows-out"):
                    if saved.exists():
                        shutil.rmtree(saved) if saved.is_dir() else saved.unlink()
                    shutil.move(str(scratch / fmt), saved)
                else:
                    run(command(fmt, path, saved))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
