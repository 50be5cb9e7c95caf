"""One lint run from files to its outputs: the report, a baseline, ``--rows-out`` files.

The command line (``mailcheck lint``) and the Python API (:func:`mailcheck.lint`) both
run through :func:`run`, so a script writes the same files with the same guarantees:

- no output replaces a file the run reads (an input, the config, the baseline it
  filters with), compared by device and inode (a hard link or a symlink to a list is the
  list); the targets are refused before anything is linted;
- the report and the baseline are written to a temporary file renamed over the target
  once complete, the row files likewise (:mod:`mailcheck.outputs`): an interrupted or
  failed run leaves the earlier files, never half of one;
- findings are handed to every output batch by batch as the engine yields them, and none
  is kept unless :attr:`Outputs.keep_findings` asks, so memory stays bounded on huge lists.

A run that writes a baseline writes nothing else (the CLI's ``--write-baseline``: record
the current findings, exit 0): no report, and the row files are not written.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol, TextIO

from mailcheck import __version__
from mailcheck.baseline import Baseline, BaselineWriter
from mailcheck.batches import FindingBatch
from mailcheck.config import Config
from mailcheck.engine import Linter
from mailcheck.errors import ConfigError, PluginError
from mailcheck.files import display_path
from mailcheck.findings import Finding, LintResult
from mailcheck.i18n import Text, t
from mailcheck.manager import MailcheckPluginManager
from mailcheck.outputs import GuardedStream, atomic_output, identities, refuse_input
from mailcheck.parallel import may_start_workers
from mailcheck.pii import mask_contact, mask_text, may_hold_address
from mailcheck.reporters.base import Reporter, ReportSettings
from mailcheck.rows_out import RowsOut
from mailcheck.stdin import label as stdin_label
from mailcheck.terminal import Progress, is_terminal

log = logging.getLogger("mailcheck")


@dataclass
class Outputs:
    """What a run writes besides returning its :class:`~mailcheck.findings.LintResult`.

    Every field is optional: the default writes nothing.
    """

    #: Where the report goes: a file path (written atomically; a device or FIFO such as
    #: ``/dev/stdout`` is written directly) or an open text stream. ``None``: no report.
    report: Path | TextIO | None = None
    #: Output format by name (``concise``, ``json``, ``sarif``, ``statistics``, a
    #: plugin's...); ``None``: the config's ``output-format``.
    report_format: str | None = None
    #: Human formats: no summary line when nothing is found.
    quiet: bool = False
    #: Record the findings as a baseline in this file (and write nothing else).
    write_baseline: Path | None = None
    #: Folder of per-rule CSVs of the flagged contact rows (see :mod:`mailcheck.rows_out`).
    rows_out: Path | None = None
    #: Keep every finding in ``result.findings`` (the Python API returns them).
    keep_findings: bool = False
    #: A progress bar on stderr for a human format (the CLI): shown only when stderr is
    #: a terminal and the run lasts more than about a second.
    progress: bool = False


class FindingsConsumer(Protocol):
    """An output fed batch by batch (a reporter, :class:`BaselineWriter`, :class:`RowsOut`)."""

    def add(self, findings: list[Finding]) -> None: ...


class _KeptFindings:
    """Keeps every finding in a list (``result.findings``): as the reports show them
    unless ``show_pii`` (:func:`masked_finding`)."""

    takes_batches = True  # iterated: each row's finding built as it is kept

    def __init__(self, kept: list[Finding], show_pii: bool = True) -> None:
        self.kept = kept
        if show_pii:
            self.add = kept.extend

    def add(self, findings: list[Finding]) -> None:
        self.kept.extend(masked_finding(finding) for finding in findings)


@dataclass(slots=True)
class MaskedFinding(Finding):
    """A finding the Python API returns without ``show_pii``: its ``fingerprint`` is the
    keyed hash the JSON reports and the baseline carry (never a raw address), and the
    addresses of its ``data`` are masked (``j***@example.com``)."""

    def content_key(self) -> str:
        return self.fingerprint or Finding.content_key(self)

    def content_hash(self) -> str:
        return self.fingerprint or Finding.content_hash(self)


def masked_finding(finding: Finding) -> MaskedFinding:
    """``finding`` as the reports show it: fingerprint hashed, addresses masked in its
    ``data`` and in the parameters of its message (the reports mask them when shown)."""
    values = {item.name: getattr(finding, item.name) for item in fields(Finding)}
    data = {
        key: mask_contact(value)
        if key == "address" and isinstance(value, str)
        else (mask_text(value) if isinstance(value, str) and may_hold_address(value) else value)
        for key, value in (values["data"] or {}).items()
    }
    text = values["text"]
    if isinstance(text, Text):
        text = Text(
            text.msgid,
            {
                key: mask_text(value) if isinstance(value, str) else value
                for key, value in text.params.items()
            },
        )
    values.update(fingerprint=finding.content_hash(), data=data, text=text)
    return MaskedFinding(**values)


def output_formats(pm: MailcheckPluginManager) -> dict[str, type[Reporter]]:
    """Every output format by name; a name registered twice is an error."""
    from mailcheck.reporters.concise import StatisticsReporter

    found: dict[str, type[Reporter]] = {"statistics": StatisticsReporter}
    for impl in pm.hook.mailcheck_reporters.get_hookimpls():
        for reporter in impl.function() or []:
            if reporter.name in found and found[reporter.name] is not reporter:
                raise PluginError(
                    t(
                        "output format {name} is registered twice (again by {plugin})",
                        name=repr(reporter.name),
                        plugin=repr(impl.plugin_name),
                    )
                )
            found[reporter.name] = reporter
    return found


def reporter_class(pm: MailcheckPluginManager, name: str) -> type[Reporter]:
    """The reporter of output format ``name``; ConfigError naming the choices else."""
    available = output_formats(pm)
    if name not in available:
        choices = ", ".join(n for n in available if n != "statistics")
        raise ConfigError(
            t(
                "unknown output format {name} (choose from {choices})",
                name=repr(name),
                choices=choices,
            )
        )
    return available[name]


def baseline_to_filter(config: Config, outputs: Outputs) -> Baseline | None:
    """The config's baseline, loaded, unless this run writes a new one."""
    if not config.baseline or outputs.write_baseline:
        return None
    return Baseline.load(Path(config.baseline), config.limits.max_baseline_size)


