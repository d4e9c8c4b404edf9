"""Where steps come from outside the workspace: the user's Python environment, read statically."""
