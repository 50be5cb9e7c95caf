"""``mailcheck inspect PATH``: how mailcheck understands each file, before any rule runs.

For a contact list: its kind and role (audience, suppression list, send log), detected
provider and why, encoding, delimiter, row count, and the column mapping (canonical name
<- source header), each with where it came from (``[columns]`` in config, the provider's
export layout, a header synonym, or its values) and the evidence ("94% of sampled values
parse as dd/mm/yyyy", "values: Professionnel 61%, Particulier 39%"), plus the headers
that were not used -- so a user can see why a column
was or was not understood, and fix it with ``[columns]`` in config.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.engine import Linter, reader_failure
from mailcheck.errors import InputError, message_of
from mailcheck.files import display_path, require_regular_file
from mailcheck.i18n import Text, gettext, labelled, t
from mailcheck.i18n_extract import N_
from mailcheck.pii import mask_text
from mailcheck.readers.csv.origins import ColumnOrigin, OriginKind
from mailcheck.terminal import printable

#: ``origin`` in the json output -> the words of the text output.
_ORIGIN_LABELS = {kind.value: kind.label for kind in OriginKind}


def inspect_paths(
    paths: list[Path],
    config: Config,
    pm,
    on_warning: Callable[[str | Text], None] | None = None,
) -> list[dict[str, Any]]:
    """One description per document (a ZIP gives one per member).

    Files are found and opened as ``lint`` does (:meth:`Linter.discover`): a symlink loop,
    an unreadable folder, a FIFO met in a folder are one warning each (``on_warning``);
    a FIFO or a device named on the command line is described with its error, and is
    never opened.
    """
    linter = Linter(config, pm=pm, on_warning=on_warning)
    described: list[dict[str, Any]] = []
    for path in linter.discover(paths):
        shown = display_path(path)
        try:
            require_regular_file(path)
            kind = linter.classify(path)
        except InputError as error:
            described.append({"path": shown, "kind": "unknown", "error": message_of(error)})
            continue
        except Exception as error:  # noqa: BLE001 -- a classifier bug: one file, as lint does
            described.append({"path": shown, "kind": "unknown", "error": reader_failure(error)})
            continue
        if kind is None or kind == "skip":
            described.append({"path": shown, "kind": kind or "unknown"})
            continue
        if kind != "contacts":
            described.append({"path": shown, "kind": kind})
            continue
        try:
            documents = pm.hook.mailcheck_read_document(path=path, kind=kind, config=config) or []
            for doc in documents:
                described.append(describe_contact_list(doc))
        except InputError as error:
            described.append({"path": shown, "kind": kind, "error": message_of(error)})
        except Exception as error:  # noqa: BLE001 -- a reader bug: one file, as lint does
            # Lint makes such a file MC900 and goes on; inspect did not, and died with
            # "internal error" and no description of the other files.
            described.append({"path": shown, "kind": kind, "error": reader_failure(error)})
    return described


def describe_contact_list(doc: ContactListDocument) -> dict[str, Any]:
    try:
        rows = doc.count_rows()
    except InputError as error:
        rows, error_text = None, message_of(error)
    except Exception as error:  # noqa: BLE001 -- a reader bug, reported on this file only
        rows, error_text = None, reader_failure(error)
    else:
        error_text = None
    mapped = set(doc.columns.values())
    contact_format = doc.contact_format
    description = {
        "path": doc.display_path,
        "kind": doc.kind,
        "role": doc.role,
        "role_reason": doc.role_reason,
        "provider": doc.provider,
        "provider_reason": doc.provider_reason,
        "encoding": doc.encoding,
        "delimiter": doc.delimiter,
        "rows": rows,
        "columns": _columns(doc),
        "constants": dict(contact_format.constants) if contact_format else {},
        "unmapped": [h for h in doc.header if h not in mapped],
        "notes": list(doc.notes),
    }
    if doc.file_status and "status" not in doc.columns:
        description["constants"].setdefault("status", doc.file_status)
    if error_text:
        description["error"] = error_text
    return description


def _columns(doc: ContactListDocument) -> list[dict[str, str]]:
    """Each canonical column: its source header, where it came from (``config``,
    ``provider``, ``synonym``, ``values``; ``reader`` for a plugin's own reader, which
    says nothing of it) and the evidence in words."""
    origins: dict[str, ColumnOrigin] = getattr(doc.reader_plan, "origins", None) or {}
    described = []
    for canonical, source in doc.columns.items():
        origin = origins.get(canonical)
        described.append(
            {
                "canonical": canonical,
                "source": source,
                "origin": origin.kind.value if origin else "reader",
                "evidence": origin.evidence if origin else "",
            }
        )
    return described


def mask_descriptions(descriptions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``descriptions`` with every address masked, wherever it is: a file or ZIP member
    named after one, the "headers" of a list without a header row (its first row), a
    note or an error quoting a cell."""
    return [_masked(item) for item in descriptions]


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Text):  # masked once written in the language of the output
        return value
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


