"""Exceptions that end in a one-line message, never a traceback."""


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
