"""Placeholder entry point: Cradle data loading runs as a managed job."""
