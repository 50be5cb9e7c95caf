"""SARIF 2.1.0, shaped for GitHub code scanning.

What GitHub requires and we guarantee: ``$schema``, ``version``, a ``results`` array even
when empty, a physical location (with ``startLine``/``startColumn`` >= 1) on every result,
and ``shortDescription``, ``fullDescription`` and ``help`` on every rule -- taken from the
rule's own docstring, the same text ``mailcheck rule CODE`` prints.

What could not be checked (coverage) goes where SARIF puts what a tool could not do:
``invocations[0].toolExecutionNotifications``, one notification per rule and document,
with the rule as ``associatedRule``, the ``not-checked`` notification descriptor (declared
in ``driver.notifications``) and the file as its location. The level is ``warning`` for a
rule that reports errors or warnings, ``note`` for an informational one.

Fit for GitHub code scanning (its documented limits and fields):

- every result has ``partialFingerprints`` ``{"mailcheckFingerprint/v1": HASH}``, the
  finding's keyed content hash (the baseline's, never a line number), so an alert keeps its
  identity when rows move; ``properties.mailcheckFingerprint`` keeps the same value;
- URIs are relative to the repository root -- the first folder holding ``.git`` walking up
  from the current directory, else the config file's folder, else the current directory
  -- with ``uriBaseId`` ``%SRCROOT%`` declared in ``run.originalUriBaseIds``; a file
  outside that root keeps an absolute ``file://`` URI;
- rules: ``shortDescription`` the one-sentence summary on one line (at most 160
  characters, cut at a clause and ended with "…" when longer), ``fullDescription`` *What it does*
  and *Why it matters*, ``help`` the whole documentation (``text`` and ``markdown``);
  ``helpUri`` only when the rule's distribution declares a ``Documentation`` project URL
  (``[project.urls]``): ``<url>/rules.md#<code>``. ``mailcheck rule CODE`` is no URI, and a
  guessed one would be a dead link;
- contact-row findings are grouped per rule, file and severity: one result whose message
  gives the count, the first row's message and its first lines, with
  ``properties.rows`` (the count), ``properties.lines`` (the first 1,000 lines) and up to
  1,000 ``relatedLocations``; a single flagged row stays a plain result. A list of a million
  rows with 900,000 findings thus gives a handful of results;
- a file that could not be read (MC900) is also a ``toolExecutionNotification`` of level
  ``error``, and ``executionSuccessful`` is false when an input could not be read or
  nothing was linted;
- at most 25,000 results and 1,000 rules per run: what goes beyond is left out and a
  run-level notification (level ``warning``) says how many results of which rules.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from mailcheck.batches import FindingBatch
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.fingerprints import active_key
from mailcheck.i18n import gettext, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np
from mailcheck.pii import mask_text, may_hold_address
from mailcheck.readers.spreadsheet.locations import file_of, split_sheet_path
from mailcheck.reporters.base import Reporter, counted, line_list
from mailcheck.reporters.json import encode
from mailcheck.reporters.junit import not_checked_text
from mailcheck.reporters.placed import Placed, has_rows, key_of, runs
from mailcheck.rule import doc_section

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The key of ``partialFingerprints`` (versioned: a change of what it hashes bumps it).
FINGERPRINT_KEY = "mailcheckFingerprint/v1"
SRCROOT = "%SRCROOT%"
#: GitHub code scanning's documented limits per run / per result.
MAX_RESULTS = 25_000
MAX_RULES = 1_000
MAX_RELATED = 1_000
#: Lines of a grouped result quoted in its message.
LINES_IN_MESSAGE = 5


class SarifReporter(Reporter):
    """Written as findings arrive, like ``json``: the run's ``results`` first, then the
    ``tool`` with the descriptors of the rules that were used (JSON members have no order,
    and only then are the rules known), so a report on a list with millions of rows never
    holds its results in memory."""

    name = "sarif"
    takes_batches = True
    description = "SARIF 2.1.0 for GitHub code scanning"

    def start(self) -> None:
        self.used: dict[str, int] = {}
        self.root = repository_root(self.settings.extra.get("config"))
        self.written = 0
        #: Results left out by the limits, per rule.
        self.dropped: dict[str, int] = {}
        #: Contact-row findings per (path, code, severity): grouped, written at the end.
        self.groups: dict[tuple[str, str, Severity], _RowGroup] = {}
        #: MC900 findings: also said as error notifications.
        self.unreadable: list[Finding] = []
        header = json.dumps({"$schema": SCHEMA, "version": "2.1.0"}, indent=2)
        self.stream.write(header[:-2] + ',\n  "runs": [\n    {\n      "results": [')
        self.separator = "\n        "

    def add(self, findings: list[Finding]) -> None:
        if has_rows(findings):
            self._add_batch(findings)
            return
        for finding in findings:
            if finding.code == "MC900":
                self.unreadable.append(finding)
            if finding.row_level:
                key = (finding.path, finding.code, finding.severity)
                group = self.groups.get(key)
                if group is None:
                    self.groups[key] = _RowGroup(finding)
                else:
                    group.add(finding)
                continue
            self._emit(finding.code, lambda finding=finding: self._result(finding))

    def _add_batch(self, batch: FindingBatch) -> None:
        """:meth:`add` for a batch holding row findings as columns: the rows are grouped
        on the columns (count and first lines), only each group's first finding is built."""
        placed = Placed(batch)
        keys: dict[tuple[str, str], int] = {}
        part_key = placed.per_part(
            lambda part: keys.setdefault((part.path, part.code), len(keys)), np.int64
        )
        levels = placed.levels()
        key = np.where(placed.row_level(), key_of(part_key, levels), -1)
        lines = np.maximum(placed.lines(), 1)
        unreadable = placed.per_part(lambda part: part.code == "MC900", bool)
        self.unreadable.extend(map(placed.finding, np.flatnonzero(unreadable).tolist()))
        for place, places in runs(key):
            finding = placed.finding(place)
            if places is None:
                self._emit(finding.code, lambda finding=finding: self._result(finding))
                continue
            group_key = (finding.path, finding.code, finding.severity)
            group = self.groups.get(group_key)
            if group is None:
                group = self.groups[group_key] = _RowGroup(finding)
                group.extend(len(places) - 1, lines[places[1:MAX_RELATED]].tolist())
            else:
                group.extend(len(places), lines[places[:MAX_RELATED]].tolist())

    def _emit(self, code: str, build) -> None:
        """Write one result unless a limit is reached (then count it as left out)."""
        if self.written >= MAX_RESULTS or (code not in self.used and len(self.used) >= MAX_RULES):
            self.dropped[code] = self.dropped.get(code, 0) + 1
            return
        self.used.setdefault(code, len(self.used))
        self.stream.write(self.separator + encode(build()))
        self.separator = ",\n        "
        self.written += 1

    def _location(self, path: str, line: int, column: int = 1) -> dict:
        return {
            "physicalLocation": {
                "artifactLocation": self.artifact(path),
                "region": {"startLine": max(1, line), "startColumn": max(1, column)},
            }
        }

    def artifact(self, path: str) -> dict:
        """``{"uri": ..., "uriBaseId": "%SRCROOT%"}`` for a file under the root, else an
        absolute ``file://`` URI."""
        return artifact_location(file_of(path), self.root)

    def _result(self, finding: Finding) -> dict:
        region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
        if finding.end_line:
            region["endLine"] = max(finding.end_line, region["startLine"])
        if finding.end_column and finding.end_column >= 1:
            region["endColumn"] = finding.end_column
        message = self.message(finding)
        if "!" in finding.path:
            message += " " + self.say(
                N_("(in archive member {member})"), member=finding.path.split("!", 1)[1]
            )
        fingerprint = finding.content_hash()
        return {
            "ruleId": finding.code,
            "ruleIndex": self.used[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": self.artifact(finding.path),
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": {
                "mailcheckFingerprint": fingerprint,
                "part": finding.part,
                **_sheet_properties(finding.path),
            },
        }

    def _group_result(self, group: _RowGroup) -> dict:
        """One result for the flagged rows of one rule in one file."""
        first = group.first
        if group.count == 1:
            return self._result(first)
        language = self.settings.language
        listed = line_list(group.lines[:LINES_IN_MESSAGE], group.count)
        message = counted(
            N_("{count} row flagged: {first} (line {lines})"),
            N_("{count} rows flagged; the first: {first} (lines {lines})"),
            group.count,
            language,
            first=self.message(first),
            lines=listed,
        )
        if "!" in first.path:
            message += " " + self.say(
                N_("(in archive member {member})"), member=first.path.split("!", 1)[1]
            )
        path = first.path
        masked = mask_text(path) if may_hold_address(path) else path
        fingerprint = active_key().digest(f"{first.code}\0{masked}\0rows")
        related = [
            {"id": index, **self._location(path, line)}
            for index, line in enumerate(group.lines[:MAX_RELATED], start=1)
        ]
        return {
            "ruleId": first.code,
            "ruleIndex": self.used[first.code],
            "level": LEVELS[first.severity],
            "message": {"text": message},
            "locations": [self._location(path, group.lines[0])],
            "relatedLocations": related,
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": {
                "mailcheckFingerprint": fingerprint,
                "rows": group.count,
                "lines": group.lines[:MAX_RELATED],
                "linesTruncated": group.count > MAX_RELATED,
                **_sheet_properties(path),
            },
        }

    def finish(self, result) -> None:
        for group in self.groups.values():
            self._emit(group.first.code, lambda group=group: self._group_result(group))
        self.groups = {}
        registry = self.settings.registry
        language = self.settings.language
        rules = [_descriptor(code, registry.get(code), language) for code in self.used]
        driver = {
            "name": "mailcheck",
            "semanticVersion": self.settings.version,
            "rules": rules,
        }
        successful = not (result.files_unreadable or self.unreadable or result.nothing_readable)
        invocation: dict = {"executionSuccessful": successful}
        notifications = [
            _not_checked(coverage.path, item, registry.get(item.code), language, self.root)
            for coverage in result.coverage
            for item in coverage.not_checked
        ]
        descriptors = []
        if notifications:
            descriptors.append(not_checked_descriptor(language))
        unreadable = [self._unreadable(finding) for finding in self.unreadable]
        if unreadable:
            descriptors.append(_translated(UNREADABLE_DESCRIPTOR, language))
            notifications.extend(unreadable)
        if self.dropped:
            descriptors.append(_translated(LIMIT_DESCRIPTOR, language))
            notifications.append(self._limit_notification())
        if descriptors:
            driver["notifications"] = descriptors
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        rest = {
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": self.root.as_uri() + "/"}},
        }
        # The rest of the run object, indented to sit under "runs" (its braces dropped).
        members = json.dumps(rest, indent=2, ensure_ascii=False)[2:-2]
        members = "\n".join("    " + line for line in members.splitlines())
        closing = "\n      ]" if self.separator != "\n        " else "]"
        self.write(f"{closing},\n{members}\n    }}\n  ]\n}}")

    def _unreadable(self, finding: Finding) -> dict:
        """An error notification for a file that could not be read (MC900)."""
        return {
            "level": "error",
            "message": {"text": self.message(finding)},
            "descriptor": {"id": UNREADABLE_DESCRIPTOR["id"]},
            "associatedRule": {"id": finding.code},
            "locations": [{"physicalLocation": {"artifactLocation": self.artifact(finding.path)}}],
        }

    def _limit_notification(self) -> dict:
        """What the limits of GitHub code scanning cut, said once for the run."""
        dropped = sum(self.dropped.values())
        by_rule = ", ".join(f"{code}: {count}" for code, count in sorted(self.dropped.items()))
        text = counted(
            N_(
                "{count} result left out ({rules}): GitHub code scanning accepts at most "
                "{results} results and {max_rules} rules per run; see every finding with "
                "--output-format json"
            ),
            N_(
                "{count} results left out ({rules}): GitHub code scanning accepts at most "
                "{results} results and {max_rules} rules per run; see every finding with "
                "--output-format json"
            ),
            dropped,
            self.settings.language,
            rules=by_rule,
            results=MAX_RESULTS,
            max_rules=MAX_RULES,
        )
        return {
            "level": "warning",
            "message": {"text": text},
            "descriptor": {"id": LIMIT_DESCRIPTOR["id"]},
            "properties": {"resultsLeftOut": dropped, "byRule": dict(sorted(self.dropped.items()))},
        }


