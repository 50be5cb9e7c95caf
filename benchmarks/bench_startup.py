"""Benchmark the command line's start-up: one template linted as the pre-commit hook does.

    python benchmarks/bench_startup.py [RUNS]

Times, as processes (start-up included, as a user runs them), RUNS rounds (default 11)
of, in turn within each round:

1. ``python -c pass`` -- the bare interpreter, the floor;
2. ``mailcheck --version`` (it lists the plugins' versions);
3. ``mailcheck lint small.html`` -- a 1.5 KB newsletter (``fixtures/templates/``);
4. ``mailcheck lint one.html`` -- a ~100 KB newsletter from ``generate_templates.py``.

Prints the median and the fastest of each, the median's ratio to the goal (0.3 s for a
template, issue #19), the median CPU time of the process (user + system: on a shared
machine it moves less than the wall time, which includes waiting for a core), and which
heavy modules each command imported: pandas, numpy, pyarrow, bs4, soupsieve and
charset-normalizer, read from ``python -X importtime`` (a module left as a
:mod:`mailcheck.lazy` stand-in is not imported). Last, what entry-point discovery costs
in a fresh interpreter: importing :mod:`importlib.metadata` and listing the ``mailcheck``
group.

Runs alternate (1 2 3 4 1 2 3 4 ...) so that a busy shared machine slows all alike.
The installed ``mailcheck`` script of this interpreter is timed, with the plugins that
are installed (the README's install has the 12 provider plugins). Bytecode is allowed
(``PYTHONDONTWRITEBYTECODE`` is removed), as in an installed package, and one warm-up
round runs first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no CPU column
    resource = None

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate_templates import main as generate  # noqa: E402

OUT = HERE / "out" / "startup"
SMALL = HERE.parent / "fixtures" / "templates" / "brevo-fr-newsletter.html"
GOAL = 0.3
HEAVY = ("pandas", "numpy", "pyarrow", "bs4", "soupsieve", "charset_normalizer")


def mailcheck_command() -> list[str]:
    """The ``mailcheck`` console script of this interpreter (else ``python -m``)."""
    script = Path(sys.executable).parent / ("mailcheck.exe" if os.name == "nt" else "mailcheck")
    if script.exists():
        return [str(script)]
    found = shutil.which("mailcheck")
    return [found] if found else [sys.executable, "-m", "mailcheck.cli"]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _children_cpu() -> float:
    if resource is None:
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def heavy_imports(arguments: list[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level modules that ``mailcheck ARGUMENTS`` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mailcheck.cli", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    imported = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            # By top-level package: a package's own line can be missing (pyarrow's).
            imported.add(line.rsplit("|", 1)[1].strip().partition(".")[0])
    return [name for name in HEAVY if name in imported]


def discovery(env: dict[str, str]) -> tuple[float, float]:
    """Seconds to import importlib.metadata, then to list the entry points (median of 5)."""
    code = (
        "import time; s = time.perf_counter(); from importlib import metadata; "
        "m = time.perf_counter(); metadata.entry_points(group='mailcheck'); "
        "print(m - s, time.perf_counter() - m)"
    )
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        runs.append(tuple(float(x) for x in out.stdout.split()))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def run(rounds: int) -> None:
    big = OUT / "newsletter-0000.html"
    if not big.exists():
        generate(1, OUT)
        big = OUT / "newsletter-0000.html"
    env = environment()
    mailcheck = mailcheck_command()
    cases = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "mailcheck --version": ([*mailcheck, "--version"], ["--version"]),
        f"mailcheck lint {SMALL.name} ({SMALL.stat().st_size / 1024:.1f} KB)": (
            [*mailcheck, "lint", str(SMALL)],
            ["lint", str(SMALL)],
        ),
        f"mailcheck lint {big.name} ({big.stat().st_size / 1024:.0f} KB)": (
            [*mailcheck, "lint", str(big)],
            ["lint", str(big)],
        ),
    }
    for command, _ in cases.values():  # warm-up: bytecode written, files cached
        timed(command, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (command, _) in cases.items():
            wall, used = timed(command, env)
            times[name].append(wall)
            cpu[name].append(used)

    print(f"{os.cpu_count()} cores; {rounds} rounds, alternating; goal {GOAL} s for a template")
    print(
        f"{'command':48} {'median':>8} {'fastest':>8} {'/goal':>6} {'cpu':>7}"
        "  heavy modules imported"
    )
    for name, (_, arguments) in cases.items():
        median = statistics.median(times[name])
        heavy = "" if arguments is None else ", ".join(heavy_imports(arguments, env)) or "none"
        ratio = f"{median / GOAL:5.2f}x" if name.startswith("mailcheck lint") else ""
        print(
            f"{name:48} {median:7.3f}s {min(times[name]):7.3f}s {ratio:>6} "
            f"{statistics.median(cpu[name]):6.3f}s  {heavy}"
        )
    imported, listed = discovery(env)
    print(
        f"entry-point discovery: import importlib.metadata {imported * 1000:.1f} ms, "
        f"entry_points(group='mailcheck') {listed * 1000:.1f} ms"
    )


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
