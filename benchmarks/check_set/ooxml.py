"""Adding parts to an OOXML package after a library wrote it (custom XML, threaded comments, pivots, ...)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .common import write_zip, zip_members

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Package:
    def __init__(self, path: Path):
        self.path = path
        self.parts: dict[str, bytes] = dict(zip_members(path))
        self.order = list(self.parts)

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, data: bytes | str, content_type: str | None = None) -> None:
        if name not in self.parts:
            self.order.append(name)
        self.parts[name] = data.encode("utf-8") if isinstance(data, str) else data
        if content_type:
            ct = self.text("[Content_Types].xml")
            ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
            self.parts["[Content_Types].xml"] = ct.encode("utf-8")

    def relate(self, source: str, rel_type: str, target: str) -> str:
        """Add a relationship from part `source` ('' for the package) and return its id."""
        src = PurePosixPath(source)
        rels = str(src.parent / "_rels" / (src.name + ".rels")) if source else "_rels/.rels"
        if rels not in self.parts:
            self.put(rels, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<Relationships xmlns="{REL_NS}"></Relationships>')
        xml = self.text(rels)
        used = {int(x) for x in re.findall(r'Id="rId(\d+)"', xml)}
        rid = f"rId{max(used, default=0) + 1}"
        xml = xml.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'
                                              "</Relationships>")
        if "</Relationships>" not in xml:  # self-closing root
            xml = re.sub(r"<Relationships([^>]*)/>", rf'<Relationships\1><Relationship Id="{rid}" '
                         rf'Type="{rel_type}" Target="{target}"/></Relationships>', xml)
        self.parts[rels] = xml.encode("utf-8")
        return rid

    def save(self, path: Path | None = None) -> None:
        write_zip(path or self.path, [(n, self.parts[n]) for n in self.order])
