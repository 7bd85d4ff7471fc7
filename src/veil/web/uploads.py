"""Uploads off the wire: a multipart body streamed straight into the one upload function
(`veil.workflow.uploads.UploadReceiver`), never spooled to a temporary file.

Routes that take files declare no `UploadFile`/`Form` parameters: FastAPI would parse (and spool) the whole body
before running the route's dependencies. Without them the session or token, and the role, are checked first;
then `receive_form` checks the declared size, reads the body chunk by chunk with a running count, and hands each
file to the receiver. A page form's CSRF token must come before its files (put the hidden field first in the
form): a file is not stored for a request whose token is wrong.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from veil.shown_names import shown_name
from veil.web.security import NotAllowed
from veil.workflow.errors import Invalid
from veil.workflow.uploads import TooLarge, Upload, UploadLimits, UploadReceiver

MAX_FIELDS = 20
MAX_FIELD_BYTES = 64 * 1024

# The request body of a file upload, for the OpenAPI document (the route reads the body itself).
FILE_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "The file (one per request)."}},
}}}}}


@dataclass
class ReceivedForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)


def upload_limits(request: Request) -> UploadLimits:
    limits: UploadLimits = request.app.state.upload_limits
    return limits


def check_declared_size(request: Request, limit: int) -> None:
    """Refuse a body whose declared length is over `limit` before reading any of it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the upload is larger than the {limit:,} byte limit")


async def receive_form(request: Request, receiver: UploadReceiver, csrf: str | None = None,
                       before_files: Callable[[dict[str, str]], None] | None = None) -> ReceivedForm:
    """Stream the multipart body into `receiver`; returns the text fields and the files received. With `csrf`,
    the body's `csrf` field must match it before any file (403 otherwise). `before_files` is called with the text
    fields received so far just before the first file is stored: it may refuse the form (raise) so that no file
    of a form that will be refused is written."""
    limit = receiver.limits.max_request_bytes
    check_declared_size(request, limit)
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind == b"application/x-www-form-urlencoded":  # a form sent without files (a script, or no file input)
        return await _fields_only(request, csrf)
    if kind != b"multipart/form-data" or not boundary:
        raise Invalid("send the files as multipart/form-data")
    form = _Form(receiver, csrf, before_files)
    parser = MultipartParser(boundary, form.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise TooLarge(f"the upload is larger than the {limit:,} byte limit")
            parser.write(chunk)
            await form.flush()
        parser.finalize()
        await form.flush()
    except FormParserError:
        raise Invalid("the upload is not well-formed multipart/form-data") from None
    form.check_csrf()
    return ReceivedForm(form.fields, receiver.files)


async def _fields_only(request: Request, csrf: str | None) -> ReceivedForm:
    """An url-encoded form: text fields, bounded as in a multipart one, and no files."""
    limit = MAX_FIELDS * MAX_FIELD_BYTES
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"the form is larger than {limit:,} bytes")
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)[: MAX_FIELDS + 1]:
        fields.setdefault(name, value)
    if len(fields) > MAX_FIELDS:
        raise Invalid(f"the form has more than {MAX_FIELDS} fields")
    _check_csrf(csrf, fields)
    return ReceivedForm(fields, [])


class _Form:
    """python-multipart's callbacks: headers and text fields are collected (bounded); file data goes to the
    receiver as it arrives; a finished file is stored in a worker thread (`flush`), off the event loop."""

    def __init__(self, receiver: UploadReceiver, csrf: str | None,
                 before_files: Callable[[dict[str, str]], None] | None = None) -> None:
        self.receiver, self.csrf, self.before_files = receiver, csrf, before_files
        self.fields: dict[str, str] = {}
        self.header_name = self.header_value = b""
        self.disposition = b""
        self.name: str | None = None
        self.filename: str | None = None
        self.text = bytearray()
        self.finished: list[tuple[str, bytes]] = []

    def callbacks(self) -> Any:
        return {"on_part_begin": self.part_begin, "on_part_data": self.part_data, "on_part_end": self.part_end,
                "on_header_field": self.header_field, "on_header_value": self.header_value_part,
                "on_header_end": self.header_end, "on_headers_finished": self.headers_finished}

    def part_begin(self) -> None:
        self.disposition, self.name, self.filename, self.text = b"", None, None, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_value_part(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = self.header_value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        self.filename = raw.decode("utf-8", "replace") if raw is not None else None
        if self.filename:
            self.check_csrf()
            if self.before_files is not None:
                check, self.before_files = self.before_files, None
                check(dict(self.fields))
            self.receiver.begin(self.filename)
        elif self.filename is None and len(self.fields) >= MAX_FIELDS:
            raise Invalid(f"the form has more than {MAX_FIELDS} fields")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.filename:
            self.receiver.feed(data[start:end])
        elif self.filename is None:  # a text field ('' is a file input left empty: ignored)
            self.text += data[start:end]
            if len(self.text) > MAX_FIELD_BYTES:
                raise TooLarge(f"the form field {self.name!r} is longer than {MAX_FIELD_BYTES:,} bytes")

    def part_end(self) -> None:
        if self.filename:
            self.finished.append(self.receiver.close())
        elif self.filename is None and self.name:
            self.fields.setdefault(self.name, self.text.decode("utf-8", "replace"))

    async def flush(self) -> None:
        while self.finished:
            await run_in_threadpool(self.receiver.store, *self.finished.pop(0))

    def check_csrf(self) -> None:
        _check_csrf(self.csrf, self.fields)


def _check_csrf(expected: str | None, fields: dict[str, str]) -> None:
    """The form's `csrf` field must match `expected` (None: no check, the API's bearer tokens)."""
    if expected is None:
        return
    sent = fields.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise NotAllowed("the form's security token is missing or out of date; reload the page and try again",
                         api=False)


def read_upload(upload: UploadFile, limit: int) -> bytes:
    """An already-parsed upload's bytes, at most `limit` of them. Only for routes that still declare
    `UploadFile` parameters (their body was parsed before their dependencies ran): the incident pages' roster and
    status files, read into a temporary file, not into a release. Release files use `receive_form`."""
    chunks: list[bytes] = []
    total = 0
    while chunk := upload.file.read(1 << 20):
        total += len(chunk)
        if total > limit:
            name = shown_name(upload.filename or 'the file')
            raise TooLarge(f"{name} is larger than the {limit:,} byte upload limit")
        chunks.append(chunk)
    return b"".join(chunks)
