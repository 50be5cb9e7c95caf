"""Templates, forms and messages linted in worker processes (``jobs``): a parallel run
reports exactly what a serial run reports, in the same order; a dying worker loses no
file; workers that cannot start leave the run serial."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailcheck.cli import main
from mailcheck.config import Config, load_config
from mailcheck.engine import Linter
from mailcheck.errors import ConfigError
from mailcheck.manager import create_plugin_manager
from mailcheck.parallel import Pool, plan
from mailcheck.rules.messages.sender import ListIdentityMissing

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _run(paths: list[Path], jobs: int | None, plugins=(), auto: bool = False):
    """(findings, result, warnings, documents described, the linter) of one run."""
    config = Config(root=FIXTURES.parent)
    config.jobs = jobs
    warnings: list[str] = []
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=plugins)
    linter = Linter(config, pm=pm, on_warning=lambda m: warnings.append(str(m)))
    linter.auto_jobs = auto
    described: list[tuple] = []
    linter.on_document = lambda doc, rows: described.append(
        (doc.display_path, str(doc.kind), doc.provider, rows)
    )
    result = linter.lint(paths)
    findings = [
        (f.path, f.line, f.column, f.code, f.severity, f.message, f.excerpt, f.end_line)
        for f in result.findings
    ]
    return findings, result, warnings, described, linter


def test_parallel_run_reports_what_the_serial_run_reports():
    # Every fixture: contact lists (kept in this process) between templates, forms and
    # messages (sent to workers), cross-list and cross-message rules, unreadable files.
    serial = _run([FIXTURES], jobs=1)
    parallel = _run([FIXTURES], jobs=2)
    assert parallel[0] == serial[0]  # same findings, same order
    assert parallel[2] == serial[2]  # same warnings
    assert parallel[3] == serial[3]  # the HTML report's documents, in order
    for name in ("files_linted", "files_unreadable", "not_linted", "counts"):
        assert getattr(parallel[1], name) == getattr(serial[1], name), name
    assert parallel[1].coverage == serial[1].coverage


def test_parallel_run_merges_cross_message_state(tmp_path: Path):
    # MC327 needs both messages of one sender, each linted by whichever worker.
    shared = FIXTURES / "messages" / "shared-from"
    folder = tmp_path / "mail"
    shutil.copytree(shared, folder)
    serial = _run([folder], jobs=1)
    parallel = _run([folder], jobs=2)
    assert [f for f in serial[0] if f[3] == "MC327"], "the fixture should trigger MC327"
    assert parallel[0] == serial[0]


def test_template_pieces_found_in_the_main_process_are_skipped_in_workers(tmp_path: Path):
    # The workers start before the main process has read every template for the pieces
    # they use (a layout, an included footer): each file is sent with how it is used.
    folder = tmp_path / "emails"
    (folder / "layouts").mkdir(parents=True)
    (folder / "layouts" / "base.njk").write_text(
        "<html><body>{% block contenu %}{% endblock %}\n{% include 'pied.njk' %}</body></html>\n"
    )
    (folder / "pied.njk").write_text(
        '<p>Atelier Lumière SARL, Lyon. <a href="{{ desinscription }}">Se désabonner</a></p>\n'
    )
    for name in ("bienvenue", "relance"):
        (folder / f"{name}.njk").write_text(
            "{% extends 'layouts/base.njk' %}\n"
            "{% block contenu %}<p>Bonjour {{ prenom }}, -10 % sur votre commande."
            "</p>{% endblock %}\n"
        )
    (folder / "sans-pied.html").write_text("<html><body><p>Promo -20 %</p></body></html>\n")
    serial = _run([folder], jobs=1)
    parallel = _run([folder], jobs=2)
    linter = parallel[4]
    pool = plan(linter, linter.discover([folder]))
    assert pool is not None and len(pool.chosen) == 5  # every file went to the workers
    skipped = [w for w in parallel[2] if "a template piece used by" in w]
    assert len(skipped) == 2  # the layout and the footer, not linted alone
    no_unsubscribe = [Path(f[0]).name for f in serial[0] if f[3] == "MC101"]
    assert no_unsubscribe == ["sans-pied.html"]  # the children have the footer's link
    assert parallel[0] == serial[0]
    assert parallel[2] == serial[2]
    assert parallel[1].not_linted == serial[1].not_linted


def test_which_files_go_to_workers():
    linter = Linter(Config(root=FIXTURES.parent), pm=create_plugin_manager(load_entry_points=False))
    files = linter.discover([FIXTURES])
    assert plan(linter, files) is None  # auto, and the API did not say workers may start
    linter.auto_jobs = True
    assert plan(linter, files) is None  # auto: the fixtures are too small to pay for it
    linter.config.jobs = 2
    pool = plan(linter, files)
    assert isinstance(pool, Pool)
    chosen = {path.suffix for path in pool.chosen.values()}
    assert ".csv" not in chosen and {".html", ".eml"} <= chosen
    linter.config.jobs = 1
    assert plan(linter, files) is None


@pytest.fixture
def test_plugins(monkeypatch):
    """The folder of the test plugins on ``sys.path``: workers import them by name."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def test_a_worker_that_dies_loses_no_file(tmp_path: Path, test_plugins):
    from parallel_plugins import killer

    source = FIXTURES / "templates"
    templates = sorted(p for p in source.glob("*.html"))[:4]
    for path in templates:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "zz-killer.html").write_text("<html><body>KILL-THE-WORKER</body></html>")
    expected = _run([tmp_path / p.name for p in templates], jobs=1)[0]
    findings, result, warnings, _, _ = _run([tmp_path], jobs=2, plugins=[("killer", killer)])
    killed = [f for f in findings if f[0].endswith("zz-killer.html")]
    assert [f[3] for f in killed] == ["MC900"]
    assert "worker process linting it stopped" in killed[0][5]
    assert [f for f in findings if not f[0].endswith("zz-killer.html")] == expected
    assert result.files_unreadable == 1


