"""The catalogue commands: what mailcheck knows and how it reads a file, without linting
-- ``rules``, ``rule CODE``, ``inspect``, ``keywords`` and ``plugins``."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import click

from mailcheck.cli.exits import one_line_errors, warn
from mailcheck.cli.language import (
    TranslatedCommand,
    TranslatedOption,
    current,
    lang_option,
    say,
    use,
)
from mailcheck.cli.plugin_options import plugin_manager
from mailcheck.config import load_config
from mailcheck.errors import UsageError
from mailcheck.i18n import choose_language, gettext, t
from mailcheck.i18n_extract import N_
from mailcheck.manager import create_plugin_manager
from mailcheck.terminal import json_safe, never_fails

#: ``@option``: a click option whose help is a message id, shown in the run's language.
option = partial(click.option, cls=TranslatedOption)
_PLUGIN_HELP = N_("Load plugin module NAME, or disable one with no:NAME.")
_FORMAT_HELP = N_("text for people, json for programs.")


def _speak(lang: str | None) -> None:
    """The language of a catalogue command: ``--lang``, else the locale."""
    use(choose_language(lang))


@click.command(
    "rules",
    cls=TranslatedCommand,
    help=N_("List every rule: code, name, default severity, origin."),
)
@option("--output-format", type=click.Choice(["text", "json"]), default="text", help=_FORMAT_HELP)
@option("-p", "plugins", multiple=True, metavar="NAME", help=_PLUGIN_HELP)
@lang_option
@one_line_errors
def rules_command(output_format: str, plugins: tuple[str, ...], lang: str | None) -> None:
    import json

    from mailcheck.registry import RuleRegistry

    _speak(lang)
    registry = RuleRegistry.from_plugins(plugin_manager(plugins))
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


@click.command(
    "rule",
    cls=TranslatedCommand,
    help=N_("Explain one rule (by code or name): what, why (the law), example, fix."),
)
@click.argument("code_or_name")
@option("-p", "plugins", multiple=True, metavar="NAME", help=_PLUGIN_HELP)
@lang_option
@one_line_errors
def rule_command(code_or_name: str, plugins: tuple[str, ...], lang: str | None) -> None:
    from mailcheck.registry import RuleRegistry

    _speak(lang)
    language = current()
    registry = RuleRegistry.from_plugins(plugin_manager(plugins))
    rule = registry.get(code_or_name)
    if rule is None:
        raise UsageError(t("unknown rule {name} (see `mailcheck rules`)", name=repr(code_or_name)))
    click.echo(f"# {rule.code} {rule.name}\n")
    from mailcheck.reporters.base import severity_label

    severities = ", ".join(
        f"{p}: {severity_label(s, language)}" for p, s in rule.profile_severity.items()
    )
    click.echo(
        say(t("Default severity: {severity}", severity=severity_label(rule.severity, language)))
        + (f" ({severities})" if severities else "")
    )
    click.echo(say(t("Origin: {origin}", origin=rule.origin)))
    if rule.reference:
        reference = gettext(rule.reference, language)
        click.echo(say(t("Legal reference: {reference}", reference=reference)))
    click.echo()
    click.echo(_documentation(rule, language))
    if rule.options:
        click.echo("\n## " + gettext("Options", language))
        for key, rule_option in rule.options.items():
            described = gettext(rule_option.help, language) if rule_option.help else ""
            if rule_option.bounds():
                line = t(
                    "- `{key}` (default {default}, {bounds}): {help}",
                    key=key,
                    default=repr(rule_option.default),
                    bounds=rule_option.bounds(),
                    help=described,
                )
            else:
                line = t(
                    "- `{key}` (default {default}): {help}",
                    key=key,
                    default=repr(rule_option.default),
                    help=described,
                )
            click.echo(say(line))


def _documentation(rule, language: str) -> str:
    """The rule's documentation in ``language`` (English where it has no translation)."""
    try:
        return rule.documentation(language)
    except TypeError:  # a Rule without languages (an older mailcheck's base class)
        return gettext(rule.documentation(), language)


@click.command(
    "inspect",
    cls=TranslatedCommand,
    help=N_(
        "Show how each file is understood: kind, provider, encoding, delimiter, rows and "
        "the column mapping (canonical name <- source column)."
    ),
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@option("--output-format", type=click.Choice(["text", "json"]), default="text", help=_FORMAT_HELP)
@option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help=N_("Config file (mailcheck.toml or pyproject.toml)."),
)
@option("-p", "plugins", multiple=True, metavar="NAME", help=_PLUGIN_HELP)
@option(
    "--show-pii",
    is_flag=True,
    default=None,
    help=N_("Show e-mail addresses in clear (masked by default)."),
)
@lang_option
@one_line_errors
def inspect_command(
    paths,
    output_format: str,
    config_path,
    plugins: tuple[str, ...],
    show_pii: bool | None,
    lang: str | None,
) -> None:
    import json

    from mailcheck.inspect import format_text, in_language, inspect_paths, mask_descriptions

    targets = list(paths) or [Path(".")]
    missing = [p for p in targets if not os.path.lexists(p)]
    if missing:
        raise UsageError(t("{path}: no such file or directory", path=missing[0]))
    pm = plugin_manager(plugins)
    config = load_config(config_path, targets[0])
    use(choose_language(lang, config.lang))
    descriptions = inspect_paths(targets, config, pm, on_warning=warn)
    # Machine output keeps the English of every text; the text output, the run's language.
    descriptions = in_language(descriptions, "en" if output_format == "json" else current())
    # File names, headers (a list without a header row has addresses for "headers") and
    # notes are masked as lint's reports are; the text view also escapes control bytes.
    if not (config.show_pii if show_pii is None else show_pii):
        descriptions = mask_descriptions(descriptions)
    stdout = never_fails(sys.stdout)
    if output_format == "json":
        stdout.write(json_safe(json.dumps(descriptions, indent=2, ensure_ascii=False)) + "\n")
    else:
        stdout.write(format_text(descriptions, current()))


@click.command(
    "keywords",
    cls=TranslatedCommand,
    help=N_("List the keyword lists (or the terms of list NAME), plugins' additions included."),
)
@click.argument("name", required=False)
@option("-p", "plugins", multiple=True, metavar="NAME", help=_PLUGIN_HELP)
@lang_option
@one_line_errors
def keywords_command(name: str | None, plugins: tuple[str, ...], lang: str | None) -> None:
    from mailcheck.keywords import Keywords

    _speak(lang)
    pm = plugin_manager(plugins)
    lists = Keywords(pm.hook.mailcheck_keywords())
    if name is None:
        for list_name, keyword_list in sorted(lists.items()):
            count = len(keyword_list.terms)
            terms = say(
                t("{count} terms", count=count) if count != 1 else t("{count} term", count=count)
            )
            click.echo(f"{list_name:<28} {terms:>11}")
        return
    if name not in lists:
        raise UsageError(
            t("unknown keyword list {name} (see `mailcheck keywords`)", name=repr(name))
        )
    for term in lists[name].terms:
        click.echo(term)


@click.command(
    "plugins",
    cls=TranslatedCommand,
    help=N_("List plugins: name, distribution, version, and load errors."),
)
@lang_option
@one_line_errors
def plugins_command(lang: str | None) -> None:
    _speak(lang)
    pm = create_plugin_manager()
    for info in pm.infos.values():
        origin = (
            say(t("built-in"))
            if info.builtin
            else f"{info.distribution or info.module} {info.version or ''}".strip()
        )
        status = "  " + say(t("FAILED: {error}", error=info.error)) if info.error else ""
        click.echo(f"{info.name:<20} {origin}{status}")
