"""Signup and checkout form rules (MC301-MC310): pre-ticked, bundled, forced, hidden and
implied consent, opt-out wording, missing collection notice, unnamed partners, special
categories of data, asymmetric choices.

:mod:`mailcheck.analysis.forms` finds the consent controls and their labels; each rule
module reads that analysis (computed once per document).
"""

from __future__ import annotations

from mailcheck import hookimpl


@hookimpl
def mailcheck_rules():
    from mailcheck.rules.forms.asymmetric import AsymmetricChoice
    from mailcheck.rules.forms.bundled import BundledPurposes
    from mailcheck.rules.forms.hidden import HiddenPresetConsent
    from mailcheck.rules.forms.mandatory import MandatoryMarketingConsent
    from mailcheck.rules.forms.notice import CollectionNoticeMissing
    from mailcheck.rules.forms.opt_out import OptOutWording
    from mailcheck.rules.forms.partners import PartnersUnnamed
    from mailcheck.rules.forms.pre_ticked import PreTickedConsent
    from mailcheck.rules.forms.special_category import SpecialCategoryField
    from mailcheck.rules.forms.terms import ConsentBundledWithTerms

    return [
        PreTickedConsent,
        BundledPurposes,
        ConsentBundledWithTerms,
        MandatoryMarketingConsent,
        HiddenPresetConsent,
        OptOutWording,
        CollectionNoticeMissing,
        PartnersUnnamed,
        SpecialCategoryField,
        AsymmetricChoice,
    ]
