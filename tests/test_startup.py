"""Start-up (#19): a run imports only what its files need.

Behaviour, not timing (``benchmarks/bench_startup.py`` prints the times): linting one
template imports none of pandas, numpy and pyarrow; ``mailcheck --version`` imports no
bs4 either; a contact list still gets them; the lazy stand-ins behave as the modules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mailcheck.lazy import LazyModule, lazy_module

FIXTURES = Path(__file__).parent.parent / "fixtures"
CONTACT_LIBRARIES = ("pandas", "numpy", "pyarrow")


def imported_by(*arguments: str, cwd: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules ``mailcheck ARGUMENTS`` imports, as ``python -X importtime`` lists them
    (a lazy stand-in never goes through the import system, so it is not listed)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mailcheck.cli", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    # A package's own line can be missing (pyarrow's), its submodules' are not.
    return modules | {name.partition(".")[0] for name in modules}, done


def test_linting_one_template_imports_no_contact_library(tmp_path):
    template = tmp_path / "newsletter.html"
    template.write_bytes((FIXTURES / "templates" / "brevo-fr-newsletter.html").read_bytes())
    modules, done = imported_by("lint", str(template), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "mailcheck.engine" in modules  # the lint really ran
    assert "bs4" in modules  # the template was parsed
    assert not set(CONTACT_LIBRARIES) & modules
    # What bs4 imports for CSS selectors and encoding guesses: not used on decoded text.
    assert not {"soupsieve", "charset_normalizer"} & modules
    # What only some formats or big lists use: JUnit's XML escaping (which loads
    # urllib.request), the fingerprint worker's futures.
    assert not {"xml.sax.saxutils", "urllib.request", "concurrent.futures"} & modules


def test_version_imports_neither_contact_libraries_nor_bs4(tmp_path):
    modules, done = imported_by("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("mailcheck ")
    assert not {*CONTACT_LIBRARIES, "bs4", "soupsieve"} & modules


def test_rules_and_rule_import_no_contact_library(tmp_path):
    for arguments in (("rules",), ("rule", "MC201")):
        modules, done = imported_by(*arguments, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        assert not {*CONTACT_LIBRARIES, "bs4"} & modules, arguments


def test_a_contact_list_still_imports_them(tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("email,status\nanne@example.com,subscribed\n", encoding="utf-8")
    modules, done = imported_by("lint", str(contacts), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert {"pandas", "pyarrow"} <= modules


def test_a_stand_in_gives_the_module_attributes():
    import json

    stand_in = lazy_module("json")
    assert isinstance(stand_in, LazyModule)
    assert stand_in.dumps is json.dumps
    assert "dumps" in vars(stand_in)  # copied: later reads cost a module attribute
    with pytest.raises(AttributeError):
        stand_in.no_such_attribute  # noqa: B018


def test_a_stand_in_of_a_missing_module_fails_on_use():
    stand_in = lazy_module("mailcheck_no_such_module")
    with pytest.raises(ModuleNotFoundError):
        stand_in.anything  # noqa: B018


def test_bs4_still_selects_and_guesses_encodings():
    """What bs4 imports lazily works when used (in a fresh process: the stand-ins are
    registered by ``import mailcheck`` before bs4 is imported)."""
    code = (
        "import sys, mailcheck\n"
        "from mailcheck.documents import parse_html\n"
        "soup = parse_html('<p class=a>x</p>')\n"
        "assert type(sys.modules['soupsieve']).__name__ == 'LazyModule'\n"
        "assert [p.text for p in soup.select('p.a')] == ['x']\n"
        "assert type(sys.modules['soupsieve']).__name__ == 'module'\n"
        "import bs4\n"
        "raw = 'caf\\u00e9 cr\\u00e8me br\\u00fbl\\u00e9e '.encode('cp1252') * 20\n"
        "print(bs4.UnicodeDammit(raw).unicode_markup[:4])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "caf\u00e9"


def test_installed_plugins_load_without_contact_libraries():
    """Every installed plugin's entry-point module (our 12 providers and the example) and
    its rules import none of pandas, numpy and pyarrow: these load with the hooks that
    read a contact list (docs/plugins.md, "Plugin loading")."""
    code = (
        "import sys\n"
        "from importlib import metadata\n"
        "names = []\n"
        "for entry_point in metadata.entry_points(group='mailcheck'):\n"
        "    plugin = entry_point.load()\n"
        "    names.append(entry_point.name)\n"
        "    if hasattr(plugin, 'mailcheck_rules'):\n"
        "        plugin.mailcheck_rules()  # its rule modules, imported on every lint\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules)\n"
        "print(len(names), ','.join(heavy) or 'none')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    count, heavy = done.stdout.split()
    assert int(count) >= 1  # the test environment installs the plugins
    assert heavy == "none"
