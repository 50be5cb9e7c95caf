"""The analysis of a signup form page, shared by the form rules (MC301-MC310):

* :mod:`~mailcheck.analysis.forms.builder` -- :func:`analyse`, one read of the page into a
  :class:`~mailcheck.analysis.forms.page.FormPage` (cached on the document);
* :mod:`~mailcheck.analysis.forms.page` -- what it holds: forms, controls, their labels;
* :mod:`~mailcheck.analysis.forms.wording` -- what a label names (purposes, channels,
  consent, terms, opt-out) and the role that follows;
* :mod:`~mailcheck.analysis.forms.sentences` -- consent implied by a sentence near the form;
* :mod:`~mailcheck.analysis.forms.text` -- labels cleaned, split and quoted for messages.
"""
