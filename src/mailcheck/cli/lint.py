"""``mailcheck lint``: its options, how they are laid over the configuration file's
values (each rule selector checked and named after the option that gave it), and the run
from paths to exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

import click

from mailcheck import session, stdin
from mailcheck.cli.exits import EXIT_CLEAN, exit_code, fail, note, one_line_errors, warn
from mailcheck.cli.language import TranslatedCommand, TranslatedOption, use
from mailcheck.cli.plugin_options import plugin_manager
from mailcheck.config import PROFILES, Config, load_config
from mailcheck.engine import Linter
from mailcheck.errors import UsageError
from mailcheck.files import printable_name
from mailcheck.findings import LintResult, Severity
from mailcheck.i18n import Text, choose_language, render, t
from mailcheck.i18n_extract import N_
from mailcheck.registry import RuleRegistry
from mailcheck.validation import validate_selection

SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)
#: ``@option``: a click option whose help is a message id, shown in the run's language.
option = partial(click.option, cls=TranslatedOption)
_LINT_HELP = N_("Lint contact lists, templates, forms and messages under PATHS (default: .).")


@click.command("lint", cls=TranslatedCommand, help=_LINT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@option(
    "--select",
    multiple=True,
    help=N_("Rules to check (codes, prefixes, names, ALL); replaces the config's."),
)
@option("--extend-select", multiple=True, help=N_("Rules to add to the selection."))
@option("--ignore", multiple=True, help=N_("Rules to turn off (codes, prefixes or names)."))
@option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help=N_("Turn rules off for files matching GLOB."),
)
@option(
    "--severity",
    "severities",
    multiple=True,
    metavar="CODE=LEVEL",
    help=N_("Override a rule's severity."),
)
@option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    help=N_("Lowest severity that makes the exit code 1 [default: error]."),
)
@option(
    "--output-format",
    "output_format",
    help=N_(
        "concise, full, json, json-lines, json-report, sarif, github, gitlab, junit, html "
        "(or a plugin's)."
    ),
)
@option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write the report to a file."),
)
@option("--statistics", is_flag=True, help=N_("Show a count per rule instead of each finding."))
@option("--exit-zero", is_flag=True, help=N_("Exit 0 even when findings are reported."))
@option(
    "--show-pii",
    is_flag=True,
    default=None,
    help=N_("Show e-mail addresses in clear (masked by default)."),
)
@option(
    "--lang",
    type=click.Choice(["en", "fr"], case_sensitive=False),
    default=None,
    help=N_("Language of the report (default: the config's lang, else the locale)."),
)
@option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help=N_("Config file (mailcheck.toml or pyproject.toml)."),
)
@option(
    "--profile",
    type=click.Choice(PROFILES),
    help=N_("Jurisdiction profile [default: eu-fr]."),
)
@option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help=N_("Date to judge retention against, for reproducible runs."),
)
@option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help=N_("Hide findings recorded in this baseline file."),
)
@option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Record current findings as the baseline and exit 0."),
)
@option(
    "-p",
    "plugins",
    multiple=True,
    metavar="NAME",
    help=N_("Load plugin module NAME, or disable one with no:NAME."),
)
@option("-q", "--quiet", is_flag=True, help=N_("Print findings only, no summary when clean."))
@option("-v", "--verbose", is_flag=True, help=N_("Also print the config file and plugins used."))
@option(
    "--rows-out",
    "rows_out",
    type=click.Path(path_type=Path, file_okay=False),
    help=N_(
        "Write, per rule, a CSV of the contact rows it flagged (line, address, values) to DIR."
    ),
)
@option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help=N_("Paths to leave out; replaces the config's (the built-in excludes still apply)."),
)
@option("--extend-exclude", multiple=True, metavar="GLOB", help=N_("More paths to leave out."))
@option(
    "--default-excludes/--no-default-excludes",
    default=None,
    help=N_("Leave out .git, .venv, node_modules... [default: on]."),
)
@option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help=N_("Leave out what .gitignore files ignore in folder walks [default: on]."),
)
@option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help=N_("Apply .gitignore to files named on the command line too (pre-commit)."),
)
@option(
    "-j",
    "--jobs",
    "jobs",
    metavar="N|auto",
    help=N_(
        "Worker processes for templates, forms and messages: auto (the cores, when there "
        "is enough to lint) or N; 1 lints in this process [default: auto]."
    ),
)
@option(
    "--stdin-filename",
    "stdin_filename",
    metavar="NAME",
    help=N_("With PATH -: the name standard input is linted as (its kind, config globs)."),
)
@one_line_errors
def lint(paths: tuple[Path, ...], **options) -> None:
    """Lint contact lists, templates, forms and messages under PATHS (default: .)."""
    from_stdin = stdin.stdin_name(paths, options["stdin_filename"])  # ``lint -``
    targets = _existing(paths) if from_stdin is None else [from_stdin]
    pm = plugin_manager(options["plugins"])
    config = load_config(options["config_path"], targets[0])
    if from_stdin is not None:  # a temporary copy, removed when the command ends
        on_close = click.get_current_context().call_on_close
        targets = [stdin.copy_stdin(sys.stdin.buffer, from_stdin, config, on_close)]
    use(choose_language(options["lang"], config.lang))
    registry = RuleRegistry.from_plugins(pm)
    selection = _cli_selection(options, registry)
    if options["verbose"]:
        note(t("config: {source}", source=config.source or t("defaults (no file found)")))
        note(t("plugins: {plugins}", plugins=_plugins_line(pm)))
    # Each selector is checked once, named after where it comes from: the command line's
    # above, the config file's here (those --select replaces are not used).
    validate_selection(config, registry, replaced=_replaced_keys(selection))
    _apply_cli(config, options, selection)
    outputs = _outputs(config, options)
    linter = Linter(
        config,
        pm=pm,
        baseline=session.baseline_to_filter(config, outputs),
        on_warning=warn,
        registry=registry,
        selectors_validated=True,
    )
    linter.auto_jobs = True  # the command's main module is guarded: workers may start
    if from_stdin is not None:
        linter.stdin_alias = stdin.stdin_alias(targets[0], from_stdin)
    # A human report on the terminal shows each MC900 finding: not a warning line too.
    linter.warn_unreadable = not _human_on_terminal(pm, outputs)
    result = session.run(
        linter, targets, outputs, on_note=note, warn_stale_baseline=options["verbose"]
    )
    if outputs.write_baseline:
        sys.exit(EXIT_CLEAN)
    code = exit_code(result, config.fail_on, options["exit_zero"])
    pm.hook.mailcheck_sessionfinish(result=result, exit_code=code)
    if result.nothing_readable:
        fail(nothing_linted(result, targets, from_stdin=from_stdin))
    sys.exit(code)


def nothing_linted(
    result: LintResult, targets: list[Path], shown: int = 5, from_stdin: Path | None = None
) -> Text:
    """Why a run linted nothing (exit 2): ``nothing linted: 2 files skipped: a.xyz (not a
    contact list, template, form or message), notes.txt (...); 3 other files ignored``.
    ``from_stdin``: the name standard input was read as (``targets`` then holds its
    temporary copy, whose path means nothing to the user: the message names ``-``)."""
    said: list[Text] = []
    if result.files_unreadable:
        count = result.files_unreadable
        said.append(
            t("{count} file could not be read", count=count)
            if count == 1
            else t("{count} files could not be read", count=count)
        )
    if result.not_linted:
        count = len(result.not_linted)
        names = Listing(result.not_linted[:shown])
        if count > shown:
            names = t("{names} and {count} more", names=names, count=count - shown)
        said.append(
            t("{count} file skipped: {names}", count=count, names=names)
            if count == 1
            else t("{count} files skipped: {names}", count=count, names=names)
        )
    if result.skipped:
        count = result.skipped
        said.append(
            t("{count} path not checked", count=count)
            if count == 1
            else t("{count} paths not checked", count=count)
        )
    if result.ignored:
        count = result.ignored
        said.append(
            t(
                "{count} other file ignored (not contact lists, templates, forms or messages)",
                count=count,
            )
            if count == 1
            else t(
                "{count} other files ignored (not contact lists, templates, forms or messages)",
                count=count,
            )
        )
    if result.gitignored:
        count = result.gitignored
        said.append(
            t("{count} path in .gitignore (--no-respect-gitignore lints them)", count=count)
            if count == 1
            else t("{count} paths in .gitignore (--no-respect-gitignore lints them)", count=count)
        )
    reasons = Listing(said, "; ") if said else t("no file found")
    where: str | Text = ", ".join(str(target) for target in targets)
    if from_stdin is not None:
        where = stdin.label(printable_name(from_stdin.as_posix()))
    return t("nothing linted under {paths}: {reasons}", paths=where, reasons=reasons)


class Listing(Text):
    """Texts (or strings) joined by ``separator``, each written in the language asked."""

    __slots__ = ()

    def __init__(self, items: list, separator: str = ", ") -> None:
        super().__init__("", {"items": tuple(items), "separator": separator})

    def render(self, language: str) -> str:
        separator = self.params["separator"]
        return separator.join(render(item, language) for item in self.params["items"])


def _existing(paths: tuple[Path, ...]) -> list[Path]:
    """The paths to lint (default: the current folder); a missing one is a usage error."""
    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not os.path.lexists(p)]
    if missing:
        raise UsageError(t("{path}: no such file or directory", path=missing[0]))
    return targets


@dataclass
class CliSelection:
    """The rule selection given on the command line, split at commas and checked: an
    unknown code is named after the option that gave it."""

    select: list[str]
    extend_select: list[str]
    ignore: list[str]
    per_file_ignores: dict[str, list[str]]
    severity: dict[str, Severity]


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _cli_selection(options: dict, registry: RuleRegistry) -> CliSelection:
    select, extend_select, ignore = (
        _split(options[key]) for key in ("select", "extend_select", "ignore")
    )
    registry.validate_selectors(select, "--select")
    registry.validate_selectors(extend_select, "--extend-select")
    registry.validate_selectors(ignore, "--ignore")
    return CliSelection(
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        per_file_ignores=_cli_per_file_ignores(options["per_file_ignores"], registry),
        severity=_cli_severities(options["severities"], registry),
    )


def _cli_per_file_ignores(items: tuple[str, ...], registry: RuleRegistry) -> dict[str, list[str]]:
    """``--per-file-ignores GLOB:CODES`` options, by glob."""
    by_glob: dict[str, list[str]] = {}
    for item in items:
        glob, sep, codes = item.rpartition(":")
        if not sep or not glob:
            raise UsageError(t("--per-file-ignores {value}: expected GLOB:CODES", value=repr(item)))
        selectors = _split((codes,))
        registry.validate_selectors(selectors, f"--per-file-ignores {glob!r}")
        by_glob[glob] = selectors
    return by_glob


def _cli_severities(items: tuple[str, ...], registry: RuleRegistry) -> dict[str, Severity]:
    """``--severity CODE=LEVEL`` options, by code."""
    levels: dict[str, Severity] = {}
    for item in items:
        code, sep, level = item.partition("=")
        if not sep:
            raise UsageError(t("--severity {value}: expected CODE=LEVEL", value=repr(item)))
        registry.validate_selectors([code.strip()], "--severity")
        try:
            levels[code.strip()] = Severity.parse(level)
        except ValueError as error:
            raise UsageError(
                t("--severity {value}: {error}", value=repr(item), error=str(error))
            ) from None
    return levels


def _replaced_keys(selection: CliSelection) -> frozenset[str]:
    """Config keys the command line replaces whole (so the file's values are not used)."""
    return frozenset({"select"} if selection.select else ())


def _cli_jobs(value: str) -> int | None:
    """``--jobs auto`` or ``--jobs N`` (N >= 1), read as the config's ``jobs``."""
    from mailcheck.config_values import jobs_value

    try:
        return jobs_value(int(value) if value.strip().isdigit() else value)
    except TypeError:
        raise UsageError(
            t("--jobs {value}: expected auto or a positive whole number", value=repr(value))
        ) from None


def _apply_cli(config: Config, options: dict, selection: CliSelection) -> None:
    """Lay the command-line options of ``lint`` over the configuration file's values."""
    if selection.select:
        config.select = selection.select
    config.extend_select += selection.extend_select
    config.ignore += selection.ignore
    config.per_file_ignores.update(selection.per_file_ignores)
    config.severity.update(selection.severity)
    if options["fail_on"]:
        config.fail_on = Severity.parse(options["fail_on"])
    if options["output_format"]:
        config.output_format = options["output_format"]
    if options["show_pii"] is not None:
        config.show_pii = options["show_pii"]
    if options["lang"]:
        config.lang = options["lang"]
    if options["profile"]:
        config.profile = options["profile"]
    if options["today"]:
        config.today = options["today"].date()
    if options["baseline_path"]:
        config.baseline = str(options["baseline_path"])
    if options["exclude"]:
        config.exclude = list(options["exclude"])
    config.extend_exclude += options["extend_exclude"]
    for key in ("default_excludes", "respect_gitignore", "force_exclude"):
        if options[key] is not None:
            setattr(config, key, options[key])
    if options["jobs"] is not None:
        config.jobs = _cli_jobs(options["jobs"])


def _plugins_line(pm) -> str | Text:
    """``mailcheck-mailchimp 0.1.0, ...`` for ``-v``: the plugins this run loaded."""
    plugins = sorted(
        f"{info.distribution or info.name} {info.version or '?'}" for info in pm.plugin_versions()
    )
    return ", ".join(plugins) if plugins else t("none")


def _human_on_terminal(pm, outputs: session.Outputs) -> bool:
    """Whether the report is a human one (concise, full) written to standard output."""
    if outputs.report is not sys.stdout or outputs.report_format in (None, "statistics"):
        return False
    return session.reporter_class(pm, outputs.report_format).human


def _outputs(config: Config, options: dict) -> session.Outputs:
    """What ``lint`` writes: the report (standard output by default), or with
    ``--write-baseline`` the baseline alone; the row files of ``--rows-out``."""
    write_baseline = options["write_baseline"]
    output_file = options["output_file"]
    report: Path | TextIO | None = output_file if output_file is not None else sys.stdout
    return session.Outputs(
        report=None if write_baseline else report,
        report_format="statistics" if options["statistics"] else config.output_format,
        quiet=options["quiet"],
        write_baseline=write_baseline,
        rows_out=options["rows_out"],
        progress=True,
    )
