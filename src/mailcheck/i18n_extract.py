"""Every message id of mailcheck: what the French catalogues must translate.

Message ids are found in the code (the calls ``t("...")``, ``gettext("...", ...)`` and the
marker ``N_("...")``, read by Babel's Python extractor) and in the rules: each rule's
documentation (its docstring), its ``fix`` and its options' descriptions. ``python -m
mailcheck.i18n_extract`` prints those that have no French translation, with the file
they come from; ``--pot FILE`` writes them all as a catalogue template for
``pybabel update``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: The functions whose first argument is a message id.
KEYWORDS = {"t": None, "gettext": (1,), "N_": None}


@dataclass(frozen=True)
class MessageId:
    msgid: str
    where: str  # file:line, or the rule's code and part


def N_(msgid: str) -> str:  # noqa: N802 (gettext's own name for the marker)
    """Mark a message id kept in a table and translated later (``gettext``)."""
    return msgid


def code_message_ids(root: Path | None = None) -> Iterator[MessageId]:
    """The message ids written in the code below ``root`` (the mailcheck package)."""
    from babel.messages.extract import extract_from_dir

    root = root or Path(str(resources.files("mailcheck")))
    for filename, line, message, _comments, _context in extract_from_dir(
        str(root),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    ):
        if isinstance(message, str) and message:
            yield MessageId(message, f"{filename}:{line}")


def rule_message_ids(pm=None) -> Iterator[MessageId]:
    """The documentation, fix and option descriptions of every rule the plugin manager
    knows (the built-in ones and the installed plugins')."""
    from mailcheck.manager import create_plugin_manager
    from mailcheck.registry import RuleRegistry

    registry = RuleRegistry.from_plugins(pm or create_plugin_manager())
    for rule in registry.rules.values():
        doc = rule.documentation()
        if doc:
            yield MessageId(doc, f"{rule.code} documentation")
        if getattr(rule, "fix", None):
            yield MessageId(rule.fix, f"{rule.code} fix")
        if getattr(rule, "reference", None):
            yield MessageId(rule.reference, f"{rule.code} reference")
        for name, option in (getattr(rule, "options", None) or {}).items():
            description = getattr(option, "help", None)
            if description:
                yield MessageId(description, f"{rule.code} option {name}")


def missing(language: str = "fr", ids: Iterator[MessageId] | None = None) -> list[MessageId]:
    """The message ids with no translation in ``language``."""
    from mailcheck.i18n import translations

    # The ids first: listing the rules loads the plugins, and with them their catalogues.
    messages = list(ids if ids is not None else _all())
    catalog = translations(language)
    seen: set[str] = set()
    lacking = []
    for message in messages:
        if message.msgid not in catalog and message.msgid not in seen:
            lacking.append(message)
        seen.add(message.msgid)
    return lacking


def _all() -> Iterator[MessageId]:
    yield from code_message_ids()
    yield from rule_message_ids()


def write_pot(target: Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="mailcheck")
    for message in _all():
        catalog.add(message.msgid, locations=[(message.where, 0)])
    with target.open("wb") as handle:
        write_po(handle, catalog, width=100)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--pot"] and len(argv) == 2:
        write_pot(Path(argv[1]))
        return 0
    lacking = missing()
    for message in lacking:
        print(f"{message.where}: {message.msgid[:100]!r}")
    print(f"{len(lacking)} message ids without a French translation")
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
