"""Third acceptance round (fixtures/contacts/acceptance/, see its README): the contact rules
the first two rounds did not exercise -- suppression lists in clear and hashed (MC202,
MC208), a send log against dated unsubscribes (MC212), legal bases, special categories and
minors (MC206, MC207, MC209, MC210) under every profile, double opt-in and bundled consent
(MC211, MC214). Exact (code, line, severity) per file; every other row stays clean."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

ACCEPTANCE = Path(__file__).parents[3] / "fixtures" / "contacts" / "acceptance"
AUDIENCE = "audience-newsletter-2026-11.csv"
CLEAR_LIST = "liste-repoussoir-2026.csv"
SHA256_LIST = "repoussoir-sha256.csv"
MD5_LIST = "optouts-md5.csv"
UNSUBSCRIBES = "desinscriptions-2026.csv"
SEND_LOG = "envois-campagnes-2026-10.csv"
CRM = "crm-contacts-base-legale-2026.csv"
CONTEST = "inscrits-jeu-concours-2026.csv"
THIRD_ROUND = (AUDIENCE, CLEAR_LIST, SHA256_LIST, MD5_LIST, UNSUBSCRIBES, SEND_LOG, CRM, CONTEST)

# the CRM export's findings that do not depend on the profile
CRM_ANY_PROFILE = {
    ("MC206", 3, "warning"),  # B2B on gmail.com (company and job present)
    ("MC206", 4, "warning"),  # B2B on a company domain, no company, no job title
    ("MC206", 6, "warning"),  # "intérêt légitime" on orange.fr
    ("MC207", 7, "warning"),  # client, no purchase date
    ("MC207", 8, "warning"),  # client, last purchase 10/05/2022 (> 1,095 days)
    ("MC203", 8, "error"),  # the same purchase is its last qualifying activity
    ("MC209", 13, "error"),  # tag "diabète", no explicit-consent column
    ("MC209", 16, "error"),  # tag "grossesse"
    ("MC209", 20, "error"),  # tag "religion: catholique"
    # 14: tag "participants webinaire" ('parti'), 15: company "Santé Plus SARL",
    # 12: birth date 01/01/1900 (placeholder), 17: 16 today, 19: purchase 2024: all clean
}
EXPECTED = {
    AUDIENCE: {
        ("MC202", 3, "error"),  # clear list: opposed 03/05/2025, after signing up 04/03/2025
        ("MC202", 5, "error"),  # SHA-256 (lower-case hex)
        ("MC202", 7, "error"),  # SHA-256 written in upper-case hex
        ("MC202", 9, "error"),  # MD5
        ("MC202", 11, "error"),  # '  Paul.Martin@Jardin-Exemple.FR ' (hash of the normalised one)
        # 13: the list hashed 'Claire.Roux@Jardin-Exemple.fr ' un-normalised: cannot match
        # 15: .com look-alike, 16: '+news' tag of line 3's address, 18: opposed 10/01/2024
        # and signed up again 01/06/2025: all clean
    },
    CLEAR_LIST: {("MC208", 1, "warning")},  # names and birth dates, addresses in clear
    SHA256_LIST: set(),
    MD5_LIST: set(),
    UNSUBSCRIBES: {("MC208", 1, "info")},  # addresses in clear (date and reason are fine)
    SEND_LOG: {
        ("MC212", 3, "error"),  # sent 06/10 09:00, unsubscribed 01/10 08:00
        ("MC212", 6, "error"),  # unsubscribed 03/10 18:00 (other case in the log)
        ("MC212", 13, "error"),  # sent 20/10, spam complaint 20/09
        ("MC212", 14, "error"),  # sent 20/10, unsubscribed 12/10
        # 4: unsubscribed 05/10 20:00 (within 2 days), 5: unsubscribed later (10/10),
        # 7: exactly 2 days, 10: 2 days minus an hour, 11: later, 17: look-alike: clean
    },
    CRM: CRM_ANY_PROFILE
    | {
        ("MC210", 10, "warning"),  # born 15/04/2012: 14
        ("MC210", 16, "warning"),  # born 12/12/2012: 13
        ("MC210", 18, "warning"),  # born 23/11/2013: 12 (13 tomorrow)
        # 11: born 01/02/2011, 15 years old: clean under eu-fr
    },
    CONTEST: {
        ("MC214", 1, "warning"),  # one 'Opt-in' for newsletter, offers, partners, SMS
        ("MC211", 3, "info"),  # opted in, no confirmation date
        ("MC211", 4, "info"),  # "en attente"
        ("MC211", 9, "info"),  # "non confirmé"
        # 7: désinscrit, 16: nettoyé (not mailed): clean
    },
}
# the age of digital consent and CASL change with the profile (rules.md §1.2)
CRM_BY_PROFILE = {
    "eu": EXPECTED[CRM] | {("MC210", 11, "warning")},  # 16 in the rest of the EU
    "uk": CRM_ANY_PROFILE | {("MC210", 18, "warning")},  # 13 (DPA 2018 s. 9)
    "us": CRM_ANY_PROFILE | {("MC210", 18, "warning")},  # 13 (COPPA)
    # no country column: every row is Canadian under profile ca, and its customer rows are
    # judged by CASL (MC213), not by the EU soft opt-in (MC207)
    "ca": (EXPECTED[CRM] - {("MC207", 7, "warning"), ("MC207", 8, "warning")})
    | {
        ("MC210", 11, "warning"),  # 16
        ("MC213", 7, "warning"),  # no purchase
        ("MC213", 8, "warning"),  # purchase 2022
        ("MC213", 19, "warning"),  # purchase 05/01/2024: more than 2 years
    },
}


@pytest.fixture
def third_round(mailchecker):
    for name in THIRD_ROUND:
        shutil.copy(ACCEPTANCE / name, mailchecker.path / name)
    return mailchecker


def findings_per_file(run) -> dict[str, set[tuple[str, int, str]]]:
    found: dict[str, set[tuple[str, int, str]]] = {name: set() for name in THIRD_ROUND}
    for finding in run.findings:
        found[finding["path"]].add((finding["code"], finding["line"], finding["severity"]))
    return found


def test_every_seeded_case_on_its_line_with_its_severity(third_round):
    run = third_round.run(*THIRD_ROUND, "--today", "2026-11-22")
    assert findings_per_file(run) == EXPECTED
    assert run.exit_code == 1


@pytest.mark.parametrize("profile", sorted(CRM_BY_PROFILE))
def test_crm_export_under_each_profile(third_round, profile):
    run = third_round.run(CRM, "--profile", profile, "--today", "2026-11-22")
    assert findings_per_file(run)[CRM] == CRM_BY_PROFILE[profile]


def test_the_suppression_lists_hash_the_normalised_address():
    # the fixture is what the README says: line 4 of the SHA-256 list is the normalised
    # address of the audience's line 11, line 3 the upper-case hex of line 7's
    text = (ACCEPTANCE / SHA256_LIST).read_text(encoding="utf-8")
    digests = [row[0] for row in csv.reader(text.splitlines(), delimiter=";")]
    assert digests[3] == hashlib.sha256(b"paul.martin@jardin-exemple.fr").hexdigest()
    assert digests[2] == hashlib.sha256(b"lucas.fontaine@jardin-exemple.fr").hexdigest().upper()


def test_messages_never_show_an_address(third_round):
    run = third_round.run(*THIRD_ROUND, "--today", "2026-11-22")
    assert run.findings
    for finding in run.findings:
        assert "@" not in finding["message"], finding


def test_rows_out_holds_exactly_the_flagged_rows_for_french_excel(third_round):
    before = {name: (third_round.path / name).read_bytes() for name in THIRD_ROUND}
    run = third_round.run(*THIRD_ROUND, "--today", "2026-11-22", "--rows-out", "lignes")
    assert run.exit_code == 1
    # the inputs are never modified
    assert {name: (third_round.path / name).read_bytes() for name in THIRD_ROUND} == before
    out = third_round.path / "lignes"
    # the folder also holds the hidden list of what --rows-out wrote (so a later lint
    # of the folder skips these files) and the lock file of the runs writing it: the
    # list names exactly the CSVs
    marker = (out / ".mailcheck-rows-out").read_text(encoding="utf-8").split()
    row_files = [p for p in out.iterdir() if not p.name.startswith(".mailcheck-rows-out")]
    written = sorted(p.name for p in row_files)
    assert marker == written
    assert written == [
        "MC202-suppressed-contact-in-audience.csv",
        "MC203-retention-exceeded.csv",
        "MC206-b2b-exception-unsupported.csv",
        "MC207-soft-optin-unsupported.csv",
        "MC209-special-category-data.csv",
        "MC210-minor-contact.csv",
        "MC211-double-optin-unconfirmed.csv",
        "MC212-sent-after-unsubscribe.csv",
    ]
    rows_out: dict[str, set[tuple[str, int, str]]] = {}
    for path in row_files:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: French Excel reads UTF-8
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert rows and list(rows[0])[:3] == ["file", "line", "address"]
        code = path.name[:5]
        for row in rows:
            rows_out.setdefault(row["file"], set()).add((code, int(row["line"]), row["address"]))
    flagged_rows = {
        (name, code, line)
        for name, expected in EXPECTED.items()
        for code, line, _ in expected
        if line > 1
    }
    assert {(f, c, n) for f, rows in rows_out.items() for c, n, _ in rows} == flagged_rows
    # the address as the user's provider knows it (trimmed), for a re-import
    assert ("MC202", 11, "Paul.Martin@Jardin-Exemple.FR") in rows_out[AUDIENCE]
    assert ("MC212", 6, "Pauline.Faure@Lettre-Exemple.fr") in rows_out[SEND_LOG]
