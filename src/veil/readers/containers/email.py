"""E-mail: .eml (stdlib `email`, policy.default) and Outlook .msg (extract-msg).

Address and subject headers are one EMAIL_HEADER unit; plain bodies are cut into paragraph blocks, HTML bodies go
through the HTML reader (so hidden markup in a mail is found as in a page); attachments and attached messages go
back through all the readers with location "attachment 'roster.xlsx'" and visibility ATTACHMENT.

Damage: a part whose base64 or quoted-printable does not decode cleanly is decoded as leniently as a mail client
would (line by line, a bad character costs its own 3 bytes, not the rest of the attachment), the recovered bytes are
checked, and the part is Unreadable as well; a message whose MIME structure is damaged (a boundary lost, headers
run into the body) is Unreadable, and base64 blocks found in a part that does not declare them (the attachment of a
message whose boundary was damaged) are decoded and checked the same way. `pass` needs a complete read.
"""

from __future__ import annotations

import binascii
import email
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.message import EmailMessage, Message

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.sniff import OLE_MAGIC
from veil.readers.text import html as html_reader
from veil.readers.text.plaintext import decode, text_units
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility

HEADERS = (
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Bcc",
    "Delivered-To",
    "X-Original-To",
    "Return-Path",
    "Disposition-Notification-To",
    "Subject",
)
MAX_PARTS = 10_000
_SIGNATURES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
_ENCRYPTED = {"application/x-pkcs7-mime", "application/pgp-encrypted"}
# Transport and formatting headers: machine-made, and long (signatures), so not worth the text detector's time.
_TECHNICAL = (
    "received",
    "dkim-",
    "arc-",
    "authentication-results",
    "x-ms-",
    "x-microsoft-",
    "content-",
    "mime-version",
    "message-id",
    "references",
    "in-reply-to",
    "thread-",
    "date",
    "x-google-",
    "x-gm-",
    "received-spf",
    "x-received",
    "return-path",
    "list-unsubscribe",
    "x-forefront-",
    "x-eopattributed",
    "x-originatororg",
    "x-mailer",
    "user-agent",
    "importance",
    "x-priority",
    "precedence",
)


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,75}:")
_KEY_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"mime-version"}


def looks_like_email(blob: bytes) -> bool:
    """An RFC 5322 header block (every line a header or a continuation, up to the first blank line) naming at least
    two of From/To/Subject/Date/Message-ID/MIME-Version. Catches e-mails the sniffer missed (long Received chains,
    an HTML part near the top)."""
    head = re.split(rb"\r?\n\r?\n", blob[:65536], maxsplit=1)[0]
    names: set[bytes] = set()
    for number, line in enumerate(head.splitlines()):
        if line[:1] in (b" ", b"\t") and number:
            continue
        if not _HEADER_LINE.match(line):
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    return len(names & _KEY_HEADERS) >= 2


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if ctx.format == "msg" or blob.startswith(OLE_MAGIC):
        yield from _msg(blob, ctx)
    else:
        yield from _eml(blob, ctx)


# --- .eml -----------------------------------------------------------------------------------------------------------


