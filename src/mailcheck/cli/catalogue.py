"""The catalogue commands: what mailcheck knows and how it reads a file, without linting
-- ``rules``, ``rule CODE``, ``inspect``, ``keywords`` and ``plugins``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mailcheck.cli.exits import one_line_errors, warn
from mailcheck.cli.plugin_options import plugin_manager
from mailcheck.config import load_config
from mailcheck.errors import UsageError
from mailcheck.manager import create_plugin_manager
from mailcheck.terminal import json_safe, never_fails


@click.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def rules_command(output_format: str, plugins: tuple[str, ...]) -> None:
    """List every rule: code, name, default severity, origin."""
    import json

    from mailcheck.registry import RuleRegistry

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


@click.command("rule")
@click.argument("code_or_name")
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def rule_command(code_or_name: str, plugins: tuple[str, ...]) -> None:
    """Explain one rule (by code or name): what, why (the law), example, fix."""
    from mailcheck.registry import RuleRegistry

    registry = RuleRegistry.from_plugins(plugin_manager(plugins))
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


@click.command("inspect")
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
    pm = plugin_manager(plugins)
    config = load_config(config_path, targets[0])
    descriptions = inspect_paths(targets, config, pm, on_warning=warn)
    # File names, headers (a list without a header row has addresses for "headers") and
    # notes are masked as lint's reports are; the text view also escapes control bytes.
    if not (config.show_pii if show_pii is None else show_pii):
        descriptions = mask_descriptions(descriptions)
    stdout = never_fails(sys.stdout)
    if output_format == "json":
        stdout.write(json_safe(json.dumps(descriptions, indent=2, ensure_ascii=False)) + "\n")
    else:
        stdout.write(format_text(descriptions))


@click.command("keywords")
@click.argument("name", required=False)
@click.option("-p", "plugins", multiple=True, metavar="NAME")
@one_line_errors
def keywords_command(name: str | None, plugins: tuple[str, ...]) -> None:
    """List the keyword lists (or the terms of list NAME), plugins' additions included."""
    from mailcheck.keywords import Keywords

    pm = plugin_manager(plugins)
    lists = Keywords(pm.hook.mailcheck_keywords())
    if name is None:
        for list_name, keyword_list in sorted(lists.items()):
            click.echo(f"{list_name:<28} {len(keyword_list.terms):>5} terms")
        return
    if name not in lists:
        raise UsageError(f"unknown keyword list {name!r} (see `mailcheck keywords`)")
    for term in lists[name].terms:
        click.echo(term)


@click.command("plugins")
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
