"""What a contact list lacks for a rule to run: the answers of the contact rules'
``cannot_check`` (see :meth:`mailcheck.rule.Rule.cannot_check`).

They read the reader's column plan (``doc.columns``: canonical column -> header), never
the rows, and say what is missing in the user's terms ("no opt-in, activity, purchase or
creation date column found") with the ``[columns]`` line that would provide it. Both are
:func:`~mailcheck.i18n.t` texts: ``str()`` gives the English machine formats carry.
"""

from __future__ import annotations

from mailcheck.documents import ContactListDocument, Document
from mailcheck.findings import NotChecked
from mailcheck.i18n import Text, t
from mailcheck.rule import Rule


def mapping_hint(*canonical: str) -> Text:
    """``map one with [columns] consent_at = "<header>" (or created_at)``."""
    first, *others = canonical
    if others:
        return t(
            'map one with [columns] {column} = "<header>" (or {others})',
            column=first,
            others=", ".join(others),
        )
    return t('map one with [columns] {column} = "<header>"', column=first)


def lacks_address(rule: Rule, doc: Document) -> NotChecked | None:
    """Not checked when the list has no e-mail address column (``None``: it has one)."""
    if not isinstance(doc, ContactListDocument) or doc.has("email"):
        return None
    reason = (
        t("no e-mail address column found (only hashed addresses)")
        if doc.has("email_hash")
        else t("no e-mail address column found")
    )
    return rule.not_checked(reason, t('map it with [columns] email = "<header>"'))


def lacks_all(
    rule: Rule, doc: Document, columns: tuple[str, ...], reason: Text
) -> NotChecked | None:
    """Not checked when the list has no address, or none of ``columns`` (``reason`` says
    so for people: "no opt-in source column found")."""
    if not isinstance(doc, ContactListDocument):
        return None
    gap = lacks_address(rule, doc)
    if gap is not None or any(doc.has(column) for column in columns):
        return gap
    return rule.not_checked(reason, mapping_hint(*columns))


#: Columns the reader turns into a status where no status column says it (see
#: ``_settle_status`` in the column plan): an opt-out flag (Zoho's ``Email Opt Out``), a
#: block-list flag (Odoo's ``Blacklist``), a shop's yes/no to marketing, an unsubscribe date.
STATUS_SOURCES = (
    "status",
    "opted_out",
    "blocklisted",
    "bounced",
    "accepts_marketing",
    "unsubscribed_at",
)


def has_status(doc: ContactListDocument) -> bool:
    """Whether each row's subscription status is known: a status column or a column
    the status is read from, or a file whose name says it (``desinscrits.csv``)."""
    return any(doc.has(column) for column in STATUS_SOURCES) or doc.file_status is not None
