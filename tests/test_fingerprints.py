"""Keyed fingerprints (src/mailcheck/fingerprints.py) and baselines that name their key.

A fingerprint is HMAC-SHA256 under a key that stays on the user's machine: a guess list
of addresses cannot be matched to a report's fingerprints, runs on one machine agree (a
baseline keeps matching), and a team shares a baseline by sharing the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from mailcheck import Kind, Rule, Severity, fingerprints, hookimpl
from mailcheck.fingerprints import ENV_VAR, FingerprintKey, resolve_key
from mailcheck.testing import TEST_FINGERPRINT_KEY

FIRST = ["jean", "marie", "paul", "lucie", "hugo", "emma", "louis", "chloe", "leo", "alice"]
LAST = ["dupont", "martin", "durand", "bernard"]
ADDRESSES = [f"{first}.{last}@example.fr" for first in FIRST for last in LAST]
LIST = "Adresse e-mail;Prénom;Date d'inscription\n" + "".join(
    f"{address};{address.split('.')[0].title()};12/03/2015\n" for address in ADDRESSES
)


def _fingerprints(run) -> dict[int, str]:
    return {f["line"]: f["fingerprint"] for f in run.findings if f["code"] == "MC203"}


def _lint(mailchecker, *extra: str):
    return mailchecker.run(".", "--select", "MC203", "--today", "2026-11-22", *extra)


@pytest.fixture
def user_folder(tmp_path, monkeypatch) -> Path:
    """No key in the environment: runs fall back on the per-user key file (here)."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    key_file = tmp_path / "user-data" / "mailcheck" / "fingerprint.key"
    monkeypatch.setattr(fingerprints, "user_key_path", lambda: key_file)
    return key_file


# -- the attack ---------------------------------------------------------------------------


def test_a_guess_list_matches_no_fingerprint(mailchecker, monkeypatch):
    mailchecker.make_file("clients.csv", LIST, encoding="cp1252")
    run = _lint(mailchecker)
    found = _fingerprints(run)
    assert len(found) == 40
    guesses = ADDRESSES + [a.replace("example.fr", "example.com") for a in ADDRESSES]
    unkeyed = {
        hashlib.sha256(f"MC203\0clients.csv\0{guess}".encode()).hexdigest()[:20]
        for guess in guesses
    }
    assert not unkeyed & set(found.values())  # the old scheme matched 40 of 40
    # ... and the same rows under another key give other fingerprints
    monkeypatch.setenv(ENV_VAR, "another-team-secret-0123456789abcdef")
    other = _fingerprints(_lint(mailchecker))
    assert other.keys() == found.keys() and not set(other.values()) & set(found.values())


def test_fingerprints_are_stable_from_run_to_run_under_one_key(mailchecker):
    mailchecker.make_file("clients.csv", LIST)
    first = _fingerprints(_lint(mailchecker))
    header, rows = LIST.split("\n", 1)
    new = "nouveau.contact@example.fr;Nouveau;12/03/2015\n"
    mailchecker.make_file("clients.csv", f"{header}\n{new}{rows}")  # the rows move down
    second = _fingerprints(_lint(mailchecker))
    assert set(first.values()) < set(second.values()) and len(second) == 41
    assert {line - 1 for line, print_ in second.items() if print_ in first.values()} == set(first)


def test_the_pytest_plugin_sets_a_fixed_test_key(mailchecker):
    assert os.environ[ENV_VAR] == TEST_FINGERPRINT_KEY


# -- where the key comes from ------------------------------------------------------------


def test_user_key_is_created_once_with_mode_0600_and_reused(mailchecker, user_folder):
    mailchecker.make_file("clients.csv", LIST)
    first = _fingerprints(_lint(mailchecker))
    assert user_folder.is_file()
    assert stat.S_IMODE(user_folder.stat().st_mode) == 0o600
    assert stat.S_IMODE(user_folder.parent.stat().st_mode) == 0o700
    secret = user_folder.read_bytes()
    assert len(secret.strip()) == 64
    fingerprints._FILE_KEYS.clear()  # as a new process would: read the file again
    again = _lint(mailchecker)
    assert _fingerprints(again) == first and again.stderr == ""
    assert user_folder.read_bytes() == secret
    # the key printed by no output, the key file never linted
    assert secret.strip().decode() not in again.output


def test_a_run_whose_report_needs_no_fingerprint_creates_no_key(mailchecker, user_folder):
    mailchecker.make_file("clients.csv", LIST)
    run = mailchecker.run(".", "--today", "2026-11-22", "--output-format", "concise")
    assert run.exit_code == 1 and not user_folder.exists()


