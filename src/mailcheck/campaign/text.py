"""The words of a campaign check: each reason a contact may not receive it, each action
of the clean-up list, the verdict's headline and counts (every one through
:func:`~mailcheck.i18n.t`, translated in ``locale/fr/LC_MESSAGES/campaign.po``)."""

from __future__ import annotations

from mailcheck.i18n import Text, t, tn
from mailcheck.i18n_extract import N_

#: Per reason code, as the report and the clean-up list say it.
REASON_TEXTS = {
    "status": N_("unsubscribed, bounced or blocked in this list"),
    "suppressed": N_("in a suppression or blocklist file"),
    "unsubscribed-elsewhere": N_("unsubscribed in another list"),
    "retention": N_("past retention on the send date"),
    "no-proof": N_("without proof of consent"),
    "invalid-source": N_("opt-in source that is never consent (bought, rented, scraped list)"),
    "purpose": N_("consent does not cover this purpose"),
    "customer-exception": N_(
        "customer exception does not apply (not your own similar products, or no recent purchase)"
    ),
    "b2b-exception": N_(
        "B2B exception does not apply (personal address, or a message not about their job)"
    ),
    "unconfirmed": N_("sign-up not confirmed"),
    "invalid": N_("invalid address"),
    "no-reply": N_("no-reply address"),
    "no-address": N_("no e-mail address"),
}


def reason_text(reason: str) -> Text:
    """The words of one reason code."""
    return Text(REASON_TEXTS[reason])


def headline(decision: str, go_with_send_list: bool, sendable: int) -> Text:
    """The first line of every report (``sendable``: the contacts of the send list)."""
    if decision == "GO":
        return t("GO: this campaign may be sent to its audience")
    if go_with_send_list:
        return t(
            "NO-GO as given; GO with the send list ({contacts}): send only to the contacts "
            "that may receive it",
            contacts=contacts(sendable),
        )
    return t("NO-GO: this campaign may not be sent")


def contacts(count: int) -> Text:
    """``1 contact`` / ``12,430 contacts``, as each language counts."""
    return tn(N_("{count} contact"), N_("{count} contacts"), count)


def counts_line(total: int, eligible: int, counts: dict[str, int], repeated: int = 0) -> Text:
    """``12,430 contacts, 9,812 may receive it, 2,618 may not: 1,903 past retention on the
    send date ...`` (French puts each reason's count after it: no agreement to get wrong), and
    how many the send list keeps when some addresses came more than once."""
    line = _counts(total, eligible, counts)
    if not repeated:
        return line
    return t(
        "{counts}; the send list keeps {contacts} (each address once)",
        counts=line,
        contacts=contacts(eligible - repeated),
    )


def _counts(total: int, eligible: int, counts: dict[str, int]) -> Text:
    excluded = total - eligible
    if not excluded:
        return tn(
            N_("{count} contact, who may receive it"),
            N_("{count} contacts, all may receive it"),
            total,
        )
    parts = [
        t("{count} {reason}", count=count, reason=reason_text(reason))
        for reason, count in counts.items()
    ]
    detail: Text = parts[-1]
    for part in reversed(parts[:-1]):
        detail = t("{first}; {rest}", first=part, rest=detail)
    return t(
        "{contacts}, {eligible} may receive it, {excluded} may not: {detail}",
        contacts=contacts(total),
        eligible=eligible,
        excluded=excluded,
        detail=detail,
    )
