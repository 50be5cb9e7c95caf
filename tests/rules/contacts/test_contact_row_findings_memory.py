"""Row findings hold the flagged rows' values, not their chunk's columns, when few rows
are flagged: the engine holds a chunk's findings after the chunk is gone, and a lazy
reference to a column kept the whole column (every chunk's, until findings piled up)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from mailcheck.rules.contacts.addresses import DuplicateContact
from mailcheck.rules.contacts.common import row_findings


def _chunk(mailchecker, rows: int):
    data = [
        [f"Person.{i}@Example.com", "subscribed" if i % 3 else "unsubscribed"] for i in range(rows)
    ]
    path = mailchecker.make_csv("liste.csv", header=["email", "status"], rows=data)
    doc = mailchecker.read_contacts(path)[0]
    return doc, next(iter(doc.chunks()))


@pytest.mark.parametrize("flagged", [[5, 70, 141], list(range(0, 200, 2))])
def test_row_findings_read_the_flagged_rows_after_the_chunk_is_gone(mailchecker, flagged):
    doc, chunk = _chunk(mailchecker, 200)
    mask = np.zeros(len(chunk), dtype=bool)
    mask[flagged] = True
    findings = row_findings(DuplicateContact(), doc, chunk, mask, "same", columns=("status",))
    email = weakref.ref(chunk["email"].array)
    del chunk
    gc.collect()
    # Few rows: taken at once, the column is freed; many rows: kept lazily, as before.
    assert (email() is None) == (len(flagged) == 3)
    assert [f.line for f in findings] == [row + 2 for row in flagged]
    # One row read alone, then every row in bulk: the same values.
    first = flagged[0]
    status = "subscribed" if first % 3 else "unsubscribed"
    assert findings[0].data == {"address": f"Person.{first}@Example.com", "status": status}
    assert findings.source.fingerprint(0) == f"person.{first}@example.com"
    addresses = [f.data["address"] for f in findings]
    assert addresses == [f"Person.{row}@Example.com" for row in flagged]
    assert findings.source.fingerprints() == [f"person.{row}@example.com" for row in flagged]
    statuses = findings.source.column("status").tolist()
    assert statuses == ["subscribed" if row % 3 else "unsubscribed" for row in flagged]
