"""The engine: paths in, findings out.

paths -> discover files (config excludes) -> classify (``mailcheck_classify``) -> read into
documents (``mailcheck_read_document``) -> run the enabled rules of each document's kind
-> severity overrides, per-file ignores, suppression comments, baseline -> findings, one
file at a time (so reporters can stream) -> cross-file rules (``finish_session``).

A file that cannot be read becomes an MC900 finding and a one-line warning; the other
files are still linted. A rule that crashes becomes an MC902 finding, not a traceback.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from mailcheck.baseline import Baseline
from mailcheck.batches import FindingBatch, Part, RowFindings, rows_in
from mailcheck.config import CONFIG_FILES, Config, path_matches
from mailcheck.context import LintContext, MergeTags
from mailcheck.coverage import document_coverage
from mailcheck.documents import ContactListDocument, Document, HtmlDocument, MessageDocument
from mailcheck.errors import ConfigError, InputError, UsageError, message_of
from mailcheck.files import (
    Skipped,
    display_path,
    os_reason,
    read_document,
    require_regular_file,
    safe_resolve,
    walk_files,
)
from mailcheck.findings import Coverage, Finding, LintResult, Severity  # LintResult: re-exported
from mailcheck.fingerprints import active_key, use_fingerprint_key
from mailcheck.gitignore import GitIgnore
from mailcheck.i18n import Text, add_catalogs, choose_language, t
from mailcheck.keywords import Keywords
from mailcheck.manager import MailcheckPluginManager, create_plugin_manager
from mailcheck.parallel import config_snapshot
from mailcheck.parallel import plan as parallel_plan
from mailcheck.pii import clip, mask_text, may_hold_address
from mailcheck.readers.classify import (
    MAILER_VIEW_SUFFIXES,
    TEMPLATE_SUFFIXES,
    describe,
    in_mailer_folder,
    is_mailer_view,
)
from mailcheck.readers.html import compose_document
from mailcheck.readers.spreadsheet.locations import file_of
from mailcheck.readers.templates.usage import Use, pieces_in_use
from mailcheck.readers.text import decode
from mailcheck.registry import RuleRegistry, most_specific, severity_for, specificity
from mailcheck.rule import Rule
from mailcheck.rules.tool import FileUnreadable, RuleCrashed, SuppressionProblem
from mailcheck.suppressions import Directive, element_spans, parse_directives
from mailcheck.validation import known_code, validate_against_registry

log = logging.getLogger("mailcheck")

#: Extensions of the inputs mailcheck reads, looked at when walking a folder (a file
#: given by name is always tried; ``[file-types]`` globs are looked at before these).
KNOWN_SUFFIXES = {
    *(".csv", ".tsv", ".zip", ".html", ".htm", ".eml", ".txt"),
    # gzip-compressed lists (list.csv.gz); a .gz holding anything else is said skipped
    ".gz",
    # spreadsheet exports
    *(".xlsx", ".xlsm", ".xls", ".ods"),
    # template-language sources of e-mails and signup forms (MJML, Handlebars, Twig...)
    *TEMPLATE_SUFFIXES,
}
#: Files a user could mean as an input though mailcheck does not read them: named when
#: skipped in a walk. Any other file met in a walk (code, images, documents) is only
#: counted ("N other files ignored").
#: (Not ``.json`` nor ``.xml``: mailcheck's own reports and baselines are such files.)
PLAUSIBLE_SUFFIXES = {
    *(".vcf", ".ldif", ".mbox", ".msg", ".oft", ".emltpl", ".mht", ".mhtml"),
    *(".xlsb", ".numbers", ".text", ".tab", ".psv", ".7z", ".rar", ".tar"),
}
#: Files of mailcheck's own or of version control, never counted as ignored inputs.
_OWN_FILES = {*CONFIG_FILES, ".gitignore"}
_EXCERPT_WIDTH = 160
#: Findings of one contact list held back before they are passed on to the reporters.
BATCH_FINDINGS = 20_000


class Linter:
    """One configured run. Build it once, then call :meth:`iter_findings` or :meth:`lint`."""

    def __init__(
        self,
        config: Config,
        pm: MailcheckPluginManager | None = None,
        baseline: Baseline | None = None,
        on_warning: Callable[[str | Text], None] | None = None,
        registry: RuleRegistry | None = None,
        *,
        selectors_validated: bool = False,
    ) -> None:
        """``selectors_validated``: the caller (the CLI) has checked the config's rule
        selectors already, each named after the option or file that gave it; the other
        keys are still checked here. ``on_warning`` receives each warning as a
        :class:`~mailcheck.i18n.Text` (``str()`` is its English, ``render(language)``
        any language) or a plain string (a plugin's)."""
        self.config = config
        self.pm = pm or create_plugin_manager()
        # The CLI passes the registry it already built from the same plugin manager.
        self.registry = registry or RuleRegistry.from_plugins(self.pm)
        self.baseline = baseline
        # The Python API's warnings go to logging, masked as the CLI's stderr is.
        self.warn = on_warning or (lambda message: log.warning(mask_text(str(message))))
        use_fingerprint_key(config, self.warn)
        validate_against_registry(
            config, self.registry, self.pm, selectors_validated=selectors_validated
        )
        #: The config as given, before the plugins configure it: what worker processes
        #: rebuild theirs from (``None``: it cannot be pickled, the run stays serial).
        self.worker_config = config_snapshot(config) if config.jobs != 1 else None
        #: Whether ``jobs = "auto"`` may start workers: ``spawn`` starts the main module
        #: again in each, which only a guarded one survives (the CLI sets it).
        self.auto_jobs = False
        config.pluginmanager = self.pm
        self.pm.hook.mailcheck_configure.call_historic(kwargs={"config": config})
        add_catalogs(folder for found in self.pm.hook.mailcheck_catalogs() for folder in found)
        #: The language of the report (``--lang``, ``lang``, the locale; English).
        self.language = choose_language(configured=config.lang)
        self.context = LintContext(
            config=config,
            pm=self.pm,
            keywords=Keywords([*self.pm.hook.mailcheck_keywords(), config.keywords]),
            merge_tags=MergeTags.from_plugins(self.pm, config.provider),
        )
        enabled = self.registry.enabled(config.select, config.extend_select, config.ignore)
        try:
            self.rules: list[Rule] = [rule(config.rules.get(rule.code, {})) for rule in enabled]
        except ConfigError as error:  # a rule refusing its options: name the file too
            where = str(config.source) if config.source else t("configuration")
            raise ConfigError(t("{where}: {error}", where=where, error=message_of(error))) from None
        self.enabled_codes = {rule.code for rule in self.rules}
        self.result = LintResult()
        #: The folders walked (absolute): a template's includes are looked for in its own.
        self._roots: list[Path] = []
        #: Template pieces (resolved) used by a linted template, and how.
        self._pieces_in_use: dict[Path, Use] = {}
        self._severity_plans: dict[str, tuple] = {}
        #: Called with each document once linted and, for a contact list, the number of
        #: its data rows (``None`` else): the HTML report describes each file with it.
        self.on_document: Callable[[Document, int | None], None] | None = None
        #: Files done, rows read, the file being read: what the progress bar shows.
        self.progress: list = [0, 0, ""]
        #: Context files read for the cross-list rules only (see :meth:`with_context`).
        self._context_only: set[Path] = set()
        #: ``mailcheck lint -``: (the temporary file's display path, the stdin filename).
        self.stdin_alias: tuple[str, str] | None = None
        #: Also warn (stderr) about a file that could not be read; the CLI turns it off
        #: when its human report on the terminal shows the MC900 finding already.
        self.warn_unreadable = True

    # -- discovery ----------------------------------------------------------------------

    def discover(self, paths: Iterable[Path]) -> list[Path]:
        """Files to lint under ``paths``, in walk order, excludes applied. Missing path:
        UsageError.

        A file named in ``paths`` is kept whatever it is (:meth:`lint_file` makes a FIFO or
        a device one MC900, and names a file of no kind it reads), unless the config's
        excludes cover it (or, with ``force-exclude``, ``.gitignore``). In folders (see
        :func:`~mailcheck.files.walk_files`): ``[file-types]`` first (a mapped file is
        linted whatever its extension, ``"skip"`` leaves it out), then the excludes (the
        built-in ones always, unless ``default-excludes = false``) and ``.gitignore``
        (unless ``respect-gitignore = false``), then the extension: an input's is linted,
        one a user could mean (``.json``, ``.vcf``...) is named as skipped, any other is
        counted in ``result.ignored``. Links to folders are followed, each folder once;
        what is left out -- a symlink loop, a link back to a parent or to a folder walked
        already, an unreadable folder, a FIFO, a device or a broken link named like an
        input -- is one warning line, and each one is counted in ``result.skipped`` (the
        summary does not claim everything was checked, and its count is that of the
        warnings).
        """
        files: list[Path] = []
        seen: dict[tuple[int, int], Path] = {}
        for path in paths:
            try:
                info = os.stat(path)
            except OSError as error:
                if os.path.lexists(path):  # a broken or looping link: MC900 says which
                    files.append(path)
                    continue
                raise UsageError(
                    t("{path}: {reason}", path=display_path(path), reason=os_reason(error))
                ) from None
            if not stat.S_ISDIR(info.st_mode):
                if self._named_file_wanted(path):
                    files.append(path)
                continue
            self._roots.append(Path(os.path.abspath(path)))
            walk = _Walk(self, GitIgnore(path) if self.config.respect_gitignore else None)
            for found in walk_files(path, walk.wanted, walk.excluded, seen):
                if isinstance(found, Skipped):
                    self.warn(_skipped(display_path(found.path), found.reason))
                    self.result.skipped += 1  # the summary counts what was warned about
                elif not self._vetoed(found):
                    files.append(found)
        return list(dict.fromkeys(files))

    def with_context(self, files: list[Path]) -> list[Path]:
        """``files`` and, before them, the config's ``context`` files they do not already
        hold (compared resolved): read whatever paths a run is given -- the pre-commit
        hook names one staged send list -- so the cross-list rules (MC201, MC202, MC212
        ...) see the suppression and audience lists. Excludes and ``.gitignore`` do not
        apply to them (real lists are often ignored by git). A context file that is not
        among the linted paths is read for the cross-list rules only: its own findings,
        coverage and HTML-report section are not reported, nor counted as a linted file;
        a context file that cannot be read is still reported (MC900), since the checks
        that needed it could not run."""
        given = {safe_resolve(path) for path in files}
        extra = [p for p in self.config.context_paths() if safe_resolve(p) not in given]
        self._context_only = {safe_resolve(p) for p in extra}
        return [*extra, *files]

    def is_context_only(self, path: Path) -> bool:
        """Whether ``path`` is a context file read for the cross-list rules only."""
        return bool(self._context_only) and safe_resolve(path) in self._context_only

    def _named_file_wanted(self, path: Path) -> bool:
        """A file named on the command line: linted unless the config excludes it (or,
        with ``force-exclude``, git ignores it) or a plugin vetoes it."""
        if self.config.is_excluded(path) or self._vetoed(path):
            return False
        if self.config.force_exclude and self.config.respect_gitignore:
            return not GitIgnore(path.parent, top_named=False).ignores(path, is_dir=False)
        return True

    def _wanted(self, candidate: Path) -> bool:
        """Whether a file met in a walk is an input (by its name: nothing is opened)."""
        return _Walk(self, None).wanted(candidate)

    def _vetoed(self, path: Path) -> bool:
        return bool(self.pm.hook.mailcheck_ignore_path(path=path, config=self.config))

    # -- templates of several files ------------------------------------------------------

    def _template_root(self, path: Path) -> Path:
        """The folder a template's layouts and includes must sit in: the deepest walked
        folder holding it; for a file named alone, the config's folder (or the working
        folder) when it holds it, else the file's own folder."""
        absolute = Path(os.path.abspath(path))
        holding = [root for root in self._roots if root in absolute.parents]
        if holding:
            return max(holding, key=lambda root: len(root.parts))
        base = Path(os.path.abspath(self.config.root))
        return base if base in absolute.parents else absolute.parent

    def _read(self, path: Path) -> str:
        return decode(read_document(path, self.config))[0]

    def _composed(self, doc: Document) -> Document:
        if not isinstance(doc, HtmlDocument):
            return doc
        return compose_document(doc, self._template_root(doc.path), self.config)

    def _judged_alone_too(self, path: Path, use: Use) -> bool:
        """A file another template of the run uses -- an included footer, a layout a
        child extends, even a whole ``<html>`` page -- is judged inside each e-mail that
        uses it, not alone: alone, a layout is a frame with empty blocks, and its "no
        unsubscribe" or "marketing" would be about no e-mail anyone sends. ``[file-types]``
        still lints it whole when asked."""
        return bool(self.config.glob_value(self.config.file_types, path))

    def piece_use(self, path: Path) -> Use | None:
        """How other templates of the run use ``path`` (``None``: it is an e-mail)."""
        if not self._pieces_in_use:
            return None
        return self._pieces_in_use.get(safe_resolve(path))

    def classify(self, path: Path) -> str | None:
        forced = self.config.glob_value(self.config.file_types, path)
        if forced:
            return forced
        return self.pm.hook.mailcheck_classify(path=path, config=self.config)

    def _not_linted(self, path: Path, display: str, kind: str | None) -> None:
        """Name a file left out (one warning line) and keep it for the run's end: a run
        that lints nothing says what it skipped and why."""
        if kind is None:
            reason = t("not a contact list, template, form or message")
        elif self.config.glob_value(self.config.file_types, path) == "skip":
            return  # the user's own [file-types] choice, as an exclude: not said again
        else:
            builtin = describe(path, self.config)
            reason = builtin.reason if builtin.kind == "skip" else t("a plugin left it out")
        self.warn(_skipped(display, reason))
        self.result.not_linted.append(t("{path} ({reason})", path=display, reason=reason))

    # -- the run ------------------------------------------------------------------------

    def iter_findings(self, paths: Iterable[Path]) -> Iterator[FindingBatch]:
        """Yield findings in batches (final: filtered, masked, sorted within the batch):
        one batch per template, form or message, one per chunk of a contact list, then
        the cross-file findings. A batch is a sequence of findings that keeps a rule's
        row findings as columns (:class:`~mailcheck.batches.FindingBatch`)."""
        return self.lint_files(self.with_context(self.discover(paths)))

    def lint_files(self, files: list[Path]) -> Iterator[FindingBatch]:
        """:meth:`iter_findings` for files already found by :meth:`discover`."""
        pool = parallel_plan(self, files)
        try:
            if pool is not None:
                pool.start()  # the workers start while the pieces are found
            self._pieces_in_use = pieces_in_use(
                (path for path in files if _template_source(path)),
                self._template_root,
                self._read,
                self.config.limits.max_document_size,
            )
            for index, path in enumerate(files):
                self.progress[2] = str(path)
                if self.is_context_only(path):
                    yield from self._lint_context_file(path)
                else:
                    linted = pool.replay(index) if pool and pool.takes(index) else None
                    for batch in linted or self.lint_file(path):
                        yield self._finalise(batch)
                self.progress[0] += 1
        finally:
            if pool is not None:
                pool.close()
        session: list[Part] = []
        for rule in self.rules:
            session.extend(self._guarded(rule, "the whole run", rule.finish_session, self.context))
        if self._context_only:  # cross-list findings located in a context-only file
            hidden = {display_path(p) for p in files if self.is_context_only(p)}
            session = [f for f in session if file_of(f.path) not in hidden]
        if session:
            session = [
                f
                for f in session
                if not self._per_file_ignored(f.path, self.registry.get(f.code) or RuleCrashed)
            ]
            session = self._apply_severities(session)
            yield self._finalise(session)
        if self.baseline is not None:
            self.result.stale_baseline = self.baseline.stale()

    def _lint_context_file(self, path: Path) -> Iterator[FindingBatch]:
        """Read a context-only file for the cross-list rules: only MC900 (it could not
        be read) is reported; the rest of what it yields, its coverage and its place in
        the HTML report are left out (see :meth:`with_context`)."""
        coverage, on_document = len(self.result.coverage), self.on_document
        self.on_document = None
        linted = self.result.files_linted
        try:
            for batch in self.lint_file(path):
                unreadable = [
                    f for f in batch if isinstance(f, Finding) and f.code == FileUnreadable.code
                ]
                if unreadable:
                    yield self._finalise(unreadable)
        finally:
            self.on_document = on_document
            del self.result.coverage[coverage:]
            self.result.files_linted = linted

    def lint(self, paths: Iterable[Path]) -> LintResult:
        """Lint ``paths`` and keep every finding in ``result.findings``."""
        for findings in self.iter_findings(paths):
            self.result.findings.extend(findings)
        return self.result

    def shown(self, display: str) -> str:
        """``display`` as reported: the temporary copy of standard input is named after
        its ``--stdin-filename`` (``stdin_alias``), a member of it too."""
        if self.stdin_alias is None or not display.startswith(self.stdin_alias[0]):
            return display
        return self.stdin_alias[1] + display[len(self.stdin_alias[0]) :]

    def lint_file(self, path: Path) -> Iterator[list[Part]]:
        display = self.shown(display_path(path))
        try:
            # Before anything reads it: a classifier (a plugin's too) sniffs the content,
            # and a FIFO would block it, /dev/zero never end.
            require_regular_file(path)
            kind = self.classify(path)
        except InputError as error:
            yield [self._unreadable(display, message_of(error))]
            return
        except Exception as error:  # noqa: BLE001 - a classifier bug must not stop the run
            yield [self._unreadable(display, reader_failure(error))]
            return
        if kind is None or kind == "skip":
            self._not_linted(path, display, kind)
            return
        use = self.piece_use(path) if kind == "template" else None
        if use is not None and not self._judged_alone_too(path, use):
            reason = t("a template piece used by {user}, judged as part of it", user=use.user)
            self.warn(_skipped(display, reason))
            self.result.not_linted.append(t("{path} ({reason})", path=display, reason=reason))
            return
        try:
            documents = self.pm.hook.mailcheck_read_document(
                path=path, kind=kind, config=self.config
            )
            if documents is None:
                raise InputError(t("no reader for {kind} files", kind=kind))
            if self.stdin_alias is not None:  # before composing: its notes name the file
                for document in documents:
                    document.display_path = self.shown(document.display_path)
            documents = [self._composed(document) for document in documents]
        except InputError as error:
            yield [self._unreadable(display, message_of(error))]
            return
        except Exception as error:  # noqa: BLE001 - a reader bug must not stop the run
            yield [self._unreadable(display, reader_failure(error))]
            return
        self.result.files_linted += 1
        warnings: dict[str, str | Text] = {}  # each once; a Text is not hashable: its English is
        for document in documents:
            for warning in document.warnings:
                warnings.setdefault(str(warning), warning)
        for warning in warnings.values():
            self.warn(t("{path}: {message}", path=display, message=warning))
        for document in documents:
            yield from self.lint_document(document)

    def lint_document(self, doc: Document) -> Iterator[list[Part]]:
        """Yield the document's findings: one batch, or one per chunk of a contact list."""
        rules = [
            rule
            for rule in self.rules
            if doc.kind in rule.kinds and not self._per_file_ignored(doc.display_path, rule)
        ]
        # Asked before the rows are read; recorded once the document is linted (a list
        # that turns out unreadable half-way is MC900, not "checked").
        coverage = document_coverage(
            doc,
            rules,
            (code for code, rule in self.registry.rules.items() if doc.kind in rule.kinds),
            self.context,
            mask=not self.config.show_pii,
            warn=self.warn,
        )
        if isinstance(doc, ContactListDocument):
            yield from self._lint_contacts(doc, rules, coverage)
            return
        raw: list[Finding] = []
        for rule in rules:
            raw.extend(self._guarded(rule, doc.display_path, rule.check, doc, self.context))
        composition = getattr(doc, "composition", None)
        if composition is not None and (composition.unresolved or composition.cut):
            _hedge_absence_findings(raw, composition.unresolved, cut=composition.cut)
        findings = self._apply_severities(raw)
        findings = self._apply_directives(doc, findings)
        if composition is not None:
            _locate_in_source(findings, composition)
        self._attach_excerpts(doc, findings)
        self.result.coverage.append(coverage)
        if self.on_document is not None:
            self.on_document(doc, None)
        yield findings

    def _lint_contacts(
        self, doc: ContactListDocument, rules: list[Rule], coverage: Coverage | None = None
    ) -> Iterator[list[Part]]:
        """Run the contact rules chunk by chunk. Findings are held back (and so come out
        sorted with the file-level ones) until :data:`BATCH_FINDINGS` pile up; past that
        they are passed on, so a huge list never holds all its findings at once."""
        where = doc.display_path
        pending: list[Part] = []
        pending_rows = rows = 0
        try:
            for chunk in doc.chunks():
                rows += len(chunk)
                self.progress[1] += len(chunk)
                for rule in rules:
                    found = self._guarded(rule, where, rule.check_chunk, chunk, doc, self.context)
                    pending += found
                    pending_rows += sum(map(rows_in, found))
                if pending_rows >= BATCH_FINDINGS:
                    yield self._apply_severities(pending)
                    pending, pending_rows = [], 0
            for rule in rules:
                pending += self._guarded(rule, where, rule.finish_file, doc, self.context)
            if coverage is not None:
                self.result.coverage.append(coverage)
            if self.on_document is not None:
                self.on_document(doc, rows)
            yield self._apply_severities(pending)
        except Exception as error:  # noqa: BLE001 - a reader may fail half-way: keep what was found
            self.result.files_linted -= 1
            reason = message_of(error) if isinstance(error, InputError) else reader_failure(error)
            yield [*self._apply_severities(pending), self._unreadable(where, reason)]

    # -- post-processing ----------------------------------------------------------------

    def _guarded(self, rule: Rule, where: str, method, *args) -> list[Part]:
        """What ``method`` yields (findings, and the :class:`RowFindings` a contact rule
        yields whole), as a list; a rule that fails is reported, not fatal."""
        try:
            return _parts(method(*args))
        except InputError:
            raise
        except Exception as error:  # noqa: BLE001 - one broken rule must not stop the run
            if RuleCrashed.code not in self.enabled_codes:
                return []
            message = t(
                "rule {code} ({name}) failed: {kind}: {error}",
                code=rule.code,
                name=rule.name,
                kind=type(error).__name__,
                error=str(error),
            )
            self.warn(t("{path}: {message}", path=where, message=message))
            return [RuleCrashed().finding(where, message)]

    def _unreadable(self, display: str, reason: str | Text) -> Finding:
        self.result.files_unreadable += 1
        message = t("cannot read: {reason}", reason=reason)
        if self.warn_unreadable:
            self.warn(t("{path}: {message}", path=display, message=message))
        finding = FileUnreadable().finding(display, message)
        finding.severity = severity_for(FileUnreadable, self.config.profile, self.config.severity)
        return finding

    def _per_file_ignored(self, display: str, rule: type[Rule] | Rule) -> bool:
        """Whether ``per-file-ignores`` turns ``rule`` off for the file shown as ``display``."""
        if not self.config.per_file_ignores:  # asked per rule and file: no path resolved
            return False
        on_disk = Path(file_of(display))  # the ZIP of a member, the workbook of a sheet
        names = {display, self.config.relative(on_disk)}
        return any(
            any(path_matches(name, pattern) for name in names)
            and any(specificity(selector, rule) >= 0 for selector in selectors)
            for pattern, selectors in self.config.per_file_ignores.items()
        )

    def _apply_severities(self, findings: list[Part]) -> list[Part]:
        """A user override replaces every severity of that rule; else the profile default
        applies to findings that kept the rule's base severity."""
        for finding in findings:
            plan = self._severity_plans.get(finding.code)
            if plan is None:
                plan = self._severity_plans[finding.code] = self._severity_plan(finding.code)
            base, override, profile_default = plan
            if isinstance(finding, RowFindings):
                if override is not None:
                    finding.set_severity(None, override)
                elif base is not None and profile_default != base:
                    finding.set_severity(base, profile_default)
            elif override is not None:
                finding.severity = override
            elif finding.severity == base:
                finding.severity = profile_default
        return findings

    def _severity_plan(self, code: str) -> tuple[Severity | None, Severity | None, Severity | None]:
        """(rule's base severity, user override, profile default) -- once per code."""
        rule = self.registry.get(code)
        if rule is None:
            return None, None, None
        override = most_specific(self.config.severity, rule)
        if not isinstance(override, Severity):
            override = None
        return rule.severity, override, rule.default_severity(self.config.profile)

    def _apply_directives(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        directives = self._directives(doc)
        if not directives:
            return findings
        kept = [f for f in findings if not _silenced(f, directives)]
        if SuppressionProblem.code not in self.enabled_codes:
            return kept
        rule, problems = SuppressionProblem(), []
        for directive in directives:
            problem = directive.problem
            unknown = [c for c in directive.codes if not known_code(self.registry, c)]
            if problem is None and unknown:
                problem = t(
                    "unknown rule code {codes} in suppression comment", codes=", ".join(unknown)
                )
            unused = [c for c in directive.codes if c not in directive.used]
            if problem is None and directive.action != "enable" and unused:
                problem = t("suppression of {codes} silenced nothing", codes=", ".join(unused))
            if problem:
                problems.append(
                    rule.finding(doc, problem, line=directive.line, column=directive.column)
                )
        return kept + self._apply_severities(problems)

    def _directives(self, doc: Document) -> list[Directive]:
        if isinstance(doc, HtmlDocument):
            bodies = doc.bodies
        elif isinstance(doc, MessageDocument):
            bodies = [b for b in doc.bodies if b.is_html]
        else:
            return []
        directives: list[Directive] = []
        for body in bodies:
            if "mailcheck" not in body.text or body.soup is None:  # plain text: no comments
                continue
            parsed = parse_directives(body.text, element_spans(body.soup))
            for directive in parsed:  # positions are relative to the part
                directive.line += body.line_offset
                directive.start = (directive.start[0] + body.line_offset, directive.start[1])
                directive.end = (directive.end[0] + body.line_offset, directive.end[1])
            directives.extend(parsed)
        return directives

    def _attach_excerpts(self, doc: Document, findings: list[Finding]) -> None:
        if not findings:  # most templates: no line of the file is split out for nothing
            return
        text = getattr(doc, "text", None)
        composition = getattr(doc, "composition", None)
        if composition is not None:  # excerpts quote the linted file, not the composed text
            text = composition.source_text
        if text is None and isinstance(doc, MessageDocument):
            text = doc.source_text
        if not text:
            return
        lines = text.splitlines()
        for finding in findings:
            if finding.excerpt is None and 0 < finding.line <= len(lines):
                line = lines[finding.line - 1]
                finding.excerpt = clip(line.strip(), _EXCERPT_WIDTH)
                # Where the excerpt starts in its line: the HTML report marks the column.
                finding.data = {**finding.data, "excerpt_offset": len(line) - len(line.lstrip())}

    def _finalise(self, findings: list[Part]) -> FindingBatch:
        """Baseline, then masking: a baseline entry is matched on the finding's unmasked
        content (its key and hash do not change when it is masked), and per-file ignores
        were applied on the real path before. Every printed text of a finding is masked
        here, its path (a file or ZIP member named after an address) included. The batch
        sorts itself (path, line, column, code) when first read."""
        if self.baseline is not None:
            self.baseline.check_key(active_key(), self.warn)
            findings = self.baseline.filter(findings)
        if not self.config.show_pii:
            # Spelled out per attribute: most texts hold no address at all.
            for finding in findings:
                if isinstance(finding, RowFindings):
                    finding.mask = mask_text  # applied to each message when it is built
                    if may_hold_address(finding.path):
                        finding.path = mask_text(finding.path)
                    if finding.fix and may_hold_address(finding.fix):
                        finding.fix = mask_text(finding.fix)
                    continue
                finding.mask_message(mask_text)
                if may_hold_address(finding.path):
                    finding.path = mask_text(finding.path)
                if finding.excerpt and may_hold_address(finding.excerpt):
                    finding.excerpt = mask_text(finding.excerpt)
                if finding.fix and may_hold_address(finding.fix):
                    finding.fix = mask_text(finding.fix)
                if finding.part and may_hold_address(finding.part):
                    finding.part = mask_text(finding.part)
        batch = FindingBatch(findings)
        self.result.counts.update(batch.severity_counts())
        return batch


class _Walk:
    """What one folder walk keeps: [file-types], excludes, ``.gitignore``, extension
    (see :meth:`Linter.discover`); counts what it leaves out in the run's result."""

    def __init__(self, linter: Linter, gitignore: GitIgnore | None) -> None:
        self.config, self.result, self.gitignore = linter.config, linter.result, gitignore

    def wanted(self, candidate: Path) -> bool:
        if self.config.is_excluded(candidate):
            return False
        forced = self.config.glob_value(self.config.file_types, candidate)
        suffix = candidate.suffix.lower()
        if forced is not None:
            wanted = forced != "skip"
        elif candidate.name.lower().endswith(MAILER_VIEW_SUFFIXES):
            wanted = in_mailer_folder(candidate)
        else:
            wanted = suffix in KNOWN_SUFFIXES or suffix in PLAUSIBLE_SUFFIXES
        if not wanted:
            if (
                forced is None
                and not candidate.name.startswith(".")
                and candidate.name not in _OWN_FILES
            ):
                self.result.ignored += 1
            return False
        if self.gitignore is not None and self.gitignore.ignores(candidate, is_dir=False):
            self.result.gitignored += 1  # an input git ignores (exports often are)
            return False
        return True

    def excluded(self, folder: Path) -> bool:
        if self.config.is_excluded(folder):
            return True
        if self.gitignore is not None and self.gitignore.ignores(folder, is_dir=True):
            self.result.gitignored += 1
            return True
        return False


# -- helpers ---------------------------------------------------------------------------


def _parts(found: Iterable[Part | Iterable[Finding]] | None) -> list[Part]:
    """What a rule's method yields, as findings and :class:`RowFindings`: a list of
    findings yielded whole (a rule with its own ``finding`` method) is flattened."""
    parts: list[Part] = []
    for item in found or ():
        if isinstance(item, Finding | RowFindings):
            parts.append(item)
        else:
            parts.extend(item)
    return parts


def reader_failure(error: Exception) -> Text:
    """MC900's reason when a reader raised something else than InputError: a bug, said
    as such, on one line (the other files are still linted)."""
    return t(
        "reader failed ({kind}: {error}); please report this mailcheck bug",
        kind=type(error).__name__,
        error=str(error),
    )


def _skipped(display: str, reason: str | Text) -> Text:
    """The warning naming a file or folder left out."""
    return t("{path}: skipped: {reason}", path=display, reason=reason)


def _silenced(finding: Finding, directives: list[Directive]) -> bool:
    for directive in directives:
        code = directive.covers(finding)
        if code is not None:
            directive.used.add(code)
            return True
    return False


def _template_source(path: Path) -> bool:
    """Whether a file may be a template that uses other files (named, not opened)."""
    suffix = path.suffix.lower()
    return suffix in TEMPLATE_SUFFIXES or suffix in (".html", ".htm") or is_mailer_view(path)


#: Findings that say something is missing from the whole e-mail (opt-out, sender,
#: postal address, rights notice): with a piece of the composition unread, the missing
#: thing may sit there -- the footer holds them all.
_ABSENCE_CODES = frozenset({"MC101", "MC108", "MC109", "MC111"})


def _hedge_absence_findings(
    findings: list[Finding], unresolved: list[str], *, cut: bool = False
) -> None:
    """An e-mail composed without some of its files is not said to lack an opt-out as
    an error: it becomes a warning that names the files it could not read (or says the
    composition was cut at its bound, ``cut``)."""
    names = ", ".join(repr(name) for name in dict.fromkeys(unresolved))
    for finding in findings:
        if finding.code in _ABSENCE_CODES and finding.severity == Severity.ERROR:
            finding.severity = Severity.WARNING
            if cut:
                hedged = t(
                    "{message} (not certain: the composed e-mail was cut where it reached its "
                    "bound, and the missing part may be in the included files left out)",
                    message=finding.text or finding.message,
                )
                finding.data["composition_cut"] = True
            else:
                hedged = t(
                    "{message} (not certain: {names} could not be read, and the missing "
                    "part may be there)",
                    message=finding.text or finding.message,
                    names=names,
                )
            finding.text = hedged
            finding.message = str(hedged)
            finding.data["unresolved_includes"] = list(dict.fromkeys(unresolved))


def _locate_in_source(findings: list[Finding], composition) -> None:
    """Put findings on the composed text back on the linted file: their own content on
    its line and column, included content on the tag that brought it in."""
    for finding in findings:
        place = composition.locate(finding.line, finding.column)
        if place.included is not None:
            located = t(
                "{message} (in {file}, included here)",
                message=finding.text or finding.message,
                file=place.included,
            )
            finding.text = located
            finding.message = str(located)
            finding.data["included_from"] = place.included
            finding.end_line = finding.end_column = None
        elif finding.end_line is not None:
            end = composition.locate(finding.end_line, finding.end_column or 1)
            finding.end_line, finding.end_column = (
                (end.line, end.column) if end.included is None else (None, None)
            )
        finding.line, finding.column = place.line, place.column
