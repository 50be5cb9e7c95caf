"""MC101 on real-looking transactional and marketing mails (issue 15): transactional mail is
recognised from more than the word lists, and the finding says why a mail is marketing.
Modelled on public shop, SaaS and system templates (Postmark, Shopify-like shops, Italian
and German notices); written for these tests."""

from __future__ import annotations

import pytest


def page(title: str, body: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{body}\n</body></html>\n"
    )


TRANSACTIONAL = {
    "it-login-alert": page(
        "Nuovo accesso al tuo account",
        "<h1>Nuovo accesso rilevato</h1><p>Ciao {{ nome }}, abbiamo rilevato un nuovo accesso "
        "al tuo account da Chrome su Windows (Milano) il {{ data }}.</p>"
        '<p><a href="{{ url_sicurezza }}">Proteggi il mio account</a></p>',
        "it",
    ),
    "it-session-expired": page(
        "Sessione scaduta",
        "<h2>La tua sessione è scaduta</h2><p>Per motivi di sicurezza la tua sessione sul "
        "portale è scaduta dopo 30 minuti di inattività.</p>"
        '<p><a href="https://portale.bancamilano.it/accedi">Accedi</a></p>',
        "it",
    ),
    "it-forwarded": page(
        "Ti è stato inoltrato un messaggio",
        "<h2>Nuovo messaggio</h2><p>Marco Bianchi ti ha inoltrato un messaggio dalla tua "
        "area riservata.</p><p><a href='{{ link }}'>Leggi il messaggio</a></p>",
        "it",
    ),
    "de-cancelled": page(
        "Deine Bestellung wurde storniert",
        "<h1>Stornierung</h1><p>Hallo Anna, deine Bestellung 40012345 vom 12.11.2026 wurde "
        "storniert. Der Betrag von 59,90 € wird erstattet.</p>",
        "de",
    ),
    "de-shipped-with-angebot": page(
        "Dein Paket ist unterwegs",
        "<h1>Gute Nachrichten</h1><p>Wir haben deine Bestellung Nr. 784512 heute an DHL "
        "übergeben.</p><p><a href='https://www.dhl.de/verfolgen?piececode=1'>Lieferung "
        "verfolgen</a></p><p>Unser gesamtes Angebot findest du jederzeit im Shop.</p>",
        "de",
    ),
    "de-back-in-stock": page(
        "Wieder verfügbar: Akku-Rasenmäher RM 40",
        "<h1>Der Artikel ist wieder verfügbar</h1><p>Du wolltest benachrichtigt werden, "
        "sobald der Rasenmäher RM 40 wieder lieferbar ist.</p>"
        "<p><a href='https://www.gartenwelt.de/p/rm-40'>Zum Artikel</a></p>",
        "de",
    ),
    "de-quote": page(
        "Ihr Angebot Nr. 2026-118",
        "<h1>Ihr Angebot Nr. 2026-118</h1><p>Sehr geehrter Herr Weber, anbei erhalten Sie "
        "wie besprochen unser Angebot für die Wartung Ihrer Heizungsanlage.</p>",
        "de",
    ),
    "en-settings-updated": page(
        "Your account settings have been updated",
        "<h1>Your account settings have been updated</h1><p>Hi {{name}}, your display name "
        "and time zone were changed on {{date}}.</p>",
    ),
    "en-onboarding-step": page(
        "Step 3 of 4: invite your team",
        "<h1>Step 3 of 4: invite your team</h1><p>You're almost set up!</p>"
        "<p><a href='https://app.trellify.io/setup/team'>Invite teammates</a></p>",
    ),
    "en-appointment": page(
        "Reminder: your appointment tomorrow at 10:30",
        "<h2>See you tomorrow</h2><p>Hi Sarah, this is a reminder of your appointment with "
        "Dr. Patel at Riverside Dental on Tuesday at 10:30.</p>"
        "<p><a href='https://book.riversidedental.com/manage/abc'>Change or cancel</a></p>",
    ),
    "en-translation-keys": page(
        '{{ L.Ts "email.forgotPassword.subject" }}',
        '<h1>{{ L.Ts "email.forgotPassword.title" }}</h1>'
        '<p>{{ L.Ts "email.forgotPassword.body" }}</p>'
        '<p><a href="{{ .ResetURL }}">{{ L.Ts "email.forgotPassword.button" }}</a></p>',
    ),
    "fr-notification": page(
        "Nouveau message de votre conseiller",
        "<h1>Vous avez un nouveau message</h1><p>Votre conseiller vous a écrit.</p>"
        '<p><a href="{{ url }}">Lire le message</a></p>',
        "fr",
    ),
    "es-shipped": page(
        "Tu pedido ha sido enviado",
        "<h1>¡Tu pedido está en camino!</h1><p>Hola Lucía, tu pedido nº 88231 ha salido de "
        "nuestro almacén.</p><p><a href='https://tienda.example.es/s'>Seguir envío</a></p>",
        "es",
    ),
}

