"""``--send-list`` and ``--removals``: the two files a campaign check writes.

- The **send list** holds the audience records that may receive the campaign, copied
  byte for byte from the input (its preamble, header, delimiter, quoting, encoding and
  line endings), so that it re-imports into the provider, and is read by the same
  provider detection, as the export it came from. Records are found by the physical
  line where each starts (a quoted field may span lines); the file is copied in blocks
  of :data:`BLOCK` bytes with numpy, so a million-row list streams.
- The **clean-up list** (removals) holds, per excluded contact, the address in clear,
  what to do (``suppress``, ``delete``, ``re-permission``), the reasons (codes and
  words), the list and its line: a plain CSV (UTF-8 with BOM, ``;``) that French Excel
  and the providers' import screens read; formula-like cells are neutralised
  (:func:`mailcheck.rows_out.neutralise`).

Both are new files: an input of the campaign is never written over (device and inode
compared), an existing file only with ``force``; each is written to a temporary name and
renamed when complete (:class:`~mailcheck.outputs.PendingOutput`). Addresses are in clear
in these two files, nowhere else. With several audience files, one send list per
audience: ``OUT`` gets the audience's name before its suffix
(``send.csv`` -> ``send-clients.csv``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from mailcheck.campaign.eligibility import Eligibility, ListVerdict, action_of, reasons_of
from mailcheck.campaign.layouts import PLAIN, Removal, RemovalsLayout
from mailcheck.campaign.text import reason_text
from mailcheck.errors import UsageError
from mailcheck.files import display_path
from mailcheck.i18n import render, t
from mailcheck.lazy import np
from mailcheck.outputs import PendingOutput, identities, refuse_input
from mailcheck.rows_out import neutralise

#: Bytes read at a time when copying a list.
BLOCK = 8 << 20
#: Columns of the clean-up list.
_NOT_PLAIN = (".zip", ".xlsx", ".xls", ".ods", ".xlsm")


def check_targets(targets: list[Path], inputs: list[Path], force: bool) -> None:
    """Refuse, before anything is read, a target that is an input, that exists (without
    ``force``), or that is not a regular file; and two targets with the same name."""
    protected = identities(inputs)
    seen: set[Path] = set()
    for target in targets:
        resolved = target.resolve()
        if resolved in seen:
            raise UsageError(t("{path}: given for two outputs", path=display_path(target)))
        seen.add(resolved)
        refuse_input(target, protected, t("the campaign's lists"))
        if target.is_dir():
            raise UsageError(t("{path}: is a folder, a file name is expected", path=target))
        if target.exists() and not force:
            raise UsageError(
                t(
                    "{path} exists: choose a new file name, or --force to replace it",
                    path=display_path(target),
                )
            )


def send_list_targets(out: Path, audience: tuple[Path, ...]) -> dict[Path, Path]:
    """Where each audience file's send list goes (one audience: ``out`` itself). An
    audience that is a ZIP or a spreadsheet is refused here, before anything is read."""
    for path in audience:
        if path.suffix.lower() in _NOT_PLAIN:
            raise UsageError(_not_plain(display_path(path)))
    if len(audience) == 1:
        return {audience[0]: out}
    return {path: out.with_name(f"{out.stem}-{path.stem}{out.suffix}") for path in audience}


def write_send_lists(
    out: Path, audience: tuple[Path, ...], eligibility: Eligibility
) -> list[tuple[Path, int]]:
    """Write the send list(s); return each file and how many contacts it holds."""
    targets = send_list_targets(out, audience)
    return [
        (targets[item.path], write_send_list(item, targets[item.path]))
        for item in eligibility.lists
    ]


def _not_plain(path: str):
    return t(
        "--send-list: {path} is not a plain CSV or TSV file: export the audience as "
        "CSV to get a send list",
        path=path,
    )


def write_send_list(item: ListVerdict, target: Path) -> int:
    """Copy the records of one audience the campaign may be sent to, each address once,
    to ``target`` (see the module doc)."""
    doc = item.doc
    if doc.display_path != display_path(doc.path) or doc.path.suffix.lower() in _NOT_PLAIN:
        raise UsageError(_not_plain(doc.display_path))
    starts, keep_record = item.lines, item.sendable
    if item.no_contact_lines is not None and len(item.no_contact_lines):
        # Records that are no contact (a report's footer) are not copied either.
        starts = np.concatenate([starts, item.no_contact_lines])
        keep_record = np.concatenate([keep_record, np.zeros(len(item.no_contact_lines), bool)])
    if len(starts) > 1 and np.any(np.diff(starts) < 0):
        order = np.argsort(starts, kind="stable")
        starts, keep_record = starts[order], keep_record[order]
    pending = PendingOutput(target, t("the send list"))
    try:
        out = pending.handle.buffer
        with doc.path.open("rb") as source:
            _copy_lines(source, out, starts, keep_record)
        pending.commit()
    finally:
        pending.discard()
    return int(keep_record.sum())


def _copy_lines(source, out, starts: np.ndarray, keep_record: np.ndarray) -> None:
    """Copy the physical lines of ``source`` that belong to a kept record, or to no
    record (the preamble and header before the first one)."""
    carry = b""
    number = 1  # physical line of the first line in the buffer
    while True:
        data = source.read(BLOCK)
        buffer = carry + data if data else carry
        if not buffer:
            return
        raw = np.frombuffer(buffer, dtype=np.uint8)
        ends = np.flatnonzero(raw == 10) + 1
        if not data:  # the last line, without a line break
            ends = (
                np.append(ends, len(buffer)) if not len(ends) or ends[-1] != len(buffer) else ends
            )
        if len(ends):
            begins = np.concatenate(([0], ends[:-1]))
            lines = number + np.arange(len(ends))
            record = np.searchsorted(starts, lines, side="right") - 1
            keep = (record < 0) | keep_record[np.maximum(record, 0)]
            _write_runs(out, buffer, begins, ends, keep)
            number += len(ends)
            carry = buffer[ends[-1] :]
        else:
            carry = buffer
        if not data:
            return


def _write_runs(out, buffer: bytes, begins: np.ndarray, ends: np.ndarray, keep: np.ndarray) -> None:
    """Write the kept lines, one slice per run of consecutive kept lines."""
    if not keep.any():
        return
    edges = np.diff(np.concatenate(([0], keep.astype(np.int8), [0])))
    first = np.flatnonzero(edges == 1)
    last = np.flatnonzero(edges == -1) - 1
    view = memoryview(buffer)
    for a, b in zip(first.tolist(), last.tolist(), strict=True):
        out.write(view[int(begins[a]) : int(ends[b])])


def write_removals(
    target: Path, eligibility: Eligibility, language: str, layout: RemovalsLayout = PLAIN
) -> int:
    """The clean-up list: one row per excluded contact, in ``layout`` (a provider's own,
    or the core's :data:`~mailcheck.campaign.layouts.PLAIN`); return how many."""
    pending = PendingOutput(target, t("the clean-up list"), encoding=layout.encoding, newline="")
    count = 0
    words: dict[int, tuple[str, str, str]] = {}
    try:
        writer = csv.writer(pending.handle, delimiter=layout.delimiter)
        writer.writerow(layout.header)
        for item, row, address, bits in eligibility.excluded():
            said = words.get(bits)
            if said is None:
                said = words[bits] = _words(bits, language)
            removal = Removal(
                address, said[0], said[1], said[2], item.doc.display_path, int(item.lines[row])
            )
            writer.writerow([_cell(value) for value in layout.row(removal)])
            count += 1
        pending.commit()
    finally:
        pending.discard()
    return count


def _cell(value: str | int) -> str | int:
    """A cell that cannot run as a spreadsheet formula (OWASP CSV injection)."""
    return neutralise(value) if isinstance(value, str) else value


def _words(bits: int, language: str) -> tuple[str, str, str]:
    reasons = reasons_of(bits)
    explanation = "; ".join(render(reason_text(r), language) for r in reasons)
    return action_of(reasons), " ".join(reasons), explanation
