"""``mailcheck lint``: its options, how they are laid over the configuration file's
values (each rule selector checked and named after the option that gave it), and the run
from paths to exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from mailcheck import session
from mailcheck.cli.exits import EXIT_CLEAN, exit_code, fail, note, one_line_errors, warn
from mailcheck.cli.plugin_options import plugin_manager
from mailcheck.config import PROFILES, Config, load_config
from mailcheck.engine import Linter
from mailcheck.errors import UsageError
from mailcheck.findings import LintResult, Severity
from mailcheck.registry import RuleRegistry
from mailcheck.validation import validate_selection

SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    multiple=True,
    help="Rules to check (codes, prefixes, names, ALL); replaces the config's.",
)
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rules to turn off (codes, prefixes or names).")
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Turn rules off for files matching GLOB.",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="CODE=LEVEL",
    help="Override a rule's severity.",
)
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    help="Lowest severity that makes the exit code 1 [default: error].",
)
@click.option(
    "--output-format",
    "output_format",
    help="concise, full, json, json-lines, json-report, sarif, github, junit (or a plugin's).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to a file.",
)
@click.option("--statistics", is_flag=True, help="Show a count per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option(
    "--show-pii",
    is_flag=True,
    default=None,
    help="Show e-mail addresses in clear (masked by default).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr"], case_sensitive=False),
    default=None,
    help="Language of the report (default: the config's lang, else the locale).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Config file (mailcheck.toml or pyproject.toml).",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    help="Jurisdiction profile [default: eu-fr].",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date to judge retention against, for reproducible runs.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Hide findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record current findings as the baseline and exit 0.",
)
@click.option(
    "-p",
    "plugins",
    multiple=True,
    metavar="NAME",
    help="Load plugin module NAME, or disable one with no:NAME.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary when clean.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the config file and plugins used.")
@click.option(
    "--rows-out",
    "rows_out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write, per rule, a CSV of the contact rows it flagged (line, address, values) to DIR.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Paths to leave out; replaces the config's (the built-in excludes still apply).",
)
@click.option("--extend-exclude", multiple=True, metavar="GLOB", help="More paths to leave out.")
@click.option(
    "--default-excludes/--no-default-excludes",
    default=None,
    help="Leave out .git, .venv, node_modules... [default: on].",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Leave out what .gitignore files ignore in folder walks [default: on].",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply .gitignore to files named on the command line too (pre-commit).",
)
@one_line_errors
def lint(paths: tuple[Path, ...], **options) -> None:
    """Lint contact lists, templates, forms and messages under PATHS (default: .)."""
    targets = _existing(paths)
    pm = plugin_manager(options["plugins"])
    config = load_config(options["config_path"], targets[0])
    registry = RuleRegistry.from_plugins(pm)
    selection = _cli_selection(options, registry)
    if options["verbose"]:
        note(f"config: {config.source or 'defaults (no file found)'}")
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
    result = session.run(
        linter, targets, outputs, on_note=note, warn_stale_baseline=options["verbose"]
    )
    if outputs.write_baseline:
        sys.exit(EXIT_CLEAN)
    code = exit_code(result, config.fail_on, options["exit_zero"])
    pm.hook.mailcheck_sessionfinish(result=result, exit_code=code)
    if result.nothing_readable:
        fail(nothing_linted(result, targets))
    sys.exit(code)


def nothing_linted(result: LintResult, targets: list[Path], shown: int = 5) -> str:
    """Why a run linted nothing (exit 2): ``nothing linted: 2 files skipped: a.xyz (not a
    contact list, template, form or message), notes.txt (...); 3 other files ignored``."""
    said = []
    if result.files_unreadable:
        count = result.files_unreadable
        said.append(f"{count:,} file{'s' if count != 1 else ''} could not be read")
    if result.not_linted:
        count = len(result.not_linted)
        names = ", ".join(result.not_linted[:shown])
        more = f" and {count - shown:,} more" if count > shown else ""
        said.append(f"{count:,} file{'s' if count != 1 else ''} skipped: {names}{more}")
    if result.skipped:
        said.append(f"{result.skipped:,} path{'s' if result.skipped != 1 else ''} not checked")
    if result.ignored:
        count = result.ignored
        said.append(
            f"{count:,} other file{'s' if count != 1 else ''} ignored (not contact lists, "
            "templates, forms or messages)"
        )
    if result.gitignored:
        count = result.gitignored
        said.append(
            f"{count:,} path{'s' if count != 1 else ''} in .gitignore "
            "(--no-respect-gitignore lints them)"
        )
    where = ", ".join(str(target) for target in targets)
    return f"nothing linted under {where}: {'; '.join(said) or 'no file found'}"


def _existing(paths: tuple[Path, ...]) -> list[Path]:
    """The paths to lint (default: the current folder); a missing one is a usage error."""
    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or directory")
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
            raise UsageError(f"--per-file-ignores {item!r}: expected GLOB:CODES")
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
            raise UsageError(f"--severity {item!r}: expected CODE=LEVEL")
        registry.validate_selectors([code.strip()], "--severity")
        try:
            levels[code.strip()] = Severity.parse(level)
        except ValueError as error:
            raise UsageError(f"--severity {item!r}: {error}") from None
    return levels


def _replaced_keys(selection: CliSelection) -> frozenset[str]:
    """Config keys the command line replaces whole (so the file's values are not used)."""
    return frozenset({"select"} if selection.select else ())


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
    )
