"""Exceptions that end in a one-line message, never a traceback.

The message of an error is a :class:`~mailcheck.i18n.Text` (``ConfigError(t("..."))``):
``str(error)`` is its English, the CLI prints it in the run's language.
"""

from __future__ import annotations

from mailcheck.i18n import Text


def message_of(error: BaseException) -> str | Text:
    """The message of ``error``: its :class:`~mailcheck.i18n.Text` when it was raised with
    one (so that it can be shown in any language), else its English string."""
    if len(error.args) == 1 and isinstance(error.args[0], Text):
        return error.args[0]
    return str(error)


class MailcheckError(Exception):
    """Base class: the CLI prints ``mailcheck: error: <message>`` and exits 2."""


class UsageError(MailcheckError):
    """Bad command-line usage or a path that does not exist."""


class ConfigError(MailcheckError):
    """A configuration file or option is invalid (unknown key, unknown code, bad value)."""


class PluginError(MailcheckError):
    """A plugin could not be loaded or registers something invalid."""


class InputError(MailcheckError):
    """A file could not be read: the message says why, without the path (the engine adds it)."""