def test_runs_starting_together_agree_on_one_key(tmp_path):
    key_file = tmp_path / "data" / "mailcheck" / "fingerprint.key"
    script = (
        "import sys, pathlib; from mailcheck import fingerprints as f; "
        f"print(f._read_or_create(pathlib.Path({str(key_file)!r}), 4096).decode())"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    runs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
        for _ in range(4)
    ]
    keys = {run.communicate(timeout=30)[0].strip() for run in runs}
    assert len(keys) == 1 and keys == {key_file.read_text().strip()}
    assert [p.name for p in key_file.parent.iterdir()] == ["fingerprint.key"]  # no temp left


def test_unwritable_user_folder_gives_one_warning_and_a_random_key(
    mailchecker, monkeypatch, tmp_path
):
    monkeypatch.delenv(ENV_VAR, raising=False)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be\n")
    monkeypatch.setattr(fingerprints, "user_key_path", lambda: blocker / "mailcheck" / "k.key")
    mailchecker.make_file("clients.csv", LIST)
    run = _lint(mailchecker)
    assert run.exit_code == 1 and len(_fingerprints(run)) == 40
    (line,) = run.stderr.splitlines()
    assert line.startswith("mailcheck: warning: cannot keep a fingerprint key in ")
    assert "fingerprints and baselines will not match other runs'" in line
    assert f"set {ENV_VAR} (or fingerprint-key-file in the config)" in line


def test_environment_key_wins_over_config_file_over_user_file(
    mailchecker, user_folder, monkeypatch
):
    mailchecker.make_file("clients.csv", LIST)
    mailchecker.make_file("secrets/mailcheck.key", "équipe-marketing-clé-partagée-2024\n")
    mailchecker.make_config('fingerprint-key-file = "secrets/mailcheck.key"\n')
    from_file = _fingerprints(_lint(mailchecker))
    assert not user_folder.exists()
    monkeypatch.setenv(ENV_VAR, "équipe-marketing-clé-partagée-2024")
    assert _fingerprints(_lint(mailchecker)) == from_file  # same secret, same fingerprints
    monkeypatch.setenv(ENV_VAR, "a-different-secret-for-ci")
    assert not set(_fingerprints(_lint(mailchecker)).values()) & set(from_file.values())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "fingerprint-key-file "),
        ("  \n", "the file is empty"),
        ("x" * 100, "larger than the 64 bytes limit (limits.max-config-size raises it)"),
    ],
)
def test_a_configured_key_file_that_cannot_be_used_is_one_line_error(
    mailchecker, user_folder, content, reason
):
    mailchecker.make_file("clients.csv", LIST)
    if content is not None:
        mailchecker.make_file("cle.txt", content)
    mailchecker.make_config('fingerprint-key-file = "cle.txt"\n[limits]\nmax-config-size = 64\n')
    run = _lint(mailchecker)
    assert run.exit_code == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("mailcheck: error: fingerprint-key-file ") and reason in line
    assert "cannot read the fingerprint key" in line or "empty" in line
    assert not user_folder.exists()


def test_key_id_names_the_key_without_revealing_it():
    key = FingerprintKey(b"secret-one", "test")
    assert len(key.key_id) == 8 and key.key_id == FingerprintKey(b"secret-one", "x").key_id
    assert key.key_id != FingerprintKey(b"secret-two", "test").key_id
    assert key.digest("MC203\0l.csv\0a@b.fr") != FingerprintKey(b"secret-two", "t").digest(
        "MC203\0l.csv\0a@b.fr"
    )


def test_resolve_key_reads_the_environment_first(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "  from-the-ci-secret  ")
    key = resolve_key()
    assert key.secret == b"from-the-ci-secret" and key.source == ENV_VAR


# -- baselines ------------------------------------------------------------------------------


def test_baseline_records_the_key_id_and_matches_on_the_same_machine(mailchecker, user_folder):
    mailchecker.make_file("clients.csv", LIST)
    written = _lint(mailchecker, "--write-baseline", "base.json")
    assert written.exit_code == 0
    data = json.loads((mailchecker.path / "base.json").read_text())
    key = FingerprintKey(user_folder.read_bytes().strip(), "user")
    assert data["key_id"] == key.key_id and len(data["findings"]) == 40
    fingerprints._FILE_KEYS.clear()
    run = _lint(mailchecker, "--baseline", "base.json")
    assert run.findings == [] and run.stderr == "" and run.exit_code == 0


