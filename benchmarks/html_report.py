"""Size and render time of the HTML report, on the fixtures and on a 1M-row list.

    python benchmarks/html_report.py [ROWS]

For each input: the time of ``mailcheck lint --output-format html`` (the whole run, as a
user waits for it) beside ``--output-format concise`` on the same input, the report's
size, and the time headless Chromium takes to load and lay it out (from navigation to
the load event, then to a screenshot of the first screen, which forces painting).
Screenshots go to ``benchmarks/out/`` for a person to look at. The list is
``benchmarks/out/contacts-<ROWS>.csv`` (1,000,000 by default), generated with
``generate_contacts.py`` when missing. Chromium is driven as the tests drive it
(``tests/reporters/test_html_browser.py``); without it, render times are left out.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
MAILCHECK = [sys.executable, "-m", "mailcheck.cli"]


def _browser_module():
    path = ROOT / "tests" / "reporters" / "test_html_browser.py"
    spec = importlib.util.spec_from_file_location("html_browser", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lint(target: Path, fmt: str, output: Path) -> float:
    """Seconds of one ``mailcheck lint`` run writing ``fmt`` to ``output``."""
    env = {**os.environ, "MAILCHECK_FINGERPRINT_KEY": "bench", "LANG": "fr_FR.UTF-8"}
    started = time.perf_counter()
    done = subprocess.run(
        [*MAILCHECK, "lint", str(target), "--today", "2026-11-22"]
        + ["--output-format", fmt, "-o", str(output)],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1) or not output.exists():
        raise SystemExit(f"mailcheck failed on {target}:\n{done.stderr}")
    return elapsed


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 1_000_000
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / f"contacts-{rows}.csv"
    if not big.exists():
        print(f"generating {big} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "generate_contacts.py"),
                str(rows),
                str(big),
            ],
            check=True,
        )
    browser_module = _browser_module()
    binary = browser_module.chromium_path()
    browser = browser_module.Chromium(binary) if binary else None
    if browser is None:
        print("chromium not found: render times left out (apt-get install chromium)")
    print(
        f"{'input':<28} {'lint html s':>11} {'concise s':>10} {'report KB':>10} "
        f"{'load s':>7} {'paint s':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, target in (("fixtures/", ROOT / "fixtures"), (big.name, big)):
            report = Path(folder) / "rapport.html"
            html_s = lint(target, "html", report)
            concise_s = lint(target, "concise", Path(folder) / "concise.txt")
            size = report.stat().st_size / 1024
            load = paint = float("nan")
            if browser is not None:
                load = browser.open(report)
                started = time.perf_counter()
                shot = OUT / f"html-report-{name.strip('/').replace('.csv', '')}.png"
                browser.screenshot(shot)
                paint = load + time.perf_counter() - started
            print(
                f"{name:<28} {html_s:>11.2f} {concise_s:>10.2f} {size:>10.1f} "
                f"{load:>7.2f} {paint:>8.2f}"
            )
    if browser is not None:
        browser.close()
        print(f"screenshots: {OUT}/html-report-*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
