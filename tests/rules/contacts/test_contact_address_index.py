"""The address index MC216 (bulk volume) and MC218 (duplicate contact) share
(src/mailcheck/rules/contacts/address_index.py): exact counts and first lines across
chunk boundaries, whichever of the two rules runs, against a plain Python reference."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from mailcheck.rules.contacts.sorted_index import SortedIndex

DOMAINS = ["gmail.com", "yahoo.fr", "exemple.fr", "Gmail.com"]


def _list(seed: int) -> tuple[list[list[str]], int, dict[int, int]]:
    """Rows (address, status), the distinct subscribed Gmail/Yahoo addresses, and each
    duplicate row's line -> the line of its address's first row."""
    rng = random.Random(seed)
    rows, first, bulk, duplicates = [], {}, set(), {}
    for line in range(2, 1502):
        domain = rng.choice(DOMAINS)
        # Few people, many rows: repeats inside a chunk and across chunks, and an address
        # first unsubscribed then subscribed (counted once, from its subscribed row).
        person = rng.randrange(600)
        spelled = (
            f"  Person.{person}@{domain} " if rng.random() < 0.2 else f"person.{person}@{domain}"
        )
        if rng.random() < 0.03:
            spelled = ""  # no address: neither a duplicate nor counted
        status = rng.choice(["subscribed", "subscribed", "unsubscribed"])
        rows.append([spelled, status])
        key = spelled.strip().lower()
        if not key:
            continue
        if key in first:
            duplicates[line] = first[key]
        else:
            first[key] = line
        if status == "subscribed" and key.split("@")[1] in ("gmail.com", "yahoo.fr"):
            bulk.add(key)
    return rows, len(bulk), duplicates


def _count(run) -> int | None:
    messages = [f["message"] for f in run.findings if f["code"] == "MC216"]
    return int(re.sub(r"\D", "", messages[0].split(" ")[0])) if messages else None


@pytest.mark.parametrize("block", [97, 1000, 1 << 20])
@pytest.mark.parametrize("select", ["MC216,MC218", "MC216", "MC218"])
def test_bulk_count_and_duplicates_are_exact_across_chunks(mailchecker, monkeypatch, block, select):
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", block)
    rows, bulk, duplicates = _list(seed=block)
    mailchecker.make_csv("liste.csv", header=["email", "status"], rows=rows)
    mailchecker.make_config("[rules.MC216]\nthreshold = 10\n")
    run = mailchecker.run("liste.csv", "--select", select)
    if "MC216" in select:
        assert _count(run) == bulk
    else:
        assert _count(run) is None
    found = {f["line"]: f["message"] for f in run.findings if f["code"] == "MC218"}
    if "MC218" in select:
        assert found == {
            line: f"same address as line {first}" for line, first in duplicates.items()
        }
    else:
        assert found == {}


def test_each_file_has_its_own_index(mailchecker):
    """Two lists in one run: an address of the first is no duplicate in the second, and
    each list counts its own addresses (the first file's index is let go)."""
    mailchecker.make_csv(
        "a.csv",
        header=["email", "status"],
        rows=[[f"u{i}@gmail.com", "subscribed"] for i in range(12)],
    )
    mailchecker.make_csv(
        "b.csv",
        header=["email", "status"],
        rows=[[f"u{i}@gmail.com", "subscribed"] for i in range(8)]
        + [["u1@gmail.com", "subscribed"]],
    )
    mailchecker.make_config("[rules.MC216]\nthreshold = 5\n")
    run = mailchecker.run("a.csv", "b.csv", "--select", "MC216,MC218")
    counts = {f["path"]: f["message"].split(" ")[0] for f in run.findings if f["code"] == "MC216"}
    assert counts == {"a.csv": "12", "b.csv": "8"}
    assert [(f["path"], f["line"]) for f in run.findings if f["code"] == "MC218"] == [("b.csv", 10)]


def test_set_bits_flags_present_keys_in_every_run(monkeypatch):
    from mailcheck.rules.contacts import sorted_index

    monkeypatch.setattr(sorted_index, "MERGED_KEYS", 64)  # many runs
    index = SortedIndex("uint32")
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(0, 2**64 - 1, 1000, dtype=np.uint64))
    rng.shuffle(keys)
    for start in range(0, len(keys), 50):
        part = np.sort(keys[start : start + 50])
        index.add_new(part, np.arange(len(part)) + start + 1)
    flagged = np.sort(keys[::7])
    index.set_bits(flagged, 1 << 31)
    values = index.lookup(keys)
    expected_flag = np.isin(keys, flagged)
    assert np.array_equal(values >= 1 << 31, expected_flag)
    assert len(index.runs) > 3 and (values & ((1 << 31) - 1) > 0).all()
