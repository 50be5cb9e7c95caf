"""Built-in rules, one package per input family; each package is a plugin module."""
