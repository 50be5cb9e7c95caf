"""The one install command, the README's two quick-start commands, CI, the pre-commit
hook's manifest and the GitHub Action stay consistent with each other and with plugins/.

(The install itself -- a fresh virtual environment, ``mailcheck plugins`` listing every
provider and no example rule firing on the fixtures -- needs the package index: it is
checked by hand and by CI's ``.ci/run``, which installs from these files.)"""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from mailcheck.engine import KNOWN_SUFFIXES
from mailcheck.readers.classify import TEMPLATE_SUFFIXES

ROOT = Path(__file__).parent.parent
REQUIREMENTS = ROOT / "requirements"
PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").is_file())
PROVIDERS = [name for name in PLUGINS if name != "mailcheck-example"]


def lines(name: str) -> list[str]:
    text = (REQUIREMENTS / name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_provider_requirements_list_every_provider_plugin_and_not_the_example():
    assert lines("providers.txt") == ["-e .", "-r provider-plugins.txt"]
    assert lines("provider-plugins.txt") == [f"./plugins/{name}" for name in PROVIDERS]
    assert len(PROVIDERS) >= 12
    assert lines("examples.txt") == ["./plugins/mailcheck-example"]


def test_test_requirements_bring_the_test_tools_and_the_example_plugin():
    assert lines("test.txt") == ["-r providers.txt", "-r examples.txt", "-e .[test]"]


def test_each_plugin_is_its_own_distribution():
    for name in PLUGINS:
        pyproject = (ROOT / "plugins" / name / "pyproject.toml").read_text("utf-8")
        assert f'name = "{name}"' in pyproject
        assert '"mailcheck-lint"' in pyproject  # depends on the core by name, not by path
        assert "[project.entry-points.mailcheck]" in pyproject


def test_the_provider_plugins_of_this_environment_are_installed():
    """What the one install command gives, seen from the test environment (which has
    the example plugin too, for its own tests)."""
    installed = {ep.dist.name for ep in entry_points(group="mailcheck") if ep.dist}
    assert set(PROVIDERS) <= installed


def quick_start_blocks() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[
        readme.index("## Quick start") : readme.index("\n## ", readme.index("## Quick start") + 1)
    ]
    return re.findall(r"```(sh|bat)\n(.*?)\n```", section, re.S)


def test_readme_quick_start_has_two_commands_and_their_windows_twins():
    blocks = quick_start_blocks()
    posix = [code for kind, code in blocks if kind == "sh"]
    windows = [code for kind, code in blocks if kind == "bat"]
    assert len(posix) == 2 and len(windows) == 2
    assert all("\n" not in code for code in posix + windows)  # one command each
    run, test = posix
    assert "-r requirements/providers.txt" in run and run.endswith("mailcheck lint fixtures/")
    assert "-r requirements/test.txt" in test and test.endswith(".venv/bin/pytest")
    for posix_code, windows_code in zip(posix, windows, strict=True):
        twin = (
            posix_code.replace("python3 -m venv", "py -m venv")
            .replace(".venv/bin/", ".venv\\Scripts\\")
            .replace("requirements/", "requirements\\")
            .replace("fixtures/", "fixtures\\")
        )
        assert windows_code == twin
    assert "plugins/mailcheck-*" not in "".join(posix + windows)  # no shell glob


def test_ci_runs_the_readme_test_command():
    test = [code for kind, code in quick_start_blocks() if kind == "sh"][1]
    assert test in (ROOT / ".ci" / "run").read_text("utf-8")


def manifest_value(key: str) -> str:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    return re.search(rf"^  {key}: (.*)$", text, re.M).group(1).strip()


@pytest.mark.parametrize(
    "suffix",
    sorted(
        {*KNOWN_SUFFIXES, *TEMPLATE_SUFFIXES}
        | {".csv.gz", ".tsv.gz", ".txt.gz", ".HTML", ".jinja2", ".handlebars"}
    ),
)
def test_pre_commit_hook_files_cover_every_input_kind(suffix):
    files = re.compile(manifest_value("files"))
    exclude = re.compile(manifest_value("exclude"))
    path = f"campagnes/mars/news{suffix}"
    assert files.search(path) and not exclude.search(path)


def test_pre_commit_hook_files_leave_out_what_is_no_input():
    files = re.compile(manifest_value("files"))
    exclude = re.compile(manifest_value("exclude"))
    wanted = ["app/views/user_mailer/welcome.html.erb", "emails/promo.ejs", "notes/body.txt"]
    unwanted = ["app/views/home/index.html.erb", "src/app.py", "requirements.txt"]
    unwanted += ["docs/LICENSE.txt", "pyproject.toml", "mailcheck.sarif"]
    assert all(files.search(p) and not exclude.search(p) for p in wanted)
    assert not any(files.search(p) and not exclude.search(p) for p in unwanted)


def test_pre_commit_hook_environment_gets_every_provider_plugin():
    """pre-commit runs ``pip install . <additional_dependencies>`` at the root of its
    clone of the repository: the requirement file is read there."""
    assert manifest_value("language") == "python"
    assert manifest_value("entry") == "mailcheck lint"
    dependencies = manifest_value("additional_dependencies")
    assert dependencies == '["--requirement=requirements/provider-plugins.txt"]'
    assert "-e" not in "".join(lines("provider-plugins.txt"))


def test_github_action_installs_lints_to_sarif_and_uploads():
    action = (ROOT / "action.yml").read_text("utf-8")
    assert "using: composite" in action
    for name in ("paths", "args", "sarif-file"):
        assert re.search(rf"^  {name}:$", action, re.M)
    assert "actions/setup-python@" in action
    assert "working-directory: ${{ github.action_path }}" in action
    assert (
        "python -m pip install --disable-pip-version-check -r requirements/providers.txt" in action
    )
    assert "--output-format sarif" in action
    assert "github/codeql-action/upload-sarif@" in action
    # Inputs reach the shell through the environment, never pasted into a script.
    for script in re.findall(r"run: \|\n((?:        .*\n)+)", action):
        assert "${{" not in script


def test_workflows_doc_shows_the_gitlab_code_quality_job():
    doc = (ROOT / "docs" / "workflows.md").read_text("utf-8")
    assert "--output-format gitlab" in doc and "codequality:" in doc
    assert "context = [" in doc and "--stdin-filename" in doc
