"""JUnit's row test cases are made in bulk (Arrow escapes the messages and picks each
attribute's quote, issue #19): their text is the one a finding at a time gives,
character for character, whatever a message or a path holds -- markup, both quotes,
``]]>``, control characters, bidi overrides, lone surrogates, addresses."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from mailcheck.batches import RowFindings
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Date, Days, Text
from mailcheck.pii import mask_text
from mailcheck.reporters import junit
from mailcheck.reporters.junit_rows import JunitCases, RowMessages, escape_attribute
from mailcheck.rules.contacts.common import RowText

#: Messages as a report shows them (masked already): every character XML or an
#: attribute's quote cares about, alone and together.
HOSTILE = [
    "plain",
    'say "hi"',
    "l'adresse",
    "both \" and ' at once",
    "a & b <c> d > e",
    "end of CDATA ]]> here",
    "tab\tnew\nline\rcr",
    "escape \x1b[2J, NUL \x00, DEL \x7f, C1 \x85",
    "bidi \u202eevil\u202c and \u2066isolate\u2069",
    "lone surrogates \udcff and \ud800",
    "not characters \ufffe \uffff",
    "sign-up source 'j***@example.org' is not valid consent (purchased)",
    "",
]
PATHS = ["a.csv", 'listes/o\'brien "vip".csv', "d'<&>.csv", "bad\udcffname\x1b.csv"]


def _part(path: str, code: str, levels: list[int], lines: list[int]) -> RowFindings:
    return RowFindings(
        code,
        "name",
        Severity.ERROR,
        path,
        np.array(lines, dtype=np.int64),
        None,
        None,
        None,
        np.array(levels, dtype=np.int8),
    )


def _one_at_a_time(
    code: str, level: int, path: str, line: int, message: str, fail_on: Severity, language: str
) -> str:
    severity = Severity(level)
    found = Finding(code, "name", severity, message, path, line)
    return junit._testcase(found, message, language, junit._outcome(found, fail_on))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("fail_on", [Severity.INFO, Severity.WARNING, Severity.ERROR])
def test_row_test_cases_are_the_one_finding_text(language, fail_on):
    """Every (path, severity, message) of a batch, its rows in a shuffled order with a
    whole test case between two parts: the bulk text is the one-finding text."""
    cases = JunitCases(fail_on, language)
    expected = []
    rng = np.random.default_rng(19)
    for number, path in enumerate(PATHS):
        code = "MC905" if number == 3 else f"MC2{number:02d}"  # an MC9xx is an <error>
        # Every message at every severity.
        codes = np.tile(np.arange(len(HOSTILE)), 3)
        levels = np.repeat([1, 2, 3], len(HOSTILE))
        lines = rng.integers(2, 10**7, len(codes))
        cases.add_rows(_part(path, code, levels.tolist(), lines.tolist()), list(HOSTILE), codes)
        expected += [
            _one_at_a_time(code, int(level), path, int(line), HOSTILE[index], fail_on, language)
            for index, level, line in zip(codes, levels, lines, strict=True)
        ]
        if number == 1:
            whole = '    <testcase name="mailcheck.MC100" classname="x.html" />\n'
            cases.add_text(whole)
            expected.append(whole)
    order = rng.permutation(len(expected))
    built = cases.build(order).to_pylist()
    assert built == [expected[place] for place in order]
    assert any("&quot;" in text for text in built)  # both quotes in one attribute
    assert any("message='" in text for text in built)  # a double quote only
    assert any("\\udcff" in text and "\\x1b" in text for text in built)


def test_slices_of_a_batch_are_its_whole():
    """A batch built a slice at a time (as the report writes it) gives the same text."""
    cases = JunitCases(Severity.WARNING, "en")
    cases.add_rows(_part("a.csv", "MC203", [1, 2, 3, 2], [5, 6, 7, 8]), HOSTILE[:3], [0, 1, 2, 1])
    whole = cases.build(np.arange(4)).to_pylist()
    assert cases.build(np.array([2, 3])).to_pylist() == whole[2:]
    assert "<system-out>a.csv:5:1: MC203 [info] plain</system-out>" in whole[0]
    assert "message='a.csv:6:1: MC203 say \"hi\"'" in whole[1]


@pytest.mark.parametrize(
    "message",
    ["plain", 'say "hi"', "l'adresse", "both \" and '", "a & b <c>", "tab\tnew\nline\rcr"],
)
def test_attribute_escapes_as_quoteattr(message):
    """What :func:`escape_attribute` gives is ``quoteattr`` without its quotes when the
    text holds no double quote."""
    from xml.sax.saxutils import quoteattr

    quoted = quoteattr(message)
    assert quoted[1:-1].replace("&quot;", '"') == escape_attribute(message)


#: Cells a message quotes: markup, both quotes, ``]]>``, escape sequences, DEL, a bidi
#: override, an address.
CELLS = (
    "email,status,consent_date,source,last_click\n"
    '"o\'brien@example.com",subscribed,2016-01-05,"bought list ""vip"" ]]> d\'O\'Brien <x>",\n'
    'role@example.com,subscribed,2016-01-05,"bought list \x1b[2J \x7f & co \u202e",\n'
    "info@example.com,subscribed,,purchased from jane@example.org,2017-01-01\n"
)


@pytest.mark.parametrize("options", [(), ("--lang", "fr"), ("--fail-on", "info", "--show-pii")])
def test_hostile_cells_in_bulk_as_one_at_a_time(mailchecker, monkeypatch, options):
    """A list whose cells the messages quote, in a file whose name is not UTF-8: the
    report made in bulk is the one made a finding at a time."""
    mailchecker.make_file("bad\udcffname.csv", CELLS)
    arguments = (".", "--today", "2026-11-22", "--output-format", "junit", *options)
    bulk = mailchecker.run(*arguments)
    monkeypatch.setattr(junit, "has_rows", lambda findings: False)
    single = mailchecker.run(*arguments)
    assert (bulk.exit_code, bulk.output) == (single.exit_code, single.output)
    assert "]]&gt; d'O'Brien &lt;x&gt;" in bulk.output
    assert "\\x1b[2J \\x7f &amp; co \\u202e" in bulk.output
    assert 'name="bad\\xffname.csv"' in bulk.output  # as the path is shown
    assert ("jane@example.org" in bulk.output) == ("--show-pii" in options)


class _Source:
    """A rule's flagged rows as far as their messages go: the distinct texts, and each
    row's."""

    def __init__(self, texts: list, codes: list[int]) -> None:
        self.texts, self.codes = texts, np.array(codes)

    def message_codes(self):
        return self.texts, self.codes


