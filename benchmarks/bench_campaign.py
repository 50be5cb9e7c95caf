"""The campaign check on a large audience: ``mailcheck campaign`` with ``--send-list``
and ``--removals`` under ``/usr/bin/time -v`` (wall time, peak RSS), then the send list
checked again as the audience (it must be GO, with the same count).

    python benchmarks/bench_campaign.py benchmarks/out/contacts-1000000.csv

Writes its manifest and outputs to ``benchmarks/out/`` (git-ignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MAILCHECK = Path(sys.executable).parent / "mailcheck"


def manifest(audience: Path, name: str) -> Path:
    path = OUT / name
    path.write_text(
        f'template = "{(HERE.parent / "fixtures/templates/brevo-fr-newsletter.html").as_posix()}"\n'
        f'audience = "{audience.resolve().as_posix()}"\n'
        f'suppressions = ["{(HERE.parent / "fixtures/campaign/desabonnes.csv").as_posix()}"]\n'
        'from = "lettre@atelier-exemple.fr"\npurpose = "newsletter"\nsend-date = 2026-12-01\n',
        encoding="utf-8",
    )
    return path


def timed(*args: str) -> tuple[str, float, int]:
    done = subprocess.run(
        ["/usr/bin/time", "-v", str(MAILCHECK), "campaign", *args, "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    minutes, _, seconds = wall.group(1).rpartition(":") if wall else ("0", "", "0")
    return (
        done.stdout.splitlines()[0] if done.stdout else done.stderr,
        float(minutes or 0) * 60 + float(seconds),
        int(rss.group(1)) // 1024 if rss else 0,
    )


def main(audience: str) -> None:
    OUT.mkdir(exist_ok=True)
    send, removals = OUT / "bench-send.csv", OUT / "bench-removals.csv"
    first = manifest(Path(audience), "bench-campaign.toml")
    line, wall, rss = timed(
        str(first), "--send-list", str(send), "--removals", str(removals), "--force"
    )
    print(f"campaign  {wall:6.2f} s  {rss:5d} MiB  {line}")
    again = manifest(send, "bench-campaign-send.toml")
    line, wall, rss = timed(str(again))
    print(f"send list {wall:6.2f} s  {rss:5d} MiB  {line}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(OUT / "contacts-1000000.csv"))
