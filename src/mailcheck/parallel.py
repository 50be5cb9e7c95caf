"""Templates, forms and messages linted in worker processes (``jobs``).

A folder of newsletters costs one HTML parse and one analysis per file, all in Python:
one core does them one after the other. Past :data:`AUTO_MIN_BYTES` of such files a run
hands them to a pool of worker processes, while the main process keeps everything whose
order or state matters:

* every file is *listed* in the main process, in walk order, and its outcome merged back
  in that order: the findings (then baseline, masking and sorting, as for a serial run),
  the warnings, the coverage, the counts, the documents the HTML report describes, the
  progress bar -- a parallel run's output is the serial run's;
* contact lists (their own pipeline streams chunks and keeps cross-list state), context
  files and files of a kind some enabled rule gathers across files without saying how to
  merge that (a rule with ``finish_session`` and no ``take_session_state``) stay in the
  main process; cross-file rules that can merge (MC327) get each file's share of state in
  order;
* workers start with the ``spawn`` method (the only one on Windows, and safe with the
  threads of pyarrow): a worker rebuilds the plugin manager from the plugins' module
  names, and the :class:`~mailcheck.engine.Linter` from a pickled copy of the config
  taken before the plugins configured it. A run whose plugins are not importable modules
  (a test's plugin object) stays serial;
* workers start as soon as the files for them are chosen, while the main process reads
  the templates for the pieces (layouts, includes) other templates use; each file is
  sent to a worker as its path, with how other templates use it;
* workers write nothing: their output is sent back, said by the main process. A worker
  that dies (killed, out of memory, a crash in a C library) costs a new pool; the file
  it was on is tried again alone, and if that kills a worker too it is reported as MC900,
  never passed over.

``jobs = 1`` (``--jobs 1``) turns it off; ``jobs = N`` uses up to N workers whenever at
least two files can go to them; ``"auto"`` (the default) uses the cores this process may
run on, and only for enough work to pay for the workers' start (see :data:`AUTO_MIN_BYTES`).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailcheck.documents import Document, Kind
from mailcheck.files import safe_resolve

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from mailcheck.config import Config
    from mailcheck.engine import Linter
    from mailcheck.findings import Coverage, Finding
    from mailcheck.i18n import Text
    from mailcheck.manager import MailcheckPluginManager
    from mailcheck.readers.templates.usage import Use

#: Kinds whose files may go to workers.
PARALLEL_KINDS = frozenset({Kind.TEMPLATE, Kind.FORM, Kind.MESSAGE})
#: ``jobs = "auto"`` starts workers only for at least this many bytes of templates, forms
#: and messages. Measured on the 2 shared cores of the development machine (``mailcheck
#: lint -j 1`` against ``-j 2`` on generated 100 KB newsletters, busy neighbours): two
#: spawned workers lost at 4 MB (4.7-6.3 s against 7.7-8.2 s) and at 10 MB (9.3-9.9 s
#: against 13.1-14.2 s), and won at 100 MB (94-110 s against 116-132 s). Each worker
#: imports mailcheck and the plugins again (about 1.5 s) before it lints anything.
AUTO_MIN_BYTES = 50_000_000
#: Files handed to the pool ahead of the one being merged: enough to keep every worker
#: busy while the main process merges, few enough that a huge folder's findings do not
#: pile up in memory before they are written.
AHEAD_PER_WORKER = 4


def spawn_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started with ``spawn``: the one way mailcheck
    starts workers. ``spawn`` is the only method on Windows, and safe with pyarrow's
    threads."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )


def worker_count(jobs: int | None) -> int:
    """The workers ``jobs`` asks for: ``None`` (auto) is the cores this process may use."""
    if jobs is not None:
        return max(1, jobs)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


def config_snapshot(config: Config) -> bytes | None:
    """The config pickled as the user gave it, before plugins configure it (a worker's
    plugins configure their own copy); ``None`` when it cannot be pickled."""
    clone = object.__new__(type(config))
    clone.__dict__.update(config.__dict__)
    clone.pluginmanager = None
    try:
        return pickle.dumps(clone)
    except Exception:  # noqa: BLE001 - a plugin's value in the config: stay serial
        return None


def plugin_modules(pm: MailcheckPluginManager) -> list[tuple[str, str, Any]] | None:
    """(name, module, how it was registered) of each registered plugin, in registration
    order, for a worker to register the same; ``None`` when one is not an importable
    module."""
    found = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        module = getattr(plugin, "__name__", None)
        if not isinstance(plugin, types.ModuleType) or sys.modules.get(module) is not plugin:
            return None
        info = pm.infos.get(name)
        found.append((name, module, info))
    return found


@dataclass
class WorkerSpec:
    """What a worker needs to lint files as the main process would."""

    config: bytes
    plugins: list[tuple[str, str, Any]]
    roots: list[Path]
    stdin_alias: tuple[str, str] | None
    warn_unreadable: bool
    #: ``MAILCHECK_*`` variables read while linting (the fingerprint key...); spawn
    #: passes the environment on, this is for a caller that changed ``os.environ``.
    environ: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """One file linted by a worker: what the main process replays, in order."""

    #: ("warn", text) / ("document", stub) / ("batch", findings before finalising).
    events: list[tuple[str, Any]] = field(default_factory=list)
    files_linted: int = 0
    files_unreadable: int = 0
    not_linted: list[str | Text] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    #: Rule code -> what the rule gathered for ``finish_session`` on this file.
    session: dict[str, Any] = field(default_factory=dict)


def _session_rules(rules: list) -> tuple[list, set[str]]:
    """The rules that merge cross-file state, and the kinds that must stay serial."""
    from mailcheck.rule import Rule

    mergeable, serial_kinds = [], set()
    for rule in rules:
        if type(rule).finish_session is Rule.finish_session:
            continue
        if hasattr(rule, "take_session_state") and hasattr(rule, "merge_session_state"):
            mergeable.append(rule)
        else:
            serial_kinds.update(str(kind) for kind in rule.kinds)
    return mergeable, serial_kinds


class Pool:
    """The files of one run that go to workers, and their outcomes merged in order."""

    def __init__(self, linter: Linter, chosen: dict[int, Path], workers: int) -> None:
        self.linter = linter
        self.chosen = chosen
        self.order = sorted(chosen)
        self.workers = workers
        self.spec = WorkerSpec(
            config=linter.worker_config,  # type: ignore[arg-type]
            plugins=plugin_modules(linter.pm) or [],
            roots=list(linter._roots),
            stdin_alias=linter.stdin_alias,
            warn_unreadable=linter.warn_unreadable,
            environ={k: v for k, v in os.environ.items() if k.startswith("MAILCHECK_")},
        )
        self.executor: ProcessPoolExecutor | None = None
        self.futures: dict[int, Future] = {}
        self.next = 0  # index in self.order of the next file to submit
        #: A worker could not build its linter: every file is linted here instead.
        self.unavailable = False

    # -- the pool ---------------------------------------------------------------------

    def _start(self) -> ProcessPoolExecutor:
        return spawn_pool(self.workers, _start_worker, (self.spec,))

    def start(self) -> None:
        """Start the workers now, before the main process has the files' template
        pieces (:meth:`Linter.lint_files`): a worker's start (an interpreter, mailcheck,
        the plugins, bs4: about half a second) then overlaps that work instead of
        following it. ``spawn`` starts a process only when a task waits, so each worker
        is handed one that returns at once."""
        if self.executor is None:
            self.executor = self._start()
            for _ in range(self.workers):
                self.executor.submit(_ready)

    def _submit(self, index: int) -> Future:
        assert self.executor is not None
        path = self.chosen[index]
        return self.executor.submit(_lint_one, path, self.linter.piece_use(path))

    def _fill(self) -> None:
        if self.executor is None:
            self.executor = self._start()
        ahead = self.workers * AHEAD_PER_WORKER
        while self.next < len(self.order) and len(self.futures) < ahead:
            index = self.order[self.next]
            self.futures[index] = self._submit(index)
            self.next += 1

    def close(self) -> None:
        """Stop the workers (at the end, or when the run is interrupted)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def takes(self, index: int) -> bool:
        return index in self.chosen

    def outcome(self, index: int) -> Outcome | None:
        """The outcome of file ``index`` (waiting for it); ``None`` when workers cannot
        run (the caller lints it). A broken pool is replaced, checked able to start,
        and the file tried alone in it (another file may have killed the worker); if
        that breaks too, the file is made MC900. The files that were pending are
        submitted again after it."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._fill()
            return self.futures.pop(index).result()
        except BrokenProcessPool:
            pass
        pending = sorted(i for i in self.futures if i != index)
        self.futures.clear()
        if not self._restart():
            return None
        assert self.executor is not None
        try:
            result = self._submit(index).result()
        except BrokenProcessPool:
            result = self._died(index)
            if not self._restart():
                self.unavailable = True
                return result
        assert self.executor is not None
        for waiting in pending:
            self.futures[waiting] = self._submit(waiting)
        return result

    def _restart(self) -> bool:
        """A new pool, if its workers start (a script run without the ``if __name__ ==
        "__main__":`` guard that ``spawn`` needs makes them fail): ``False`` else."""
        from concurrent.futures.process import BrokenProcessPool

        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()
        try:
            ready = self.executor.submit(_ready).result()
        except BrokenProcessPool:
            ready = False
        if not ready:
            self.close()
        return ready

    def _died(self, index: int) -> Outcome:
        from mailcheck.files import display_path
        from mailcheck.i18n import t

        linter = self.linter
        display = linter.shown(display_path(self.chosen[index]))
        finding = linter._unreadable(
            display, t("the worker process linting it stopped (jobs = 1 lints it in-process)")
        )
        return Outcome(events=[("batch", [finding])])

    # -- merging ----------------------------------------------------------------------

    def replay(self, index: int) -> Iterator[list[Finding]]:
        """File ``index`` as the serial run would have produced it: counts, coverage,
        warnings and documents said, batches yielded (not yet finalised)."""
        linter, result = self.linter, self.linter.result
        outcome = None if self.unavailable else self.outcome(index)
        if outcome is None:  # the workers could not start: lint it here
            self.unavailable = True
            self.close()
            yield from linter.lint_file(self.chosen[index])
            return
        result.files_linted += outcome.files_linted
        result.files_unreadable += outcome.files_unreadable
        result.not_linted.extend(outcome.not_linted)
        result.coverage.extend(outcome.coverage)
        if outcome.session:
            for rule in linter.rules:
                if rule.code in outcome.session:
                    rule.merge_session_state(outcome.session[rule.code])
        for kind, value in outcome.events:
            if kind == "warn":
                linter.warn(value)
            elif kind == "document":
                if linter.on_document is not None:
                    linter.on_document(value, None)
            else:
                yield value


def may_start_workers(linter: Linter) -> bool:
    """Whether the run may start worker processes: ``jobs`` asks for more than one,
    or is ``"auto"`` where the caller says its main module may be started again by
    ``spawn`` (``Linter.auto_jobs``: the CLI) and there is more than one core."""
    jobs = linter.config.jobs
    if jobs is None and not linter.auto_jobs:
        return False
    return worker_count(jobs) > 1


def plan(linter: Linter, files: list[Path]) -> Pool | None:
    """The pool for ``files``, or ``None`` to lint them all in this process. ``"auto"``
    applies where the caller says its main module may be started again by ``spawn``
    (``Linter.auto_jobs``: the CLI); the Python API runs in parallel when ``jobs`` is a
    number, from a script with the ``if __name__ == "__main__":`` guard."""
    if not may_start_workers(linter):
        return None
    jobs = linter.config.jobs
    workers = worker_count(jobs)
    if len(files) < 2 or linter.worker_config is None:
        return None
    if plugin_modules(linter.pm) is None:
        return None
    if jobs is None and _size(linter, files) < AUTO_MIN_BYTES:
        return None  # too little whatever the files are: none is read here to say so
    from mailcheck.files import require_regular_file

    _, serial_kinds = _session_rules(linter.rules)
    chosen: dict[int, Path] = {}
    size = 0
    for index, path in enumerate(files):
        if linter.is_context_only(path):
            continue
        try:
            require_regular_file(path)
            kind = linter.classify(path)
            if kind not in PARALLEL_KINDS or kind in serial_kinds:
                continue
            size += os.stat(path).st_size
        except Exception:  # noqa: BLE001 - unreadable, or a classifier bug: the serial path says
            continue
        chosen[index] = path
    if len(chosen) < 2 or (jobs is None and size < AUTO_MIN_BYTES):
        return None
    return Pool(linter, chosen, min(workers, len(chosen)))


def _size(linter: Linter, files: list[Path]) -> int:
    """The bytes of the files that are not context-only (those that cannot be read count
    for nothing)."""
    size = 0
    for path in files:
        if not linter.is_context_only(path):
            try:
                size += os.stat(path).st_size
            except OSError:
                continue
    return size


# -- the worker side ------------------------------------------------------------------

_linter: Linter | None = None
_events: list[tuple[str, Any]] = []
_mergeable: list = []


def _start_worker(spec: WorkerSpec) -> None:
    """Build the worker's linter once; silence its output (the main process speaks). A
    worker that cannot build it answers ``None`` for every file: the main process then
    lints them itself (nothing lost, nothing said twice)."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - the worker's whole life
    sys.stdout = sys.stderr = devnull
    # Any failure: the main process lints the files instead.
    with contextlib.suppress(Exception):
        _build_linter(spec)


