"""Reports mailcheck wrote, told apart from the user's inputs.

``mailcheck lint emails/ -o emails/rapport.html`` puts the HTML report beside the
templates: the next ``mailcheck lint emails/`` would lint it as a template (its findings
quoted back as a commercial e-mail's) and count it as a linted file. The HTML report
says it is mailcheck's in a ``<meta name="generator">``; a report saved as ``.txt`` (the
only other suffix of a report that a walk reads) is known by its first line: a finding
line (``concise``, ``full``), a GitHub workflow command, the ``--statistics`` table, or
the JSON and JUnit formats. Such a file is skipped and named, like any file left out;
``[file-types]`` still lints it when asked. (``.json``, ``.sarif`` and ``.xml`` are no
inputs: a walk only counts them among the other files ignored.)
"""

from __future__ import annotations

import re

#: The mark the HTML report carries in its ``<head>``.
GENERATOR = "mailcheck"
_HTML_MARK = re.compile(
    rb"<meta\s+name=[\"']generator[\"']\s+content=[\"']" + GENERATOR.encode() + rb"\b", re.I
)
#: First lines of the text and machine formats (see the module docstring).
_TEXT_MARKS = re.compile(
    r"\S[^\n]*:\d+:\d+: [A-Z]{2,4}\d{3} \[[^\]\n]+\] "  # concise, full
    r"|::(?:group|error|warning|notice)(?:::| file=)"  # github
    r"|[ \t]*\d+[ \t]+[A-Z]{2,4}\d{3}[ \t]+[a-z][a-z0-9-]*[ \t]+\w"  # --statistics
    r"|<\?xml[^\n]*\n<testsuites name=\"mailcheck\""  # junit
    r"|(?:\[\s*)?\{\s*\"(?:\$schema\": \"https://json\.schemastore\.org/sarif"  # sarif
    r"|findings\": \["  # json-report
    r"|(?:code|description)\": \"[^\"\n]*\b[A-Z]{2,4}\d{3}\b)"  # json(-lines), gitlab
)
_HEAD = 4096


def html_report(head: bytes) -> bool:
    """Whether an ``.html`` file's first bytes are those of mailcheck's HTML report."""
    return _HTML_MARK.search(head[:_HEAD]) is not None


def text_report(text: str) -> bool:
    """Whether a ``.txt`` file's text (its start is enough) is a report mailcheck wrote."""
    return _TEXT_MARKS.match(text[:_HEAD].lstrip("\ufeff").lstrip("\r\n")) is not None
