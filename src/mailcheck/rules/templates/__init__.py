"""Template and message-body rules (MC101-MC114): what recipients read.

Every rule works on ``doc.bodies`` -- the one body of an HTML or plain-text template, or
each text part of an ``.eml`` -- through the shared, cached analysis of
:mod:`mailcheck.analysis`.
"""

from __future__ import annotations

from mailcheck import hookimpl


@hookimpl
def mailcheck_rules():
    from mailcheck.rules.templates.content import (
        AdvertisingNotIdentified,
        FooterClippingRisk,
        TrackingPixel,
    )
    from mailcheck.rules.templates.identity import (
        PostalAddressMissing,
        ReplyDiscouraged,
        RightsNoticeMissing,
        SenderNotIdentified,
    )
    from mailcheck.rules.templates.unsubscribe import (
        MissingUnsubscribe,
        UnsubscribeHidden,
        UnsubscribeImageOnly,
        UnsubscribeLinkBroken,
    )
    from mailcheck.rules.templates.unsubscribe_quality import (
        UnsubscribeObstructed,
        UnsubscribeScopeLimited,
        UnsubscribeSuspiciousTarget,
    )

    return [
        MissingUnsubscribe,
        UnsubscribeHidden,
        UnsubscribeLinkBroken,
        UnsubscribeImageOnly,
        UnsubscribeObstructed,
        UnsubscribeScopeLimited,
        UnsubscribeSuspiciousTarget,
        SenderNotIdentified,
        PostalAddressMissing,
        ReplyDiscouraged,
        RightsNoticeMissing,
        FooterClippingRisk,
        TrackingPixel,
        AdvertisingNotIdentified,
    ]