class _RowGroup:
    """The flagged rows of one rule in one file: the first finding, the count and the
    first :data:`MAX_RELATED` lines (memory stays bounded whatever the list's size)."""

    __slots__ = ("first", "count", "lines")

    def __init__(self, finding: Finding) -> None:
        self.first = finding
        self.count = 1
        self.lines = [max(1, finding.line)]

    def add(self, finding: Finding) -> None:
        self.count += 1
        if len(self.lines) < MAX_RELATED:
            self.lines.append(max(1, finding.line))

    def extend(self, count: int, lines: list[int]) -> None:
        """``count`` more rows, the first of them on ``lines`` (each at least 1)."""
        self.count += count
        self.lines.extend(lines[: MAX_RELATED - len(self.lines)])


UNREADABLE_DESCRIPTOR = {
    "id": "file-unreadable",
    "name": "file-unreadable",
    "shortDescription": {"text": N_("An input file could not be read: it was not linted.")},
}

LIMIT_DESCRIPTOR = {
    "id": "results-left-out",
    "name": "results-left-out",
    "shortDescription": {
        "text": N_("Results were left out to stay within GitHub code scanning's limits.")
    },
}


def _translated(descriptor: dict, language: str) -> dict:
    return {
        **descriptor,
        "shortDescription": {"text": gettext(descriptor["shortDescription"]["text"], language)},
    }