def run(
    linter: Linter,
    paths: list[Path],
    outputs: Outputs,
    *,
    on_note: Callable[[str | Text], None] | None = None,
    warn_stale_baseline: bool = False,
) -> LintResult:
    """Lint ``paths`` with ``linter`` and write ``outputs``; return the run's totals
    (``coverage`` among them: per document, which rules could not run and why).

    ``on_note`` receives the lines that say what was written (the CLI prints them on
    stderr; by default they go to logging, masked); warnings go to ``linter.warn``.
    ``warn_stale_baseline``: also warn when baseline entries no longer match.
    """
    note = on_note or _log_note
    formatter = _report_format(linter, outputs)
    files = linter.discover(paths)
    if not files:
        where: str | Text = ", ".join(str(p) for p in paths)
        if linter.stdin_alias is not None:  # not the path of its temporary copy
            where = stdin_label(linter.stdin_alias[1])
        linter.warn(t("nothing to lint under {paths}", paths=where))
    files = linter.with_context(files)  # the config's context lists, read in any run
    context_only = [display_path(p) for p in files if linter.is_context_only(p)]
    if context_only:
        names = ", ".join(context_only)
        note(t("read for the cross-list rules only (context): {files}", files=names))
    read = _files_read(linter, files)
    _refuse_inputs_as_targets(outputs, read)
    baseline_writer = BaselineWriter() if outputs.write_baseline else None
    rows_writer = (
        RowsOut(outputs.rows_out, read, on_wait=note) if outputs.rows_out is not None else None
    )
    consumers: list[FindingsConsumer] = [c for c in (baseline_writer, rows_writer) if c is not None]
    if outputs.keep_findings:
        show_pii = bool(linter.config.show_pii)
        consumers.append(_KeptFindings(linter.result.findings, show_pii=show_pii))
    _lint_into(linter, files, consumers, outputs, formatter)
    result = linter.result
    if baseline_writer is not None and outputs.write_baseline is not None:
        count = baseline_writer.write(outputs.write_baseline)
        note(
            t("wrote {count} baseline entries to {path}", count=count, path=outputs.write_baseline)
        )
        return result
    if result.stale_baseline and warn_stale_baseline:
        linter.warn(
            t(
                "{count} baseline entries no longer match (the baseline can shrink)",
                count=result.stale_baseline,
            )
        )
    if rows_writer is not None:
        _close_rows(rows_writer, note)
    return result


def _log_note(message: str | Text) -> None:
    log.info(mask_text(str(message)))


def _report_format(linter: Linter, outputs: Outputs) -> type[Reporter] | None:
    """The reporter class, looked up before anything is linted (an unknown format is an
    error at once). A format named explicitly is checked even when no report is
    written (the CLI's ``--write-baseline`` with ``--output-format``)."""
    name = outputs.report_format
    if name is None and outputs.report is not None:
        name = linter.config.output_format
    return reporter_class(linter.pm, name) if name is not None else None


