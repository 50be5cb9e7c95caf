"""Generate an N-row contact-list export for the benchmarks (synthetic people only).

    python benchmarks/generate_contacts.py 1000000 benchmarks/out/contacts-1m.csv

The layout mixes what real exports hold: a Mailchimp-style header (OPTIN_TIME, OPTIN_IP,
CONFIRM_TIME), a status, a collection source, click and purchase dates, a legal basis,
country and tags, quoted fields, and a notes column where 1 row in 1,000 holds a quoted
newline. About 2% of rows are seeded with each kind of problem (old activity, missing
proof, purchased source, role address, invalid address, duplicate), so every contact
rule has work to do.

    python benchmarks/generate_contacts.py 1000000 benchmarks/out/old-1000000.csv --old 0.9

``--old F`` makes an old list instead: a share F of the contacts signed up in 2016-2020
and have not clicked or bought since, so most of them are past the retention period
(about 900,000 findings on 1M rows with ``--old 0.9``), as a list nobody cleaned is.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

HEADER = [
    "Email Address",
    "First Name",
    "Last Name",
    "Status",
    "OPTIN_TIME",
    "OPTIN_IP",
    "CONFIRM_TIME",
    "Source",
    "Last Click",
    "Last Purchase",
    "Legal Basis",
    "Country",
    "Tags",
    "Company",
    "Notes",
]
FIRST = ["Jeanne", "Paul", "Léa", "Hugo", "Chloé", "Louis", "Emma", "Jules", "Inès", "Noah"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
DOMAINS = ["gmail.com", "orange.fr", "example.com", "exemple.fr", "yahoo.fr", "free.fr"]
SOURCES = ["formulaire site", "signup form", "checkout checkbox", "landing page"]
BASES = ["consent", "consent", "consent", "customer", "b2b"]


def generate(rows: int, target: Path, seed: int = 4, old: float = 0.0) -> None:
    rng = np.random.default_rng(seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    block = 100_000
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for start in range(0, rows, block):
            n = min(block, rows - start)
            ids = np.arange(start, start + n)
            kind = rng.integers(0, 100, n)
            optin = rng.integers(1_701_400_000, 1_793_000_000, n)  # Dec 2023 - Oct 2026
            optin[kind == 1] = rng.integers(1_450_000_000, 1_480_000_000, (kind == 1).sum())  # 2016
            if old:
                aged = rng.random(n) < old
                optin[aged] = rng.integers(1_450_000_000, 1_590_000_000, aged.sum())  # 2016-2020
            click = np.minimum(optin + rng.integers(0, 40_000_000, n), 1_793_000_000)
            for i in range(n):
                k, row_id = kind[i], ids[i]
                first, last = FIRST[row_id % 10], LAST[row_id % 8]
                local = f"{first.lower()}.{last.lower()}{row_id}"
                basis = BASES[row_id % 5]
                if k == 3:
                    local = "contact"
                domain = DOMAINS[row_id % 6]
                if k == 3 or basis == "b2b":
                    domain = f"societe{row_id}.fr"
                address = f"{local}@{domain}"
                if k == 4:
                    address = address.replace("@", "@@")
                if k == 5:
                    address = "doublon.commun@example.com"
                when = _ts(optin[i])
                missing_proof = k == 2
                writer.writerow(
                    [
                        address,
                        first,
                        last,
                        "subscribed" if k != 6 else "unsubscribed",
                        "" if missing_proof else when,
                        "" if missing_proof else f"192.0.2.{row_id % 250}",
                        when,
                        "fichier acheté"
                        if k == 7
                        else ("" if missing_proof else SOURCES[row_id % 4]),
                        _ts(click[i]) if k % 3 else "",
                        _ts(click[i]) if basis == "customer" and k != 8 else "",
                        basis,
                        "FR",
                        "VIP,Newsletter" if k % 7 == 0 else "",
                        f"Société {row_id}" if basis == "b2b" else "",
                        "rappel:\nmardi" if row_id % 1000 == 7 else "",
                    ]
                )


def _ts(value: int) -> str:
    return np.datetime_as_string(np.datetime64(int(value), "s")).replace("T", " ")


if __name__ == "__main__":
    args = sys.argv[1:]
    old = 0.0
    if "--old" in args:
        at = args.index("--old")
        old = float(args[at + 1])
        del args[at : at + 2]
    count = int(args[0]) if args else 1_000_000
    stem = "old" if old else "contacts"
    out = Path(args[1]) if len(args) > 1 else Path(__file__).parent / "out" / f"{stem}-{count}.csv"
    generate(count, out, old=old)
    print(out)
