"""Plugins the parallel tests register: they must be importable modules, as a worker
process registers the plugins of the run by their module names."""
