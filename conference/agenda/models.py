"""agenda: models (being built)."""
