"""``--rows-out DIR``: one CSV per rule listing the contact rows it flagged.

So that a marketer can act in their provider (re-engage, unsubscribe, delete), each file
``DIR/<CODE>-<name>.csv`` holds, per row-level finding: the list it comes from, the
physical line, the address *in clear* (the file is written on the user's own disk at
their request; reports stay masked), severity, message, and the values that triggered
the rule (from ``Finding.data``). Written as UTF-8 with BOM and ``;`` so French Excel
opens it as is. Inputs are never written: a target that is an input file is refused.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from mailcheck.errors import UsageError
from mailcheck.findings import Finding

FIXED = ["file", "line", "address", "severity", "message"]


def write_rows_out(
    directory: Path, findings: Iterable[Finding], inputs: Iterable[Path] = ()
) -> list[Path]:
    """Write the per-rule CSVs; return the files written (none when nothing is row-level)."""
    by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.row_level:
            by_rule[(finding.code, finding.name)].append(finding)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--rows-out {directory}: not a directory")
    protected = {path.resolve() for path in inputs}
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for (code, name), rows in sorted(by_rule.items()):
        target = directory / f"{code}-{name}.csv"
        if target.resolve() in protected:
            raise UsageError(f"--rows-out: refusing to overwrite the input file {target}")
        extra: list[str] = []
        for finding in rows:
            for key in finding.data:
                if key != "address" and key not in extra:
                    extra.append(key)
        rows.sort(key=lambda f: (f.path, f.line))
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(FIXED + extra)
            for finding in rows:
                data = finding.data
                writer.writerow(
                    [
                        finding.path,
                        finding.line,
                        data.get("address", ""),
                        finding.severity.label,
                        finding.message,
                    ]
                    + [data.get(key, "") for key in extra]
                )
        written.append(target)
    return written
