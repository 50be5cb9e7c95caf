"""mailcheck: a GDPR and anti-spam compliance linter for newsletters and e-mailing.

Public API (everything else is internal and may change):

* :func:`check_campaign` -- GO / NO-GO for a campaign manifest, with the counts and
  each excluded contact's reasons;
* :func:`lint` -- lint paths from Python, get a list of :class:`Finding` (and write a
  report, a baseline or row files as the CLI does);
* :data:`hookimpl` -- the marker for plugin hook implementations;
* :class:`Rule`, :class:`Option`, :class:`Severity`, :class:`Finding`, :class:`Kind` --
  what a rule is made of;
* the document classes and :class:`ContactFormat` / :class:`ProviderMatch` for provider
  plugins; :class:`InputError` for readers;
* :func:`row_findings` -- the row-level findings of a contact rule, built from a chunk's
  boolean mask (address in ``data["address"]`` for ``--rows-out``, keyed fingerprint);
* :func:`mask_address`, :func:`mask_text` -- the address masking of every report;
* :func:`t` -- a text shown to the user (a message id and its parameters), translated
  when reported; a plugin ships the translations through ``mailcheck_catalogs``.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

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
from mailcheck.i18n import t  # noqa: E402
from mailcheck.lazy import defer_bs4_extras  # noqa: E402
from mailcheck.pii import mask_address, mask_text  # noqa: E402
from mailcheck.providers import ContactFormat, ProviderMatch  # noqa: E402
from mailcheck.rule import Option, Rule  # noqa: E402

if TYPE_CHECKING:
    from mailcheck.config import Config

# Before anything imports bs4: what it imports for CSS selectors and encoding guesses,
# which a template lint does not use, is then imported only when used (mailcheck.lazy).
defer_bs4_extras()


def lint(
    paths: str | Path | list[str | Path],
    config: Config | dict | None = None,
    *,
    report: str | Path | TextIO | None = None,
    output_format: str | None = None,
    write_baseline: str | Path | None = None,
    rows_out: str | Path | None = None,
    show_pii: bool | None = None,
) -> list[Finding]:
    """Lint ``paths`` and return the findings, a list that also holds ``coverage``: one
    :class:`~mailcheck.findings.Coverage` per linted document, saying which rules could
    not run on it and why.

    The findings are masked as the CLI's reports are, unless ``show_pii=True`` (or
    ``show-pii = true`` in the config; ``show_pii`` given here wins): addresses in
    messages, paths and ``data["address"]`` read ``j***@example.com``, and
    ``fingerprint`` is the keyed hash the JSON reports carry, never an address.

    ``config`` is a :class:`mailcheck.config.Config`, a dict of config-file keys
    (``{"select": ["MC1"], "profile": "us"}``), or ``None`` to discover the config file
    from the first path as the CLI does.

    The run can also write what ``mailcheck lint`` writes, with the same guarantees (no
    input overwritten, no half-written file; see :mod:`mailcheck.session`):

    * ``report`` -- a file path or an open text stream, in ``output_format`` (default:
      the config's ``output-format``); the CLI's ``-o``;
    * ``write_baseline`` -- record the findings as a baseline file (then no report and
      no row files are written, as with ``--write-baseline``);
    * ``rows_out`` -- a folder of per-rule CSVs of the flagged contact rows (``--rows-out``).
    """
    from mailcheck.config import Config, apply_table, load_config
    from mailcheck.engine import Linter
    from mailcheck.findings import LintFindings
    from mailcheck.session import Outputs, baseline_to_filter, run

    items = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    if isinstance(config, dict):
        resolved = Config()
        apply_table(resolved, config, where="lint(config=...)")
    elif config is None:
        resolved = load_config(None, items[0] if items else Path.cwd())
    else:
        resolved = config
    if show_pii is not None:
        resolved.show_pii = show_pii
    outputs = Outputs(
        report=Path(report) if isinstance(report, str) else report,
        report_format=output_format,
        write_baseline=Path(write_baseline) if write_baseline is not None else None,
        rows_out=Path(rows_out) if rows_out is not None else None,
        keep_findings=True,
    )
    # The config's baseline, as the CLI applies it (it was read, then ignored).
    result = run(Linter(resolved, baseline=baseline_to_filter(resolved, outputs)), items, outputs)
    return LintFindings(result.findings, result.coverage)


def check_campaign(
    manifest: str | Path | dict,
    *,
    send_list: str | Path | None = None,
    removals: str | Path | None = None,
    force: bool = False,
    lang: str | None = None,
) -> Any:
    """Check a campaign (a ``campaign.toml`` path or a dict of its keys): returns a
    :class:`mailcheck.campaign.CampaignResult` with ``verdict`` (``"GO"`` / ``"NO-GO"``),
    ``go_with_send_list``, the counts and, per excluded contact, its reasons (addresses
    masked). ``send_list`` / ``removals`` write the files ``mailcheck campaign`` writes
    (see docs/campaign.md)."""
    from mailcheck.campaign import check_campaign as run

    return run(manifest, send_list=send_list, removals=removals, force=force, lang=lang)


def __getattr__(name: str) -> Any:
    # row_findings needs pandas and pyarrow: imported on first use, so that
    # ``import mailcheck`` (and ``mailcheck --version``) stays light.
    if name == "row_findings":
        from mailcheck.rules.contacts.common import row_findings

        return row_findings
    raise AttributeError(f"module 'mailcheck' has no attribute {name!r}")


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
    "check_campaign",
    "hookimpl",
    "lint",
    "mask_address",
    "mask_text",
    "row_findings",
    "t",
]
