"""Finding and RowFinding: the lazy fields of row-level findings."""

from __future__ import annotations

from mailcheck.findings import Finding, RowFinding, Severity
from mailcheck.pii import mask_text


class Rows:
    """A RowSource that counts how often it is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def data(self, row: int) -> dict:
        self.asked.append("data")
        return {"address": f"jeanne.martin{row}@example.fr", "age_days": str(1200 + row)}

    def message(self, row: int) -> str:
        self.asked.append("message")
        data = self.data(row)
        return f"{data['address']}: no activity for {data['age_days']} days"

    def fingerprint(self, row: int) -> str | None:
        self.asked.append("fingerprint")
        return f"jeanne.martin{row}@example.fr"


def row_finding(rows: Rows, row: int = 0) -> RowFinding:
    return RowFinding(
        "MC203", "retention-exceeded", Severity.WARNING, "contacts.csv", 12, None, None, rows, row
    )


def test_lazy_fields_are_built_once_when_first_read() -> None:
    rows = Rows()
    finding = row_finding(rows, 3)
    assert rows.asked == []
    assert finding.message == "jeanne.martin3@example.fr: no activity for 1203 days"
    assert finding.message == "jeanne.martin3@example.fr: no activity for 1203 days"
    assert finding.data == {"address": "jeanne.martin3@example.fr", "age_days": "1203"}
    assert finding.fingerprint == "jeanne.martin3@example.fr"
    assert rows.asked == ["message", "data", "data", "fingerprint"]


def test_assigned_fields_replace_the_lazy_ones() -> None:
    rows = Rows()
    finding = row_finding(rows)
    finding.message = "same address as line 4"
    finding.data = {"first_line": "4"}
    finding.fingerprint = None
    assert (finding.message, finding.data, finding.fingerprint) == (
        "same address as line 4",
        {"first_line": "4"},
        None,
    )
    assert rows.asked == []


def test_mask_before_the_message_is_built_applies_when_it_is() -> None:
    rows = Rows()
    finding = row_finding(rows)
    finding.mask_message(mask_text)
    assert rows.asked == []
    assert "jeanne.martin0@example.fr" not in finding.message
    assert finding.message == mask_text("jeanne.martin0@example.fr: no activity for 1200 days")
    # data keeps the clear address: it feeds --rows-out, which the user asked for
    assert finding.data["address"] == "jeanne.martin0@example.fr"


def test_mask_after_the_message_is_built_applies_at_once() -> None:
    finding = row_finding(Rows())
    clear = finding.message
    finding.mask_message(mask_text)
    assert finding.message == mask_text(clear) != clear


def test_a_row_finding_reads_as_the_eager_finding_with_the_same_fields() -> None:
    finding = row_finding(Rows(), 1)
    eager = Finding(
        code="MC203",
        name="retention-exceeded",
        severity=Severity.WARNING,
        message="jeanne.martin1@example.fr: no activity for 1201 days",
        path="contacts.csv",
        line=12,
        fingerprint="jeanne.martin1@example.fr",
        row_level=True,
        data={"address": "jeanne.martin1@example.fr", "age_days": "1201"},
    )
    assert finding.to_dict() == eager.to_dict()
    assert (finding.data, finding.fingerprint, finding.row_level) == (
        eager.data,
        eager.fingerprint,
        eager.row_level,
    )
    assert finding.content_hash() == eager.content_hash()
