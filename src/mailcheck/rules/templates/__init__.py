"""Template and message-body rules (MC1xx): what recipients read."""

from __future__ import annotations

from mailcheck import hookimpl


@hookimpl
def mailcheck_rules():
    from mailcheck.rules.templates.unsubscribe import MissingUnsubscribe

    return [MissingUnsubscribe]
