"""Veil: keep the identities of protected people out of what an organisation publishes or sends."""

__version__ = "0.1.0"
