"""Mautic plugin: tokens recognised as opt-outs; DNC reasons when forced."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_mautic
import pandas as pd

from mailcheck.config import Config
from mailcheck.testing import check_plugin

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mautic"


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_mautic, "mautic")


def test_forced_provider_maps_dnc_reasons(mailchecker):
    mailchecker.register(mailcheck_mautic, "mautic")
    path = mailchecker.make_csv(
        "contacts.csv",
        "email,dnc_reason,date_added\n"
        "a@example.com,1,2024-01-02 03:04:05\n"
        "b@example.com,2,\nc@example.com,3,\nd@example.com,,\n",
    )
    pm = mailchecker.plugin_manager()
    config = Config(root=mailchecker.path, providers={"contacts.csv": "mautic"})
    config.pluginmanager = pm
    (doc,) = pm.hook.mailcheck_read_document(path=path, kind="contacts", config=config)
    frame = pd.concat(list(doc.chunks())).set_index("line")
    assert list(frame["status"]) == ["unsubscribed", "cleaned", "blocklisted", "unknown"]
    assert frame.loc[2, "created_at"] == pd.Timestamp("2024-01-02 03:04:05")


def test_unsubscribe_token_counts_as_an_opt_out(mailchecker):
    tags = mailcheck_mautic.mailcheck_merge_tags()["unsubscribe"]
    assert {"{unsubscribe_text}", "{unsubscribe_url}"} <= set(tags)
    shutil.copy(FIXTURES / "newsletter-mautic.html", mailchecker.path / "news.html")
    mailchecker.register(mailcheck_mautic, "mautic")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})
