"""The plugin manager: built-ins and entry points, registered the same way.

Built-in plugins are modules of this package registered by name, exactly like a
``mailcheck-<provider>`` distribution found through the ``mailcheck`` entry-point group.
Each entry point is loaded on its own: one that fails to import is recorded in
:attr:`MailcheckPluginManager.load_errors` (and printed as one warning line naming it and
its version) while the run goes on -- unless ``MAILCHECK_STRICT_PLUGINS=1``, which makes it
fatal. A plugin implementing a hook that has no spec is rejected the same way.
``-p no:NAME`` blocks a plugin, built-in or not; ``MAILCHECK_DISABLE_PLUGIN_AUTOLOAD=1``
skips entry points altogether.

Loading is cheap by design (docs/plugins.md, "Plugin loading"): a plugin's module holds
its hook functions and imports its heavy code (rules, readers, pandas) inside the hooks
that need it, as the built-in readers do. What is installed is known without importing
anything: :func:`installed_plugins` reads the entry points' metadata only (``--version``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pluggy

from mailcheck import hookspecs
from mailcheck.errors import PluginError
from mailcheck.i18n import Text, add_catalogs, t

ENTRY_POINT_GROUP = "mailcheck"

#: Built-in plugins, in registration order. Names are what ``-p no:NAME`` takes.
BUILTIN_PLUGINS: dict[str, str] = {
    "classify": "mailcheck.readers.classify",
    "html-reader": "mailcheck.readers.html",
    "eml-reader": "mailcheck.readers.eml",
    "csv-reader": "mailcheck.readers.csv",
    "merge-tags": "mailcheck.readers.merge_tags",
    "tool-rules": "mailcheck.rules.tool",
    "template-rules": "mailcheck.rules.templates",
    "form-rules": "mailcheck.rules.forms",
    "message-rules": "mailcheck.rules.messages",
    "contact-rules": "mailcheck.rules.contacts",
    "reporters": "mailcheck.reporters",
}


@dataclass(frozen=True)
class PluginInfo:
    """What ``mailcheck plugins`` shows about one plugin."""

    name: str
    module: str
    distribution: str | None
    version: str | None
    builtin: bool
    error: str | None = None


def _strict() -> bool:
    return os.environ.get("MAILCHECK_STRICT_PLUGINS", "") not in ("", "0", "false", "no")


class MailcheckPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers where each plugin came from and what failed."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.load_errors: list[PluginInfo] = []

    def register_plugin(
        self,
        plugin: Any,
        name: str,
        *,
        distribution: str | None = None,
        version: str | None = None,
        builtin: bool = False,
    ) -> None:
        """Register ``plugin`` and check that every hook it implements has a spec."""
        self.register(plugin, name=name)
        unknown = [
            caller.name for caller in self.get_hookcallers(plugin) or [] if not caller.has_spec()
        ]
        if unknown:
            self.unregister(plugin)
            raise PluginError(
                t(
                    "plugin {name} implements unknown hook(s) {hooks}",
                    name=repr(name),
                    hooks=", ".join(sorted(unknown)),
                )
            )
        self.infos[name] = PluginInfo(
            name, getattr(plugin, "__name__", type(plugin).__name__), distribution, version, builtin
        )

    def record_failure(self, info: PluginInfo) -> None:
        self.load_errors.append(info)
        self.infos[info.name] = info
        if _strict():
            raise PluginError(
                t("{failure} (MAILCHECK_STRICT_PLUGINS is set)", failure=failure_line(info))
            )

    def plugin_versions(self) -> list[PluginInfo]:
        return [info for info in self.infos.values() if not info.builtin]


def failure_line(info: PluginInfo) -> Text:
    """The one-line warning printed for a plugin that failed to load."""
    version = f" {info.version}" if info.version else ""
    dist = info.distribution or info.module
    return t(
        "plugin {name} ({distribution}) failed to load: {error}",
        name=repr(info.name),
        distribution=dist + version,
        error=info.error,
    )


def create_plugin_manager(
    *,
    disabled: Iterable[str] = (),
    load_entry_points: bool | None = None,
    extra_plugins: Iterable[tuple[str, Any]] = (),
) -> MailcheckPluginManager:
    """Build a manager with the built-ins, then entry points, then ``extra_plugins``.

    ``disabled`` holds plugin names from ``-p no:NAME``. ``load_entry_points`` defaults to
    true unless ``MAILCHECK_DISABLE_PLUGIN_AUTOLOAD`` is set. ``extra_plugins`` are
    ``(name, module_or_object)`` pairs (``-p NAME`` modules, test plugins).
    """
    pm = MailcheckPluginManager()
    blocked = set(disabled)
    for name in blocked:
        pm.set_blocked(name)

    from mailcheck import __version__

    for name, module_name in BUILTIN_PLUGINS.items():
        if name in blocked:
            continue
        module = importlib.import_module(module_name)
        pm.register_plugin(
            module, name, distribution="mailcheck-lint", version=__version__, builtin=True
        )

    if load_entry_points is None:
        load_entry_points = not os.environ.get("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD")
    if load_entry_points:
        _load_entry_points(pm, blocked)

    for name, plugin in extra_plugins:
        if name not in blocked and not pm.has_plugin(name):
            pm.register_plugin(plugin, name)
    # The plugins' translations are known as soon as the plugins are: `rule`, `rules`
    # and the catalogue checks read them as `lint` does.
    add_catalogs(folder for found in pm.hook.mailcheck_catalogs() for folder in found)
    return pm


def _entry_points(blocked: Iterable[str] = ()) -> list[metadata.EntryPoint]:
    """The ``mailcheck`` entry points to load, first of each name, none imported."""
    seen: set[str] = set(blocked)
    found = []
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name not in seen:
            seen.add(entry_point.name)
            found.append(entry_point)
    return found


def installed_plugins() -> list[tuple[str, str | None]]:
    """``(distribution or plugin name, version)`` of each plugin a run would load, from
    the installed metadata alone: no plugin is imported (what ``--version`` shows)."""
    if os.environ.get("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD"):
        return []
    found = []
    for entry_point in _entry_points():
        dist = entry_point.dist
        name = dist.metadata["Name"] if dist is not None else None
        found.append((name or entry_point.name, dist.version if dist is not None else None))
    return found


def _load_entry_points(pm: MailcheckPluginManager, blocked: set[str]) -> None:
    for entry_point in _entry_points(blocked):
        dist = entry_point.dist
        dist_name = dist.metadata["Name"] if dist is not None else None
        version = dist.version if dist is not None else None
        try:
            plugin = entry_point.load()
            pm.register_plugin(plugin, entry_point.name, distribution=dist_name, version=version)
        except PluginError as error:
            pm.record_failure(
                PluginInfo(
                    entry_point.name, entry_point.value, dist_name, version, False, str(error)
                )
            )
        except Exception as error:  # noqa: BLE001 - any import failure of a third-party plugin
            message = f"{type(error).__name__}: {error}"
            pm.record_failure(
                PluginInfo(entry_point.name, entry_point.value, dist_name, version, False, message)
            )


def load_named_plugin(pm: MailcheckPluginManager, module_name: str) -> None:
    """``-p NAME``: import a module by name and register it (errors are fatal)."""
    if pm.has_plugin(module_name):
        return
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001
        raise PluginError(
            t(
                "plugin {name} could not be imported: {error}",
                name=repr(module_name),
                error=str(error),
            )
        ) from None
    pm.register_plugin(module, module_name)
