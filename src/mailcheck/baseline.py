"""Baselines: adopt mailcheck on an old project and see only new problems.

``--write-baseline FILE`` records every current finding as ``{code, path, fingerprint,
count}``; ``--baseline FILE`` hides findings that match a record. The fingerprint hashes
the finding's content key (a normalised address for a contact row, a tag and its text for
HTML), never its line number, so edits above a problem do not resurrect it. The file is
sorted JSON, so its diffs stay reviewable, and holds no address in clear: paths are
masked, and fingerprints are keyed (:mod:`mailcheck.fingerprints`). ``key_id`` names the
key they were made with, so a run with another key says why nothing matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import reprlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from mailcheck.batches import Part, RowFindings, parts_of
from mailcheck.config import Limits
from mailcheck.errors import ConfigError, InputError, UsageError, message_of
from mailcheck.files import open_input, read_input
from mailcheck.findings import Finding
from mailcheck.fingerprints import FingerprintKey, active_key
from mailcheck.i18n import Text, t
from mailcheck.outputs import atomic_output
from mailcheck.pii import mask_text

VERSION = 1
#: The baseline versions this mailcheck reads (a file of another one is refused: read
#: as this one, its entries would hide findings, or miss them, without a word).
KNOWN_VERSIONS = (1,)


def fingerprint(finding: Finding) -> str:
    """A stable content hash of a finding (line and column never enter it), keyed."""
    return finding.content_hash()


def entry_key(finding: Finding) -> tuple[str, str, str]:
    """``(code, path, fingerprint)`` of a baseline entry. The path is masked whether or
    not the finding's already is: the engine filters findings before masking them and
    the writer gets them after, and the file never holds an address in clear."""
    return (finding.code, mask_text(finding.path), fingerprint(finding))


def row_entry_keys(rows: RowFindings) -> list[tuple[str, str, str]]:
    """:func:`entry_key` of each of a rule's row findings, from their bulk digests."""
    path = mask_text(rows.path)
    return [(rows.code, path, digest) for digest in rows.content_hashes()]


def legacy_entry_key(finding: Finding) -> tuple[str, str, str]:
    """The entry an unkeyed baseline (written before key ids) holds for ``finding``:
    SHA-256 of the clear path and content key. Only read, so that such a baseline still
    hides what it recorded until it is rewritten."""
    text = f"{finding.code}\0{finding.path}\0{finding.content_key()}"
    return (finding.code, finding.path, hashlib.sha256(text.encode()).hexdigest()[:20])


class BaselineWriter:
    """Collects finding keys batch by batch (no finding is kept), then writes the file."""

    takes_batches = True

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str, str]] = Counter()

    def add(self, findings: Iterable[Finding]) -> None:
        for part in parts_of(findings):
            if isinstance(part, RowFindings):
                self.counts.update(row_entry_keys(part))
            else:
                self.counts[entry_key(part)] += 1

    @staticmethod
    def check_target(path: Path) -> None:
        """Refuse a target that is not a baseline already (the CLI asks before the lint)."""
        # ``--write-baseline liste.csv`` (a slip for ``--baseline``, or a completed file
        # name) replaced the contact list with JSON: only a baseline is ever overwritten.
        if os.path.lexists(path) and not _is_baseline(path):
            raise UsageError(
                t(
                    "{path}: refusing to overwrite a file that is not a mailcheck baseline",
                    path=path,
                )
            )

    def write(self, path: Path) -> int:
        entries = [
            {"code": code, "path": file, "fingerprint": print_, "count": count}
            for (code, file, print_), count in sorted(self.counts.items())
        ]
        document = {"version": VERSION, "key_id": active_key().key_id, "findings": entries}
        self.check_target(path)
        # A temporary file renamed when complete: Ctrl-C or a full disk leaves the earlier
        # baseline whole, never half of one.
        with atomic_output(path, t("the baseline")) as handle:
            handle.write(json.dumps(document, indent=2) + "\n")
        return len(entries)