MARKETING = {
    "de-angebote": (
        page(
            "Unsere Angebote der Woche",
            "<h1>Angebote der Woche</h1><p>Jetzt 20 % Rabatt auf alle Gartenmöbel – nur für "
            "kurze Zeit!</p><p><a href='https://www.gartenwelt.de/a'>Jetzt shoppen</a></p>",
            "de",
        ),
        "commercial wording ('Jetzt shoppen')",
    ),
    "en-masterclass": (
        page(
            "Join our live masterclass on email deliverability",
            "<h1>Live masterclass</h1><p>Join our head of deliverability for a 45-minute class."
            " Seats are limited.</p><p><a href='https://events.example.com/m'>Book now</a></p>",
        ),
        "promotion ('Book now')",
    ),
    "fr-atelier": (
        page(
            "Nouvel atelier cuisine en décembre",
            "<h1>Nos ateliers de décembre</h1><p>Apprenez à préparer une bûche avec notre chef."
            " Places limitées.</p><p><a href='https://atelier.example.fr/r'>Réserver</a></p>",
            "fr",
        ),
        "promotion ('atelier')",
    ),
    "en-order-promo": (
        page(
            "Last chance: 30% off your order",
            "<h1>30% off your order</h1><p>Use code THANKS30 at checkout.</p>"
            "<p><a href='https://shop.example.com'>Shop now</a></p>",
        ),
        "commercial wording ('% off'); outweighs transactional wording ('your order') (6 to 3)",
    ),
    "en-abandoned-cart": (
        page(
            "You left something behind",
            "<h1>Still thinking it over?</h1><p>Your cart is waiting. Complete your order "
            "today and get free shipping.</p>",
        ),
        "commercial wording ('free shipping'); ties with transactional wording ('your order') "
        "(3 to 3: a tie stays marketing)",
    ),
    "en-no-markers": (
        page(
            "The November Journal",
            "<h1>The November Journal</h1><p>Five recipes for the long weekend and a visit to "
            "the roastery.</p><p><a href='https://coffee.example.com/j'>Read</a></p>",
        ),
        "no transactional markers (treated as marketing)",
    ),
}


@pytest.mark.parametrize("name", sorted(TRANSACTIONAL))
def test_transactional_mail_gets_no_missing_unsubscribe(mailchecker, name):
    mailchecker.make_file(f"{name}.html", TRANSACTIONAL[name])
    mailchecker.run(f"{name}.html", "--select", "MC101").assert_findings({"MC101": 0})


@pytest.mark.parametrize("name", sorted(MARKETING))
def test_marketing_mail_without_opt_out_says_why(mailchecker, name):
    text, reason = MARKETING[name]
    mailchecker.make_file(f"{name}.html", text)
    result = mailchecker.run(f"{name}.html", "--select", "MC101")
    result.assert_findings({"MC101": 1})
    message = result.findings[0]["message"]
    assert reason in message, message
    assert "cannot stop receiving your e-mails" in message


@pytest.mark.parametrize(
    ("label", "lang"),
    [
        ("Manage notifications", "en"),
        ("Gérer mes notifications", "fr"),
        ("Benachrichtigungen verwalten", "de"),
    ],
)
def test_notification_settings_link_is_the_opt_out_of_a_notification_mail(mailchecker, label, lang):
    # Forced marketing: the link alone must count as a way out (MC106 then says it is narrow).
    mailchecker.make_file(
        "n.html",
        page(
            "Weekly activity",
            "<!-- mailcheck: kind marketing --><h1>Your week</h1><p>12 new posts.</p>"
            f'<p><a href="https://app.example.com/settings/notifications">{label}</a></p>',
            lang,
        ),
    )
    result = mailchecker.run("n.html", "--select", "MC101,MC106")
    result.assert_findings({"MC101": 0, "MC106": 1})


def test_opt_out_sentence_around_a_template_variable_link(mailchecker):
    mailchecker.make_file(
        "doi.html",
        page(
            "Newsletter",
            "<!-- mailcheck: kind marketing --><h1>Newsletter</h1>"
            "<p>Falls Sie sich wieder vom Newsletter abmelden möchten, klicken Sie auf den "
            'folgenden Löschcode: <a href="{{ $deleteLink }}">{{ $deleteLink }}</a></p>',
            "de",
        ),
    )
    mailchecker.run("doi.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_unsubscribe_element_inside_a_dead_link_is_dead(mailchecker):
    mailchecker.make_file(
        "dead.html",
        page(
            "Autumn offers",
            "<h1>Autumn offers</h1><p>20% off everything.</p>\n"
            '<p><a href="#"><unsubscribe>Unsubscribe</unsubscribe></a></p>',
        ),
    )
    result = mailchecker.run("dead.html", "--select", "MC101,MC103")
    result.assert_findings({"MC101": 0, "MC103": 1})
    assert result.lines("MC103") == [5]
    assert "the href is '#'" in result.findings[0]["message"]


def test_unsubscribe_element_inside_a_link_works_for_campaign_monitor(mailchecker):
    mailchecker.make_config('provider = "campaign monitor"\n')
    mailchecker.make_file(
        "cm.html",
        page(
            "Autumn offers",
            "<h1>Autumn offers</h1><p>20% off everything.</p>\n"
            '<p><a href="#"><unsubscribe>Unsubscribe</unsubscribe></a></p>',
        ),
    )
    result = mailchecker.run("cm.html", "--select", "MC101,MC103")
    # The outer <a href="#"> is still a placeholder link; the element itself works.
    assert result.codes["MC101"] == 0
