"""The ``mailcheck`` command line (click): the command group and its ``--version``.

Each command lives in the module of its job: :mod:`~mailcheck.cli.lint` (``lint``),
:mod:`~mailcheck.cli.catalogue` (``rules``, ``rule``, ``inspect``, ``keywords``,
``plugins``); how every command ends (exit codes, one-line errors, signals) is
:mod:`~mailcheck.cli.exits`. The console script is ``mailcheck.cli:main``.
"""

from __future__ import annotations

import importlib

import click

from mailcheck import __version__
from mailcheck.cli.exits import EXIT_CLEAN
from mailcheck.cli.exits import warn as _warn  # noqa: F401 - tests/test_pii.py calls it
from mailcheck.cli.language import TranslatedGroup, TranslatedOption, say
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_

#: Each command and where it is defined (``--help`` lists them sorted): a command's module (and
#: what it imports: the engine, the campaign's pandas code) is imported only when that
#: command runs or help lists it, so ``mailcheck lint one.html`` and ``--version`` start
#: without the others (click's "lazily loading subcommands" pattern).
COMMANDS: dict[str, str] = {
    "lint": "mailcheck.cli.lint:lint",
    "campaign": "mailcheck.cli.campaign:campaign",
    "rules": "mailcheck.cli.catalogue:rules_command",
    "rule": "mailcheck.cli.catalogue:rule_command",
    "inspect": "mailcheck.cli.catalogue:inspect_command",
    "keywords": "mailcheck.cli.catalogue:keywords_command",
    "plugins": "mailcheck.cli.catalogue:plugins_command",
}


class LazyGroup(TranslatedGroup):
    """The ``mailcheck`` group, whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
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
    from mailcheck.manager import installed_plugins

    # From the installed metadata: no plugin (nor what it imports) is loaded to say this.
    plugins = ", ".join(f"{name} {version or '?'}" for name, version in installed_plugins())
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
