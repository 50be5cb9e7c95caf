"""The language the command line speaks: its help, its errors, warnings and notes.

The language is chosen before the first word is printed: ``--lang`` read from the
arguments as soon as the command starts (so ``mailcheck lint --lang fr --help`` and a
usage error are French), then the config's ``lang`` once the config is loaded, else the
environment's locale (``LANG=fr_FR.UTF-8``), else English.

Help texts are message ids (``help=N_("...")``) translated when the help is shown, by the
command and option classes below. click's own words ("Usage:", "Options", "Show this
message and exit.", its usage errors) come from its ``gettext`` calls: they are looked up
in mailcheck's catalogue ``click.po`` for the language of the run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from mailcheck.i18n import DEFAULT_LANGUAGE, LANGUAGES, Text, choose_language, gettext, render
from mailcheck.i18n_extract import N_

_state = {"language": DEFAULT_LANGUAGE}


def current() -> str:
    """The language of this run's messages."""
    return _state["language"]


def use(language: str) -> None:
    """Speak ``language`` from now on (click's own words included)."""
    _state["language"] = language
    _install_click_words(language)


def from_arguments(args: Sequence[str]) -> str:
    """The language of a command line: its ``--lang`` (even misplaced, so that an error
    about another option is already in that language), else the locale."""
    asked = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            asked = args[index + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    if asked and asked.strip().lower() not in LANGUAGES:
        asked = None  # click refuses the value, in the locale's language
    return choose_language(asked)


def say(message: str | Text) -> str:
    """A message (a :class:`Text` or a plain string) in the run's language."""
    return render(message, current())


# -- click's own words ----------------------------------------------------------------


def _click_gettext(message: str) -> str:
    return gettext(message, current())


def _click_ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural, current())


def _install_click_words(language: str) -> None:
    """Make click's ``gettext`` calls ("Usage:", "Error: {message}"...) read the
    catalogue of ``language`` (click binds ``gettext`` in each of its modules)."""
    import gettext as stdlib_gettext

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) in (stdlib_gettext.gettext, _click_gettext):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) in (stdlib_gettext.ngettext, _click_ngettext):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


# -- help texts translated when shown -------------------------------------------------


class TranslatedOption(click.Option):
    """An option whose ``help`` and value name (``TEXT``, ``PATH``...) are message ids,
    shown in the run's language."""

    def make_metavar(self, ctx: click.Context) -> str:
        return gettext(super().make_metavar(ctx), current())

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        original = self.help
        if original:
            self.help = gettext(original, current())
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class _TranslatedHelp:
    """Help and short help read as message ids, shown in the run's language; the help
    option's "Show this message and exit." too."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self):  # type: ignore[arg-type]
            super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        language = current()
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [gettext(piece, language) for piece in pieces]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and not isinstance(option, TranslatedOption):
            # Made once and kept: its help is click's message id, read when shown.
            option.help = "Show this message and exit."
            option.__class__ = TranslatedOption
        return option


class TranslatedCommand(_TranslatedHelp, click.Command):
    """A command whose help texts are message ids shown in the run's language."""


class TranslatedGroup(_TranslatedHelp, click.Group):
    """The ``mailcheck`` group: it reads ``--lang`` before click parses anything."""

    command_class = TranslatedCommand

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        use(from_arguments(list(sys.argv[1:] if args is None else args)))
        try:
            return super().main(args, *rest, **kwargs)
        finally:  # a caller in the same process (a test, a script) starts afresh
            use(DEFAULT_LANGUAGE)


class _translated_help:  # noqa: N801 - used as a context manager, like a function
    def __init__(self, command: click.Command) -> None:
        self.command = command
        self.original = (command.help, command.short_help)

    def __enter__(self) -> None:
        language = current()
        help_text, short = self.original
        self.command.help = gettext(help_text, language) if help_text else help_text
        self.command.short_help = gettext(short, language) if short else short

    def __exit__(self, *exc: object) -> None:
        self.command.help, self.command.short_help = self.original


def lang_option(function: Any) -> Any:
    """The ``--lang`` option of every command."""
    return click.option(
        "--lang",
        type=click.Choice(list(LANGUAGES), case_sensitive=False),
        default=None,
        cls=TranslatedOption,
        help=N_(
            "Language of the messages and the report (default: the config's lang, else the locale)."
        ),
    )(function)
