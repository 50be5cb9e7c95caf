"""What a rule reports, and what a run adds up to: :class:`Severity`, :class:`Finding`,
:class:`NotChecked`, :class:`Coverage`, :class:`LintResult`.

A finding is a plain record. Rules build it through :meth:`mailcheck.rules.Rule.finding`,
which fills the rule's code, name, severity, fix hint and legal reference; the engine then
applies the user's severity overrides, suppressions and baseline before reporters see it.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from mailcheck.fingerprints import active_key
from mailcheck.i18n import Text
from mailcheck.pii import mask_text, may_hold_address


class Severity(enum.IntEnum):
    """How serious a finding is. Ordered, so ``--fail-on`` is a comparison."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        # A table, not ``self.name.lower()``: every finding of a huge list asks for it,
        # and an enum member's ``name`` is a slow descriptor.
        return _SEVERITY_LABELS[self._value_]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """``"error"``, ``"Warning"``, ``"info"`` (or a Severity) -> Severity; ValueError else."""
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (expected error, warning or info)"
            ) from None


_SEVERITY_LABELS = {severity.value: severity.name.lower() for severity in Severity}
_NUMBERS = re.compile(r"\d+")


def message_key(message: str) -> str:
    """A message as a content key: numbers (counts, lines, dates) do not enter it."""
    return _NUMBERS.sub("#", message)


@dataclass(slots=True)
class Finding:
    """One problem at one place.

    ``line`` and ``column`` are 1-based; a whole-file finding sits at 1:1. For contact
    lists ``line`` is the *physical* line where the record starts. ``fingerprint`` is the
    content key used by the baseline (a normalised address, a tag path and text...): it
    must not depend on line numbers. ``row_level`` marks a finding about one contact row:
    human formats group those per file and rule. ``data`` carries machine-readable details (for
    example the raw values that triggered a row finding); reporters never print it.
    """

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    fix: str | None = None
    reference: str | None = None
    excerpt: str | None = None
    part: str | None = None
    fingerprint: str | None = None
    row_level: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    #: The message as a message id and its parameters (:class:`~mailcheck.i18n.Text`),
    #: rendered in the report's language; ``message`` is its English text.
    text: Text | None = field(default=None, repr=False, compare=False)

    def content_key(self) -> str:
        """What the finding is about: its ``fingerprint``, else its message with the
        numbers left out (so that a count or a line quoted in it may change)."""
        return self.fingerprint or message_key(self.message)

    def content_hash(self) -> str:
        """A stable hash of what the finding is about -- never of its line or column.

        It is what the baseline stores and what ``fingerprint`` shows in machine output:
        the raw content key (an address, for contact rows) is never printed, and the hash
        is keyed (:mod:`mailcheck.fingerprints`), so nobody can match it to a guessed
        address. The path enters it masked: a finding hashes the same before and after
        ``_finalise`` masks its path, with or without ``--show-pii``.
        """
        path = self.path
        if may_hold_address(path):
            path = mask_text(path)
        return active_key().digest(f"{self.code}\0{path}\0{self.content_key()}")

    def mask_message(self, mask: Callable[[str], str]) -> None:
        """Mask the addresses of the message with ``mask``. A finding whose content key
        is its message keeps the unmasked one as ``fingerprint`` first: a baseline
        compares findings before masking with findings written after it."""
        if may_hold_address(self.message):
            if not self.fingerprint:
                self.fingerprint = message_key(self.message)
            self.message = mask(self.message)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract (see ``docs/output.md``)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "part": self.part,
            "fix": self.fix,
            "reference": self.reference,
            "fingerprint": self.content_hash(),
        }


@dataclass(frozen=True)
class NotChecked:
    """One rule that could not run on one document, and why.

    ``reason`` says what the document lacks ("no opt-in, activity or purchase date column
    found"), ``fix`` how to give it ("map one with ``[columns] consent_at = "..."``").
    Both name header names at most, never a cell: they are masked like a finding's
    message all the same (a headerless list's "header" is its first row). ``family``
    groups rules for people ("retention", "proof of consent"); machine formats keep one
    record per rule. ``reason`` and ``fix`` may be :func:`~mailcheck.i18n.t` texts:
    :meth:`to_dict` writes their English, reports render them in their language.
    """

    code: str
    name: str
    family: str
    reason: str | Text
    fix: str | Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "reason": str(self.reason),
            "fix": str(self.fix) if self.fix is not None else None,
        }


