"""Message rules (MC320-MC327): the headers of ``.eml`` messages, and the sender settings
of templates. The body of an ``.eml`` is checked by the template rules (MC1xx)."""

from __future__ import annotations

from mailcheck import hookimpl


@hookimpl
def mailcheck_rules():
    from mailcheck.rules.messages.headers import (
        HeaderBodyMismatch,
        ListUnsubscribeMissing,
        OneClickMissing,
        OneClickNotSigned,
    )
    from mailcheck.rules.messages.sender import (
        DeceptiveSenderOrSubject,
        ListIdentityMissing,
        NoReplySender,
        ReplyToDomainMismatch,
    )

    return [
        NoReplySender,
        ListUnsubscribeMissing,
        OneClickMissing,
        OneClickNotSigned,
        HeaderBodyMismatch,
        DeceptiveSenderOrSubject,
        ReplyToDomainMismatch,
        ListIdentityMissing,
    ]
