"""Small writers for documents: HTML pages, Word (python-docx), PowerPoint (python-pptx), ODF by hand."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .common import FIXED_DT, normalise_zip, write_zip


def html_page(title: str, body: str, lang: str = "en") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><h1>{escape(title)}</h1>\n{body}\n</body></html>\n")


def html_table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>\n" for r in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>"


def paragraphs(texts: list[str]) -> str:
    return "\n".join(f"<p>{escape(t)}</p>" for t in texts)


def new_docx():
    import docx

    doc = docx.Document()
    cp = doc.core_properties
    cp.created = cp.modified = FIXED_DT
    cp.author = cp.last_modified_by = "Communications Office"
    return doc


def docx_table(doc, header: list[str], rows: list[list[object]]) -> None:
    t = doc.add_table(rows=1, cols=len(header))
    for i, h in enumerate(header):
        t.rows[0].cells[i].text = str(h)
    for r in rows:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = str(v)


def save_docx(doc, path: Path) -> None:
    doc.save(path)
    normalise_zip(path)


def new_pptx():
    from pptx import Presentation

    prs = Presentation()
    cp = prs.core_properties
    cp.created = cp.modified = FIXED_DT
    cp.author = cp.last_modified_by = "Communications Office"
    return prs


def save_pptx(prs, path: Path) -> None:
    prs.save(path)
    normalise_zip(path)


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"')


def _odf(path: Path, mimetype: str, body: str) -> None:
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:body>{body}' \
              "</office:body></office:document-content>"
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    import zipfile
    write_zip(path, [("mimetype", mimetype)], compression=zipfile.ZIP_STORED)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("content.xml", content), ("META-INF/manifest.xml", manifest)]:
            info = zipfile.ZipInfo(name, (2022, 6, 30, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def write_ods(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> None:
    body = "<office:spreadsheet>"
    for name, rows in sheets:
        body += f'<table:table table:name="{escape(name)}">'
        for r in rows:
            body += "<table:table-row>"
            for v in r:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    body += f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>' \
                            "</table:table-cell>"
                else:
                    body += f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>' \
                            "</table:table-cell>"
            body += "</table:table-row>"
        body += "</table:table>"
    body += "</office:spreadsheet>"
    _odf(path, "application/vnd.oasis.opendocument.spreadsheet", body)


def write_odt(path: Path, paras: list[str]) -> None:
    body = "<office:text>" + "".join(f"<text:p>{escape(p)}</text:p>" for p in paras) + "</office:text>"
    _odf(path, "application/vnd.oasis.opendocument.text", body)