#: The notification descriptor of every "could not be checked" notification.
NOT_CHECKED_DESCRIPTOR = {
    "id": "not-checked",
    "name": "rule-not-checked",
    "shortDescription": {
        "text": N_("A rule could not run on a file: the file lacks what it needs.")
    },
    "fullDescription": {
        "text": N_(
            "The rule named by associatedRule could not check this file (a contact "
            "list without the column it needs, for example). Its absence of results there "
            "says nothing: map the column or fix the input, then run again."
        )
    },
}


def not_checked_descriptor(language: str = "en") -> dict:
    """:data:`NOT_CHECKED_DESCRIPTOR` in ``language``."""
    return {
        **NOT_CHECKED_DESCRIPTOR,
        "shortDescription": {
            "text": gettext(NOT_CHECKED_DESCRIPTOR["shortDescription"]["text"], language)
        },
        "fullDescription": {
            "text": gettext(NOT_CHECKED_DESCRIPTOR["fullDescription"]["text"], language)
        },
    }


def _not_checked(
    path: str, item: NotChecked, rule, language: str = "en", root: Path | None = None
) -> dict:
    """A toolExecutionNotification saying that ``item.code`` did not check ``path``."""
    text = not_checked_text(item, language)
    if "!" in path:
        member = path.split("!", 1)[1]
        text += " " + t("(in archive member {member})", member=member).render(language)
    severity = rule.severity if rule is not None else Severity.WARNING
    return {
        "level": "note" if severity is Severity.INFO else "warning",
        "message": {"text": text},
        "descriptor": {"id": NOT_CHECKED_DESCRIPTOR["id"]},
        "associatedRule": {"id": item.code},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(file_of(path), root)}}
        ],
        "properties": {"family": item.family, "rule": item.name},
    }


