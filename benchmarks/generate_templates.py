"""Generate realistic ~100 KB HTML newsletters for the template benchmark.

    python benchmarks/generate_templates.py [COUNT] [OUT_DIR]

Writes COUNT files (default 1,000) to ``benchmarks/out/templates/`` (git-ignored). Each
file is a table-based e-mail as provider editors produce it: a ``<style>`` block with
class rules and a dark-mode ``@media`` query, a hidden preheader, repeated article
blocks with inline styles, images and buttons, and a footer with address, privacy link
and an unsubscribe link or merge tag. Languages (FR, EN, DE), providers' tags and a few
faults (a '#' unsubscribe, a hidden one, none at all) rotate so every rule has work.
Deterministic: the same COUNT gives the same files.
"""

# ruff: noqa: E501 -- the e-mail markup below is kept on one line per element, as editors write it.
from __future__ import annotations

import random
import sys
from pathlib import Path

OUT = Path(__file__).parent / "out" / "templates"
TARGET_BYTES = 100 * 1024

HEAD = """<!DOCTYPE html>
<html lang="{lang}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style type="text/css">
  body {{ margin:0; padding:0; background-color:#f3f3f3; }}
  table {{ border-collapse:collapse; mso-table-lspace:0pt; mso-table-rspace:0pt; }}
  .wrapper {{ width:100%; background-color:#f3f3f3; }}
  .container {{ width:600px; background-color:#ffffff; }}
  .article h2 {{ font-family:Georgia,serif; font-size:22px; color:#1d1d1d; }}
  .article p {{ font-family:Arial,sans-serif; font-size:15px; line-height:22px; color:#444444; }}
  .btn a {{ color:#ffffff; text-decoration:none; }}
  .footer td {{ font-family:Arial,sans-serif; font-size:12px; color:#777777; }}
  .footer a {{ color:#777777; text-decoration:underline; }}
  @media only screen and (max-width:620px) {{
    .container {{ width:100% !important; }}
    .stack {{ display:block !important; width:100% !important; }}
  }}
  @media (prefers-color-scheme: dark) {{
    .container {{ background-color:#1e1e1e !important; }}
    .article p {{ color:#dddddd !important; }}
  }}
</style>
</head>
<body>
<div class="preheader" style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">{preheader}</div>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f3f3">
<tr><td align="center" style="padding:20px 0;">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">
<tr><td style="padding:24px;" align="center"><a href="https://{domain}/?utm_source=newsletter"><img src="https://cdn.{domain}/img/logo.png" width="180" height="48" alt="{brand}" style="display:block;border:0;"></a></td></tr>
"""

ARTICLE = """<tr><td class="article" style="padding:16px 24px;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
    <td class="stack" width="260" valign="top" style="padding-right:16px;"><a href="https://{domain}/articles/{n}?utm_campaign=nl"><img src="https://cdn.{domain}/img/article-{n}.jpg" width="260" height="170" alt="{alt}" style="display:block;width:100%;max-width:260px;height:auto;border:0;"></a></td>
    <td class="stack" valign="top">
      <h2 style="margin:0 0 8px 0;font-family:Georgia,serif;font-size:22px;line-height:28px;color:#1d1d1d;">{heading}</h2>
      <p style="margin:0 0 12px 0;font-family:Arial,sans-serif;font-size:15px;line-height:22px;color:#444444;">{text}</p>
      <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td class="btn" bgcolor="#c0392b" style="border-radius:4px;padding:10px 18px;"><a href="https://{domain}/articles/{n}" style="font-family:Arial,sans-serif;font-size:14px;font-weight:bold;color:#ffffff;text-decoration:none;">{cta}</a></td></tr></table>
    </td>
  </tr></table>
</td></tr>
"""

FOOTER = """<tr><td class="footer" style="padding:24px;border-top:1px solid #eeeeee;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center" style="font-family:Arial,sans-serif;font-size:12px;line-height:18px;color:#777777;">
    {address}<br>
    {notice} <a href="https://{domain}/privacy" style="color:#777777;">{privacy}</a><br>
    {unsubscribe}
  </td></tr></table>
</td></tr>
</table>
</td></tr>
</table>
<img src="https://t.{domain}/open?c={n}" width="1" height="1" alt="" style="display:block;border:0;">
</body>
</html>
"""