@dataclass(frozen=True)
class NotCheckedGroup:
    """Rules of one document not checked for the same reason, as people read them."""

    families: tuple[str, ...]
    codes: tuple[str, ...]
    reason: str | Text
    fix: str | Text | None = None

    def describe(self, language: str = "en") -> str:
        """``retention (MC203): no date column found; map one with [columns] ...``, in
        ``language``: texts rendered, plain strings (families marked ``N_``, a plugin's
        reason) looked up in the catalogues."""
        from mailcheck.i18n import joined, labelled, localized

        families = ", ".join(localized(family, language) for family in self.families)
        what = f"{families} ({', '.join(self.codes)})"
        text = labelled(what, localized(self.reason, language), language)
        return joined(text, localized(self.fix, language), language) if self.fix else text


@dataclass(frozen=True)
class Coverage:
    """What was checked on one document: the rules that ran (codes), those that could
    not (with why), and, for machine formats only, the rules of its kind that the user's
    selection left out (not a gap: the user asked)."""

    path: str
    kind: str
    ran: tuple[str, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    not_selected: tuple[str, ...] = ()

    def groups(self) -> list[NotCheckedGroup]:
        """The rules not checked, grouped by the same reason, in the order first met:
        people read "retention (MC203): no date column found" once, not once per rule,
        and a list with no address column gets one line for all its rules."""
        # Keyed by the English: a text's parameters (a dict) make it unhashable.
        groups: dict[tuple[str, str | None], list[NotChecked]] = {}
        for item in self.not_checked:
            key = (str(item.reason), str(item.fix) if item.fix is not None else None)
            groups.setdefault(key, []).append(item)
        return [
            NotCheckedGroup(
                tuple(dict.fromkeys(item.family for item in items)),
                tuple(item.code for item in items),
                items[0].reason,
                items[0].fix,
            )
            for items in groups.values()
        ]

    def to_dict(self) -> dict[str, Any]:
        """The json / json-lines coverage record (see ``docs/output.md``)."""
        return {
            "type": "coverage",
            "path": self.path,
            "kind": self.kind,
            "ran": list(self.ran),
            "not_checked": [item.to_dict() for item in self.not_checked],
            "not_selected": list(self.not_selected),
        }


@dataclass
class LintResult:
    """What a run produced: the totals every reporter's ``finish`` and the exit code read.

    It lives here, beside :class:`Finding`, rather than in the engine that fills it: the
    reporters and the hook specs need the type, and importing it from the engine made
    an import circle (``mailcheck.engine`` re-exports it for plugins).

    ``counts`` (findings per severity) is kept for every run; ``findings`` itself is only
    filled when asked (:meth:`mailcheck.engine.Linter.lint`, the Python API). The CLI
    streams findings to its outputs batch by batch instead, so memory stays bounded on a
    list with millions of rows.
    """

    findings: list[Finding] = field(default_factory=list)
    counts: Counter[Severity] = field(default_factory=Counter)
    files_linted: int = 0
    files_unreadable: int = 0
    #: Folders that could not be read and special files or broken links named like
    #: inputs, met while walking: left out, so not everything asked for was checked.
    skipped: int = 0
    #: Files left out and named in a warning, as ``"name (why)"``: one of a kind mailcheck
    #: does not read, a template partial, a .txt that is no e-mail (the engine's discovery).
    not_linted: list[str] = field(default_factory=list)
    #: Files met in a folder walk that are obviously no input (``.py``, ``.png``...):
    #: counted, not named one by one.
    ignored: int = 0
    #: Files and folders of a walk that ``.gitignore`` leaves out (``--no-respect-gitignore``).
    gitignored: int = 0
    stale_baseline: int = 0
    #: One record per linted document (contact list, template, form, message), in the
    #: order they were linted: what ran on it and what could not (see :class:`Coverage`).
    coverage: list[Coverage] = field(default_factory=list)

    def record(self, findings: list[Finding]) -> None:
        self.counts.update(finding.severity for finding in findings)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def fails(self, fail_on: Severity) -> bool:
        """Whether any finding is at or above ``fail_on``."""
        return any(count and severity >= fail_on for severity, count in self.counts.items())

    @property
    def not_checked(self) -> int:
        """Rules that could not run, summed over the documents ("3 checks")."""
        return sum(len(item.not_checked) for item in self.coverage)

    @property
    def files_not_fully_checked(self) -> int:
        """Documents on which at least one rule could not run ("on 2 files")."""
        return sum(1 for item in self.coverage if item.not_checked)

    @property
    def nothing_readable(self) -> bool:
        """Whether no input at all was linted: exit 2, never a pass on nothing."""
        return self.files_linted == 0


class LintFindings(list[Finding]):
    """What :func:`mailcheck.lint` returns: the list of findings it always returned, plus
    ``coverage``, one :class:`Coverage` per linted document (what could not be checked)."""

    def __init__(self, findings: list[Finding], coverage: list[Coverage]) -> None:
        super().__init__(findings)
        self.coverage = coverage


class RowSource(Protocol):
    """Where the lazy parts of a :class:`RowFinding` come from: the flagged rows of one
    chunk for one rule, kept as columns (see ``rules/contacts/common.py``)."""

    def data(self, row: int) -> dict[str, Any]: ...

    def message(self, row: int) -> str | Text: ...

    def fingerprint(self, row: int) -> str | None: ...


# The slots of Finding's lazy fields, read and written without going through the
# lazy fields of RowFinding below; _LAZY marks a field not built yet.
_MESSAGE = Finding.__dict__["message"]
_DATA = Finding.__dict__["data"]
_FINGERPRINT = Finding.__dict__["fingerprint"]
_LAZY: Any = object()


class _LazyField:
    """A field of :class:`RowFinding` held in Finding's slot, built by ``build(finding)``
    the first time it is read; assigning it works as on any finding."""

    def __init__(self, slot: Any, build: Callable[[Any], Any]) -> None:
        self.slot, self.build = slot, build

    def __get__(self, finding: Any, owner: type | None = None) -> Any:
        if finding is None:
            return self
        value = self.slot.__get__(finding)
        if value is _LAZY:
            value = self.build(finding)
            self.slot.__set__(finding, value)
        return value

    def __set__(self, finding: Any, value: Any) -> None:
        self.slot.__set__(finding, value)


class RowFinding(Finding):
    """A row-level finding whose ``message``, ``data`` and ``fingerprint`` are built the
    first time they are read, from the columns of its :class:`RowSource`.

    A list of 300,000 stale contacts gives 300,000 findings, but the default report prints
    a few per rule and counts the rest: building every message and data dict up front was
    a third of the linting time. Reading or assigning a lazy field behaves as on any
    :class:`Finding` (the value is then kept)."""

    __slots__ = ("_source", "_row", "_mask")

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        path: str,
        line: int,
        fix: str | None,
        reference: str | None,
        source: RowSource,
        row: int,
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.path = path
        self.line = line
        self.column = 1
        self.end_line = None
        self.end_column = None
        self.fix = fix
        self.reference = reference
        self.excerpt = None
        self.part = None
        self.row_level = True
        _MESSAGE.__set__(self, _LAZY)
        _DATA.__set__(self, _LAZY)
        _FINGERPRINT.__set__(self, _LAZY)
        self._source = source
        self._row = row
        self._mask = None

    def _build_message(self) -> str:
        text = str(self._source.message(self._row))
        if self._mask is not None and may_hold_address(text):
            text = self._mask(text)
        return text

    def content_key(self) -> str:
        """As :meth:`Finding.content_key`, from the row's unmasked message (the built one
        may be masked already)."""
        return self.fingerprint or message_key(str(self._source.message(self._row)))

    def row_value(self, name: str) -> Any:
        """One value of the flagged row (``data[name]``), raw and without building the
        row's data dict when its source keeps the rows as columns."""
        value = getattr(self._source, "value", None)
        if value is not None:
            return value(self._row, name)
        return self.data.get(name)

    @property
    def text(self) -> Text | None:
        message = self._source.message(self._row)
        return message if isinstance(message, Text) else None

    message = _LazyField(_MESSAGE, _build_message)
    data = _LazyField(_DATA, lambda finding: finding._source.data(finding._row))
    fingerprint = _LazyField(
        _FINGERPRINT, lambda finding: finding._source.fingerprint(finding._row)
    )

    def mask_message(self, mask: Callable[[str], str]) -> None:
        """Mask the addresses of the message with ``mask``: now if it is built, else
        when it is (most messages of a huge list are never read)."""
        text = _MESSAGE.__get__(self)
        if text is _LAZY:
            self._mask = mask
        elif may_hold_address(text):
            _MESSAGE.__set__(self, mask(text))
