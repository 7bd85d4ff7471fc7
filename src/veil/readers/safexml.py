"""XML parsing with defusedxml-level protection: no DTDs, no entities, no network, bounded size.

Office parts never need a DTD, so any DOCTYPE is refused outright (billion laughs, external entities)."""

from __future__ import annotations

from lxml import etree

from veil.readers.limits import LimitExceeded

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, recover=False,
)


def parse(data: bytes, part: str = "", max_bytes: int = 512 * 1024 * 1024) -> etree._Element:
    """Parse one XML part or raise LimitExceeded with a one-line reason."""
    if len(data) > max_bytes:
        raise LimitExceeded(f"{part or 'XML part'} is larger than {max_bytes} bytes")
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data[:65536].lower():
        raise LimitExceeded(f"{part or 'XML part'} declares a DTD or entities (refused: XML bomb or external entity)")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise LimitExceeded(f"{part or 'XML part'} is not well-formed XML") from exc
    if root is None:
        raise LimitExceeded(f"{part or 'XML part'} is empty")
    return root


def iterparse_safe(data: bytes, part: str = "") -> None:
    """Reject a part that carries a DTD before a streaming parser sees it."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data[:65536].lower():
        raise LimitExceeded(f"{part or 'XML part'} declares a DTD or entities (refused: XML bomb or external entity)")


def local(tag: object) -> str:
    """The local name of an lxml tag ('{ns}row' -> 'row')."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]
