"""The ``mailcheck`` command line (click): the command group and its ``--version``.

Each command lives in the module of its job: :mod:`~mailcheck.cli.lint` (``lint``),
:mod:`~mailcheck.cli.catalogue` (``rules``, ``rule``, ``inspect``, ``keywords``,
``plugins``); how every command ends (exit codes, one-line errors, signals) is
:mod:`~mailcheck.cli.exits`. The console script is ``mailcheck.cli:main``.
"""

from __future__ import annotations

import click

from mailcheck import __version__
from mailcheck.cli.campaign import campaign
from mailcheck.cli.catalogue import (
    inspect_command,
    keywords_command,
    plugins_command,
    rule_command,
    rules_command,
)
from mailcheck.cli.exits import EXIT_CLEAN
from mailcheck.cli.exits import warn as _warn  # noqa: F401 - tests/test_pii.py calls it
from mailcheck.cli.language import TranslatedGroup, TranslatedOption, say
from mailcheck.cli.lint import lint
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.manager import create_plugin_manager


@click.group(
    cls=TranslatedGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "GDPR and anti-spam compliance linter for newsletters: contact-list exports, HTML "
        "e-mail templates, signup forms and .eml messages. Nothing is sent, nothing leaves "
        "this machine."
    ),
)
@click.version_option(
    __version__, "--version", prog_name="mailcheck", message="%(prog)s %(version)s"
)
def main() -> None:
    pass


def _version_callback(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    pm = create_plugin_manager()
    plugins = ", ".join(
        f"{info.distribution or info.name} {info.version or '?'}" for info in pm.plugin_versions()
    )
    click.echo(
        say(t("mailcheck {version} (plugins: {plugins})", version=__version__, plugins=plugins))
        if plugins
        else f"mailcheck {__version__}"
    )
    ctx.exit(EXIT_CLEAN)


# Replace click's plain version option with one that lists plugin versions (flake8 style).
main.params = [p for p in main.params if p.name != "version"]
main.params.append(
    TranslatedOption(
        ["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_version_callback,
        help=N_("Show the version of mailcheck and its plugins."),
    )
)
for command in (
    lint,
    campaign,
    rules_command,
    rule_command,
    inspect_command,
    keywords_command,
    plugins_command,
):
    main.add_command(command)