#: The kinds of file, as the text output names them.
_KIND_LABELS = {
    "contacts": N_("contact list"),
    "template": N_("e-mail template"),
    "form": N_("signup form"),
    "message": N_("e-mail message"),
    "skip": N_("left out"),
    "unknown": N_("unknown"),
}


def in_language(value: Any, language: str) -> Any:
    """``value`` (a description, or a list of them) with every text of mailcheck's
    (:class:`~mailcheck.i18n.Text`) written in ``language``: ``str`` for the json output
    gives the English, as machine formats always had it."""
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, dict):
        return {key: in_language(item, language) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [in_language(item, language) for item in value]
    return value


def format_text(descriptions: list[dict[str, Any]], language: str = "en") -> str:
    """The human view of :func:`inspect_paths`, in ``language``; every text from a file
    (its name, its headers, a constant, a note) is shown with control characters
    escaped."""
    descriptions = in_language(descriptions, language)

    def say(text: Text) -> str:
        return text.render(language)

    def kind(name: str) -> str:
        label = _KIND_LABELS.get(name)  # English keeps the kind's own name, as ever
        return gettext(label, language) if label and language != "en" else name

    out: list[str] = []
    for item in descriptions:
        out.append(printable(item["path"]))
        if "error" in item and "encoding" not in item:
            out += [
                "  " + say(t("kind: {kind}", kind=kind(item["kind"]))),
                "  " + say(t("error: {message}", message=printable(str(item["error"])))),
                "",
            ]
            continue
        if item["kind"] != "contacts":
            out += ["  " + say(t("kind: {kind}", kind=kind(item["kind"]))), ""]
            continue
        role_reason = printable(str(item["role_reason"]))
        out.append(
            "  "
            + say(
                t(
                    "kind: {kind} ({role}: {reason})",
                    kind=kind("contacts"),
                    role=item["role"],
                    reason=role_reason,
                )
            )
        )
        provider = item["provider"] or gettext(N_("none (generic reader)"), language)
        out.append(
            "  "
            + say(
                t(
                    "provider: {provider} -- {reason}",
                    provider=provider,
                    reason=printable(str(item["provider_reason"])),
                )
            )
        )
        rows = "?" if item["rows"] is None else item["rows"]
        out.append(
            "  "
            + say(
                t(
                    "encoding: {encoding}  delimiter: {delimiter}  rows: {rows}",
                    encoding=item["encoding"],
                    delimiter=repr(item["delimiter"]),
                    rows=rows,
                )
            )
        )
        out.append("  " + say(t("columns:")))
        width = max([len(c["canonical"]) for c in item["columns"]] + [8])
        for column in item["columns"]:
            source = printable(str(column["source"]))
            out.append(f"    {column['canonical']:<{width}} <- {source}")
            origin = column.get("origin")
            if origin in _ORIGIN_LABELS:
                evidence = printable(str(column.get("evidence") or ""))
                label = gettext(str(_ORIGIN_LABELS[origin]), language)
                out.append(f"    {'':<{width}}    {labelled(label, evidence, language)}")
        for name, value in item["constants"].items():
            shown = say(t("{value} (for every row)", value=printable(repr(value))))
            out.append(f"    {name:<{width}} =  {shown}")
        if item["unmapped"]:
            unmapped = ", ".join(printable(str(h)) for h in item["unmapped"])
            out.append("  " + say(t("not used: {headers}", headers=unmapped)))
        for note in item["notes"]:
            out.append("  " + say(t("note: {message}", message=printable(str(note)))))
        if "error" in item:
            out.append("  " + say(t("error: {message}", message=printable(str(item["error"])))))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
