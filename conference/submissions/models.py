"""submissions: models (being built)."""
