"""Contact-list rules (MC2xx): who may lawfully receive the next campaign, and why.

Every rule is vectorized over the canonical chunks of :mod:`mailcheck.readers.csv`
(boolean masks, per-distinct-value keyword matching); cross-file rules keep compact
hashed state and report in ``finish_session``.
"""

from __future__ import annotations

from mailcheck import hookimpl


@hookimpl
def mailcheck_rules():
    from mailcheck.rules.contacts.addresses import (
        BulkVolumeOneClick,
        DuplicateContact,
        GenericRoleAddress,
        InvalidAddress,
        NoReplyAddress,
    )
    from mailcheck.rules.contacts.basis import (
        B2bExceptionUnsupported,
        CaslImpliedConsentExpired,
        SoftOptinUnsupported,
    )
    from mailcheck.rules.contacts.consent import (
        ConsentNotGranular,
        ConsentProofMissing,
        DoubleOptinUnconfirmed,
        InvalidOptinSource,
    )
    from mailcheck.rules.contacts.kept_records import FullRecordPastRetention
    from mailcheck.rules.contacts.late_sends import SentAfterUnsubscribe
    from mailcheck.rules.contacts.retention import RetentionExceeded
    from mailcheck.rules.contacts.sensitive import (
        MinorContact,
        SpecialCategoryData,
        SuppressionListOvercollected,
    )
    from mailcheck.rules.contacts.suppression import (
        SuppressedContactInAudience,
        UnsubscribeNotGlobal,
    )

    return [
        UnsubscribeNotGlobal,
        SuppressedContactInAudience,
        RetentionExceeded,
        FullRecordPastRetention,
        ConsentProofMissing,
        InvalidOptinSource,
        B2bExceptionUnsupported,
        SoftOptinUnsupported,
        SuppressionListOvercollected,
        SpecialCategoryData,
        MinorContact,
        DoubleOptinUnconfirmed,
        SentAfterUnsubscribe,
        CaslImpliedConsentExpired,
        ConsentNotGranular,
        GenericRoleAddress,
        BulkVolumeOneClick,
        InvalidAddress,
        DuplicateContact,
        NoReplyAddress,
    ]
