"""Veil's exceptions. Messages carry locations and kinds, never personal values.

    VeilError
    ├── UsageError        bad arguments or settings: exit code 2
    └── StoreError        the database refused or failed (service side)
"""


class VeilError(Exception):
    """Base of every error Veil raises on purpose."""


class UsageError(VeilError):
    """The user asked for something that cannot be done as asked (exit code 2)."""


class StoreError(VeilError):
    """The database could not complete a transaction."""
