"""Credential features: the private /token-check and the leak guard."""
