"""MC220 full-record-past-retention: departed contacts kept whole past retention."""

from __future__ import annotations

# A French CRM / Excel export: ";"-delimited, Windows-1252, day-first dates.
HEADER = [
    "Email",
    "Prénom",
    "Nom",
    "Téléphone",
    "Ville",
    "Statut",
    "Date d'inscription",
    "Date de désinscription",
]
ROWS = [
    # 2 subscribed, old: retention of a subscriber is MC203's, not this rule's
    ["anne.martin@example.fr", "Anne", "Martin", "0601020304", "Lyon", "abonné", "03/02/2017", ""],
    # 3 unsubscribed in 2019, whole record kept: reported
    [
        "paul.durand@example.org",
        "Paul",
        "Durand",
        "0612345678",
        "Lyon",
        "désinscrit",
        "10/01/2018",
        "12/03/2019",
    ],
    # 4 unsubscribed in 2019, only the address and the dates left: a suppression entry
    ["lea.petit@example.net", "", "", "", "", "désinscrit", "10/01/2018", "12/03/2019"],
    # 5 unsubscribed last year, whole record: still within the retention period
    [
        "marc.roux@example.com",
        "Marc",
        "Roux",
        "",
        "Nantes",
        "désinscrit",
        "10/01/2018",
        "05/06/2025",
    ],
    # 6 bounced, no date of the bounce: counted from the sign-up (2018)
    ["old.box@example.com", "Jean", "", "", "", "bounce", "15/04/2018", ""],
    # 7 unsubscribed, undated and never dated: nothing to count from
    ["nodate@example.com", "Zoé", "", "", "", "désinscrit", "", ""],
]


def write_export(mailchecker, name: str = "export-contacts.csv") -> None:
    mailchecker.make_csv(name, header=HEADER, rows=ROWS, delimiter=";", encoding="cp1252")


def test_departed_contacts_with_full_records_on_their_lines(mailchecker):
    write_export(mailchecker)
    run = mailchecker.run("export-contacts.csv", "--select", "MC220", "--today", "2026-11-22")
    assert run.lines("MC220") == [3, 6]
    by_line = {f["line"]: f for f in run.findings}
    assert {f["severity"] for f in run.findings} == {"warning"}
    assert by_line[3]["message"] == (
        "unsubscribed on 2019-03-12, but the whole record is kept (Prénom, Nom, Téléphone, "
        "Ville): keep only the address and the date in a suppression list"
    )
    assert by_line[6]["message"].startswith("bounced, signed up on 2018-04-15, ")
    assert "(Prénom)" in by_line[6]["message"]
    assert "5(1)(c)" in by_line[3]["reference"]


def test_retention_days_option(mailchecker):
    write_export(mailchecker)
    mailchecker.make_config("[rules.MC220]\nretention-days = 365\n")
    run = mailchecker.run("export-contacts.csv", "--select", "MC220", "--today", "2026-11-22")
    assert run.lines("MC220") == [3, 5, 6]  # 05/06/2025 is more than a year ago


def test_suppression_list_is_left_to_mc208(mailchecker):
    write_export(mailchecker, "repoussoir.csv")
    run = mailchecker.run("repoussoir.csv", "--select", "MC208,MC220", "--today", "2026-11-22")
    assert run.codes == {"MC208": 1}


def test_profile_columns_count_and_activity_dates_too(mailchecker):
    # A shop export: the company and the last purchase are a profile, not an opt-out
    mailchecker.make_csv(
        "clients.csv",
        header=["email", "status", "unsubscribed_at", "company", "last_purchase", "country"],
        rows=[
            ["a@example.com", "unsubscribed", "2019-01-10", "ACME SARL", "", ""],  # 2
            ["b@example.com", "unsubscribed", "2019-01-10", "", "", ""],  # 3 entry only
            ["c@example.com", "unsubscribed", "2019-01-10", "", "2026-01-05", "FR"],  # 4 buys
            ["d@example.com", "unsubscribed", "2019-01-10", "", "", "FR"],  # 5
        ],
    )
    run = mailchecker.run("clients.csv", "--select", "MC220", "--today", "2026-11-22")
    assert run.lines("MC220") == [2, 5]
    assert "(company)" in run.findings[0]["message"]
    assert "(country)" in run.findings[1]["message"]


def _count_reads(monkeypatch) -> list[tuple[str, ...]]:
    """The unmapped columns (``raw:``, ``filled:``) of each read by the built-in reader."""
    from mailcheck.readers.csv import header

    reads: list[tuple[str, ...]] = []
    chunks = header._chunks

    def counted(doc, opener, plan):
        reads.append(tuple(name for name in plan.sources if ":" in name))
        return chunks(doc, opener, plan)

    monkeypatch.setattr(header, "_chunks", counted)
    return reads


def test_unmapped_columns_come_with_the_one_read(mailchecker, monkeypatch):
    # Téléphone and Ville are no canonical column: asked before the rows are read, they
    # come with the read every rule shares, not with a second read of the whole list.
    write_export(mailchecker)
    reads = _count_reads(monkeypatch)
    run = mailchecker.run("export-contacts.csv", "--select", "MC2", "--today", "2026-11-22")
    assert reads == [("filled:Prénom", "filled:Nom", "filled:Téléphone", "filled:Ville")]
    assert run.lines("MC220") == [3, 6]
    mc220 = [f for f in run.findings if f["code"] == "MC220"]
    assert "(Prénom, Nom, Téléphone, Ville)" in mc220[0]["message"]


def test_unmapped_columns_on_the_exact_path(mailchecker, monkeypatch):
    # A whitespace-only line sends the list to the exact reader: it reads the raw
    # columns of this read's plan too (it used to take the document's, and fail).
    write_export(mailchecker)
    path = mailchecker.path / "export-contacts.csv"
    path.write_bytes(path.read_bytes() + b"   \r\n")
    reads = _count_reads(monkeypatch)
    run = mailchecker.run("export-contacts.csv", "--select", "MC2", "--today", "2026-11-22")
    assert len(reads) == 1
    assert "MC900" not in run.codes
    assert run.lines("MC220") == [3, 6]
