"""Built-in readers: the fallbacks a provider plugin's reader runs before."""
