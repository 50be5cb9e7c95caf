"""The ``mailcheck`` command line (click).

Exit codes, stable: 0 nothing at or above ``--fail-on``; 1 findings at or above it;
2 usage, config or strict-plugin error, no input could be read, or an output could not
be written; 130 interrupted (Ctrl-C, SIGTERM); 141 the report's reader went away. Every
error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TextIO

import click

from mailcheck import __version__, session
from mailcheck.config import PROFILES, Config, load_config
from mailcheck.engine import Linter, validate_selection
from mailcheck.errors import MailcheckError, UsageError
from mailcheck.findings import LintResult, Severity
from mailcheck.manager import (
    MailcheckPluginManager,
    create_plugin_manager,
    failure_line,
    load_named_plugin,
)
from mailcheck.outputs import OutputError, silence, write_failure
from mailcheck.pii import mask_text
from mailcheck.registry import RuleRegistry
from mailcheck.terminal import json_safe, never_fails, printable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: 128 + SIGPIPE: the output was closed before the report ended.
EXIT_BROKEN_PIPE = 141
#: 128 + SIGINT: the run was interrupted (Ctrl-C, SIGTERM); no file it writes is left half
#: written, and none claims to be complete.
EXIT_INTERRUPTED = 130
#: Errors that only a write gives: a full disk or quota, a file too large.
_WRITE_ONLY_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)
)
SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


def _stderr_line(message: str) -> str:
    """A message as stderr shows it: addresses masked (stderr ends up in CI logs, so
    even ``--show-pii`` does not reveal them there), controls escaped, on one line."""
    return printable(mask_text(message))


def _warn(message: str) -> None:
    click.echo(f"mailcheck: warning: {_stderr_line(message)}", err=True)


def _fail(message: str) -> None:
    click.echo(f"mailcheck: error: {_stderr_line(message)}", err=True)
    sys.exit(EXIT_ERROR)


def one_line_errors(command: Callable) -> Callable:
    """Turn mailcheck errors into one line + exit 2, an interruption (Ctrl-C, SIGTERM)
    into one line + exit 130; log anything else (pre-commit style)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with _termination_interrupts():
                return _write_errors_named(command, args, kwargs)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: every file being written was discarded on the way here.
            click.echo("mailcheck: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except MailcheckError as error:
            _fail(str(error))
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            # The reader of the report went away (``| head``): stop quietly, as a Unix
            # tool killed by SIGPIPE does; stdout goes to devnull so that flushing it at
            # exit does not fail again (the recipe of Python's signal docs).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            # The log is meant to be attached to a bug report: its addresses are masked
            # (an exception's text may quote a cell or a file name), and it is written
            # whatever the encoding of this system (mode 0600, as mkstemp makes it).
            details = mask_text(traceback.format_exc())
            try:
                with tempfile.NamedTemporaryFile(
                    "w",
                    prefix="mailcheck-crash-",
                    suffix=".md",
                    delete=False,
                    encoding="utf-8",
                    errors="backslashreplace",
                ) as log:
                    log.write(f"# mailcheck {__version__} crash\n\n```\n{details}```\n")
                where = f"details: {log.name}"
            except OSError as log_error:
                where = f"no crash log: {log_error.strerror or log_error}"
            _fail(f"internal error: {type(error).__name__}: {error} ({where})")

    return wrapper


@contextmanager
def _termination_interrupts() -> Iterator[None]:
    """Make SIGTERM (and SIGHUP, a closed terminal) stop the run as Ctrl-C does, with a
    ``KeyboardInterrupt`` that removes the temporary files on its way up; a signal the
    caller chose to ignore (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_errors_named(command: Callable, args: tuple, kwargs: dict):
    """Run ``command``; a full disk met outside mailcheck's own files (standard output
    written by click, a temporary file) is one line too, never an internal error."""
    try:
        return command(*args, **kwargs)
    except OSError as error:
        if error.errno not in _WRITE_ONLY_ERRNOS:
            raise
        silence(sys.stdout)  # what is left in its buffer must not fail again at exit
        if _raised_by_echo(error):
            raise write_failure("standard output", "the output", error) from None
        raise OutputError(
            f"cannot write the output: {error.strerror or error} (standard output, or a "
            f"temporary file in {tempfile.gettempdir()})"
        ) from None


def _raised_by_echo(error: BaseException) -> bool:
    """Whether ``error`` came from ``click.echo`` (what the commands print to stdout)."""
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_name == "echo" and frame.tb_frame.f_globals.get("__name__") == "click.utils":
            return True
        frame = frame.tb_next
    return False


def _note(message: str) -> None:
    click.echo(f"mailcheck: {_stderr_line(message)}", err=True)


def _plugin_manager(plugins: tuple[str, ...]) -> MailcheckPluginManager:
    disabled = [p[3:] for p in plugins if p.startswith("no:")]
    pm = create_plugin_manager(disabled=disabled)
    for failure in pm.load_errors:
        _warn(failure_line(failure))
    for name in plugins:
        if not name.startswith("no:"):
            load_named_plugin(pm, name)
    return pm


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="mailcheck", message="%(prog)s %(version)s"
)
def main() -> None:
    """GDPR and anti-spam compliance linter for newsletters: contact-list exports, HTML
    e-mail templates, signup forms and .eml messages. Nothing is sent, nothing leaves
    this machine."""


def _version_callback(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    pm = create_plugin_manager()
    plugins = ", ".join(
        f"{info.distribution or info.name} {info.version or '?'}" for info in pm.plugin_versions()
    )
    click.echo(f"mailcheck {__version__}" + (f" (plugins: {plugins})" if plugins else ""))
    ctx.exit(EXIT_CLEAN)


# Replace click's plain version option with one that lists plugin versions (flake8 style).
main.params = [p for p in main.params if p.name != "version"]
main.params.append(
    click.Option(
        ["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_version_callback,
        help="Show the version of mailcheck and its plugins.",
    )
)


@main.command()
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
    help="concise, full, json, json-lines, sarif, github, junit (or a plugin's).",
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
@one_line_errors
def lint(paths: tuple[Path, ...], **options) -> None:
    """Lint contact lists, templates, forms and messages under PATHS (default: .)."""
    targets = _existing(paths)
    pm = _plugin_manager(options["plugins"])
    config = load_config(options["config_path"], targets[0])
    registry = RuleRegistry.from_plugins(pm)
    selection = _cli_selection(options, registry)
    if options["verbose"]:
        _note(f"config: {config.source or 'defaults (no file found)'}")
    # Each selector is checked once, named after where it comes from: the command line's
    # above, the config file's here (those --select replaces are not used).
    validate_selection(config, registry, replaced=_replaced_keys(selection))
    _apply_cli(config, options, selection)
    outputs = _outputs(config, options)
    linter = Linter(
        config,
        pm=pm,
        baseline=session.baseline_to_filter(config, outputs),
        on_warning=_warn,
        registry=registry,
        selectors_validated=True,
    )
    result = session.run(
        linter, targets, outputs, on_note=_note, warn_stale_baseline=options["verbose"]
    )
    if outputs.write_baseline:
        sys.exit(EXIT_CLEAN)
    code = exit_code(result, config.fail_on, options["exit_zero"])
    pm.hook.mailcheck_sessionfinish(result=result, exit_code=code)
    sys.exit(code)


def exit_code(result: LintResult, fail_on: Severity, exit_zero: bool) -> int:
    if result.nothing_readable:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.fails(fail_on) and not exit_zero else EXIT_CLEAN


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
    if options["profile"]:
        config.profile = options["profile"]
    if options["today"]:
        config.today = options["today"].date()
    if options["baseline_path"]:
        config.baseline = str(options["baseline_path"])


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


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def rules_command(output_format: str, plugins: tuple[str, ...]) -> None:
    """List every rule: code, name, default severity, origin."""
    import json

    from mailcheck.registry import RuleRegistry

    registry = RuleRegistry.from_plugins(_plugin_manager(plugins))
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "severity": r.severity.label,
            "origin": r.origin,
            "summary": r.summary(),
        }
        for r in registry.rules.values()
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['code']:<8} {row['name']:<34} {row['severity']:<8} {row['origin']}")


@main.command("rule")
@click.argument("code_or_name")
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def rule_command(code_or_name: str, plugins: tuple[str, ...]) -> None:
    """Explain one rule (by code or name): what, why (the law), example, fix."""
    from mailcheck.registry import RuleRegistry

    registry = RuleRegistry.from_plugins(_plugin_manager(plugins))
    rule = registry.get(code_or_name)
    if rule is None:
        raise UsageError(f"unknown rule {code_or_name!r} (see `mailcheck rules`)")
    click.echo(f"# {rule.code} {rule.name}\n")
    severities = ", ".join(f"{p}: {s.label}" for p, s in rule.profile_severity.items())
    click.echo(
        f"Default severity: {rule.severity.label}" + (f" ({severities})" if severities else "")
    )
    click.echo(f"Origin: {rule.origin}")
    if rule.reference:
        click.echo(f"Legal reference: {rule.reference}")
    click.echo()
    click.echo(rule.documentation())
    if rule.options:
        click.echo("\n## Options")
        for key, option in rule.options.items():
            bounds = f", {option.bounds()}" if option.bounds() else ""
            click.echo(f"- `{key}` (default {option.default!r}{bounds}): {option.help}")


@main.command("inspect")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file.")
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@click.option(
    "--show-pii",
    is_flag=True,
    default=None,
    help="Show e-mail addresses in clear (masked by default).",
)
@one_line_errors
def inspect_command(
    paths, output_format: str, config_path, plugins: tuple[str, ...], show_pii: bool | None
) -> None:
    """Show how each file is understood: kind, provider, encoding, delimiter, rows and the
    column mapping (canonical name <- source column)."""
    import json

    from mailcheck.inspect import format_text, inspect_paths, mask_descriptions

    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or directory")
    pm = _plugin_manager(plugins)
    config = load_config(config_path, targets[0])
    descriptions = inspect_paths(targets, config, pm, on_warning=_warn)
    # File names, headers (a list without a header row has addresses for "headers") and
    # notes are masked as lint's reports are; the text view also escapes control bytes.
    if not (config.show_pii if show_pii is None else show_pii):
        descriptions = mask_descriptions(descriptions)
    stdout = never_fails(sys.stdout)
    if output_format == "json":
        stdout.write(json_safe(json.dumps(descriptions, indent=2, ensure_ascii=False)) + "\n")
    else:
        stdout.write(format_text(descriptions))


@main.command("keywords")
@click.argument("name", required=False)
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def keywords_command(name: str | None, plugins: tuple[str, ...]) -> None:
    """List the keyword lists (or the terms of list NAME), plugins' additions included."""
    from mailcheck.keywords import Keywords

    pm = _plugin_manager(plugins)
    lists = Keywords(pm.hook.mailcheck_keywords())
    if name is None:
        for list_name, keyword_list in sorted(lists.items()):
            click.echo(f"{list_name:<28} {len(keyword_list.terms):>5} terms")
        return
    if name not in lists:
        raise UsageError(f"unknown keyword list {name!r} (see `mailcheck keywords`)")
    for term in lists[name].terms:
        click.echo(term)


@main.command("plugins")
@one_line_errors
def plugins_command() -> None:
    """List plugins: name, distribution, version, and load errors."""
    pm = create_plugin_manager()
    for info in pm.infos.values():
        origin = (
            "built-in"
            if info.builtin
            else f"{info.distribution or info.module} {info.version or ''}".strip()
        )
        status = f"  FAILED: {info.error}" if info.error else ""
        click.echo(f"{info.name:<20} {origin}{status}")


if __name__ == "__main__":  # pragma: no cover
    main()
