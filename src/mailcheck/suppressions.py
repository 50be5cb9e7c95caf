"""Suppression comments in HTML: ``<!-- mailcheck: ignore MC101 -- reason -->``.

Forms (codes are required; a code prefix such as ``MC1`` is accepted):

* ``ignore CODES`` on its own line applies to the next element (its whole subtree); at the
  end of a line holding other content it applies to that line;
* ``disable CODES`` ... ``enable CODES`` silence a range of lines;
* ``ignore-file CODES`` silences the whole file.

An optional reason follows `` -- ``. A directive naming an unknown code, malformed, or
that silenced nothing is reported as MC901, so suppressions do not rot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailcheck.findings import Finding
from mailcheck.i18n import Text, t

DIRECTIVE = re.compile(r"<!--\s*mailcheck\s*:\s*(?P<body>.*?)\s*-->", re.S | re.I)
_ACTIONS = ("ignore-file", "ignore", "disable", "enable")
#: Per-file settings sharing the comment syntax (``<!-- mailcheck: kind transactional -->``).
_SETTINGS = ("kind", "sender", "reply-to")
#: Far past any real position: an open ``disable`` range runs to the end of the file.
_END = (10**9, 10**9)


@dataclass
class Directive:
    """One parsed comment. ``start``/``end`` are (line, column) bounds, end exclusive."""

    action: str
    codes: list[str]
    line: int
    column: int
    reason: str = ""
    start: tuple[int, int] = (1, 1)
    end: tuple[int, int] = _END
    problem: Text | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> str | None:
        """The code of this directive that silences ``finding``, if any."""
        if self.problem or self.action == "enable":
            return None
        if not (self.start <= (finding.line, finding.column) < self.end):
            return None
        for code in self.codes:
            if finding.code.startswith(code):
                return code
        return None


def parse_directives(
    text: str, element_starts: list[tuple[int, int, tuple[int, int]]]
) -> list[Directive]:
    """Find every directive in ``text``.

    ``element_starts`` lists ``(line, column, end)`` for each element in document order
    (``end`` the position just past its subtree), so ``ignore`` can reach the next element.
    """
    directives: list[Directive] = []
    open_ranges: dict[str, Directive] = {}
    for match in DIRECTIVE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        line_start = text.rfind("\n", 0, match.start()) + 1
        column = match.start() - line_start + 1
        end_line = text.count("\n", 0, match.end()) + 1
        end_column = match.end() - (text.rfind("\n", 0, match.end()) + 1) + 1
        body, _, reason = match.group("body").partition(" -- ")
        words = body.split(None, 1)
        action = words[0].lower() if words else ""
        codes = [c.upper() for c in re.split(r"[\s,]+", words[1]) if c] if len(words) > 1 else []
        if action in _SETTINGS:
            # ``kind``/``sender``/``reply-to`` are per-file settings read by the template and
            # message rules, not suppressions: never reported as bad directives.
            continue
        directive = Directive(action, codes, line, column, reason.strip())
        if action not in _ACTIONS:
            directive.problem = t("unknown suppression action {action}", action=repr(action))
        elif not codes:
            directive.problem = t("'{action}' needs at least one rule code", action=action)
        elif action == "ignore-file":
            directive.start, directive.end = (1, 1), _END
        elif action == "ignore":
            before = text[line_start : match.start()].strip()
            if before:  # trailing comment: this line only
                directive.start, directive.end = (line, 1), (line + 1, 1)
            else:
                following = [e for e in element_starts if (e[0], e[1]) >= (end_line, end_column)]
                if following:
                    first = following[0]
                    directive.start, directive.end = (first[0], first[1]), first[2]
                else:
                    directive.problem = t("'ignore' is followed by no element")
        elif action == "disable":
            directive.start = (line, column)
            for code in codes:
                open_ranges[code] = directive
        elif action == "enable":
            for code in codes:
                opened = open_ranges.pop(code, None)
                if opened is None:
                    directive.problem = t("'enable {code}' has no matching 'disable'", code=code)
                else:
                    opened.end = (line, column)
        directives.append(directive)
    return directives


def element_spans(soup) -> list[tuple[int, int, tuple[int, int]]]:
    """``(line, column, end)`` for each element of a BeautifulSoup tree, in document order.

    ``end`` is the start of the next element that is not a descendant (html.parser keeps
    no end positions), or the end of the file.
    """
    tags = soup.find_all(True)
    spans = []
    for index, tag in enumerate(tags):
        # In document order a subtree is the tag plus its descendants, which come next.
        after = index + 1 + len(tag.find_all(True))
        following = tags[after] if after < len(tags) else None
        end = (following.sourceline, following.sourcepos + 1) if following is not None else _END
        spans.append((tag.sourceline or 1, (tag.sourcepos or 0) + 1, end))
    return spans
