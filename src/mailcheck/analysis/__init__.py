"""What a recipient reads, analysed once and shared by the template, message and form
rules: one floor below the rules, above the documents. Each module does one job:

* :mod:`~mailcheck.analysis.body` -- parse once: the text, the tag index, blocks, comments;
* :mod:`~mailcheck.analysis.css`, :mod:`~mailcheck.analysis.colours`,
  :mod:`~mailcheck.analysis.visibility` -- the cascade, colours, whether a link is seen;
* :mod:`~mailcheck.analysis.routes` -- the opt-out routes of a body, and
  :mod:`~mailcheck.analysis.targets` -- why a route's target cannot work;
* :mod:`~mailcheck.analysis.tags` -- merge tags and template expressions;
* :mod:`~mailcheck.analysis.kind` -- marketing or transactional, and why;
* :mod:`~mailcheck.analysis.directives` -- ``<!-- mailcheck: ... -->`` settings in a template;
* :mod:`~mailcheck.analysis.addresses` -- no-reply addresses, organisational domains;
* :mod:`~mailcheck.analysis.sender` -- who sends, and how else to reach them;
* :mod:`~mailcheck.analysis.phrases` -- folded text back to the words and places in the source;
* :mod:`~mailcheck.analysis.patterns` -- regexes built from keyword terms.

Rules import the module they need (``from mailcheck.analysis.routes import ...``); the
package itself imports nothing, so loading one rule does not load every analysis.
"""