def _documentation(rule, language: str) -> tuple[str, str]:
    """The rule's documentation and summary in ``language`` (a plugin rule that does not
    take a language gives its own)."""
    try:
        return rule.documentation(language), rule.summary(language)
    except TypeError:
        return rule.documentation(), rule.summary()


def _descriptor(code: str, rule, language: str = "en") -> dict:
    if rule is None:
        text = t("{code}: see mailcheck rule {code}", code=code).render(language)
        return {
            "id": code,
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": text},
        }
    # Rule docs quote example rows; SARIF is uploaded where many can read it, so the
    # examples are masked like everything else a report prints.
    documentation, summary = _documentation(rule, language)
    doc = mask_text(documentation)
    what = doc_section(doc, "What it does")
    why = doc_section(doc, "Why it matters")
    descriptor = {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": short_description(mask_text(summary))},
        "fullDescription": {"text": f"{what}\n\n{why}"[:1024]},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["compliance", rule.origin or "mailcheck"]},
    }
    uri = help_uri(code, rule)
    if uri:
        descriptor["helpUri"] = uri
    return descriptor


#: The longest ``shortDescription``: GitHub shows it as the rule's title, on one line.
SHORT_MAX = 160
_BREAKS = re.compile(r"(?:[,;:]\s| \(| -- | — )")


