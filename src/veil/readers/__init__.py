"""Readers: bytes to units. One module per format family; see registry.READERS for which reads what."""

from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility

__all__ = ["ReadContext", "read_blob", "Notice", "Table", "Text", "Unit", "Unreadable", "Visibility"]