def _eml(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    msg = email.message_from_bytes(blob, policy=policy.default)
    if not msg.keys():
        raise LimitExceeded("the file has no e-mail headers")
    lines = []
    for name in HEADERS:
        for value in msg.get_all(name, []) or []:
            text = _header_text(value)
            if text:
                lines.append(f"{name}: {text}")
    if lines:
        yield Text("email headers", Visibility.EMAIL_HEADER, "\n".join(lines))
    other = [
        f"{name}: {_header_text(value)}"
        for name, value in msg.items()
        if name.title() not in HEADERS and not name.lower().startswith(_TECHNICAL)
    ]
    other = [line for line in other if any(c.isalpha() for c in line.split(":", 1)[1])]
    if other:
        yield Text("email other headers", Visibility.METADATA, "\n".join(other))
    counts = {"body": 0, "attachment": 0, "parts": 0}
    yield from _part(msg, ctx, counts)
    damage = _structural_defects(msg)
    if damage:
        yield Unreadable(
            "message structure",
            f"the message's MIME structure is damaged ({', '.join(damage)}): parts of it may not have been read",
        )


# Defects the email package records that mean a part's bounds or encoding were not what the message says. A
# missing closing boundary is not one: the last part runs to the end of the message, which is read whole, as mail
# clients read it (truncated and hand-written messages often lack it).
_BENIGN_DEFECTS = {"MisplacedEnvelopeHeaderDefect", "CloseBoundaryNotFoundDefect"}


def _structural_defects(msg: Message) -> list[str]:
    found: list[str] = []
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            kind = type(defect).__name__
            if kind not in _BENIGN_DEFECTS and kind not in found:
                found.append(kind)
    return found


def _html_body(data: bytes, label: str, ctx: ReadContext) -> Iterator[Unit]:
    """An HTML body through the HTML reader; if it cannot be read, that body is unverifiable, the rest still read."""
    try:
        for unit in html_reader.read(data, ctx):
            yield _under(unit, label)
    except LimitExceeded as exc:
        yield Unreadable(label, str(exc))


def _under(unit: Unit, label: str) -> Unit:
    """A body's unit, located under its body (the HTML reader is called directly, not as an embedded file)."""
    return replace(unit, location=f"{label} › {unit.location}" if unit.location else label)


def _header_text(value: object) -> str:
    try:
        return " ".join(str(value).split())
    except Exception:  # a header the email package cannot even render: keep the raw bytes' text
        return " ".join(repr(value).split())


def _part(part: Message, ctx: ReadContext, counts: dict[str, int]) -> Iterator[Unit]:
    counts["parts"] += 1
    if counts["parts"] > MAX_PARTS:
        raise LimitExceeded(f"the message has more than {MAX_PARTS} MIME parts")
    ctype = part.get_content_type()
    if ctype == "message/rfc822" or ctype == "message/global":
        counts["attachment"] += 1
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) and inner else inner
        where = f"attached message {counts['attachment']}"
        try:
            data = _serialise(inner_msg) if isinstance(inner_msg, Message) else _payload(part)
        except (UnicodeError, LookupError, ValueError, TypeError) as exc:
            yield Unreadable(where, f"the attached message cannot be re-read ({type(exc).__name__})")
            return
        yield from ctx.embedded(data, "message.eml", where, Visibility.ATTACHMENT)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _part(sub, ctx, counts)
        return
    filename = _filename(part)
    disposition = (part.get_content_disposition() or "").lower()
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        counts["body"] += 1
        label = f"body {counts['body']} ({ctype})"
        payload, clean = _decoded(part)
        if not clean:
            yield Unreadable(label, _NOT_CLEAN)
        yield from _stray_base64(part, label, ctx)
        text = _text(part) if clean else decode(payload)
        if ctype == "text/html":
            yield from _html_body(text.encode("utf-8"), label, ctx)
        else:
            for unit in text_units(text, prefix=f"{label} "):
                yield unit
        return
    counts["attachment"] += 1
    name = filename or f"attachment {counts['attachment']}"
    where = f"attachment '{name}'"
    if ctype in _SIGNATURES:
        yield Notice(where, Visibility.ATTACHMENT, "a digital signature (certificates, not content): not read")
        return
    if ctype in _ENCRYPTED or (ctype == "application/pkcs7-mime" and part.get_param("smime-type") != "signed-data"):
        yield Unreadable(where, "the message part is encrypted (S/MIME or PGP)")
        return
    payload, clean = _decoded(part)
    if not clean:
        yield Unreadable(where, _NOT_CLEAN)
    yield from _stray_base64(part, where, ctx)
    yield from ctx.embedded(payload, name, where, Visibility.ATTACHMENT)


_NOT_CLEAN = (
    "the part's transfer encoding did not decode cleanly (damaged or truncated): what could be recovered was checked"
)
_B64_CHAR = re.compile(rb"[A-Za-z0-9+/]")
_B64_GROUP = re.compile(rb"[A-Za-z0-9+/]{2,4}")
_B64_RUN = re.compile(rb"[A-Za-z0-9+/]*")
_B64_LINE = re.compile(rb"[A-Za-z0-9+/]{40,}={0,2}")
_BAD_QP = re.compile(rb"=(?![0-9A-Fa-f]{2}|\r?\n|\s*$)", re.MULTILINE)
_MIN_STRAY_LINES = 3


def _decoded(part: Message) -> tuple[bytes, bool]:
    """The part's bytes and whether its transfer encoding decoded cleanly. Base64 is decoded strictly first and,
    when that fails, line by line (what mail clients recover); quoted-printable with a stray '=' is not clean."""
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str) or cte not in ("base64", "quoted-printable"):
        return _payload(part), True
    encoded = raw.encode("utf-8", "surrogateescape")
    if cte == "quoted-printable":
        return _payload(part), not _BAD_QP.search(encoded)
    try:
        return binascii.a2b_base64(b"".join(encoded.split()), strict_mode=True), True
    except (binascii.Error, ValueError):
        return lenient_base64(encoded), False


def lenient_base64(encoded: bytes) -> bytes:
    """Decode base64 as a forgiving mail client does, each line on its own: a character that is not base64 costs
    the 3 bytes of its group (they come out as '?', so a text stays text), not the alignment of everything after
    it; a line cut short loses its last partial group only."""
    out = bytearray()
    for line in encoded.splitlines():
        line = line.strip().rstrip(b"=")
        if not line:
            continue
        if len(line) % 4:  # a character inserted or lost: drop what is not base64 and decode what lines up
            line = b"".join(_B64_CHAR.findall(line))
        whole = len(line) - len(line) % 4
        if _B64_RUN.fullmatch(line[:whole]):  # the usual case: only the line's length was wrong, or nothing
            out += binascii.a2b_base64(line[:whole])
            line = line[whole:]
        for at in range(0, len(line), 4):
            group = line[at : at + 4]
            if len(group) < 2:
                break
            if not _B64_GROUP.fullmatch(group):  # a character swapped for one that is not base64
                out += b"?" * (len(group) - 1)
                continue
            out += binascii.a2b_base64(group + b"=" * (4 - len(group)))
    return bytes(out)


