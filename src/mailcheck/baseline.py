"""Baselines: adopt mailcheck on an old project and see only new problems.

``--write-baseline FILE`` records every current finding as ``{code, path, fingerprint,
count}``; ``--baseline FILE`` hides findings that match a record. The fingerprint hashes
the finding's content key (a normalised address for a contact row, a tag and its text for
HTML), never its line number, so edits above a problem do not resurrect it. The file is
sorted JSON, so its diffs stay reviewable, and holds no address in clear.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from mailcheck.errors import ConfigError, UsageError
from mailcheck.findings import Finding

VERSION = 1


def fingerprint(finding: Finding) -> str:
    """A stable content hash of a finding (line and column never enter it)."""
    return finding.content_hash()


class BaselineWriter:
    """Collects finding keys batch by batch (no finding is kept), then writes the file."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str, str]] = Counter()

    def add(self, findings: Iterable[Finding]) -> None:
        self.counts.update((f.code, f.path, fingerprint(f)) for f in findings)

    def write(self, path: Path) -> int:
        entries = [
            {"code": code, "path": file, "fingerprint": print_, "count": count}
            for (code, file, print_), count in sorted(self.counts.items())
        ]
        document = {"version": VERSION, "findings": entries}
        # ``--write-baseline liste.csv`` (a slip for ``--baseline``, or a completed file
        # name) replaced the contact list with JSON: only a baseline is ever overwritten.
        if path.exists() and not _is_baseline(path):
            raise UsageError(
                f"{path}: refusing to overwrite a file that is not a mailcheck baseline"
            )
        try:
            path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{path}: cannot write the baseline: {error.strerror}") from None
        return len(entries)


def _is_baseline(path: Path) -> bool:
    """Whether ``path`` holds a mailcheck baseline (JSON with a ``findings`` list)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)  # a contact list is refused on its first bytes
            if not head.lstrip().startswith(b"{"):
                return False
            data = json.loads(head + handle.read())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("findings"), list)


class Baseline:
    """Known findings; :meth:`filter` lets only new ones through."""

    def __init__(self, counts: Counter[tuple[str, str, str]], source: Path) -> None:
        self.remaining = counts
        self.source = source

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            counts = Counter(
                {
                    (e["code"], e["path"], e["fingerprint"]): int(e["count"])
                    for e in data["findings"]
                }
            )
        except FileNotFoundError:
            raise ConfigError(f"{path}: baseline file not found") from None
        except OSError as error:  # a folder, no read permission
            raise ConfigError(f"{path}: cannot read the baseline: {error.strerror}") from None
        except KeyError as error:
            raise ConfigError(f"{path}: not a mailcheck baseline (no {error} key)") from None
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{path}: not a mailcheck baseline ({error})") from None
        return cls(counts, path)

    def filter(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            key = (finding.code, finding.path, fingerprint(finding))
            if self.remaining[key] > 0:
                self.remaining[key] -= 1
            else:
                kept.append(finding)
        return kept

    def stale(self) -> int:
        """Recorded findings that no longer occur (the baseline can shrink)."""
        return sum(count for count in self.remaining.values() if count > 0)
