"""Bounded reads of uploaded files: never more than the configured limit in memory."""

from __future__ import annotations

from fastapi import UploadFile

from veil.shown_names import shown_name
from veil.workflow.errors import WorkflowError


class TooLarge(WorkflowError):
    status = 413


def read_upload(upload: UploadFile, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = upload.file.read(1 << 20)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            name = shown_name(upload.filename or 'the file')
            raise TooLarge(f"{name} is larger than the {limit:,} byte upload limit")
        chunks.append(chunk)
    return b"".join(chunks)
