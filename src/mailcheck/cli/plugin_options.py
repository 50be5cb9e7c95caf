"""The ``-p NAME`` option the commands share: the plugin manager a command runs with
(installed plugins, minus those ``-p no:NAME`` disables, plus the modules ``-p NAME``
loads), each plugin that failed to load said in one warning line."""

from __future__ import annotations

from mailcheck.cli.exits import warn
from mailcheck.manager import (
    MailcheckPluginManager,
    create_plugin_manager,
    failure_line,
    load_named_plugin,
)


def plugin_manager(plugins: tuple[str, ...]) -> MailcheckPluginManager:
    """The plugin manager for the ``-p`` values ``plugins`` (``NAME`` or ``no:NAME``)."""
    disabled = [p[3:] for p in plugins if p.startswith("no:")]
    pm = create_plugin_manager(disabled=disabled)
    for failure in pm.load_errors:
        warn(failure_line(failure))
    for name in plugins:
        if not name.startswith("no:"):
            load_named_plugin(pm, name)
    return pm