def test_baseline_written_with_another_key_says_so_in_one_line(mailchecker, monkeypatch):
    mailchecker.make_file("clients.csv", LIST)
    _lint(mailchecker, "--write-baseline", "base.json")
    monkeypatch.setenv(ENV_VAR, "the-ci-runner-has-another-secret")
    run = _lint(mailchecker, "--baseline", "base.json")
    assert len(run.findings) == 40  # reported, as nothing can match
    (line,) = run.stderr.splitlines()
    assert line.startswith(
        "mailcheck: warning: base.json: baseline written with another fingerprint key"
    )
    assert f"set {ENV_VAR} or fingerprint-key-file" in line


def test_shared_key_shares_the_baseline(mailchecker, user_folder, monkeypatch):
    # A team: the baseline is written on one machine, checked in CI with the same secret.
    mailchecker.make_file("clients.csv", LIST)
    monkeypatch.setenv(ENV_VAR, "secret-of-the-newsletter-team")
    _lint(mailchecker, "--write-baseline", "base.json")
    monkeypatch.delenv(ENV_VAR)
    mailchecker.make_file("cle", "secret-of-the-newsletter-team\n")
    mailchecker.make_config('fingerprint-key-file = "cle"\n')
    run = _lint(mailchecker, "--baseline", "base.json")
    assert run.findings == [] and run.stderr == ""


def test_old_baseline_without_key_id_is_accepted_matched_and_asked_to_be_rewritten(
    mailchecker,
):
    mailchecker.make_file("clients.csv", LIST)
    # What mailcheck wrote before keys: unkeyed SHA-256 of code, clear path, address.
    entries = [
        {
            "code": "MC203",
            "path": "clients.csv",
            "fingerprint": hashlib.sha256(f"MC203\0clients.csv\0{a}".encode()).hexdigest()[:20],
            "count": 1,
        }
        for a in ADDRESSES[:30]
    ]
    mailchecker.make_file("old.json", json.dumps({"version": 1, "findings": entries}))
    run = _lint(mailchecker, "--baseline", "old.json")
    assert len(run.findings) == 10  # the 30 recorded rows are still known
    (line,) = run.stderr.splitlines()
    assert line == (
        "mailcheck: warning: old.json: baseline written with unkeyed fingerprints, which can "
        "be matched to guessed addresses: rewrite it with --write-baseline"
    )


class _QuotesAddressRule(Rule):
    """## What it does
    Reports a reply-to address in a template, its message as its only content key.

    ## Why it matters
    A message-keyed finding must match its baseline entry (GDPR art. 5(1)(c)).

    ## Example
    -

    ## Fix
    -
    """

    code, name, severity, kinds = (
        "PII102",
        "quotes-reply-to",
        Severity.WARNING,
        frozenset({Kind.TEMPLATE}),
    )

    def check(self, doc, ctx):
        yield self.finding(doc, "reply-to jeanne.martin@example.com is a personal mailbox")


def test_a_finding_keyed_by_a_message_with_an_address_matches_its_baseline(mailchecker):
    # The baseline hashed the masked message when writing and the clear one when reading.
    mailchecker.register(
        types.SimpleNamespace(mailcheck_rules=hookimpl(lambda: [_QuotesAddressRule])), "pii"
    )
    mailchecker.make_html("promo.html", "<html><body><p>Bonjour</p></body></html>\n")
    written = mailchecker.run(".", "--select", "PII102", "--write-baseline", "b.json")
    assert "jeanne.martin" not in (mailchecker.path / "b.json").read_text()
    assert written.exit_code == 0
    run = mailchecker.run(".", "--select", "PII102", "--baseline", "b.json")
    assert run.findings == [], run.findings
    shown = mailchecker.run(".", "--select", "PII102", "--baseline", "b.json", "--show-pii")
    assert shown.findings == []


@pytest.mark.parametrize("secret", [b"k", b"s" * 64, b"long-" * 40, "clé-équipe".encode()])
def test_the_digest_is_rfc2104_hmac_sha256(secret):
    """The padded-key states are hashed once per key for speed: the digest must still be
    the standard library's HMAC, short keys, a block-sized key and a long one alike."""
    key = FingerprintKey(secret, "test")
    for text in ["MC203\0liste.csv\0jean.dupont@exemple.fr", "", "é\0\U0001f600"]:
        expected = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:20]
        assert key.digest(text) == expected
