"""The marketing / transactional decision (src/mailcheck/analysis/kind.py): named, weighed
evidence, and the reason it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.analysis.kind import MARKETING, TRANSACTIONAL, message_kind
from mailcheck.documents import Body


class _Template:
    """The smallest document the decision reads: a path and its bodies."""

    def __init__(self, html: str) -> None:
        self.path = Path("t.html")
        self.bodies = [Body(html)]


def decide(ctx, html: str):
    return message_kind(_Template(html), ctx)


@pytest.mark.parametrize(
    ("html", "label"),
    [
        ("<p>Commande n°45821 du 20/11/2026</p>", "order or account identifier"),
        ("<p>Ihre Bestellnummer: 40012345</p>", "order or account identifier"),
        ("<p>Il tuo ordine n. 100234 è partito.</p>", "order or account identifier"),
        ("<h1>Step 3 of 4: invite your team</h1>", "onboarding step"),
        (
            '<h1>{{ t "emails.verify_email.heading" }}</h1>',
            "translation key naming the mail",
        ),
        (
            "<p>Du wolltest benachrichtigt werden, sobald der Artikel wieder da ist.</p>",
            "a notification the reader asked for",
        ),
        ("<h1>Nuovo accesso rilevato</h1>", "account or service notice"),
    ],
)
def test_named_transactional_evidence(ctx, html, label):
    decision = decide(ctx, f"<html><body>{html}</body></html>")
    assert decision.kind == TRANSACTIONAL
    assert label in [item.label for item in decision.evidence]


def test_a_price_or_a_date_is_not_an_identifier(ctx):
    decision = decide(ctx, "<html><body><p>Votre commande de 1299,90 € le 20/11</p></body></html>")
    assert "order or account identifier" not in [item.label for item in decision.evidence]


def test_one_ambiguous_word_does_not_outweigh_a_quote_number(ctx):
    decision = decide(
        ctx,
        "<html><head><title>Ihr Angebot Nr. 2026-118</title></head><body>"
        "<p>Anbei unser Angebot für die Wartung Ihrer Heizung.</p></body></html>",
    )
    assert decision.kind == TRANSACTIONAL
    assert decision.score == (3, 1)


def test_no_evidence_is_marketing_and_says_so(ctx):
    decision = decide(ctx, "<html><body><h1>The November Journal</h1></body></html>")
    assert decision.kind == MARKETING
    assert decision.reason == "no transactional markers (treated as marketing)"


def test_weak_transactional_evidence_is_named_in_the_reason(ctx):
    decision = decide(
        ctx,
        "<html><body><h1>Winter</h1><p>Read the new issue.</p>"
        '<p><a href="https://x.example/login">Sign in</a></p></body></html>',
    )
    assert decision.kind == MARKETING
    assert decision.reason == (
        "too little transactional evidence (action asked of the reader ('Sign in'), score 2 "
        "< 3; treated as marketing)"
    )


def test_a_notice_with_an_offer_up_front_is_marketing(ctx):
    """An order notice whose title and opening lines sell (a discount, a sale) follows
    the marketing rules, whatever the notice weighs; one cross-sell line further down
    leaves a receipt transactional."""
    mixed = decide(
        ctx,
        "<title>Your order #45821 has shipped — and here is 30% off your next order</title>"
        "<h1>Your order #45821 has shipped — and here is 30% off your next order</h1>"
        "<p>Shop our winter sale: 30% off everything with code WINTER30.</p>",
    )
    assert mixed.kind == MARKETING
    assert "an offer up front" in mixed.reason and "has shipped" in mixed.reason
    receipt = decide(
        ctx,
        "<h1>Your order #45821 has shipped</h1><p>Track your parcel with the link below."
        "</p><p>Tracking number 1Z999AA10123456784.</p>"
        + "<p>Thank you for shopping with us.</p>" * 6
        + "<p>PS: our winter sale is on.</p>",
    )
    assert receipt.kind == TRANSACTIONAL


@pytest.mark.parametrize(
    "html",
    [
        "<h1>Resetowanie hasła</h1><p>Otrzymaliśmy prośbę o zresetowanie hasła do Twojego "
        "konta.</p><p><a href='https://x.pl/r'>Ustaw nowe hasło</a></p>",
        "<h1>Faktura VAT nr FV/2026/11/045</h1><p>W załączeniu przesyłamy fakturę.</p>",
        "<h1>Din beställning 45821 har skickats</h1><p>Spårningsnummer: 0034 5678.</p>",
        "<h1>Şifre sıfırlama</h1><p>Hesabınızın şifresini sıfırlamak için bir talep aldık.</p>",
    ],
)
def test_transactional_wording_in_more_languages(ctx, html):
    """A password reset, an invoice, a shipping notice in Polish, Swedish, Turkish."""
    assert decide(ctx, html).kind == TRANSACTIONAL


@pytest.mark.parametrize(
    "html",
    [
        "<title>ご注文ありがとうございます</title><p>山田様</p><p>ご注文番号：12345。"
        "商品は発送されました。配送状況は<a href='https://x.jp/t'>こちら</a>。</p>",
        "<h1>パスワードの再設定</h1><p>以下のリンクからパスワードを再設定してください。</p>",
        "<h1>订单确认</h1><p>您好，您的订单 #8812 已发货。物流单号：SF123456789。</p>",
        "<h1>주문이 발송되었습니다</h1><p>고객님의 주문번호 2024-1182 상품이 발송되었습니다.</p>",
    ],
)
def test_transactional_wording_in_japanese_chinese_korean(ctx, html):
    """Their words are not separated by spaces (Korean attaches particles): the wording
    is found inside runs of letters."""
    assert decide(ctx, html).kind == TRANSACTIONAL


def test_a_japanese_notice_with_a_sale_up_front_is_marketing(ctx):
    mixed = decide(
        ctx,
        "<title>ご注文ありがとうございます</title><p>ご注文番号：12345 商品は発送されました。"
        "</p><p>冬のセール開催中！全商品20%オフ、期間限定クーポン</p>",
    )
    assert mixed.kind == MARKETING
    sale = decide(ctx, "<title>冬のセール</title><p>全商品20%オフ！今すぐ購入</p>")
    assert sale.kind == MARKETING


#: (shipping notice, promotion block, a cross-sell line) in the languages whose discount
#: wording has no "% off": the promotion's "-20 %" / "20 % Rabatt" is a commercial cue.
NOTICE_AND_OFFER = [
    (
        "<h1>Votre commande a été expédiée</h1><p>Commande n° 10452 : numéro de suivi "
        "6A12345678901.</p>",
        "<h2>🎁</h2><p>Profitez de -20 % sur votre prochaine commande avec le code ETE20 !</p>",
        "<p>PS : -10 % avec le code MERCI10.</p>",
    ),
    (
        "<h1>Ihre Bestellung wurde versandt</h1><p>Bestellung Nr. 10452, Sendungsnummer "
        "00340434161234567890.</p>",
        "<h2>🎁</h2><p>Jetzt 20 % Rabatt auf Ihre nächste Bestellung mit dem Code SOMMER20!</p>",
        "<p>PS: 10 % Rabatt mit dem Code DANKE10.</p>",
    ),
    (
        "<h1>Tu pedido ha sido enviado</h1><p>Pedido n.º 10452, número de seguimiento "
        "1Z999AA10123456784.</p>",
        "<h2>🎁</h2><p>¡Disfruta de un 20 % de descuento en tu próximo pedido con VERANO20!</p>",
        "<p>PD: un descuento del 10 % con GRACIAS10.</p>",
    ),
    (
        "<h1>Il tuo ordine è stato spedito</h1><p>Ordine n. 10452 in viaggio.</p>",
        "<h2>🎁</h2><p>Approfitta del 20% di sconto sul prossimo ordine con ESTATE20!</p>",
        "<p>PS: sconto del 10% con GRAZIE10.</p>",
    ),
    (
        "<h1>Je bestelling is verzonden</h1><p>Bestelling nr. 10452 is onderweg. Track & "
        "trace: 3SABCD1234567.</p>",
        "<h2>🎁</h2><p>Krijg 20% korting op je volgende bestelling met de code ZOMER20!</p>",
        "<p>PS: 10% korting met de code DANK10.</p>",
    ),
    (
        "<h1>A sua encomenda foi enviada</h1><p>Encomenda n.º 10452 está a caminho.</p>",
        "<h2>🎁</h2><p>Aproveite 20% de desconto na próxima encomenda com VERAO20!</p>",
        "<p>PS: 10% de desconto com OBRIGADO10.</p>",
    ),
]


@pytest.mark.parametrize(("notice", "offer", "cross_sell"), NOTICE_AND_OFFER)
def test_a_notice_with_a_discount_up_front_is_marketing_in_every_language(
    ctx, notice, offer, cross_sell
):
    assert decide(ctx, notice + offer).kind == MARKETING
    filler = "<p>" + "Merci / Danke / Gracias / Grazie / Bedankt / Obrigado. " * 12 + "</p>"
    assert decide(ctx, notice + filler + cross_sell).kind == TRANSACTIONAL


@pytest.mark.parametrize(
    "html",
    [
        "<h1>Facture n° 2026-0412</h1><p>TVA 20 % incluse. Total : 120,00 €.</p>",
        "<h1>Rechnung Nr. 2026-0412</h1><p>MwSt. 19 %, Zahlung per Überweisung.</p>",
        "<h1>Su pedido 45821 ha sido enviado</h1><p>IVA 21 % incluido; 100 % algodón.</p>",
    ],
)
def test_a_percentage_that_is_not_a_discount_is_not_commercial(ctx, html):
    assert decide(ctx, html).kind == TRANSACTIONAL