@pytest.mark.parametrize("show_pii", [False, True])
@pytest.mark.parametrize("limit", [1, 100_000])
def test_row_messages_rendered_once_per_text(monkeypatch, show_pii, limit):
    """In French a text shared by two chunks' rows is rendered once (unless the memo is
    full), masked unless ``--show-pii``; a plain string is shown as the part masks it."""
    signed = RowText(
        "signed up on {date}, no click or purchase for {days} (limit: {limit})",
        {"date": Date(dt.date(2016, 1, 5)), "days": Days(3974), "limit": Days(1095)},
    )
    source = RowText(
        "sign-up source '{value}' is not valid consent ({reason})",
        {"value": "purchased from jane@example.org", "reason": "purchased"},
    )
    rendered = []
    render = Text.render
    monkeypatch.setattr(
        Text, "render", lambda text, language: rendered.append(text) or render(text, language)
    )
    monkeypatch.setattr(RowMessages, "LIMIT", limit)
    messages = RowMessages("fr", show_pii)
    parts = []
    for texts in ([signed, source, "plain jane@example.org"], [source, signed]):
        part = _part("a.csv", "MC203", [3] * len(texts), list(range(2, 2 + len(texts))))
        part.source = _Source(texts, list(range(len(texts)))[::-1])
        part.mask = mask_text
        parts.append(messages(part))
    shown = {
        id(text): render(text, "fr") if show_pii else mask_text(render(text, "fr"))
        for text in (signed, source)
    }
    assert parts[0][0] == [shown[id(signed)], shown[id(source)], "plain j***@example.org"]
    assert parts[1][0] == [shown[id(source)], shown[id(signed)]]
    assert parts[1][1].tolist() == [1, 0]
    assert "05/01/2016" in shown[id(signed)]
    assert ("jane@example.org" in shown[id(source)]) == show_pii
    assert len(rendered) == (2 if limit > 2 else 3)  # a full memo starts again
