"""The CI formats (``sarif``, ``junit``, ``github``, ``gitlab``) read a batch's row
findings as columns (issue #19): their output is the one they give when every finding is
built and read one at a time -- in English and French, masked or not, whatever
``--fail-on`` -- on a generated old list, hostile cells and the contact fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mailcheck.reporters import github, junit, sarif
from tests.reporters.generated import old_list

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ["sarif", "junit", "github", "gitlab"]
#: Cells a message quotes: both kinds of quotes (JUnit picks an attribute's quote per
#: text), markup, an escape sequence, an address.
HOSTILE = (
    "email,status,consent_date,source,last_click\n"
    '"o\'brien@example.com",subscribed,2016-01-05,"bought list ""vip"" d\'O\'Brien <x>",\n'
    'role@example.com,subscribed,2016-01-05,"bought list \x1b[2J & co",\n'
    "info@example.com,subscribed,,purchased,2017-01-01\n"
)


@pytest.fixture
def inputs(mailchecker):
    """An old list (most rows past retention, several rules and severities on each
    chunk), hostile cells, the contact fixtures and a template with one finding."""
    old_list(mailchecker.path / "old.csv", 1500)
    mailchecker.make_file("hostile.csv", HOSTILE)
    shutil.copytree(ROOT / "fixtures" / "contacts", mailchecker.path / "contacts")
    mailchecker.make_html(
        "promo.html",
        "<html><body><p>Contact: jeanne.martin@example.com</p><a href='x'>ok</a></body></html>",
    )
    return mailchecker


def _spy(has_rows, seen: list[bool]):
    def spied(findings) -> bool:
        seen.append(has_rows(findings))
        return seen[-1]

    return spied


def _one_at_a_time(monkeypatch) -> None:
    """Every format takes the path of any sequence of findings (each built, then read)."""
    for module in (github, junit, sarif):
        monkeypatch.setattr(module, "has_rows", lambda findings: False)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "options", [(), ("--lang", "fr"), ("--fail-on", "warning", "--show-pii")], ids=str
)
def test_batch_output_is_the_per_finding_output(inputs, monkeypatch, fmt, options):
    arguments = (".", "--today", "2026-11-22", "--output-format", fmt, *options)
    fast: list[bool] = []
    with monkeypatch.context() as spied:
        for module in (github, junit, sarif):
            spied.setattr(module, "has_rows", _spy(module.has_rows, fast))
        batched = inputs.run(*arguments)
    assert any(fast)  # the batches with row findings took the bulk path
    with monkeypatch.context() as patched:
        _one_at_a_time(patched)
        single = inputs.run(*arguments)
    assert batched.exit_code == single.exit_code
    assert batched.output == single.output


def test_junit_writes_in_blocks_and_slices(inputs, monkeypatch):
    """The spool goes to the report in blocks and row test cases are built a slice at a
    time (memory stays flat): a block boundary in the middle of a character, or a slice
    boundary between two rows of a chunk, changes nothing."""
    arguments = (".", "--today", "2026-11-22", "--output-format", "junit", "--lang", "fr")
    whole = inputs.run(*arguments).output
    monkeypatch.setattr(junit, "COPY_BLOCK", 7)
    monkeypatch.setattr(junit, "BUILD_ROWS", 3)
    assert inputs.run(*arguments).output == whole
    assert "é" in whole
    assert whole.count("<testcase") > 3
