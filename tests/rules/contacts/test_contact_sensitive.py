"""MC208 over-collected suppression list, MC209 special categories, MC210 minors."""

from __future__ import annotations


def test_special_category_column_and_tag(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "Santé", "tags"],
        rows=[
            ["a@example.com", "", "VIP"],
            ["b@example.com", "", "diabète,VIP"],
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC209")
    assert run.lines("MC209") == [1, 3]
    assert {f["severity"] for f in run.findings} == {"error"}
    mailchecker.make_csv("ok.csv", header=["email", "tags"], rows=[["a@example.com", "Newsletter"]])
    mailchecker.run("ok.csv", "--select", "MC209").assert_clean()


def test_minors_by_profile(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "date de naissance"],
        rows=[
            ["a@example.com", "12/05/1990"],
            ["b@example.com", "12/05/2012"],
            ["c@example.com", "12/05/2011"],
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC210", "--today", "2026-11-22")
    assert run.lines("MC210") == [3]  # 14 < 15 (eu-fr); 15 is not a minor in France
    run = mailchecker.run(
        "liste.csv", "--select", "MC210", "--today", "2026-11-22", "--profile", "eu"
    )
    assert run.lines("MC210") == [3, 4]


def test_suppression_list_minimisation(mailchecker):
    mailchecker.make_csv(
        "repoussoir.csv",
        delimiter=";",
        header=["email", "prénom", "date de naissance", "date_opposition"],
        rows=[["a@example.com", "Ann", "01/01/1980", "2024-01-01"]],
    )
    run = mailchecker.run("repoussoir.csv", "--select", "MC208")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "warning")]
    mailchecker.make_csv(
        "optouts.csv", header=["email_sha256", "date_opposition"], rows=[["ab" * 32, "2024-01-01"]]
    )
    mailchecker.run("optouts.csv", "--select", "MC208").assert_clean()


def test_age_column_zero_is_unknown_not_a_newborn(mailchecker):
    mailchecker.make_csv(
        "inscrits.csv",
        header=["email", "consent_date", "age"],
        rows=[
            ["a@example.com", "2025-03-01", "14"],  # 2 minor in France
            ["b@example.com", "2025-03-01", "15"],  # 3
            ["c@example.com", "2025-03-01", ""],  # 4 unknown
            ["d@example.com", "2025-03-01", "0"],  # 5 the export's 'unknown'
            ["e@example.com", "2025-03-01", "1"],  # 6
        ],
    )
    run = mailchecker.run("inscrits.csv", "--select", "MC210", "--today", "2026-11-22")
    assert run.lines("MC210") == [2, 6]


def test_french_pathology_column_is_health_data(mailchecker):
    mailchecker.make_csv(
        "patients.csv",
        delimiter=";",
        header=["Email", "Pathologie", "Pathologiste référent"],
        rows=[["a@example.fr", "asthme", ""]],
    )
    run = mailchecker.run("patients.csv", "--select", "MC209")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "error")]
    assert "'Pathologie'" in run.findings[0]["message"]
    assert "Pathologiste" not in run.findings[0]["message"]  # whole words only
