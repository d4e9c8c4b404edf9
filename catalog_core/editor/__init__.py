"""Editor-neutral analysis for editors: names at positions, navigation, completion, checks
of open documents, templates. Used by the language server; no LSP types here."""
