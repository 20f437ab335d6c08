"""The ledger's exceptions: both are ``AexlError``, so every adapter shows their one line."""

from __future__ import annotations

from aexl.errors import AexlError


class LedgerError(AexlError):
    """The ledger cannot do what was asked (not set up, unknown number, bad address)."""


class LedgerUnreachableError(LedgerError):
    """The ledger's database cannot be reached or stopped answering; nothing was written."""