def test_workers_that_cannot_start_leave_the_run_serial(test_plugins):
    from parallel_plugins import no_worker

    templates = FIXTURES / "templates"
    serial = _run([templates], jobs=1, plugins=[("no-worker", no_worker)])
    parallel = _run([templates], jobs=2, plugins=[("no-worker", no_worker)])
    assert parallel[0] == serial[0] and parallel[2] == serial[2]
    assert not [f for f in parallel[0] if f[3] == "MC900"]


def test_list_identity_state_is_taken_and_merged():
    rule = ListIdentityMissing()
    rule.seen.append(("a@x.fr", "marketing", False, "a.eml", 3))
    taken = rule.take_session_state()
    assert taken == [("a@x.fr", "marketing", False, "a.eml", 3)] and rule.seen == []
    other = ListIdentityMissing()
    other.merge_session_state(taken)
    other.merge_session_state([("a@x.fr", "transactional", False, "b.eml", 2)])
    found = list(other.finish_session(None))
    assert [(f.path, f.line) for f in found] == [("a.eml", 3)]


@pytest.mark.parametrize(("value", "jobs"), [('"auto"', None), ("1", 1), ("3", 3)])
def test_jobs_key(tmp_path: Path, value: str, jobs: int | None):
    (tmp_path / "mailcheck.toml").write_text(f"jobs = {value}\n")
    assert load_config(None, tmp_path).jobs == jobs


@pytest.mark.parametrize("value", ["0", '"many"', "true"])
def test_bad_jobs_key(tmp_path: Path, value: str):
    (tmp_path / "mailcheck.toml").write_text(f"jobs = {value}\n")
    with pytest.raises(ConfigError, match='expected "auto" or a positive whole number'):
        load_config(None, tmp_path)


def test_jobs_option(tmp_path: Path):
    template = FIXTURES / "templates"
    runner = CliRunner()
    bad = runner.invoke(main, ["lint", str(template), "--jobs", "0"])
    assert bad.exit_code == 2
    assert "--jobs '0': expected auto or a positive whole number" in bad.output
    one = runner.invoke(main, ["lint", str(template), "-j", "1", "--output-format", "json"])
    two = runner.invoke(main, ["lint", str(template), "-j", "2", "--output-format", "json"])
    assert one.exit_code == two.exit_code and one.output == two.output
