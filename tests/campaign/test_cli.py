"""``mailcheck campaign``: exit codes, every output format carries the verdict, French."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mailcheck.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["campaign", *args])


def test_no_go_exits_1_with_blocking_reasons_then_counts(example):
    result = run(str(example), "--lang", "en")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("NO-GO as given; GO with the send list (3 contacts)")
    assert lines[1] == "Blocking:"
    assert "14 contacts, 3 may receive it, 11 may not: 1 unsubscribed, bounced" in result.output
    assert "@" not in result.output


def test_go_exits_0(tmp_path, example):
    send = tmp_path / "send.csv"
    assert run(str(example), "--send-list", str(send)).exit_code == 1
    manifest = example.read_text(encoding="utf-8").replace(
        'audience = "audience.csv"', f'audience = "{send.as_posix()}"'
    )
    example.write_text(manifest, encoding="utf-8")
    result = run(str(example), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("GO: this campaign may be sent")


def test_a_bad_manifest_is_one_line_exit_2(example):
    example.write_text('purpose = "newsletter"\nsend-date = 2026-12-01\ncolour = 1\n')
    result = run(str(example), "--lang", "en")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert str(example) in result.output and "colour" in result.output
    assert "Traceback" not in result.output


def test_json_sarif_and_html_carry_the_verdict(example):
    data = json.loads(run(str(example), "--output-format", "json").output)
    assert data["verdict"] == "NO-GO" and data["go_with_send_list"] is True
    assert data["may_receive"] == 3 and len(data["excluded"]) == 11
    assert all("***" in row["address"] for row in data["excluded"])
    sarif = json.loads(run(str(example), "--output-format", "sarif").output)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["properties"]["campaign"]["verdict"] == "NO-GO"
    page = run(str(example), "--output-format", "html").output
    assert 'data-verdict="NO-GO"' in page and "<h1" in page


def test_french(example):
    result = run(str(example), "--lang", "fr")
    assert result.output.startswith("NO-GO en l'état ; GO avec la liste d'envoi (3 contacts)")
    assert "14 contacts ; pouvant la recevoir : 3 ; ne le pouvant pas : 11 (" in result.output
    assert "Bloquant :" in result.output


def test_counts_agree_in_number_in_french(tmp_path):
    """One contact is "1 contact" (not "1 contacts"), in French as in English; and a send
    list that keeps each address once says how many it keeps."""
    from mailcheck.campaign.text import contacts, counts_line
    from mailcheck.i18n import render

    assert render(contacts(1), "fr") == "1 contact"
    assert render(contacts(0), "fr") == "0 contact" and render(contacts(0), "en") == "0 contacts"
    assert render(counts_line(1, 1, {}), "fr") == "1 contact, qui peut la recevoir"
    assert render(counts_line(5, 5, {}, repeated=2), "en") == (
        "5 contacts, all may receive it; the send list keeps 3 contacts (each address once)"
    )
    line = render(counts_line(3, 2, {"status": 1}), "fr")
    assert line == (
        "3 contacts ; pouvant la recevoir : 2 ; ne le pouvant pas : 1 "
        "(désinscrits, en erreur ou bloqués dans cette liste : 1)"
    )


def test_report_file_never_replaces_an_input(example):
    result = run(str(example), "-o", str(example.parent / "audience.csv"))
    assert result.exit_code == 2
    assert "input" in result.output


def test_the_manifest_provider_does_not_force_how_each_audience_is_read(example):
    """``provider`` names the tool that sends (its merge tags, its import layout); an
    audience exported from another tool is read as that tool's export."""
    other = example.parent / "export-crm.csv"
    other.write_text(
        "email,status,consent_date,source\nana.lima@example.com,subscribed,2026-01-02,form\n",
        encoding="utf-8",
    )
    text = example.read_text(encoding="utf-8")
    example.write_text(
        text.replace('audience = "audience.csv"', 'audience = ["audience.csv", "export-crm.csv"]'),
        encoding="utf-8",
    )
    assert 'provider = "brevo"' in text and "export-crm.csv" in example.read_text("utf-8")
    data = json.loads(run(str(example), "--output-format", "json").output)
    providers = {item["path"].rsplit("/", 1)[-1]: item["provider"] for item in data["lists"]}
    assert providers["export-crm.csv"] is None
