"""Sendy plugin: template tags; contact lists only when forced."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_sendy
import pandas as pd

from mailcheck.config import Config
from mailcheck.testing import check_plugin

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sendy"


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_sendy, "sendy")


def test_never_claims_a_contact_list():
    assert not hasattr(mailcheck_sendy, "mailcheck_detect_provider")


def test_forced_provider_maps_status_words(mailchecker):
    mailchecker.register(mailcheck_sendy, "sendy")
    path = mailchecker.make_csv(
        "list.csv", "Name,Email,Status\nAna,a@example.com,Unsubscribed\nBo,b@example.com,Bounced\n"
    )
    pm = mailchecker.plugin_manager()
    config = Config(root=mailchecker.path, provider="sendy")
    config.pluginmanager = pm
    (doc,) = pm.hook.mailcheck_read_document(path=path, kind="contacts", config=config)
    frame = pd.concat(list(doc.chunks())).set_index("line")
    assert (doc.provider, str(doc.provider_reason)) == ("sendy", "forced in config")
    assert list(frame["status"]) == ["unsubscribed", "cleaned"]


def test_merge_tags_and_template(mailchecker):
    tags = mailcheck_sendy.mailcheck_merge_tags()
    assert {"[unsubscribe]", "<unsubscribe>"} <= set(tags["unsubscribe"])
    assert "[webversion]" in tags["web_version"]
    mailchecker.register(mailcheck_sendy, "sendy")
    shutil.copy(FIXTURES / "newsletter-sendy.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})
