"""The campaign manifest (``campaign.toml``): what is sent, to whom, why and when.

Every key is optional but ``audience``, ``purpose`` and ``send-date``; paths are
relative to the manifest's folder. A manifest is read whole before anything else: a bad
one is a :class:`~mailcheck.errors.ConfigError` whose one line names the file and the
key (exit 2). The same keys, as a dict, are what :func:`mailcheck.check_campaign` takes.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailcheck.config import PROFILES
from mailcheck.errors import ConfigError
from mailcheck.i18n import Text, t

#: The purposes a consent is given for (the same as the form rules' and MC214's).
PURPOSES = ("newsletter", "offers", "partners", "profiling")
#: Purposes of the sender's own products: the only ones the customer exception covers.
OWN_PRODUCTS = ("newsletter", "offers")


@dataclass(frozen=True)
class Manifest:
    """A campaign, its paths resolved against the manifest's folder."""

    #: The manifest file (``None`` for a dict given to the Python API).
    source: Path | None
    purpose: str
    send_date: dt.date
    audience: tuple[Path, ...]
    template: Path | None = None
    suppressions: tuple[Path, ...] = ()
    send_logs: tuple[Path, ...] = ()
    #: Other lists of the sender (not sent to): who unsubscribed there is excluded here.
    other_lists: tuple[Path, ...] = ()
    sender: str = ""
    reply_to: str = ""
    provider: str | None = None
    profile: str = "eu-fr"
    #: The message relates to the recipients' job (the B2B exception needs it).
    job_related: bool = False
    #: Days without qualifying activity before a contact is past retention.
    retention_days: int = 1095
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def inputs(self) -> list[Path]:
        """Every file the campaign reads (never written over)."""
        files = [*self.audience, *self.suppressions, *self.send_logs, *self.other_lists]
        if self.template is not None:
            files.append(self.template)
        if self.source is not None:
            files.append(self.source)
        return files


_KEYS = {
    "template",
    "message",
    "audience",
    "suppressions",
    "send-logs",
    "other-lists",
    "from",
    "reply-to",
    "purpose",
    "send-date",
    "provider",
    "profile",
    "job-related",
    "retention-days",
    "lang",
}


def load_manifest(source: str | Path | dict[str, Any]) -> Manifest:
    """The manifest at ``source`` (a ``campaign.toml`` path) or of a dict of its keys
    (paths then relative to the current folder)."""
    if isinstance(source, dict):
        return _build(source, None, Path.cwd())
    path = Path(source)
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(t("{path}: no such campaign manifest", path=path)) from None
    except OSError as error:
        raise ConfigError(
            t("{path}: cannot read the manifest: {reason}", path=path, reason=error.strerror)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(
            t("{path}: not a valid TOML file: {reason}", path=path, reason=str(error))
        ) from None
    if isinstance(table.get("campaign"), dict) and len(table) == 1:
        table = table["campaign"]
    return _build(table, path, path.parent)


def _build(table: dict[str, Any], source: Path | None, root: Path) -> Manifest:
    where = str(source) if source is not None else "check_campaign()"

    def bad(key: str, why: Text) -> ConfigError:
        return ConfigError(t("{where}: {key}: {why}", where=where, key=key, why=why))

    for key in table:
        if key not in _KEYS:
            raise bad(key, t("unknown key (known: {keys})", keys=", ".join(sorted(_KEYS))))
    if "template" in table and "message" in table:
        raise bad("message", t("give a template or a message, not both"))

    def paths(key: str, required: bool = False) -> tuple[Path, ...]:
        value = table.get(key)
        if value is None:
            if required:
                raise bad(key, t("missing (the contact list(s) to send to)"))
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise bad(key, t("a path or a list of paths is expected"))
        found = tuple(root / item for item in items)
        for path in found:
            if not path.is_file():
                raise bad(key, t("{path}: no such file", path=path))
        if required and not found:
            raise bad(key, t("missing (the contact list(s) to send to)"))
        return found

    def text(key: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise bad(key, t("a text is expected"))
        return value.strip()

    purpose = table.get("purpose")
    if purpose not in PURPOSES:
        raise bad("purpose", t("choose one of {choices}", choices=", ".join(PURPOSES)))
    send_date = table.get("send-date")
    if isinstance(send_date, str):
        try:
            send_date = dt.date.fromisoformat(send_date)
        except ValueError:
            send_date = None
    if isinstance(send_date, dt.datetime):
        send_date = send_date.date()
    if not isinstance(send_date, dt.date):
        raise bad("send-date", t("a date (YYYY-MM-DD) is expected"))
    profile = table.get("profile", "eu-fr")
    if profile not in PROFILES:
        raise bad("profile", t("choose one of {choices}", choices=", ".join(PROFILES)))
    job_related = table.get("job-related", False)
    if not isinstance(job_related, bool):
        raise bad("job-related", t("true or false is expected"))
    retention = table.get("retention-days", 1095)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < 1:
        raise bad("retention-days", t("a positive number of days is expected"))
    lang = table.get("lang")
    if lang not in (None, "en", "fr"):
        raise bad("lang", t("choose one of {choices}", choices="en, fr"))
    template = paths("template") or paths("message")
    return Manifest(
        source=source,
        purpose=purpose,
        send_date=send_date,
        audience=paths("audience", required=True),
        template=template[0] if template else None,
        suppressions=paths("suppressions"),
        send_logs=paths("send-logs"),
        other_lists=paths("other-lists"),
        sender=text("from"),
        reply_to=text("reply-to"),
        provider=text("provider") or None,
        profile=profile,
        job_related=job_related,
        retention_days=retention,
        lang=lang,
    )
