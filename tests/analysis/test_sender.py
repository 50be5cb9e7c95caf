"""Who a message is from and how else to reach the sender
(src/mailcheck/analysis/sender.py): the ``contact_url`` stems, extended by a user."""

from __future__ import annotations

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Your order</title></head>
<body><p>Please do not reply to this email. <a href="{href}">Acme</a></p>
<p>Acme SAS, 12 rue de la Paix, 75002 Paris</p></body></html>
"""


def test_contact_url_stems(mailchecker):
    mailchecker.make_file("p.html", PAGE.format(href="https://acme.fr/aide/commande"))
    mailchecker.run("p.html", "--select", "MC110").assert_findings({"MC110": 0})


def test_contact_url_extends_from_config(mailchecker):
    mailchecker.make_file("p.html", PAGE.format(href="https://acme.fr/kundendienst"))
    mailchecker.run("p.html", "--select", "MC110").assert_findings({"MC110": 1})
    mailchecker.make_config('[keywords]\ncontact_url = ["kundendienst"]\n')
    mailchecker.run("p.html", "--select", "MC110").assert_findings({"MC110": 0})