def _files_read(linter: Linter, files: list[Path]) -> list[Path]:
    """Every file the run reads: the inputs, the config file, the baseline."""
    baseline = linter.baseline
    sources = (linter.config.source, baseline and baseline.source)
    return [*files, *(Path(p) for p in sources if p)]


def _refuse_inputs_as_targets(outputs: Outputs, read: list[Path]) -> None:
    """No file the run writes may replace one it reads (the row files are checked by
    :class:`RowsOut` itself, file by file)."""
    if outputs.write_baseline:
        BaselineWriter.check_target(outputs.write_baseline)
        refuse_input(outputs.write_baseline, identities(read), t("the baseline"))
    elif isinstance(outputs.report, Path):
        refuse_input(outputs.report, identities(read), t("the report"))


def _lint_into(
    linter: Linter,
    files: list[Path],
    consumers: list[FindingsConsumer],
    outputs: Outputs,
    formatter: type[Reporter] | None,
) -> None:
    """Lint ``files``, handing each batch of findings to every consumer and the report."""
    with ExitStack() as report:
        stream = _report_stream(report, outputs)
        reporter = None
        if stream is not None and formatter is not None:
            settings = ReportSettings(
                registry=linter.registry,
                version=__version__,
                fail_on=linter.config.fail_on,
                quiet=outputs.quiet,
                language=linter.language,
                show_pii=bool(linter.config.show_pii),
                extra=run_facts(linter),
                workers=may_start_workers(linter),
            )
            reporter = formatter(stream, settings)
            report.callback(reporter.close)
            consumers = [*consumers, reporter]
            linter.on_document = getattr(reporter, "document", None)
            reporter.start()
        with _progress(linter, files, outputs, reporter):
            for findings in linter.lint_files(files):
                _hand(consumers, findings)
        if reporter is not None and stream is not None:
            reporter.finish(linter.result)
            stream.flush()


def _hand(consumers: list[FindingsConsumer], findings: FindingBatch) -> None:
    """One batch to every consumer: as it is to those that read batches
    (``takes_batches``), as the list of findings reporters always got to the others (a
    plugin's format), built once."""
    as_list: list[Finding] | None = None
    for consumer in consumers:
        if getattr(consumer, "takes_batches", False):
            consumer.add(findings)
            continue
        if as_list is None:
            as_list = list(findings)
        consumer.add(as_list)


def _progress(
    linter: Linter, files: list[Path], outputs: Outputs, reporter: Reporter | None
) -> AbstractContextManager:
    """The progress bar of a run (:class:`mailcheck.terminal.Progress`) when asked, for a
    human format, with stderr a terminal; else nothing."""
    if not (outputs.progress and reporter is not None and reporter.human):
        return nullcontext()
    if not is_terminal(sys.stderr):
        return nullcontext()
    progress = linter.progress
    return Progress(len(files), lambda: tuple(progress), linter.language)


def run_facts(linter: Linter) -> dict:
    """What a report may state about the run (``ReportSettings.extra``): the date the
    rules took as today, the profile, the config file, the plugins, MC203's periods."""
    config = linter.config
    facts: dict = {
        "today": config.today,
        "profile": config.profile,
        "config": str(config.source) if config.source else None,
        "plugins": [
            (info.distribution or info.name, info.version)
            for info in linter.pm.plugin_versions()
            if not info.error
        ],
    }
    for rule in linter.rules:
        if rule.code == "MC203":
            facts["retention_days"] = rule.settings.get("retention-days")
            facts["grace_days"] = rule.settings.get("grace-days")
    return facts


def _report_stream(report: ExitStack, outputs: Outputs) -> TextIO | GuardedStream | None:
    """Where the report is written. A file is a temporary one renamed over the target
    once complete (when ``report`` closes without an exception): an interrupted or
    failed run leaves the earlier report or none, never half of one."""
    if outputs.write_baseline or outputs.report is None:
        return None
    if isinstance(outputs.report, Path):
        return report.enter_context(
            atomic_output(outputs.report, t("the report"), errors="backslashreplace", streams=True)
        )
    name = t("standard output") if outputs.report is sys.stdout else t("the report stream")
    return GuardedStream(outputs.report, name, t("the report"))


def _close_rows(rows_writer: RowsOut, note: Callable[[str | Text], None]) -> None:
    """Write the row files; say how many, and which files of an earlier run went."""
    written = rows_writer.close()
    folder = rows_writer.directory
    note(t("wrote {count} row file(s) to {folder}", count=len(written), folder=folder))
    if rows_writer.removed:
        names = ", ".join(path.name for path in rows_writer.removed)
        note(
            t(
                "removed {count} row file(s) of an earlier run from {folder} (no row flagged "
                "now): {names}",
                count=len(rows_writer.removed),
                folder=folder,
                names=names,
            )
        )
