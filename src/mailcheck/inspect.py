"""``mailcheck inspect PATH``: how mailcheck understands each file, before any rule runs.

For a contact list: its kind and role (audience, suppression list, send log), detected
provider and why, encoding, delimiter, row count, and the column mapping (canonical name
<- source header) plus the headers that were not used -- so a user can see why a column
was or was not understood, and fix it with ``[columns]`` in config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mailcheck.config import Config
from mailcheck.engine import Linter, reader_failure
from mailcheck.errors import InputError
from mailcheck.files import display_path


def inspect_paths(paths: list[Path], config: Config, pm) -> list[dict[str, Any]]:
    """One description per document (a ZIP gives one per member)."""
    linter = Linter(config, pm=pm)
    described: list[dict[str, Any]] = []
    for path in linter.discover(paths):
        kind = linter.classify(path)
        shown = display_path(path)
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
            described.append({"path": shown, "kind": kind, "error": str(error)})
        except Exception as error:  # noqa: BLE001 -- a reader bug: one file, as lint does
            # Lint makes such a file MC900 and goes on; inspect did not, and died with
            # "internal error" and no description of the other files.
            described.append({"path": shown, "kind": kind, "error": reader_failure(error)})
    return described


def describe_contact_list(doc) -> dict[str, Any]:
    counter = doc.meta.get("count_rows")
    try:
        rows = counter() if counter else None
    except InputError as error:
        rows, error_text = None, str(error)
    except Exception as error:  # noqa: BLE001 -- a reader bug, reported on this file only
        rows, error_text = None, reader_failure(error)
    else:
        error_text = None
    mapped = set(doc.columns.values())
    contact_format = doc.meta.get("format")
    description = {
        "path": doc.display_path,
        "kind": doc.kind,
        "role": doc.meta.get("role"),
        "role_reason": doc.meta.get("role_reason"),
        "provider": doc.provider,
        "provider_reason": doc.meta.get("provider_reason"),
        "encoding": doc.encoding,
        "delimiter": doc.delimiter,
        "rows": rows,
        "columns": [{"canonical": k, "source": v} for k, v in doc.columns.items()],
        "constants": dict(contact_format.constants) if contact_format else {},
        "unmapped": [h for h in doc.header if h not in mapped],
        "notes": list(doc.notes),
    }
    if doc.meta.get("file_status") and "status" not in doc.columns:
        description["constants"].setdefault("status", doc.meta["file_status"])
    if error_text:
        description["error"] = error_text
    return description


def format_text(descriptions: list[dict[str, Any]]) -> str:
    """The human view of :func:`inspect_paths`."""
    out: list[str] = []
    for item in descriptions:
        out.append(item["path"])
        if "error" in item and "encoding" not in item:
            out += [f"  kind: {item['kind']}", f"  error: {item['error']}", ""]
            continue
        if item["kind"] != "contacts":
            out += [f"  kind: {item['kind']}", ""]
            continue
        out.append(f"  kind: contacts ({item['role']}: {item['role_reason']})")
        provider = item["provider"] or "none (generic reader)"
        out.append(f"  provider: {provider} -- {item['provider_reason']}")
        rows = "?" if item["rows"] is None else f"{item['rows']:,}"
        delimiter = item["delimiter"]
        out.append(f"  encoding: {item['encoding']}  delimiter: {delimiter!r}  rows: {rows}")
        out.append("  columns:")
        width = max([len(c["canonical"]) for c in item["columns"]] + [8])
        for column in item["columns"]:
            out.append(f"    {column['canonical']:<{width}} <- {column['source']}")
        for name, value in item["constants"].items():
            out.append(f"    {name:<{width}} =  {value!r} (for every row)")
        if item["unmapped"]:
            out.append("  not used: " + ", ".join(item["unmapped"]))
        for note in item["notes"]:
            out.append(f"  note: {note}")
        if "error" in item:
            out.append(f"  error: {item['error']}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
