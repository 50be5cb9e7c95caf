"""``mailcheck campaign campaign.toml``: GO (exit 0) or NO-GO (exit 1) for one campaign,
2 for a bad manifest or an unreadable list; ``--send-list`` / ``--removals`` write the
list that may receive it and the clean-up list."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from mailcheck.campaign import CampaignFiles, run_campaign
from mailcheck.campaign.manifest import load_manifest
from mailcheck.campaign.report import FORMATS, write
from mailcheck.cli.exits import EXIT_CLEAN, EXIT_FINDINGS, note, one_line_errors, warn
from mailcheck.cli.language import TranslatedCommand, TranslatedOption, use
from mailcheck.i18n import choose_language, t
from mailcheck.i18n_extract import N_
from mailcheck.outputs import GuardedStream, atomic_output, identities, refuse_input

option = partial(click.option, cls=TranslatedOption)
_HELP = N_(
    "Check a campaign (campaign.toml: template, audience, suppressions, sender, purpose, "
    "send date): GO (exit 0) or NO-GO (exit 1)."
)


@click.command("campaign", cls=TranslatedCommand, help=_HELP)
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@option(
    "--send-list",
    "send_list",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write the audience rows that may receive it (same header, delimiter, encoding)."),
)
@option(
    "--removals",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write the contacts to suppress, delete or re-permission, with the reason."),
)
@option("--force", is_flag=True, help=N_("Replace existing output files (never an input)."))
@option(
    "--output-format",
    "output_format",
    type=click.Choice(FORMATS),
    default="concise",
    help=N_("concise, json, sarif or html."),
)
@option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write the report to a file."),
)
@option(
    "--lang",
    type=click.Choice(["en", "fr"], case_sensitive=False),
    default=None,
    help=N_("Language of the report (default: the config's lang, else the locale)."),
)
@one_line_errors
def campaign(manifest: Path, **options) -> None:
    """Check a campaign: GO (exit 0) or NO-GO (exit 1)."""
    loaded = load_manifest(manifest)
    language = choose_language(options["lang"], loaded.lang)
    use(language)
    report = options["output_file"]
    if report is not None:
        refuse_input(report, identities(loaded.inputs()), t("the report"))
    files = CampaignFiles(options["send_list"], options["removals"], options["force"])
    verdict, language, _ = run_campaign(loaded, files, lang=language, on_warning=warn, on_note=note)
    if report is None:
        stream = GuardedStream(sys.stdout, t("standard output"), t("the report"))
        write(verdict, stream, options["output_format"], language)  # type: ignore[arg-type]
        stream.flush()
    else:
        with atomic_output(report, t("the report"), streams=True) as handle:
            write(verdict, handle, options["output_format"], language)
    sys.exit(EXIT_CLEAN if verdict.decision == "GO" else EXIT_FINDINGS)
