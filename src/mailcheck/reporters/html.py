"""``html``: one self-contained report to read, print, or forward to a data protection
officer (``mailcheck lint --output-format html -o rapport.html``).

What a person reads, top to bottom: the verdict in one sentence (can this be sent? what
blocks it?) and the counts by severity; a chart of the contacts by the age of their last
qualifying activity against the retention limit (inline SVG); then per file what kind of
file it is and how it was understood (provider, columns), what could not be checked, and
each rule's findings grouped with its plain explanation, its fix and its law (contacts
masked with their lines, the first few of each rule and how many more; a template's
excerpt with the offending element marked); the run's facts at the bottom.

The file holds everything it shows: inline CSS and SVG, no script, no font, image or
style sheet from elsewhere, so it reads offline and the same in ten years. Every text is
in the report's language (``html.po``). It stays small on a huge list: a rule's rows
beyond the first :data:`SHOWN_ROWS` of a file are counted, never one element each.
"""

from __future__ import annotations

import datetime as dt
import platform
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from mailcheck.batches import FindingBatch, RowFindings
from mailcheck.documents import ContactListDocument
from mailcheck.findings import Finding, LintResult, RowFinding, Severity
from mailcheck.i18n import Date, Days, Text, gettext, number, render, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np
from mailcheck.own_reports import GENERATOR
from mailcheck.pii import mask_contact, mask_text, may_hold_address
from mailcheck.reporters.base import Reporter
from mailcheck.reporters.placed import has_rows
from mailcheck.rule import doc_section

if TYPE_CHECKING:
    from mailcheck.documents import Document

#: Row-level findings of one rule in one file shown one by one; the rest are counted.
SHOWN_ROWS = 5
#: Line numbers listed for the rows beyond those shown.
LISTED_LINES = 10
#: Blocking rules named under the verdict (the others are in the files' sections).
BLOCKERS_SHOWN = 6
#: Characters of a rule's explanation shown under the verdict.
CLIP = 160
#: Findings about a template, form or message shown one by one per rule and file.
SHOWN_ELEMENTS = 20

_KINDS = {
    "contacts": N_("Contact list"),
    "template": N_("E-mail template"),
    "form": N_("Signup form"),
    "message": N_("E-mail message"),
}
_ROLES = {
    "audience": N_("audience (people you write to)"),
    "send-list": N_("send list"),
    "suppression": N_("suppression list (addresses never to write to)"),
    "send-log": N_("send log"),
}
_ORIGINS = {
    "config": N_("set in your configuration"),
    "provider": N_("the provider's export layout"),
    "synonym": N_("recognised by its header"),
    "values": N_("recognised by its values"),
    "reader": N_("given by the reader"),
}
# The counts of errors and warnings are the terminal's texts (reports.po translates them).
_SEVERITY_NAMES = {
    Severity.ERROR: (N_("{count} error"), N_("{count} errors")),
    Severity.WARNING: (N_("{count} warning"), N_("{count} warnings")),
    Severity.INFO: (N_("{count} note"), N_("{count} notes")),
}
_SEVERITY_LABELS = {
    Severity.ERROR: N_("Error"),
    Severity.WARNING: N_("Warning"),
    Severity.INFO: N_("Note"),
}
_LANGUAGES = {"en": N_("English"), "fr": N_("French")}
_WHAT_IT_DOES = ("What it does", "Ce que fait la règle")


@dataclass
class _Item:
    """One finding shown: its place, severity, message and (templates) excerpt."""

    line: int
    column: int
    severity: Severity
    message: str
    part: str | None = None
    excerpt: str | None = None  # HTML, escaped, the offending element in <mark>


@dataclass
class _Group:
    """One rule's findings in one file: the first few shown, the rest counted."""

    code: str
    name: str
    fix: str | None
    reference: str | None
    row_level: bool
    count: int = 0
    severities: Counter[Severity] = field(default_factory=Counter)
    items: list[_Item] = field(default_factory=list)
    more_lines: list[int] = field(default_factory=list)


@dataclass
class _File:
    path: str
    groups: dict[str, _Group] = field(default_factory=dict)
    counts: Counter[Severity] = field(default_factory=Counter)
    described: dict[str, Any] | None = None


