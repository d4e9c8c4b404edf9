"""stepcat's language server: the only package that knows LSP. Handlers fetch the document,
ask catalog_core, and convert the answer (see ARCHITECTURE.md)."""

__version__ = "0.1.0"