def _stray_base64(part: Message, where: str, ctx: ReadContext) -> Iterator[Unit]:
    """Base64 blocks in a part that does not declare base64 (a message whose boundary or headers were damaged
    carries its attachment as plain text): decoded leniently, checked, and the part is Unreadable."""
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() == "base64":
        return
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str):
        return
    block: list[bytes] = []
    found = 0
    for line in [*raw.encode("utf-8", "surrogateescape").splitlines(), b""]:
        if _B64_LINE.fullmatch(line.strip()):
            block.append(line)
            continue
        if len(block) >= _MIN_STRAY_LINES:
            found += 1
            label = f"{where} › base64 block {found}"
            yield Unreadable(
                label, "the part holds base64 data it does not declare (a damaged message): decoded and checked"
            )
            yield from ctx.embedded(
                lenient_base64(b"\n".join(block)), "recovered", label, Visibility.ATTACHMENT, named=False
            )
        block = []


def _serialise(msg: Message) -> bytes:
    """An attached message back to bytes; damaged ones (undecodable bytes in headers) as UTF-8 instead of ASCII."""
    try:
        return msg.as_bytes()
    except UnicodeError:
        return msg.as_string(policy=policy.default.clone(utf8=True)).encode("utf-8", "replace")


def _filename(part: Message) -> str:
    try:
        return (part.get_filename() or "").strip().replace("\n", " ")
    except Exception:  # malformed RFC 2231 parameters
        return ""


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""


def _text(part: Message) -> str:
    if isinstance(part, EmailMessage):
        try:
            content = part.get_content()
            if isinstance(content, str):
                return content
        except (LookupError, UnicodeError, ValueError, AssertionError):
            pass  # an unknown or lying charset: decode the bytes ourselves
    return decode(_payload(part))


# --- .msg -----------------------------------------------------------------------------------------------------------


def _msg(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    import extract_msg

    logging.getLogger("extract_msg").setLevel(logging.CRITICAL)  # it logs attachment names and property values
    try:
        msg = extract_msg.openMsg(blob, strict=False, delayAttachments=False)
    except Exception as exc:  # extract-msg raises many kinds on broken or unsupported files
        raise LimitExceeded(f"the Outlook message cannot be read ({type(exc).__name__})") from exc
    try:
        yield from _msg_units(msg, ctx, "", 0)
    finally:
        msg.close()


def _msg_units(msg: object, ctx: ReadContext, prefix: str, depth: int) -> Iterator[Unit]:
    if depth > ctx.budget.limits.max_depth:
        yield Unreadable(prefix.rstrip(" ›"), "attached messages nested too deeply")
        return
    lines = []
    for label, attr in (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"), ("Subject", "subject")):
        value = _safe_attr(msg, attr)
        if value:
            lines.append(f"{label}: {' '.join(str(value).split())}")
    if lines:
        yield Text(f"{prefix}email headers", Visibility.EMAIL_HEADER, "\n".join(lines))
    body = _safe_attr(msg, "body")
    if isinstance(body, str) and body.strip():
        yield from text_units(body, prefix=f"{prefix}body (text/plain) ")
    html_body = _safe_attr(msg, "htmlBody")
    if isinstance(html_body, bytes) and html_body.strip():
        yield from _html_body(html_body, f"{prefix}body (text/html)", ctx)
    attachments = _safe_attr(msg, "attachments")
    for i, att in enumerate(attachments if isinstance(attachments, list) else [], 1):
        name = str(_safe_attr(att, "longFilename") or _safe_attr(att, "shortFilename") or f"attachment {i}")
        where = f"{prefix}attachment '{name}'"
        try:
            data = att.data
        except Exception as exc:  # a broken attachment stream
            yield Unreadable(where, f"the attachment cannot be read ({type(exc).__name__})")
            continue
        if isinstance(data, bytes):
            yield from ctx.embedded(data, name, where, Visibility.ATTACHMENT)
        elif data is not None and hasattr(data, "attachments"):
            yield from _msg_units(data, ctx, f"{where} › ", depth + 1)
        else:
            yield Unreadable(where, "an attachment of a kind Veil does not read (e.g. an OLE object or a link)")


def _safe_attr(obj: object, name: str) -> object:
    try:
        return getattr(obj, name, None)
    except Exception:  # extract-msg computes properties lazily and may fail on any of them
        return None
