"""``python -m mailcheck.cli``: the ``mailcheck`` command, for a Python without the script
on its PATH (and for tests that run it in a subprocess)."""

from mailcheck.cli import main

main()
