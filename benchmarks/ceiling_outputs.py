"""How close the formats that write every row can come to the concise report: what
each part of them costs, and the bound of any design that still does the rest.

    python benchmarks/ceiling_outputs.py [--rows 1000000] [--rounds 3] [--format F]

Lints ``benchmarks/out/old-<rows>.csv`` (as ``bench_outputs.py``: about 1.1 findings a
row) with the CLI's ``main`` in a fresh process, paired with a concise run just before
it, in steps that each leave out one more part of the format's work (``--format``:
``json-lines`` by default, ``json``, or ``rows-out``):

* **whole**: the format as a user runs it;
* **no text**: the records' text is not assembled (JSON: ``bulk_text.rows`` and
  ``ordered_bytes`` give nothing; ``--rows-out``: ``arrow_csv.csv_bytes`` gives nothing,
  so no value is made into text either), while every row's message is still rendered
  and, for JSON, its fingerprint still made, by the worker process;
* **no fingerprint** (JSON only): nor the fingerprints (the HMAC of each row);
* **no message**: nor the rows' messages (one empty message for every row).

Each step is a bound: no design that still does what is left can beat it on this
machine. "no text" is the most any way of assembling the text (in a thread, in the
worker, in another process writing to the output) could reach; "no fingerprint" what
is left if the fingerprints cost nothing. Prints the median wall time, CPU (worker
processes and threads included) and the median ratio to concise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import bench_outputs

HERE = Path(__file__).parent
#: Per format, what each step leaves out, cumulatively, in the order run.
STEPS = {
    "json-lines": ["whole", "no text", "no fingerprint", "no message"],
    "json": ["whole", "no text", "no fingerprint", "no message"],
    "rows-out": ["whole", "no text", "no message"],
}


def lint_without(left_out: list[str], argv: list[str]) -> None:
    """Run ``mailcheck`` with ``argv``, the parts named in ``left_out`` (steps of
    :data:`STEPS`) replaced by nothing in this process."""
    import numpy as np
    import pyarrow as pa

    from mailcheck import arrow_csv, batches
    from mailcheck.reporters import bulk_text

    if "no text" in left_out:
        bulk_text.rows = lambda size, pieces: pa.array([], pa.string())
        bulk_text.ordered_bytes = lambda records, order, separator: memoryview(b"")
        arrow_csv.csv_bytes = lambda parts, order: memoryview(b"")
    if "no fingerprint" in left_out:
        batches.RowFindings.start_digests = lambda self, worker=None: None
        batches.RowFindings.digests_made = lambda self: True
        batches.RowFindings.content_hash_array = lambda self: None
    if "no message" in left_out:
        batches.RowFindings.message_codes = lambda self, write=None: (
            [""],
            np.zeros(len(self), dtype=np.intp),
        )
    from mailcheck.cli import main

    sys.argv = ["mailcheck", *argv]
    main()


def command(fmt: str, left_out: list[str] | None, path: Path, scratch: Path) -> list[str]:
    """The run of ``fmt`` without ``left_out`` (``None``: the concise report)."""
    args = ["lint", str(path), "--today", "2026-11-22", "--exit-zero", "-o", os.devnull]
    if left_out is None:
        return [*bench_outputs.CLI, *args]
    shutil.rmtree(scratch, ignore_errors=True)
    output = ["--rows-out", str(scratch)] if fmt == "rows-out" else ["--output-format", fmt]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import ceiling_outputs; "
        "ceiling_outputs.lint_without(sys.argv[2].split(','), sys.argv[3:])"
    )
    return [sys.executable, "-c", code, str(HERE), ",".join(left_out), *args, *output]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--format", default="json-lines", choices=list(STEPS))
    args = parser.parse_args()
    path = bench_outputs.old_list(args.rows)
    scratch = Path(tempfile.mkdtemp(prefix="mailcheck-ceiling-"))
    print(f"{path.name}: {args.rows:,} rows; {os.cpu_count()} cores; {args.rounds} rounds")
    print(f"{args.format + ', left out':<28} {'wall s':>7} {'cpu s':>7} {'/concise':>9}")
    steps = STEPS[args.format]
    try:
        for done, step in enumerate(steps):
            left_out = steps[1 : done + 1]
            runs, ratios = [], []
            for _ in range(args.rounds):
                concise = bench_outputs.run(command(args.format, None, path, scratch))
                measured = bench_outputs.run(command(args.format, left_out, path, scratch))
                runs.append(measured)
                ratios.append(measured["wall"] / concise["wall"])
            wall = statistics.median(run["wall"] for run in runs)
            cpu = statistics.median(run["cpu"] for run in runs)
            ratio = statistics.median(ratios)
            print(f"{step:<28} {wall:>7.2f} {cpu:>7.2f} {ratio:>8.2f}x", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