def _is_baseline(path: Path) -> bool:
    """Whether ``path`` holds a mailcheck baseline (JSON with a ``findings`` list)."""
    limit = Limits().max_baseline_size
    try:  # a regular file only (a FIFO would block), never read past the limit
        with open_input(path, limit, "limits.max-baseline-size") as handle:
            head = handle.read(1 << 20)  # a contact list is refused on its first bytes
            if not head.lstrip().startswith(b"{"):
                return False
            data = json.loads(head + handle.read())
    except (InputError, OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("findings"), list)


def recorded_key_id(data: object) -> str | None:
    """The ``key_id`` of a baseline document; "" for one that is not a string (no key
    can have it, so the run says the baseline was written with another key)."""
    if not isinstance(data, dict) or "key_id" not in data:
        return None
    value = data["key_id"]
    return value if isinstance(value, str) else ""


#: A baseline nests 3 deep; JSON past ~1,000 levels exhausts Python's recursion limit.
MAX_NESTING = 64
_NESTING_SCAN = 1 << 20


def _nesting(raw: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` in ``raw`` (brackets inside strings counted
    too: a path holding a few changes nothing)."""
    import numpy as np

    data = np.frombuffer(raw, dtype=np.uint8)
    opens = (data == ord("[")).astype(np.int32) + (data == ord("{"))
    steps = opens - (data == ord("]")) - (data == ord("}"))
    return int(steps.cumsum().max(initial=0))


def _check_version(path: Path, data: object) -> None:
    """Refuse a baseline of a version this mailcheck does not read (``99``, ``"2"``). A
    file without ``version`` (written by hand) is read as the current one."""
    if not isinstance(data, dict) or "version" not in data:
        return
    version = data["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version in KNOWN_VERSIONS:
        return
    raise ConfigError(
        t(
            "{path}: baseline version {version} is not one this mailcheck reads (known: "
            "{known}); rewrite it with --write-baseline",
            path=path,
            version=_shown(version),
            known=", ".join(map(str, KNOWN_VERSIONS)),
        )
    )


def _shown(value: object) -> str:
    """A JSON value as the file writes it (``"2"``, ``true``), cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _entries(path: Path, data: object) -> Counter[tuple[str, str, str]]:
    """The ``(code, path, fingerprint)`` counts of a baseline document, each checked."""
    _check_version(path, data)
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(_not_a_baseline(path, t("no 'findings' list")))
    counts: Counter[tuple[str, str, str]] = Counter()
    for number, entry in enumerate(findings, 1):
        if not isinstance(entry, dict):
            raise ConfigError(
                _not_a_baseline(path, t("entry {number} is no object", number=number))
            )
        for name in ("code", "path", "fingerprint", "count"):
            if name not in entry:
                raise ConfigError(_not_a_baseline(path, t("no {key} key", key=repr(name))))
        key = (entry["code"], entry["path"], entry["fingerprint"])
        if not all(isinstance(part, str) for part in key):
            raise ConfigError(
                t(
                    "{path}: baseline entry {number}: code, path and fingerprint must be "
                    "strings; rewrite the baseline with --write-baseline",
                    path=path,
                    number=number,
                )
            )
        count = entry["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConfigError(
                t(
                    "{path}: baseline entry {number}: count must be a whole number of 1 or "
                    "more, not {value}; rewrite the baseline with --write-baseline",
                    path=path,
                    number=number,
                    value=reprlib.repr(count),
                )
            )
        counts[key] += count
    return counts


_NESTED = t("nested too deeply")


def _not_a_baseline(path: Path, why: str | Text) -> Text:
    return t("{path}: not a mailcheck baseline ({why})", path=path, why=why)


class Baseline:
    """Known findings; :meth:`filter` lets only new ones through."""

    def __init__(
        self, counts: Counter[tuple[str, str, str]], source: Path, key_id: str | None = None
    ) -> None:
        self.remaining = counts
        self.source = source
        #: The ``key_id`` the file records (``None``: written before fingerprint keys).
        self.key_id = key_id
        self._entry_key: Callable[[Finding], tuple[str, str, str]] = entry_key
        self._checked = False

    @classmethod
    def load(cls, path: Path, limit: int | None = None) -> Baseline:
        """Read the baseline at ``path``: a regular file of at most ``limit`` bytes
        (``[limits] max-baseline-size``), every entry checked, so that a hand-edited or
        hostile file (a FIFO, ``/dev/zero``, a count of ``1e999``, JSON nested 100,000
        deep) is one error naming it, never a hang or a crash."""
        if limit is None:
            limit = Limits().max_baseline_size
        if not path.exists():
            raise ConfigError(t("{path}: baseline file not found", path=path))
        try:
            raw = read_input(path, limit, "limits.max-baseline-size")
        except InputError as error:  # a folder, a FIFO, a device, no read permission
            raise ConfigError(
                t("{path}: cannot read the baseline: {reason}", path=path, reason=message_of(error))
            ) from None
        if _nesting(raw[:_NESTING_SCAN]) > MAX_NESTING:
            raise ConfigError(_not_a_baseline(path, _NESTED))
        # JSON makes a Python object of every value: a file of "[]," would take some 20
        # times its size in memory. A baseline holds one entry of 4 values per ~100 bytes.
        values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
        if values > len(raw) // 12 + 64:
            raise ConfigError(
                _not_a_baseline(path, t("far more JSON values than a baseline of its size holds"))
            )
        try:
            data = json.loads(raw)
        except RecursionError:
            raise ConfigError(_not_a_baseline(path, _NESTED)) from None
        except ValueError as error:  # not JSON, not UTF-8
            raise ConfigError(_not_a_baseline(path, str(error))) from None
        return cls(_entries(path, data), path, recorded_key_id(data))

    def check_key(self, key: FingerprintKey, warn: Callable[[Text], None]) -> None:
        """Say, once, why no entry will match when the baseline was written with another
        key than ``key`` (or with none, before keys existed)."""
        if self._checked or not self.remaining:  # nothing recorded: nothing to miss
            return
        self._checked = True
        recorded = self.key_id
        if recorded is None:
            self._entry_key = legacy_entry_key
            warn(
                t(
                    "{path}: baseline written with unkeyed fingerprints, which can be "
                    "matched to guessed addresses: rewrite it with --write-baseline",
                    path=self.source,
                )
            )
        elif recorded != key.key_id:
            warn(
                t(
                    "{path}: baseline written with another fingerprint key (key id "
                    "{recorded}, this run's is {current}), so none of its entries can match: "
                    "set MAILCHECK_FINGERPRINT_KEY or fingerprint-key-file to the key it was "
                    "written with, or rewrite it with --write-baseline",
                    path=self.source,
                    recorded=recorded,
                    current=key.key_id,
                )
            )

    def filter(self, findings: list[Part]) -> list[Part]:
        """The findings the baseline does not hold, in order; a rule's row findings kept
        as columns (:class:`~mailcheck.batches.RowFindings`) come back as the rows kept."""
        kept: list[Part] = []
        make_key = self._entry_key
        for finding in findings:
            if isinstance(finding, RowFindings):
                rows = self._unrecorded(finding)
                if rows is None:
                    kept.append(finding)
                elif rows.any():
                    kept.append(finding.keep(rows))
                continue
            key = make_key(finding)
            if self.remaining[key] > 0:
                self.remaining[key] -= 1
            else:
                kept.append(finding)
        return kept

    def _unrecorded(self, rows: RowFindings):
        """A mask of the rows the baseline does not hold (``None``: it holds none)."""
        import numpy as np

        if self._entry_key is legacy_entry_key:
            keys = [legacy_entry_key(finding) for finding in rows]
        else:
            keys = row_entry_keys(rows)
        remaining = self.remaining
        if not any(remaining.get(key, 0) > 0 for key in keys):
            return None
        kept = np.ones(len(keys), dtype=bool)
        for index, key in enumerate(keys):
            if remaining.get(key, 0) > 0:
                remaining[key] -= 1
                kept[index] = False
        return kept

    def stale(self) -> int:
        """Recorded findings that no longer occur (the baseline can shrink)."""
        return sum(count for count in self.remaining.values() if count > 0)
