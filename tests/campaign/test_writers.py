"""--send-list and --removals (src/mailcheck/campaign/writers.py): the records copied as
they came, re-read by the same provider detection; inputs untouched; no overwrite."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

import mailcheck
from mailcheck.config import Config
from mailcheck.engine import Linter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: A Brevo-like export: ';', Windows-1252, CRLF, quoted fields spanning two lines.
BREVO = (
    b"CONTACT ID;EMAIL;NOM;PRENOM;DOUBLE_OPT-IN;OPT_IN;EMAIL_BLACKLISTED;ADDED_TIME;"
    b"MODIFIED_TIME;DATE_OPTIN;SOURCE;ADRESSE\r\n"
    b"1;claire.moreau@example.com;MOREAU;Cl\xe9mence;Yes;Yes;No;02-04-2025 12:00;"
    b'10-01-2026 08:45;02-04-2025 12:00;formulaire;"12 rue de la Paix\r\n75002 Paris"\r\n'
    b"2;thomas.girard@example.org;GIRARD;Thomas;No;Yes;Yes;20-05-2025 16:02;"
    b"03-06-2025 19:12;20-05-2025 16:02;formulaire;\r\n"
    b"3;h\xe9lo\xefse@example.com;B\xc9RANGER;H\xe9lo\xefse;Yes;Yes;No;20-05-2025 16:02;"
    b'03-06-2025 19:12;20-05-2025 16:02;formulaire;"rue\r\nde Lyon"\r\n'
    b"4;noproof@example.com;X;Y;No;Yes;No;20-05-2025 16:02;03-06-2025 19:12;;;\r\n"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(path: Path):
    config = Config()
    linter = Linter(config)
    (doc,) = linter.pm.hook.mailcheck_read_document(path=path, kind="contacts", config=config)
    return doc


def campaign(audience: Path, **extra) -> dict:
    return {"audience": str(audience), "purpose": "newsletter", "send-date": "2026-12-01", **extra}


def test_a_brevo_send_list_keeps_bytes_and_detection(tmp_path):
    audience = tmp_path / "export-brevo.csv"
    audience.write_bytes(BREVO)
    before = digest(audience)
    send, removals = tmp_path / "send.csv", tmp_path / "removals.csv"
    result = mailcheck.check_campaign(campaign(audience), send_list=send, removals=removals)
    assert digest(audience) == before
    assert result.may_receive == 2
    # the header, record 1 (two physical lines), record 3 (two physical lines)
    lines = BREVO.split(b"\r\n")
    expected = b"\r\n".join([lines[0], lines[1], lines[2], lines[4], lines[5]]) + b"\r\n"
    assert send.read_bytes() == expected
    original, copied = read(audience), read(send)
    assert (copied.provider, copied.encoding, copied.delimiter) == (
        original.provider,
        original.encoding,
        original.delimiter,
    )
    assert copied.provider == "brevo" and copied.encoding == "cp1252"
    assert copied.columns == original.columns
    with removals.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["email"], r["action"], r["reasons"], r["line"]) for r in rows] == [
        ("thomas.girard@example.org", "suppress", "status", "4"),
        ("noproof@example.com", "re-permission", "no-proof", "7"),
    ]


def test_a_mailchimp_send_list_is_read_as_mailchimp(tmp_path):
    source = FIXTURES / "mailchimp" / "subscribed_email_audience_export_3f9a2c7b1d.csv"
    audience = tmp_path / source.name
    shutil.copy(source, audience)
    send = tmp_path / "send.csv"  # the name says nothing: the header is enough
    result = mailcheck.check_campaign(campaign(audience), send_list=send)
    original, copied = read(audience), read(send)
    assert copied.provider == original.provider == "mailchimp"
    assert copied.header == original.header
    kept = send.read_bytes().splitlines(keepends=True)
    given = audience.read_bytes().splitlines(keepends=True)
    assert kept[0] == given[0]
    assert set(kept) <= set(given)
    assert result.may_receive == len(read(send).chunks().__next__())


def test_outputs_never_replace_an_input_or_an_existing_file(tmp_path, example):
    audience = example.parent / "audience.csv"
    before = digest(audience)
    with pytest.raises(mailcheck.MailcheckError, match="input"):
        mailcheck.check_campaign(example, send_list=audience, force=True)
    existing = tmp_path / "send.csv"
    existing.write_text("mine\n", encoding="utf-8")
    with pytest.raises(mailcheck.MailcheckError, match="--force"):
        mailcheck.check_campaign(example, send_list=existing)
    assert existing.read_text(encoding="utf-8") == "mine\n"
    mailcheck.check_campaign(example, send_list=existing, force=True)
    assert existing.read_text(encoding="utf-8").startswith("email,status")
    assert digest(audience) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign", "send.csv", "templates"]


def test_formula_cells_are_neutralised_in_the_removals(tmp_path):
    audience = tmp_path / "list.csv"
    audience.write_text(
        "email,status,consent_date,source\n=HYPERLINK(1)@x.com,unsubscribed,2025-01-01,f\n",
        encoding="utf-8",
    )
    removals = tmp_path / "removals.csv"
    mailcheck.check_campaign(campaign(audience), removals=removals)
    assert "'=HYPERLINK(1)@x.com" in removals.read_text(encoding="utf-8-sig")


def test_several_audiences_get_one_send_list_each(tmp_path, example):
    folder = example.parent
    second = tmp_path / "clients.csv"
    second.write_text(
        "email,status,consent_date,source\n"
        "c.one@example.com,subscribed,2025-01-01,form\n"
        "blocked.zoe@example.com,subscribed,2025-01-01,form\n",
        encoding="utf-8",
    )
    out = tmp_path / "send.csv"
    result = mailcheck.check_campaign(
        {
            **campaign(folder / "audience.csv", suppressions=[str(folder / "desabonnes.csv")]),
            "audience": [str(folder / "audience.csv"), str(second)],
        },
        send_list=out,
    )
    assert sorted(p.name for p in result.written) == ["send-audience.csv", "send-clients.csv"]
    assert (tmp_path / "send-clients.csv").read_text(encoding="utf-8").splitlines() == [
        "email,status,consent_date,source",
        "c.one@example.com,subscribed,2025-01-01,form",
    ]
    assert not out.exists()


def test_the_send_list_keeps_each_address_once(tmp_path):
    """The same person twice (the second in another case, and again in a second
    audience file) would get the campaign twice: the send list keeps the first contact
    that may receive it; an earlier row that may not receive it does not count."""
    first = tmp_path / "abonnes.csv"
    first.write_text(
        "Email;Statut;Date inscription;Source\n"
        "jeanne.martin@exemple.fr;abonné;2025-06-01;Formulaire site\n"
        "paul.durand@exemple.fr;désabonné;2025-06-01;Formulaire site\n"
        "Jeanne.Martin@Exemple.fr;abonné;2025-06-02;Formulaire site\n"
        "luc.petit@exemple.fr;abonné;2025-06-01;Formulaire site\n",
        encoding="utf-8",
    )
    second = tmp_path / "salon.csv"
    second.write_text(
        "Email;Statut;Date inscription;Source\n"
        "luc.petit@exemple.fr;abonné;2025-09-01;Formulaire site\n"
        "paul.durand@exemple.fr;abonné;2025-09-01;Formulaire site\n"
        "anne.roux@exemple.fr;abonné;2025-09-01;Formulaire site\n",
        encoding="utf-8",
    )
    out = tmp_path / "envoi.csv"
    result = mailcheck.check_campaign(
        {**campaign(first), "audience": [str(first), str(second)]}, send_list=out
    )
    # paul.durand unsubscribed in the first list: excluded in both (MC201's rule).
    assert (result.contacts, result.may_receive, result.send_list_contacts) == (7, 5, 3)
    assert (tmp_path / "envoi-abonnes.csv").read_text(encoding="utf-8").splitlines() == [
        "Email;Statut;Date inscription;Source",
        "jeanne.martin@exemple.fr;abonné;2025-06-01;Formulaire site",
        "luc.petit@exemple.fr;abonné;2025-06-01;Formulaire site",
    ]
    assert (tmp_path / "envoi-salon.csv").read_text(encoding="utf-8").splitlines() == [
        "Email;Statut;Date inscription;Source",
        "anne.roux@exemple.fr;abonné;2025-09-01;Formulaire site",
    ]
    assert any("already in the audience: 2" in warning for warning in result.warnings)


def test_a_zip_audience_has_no_send_list(tmp_path):
    source = FIXTURES / "mailchimp" / "members_export_8d2e41a0c5.zip"
    audience = tmp_path / source.name
    shutil.copy(source, audience)
    with pytest.raises(mailcheck.MailcheckError, match="not a plain CSV"):
        mailcheck.check_campaign(campaign(audience), send_list=tmp_path / "send.csv")
    assert not (tmp_path / "send.csv").exists()


def test_send_logs_unsubscribes_count(tmp_path):
    audience = tmp_path / "list.csv"
    audience.write_text(
        "email,status,consent_date,source\na.one@example.com,subscribed,2025-01-01,f\n"
        "b.two@example.com,subscribed,2025-01-01,f\n",
        encoding="utf-8",
    )
    log = tmp_path / "envois.csv"
    log.write_text("email,status\nb.two@example.com,unsubscribed\n", encoding="utf-8")
    result = mailcheck.check_campaign(campaign(audience, **{"send-logs": [str(log)]}))
    assert [(r["line"], r["reasons"]) for r in result.excluded] == [(3, ["unsubscribed-elsewhere"])]


def test_a_provider_plugin_writes_the_clean_up_list_its_tool_imports(tmp_path):
    # provider = "mailchimp": Mailchimp's import columns, comma-separated, one tag a row.
    audience = tmp_path / "members.csv"
    audience.write_text(
        "Email Address,First Name,OPTIN_TIME,CONFIRM_TIME\n"
        "kept@example.com,Ann,2025-06-01 10:00:00,2025-06-01 10:01:00\n"
        "old@example.com,Bob,2019-01-01 10:00:00,2019-01-01 10:01:00\n",
        encoding="utf-8",
    )
    removals = tmp_path / "removals.csv"
    mailcheck.check_campaign(campaign(audience, provider="mailchimp"), removals=removals)
    assert removals.read_bytes() == b"Email Address,Tags\r\nold@example.com,mailcheck-delete\r\n"
    # Without a provider's layout: the core's plain ';' list with every fact.
    plain = tmp_path / "plain.csv"
    mailcheck.check_campaign(campaign(audience), removals=plain)
    header = plain.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "email;action;reasons;explanation;list;line"