def _build_linter(spec: WorkerSpec) -> None:
    global _linter, _mergeable
    os.environ.update(spec.environ)
    from mailcheck.engine import Linter
    from mailcheck.i18n import add_catalogs
    from mailcheck.manager import MailcheckPluginManager

    pm = MailcheckPluginManager()
    for name, module, info in spec.plugins:
        how = {}
        if info is not None:
            how = {"distribution": info.distribution, "version": info.version}
            how["builtin"] = info.builtin
        pm.register_plugin(importlib.import_module(module), name, **how)
    add_catalogs(folder for found in pm.hook.mailcheck_catalogs() for folder in found)
    config = pickle.loads(spec.config)
    linter = Linter(config, pm=pm, on_warning=_said, selectors_validated=True)
    linter._roots = spec.roots
    linter.stdin_alias = spec.stdin_alias
    linter.warn_unreadable = spec.warn_unreadable
    linter.on_document = _described
    _linter = linter
    _mergeable = _session_rules(linter.rules)[0]
    _warm()


def _warm() -> None:
    """Import the HTML parser and parse a line while the main process is still busy
    (:meth:`Pool.start`): the first file then costs what any other does."""
    from mailcheck.documents import parse_html

    parse_html("<p>mailcheck</p>")


def _said(message: str | Text) -> None:
    _events.append(("warn", message))


