"""Test helpers for mailcheck's own tests and for plugin authors (a pytest plugin).

Enable it in your plugin's tests with ``pytest_plugins = ["mailcheck.testing"]`` in a
``conftest.py`` (or ``-p mailcheck.testing``). It gives the ``mailchecker`` fixture::

    def test_my_rule(mailchecker):
        mailchecker.register(my_plugin)               # only the plugin under test
        mailchecker.make_csv("list.csv", header=["Email"], rows=[["info@example.com"]])
        run = mailchecker.run("list.csv")             # the real CLI, JSON inside
        run.assert_findings({"ABC101": 1})
        assert run.lines("ABC101") == [2]

Every run is isolated: a temporary folder as working directory, entry-point autoload
off, a fresh plugin manager holding the built-ins plus what you registered.
:func:`check_plugin` and :func:`check_contact_format` are ready-made conformance checks;
:func:`check_translations` checks that the plugin's catalogue translates all its texts.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mailcheck.config import Config, apply_table
from mailcheck.documents import ContactListDocument
from mailcheck.findings import Finding
from mailcheck.i18n_extract import MessageId
from mailcheck.manager import MailcheckPluginManager, create_plugin_manager

if TYPE_CHECKING:
    import pandas as pd


#: The fingerprint key of every :class:`MailChecker` run (see :mod:`mailcheck.fingerprints`).
TEST_FINGERPRINT_KEY = "mailcheck-tests-fixed-fingerprint-key-not-a-secret"


@dataclass
class LintRun:
    """The outcome of :meth:`MailChecker.run`."""

    exit_code: int
    output: str
    stderr: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def codes(self) -> Counter[str]:
        return Counter(f["code"] for f in self.findings)

    def lines(self, code: str, path: str | None = None) -> list[int]:
        """Lines of the findings of ``code`` (in ``path`` if given), sorted."""
        return sorted(
            f["line"]
            for f in self.findings
            if f["code"] == code and (path is None or f["path"] == path)
        )

    def assert_findings(self, expected: dict[str, int]) -> None:
        """Exactly these counts for these codes (other codes are not checked)."""
        actual = {code: self.codes.get(code, 0) for code in expected}
        assert actual == expected, f"expected {expected}, got {dict(self.codes)}\n{self.stderr}"

    def assert_clean(self) -> None:
        assert not self.findings, f"expected no findings, got {dict(self.codes)}"


class MailChecker:
    """Writes input files in a temporary folder and lints them in isolation."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = tmp_path
        self.plugins: list[tuple[str, Any]] = []
        self._monkeypatch = monkeypatch
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
        # A fixed fingerprint key: runs never create a key file in the real home folder,
        # and fingerprints are the same from run to run (a test may delenv it).
        monkeypatch.setenv("MAILCHECK_FINGERPRINT_KEY", TEST_FINGERPRINT_KEY)

    # -- inputs -------------------------------------------------------------------------

    def make_file(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode(encoding))
        return target

    def make_csv(
        self,
        name: str,
        text: str | None = None,
        *,
        header: list[str] | None = None,
        rows: list[list[Any]] | None = None,
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> Path:
        """Write a CSV from ``text``, or from ``header`` and ``rows``."""
        if text is None:
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header or [])
            writer.writerows(rows or [])
            text = buffer.getvalue()
        return self.make_file(name, text, encoding)

    def make_html(self, name: str, text: str) -> Path:
        return self.make_file(name, text)

    def make_eml(self, name: str, text: str) -> Path:
        return self.make_file(name, text)

    def make_config(self, toml: str, name: str = "mailcheck.toml") -> Path:
        return self.make_file(name, toml)

    def read_rows_out(self, folder: str, name: str) -> list[dict[str, str]]:
        """The rows of the ``--rows-out`` file ``folder/name`` (UTF-8 with BOM, ``;``),
        as dicts by column: what a plugin's row findings put there (``address``...)."""
        with (self.path / folder / name).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))

    # -- plugins and runs ---------------------------------------------------------------

    def register(self, plugin: Any, name: str | None = None) -> None:
        """Add a plugin (module or object) to every following run."""
        self.plugins.append((name or getattr(plugin, "__name__", repr(plugin)), plugin))

    def plugin_manager(self) -> MailcheckPluginManager:
        return create_plugin_manager(load_entry_points=False, extra_plugins=self.plugins)

    def run(self, *args: str) -> LintRun:
        """Run ``mailcheck lint ARGS --output-format json`` through the real CLI."""
        from click.testing import CliRunner

        from mailcheck import cli
        from mailcheck.cli import plugin_options

        def isolated(disabled=(), load_entry_points=None, extra_plugins=()):
            return create_plugin_manager(
                disabled=disabled,
                load_entry_points=False,
                extra_plugins=[*self.plugins, *extra_plugins],
            )

        self._monkeypatch.setattr(plugin_options, "create_plugin_manager", isolated)
        arguments = ["lint", *args]
        if not any(a.startswith("--output-format") for a in args):
            arguments += ["--output-format", "json"]
        result = CliRunner().invoke(cli.main, arguments, catch_exceptions=False)
        output, stderr = result.stdout, result.stderr
        findings: list[dict[str, Any]] = []
        if "--output-format" not in args and output.strip().startswith("["):
            findings = json.loads(output)
        return LintRun(result.exit_code, output, stderr, findings)

    def read_contacts(self, path: str | Path, **attributes: Any) -> list[ContactListDocument]:
        """Read a contact list through the reader hooks, with the plugins registered so
        far; ``attributes`` set :class:`~mailcheck.config.Config` fields
        (``provider="brevo"``, ``providers={"*.csv": "brevo"}``)."""
        pm = self.plugin_manager()
        config = Config(root=self.path)
        for name, value in attributes.items():
            setattr(config, name, value)
        config.pluginmanager = pm
        return pm.hook.mailcheck_read_document(path=Path(path), kind="contacts", config=config)

    def lint(self, *paths: str | Path, **settings: Any) -> list[Finding]:
        """Lint in-process through the Python API; ``settings`` are config keys
        (``select=["MC2"]``, ``today="2026-01-01"``; use underscores for dashes)."""
        from mailcheck.engine import Linter

        config = Config(root=self.path)
        apply_table(config, {k.replace("_", "-"): v for k, v in settings.items()}, where="test")
        linter = Linter(config, pm=self.plugin_manager())
        return linter.lint([Path(p) for p in paths] or [self.path]).findings


