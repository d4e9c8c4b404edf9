"""``stepcat migrate``: 1.x steps to interfaces, Python DAG modules to DAG JSON (read, never run)."""
