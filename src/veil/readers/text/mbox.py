"""Mailboxes (mbox: Thunderbird, Apple Mail and Google Takeout exports, `mail` spools): every message, each read as
an e-mail with its attachments.

Read as one e-mail, a mailbox is its first message with every later one, attachments and all, left as undecoded
text in its body: a roster attached to the third message was never read. Messages start at a line `From ...`
that follows a blank line (or opens the file); `>From ` lines in bodies are unescaped (mboxrd). Each message goes
back through the readers as `message 3` (an e-mail), so its headers, bodies and attachments are read as any
e-mail's. More messages than `Limits.max_members` make the file unverifiable rather than read in part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import Unit, Visibility

_SEPARATOR = re.compile(rb"(?:\A|\r?\n\r?\n|\A\r?\n)From [^\r\n]*\r?\n")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    starts = [m for m in _SEPARATOR.finditer(blob)]
    if len(starts) > ctx.budget.limits.max_members:
        raise LimitExceeded(f"the mailbox holds more than {ctx.budget.limits.max_members} messages")
    for number, match in enumerate(starts, start=1):
        end = starts[number].start() if number < len(starts) else len(blob)
        message = _ESCAPED_FROM.sub(rb"\1", blob[match.end():end])
        ctx.budget.check_time()
        yield from ctx.embedded(message, f"message {number}.eml", f"message {number}", Visibility.VISIBLE,
                                named=False)