def canonical_frame(doc: ContactListDocument) -> pd.DataFrame:
    """Every chunk of ``doc`` in one frame, indexed by physical line (for small fixtures)."""
    import pandas as pd

    return pd.concat(list(doc.chunks()), ignore_index=True).set_index("line")


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports in English whatever the machine's locale (``LANG=fr_FR`` on a French
    laptop would translate them): a test that wants French passes ``--lang fr``."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def mailchecker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MailChecker:
    """An isolated workspace to write inputs and lint them (see :class:`MailChecker`)."""
    return MailChecker(tmp_path, monkeypatch)


# -- conformance checks --------------------------------------------------------------------


def check_plugin(plugin: Any, name: str = "plugin-under-test") -> None:
    """Assert that ``plugin`` loads cleanly beside the built-ins: every hook it implements
    has a spec, its rule codes are well-formed and unique, every rule is documented."""
    from mailcheck.registry import RuleRegistry

    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(name, plugin)])
    assert pm.has_plugin(name), f"{name} did not register"
    registry = RuleRegistry.from_plugins(pm)  # raises PluginError on a bad rule
    for rule in registry.rules.values():
        if rule.origin == name:
            assert rule.summary(), f"{rule.code} has an empty 'What it does'"


def check_contact_format(
    plugin: Any, sample: Path, provider: str, name: str = "plugin-under-test"
) -> None:
    """Assert that ``plugin`` claims ``sample`` as ``provider`` and maps it into a valid
    canonical frame: an ``email`` column, statuses and legal bases from the canonical
    sets, parsed dates, and physical line numbers that only grow."""
    import pandas as pd

    from mailcheck.providers import LEGAL_BASES, STATUSES

    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(name, plugin)])
    config = Config(root=sample.parent)
    config.pluginmanager = pm
    documents = pm.hook.mailcheck_read_document(path=sample, kind="contacts", config=config)
    assert documents, f"no document read from {sample}"
    for doc in documents:
        assert doc.provider == provider, (
            f"{doc.display_path}: detected {doc.provider!r}, not {provider!r}"
        )
        assert "email" in doc.columns, f"{doc.display_path}: no email column mapped"
        previous = 0
        for chunk in doc.chunks():
            assert "line" in chunk and (chunk["line"] > previous).all()
            assert chunk["line"].is_monotonic_increasing
            previous = int(chunk["line"].iloc[-1]) if len(chunk) else previous
            if "status" in chunk:
                unknown = set(chunk["status"].dropna()) - set(STATUSES)
                assert not unknown, f"{doc.display_path}: non-canonical statuses {unknown}"
            if "legal_basis" in chunk:
                unknown = set(chunk["legal_basis"].dropna()) - set(LEGAL_BASES)
                assert not unknown, f"{doc.display_path}: non-canonical legal bases {unknown}"
            for column in chunk.columns:
                if column.endswith("_at"):
                    assert pd.api.types.is_datetime64_any_dtype(chunk[column]), (
                        f"{doc.display_path}: {column} is not parsed as dates"
                    )


