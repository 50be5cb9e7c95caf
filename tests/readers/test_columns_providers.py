"""Provider layouts the reader knows by their header synonyms (Wix, MailPoet,
Systeme.io, a French ``Type de contact``), and what follows for the contact rules.

Layouts: Wix contacts export (header from a real export: ``First Name, Last Name,
Email 1, Email 2, Phone 1, ..., Email subscriber status, Last Activity, Last Activity
Date, Created At, Labels, Source``); MailPoet's export (``Subscription time``,
``Subscription IP``, ``Confirmation time``, ``Confirmation IP``, ``Status``, ``Global
status``, ``Source``, ``Last engagement``); Systeme.io's contact export (``Date
registered``, ``Tags``, ``Source``).
"""

from __future__ import annotations

import pandas as pd

from mailcheck.config import Config
from mailcheck.manager import create_plugin_manager
from mailcheck.readers.csv.hook import mailcheck_read_document
from mailcheck.readers.csv.origins import OriginKind

TODAY = ("--today", "2026-11-22")

WIX_HEADER = [
    "First Name", "Last Name", "Email 1", "Email 2", "Phone 1", "Address 1 - Street",
    "Address 1 - City", "Address 1 - Country", "Email subscriber status", "Last Activity",
    "Last Activity Date", "Created At", "Labels", "Source",
]  # fmt: skip

WIX_ROWS = [
    # 2: clicked recently -> clean
    ["Claire", "Moreau", "claire.moreau@exemple.fr", "", "+33 6 11 22 33 44", "", "Lyon", "FR",
     "Subscribed", "Clicked a link", "2026-09-14 10:02", "2021-02-03 09:00", "VIP", "Wix Forms"],
    # 3: only opened recently, collected in 2021 -> retention (an open is no activity)
    ["Paul", "Girard", "paul.girard@exemple.fr", "p.girard@travail.fr", "", "", "Nantes", "FR",
     "Subscribed", "Opened email", "2026-10-01 08:30", "2021-02-03 09:00", "", "Wix Forms"],
    # 4: unsubscribed here, still subscribed in the other list
    ["Léa", "Petit", "lea.petit@exemple.fr", "", "", "", "Paris", "FR",
     "Unsubscribed", "Unsubscribed", "2026-03-02 18:45", "2023-05-06 12:00", "", "Site Members"],
    # 5: submitted a form this year -> clean
    ["Hugo", "Roux", "hugo.roux@exemple.fr", "", "", "", "Lille", "FR",
     "Subscribed", "Submitted a form", "2026-06-20 14:10", "2026-06-20 14:10", "", "Wix Forms"],
]  # fmt: skip


def read_one(path):
    config = Config(root=path.parent)
    config.pluginmanager = create_plugin_manager(load_entry_points=False)
    (doc,) = mailcheck_read_document(path=path, kind="contacts", config=config)
    return doc, pd.concat(list(doc.chunks()), ignore_index=True)


def test_wix_columns_the_address_is_email_1_and_last_activity_is_its_kind(mailchecker):
    doc, rows = read_one(mailchecker.make_csv("contacts.csv", header=WIX_HEADER, rows=WIX_ROWS))
    assert doc.columns["email"] == "Email 1"
    assert doc.columns["status"] == "Email subscriber status"
    assert doc.columns["last_activity_at"] == "Last Activity Date"
    assert doc.columns["last_activity_type"] == "Last Activity"
    assert "Email 2" not in doc.columns.values()
    assert rows["status"].tolist() == ["subscribed", "subscribed", "unsubscribed", "subscribed"]
    # Paul's last activity is an open: no qualifying activity date on his row.
    assert rows["last_activity_at"].isna().tolist() == [False, True, False, False]
    origin = doc.reader_plan.origins["last_activity_type"]
    assert origin.kind is OriginKind.SYNONYM and "text, not a date" in str(origin.evidence)


def test_wix_export_is_linted_its_unsubscribes_reach_the_other_list(mailchecker):
    mailchecker.make_csv("wix/contacts.csv", header=WIX_HEADER, rows=WIX_ROWS)
    mailchecker.make_csv(
        "newsletter.csv",
        "Adresse e-mail;Statut;Date d'inscription\n"
        "lea.petit@exemple.fr;abonné;12/01/2026\n"
        "claire.moreau@exemple.fr;abonné;12/01/2026\n",
    )
    result = mailchecker.run(".", *TODAY, "--select", "MC2,MC9")
    assert result.lines("MC201", "newsletter.csv") == [2]  # Léa, unsubscribed on Wix
    assert result.lines("MC203", "wix/contacts.csv") == [3]  # Paul: opens only since 2021
    # "Last Activity" holds text: never read as dates (MC904), the list is not skipped.
    assert not result.codes["MC904"] and not result.codes["MC908"]