def short_description(summary: str) -> str:
    """The rule's summary (its first sentence) on one line, cut at a clause boundary
    (``, ``, ``; ``, ``: ``, `` (``) before :data:`SHORT_MAX` characters when longer,
    else at a word, and ended with "…": a long first sentence is no title."""
    text = " ".join(summary.split())
    if len(text) <= SHORT_MAX:
        return text
    head = text[: SHORT_MAX - 1]
    cuts = [match.start() for match in _BREAKS.finditer(head) if match.start() >= 40]
    cut = cuts[-1] if cuts else head.rfind(" ")
    return head[: cut if cut > 0 else len(head)].rstrip(" ,;:(") + "…"


def help_uri(code: str, rule) -> str | None:
    """``<Documentation URL>/rules.md#<code>`` when the rule's distribution declares a
    ``Documentation`` project URL; a rule class may also set ``help_uri`` itself."""
    own = getattr(rule, "help_uri", None)
    if own:
        return str(own)
    base = _documentation_url(getattr(rule, "__module__", "mailcheck").split(".")[0])
    return f"{base.rstrip('/')}/rules.md#{code.lower()}" if base else None


_DOC_URLS: dict[str, str | None] = {}


def _documentation_url(module: str) -> str | None:
    """The ``Documentation`` project URL of the distribution holding ``module``."""
    if module not in _DOC_URLS:
        from importlib import metadata

        url = None
        try:
            for dist in metadata.packages_distributions().get(module, []):
                for entry in metadata.metadata(dist).get_all("Project-URL") or []:
                    label, _, value = entry.partition(",")
                    if label.strip().lower() == "documentation" and value.strip():
                        url = value.strip()
        except Exception:  # broken metadata: no link rather than no report
            url = None
        _DOC_URLS[module] = url
    return _DOC_URLS[module]


def _sheet_properties(path: str) -> dict[str, str]:
    """A workbook sheet's finding: the sheet (the uri is the workbook, the line its row)."""
    sheet = split_sheet_path(path)
    return {"sheet": sheet.sheet} if sheet else {}


def artifact_uri_of(path: str) -> str:
    """A report path as a SARIF ``uri`` (RFC 3986): "Mes exports été/liste clients.csv" is
    no URI; code scanning and SARIF viewers expect "Mes%20exports%20%C3%A9t%C3%A9/...".
    A relative path stays relative (resolved against the checkout); an absolute one
    becomes a ``file://`` URI."""
    encoded = quote(path, safe="/")
    return f"file://{encoded}" if path.startswith("/") else encoded


def repository_root(config: str | None = None) -> Path:
    """Where relative URIs start: the first folder holding ``.git`` (a folder, or the file
    of a worktree) walking up from the current directory, else the config file's folder,
    else the current directory."""
    cwd = Path(os.path.abspath(os.getcwd()))
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    if config:
        return Path(os.path.abspath(config)).parent
    return cwd


def artifact_location(path: str, root: Path | None) -> dict:
    """A report path as a SARIF ``artifactLocation``: relative to ``root`` with
    ``uriBaseId`` ``%SRCROOT%`` when the file is under it, else an absolute ``file://``
    URI (``root`` ``None``: the path as it is, see :func:`artifact_uri_of`)."""
    if root is None:
        return {"uri": artifact_uri_of(path)}
    absolute = os.path.abspath(path)
    try:
        relative = Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return {"uri": artifact_uri_of(Path(absolute).as_posix())}
    return {"uri": artifact_uri_of(relative), "uriBaseId": SRCROOT}
