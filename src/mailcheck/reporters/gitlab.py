"""GitLab Code Quality: the JSON array GitLab reads from ``artifacts:reports:codequality``.

Each issue has the fields GitLab documents: ``description``, ``check_name``,
``fingerprint``, ``severity`` (``info``, ``minor``, ``major``, ``critical``,
``blocker``) and ``location.path`` + ``location.lines.begin``; mailcheck adds
``categories`` and the ``content.body`` of a grouped issue (Code Climate fields GitLab
ignores).

- **Severities**: error -> ``critical``, warning -> ``major``, info -> ``info``
  (``minor`` and ``blocker`` are not used).
- **Paths** are relative to the repository root, as GitLab links them: ``CI_PROJECT_DIR``
  when the file is inside it, else the nearest folder above the current one holding
  ``.git``, else the current folder. A ZIP member or a spreadsheet sheet is located on its
  archive or workbook.
- **Grouped like the GitHub annotations**: a rule's row-level findings in one contact
  list are one issue (the first row's message, the count, the first lines), so a list
  with 450,000 flagged rows is a handful of issues, never a 100 MB artifact.
- **Fingerprints** are unique in a report (GitLab merges issues of equal fingerprint) and
  stable across runs: the finding's keyed content hash (no address can be guessed from
  it, :mod:`mailcheck.fingerprints`), and its rank among findings of equal hash.
- What could not be checked on a file is one ``info`` issue (``mailcheck.not-checked``):
  the merge request widget never shows a clean list that was not fully checked.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

from mailcheck.findings import Finding, Severity
from mailcheck.fingerprints import active_key
from mailcheck.i18n import t
from mailcheck.readers.spreadsheet.locations import file_of
from mailcheck.reporters.base import Reporter, describe_group
from mailcheck.reporters.github import annotation_text, group_findings
from mailcheck.reporters.json import encode

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def repository_root(start: Path | None = None) -> Path:
    """The folder GitLab's paths are relative to (see the module's docs)."""
    project = os.environ.get("CI_PROJECT_DIR")
    if project and Path(project).is_dir():
        return Path(project).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def relative_path(path: str, root: Path) -> str:
    """``path`` (a display path, relative to the current folder) relative to ``root``,
    with ``/`` separators; the path as given when it is outside ``root``."""
    on_disk = file_of(path)
    try:
        return Path(os.path.abspath(on_disk)).relative_to(root).as_posix()
    except ValueError:
        return Path(on_disk).as_posix()


class GitlabReporter(Reporter):
    name = "gitlab"
    takes_batches = True
    description = "GitLab Code Quality JSON (artifacts:reports:codequality)"

    def start(self) -> None:
        self.root = repository_root()
        self.seen: Counter[str] = Counter()
        self.stream.write("[")
        self.separator = "\n  "

    def _issue(self, issue: dict) -> None:
        self.stream.write(self.separator + encode(issue))
        self.separator = ",\n  "

    def _fingerprint(self, key: str) -> str:
        self.seen[key] += 1
        rank = self.seen[key]
        return hashlib.sha256(f"{key}\0{rank}".encode()).hexdigest()[:32]

    def add(self, findings: list[Finding]) -> None:
        if not findings:
            return
        language = self.settings.language
        for annotation in group_findings(findings, self.message, hashed=True):
            path = relative_path(annotation.path, self.root)
            # A row group: the rule, the file and the severity (its rows come and go).
            key = annotation.hash or active_key().digest(
                f"{annotation.code}\0{path}\0rows\0{annotation.severity.label}"
            )
            issue = {
                "description": f"{annotation.code} {annotation_text(annotation, language)}",
                "check_name": annotation.code,
                "fingerprint": "",
                "severity": SEVERITIES[annotation.severity],
                "location": {"path": path, "lines": {"begin": annotation.line}},
                "categories": ["Compliance"],
            }
            issue["fingerprint"] = self._fingerprint(key)
            self._issue(issue)

    def finish(self, result) -> None:
        language = self.settings.language
        for coverage in result.coverage:
            path = relative_path(coverage.path, self.root)
            for group in coverage.groups():
                text = t(
                    "{path}: not checked: {reason}",
                    path=coverage.path,
                    reason=describe_group(group, language),
                ).render(language)
                key = active_key().digest(f"not-checked\0{path}\0{','.join(group.codes)}")
                self._issue(
                    {
                        "description": text,
                        "check_name": "mailcheck.not-checked",
                        "fingerprint": self._fingerprint(key),
                        "severity": "info",
                        "location": {"path": path, "lines": {"begin": 1}},
                        "categories": ["Compliance"],
                    }
                )
        self.write("\n]" if self.separator != "\n  " else "]")
