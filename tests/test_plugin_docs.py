"""docs/plugins.md against the code it documents: the hook table against
src/mailcheck/hookspecs.py, so a plugin written from the docs loads."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from mailcheck import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"
# | `mailcheck_name(arg, arg)` | kind | what you return |
TABLE_ROW = re.compile(r"^\|\s*`(mailcheck_\w+)\(([^)]*)\)`\s*\|\s*([^|]+?)\s*\|")


def documented_hooks() -> dict[str, tuple[list[str], str]]:
    """Hook name -> (arguments, kind) as the table of docs/plugins.md gives them."""
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = TABLE_ROW.match(line)
        if match:
            name, args, kind = match.groups()
            rows[name] = ([a.strip() for a in args.split(",") if a.strip()], kind)
    return rows


def specified_hooks() -> dict[str, tuple[list[str], str]]:
    """Hook name -> (arguments, kind) from the hookspecs, in the table's words."""
    specs = {}
    for name, function in vars(hookspecs).items():
        options = getattr(function, "mailcheck_spec", None)
        if not name.startswith("mailcheck_") or options is None:
            continue
        if options.get("historic"):
            kind = "historic"
        elif options.get("firstresult"):
            kind = "first answer"
        else:
            kind = "all asked"
        specs[name] = (list(inspect.signature(function).parameters), kind)
    return specs


def test_hook_table_lists_every_hook_with_the_spec_arguments_and_kind():
    documented, specified = documented_hooks(), specified_hooks()
    assert len(specified) >= 12  # the parsing of the specs found them
    assert documented == specified


def test_table_parser_reads_a_row():
    row = "| `mailcheck_sessionfinish(result, exit_code)` | all asked | nothing |"
    assert TABLE_ROW.match(row).groups() == (
        "mailcheck_sessionfinish",
        "result, exit_code",
        "all asked",
    )
