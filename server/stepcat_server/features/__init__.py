"""One module per group of LSP features; each exposes ``register(server)``."""