class HtmlReporter(Reporter):
    """A self-contained HTML report: verdict first, per file, facts last."""

    name = "html"
    description = "a self-contained HTML report to read, print or forward (with -o FILE)"
    #: Given each :class:`~mailcheck.batches.FindingBatch` as is: rows counted in bulk.
    takes_batches = True

    def start(self) -> None:
        self.files: dict[str, _File] = {}
        #: Age in whole years of each stale contact's last qualifying activity (MC203).
        self.ages: Counter[int] = Counter()
        #: Data rows of the contact lists MC203 judged, by path.
        self.rows: dict[str, int] = {}
        self.started = dt.datetime.now().astimezone()

    # -- collecting -------------------------------------------------------------------

    def _file(self, path: str) -> _File:
        found = self.files.get(path)
        if found is None:
            found = self.files[path] = _File(path)
        return found

    def document(self, doc: Document, rows: int | None) -> None:
        path = doc.display_path
        if not self.settings.show_pii and may_hold_address(path):
            path = mask_text(path)
        self._file(path).described = self._describe(doc, rows)
        if rows is not None:
            self.rows[path] = rows

    def _describe(self, doc: Document, rows: int | None) -> dict[str, Any]:
        clear = self.settings.show_pii

        def shown(value: Any) -> str:
            text = render(value, self.settings.language) if value is not None else ""
            return text if clear or not may_hold_address(text) else mask_text(text)

        if not isinstance(doc, ContactListDocument):
            return {"kind": str(doc.kind), "provider": shown(getattr(doc, "provider", None))}
        origins = getattr(doc.reader_plan, "origins", None) or {}
        columns = doc.columns or {}
        mapped = set(columns.values())
        return {
            "kind": str(doc.kind),
            "rows": rows,
            "role": getattr(doc, "role", None),
            "role_reason": shown(getattr(doc, "role_reason", None)),
            "provider": shown(getattr(doc, "provider", None)),
            "provider_reason": shown(getattr(doc, "provider_reason", None)),
            "encoding": getattr(doc, "encoding", None),
            "columns": [
                (
                    canonical,
                    shown(source),
                    origins[canonical].kind.value if canonical in origins else "reader",
                )
                for canonical, source in columns.items()
            ],
            "unmapped": [shown(h) for h in doc.header or () if h not in mapped],
        }

    def add(self, findings: list[Finding]) -> None:
        if has_rows(findings):
            self._add_batch(findings)
            return
        files = self.files
        current: _File | None = None
        for finding in findings:
            path = finding.path
            if current is None or current.path != path:
                current = files.get(path) or self._file(path)
            code = finding.code
            group = current.groups.get(code)
            if group is None:
                group = current.groups[code] = _Group(
                    code, finding.name, finding.fix, finding.reference, finding.row_level
                )
            group.count += 1
            severity = finding.severity
            group.severities[severity] += 1
            current.counts[severity] += 1
            if code == "MC203" and finding.row_level:
                age = self._age_days(finding)
                if age is not None:
                    self.ages[age // 365] += 1
            self._show(group, finding.row_level, finding.line, lambda f=finding: f)

    def _show(
        self, group: _Group, row_level: bool, line: int, found: Callable[[], Finding]
    ) -> None:
        """Show the finding (``found()`` builds it) if its group shows so few yet, else
        list its line among the first of the others."""
        if len(group.items) < (SHOWN_ROWS if row_level else SHOWN_ELEMENTS):
            group.items.append(self._item(found()))
        elif len(group.more_lines) < LISTED_LINES:
            group.more_lines.append(line)

    def _add_batch(self, batch: FindingBatch) -> None:
        """:meth:`add` for a batch with row findings kept as columns: each rule's rows
        counted part by part, and only the few shown (and the lines listed) read one by
        one, in the batch's order -- not a finding built per row of a huge list."""
        parts = batch.parts
        part_of, row_of = (np.asarray(a, dtype=np.int64) for a in batch.positions())
        keys: dict[tuple[str, str], int] = {}
        group_of_part = np.array(
            [keys.setdefault((part.path, part.code), len(keys)) for part in parts],
            dtype=np.int64,
        )
        group_of = group_of_part[part_of]
        row_level = np.array([part.row_level for part in parts], dtype=bool)
        where = {key: np.flatnonzero(group_of == number) for key, number in keys.items()}
        # Files and groups made in the order their first finding comes, as one at a time.
        for (path, code), places in sorted(where.items(), key=lambda item: item[1][0]):
            current = self.files.get(path) or self._file(path)
            group = current.groups.get(code)
            if group is None:
                first = parts[int(part_of[places[0]])]
                group = current.groups[code] = _Group(
                    code, first.name, first.fix, first.reference, first.row_level
                )
            group.count += len(places)
            for index in np.flatnonzero(group_of_part == keys[(path, code)]).tolist():
                part = parts[index]
                counts = (
                    part.severity_counts()
                    if isinstance(part, RowFindings)
                    else Counter({part.severity: 1})
                )
                group.severities.update(counts)
                current.counts.update(counts)
                if code == "MC203" and part.row_level:
                    self._count_ages(part)
            # Past the last finding that is no row's, at most SHOWN_ROWS + LISTED_LINES
            # rows can still be shown or listed: the others are not looked at.
            singles = np.flatnonzero(~row_level[part_of[places]])
            last_single = int(singles[-1]) if len(singles) else -1
            places = places[: last_single + 1 + SHOWN_ROWS + LISTED_LINES]
            self._show_first(
                group, parts, part_of[places].tolist(), row_of[places].tolist(), last_single
            )

    def _show_first(
        self,
        group: _Group,
        parts: list[Any],
        part_of: list[int],
        row_of: list[int],
        last_single: int,
    ) -> None:
        """:meth:`_show` each finding of ``group`` in order (``last_single``: the place
        of the last that is no row's), until no more can be shown nor listed: the rest
        of a rule's rows are only counted."""
        items, more = group.items, group.more_lines
        for place, (index, row) in enumerate(zip(part_of, row_of, strict=True)):
            if len(more) >= LISTED_LINES and (
                len(items) >= SHOWN_ELEMENTS or (len(items) >= SHOWN_ROWS and place > last_single)
            ):
                break
            part = parts[index]
            if isinstance(part, RowFindings):
                self._show(group, True, int(part.lines[row]), lambda p=part, r=row: p.finding(r))
            else:
                self._show(group, part.row_level, part.line, lambda p=part: p)

    def _count_ages(self, part: Finding | RowFindings) -> None:
        """Count the stale contacts of an MC203 part by whole years of age: a column of
        whole days at once when the rows are kept as columns."""
        if not isinstance(part, RowFindings):
            age = self._age_days(part)
            if age is not None:
                self.ages[age // 365] += 1
            return
        column = getattr(part.source, "column", None)
        days = column("age_days") if column is not None else None
        if days is not None and days.dtype.kind in "iu":
            if part.rows is not None:
                days = days[part.rows]
            years, counts = np.unique(days // 365, return_counts=True)
            self.ages.update(dict(zip(years.tolist(), counts.tolist(), strict=True)))
            return
        for value in part.values("age_days"):
            age = _whole_days(value)
            if age is not None:
                self.ages[age // 365] += 1

    def _age_days(self, finding: Finding) -> int | None:
        """Days since the last qualifying activity of an MC203 row: read from the row's
        column (a list of a million stale contacts would build a million data dicts
        else), from ``data`` for a finding that is no row finding."""
        if isinstance(finding, RowFinding):
            age = finding.row_value("age_days")
        else:
            age = finding.data.get("age_days") if isinstance(finding.data, dict) else None
        return _whole_days(age)

    def _item(self, finding: Finding) -> _Item:
        message = self.message(finding)
        if finding.row_level:
            # The contact the row is about, masked (the message says the fact).
            data = finding.data if isinstance(finding.data, dict) else {}
            address = str(data.get("address") or "")
            if address and not self.settings.show_pii:
                address = mask_contact(address)
            if address and address not in message:
                message = f"{address} — {message}"
        return _Item(
            finding.line,
            finding.column,
            finding.severity,
            message,
            finding.part,
            _excerpt(finding),
        )

    # -- writing ----------------------------------------------------------------------

    def s(self, text: Text) -> str:
        """A text of the report in its language."""
        return text.render(self.settings.language)

    def _(self, text: Text) -> str:
        """A text of the report in its language, escaped for HTML."""
        return escape(text.render(self.settings.language))

    def finish(self, result: LintResult) -> None:
        language = self.settings.language
        for coverage in result.coverage:
            self._file(coverage.path)
        out: list[str] = [
            "<!DOCTYPE html>",
            f'<html lang="{escape(language)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # what tells a later `mailcheck lint` of this folder that this is no template
            f'<meta name="generator" content="{GENERATOR} {escape(str(self.settings.version))}">',
            "<title>" + self._(t("mailcheck report")) + "</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            '<a class="skip" href="#files">' + self._(t("Skip to the files")) + "</a>",
        ]
        out += self._header(result)
        out.append('<main id="main">')
        out += self._chart(result)
        out += self._files(result)
        out.append("</main>")
        out += self._footer(result)
        out += ["</body>", "</html>"]
        self.write("\n".join(out))

    def _header(self, result: LintResult) -> list[str]:
        blocking = sum(n for s, n in result.counts.items() if s >= self.settings.fail_on)
        verdict, tone = self._verdict(result, blocking)
        out = [
            '<header class="top" role="banner">',
            "<h1>" + self._(t("Compliance report")) + "</h1>",
            f'<p class="verdict {tone}" id="verdict">{escape(verdict)}</p>',
            '<ul class="counts" aria-label="' + self._(t("Problems by severity")) + '">',
        ]
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            count = result.counts.get(severity, 0)
            label = self._severity_count(severity, count)
            out.append(f'<li class="count {severity.label}">{label}</li>')
        out.append("</ul>")
        linted = result.files_linted + result.files_unreadable
        out.append(
            '<p class="scope">'
            + self._(
                t(
                    "Files read: {files}; with problems: {problems}.",
                    files=linted,
                    problems=sum(1 for f in self.files.values() if f.counts),
                )
            )
            + "</p>"
        )
        blockers = self._blockers()
        if blocking and blockers:
            out.append('<h2 class="small">' + self._(t("What blocks the sending")) + "</h2>")
            out.append('<ul class="blockers">')
            language = self.settings.language
            for code, (summary, count) in list(blockers.items())[:BLOCKERS_SHOWN]:
                out.append(
                    f'<li><a href="#rule-{escape(code)}">{escape(code)}</a> '
                    f"{_inline(_clip(summary))} <span class=n>({number(count, language)})</span>"
                    "</li>"
                )
            hidden = len(blockers) - BLOCKERS_SHOWN
            if hidden > 0:
                text = (
                    t("and {count} other rule (see the files below)", count=hidden)
                    if self._fr_or_one(hidden)
                    else t("and {count} other rules (see the files below)", count=hidden)
                )
                out.append(f"<li>{self._(text)}</li>")
            out.append("</ul>")
        out.append("</header>")
        return out

    def _fr_or_one(self, count: int) -> bool:
        """Whether ``count`` takes the singular: 0 and 1 in French, 1 in English."""
        return count <= 1 if self.settings.language == "fr" else count == 1

    def _verdict(self, result: LintResult, blocking: int) -> tuple[str, str]:
        if result.files_linted == 0 and not result.total:
            return self.s(t("Nothing was checked: no file could be read.")), "stop"
        if blocking:
            codes = list(self._blockers())
            listed = ", ".join(codes[:4]) + (", …" if len(codes) > 4 else "")
            text = (
                t(
                    "Do not send as is: {count} blocking problem ({rules}).",
                    count=blocking,
                    rules=listed,
                )
                if self._fr_or_one(blocking)
                else t(
                    "Do not send as is: {count} blocking problems ({rules}).",
                    count=blocking,
                    rules=listed,
                )
            )
            return self.s(text), "stop"
        unchecked = result.not_checked + result.skipped
        if result.total:
            text = (
                t(
                    "Nothing blocks the sending, but {count} point deserves a look first.",
                    count=result.total,
                )
                if self._fr_or_one(result.total)
                else t(
                    "Nothing blocks the sending, but {count} points deserve a look first.",
                    count=result.total,
                )
            )
            return self.s(text), "look"
        if unchecked:
            return self.s(
                t("No problem found, but some checks could not run: see what was not checked.")
            ), "look"
        return self.s(t("No problem found: as far as mailcheck can tell, this can be sent.")), "go"

    def _blockers(self) -> dict[str, tuple[str, int]]:
        """Rules with findings at or above ``--fail-on``: code -> (plain summary, count)."""
        counted: Counter[str] = Counter()
        for file in self.files.values():
            for group in file.groups.values():
                counted[group.code] += sum(
                    n for s, n in group.severities.items() if s >= self.settings.fail_on
                )
        return {
            code: (self._summary(code), n)
            for code, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
            if n
        }

    def _summary(self, code: str) -> str:
        """The rule's plain explanation in the report's language: the first sentence of
        *What it does* of its translated documentation."""
        rule = self.settings.registry.get(code)
        if rule is None:
            return ""
        doc = gettext(rule.documentation(), self.settings.language)
        for title in _WHAT_IT_DOES:
            section = doc_section(doc, title)
            if section:
                first = re.split(r"(?<=[.!?])\s", section.strip(), maxsplit=1)[0]
                return " ".join(first.split())
        return rule.summary()

    # -- the chart ----------------------------------------------------------------------

    def _chart(self, result: LintResult) -> list[str]:
        judged = {c.path for c in result.coverage if "MC203" in c.ran}
        rows = sum(n for path, n in self.rows.items() if path in judged)
        if not rows and not self.ages:
            return []
        extra = self.settings.extra
        retention = int(extra.get("retention_days") or 1095)
        grace = int(extra.get("grace_days") or 365)
        first = retention // 365
        stale = sum(self.ages.values())
        bars: list[tuple[str, int, str]] = [
            (
                self.s(t("under {years} years, or not concerned", years=first)),
                max(rows - stale, 0),
                "ok",
            )
        ]
        hard = (retention + grace) // 365
        last = first + 5
        for years in range(first, last):
            count = self.ages.get(years, 0)
            tone = "error" if years >= hard else "warning"
            bars.append((self.s(t("{start}–{end} years", start=years, end=years + 1)), count, tone))
        beyond = sum(n for years, n in self.ages.items() if years >= last)
        bars.append((self.s(t("{years} years or more", years=last)), beyond, "error"))
        return [
            '<section class="chart" aria-labelledby="chart-title">',
            '<h2 id="chart-title">'
            + self._(t("Contacts by the age of their last activity"))
            + "</h2>",
            "<p>"
            + self._(
                t(
                    "Last click, purchase, reply or sign-up of each contact of the audience "
                    "lists; contacts past the limit of {period} must be re-engaged or deleted. "
                    "The first bar also counts the contacts the limit does not concern "
                    "(unsubscribed, without any date).",
                    period=Days(retention),
                )
            )
            + "</p>",
            _bar_chart(
                bars,
                limit_after=0,
                limit_label=self.s(t("limit: {period}", period=Days(retention))),
                title=self.s(t("Contacts by the age of their last activity")),
                language=self.settings.language,
            ),
            '<table class="data"><thead><tr>'
            '<th scope="col">' + self._(t("Age of the last activity")) + "</th>"
            '<th scope="col">' + self._(t("Contacts")) + "</th></tr></thead><tbody>",
            *(
                f"<tr><td>{escape(label)}</td><td class=num>"
                f"{number(count, self.settings.language)}</td></tr>"
                for label, count, _ in bars
            ),
            "</tbody></table>",
            "</section>",
        ]

    # -- the files ----------------------------------------------------------------------

    def _files(self, result: LintResult) -> list[str]:
        coverage = {c.path: c for c in result.coverage}
        out = [
            '<section id="files" aria-labelledby="files-title">',
            '<h2 id="files-title">' + self._(t("File by file")) + "</h2>",
        ]
        if not self.files:
            out.append("<p>" + self._(t("No file was read.")) + "</p>")
        out.append('<nav aria-label="' + self._(t("Files")) + '"><ul class="toc">')
        for index, file in enumerate(self.files.values()):
            out.append(
                f'<li><a href="#file-{index}"><code>{escape(file.path)}</code></a> '
                f"{self._badges(file.counts)}</li>"
            )
        out.append("</ul></nav>")
        seen_rules: set[str] = set()
        for index, file in enumerate(self.files.values()):
            out += self._file_section(index, file, coverage.get(file.path), seen_rules)
        out.append("</section>")
        return out

    def _badges(self, counts: Counter[Severity]) -> str:
        if not counts:
            return '<span class="badge ok">' + self._(t("no problem")) + "</span>"
        return " ".join(
            f'<span class="badge {s.label}">{self._severity_count(s, counts[s])}</span>'
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if counts.get(s)
        )

    def _severity_count(self, severity: Severity, count: int) -> str:
        one, many = _SEVERITY_NAMES[severity]
        return escape(
            Text(one if self._fr_or_one(count) else many, {"count": count}).render(
                self.settings.language
            )
        )

    def _file_section(
        self, index: int, file: _File, coverage: Any, seen_rules: set[str]
    ) -> list[str]:
        out = [
            f'<section class="file" id="file-{index}" aria-labelledby="file-{index}-title">',
            f'<h3 id="file-{index}-title"><code>{escape(file.path)}</code> '
            f"{self._badges(file.counts)}</h3>",
        ]
        out += self._description(file, coverage)
        if coverage is not None and coverage.not_checked:
            out.append('<div class="gap"><h4>' + self._(t("Not checked")) + "</h4><ul>")
            for group in coverage.groups():
                families = ", ".join(
                    gettext(family, self.settings.language) for family in group.families
                )
                reason = render(group.reason, self.settings.language)
                fix = render(group.fix, self.settings.language) if group.fix else ""
                line = self.s(
                    t(
                        "{checks} ({codes}): {reason}",
                        checks=families,
                        codes=", ".join(group.codes),
                        reason=reason,
                    )
                )
                if fix:
                    line += " — " + self.s(t("to check it: {fix}", fix=fix))
                out.append(f"<li>{escape(line)}</li>")
            out.append("</ul></div>")
        for group in sorted(
            file.groups.values(), key=lambda g: (-max(g.severities), -g.count, g.code)
        ):
            out += self._group(group, seen_rules)
        out.append("</section>")
        return out

    def _description(self, file: _File, coverage: Any) -> list[str]:
        described = file.described
        kind = described["kind"] if described else (coverage.kind if coverage else None)
        if kind is None:
            return []
        facts: list[tuple[str, str]] = [
            (self.s(t("Kind of file")), gettext(_KINDS.get(kind, kind), self.settings.language))
        ]
        if described:
            role = described.get("role")
            if role:
                facts.append(
                    (
                        self.s(t("Role")),
                        gettext(_ROLES.get(role, role), self.settings.language),
                    )
                )
            if described.get("provider"):
                why = described.get("provider_reason")
                value = described["provider"] + (f" ({why})" if why else "")
                facts.append((self.s(t("Provider")), value))
            elif kind == "contacts":
                facts.append(
                    (self.s(t("Provider")), self.s(t("none recognised (generic reading)")))
                )
            if described.get("rows") is not None:
                facts.append(
                    (
                        self.s(t("Contacts (rows)")),
                        number(described["rows"], self.settings.language),
                    )
                )
        out = ['<dl class="facts">']
        for term, value in facts:
            out.append(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>")
        out.append("</dl>")
        if described and described.get("columns"):
            out += [
                '<details class="columns">',
                "<summary>" + self._(t("How the columns were understood")) + "</summary>",
                '<div class="scroll"><table class="data"><thead><tr>',
                '<th scope="col">' + self._(t("Column in the file")) + "</th>",
                '<th scope="col">' + self._(t("Read as")) + "</th>",
                '<th scope="col">' + self._(t("How")) + "</th></tr></thead><tbody>",
            ]
            for canonical, source, origin in described["columns"]:
                how = gettext(_ORIGINS.get(origin, origin), self.settings.language)
                out.append(
                    f"<tr><td>{escape(source)}</td><td><code>{escape(canonical)}</code></td>"
                    f"<td>{escape(how)}</td></tr>"
                )
            out.append("</tbody></table></div>")
            if described.get("unmapped"):
                unused = ", ".join(described["unmapped"])
                out.append(
                    "<p>" + self._(t("Columns not used: {columns}", columns=unused)) + "</p>"
                )
            out.append("</details>")
        return out

    def _group(self, group: _Group, seen_rules: set[str]) -> list[str]:
        language = self.settings.language
        worst = max(group.severities)
        anchor = ""
        if group.code not in seen_rules:
            seen_rules.add(group.code)
            anchor = f' id="rule-{escape(group.code)}"'
        counts = ", ".join(
            self._severity_count(s, group.severities[s])
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if group.severities.get(s)
        )
        out = [
            f'<article class="rule {worst.label}"{anchor}>',
            f'<h4><span class="badge {worst.label}">'
            f"{escape(gettext(_SEVERITY_LABELS[worst], language))}</span> "
            f"{escape(group.code)} <span class=name>{escape(group.name)}</span> "
            f'<span class="n">— {counts}</span></h4>',
        ]
        summary = self._summary(group.code)
        if summary:
            out.append(f'<p class="explain">{_inline(summary)}</p>')
        if group.fix:
            fix = gettext(group.fix, language)
            out.append(
                '<p class="fix"><strong>'
                + self._(t("What to do:"))
                + f"</strong> {escape(fix)}</p>"
            )
        if group.reference:
            out.append(
                '<p class="law"><strong>'
                + self._(t("Law:"))
                + f"</strong> {escape(gettext(group.reference, self.settings.language))}</p>"
            )
        out.append('<ul class="items">')
        for item in group.items:
            out.append(self._item_html(item, group.row_level))
        out.append("</ul>")
        more = group.count - len(group.items)
        if more:
            lines = ", ".join(str(n) for n in group.more_lines)
            if more > len(group.more_lines):
                lines += ", …"
            one = self._fr_or_one(more)
            if group.row_level:
                text = (
                    t(
                        "And {count} more row (line {lines}). To see them all: mailcheck lint "
                        "--rows-out FOLDER writes one spreadsheet per rule.",
                        count=more,
                        lines=lines,
                    )
                    if one
                    else t(
                        "And {count} more rows (lines {lines}). To see them all: mailcheck "
                        "lint --rows-out FOLDER writes one spreadsheet per rule.",
                        count=more,
                        lines=lines,
                    )
                )
            else:
                text = (
                    t("And {count} more (line {lines}).", count=more, lines=lines)
                    if one
                    else t("And {count} more (lines {lines}).", count=more, lines=lines)
                )
            out.append(f'<p class="more">{self._(text)}</p>')
        out.append("</article>")
        return out

    def _item_html(self, item: _Item, row_level: bool) -> str:
        where = (
            self._(t("Line {line}", line=str(item.line)))
            if row_level or item.column <= 1
            else self._(
                t("Line {line}, column {column}", line=str(item.line), column=str(item.column))
            )
        )
        part = f' <span class="part">[{escape(item.part)}]</span>' if item.part else ""
        excerpt = f"<pre><code>{item.excerpt}</code></pre>" if item.excerpt else ""
        label = gettext(_SEVERITY_LABELS[item.severity], self.settings.language).lower()
        sev = f' <span class="sev">({escape(label)})</span>'
        return (
            f'<li class="{item.severity.label}"><span class="where">{where}</span>{sev} '
            f"{escape(item.message)}{part}{excerpt}</li>"
        )

    # -- the facts ----------------------------------------------------------------------

    def _footer(self, result: LintResult) -> list[str]:
        extra = self.settings.extra
        language = self.settings.language
        today = extra.get("today")
        plugins = ", ".join(
            f"{name} {version}" if version else name for name, version in extra.get("plugins", ())
        )
        facts = [
            (
                self.s(t("Report made on")),
                self.s(
                    t(
                        "{date} at {time}",
                        date=Date(self.started.date()),
                        time=self.started.strftime("%H:%M %Z").strip(),
                    )
                ),
            ),
            (
                self.s(t("Date taken as today (--today)")),
                Date(today).render(language) if isinstance(today, dt.date) else "—",
            ),
            (self.s(t("Profile")), str(extra.get("profile") or "—")),
            (
                self.s(t("Configuration file")),
                str(extra.get("config") or self.s(t("none (defaults)"))),
            ),
            (self.s(t("Language")), gettext(_LANGUAGES.get(language, language), language)),
            (
                self.s(t("Blocking level (--fail-on)")),
                self.s(
                    t(
                        "findings of level {severity} or higher block the sending",
                        severity=gettext(_SEVERITY_LABELS[self.settings.fail_on], language).lower(),
                    )
                ),
            ),
            (
                self.s(t("Tool")),
                f"mailcheck {self.settings.version} (Python {platform.python_version()})",
            ),
            (self.s(t("Plugins")), plugins or self.s(t("none"))),
        ]
        out = [
            '<footer class="run" role="contentinfo">',
            "<h2>" + self._(t("About this run")) + "</h2>",
            '<dl class="facts">',
        ]
        for term, value in facts:
            out.append(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>")
        out += [
            "</dl>",
            "<p>"
            + self._(t("Addresses are masked unless the report was made with --show-pii."))
            + "</p>",
            "</footer>",
        ]
        return out


_CODE_SPAN = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"\*([^*\s][^*]*)\*")


def _whole_days(age: Any) -> int | None:
    """An age in days as whole days (``None`` when there is none, or not a number)."""
    try:
        return int(float(age)) if age not in (None, "") and age == age else None
    except (TypeError, ValueError):
        return None


def _inline(text: str) -> str:
    """A rule documentation's sentence as HTML: escaped, its code spans in ``<code>``,
    its ``*emphasis*`` in ``<em>``."""
    html = _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", escape(text, quote=False))
    return _EMPHASIS.sub(lambda m: f"<em>{m.group(1)}</em>", html)


def _clip(text: str, size: int = CLIP) -> str:
    """``text`` cut at a word before ``size`` characters, with an ellipsis."""
    if len(text) <= size:
        return text
    cut = text[:size].rsplit(" ", 1)[0]
    if cut.count("`") % 2:  # never half a code span
        cut = cut[: cut.rfind("`")].rstrip()
    return cut.rstrip(" ,;:(") + " …"


def _excerpt(finding: Finding) -> str | None:
    """The finding's source line, escaped, the offending element in ``<mark>`` (from its
    column, or to the end of the tag that starts there)."""
    text = finding.excerpt
    if not text or (finding.line == 1 and finding.column == 1 and not finding.end_column):
        return None
    offset = finding.data.get("excerpt_offset") if isinstance(finding.data, dict) else None
    start = finding.column - 1 - offset if isinstance(offset, int) else -1
    if not 0 <= start < len(text) or finding.column <= 1 and finding.line == 1:
        return escape(text)
    end = -1
    if finding.end_column and (finding.end_line in (None, finding.line)):
        end = finding.end_column - 1 - offset
    if end <= start:
        close = text.find(">", start) if text[start] == "<" else -1
        end = close + 1 if close >= 0 else len(text)
    end = min(end, len(text))
    return f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"


def _bar_chart(
    bars: list[tuple[str, int, str]],
    *,
    limit_after: int,
    limit_label: str,
    title: str,
    language: str,
) -> str:
    """A vertical bar chart in inline SVG, a dashed line after bar ``limit_after``."""
    width, height = 640, 280
    left, right, top, bottom = 16, 16, 36, 58
    plot_h = height - top - bottom
    slot = (width - left - right) / len(bars)
    peak = max([count for _, count, _ in bars] + [1])
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-svg-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-svg-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'class="axis"/>',
    ]
    for index, (label, count, tone) in enumerate(bars):
        bar_h = 0 if not count else max(2.0, plot_h * count / peak)
        x = left + index * slot + slot * 0.15
        y = top + plot_h - bar_h
        shown = number(count, language)
        parts.append(
            f'<rect class="{tone}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar_h:.1f}"><title>{escape(label)}: {shown}</title></rect>'
        )
        middle = left + index * slot + slot / 2
        parts.append(
            f'<text x="{middle:.1f}" y="{y - 6:.1f}" text-anchor="middle" class="value">'
            f"{shown}</text>"
        )
        # A long label ("under 3 years, or not concerned") on two lines.
        first, _, second = label.partition(", ")
        lines = f'<tspan x="{middle:.1f}" dy="0">{escape(first)}</tspan>'
        if second:
            lines += f'<tspan x="{middle:.1f}" dy="15">{escape(second)}</tspan>'
        parts.append(
            f'<text x="{middle:.1f}" y="{top + plot_h + 20}" text-anchor="middle" '
            f'class="label">{lines}</text>'
        )
    x = left + (limit_after + 1) * slot
    parts.append(
        f'<line x1="{x:.1f}" y1="{top - 20}" x2="{x:.1f}" y2="{top + plot_h + 30}" class="limit"/>'
    )
    parts.append(
        f'<text x="{x + 6:.1f}" y="{top - 8}" class="limit-label">{escape(limit_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
:root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--line:#d0d0d0;--error:#a4001d;
--warning:#7a4a00;--info:#0b4f8a;--ok:#1d6b2f;--mark:#ffe58a;--soft:#f5f5f2}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header.top,main,footer.run{max-width:62rem;margin:0 auto;padding:0 1rem}
header.top{padding-top:1rem}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}
h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-bottom:1px solid var(--line)}
h2.small{font-size:1rem;border:0;margin:.8rem 0 .2rem}
h3{font-size:1.1rem;margin:0 0 .5rem;overflow-wrap:anywhere}
h4{font-size:1rem;margin:.2rem 0 .4rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.verdict{font-size:1.3rem;font-weight:700;padding:.8rem 1rem;border-radius:6px;margin:.4rem 0;
border-left:8px solid}
.verdict.stop{background:#fbe9eb;border-color:var(--error);color:#5c0010}
.verdict.look{background:#fdf3e1;border-color:var(--warning);color:#4a2d00}
.verdict.go{background:#e7f4ea;border-color:var(--ok);color:#0f3d1a}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.4rem 0}
.count{padding:.3rem .8rem;border-radius:999px;font-weight:600;color:#fff}
.count.error,.badge.error{background:var(--error)}.count.warning,.badge.warning{background:var(--warning)}
.count.info,.badge.info{background:var(--info)}.badge.ok{background:var(--ok)}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem;
font-weight:600;vertical-align:middle}
.scope,.n,.sev,.where,.part{color:var(--muted)}
.blockers{margin:.2rem 0 0;padding-left:1.2rem}
.toc{padding-left:1.2rem}.toc li{margin:.15rem 0;overflow-wrap:anywhere}
.file{border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.3rem 0}
.facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
.gap{background:var(--soft);border-left:4px solid var(--info);padding:.4rem .8rem;margin:.6rem 0}
.gap ul{margin:.2rem 0;padding-left:1.2rem}
.rule{border-top:1px solid var(--line);padding:.6rem 0 .2rem;margin-top:.6rem}
.rule .name{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:400;font-size:.9em}
.explain{margin:.2rem 0}.fix,.law{margin:.2rem 0;font-size:.95rem}
.items{padding-left:1.2rem;margin:.4rem 0}.items li{margin:.25rem 0;overflow-wrap:anywhere}
.more{font-style:italic;color:var(--muted);margin:.2rem 0 .4rem}
pre{background:var(--soft);padding:.4rem .6rem;border-radius:4px;white-space:pre-wrap;
overflow-wrap:anywhere;margin:.3rem 0}
mark{background:var(--mark);color:#000;outline:2px solid #b58900;border-radius:2px}
.scroll{overflow-x:auto}
table.data{border-collapse:collapse;margin:.4rem 0;font-size:.95rem}
table.data th,table.data td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
svg.bars{width:100%;height:auto;max-width:44rem;display:block}
svg .axis{stroke:#555}svg .limit{stroke:var(--error);stroke-width:2;stroke-dasharray:6 4}
svg rect.ok{fill:var(--ok)}svg rect.warning{fill:#b86e00}svg rect.error{fill:var(--error)}
svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}
svg .limit-label{fill:var(--error);font-weight:700}
footer.run{border-top:2px solid var(--line);margin-top:2rem;padding-bottom:2rem;font-size:.95rem}
@media (max-width:40rem){body{font-size:15px}.verdict{font-size:1.1rem}
.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.3rem}}
@media print{.skip,nav{display:none}body{font-size:11pt}.file{break-inside:auto;border:0;padding:0}
.rule{break-inside:avoid}
.verdict{border:2px solid;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.count,.badge,svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}details>*{display:block}}
"""