LANGS = {
    "fr": dict(
        title="La lettre de {brand}",
        preheader="Nos nouveautés et -20 % avec le code HIVER",
        heading="Nouveautés de la semaine",
        cta="Lire la suite",
        privacy="Politique de confidentialité",
        notice="Vous recevez cet e-mail car vous êtes inscrit à notre lettre.",
        address="{brand} SAS, 14 rue des Tanneurs, 69001 Lyon",
        words="découvrez nos offres et nos conseils pour un hiver plus doux avec des produits choisis "
        "par notre équipe dans les ateliers de la région lyonnaise",
        unsub_text="Se désinscrire",
    ),
    "en": dict(
        title="The {brand} newsletter",
        preheader="This week's picks and 20% off with code WINTER",
        heading="This week's picks",
        cta="Read more",
        privacy="Privacy policy",
        notice="You are receiving this email because you subscribed on our website.",
        address="{brand} Inc., 500 Market Street, Suite 300, San Francisco, CA 94105",
        words="discover our offers and tips for a warmer winter with products chosen by our team "
        "in workshops across the bay area and beyond",
        unsub_text="Unsubscribe",
    ),
    "de": dict(
        title="Der {brand} Newsletter",
        preheader="Neuheiten der Woche und 20 % Rabatt",
        heading="Neuheiten der Woche",
        cta="Weiterlesen",
        privacy="Datenschutzerklärung",
        notice="Sie erhalten diese E-Mail, weil Sie unseren Newsletter abonniert haben.",
        address="{brand} GmbH, Hauptstraße 12, 79098 Freiburg",
        words="entdecken Sie unsere Angebote und Tipps für einen wärmeren Winter mit Produkten aus "
        "unseren Werkstätten im Schwarzwald und darüber hinaus",
        unsub_text="Newsletter abbestellen",
    ),
}
TAGS = [
    "*|UNSUB|*",
    "{{ unsubscribe }}",
    "[[UNSUB_LINK_FR]]",
    "<%asm_group_unsubscribe_raw_url%>",
    "{% unsubscribe_link %}",
    "https://{domain}/unsubscribe?u={n}",
]


def newsletter(n: int, rng: random.Random) -> str:
    lang = ["fr", "en", "de"][n % 3]
    words = LANGS[lang]
    brand = rng.choice(
        ["Atelier Lumière", "Northwind", "Bergsport Huber", "Harbor Ceramics", "Maison Verte"]
    )
    domain = f"{brand.lower().replace(' ', '-').replace('è', 'e')}.example.com"
    fault = n % 20
    tag = TAGS[n % len(TAGS)].replace("{domain}", domain).replace("{n}", str(n))
    if fault == 7:
        unsubscribe = f'<a href="#" style="color:#777777;">{words["unsub_text"]}</a>'
    elif fault == 13:
        unsubscribe = (
            f'<a href="{tag}" style="color:#ffffff;font-size:1px;">{words["unsub_text"]}</a>'
        )
    elif fault == 19:
        unsubscribe = ""
    else:
        unsubscribe = f'<a href="{tag}" style="color:#777777;">{words["unsub_text"]}</a>'
    parts = [
        HEAD.format(
            lang=lang,
            title=words["title"].format(brand=brand),
            preheader=words["preheader"],
            domain=domain,
            brand=brand,
        )
    ]
    footer = FOOTER.format(
        address=words["address"].format(brand=brand),
        notice=words["notice"],
        domain=domain,
        privacy=words["privacy"],
        unsubscribe=unsubscribe,
        n=n,
    )
    size = len(parts[0]) + len(footer)
    article = 0
    while size < TARGET_BYTES - 2500:
        text = (
            " ".join(rng.sample(words["words"].split(), 12)).capitalize()
            + ". "
            + words["words"].capitalize()
            + "."
        )
        block = ARTICLE.format(
            domain=domain,
            n=article,
            alt=words["heading"],
            heading=words["heading"],
            text=text,
            cta=words["cta"],
        )
        parts.append(block)
        size += len(block.encode("utf-8"))
        article += 1
    parts.append(footer)
    return "".join(parts)


def main(count: int = 1000, out: Path = OUT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    for n in range(count):
        (out / f"newsletter-{n:04d}.html").write_text(newsletter(n, rng), encoding="utf-8")
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    folder = main(count, target)
    sizes = [p.stat().st_size for p in folder.glob("*.html")]
    print(f"{len(sizes)} templates in {folder}, mean {sum(sizes) / len(sizes) / 1024:.1f} KB")