MAILPOET = (
    "Email,First name,Last name,Status,Global status,Subscription time,Subscription IP,"
    "Confirmation time,Confirmation IP,Source,Last engagement\n"
    # 2: subscribed in 2025, confirmed -> clean
    "anne.leroy@exemple.fr,Anne,Leroy,subscribed,subscribed,2025-04-02 10:11:12,"
    "203.0.113.5,2025-04-02 10:15:40,203.0.113.5,form,2026-10-01 09:00:00\n"
    # 3: subscribed in 2019, engaged (an open counts as engagement) last month -> stale
    "marc.blanc@exemple.fr,Marc,Blanc,subscribed,subscribed,2019-02-11 08:00:00,"
    "198.51.100.7,2019-02-11 08:03:00,198.51.100.7,form,2026-10-20 07:30:00\n"
    # 4: globally unsubscribed, still subscribed in the list -> unsubscribed
    "julie.noel@exemple.fr,Julie,Noel,subscribed,unsubscribed,2024-01-09 12:00:00,"
    "192.0.2.44,2024-01-09 12:05:00,192.0.2.44,form,\n"
)


def test_mailpoet_columns(mailchecker):
    doc, rows = read_one(mailchecker.make_csv("mailpoet_subscribers.csv", MAILPOET))
    expected = {
        "email": "Email",
        "status": "Global status",
        "consent_at": "Subscription time",
        "consent_ip": "Subscription IP",
        "confirmed_at": "Confirmation time",
        "confirm_ip": "Confirmation IP",
        "consent_source": "Source",
        "last_open_at": "Last engagement",
    }
    assert {k: doc.columns.get(k) for k in expected} == expected
    assert "last_activity_at" not in doc.columns  # engagement counts opens
    assert rows["status"].tolist() == ["subscribed", "subscribed", "unsubscribed"]


def test_mailpoet_retention_ignores_engagement_and_the_rest_is_clean(mailchecker):
    mailchecker.make_csv("mailpoet_subscribers.csv", MAILPOET)
    result = mailchecker.run("mailpoet_subscribers.csv", *TODAY, "--select", "MC2,MC9")
    assert result.lines("MC203") == [3]
    assert not result.codes["MC204"] and not result.codes["MC904"]
    assert {f["line"] for f in result.findings} == {3}


SYSTEME_IO = (
    "Email,First name,Surname,Tags,Date registered,Source\n"
    "sarah.durand@exemple.fr,Sarah,Durand,Clients,2026-05-03 11:20:00,Page de capture ebook\n"
    "yann.morel@exemple.fr,Yann,Morel,,2020-11-02 16:05:00,Page de capture ebook\n"
    "ines.faure@exemple.fr,Inès,Faure,Webinaire,2025-12-01 19:45:00,Formulaire webinaire\n"
)


def test_systeme_io_date_registered_is_the_collection_date(mailchecker):
    doc, _ = read_one(mailchecker.make_csv("contacts-systeme-io.csv", SYSTEME_IO))
    assert doc.columns["created_at"] == "Date registered"
    assert doc.columns["tags"] == "Tags" and doc.columns["consent_source"] == "Source"
    result = mailchecker.run("contacts-systeme-io.csv", *TODAY, "--select", "MC203")
    assert result.lines("MC203") == [3]  # registered in 2020, nothing since


def test_type_de_contact_professionnel_is_the_b2b_basis(mailchecker):
    mailchecker.make_file(
        "prospects.csv",
        "Adresse e-mail;Société;Fonction;Type de contact;Date d'inscription\r\n"
        "jm.perrin@gmail.com;;;Professionnel;12/05/2025\r\n"
        "c.vidal@atelier-vidal.fr;Atelier Vidal;Gérante;Professionnel;03/02/2025\r\n"
        "lucie.bonnet@exemple.fr;;;Particulier;14/09/2025\r\n",
        encoding="cp1252",
    )
    doc, rows = read_one(mailchecker.path / "prospects.csv")
    assert doc.columns["legal_basis"] == "Type de contact"
    assert rows["legal_basis"].tolist() == ["b2b", "b2b", "unknown"]
    result = mailchecker.run("prospects.csv", *TODAY, "--select", "MC206")
    assert result.lines("MC206") == [2]  # a free-mail address with no company: not B2B