def _described(doc: Document, rows: int | None) -> None:
    """What a reporter's ``document`` reads of a template, form or message: a plain
    :class:`Document` (the parse tree stays in the worker)."""
    stub = Document(doc.path, doc.display_path, str(doc.kind), doc.provider)
    _events.append(("document", stub))


def _ready() -> bool:
    """Whether this worker built its linter."""
    return _linter is not None


def _lint_one(path: Path, use: Use | None = None) -> Outcome | None:
    """Lint ``path`` here; ``use``: how other templates of the run use it (the main
    process finds that out, from every template, while the workers start)."""
    linter = _linter
    if linter is None:
        return None
    linter._pieces_in_use = {} if use is None else {safe_resolve(path): use}
    _events.clear()
    result = linter.result
    before = (result.files_linted, result.files_unreadable)
    not_linted, coverage = len(result.not_linted), len(result.coverage)
    outcome = Outcome()
    for batch in linter.lint_file(path):
        _events.append(("batch", batch))
    outcome.events = list(_events)
    _events.clear()
    outcome.files_linted = result.files_linted - before[0]
    outcome.files_unreadable = result.files_unreadable - before[1]
    outcome.not_linted = result.not_linted[not_linted:]
    outcome.coverage = result.coverage[coverage:]
    del result.not_linted[not_linted:], result.coverage[coverage:]
    for rule in _mergeable:
        state = rule.take_session_state()
        if state:
            outcome.session[rule.code] = state
    return outcome
