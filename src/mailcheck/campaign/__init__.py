"""Campaign check: may *this* message go to *this* list for *this* purpose on *this* date,
and to whom exactly?

- :mod:`~mailcheck.campaign.manifest` reads ``campaign.toml``;
- :mod:`~mailcheck.campaign.eligibility` judges every audience contact;
- :mod:`~mailcheck.campaign.verdict` lints the template and the sender, and decides
  GO / NO-GO;
- :mod:`~mailcheck.campaign.writers` writes ``--send-list`` and ``--removals``;
- :mod:`~mailcheck.campaign.report` writes the verdict in every output format.

:func:`run_campaign` is what ``mailcheck campaign`` and :func:`mailcheck.check_campaign`
both run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailcheck.campaign.layouts import PLAIN, Removal, RemovalsLayout
from mailcheck.campaign.manifest import Manifest, load_manifest
from mailcheck.campaign.report import excluded_rows, summary
from mailcheck.campaign.verdict import GO, NO_GO, Verdict, decide
from mailcheck.campaign.writers import (
    check_targets,
    send_list_targets,
    write_removals,
    write_send_lists,
)
from mailcheck.i18n import Text, choose_language


@dataclass
class CampaignFiles:
    """What a campaign check writes besides its report (nothing by default)."""

    send_list: Path | None = None
    removals: Path | None = None
    #: Replace an existing output file (never an input).
    force: bool = False


@dataclass
class CampaignResult:
    """What :func:`mailcheck.check_campaign` returns: the verdict, the counts and, per
    contact that may not receive the campaign, why (addresses masked)."""

    verdict: str
    go_with_send_list: bool
    contacts: int
    may_receive: int
    may_not_receive: int
    #: Excluded contacts per first failed condition (they add up to ``may_not_receive``).
    excluded_by_reason: dict[str, int]
    blocking: list[str]
    warnings: list[str]
    #: One dict per excluded contact: ``list``, ``line``, ``address`` (masked),
    #: ``reasons`` (codes), ``action`` (suppress, delete, re-permission).
    excluded: list[dict[str, Any]] = field(default_factory=list)
    #: Files written (``--send-list`` / ``--removals``).
    written: list[Path] = field(default_factory=list)
    #: The contacts of the send list: ``may_receive``, each address once.
    send_list_contacts: int = 0

    @property
    def go(self) -> bool:
        return self.verdict == GO


def linter_for(manifest: Manifest, lang: str | None = None, on_warning=None):
    """A :class:`~mailcheck.engine.Linter` for the campaign: the config found from the
    manifest's folder, with the send date as today, the manifest's profile and provider."""
    from mailcheck.config import load_config
    from mailcheck.engine import Linter

    folder = manifest.source.parent if manifest.source is not None else Path.cwd()
    config = load_config(None, folder)
    config.today = manifest.send_date
    config.campaign_purpose = manifest.purpose  # its template is a marketing message
    config.profile = manifest.profile
    if manifest.provider:
        # The tool that sends: its merge tags and its import layout. The audience's
        # exports may come from other tools: each is detected from its header.
        config.provider = manifest.provider
        config.provider_reads_lists = False
    config.lang = lang or manifest.lang or config.lang
    return Linter(config, on_warning=on_warning)


def run_campaign(
    manifest: Manifest,
    files: CampaignFiles,
    *,
    lang: str | None = None,
    on_warning: Callable[[str | Text], None] | None = None,
    on_note: Callable[[str | Text], None] | None = None,
) -> tuple[Verdict, str, list[Path]]:
    """Check the campaign, write the files asked; return the verdict, the language of
    the run and the files written. The targets are refused before anything is read."""
    from mailcheck.campaign.text import contacts
    from mailcheck.i18n import t

    targets: list[Path] = []
    if files.send_list is not None:
        # one per audience file: the names are known before the lists are read
        targets += send_list_targets(files.send_list, manifest.audience).values()
    if files.removals is not None:
        targets.append(files.removals)
    check_targets(targets, manifest.inputs(), files.force)
    linter = linter_for(manifest, lang, on_warning)
    language = linter.language
    verdict = decide(linter, manifest)
    written: list[Path] = []
    if files.send_list is not None:
        for path, count in write_send_lists(
            files.send_list, manifest.audience, verdict.eligibility
        ):
            written.append(path)
            if on_note:
                on_note(
                    t(
                        "wrote the send list ({contacts}) to {path}",
                        contacts=contacts(count),
                        path=path,
                    )
                )
    if files.removals is not None:
        layout = None
        if manifest.provider:
            layout = linter.pm.hook.mailcheck_removals_layout(provider=manifest.provider)
        count = write_removals(files.removals, verdict.eligibility, language, layout or PLAIN)
        written.append(files.removals)
        if on_note:
            on_note(
                t(
                    "wrote the clean-up list ({contacts}) to {path}",
                    contacts=contacts(count),
                    path=files.removals,
                )
            )
    return verdict, language, written


def check_campaign(
    manifest: str | Path | dict[str, Any],
    *,
    send_list: str | Path | None = None,
    removals: str | Path | None = None,
    force: bool = False,
    lang: str | None = None,
) -> CampaignResult:
    """Check a campaign (a ``campaign.toml`` path, or a dict of its keys) and return its
    verdict, counts and the excluded contacts' reasons (addresses masked). Writes the
    send list and the clean-up list when asked, as ``mailcheck campaign`` does."""
    loaded = load_manifest(manifest)
    files = CampaignFiles(
        send_list=Path(send_list) if send_list is not None else None,
        removals=Path(removals) if removals is not None else None,
        force=force,
    )
    verdict, language, written = run_campaign(loaded, files, lang=lang)
    data = summary(verdict, language)
    return CampaignResult(
        verdict=verdict.decision,
        go_with_send_list=verdict.go_with_send_list,
        contacts=verdict.total,
        may_receive=verdict.eligible,
        may_not_receive=verdict.excluded,
        excluded_by_reason=data["excluded_by_reason"],
        blocking=data["blocking"],
        warnings=data["warnings"],
        excluded=list(excluded_rows(verdict.eligibility)),
        written=written,
        send_list_contacts=verdict.sendable,
    )


__all__ = [
    "GO",
    "NO_GO",
    "CampaignFiles",
    "CampaignResult",
    "Manifest",
    "Removal",
    "RemovalsLayout",
    "Verdict",
    "check_campaign",
    "choose_language",
    "load_manifest",
    "run_campaign",
    "send_list_targets",
]
