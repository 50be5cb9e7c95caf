"""Plugin loading (src/mailcheck/manager.py): failures warn, strict mode is fatal,
unknown hooks are rejected, -p no:NAME disables."""

from __future__ import annotations

import types
from importlib import metadata

import pytest
from click.testing import CliRunner

from mailcheck import cli, hookimpl, manager
from mailcheck.errors import PluginError
from mailcheck.manager import create_plugin_manager


def _fake_entry_points(*pairs: tuple[str, str]):
    points = [metadata.EntryPoint(name=n, value=v, group="mailcheck") for n, v in pairs]
    return lambda group: points if group == "mailcheck" else []


def test_broken_plugin_warns_and_run_goes_on(monkeypatch, tmp_path, newsletter_no_unsub):
    monkeypatch.delenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(
        manager.metadata, "entry_points", _fake_entry_points(("broken", "no_such_module_xyz"))
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "promo.html").write_text(newsletter_no_unsub, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["lint", "promo.html"])
    assert result.exit_code == 1  # the MC101 finding, not a crash
    assert (
        "plugin 'broken' (no_such_module_xyz) failed to load: ModuleNotFoundError" in result.stderr
    )
    assert "MC101" in result.stdout
    assert "Traceback" not in result.output


def test_strict_mode_makes_a_broken_plugin_fatal(monkeypatch, tmp_path, newsletter_ok):
    monkeypatch.delenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setenv("MAILCHECK_STRICT_PLUGINS", "1")
    monkeypatch.setattr(
        manager.metadata, "entry_points", _fake_entry_points(("broken", "no_such_module_xyz"))
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news.html").write_text(newsletter_ok, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["lint", "news.html"])
    assert result.exit_code == 2
    assert "MAILCHECK_STRICT_PLUGINS" in result.stderr


def test_plugins_command_lists_load_errors(monkeypatch):
    monkeypatch.delenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(
        manager.metadata, "entry_points", _fake_entry_points(("broken", "no_such_module_xyz"))
    )
    result = CliRunner().invoke(cli.main, ["plugins"])
    assert result.exit_code == 0
    assert "broken" in result.stdout and "FAILED" in result.stdout
    assert "template-rules" in result.stdout


def test_hook_without_spec_is_rejected():
    plugin = types.SimpleNamespace(mailcheck_rulez=hookimpl(lambda: []))
    pm = create_plugin_manager(load_entry_points=False)
    with pytest.raises(PluginError, match="unknown hook"):
        pm.register_plugin(plugin, "typo")
    assert not pm.has_plugin("typo")


def test_entry_point_with_unknown_hook_is_a_load_error(monkeypatch):
    module = types.ModuleType("typo_plugin")
    module.mailcheck_rulez = hookimpl(lambda: [])
    monkeypatch.setitem(__import__("sys").modules, "typo_plugin", module)
    monkeypatch.setattr(
        manager.metadata, "entry_points", _fake_entry_points(("typo", "typo_plugin"))
    )
    pm = create_plugin_manager(load_entry_points=True)
    assert [info.name for info in pm.load_errors] == ["typo"]
    assert "mailcheck_rulez" in pm.load_errors[0].error


def test_disable_builtin_plugin_with_p_no(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    assert mailchecker.run("promo.html").codes["MC101"] == 1
    run = mailchecker.run("promo.html", "-p", "no:template-rules")
    assert run.codes["MC101"] == 0 and run.exit_code == 0


def test_p_name_loads_a_module(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    run = mailchecker.run("news.html", "-p", "mailcheck_example", "--select", "EXA101")
    assert run.exit_code == 0
    run = mailchecker.run("news.html", "-p", "no_such_module_xyz")
    assert run.exit_code == 2 and "could not be imported" in run.stderr