def plugin_message_ids(plugin: Any, name: str = "plugin-under-test") -> list[MessageId]:
    """Every message id of ``plugin``: the ``t("...")``, ``gettext("...", ...)`` and
    ``N_("...")`` of its source (read as Babel reads it) and its rules' documentation,
    ``fix`` and option help (what its translation catalogue must hold)."""
    import inspect

    from mailcheck.i18n_extract import code_message_ids, rule_message_ids
    from mailcheck.registry import RuleRegistry

    ids: list[MessageId] = []
    module = plugin if inspect.ismodule(plugin) else inspect.getmodule(type(plugin))
    source = getattr(module, "__file__", None)
    if source and source.endswith(".py"):
        path = Path(source)
        if path.name == "__init__.py":  # a package: every module of it
            ids += code_message_ids(path.parent)
        else:
            ids += _file_message_ids(path)
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(name, plugin)])
    registry = RuleRegistry.from_plugins(pm)
    own = {code for code, rule in registry.rules.items() if rule.origin == name}
    ids += [m for m in rule_message_ids(pm) if m.where.split(" ", 1)[0] in own]
    return ids


def _file_message_ids(path: Path) -> list[MessageId]:
    from babel.messages.extract import extract_from_file

    from mailcheck.i18n_extract import KEYWORDS

    return [
        MessageId(message, f"{path}:{line}")
        for line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=()
        )
        if isinstance(message, str) and message
    ]


def plugin_translations(plugin: Any, language: str = "fr") -> dict[str, str]:
    """What ``plugin``'s own catalogues (the folders its ``mailcheck_catalogs`` returns)
    translate into ``language``: message id -> translation, empty and fuzzy entries left
    out as mailcheck leaves them out."""
    from mailcheck.i18n import read_catalogs

    hook = getattr(plugin, "mailcheck_catalogs", None)
    folders = hook() if hook is not None else []
    files = [
        po
        for folder in folders
        for po in sorted((Path(folder) / language / "LC_MESSAGES").glob("*.po"))
    ]
    return read_catalogs(files, language)


def check_translations(plugin: Any, language: str = "fr", name: str = "plugin-under-test") -> None:
    """Assert that ``plugin``'s own catalogues translate every message id of the plugin
    into ``language`` (see :func:`plugin_message_ids`), with the same ``{placeholders}``.

    On failure the message lists what is missing as ``.po`` entries, ready to paste into
    ``locale/<language>/LC_MESSAGES/<your package>.po`` and translate."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from mailcheck.i18n import placeholders

    translated = plugin_translations(plugin, language)
    lacking: list[MessageId] = []
    wrong: list[str] = []
    for message in plugin_message_ids(plugin, name):
        french = translated.get(message.msgid)
        if french is None:
            if message.msgid not in {m.msgid for m in lacking}:
                lacking.append(message)
        elif placeholders(french) != placeholders(message.msgid):
            wrong.append(
                f"{message.where}: {message.msgid[:60]!r} has {sorted(placeholders(message.msgid))}"
                f", its translation {sorted(placeholders(french))}"
            )
    assert not wrong, "translations that drop or invent a parameter:\n" + "\n".join(wrong)
    if lacking:
        catalog = Catalog(locale=language)
        for message in lacking:
            catalog.add(message.msgid, locations=[(message.where, 0)])
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, omit_header=True)
        raise AssertionError(
            f"{len(lacking)} message ids of {name} lack a {language!r} translation; "
            f"add them to its catalogue:\n{buffer.getvalue().decode('utf-8')}"
        )


__all__ = [
    "LintRun",
    "MailChecker",
    "canonical_frame",
    "check_contact_format",
    "check_plugin",
    "check_translations",
    "mailchecker",
    "plugin_message_ids",
    "plugin_translations",
]
