"""mailcheck: a GDPR and anti-spam compliance linter for newsletters and e-mailing.

Public API (everything else is internal and may change):

* :func:`lint` -- lint paths from Python, get a list of :class:`Finding`;
* :data:`hookimpl` -- the marker for plugin hook implementations;
* :class:`Rule`, :class:`Option`, :class:`Severity`, :class:`Finding`, :class:`Kind` --
  what a rule is made of;
* the document classes and :class:`ContactFormat` / :class:`ProviderMatch` for provider
  plugins; :class:`InputError` for readers.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

try:
    __version__ = metadata.version("mailcheck-lint")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

hookimpl = pluggy.HookimplMarker("mailcheck")

from mailcheck.documents import (  # noqa: E402 - hookimpl must exist before plugins import
    Body,
    ContactListDocument,
    Document,
    HtmlDocument,
    Kind,
    MessageDocument,
)
from mailcheck.errors import ConfigError, InputError, MailcheckError, PluginError  # noqa: E402
from mailcheck.findings import Finding, Severity  # noqa: E402
from mailcheck.providers import ContactFormat, ProviderMatch  # noqa: E402
from mailcheck.rule import Option, Rule  # noqa: E402

if TYPE_CHECKING:
    from mailcheck.config import Config


def lint(
    paths: str | Path | list[str | Path], config: Config | dict | None = None
) -> list[Finding]:
    """Lint ``paths`` and return the findings (masked unless ``show_pii``).

    ``config`` is a :class:`mailcheck.config.Config`, a dict of config-file keys
    (``{"select": ["MC1"], "profile": "us"}``), or ``None`` to discover the config file
    from the first path as the CLI does.
    """
    from mailcheck.config import Config, apply_table, load_config
    from mailcheck.engine import Linter

    items = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    if isinstance(config, dict):
        resolved = Config()
        apply_table(resolved, config, where="lint(config=...)")
    elif config is None:
        resolved = load_config(None, items[0] if items else Path.cwd())
    else:
        resolved = config
    return Linter(resolved).lint(items).findings


__all__ = [
    "Body",
    "ConfigError",
    "ContactFormat",
    "ContactListDocument",
    "Document",
    "Finding",
    "HtmlDocument",
    "InputError",
    "Kind",
    "MailcheckError",
    "MessageDocument",
    "Option",
    "PluginError",
    "ProviderMatch",
    "Rule",
    "Severity",
    "__version__",
    "hookimpl",
    "lint",
]
