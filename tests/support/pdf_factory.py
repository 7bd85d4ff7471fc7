"""Seeded generator of PDFs that hide fake people in every place a PDF can hide them, plus properly redacted controls.

    write_pdf(path, vector, people=200, seed=0) -> list[Person]
    make_pdf(vector, people=200, seed=0)        -> (bytes, list[Person])

Every vector hides the people's names (or, for `dob_box`, their dates of birth alone) somewhere a reader of the page
does not see them. The page content is drawn with reportlab; annotations, attachments, layers and incremental saves
are added with pypdf (a dev dependency). Synthetic people only (Faker, seeded).
"""

from __future__ import annotations

import io
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faker import Faker
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = letter
TOP, BOTTOM, LEFT = PAGE_H - 50, 36, 54
LEADING = 10.5
SIZE = 8
PER_PAGE = int((TOP - BOTTOM) // LEADING)


@dataclass(frozen=True)
class Person:
    name: str
    dob: str
    a_number: str
    country: str


def people_for(count: int, seed: int) -> list[Person]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        dob = fake.date_of_birth(minimum_age=18, maximum_age=80)
        out.append(Person(fake.name(), dob.strftime("%m/%d/%Y"), f"A{rng.randint(100_000_000, 299_999_999)}",
                          fake.country()))
    return out


def _lines(canvas: Canvas, people: list[Person], draw: Callable[[Canvas, int, Person, float, float], None],
           title: str = "Case review list") -> None:
    """Lay out one line per person, PER_PAGE lines a page, calling `draw(canvas, i, person, x, y)` for each."""
    for start in range(0, len(people), PER_PAGE):
        canvas.setFont("Helvetica-Bold", 11)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(LEFT, PAGE_H - 36, f"{title} (page {start // PER_PAGE + 1})")
        for offset, person in enumerate(people[start:start + PER_PAGE]):
            canvas.setFont("Helvetica", SIZE)
            canvas.setFillColorRGB(0, 0, 0)
            draw(canvas, start + offset, person, LEFT, TOP - offset * LEADING)
        canvas.showPage()


def _canvas() -> tuple[Canvas, io.BytesIO]:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=letter, invariant=1)
    canvas.setTitle("Case review list")
    return canvas, buf


def _finish(canvas: Canvas, buf: io.BytesIO) -> bytes:
    canvas.save()
    return buf.getvalue()


def _label_then(canvas: Canvas, label: str, x: float, y: float) -> float:
    canvas.drawString(x, y, label)
    return x + canvas.stringWidth(label, "Helvetica", SIZE) + 3


def _box(canvas: Canvas, x: float, y: float, width: float, rgb: tuple[float, float, float], path: bool = False) -> None:
    canvas.setFillColorRGB(*rgb)
    if path:
        # a filled polygon, not an `re` operator: x-ray style checks that look for rectangles only miss it
        p = canvas.beginPath()
        p.moveTo(x - 1, y - 2.5)
        p.lineTo(x + width + 1, y - 2.5)
        p.lineTo(x + width + 1, y + SIZE)
        p.lineTo(x - 1, y + SIZE)
        p.close()
        canvas.drawPath(p, stroke=0, fill=1)
    else:
        canvas.rect(x - 1, y - 2.5, width + 2, SIZE + 2.5, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)


def _name_width(canvas: Canvas, text: str) -> float:
    return canvas.stringWidth(text, "Helvetica", SIZE)


def _boxed(rgb: tuple[float, float, float], path: bool = False, field: str = "name") -> Callable[..., bytes]:
    def build(people: list[Person]) -> bytes:
        canvas, buf = _canvas()

        def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
            label = f"{i + 1:03d}  Applicant:" if field == "name" else f"{i + 1:03d}  Date of birth:"
            value = p.name if field == "name" else p.dob
            vx = _label_then(c, label, x, y)
            c.drawString(vx, y, value)
            _box(c, vx, y, _name_width(c, value), rgb, path)
            c.drawString(vx + 160, y, "status: pending review")

        _lines(canvas, people, draw)
        return _finish(canvas, buf)

    return build


def _marker(people: list[Person]) -> bytes:
    """Names struck out with a thick black line, as with a marker pen (stroked, not filled)."""
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        vx = _label_then(c, f"{i + 1:03d}  Applicant:", x, y)
        c.drawString(vx, y, p.name)
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(SIZE + 2)
        c.line(vx - 1, y + SIZE / 2 - 1.5, vx + _name_width(c, p.name) + 1, y + SIZE / 2 - 1.5)
        c.setLineWidth(1)

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _pasted_image(dark: bool) -> Callable[[list[Person]], bytes]:
    """Names with a picture placed over them: a black box pasted as an image (hides them), or a signature-like
    scribble on a white background (the typed name stays legible around the strokes: not a redaction)."""

    def build(people: list[Person]) -> bytes:
        from PIL import Image, ImageDraw
        from reportlab.lib.utils import ImageReader

        if dark:
            picture = Image.new("L", (60, 12), 0)
        else:
            picture = Image.new("L", (120, 24), 255)
            ImageDraw.Draw(picture).line([(2, 20), (30, 3), (60, 18), (90, 4), (118, 16)], fill=0, width=2)
        reader = ImageReader(picture)
        canvas, buf = _canvas()

        def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
            vx = _label_then(c, f"{i + 1:03d}  Applicant:", x, y)
            c.drawString(vx, y, p.name)
            c.drawImage(reader, vx - 1, y - 2.5, _name_width(c, p.name) + 2, SIZE + 2.5)

        _lines(canvas, people, draw)
        return _finish(canvas, buf)

    return build


def _white_text(people: list[Person]) -> bytes:
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        vx = _label_then(c, f"{i + 1:03d}  Applicant:", x, y)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(vx, y, p.name)

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _off_page(people: list[Person]) -> bytes:
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        c.drawString(x, y, f"{i + 1:03d}  Applicant record")
        c.drawString(PAGE_W + 40, y, p.name)  # right of the page's edge

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _outside_crop(people: list[Person]) -> bytes:
    """Names printed in a margin that the crop box cuts away: on the page (media box) but never shown."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        c.drawString(x, y, f"{i + 1:03d}  Applicant record")
        c.drawString(PAGE_W - 150, y, p.name)

    _lines(canvas, people, draw)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_finish(canvas, buf))))
    for page in writer.pages:
        page.cropbox = RectangleObject((0, 0, PAGE_W - 160, PAGE_H))
    return _written(writer)


def _scan_image(lines: list[str]) -> object:
    from PIL import Image, ImageDraw

    scale = 2  # 144 dpi
    img = Image.new("L", (int(PAGE_W * scale), int(PAGE_H * scale)), 255)
    pen = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        pen.text((LEFT * scale, (PAGE_H - TOP + k * LEADING - SIZE) * scale), line, fill=0)
    return img


def _ocr_layer(people: list[Person]) -> bytes:
    from reportlab.lib.utils import ImageReader

    canvas, buf = _canvas()
    for start in range(0, len(people), PER_PAGE):
        chunk = people[start:start + PER_PAGE]
        lines = [f"{start + k + 1:03d}  Applicant: {p.name}" for k, p in enumerate(chunk)]
        canvas.drawImage(ImageReader(_scan_image(lines)), 0, 0, PAGE_W, PAGE_H)
        text = canvas.beginText()
        text.setTextRenderMode(3)
        text.setFont("Helvetica", SIZE)
        for k, line in enumerate(lines):
            text.setTextOrigin(LEFT, TOP - k * LEADING)
            text.textOut(line)
        canvas.drawText(text)
        canvas.showPage()
    return _finish(canvas, buf)


def _hidden_layer_content(people: list[Person]) -> bytes:
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        c.drawString(x, y, f"{i + 1:03d}  Applicant record")
        c._code.append("/OC /oc1 BDC")  # noqa: SLF001 - reportlab has no optional-content API
        c.drawString(x + 120, y, p.name)
        c._code.append("EMC")  # noqa: SLF001

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _hidden_layer(people: list[Person]) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_hidden_layer_content(people))))
    ocg = writer._add_object(DictionaryObject({  # noqa: SLF001
        NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("Names (internal)")}))
    for page in writer.pages:
        resources = page[NameObject("/Resources")].get_object()
        resources[NameObject("/Properties")] = DictionaryObject({NameObject("/oc1"): ocg})
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject({  # noqa: SLF001
        NameObject("/OCGs"): ArrayObject([ocg]),
        NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([ocg]),
                                            NameObject("/Order"): ArrayObject([ocg])}),
    })
    return _written(writer)


def _written(writer: object) -> bytes:
    out = io.BytesIO()
    writer.write(out)  # type: ignore[attr-defined]
    return out.getvalue()


def _plain_list(people: list[Person], show_names: bool = True, box: bool = False) -> bytes:
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        vx = _label_then(c, f"{i + 1:03d}  Applicant:", x, y)
        if show_names:
            c.drawString(vx, y, p.name)
        elif box:
            _box(c, vx, y, _name_width(c, p.name), (0, 0, 0))
        c.drawString(vx + 160, y, "status: pending review")

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _name_rects(people: list[Person]) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the rectangle each name occupies in _plain_list's layout."""
    canvas, _ = _canvas()
    pages: list[list[tuple[float, float, float, float]]] = []
    for start in range(0, len(people), PER_PAGE):
        rects = []
        for offset, person in enumerate(people[start:start + PER_PAGE]):
            y = TOP - offset * LEADING
            x = LEFT + _name_width(canvas, f"{start + offset + 1:03d}  Applicant:") + 3
            rects.append((x - 1, y - 2.5, x + _name_width(canvas, person.name) + 1, y + SIZE))
        pages.append(rects)
    return pages


def _annotated(kind: str) -> Callable[[list[Person]], bytes]:
    def build(people: list[Person]) -> bytes:
        from pypdf import PdfReader, PdfWriter
        from pypdf.annotations import Highlight, Rectangle, Text
        from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, RectangleObject

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_plain_list(people, show_names=kind != "sticky_note"))))
        for page_no, rects in enumerate(_name_rects(people)):
            for k, (x0, y0, x1, y1) in enumerate(rects):
                quads = ArrayObject([FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0)])
                if kind == "square":
                    annot: DictionaryObject = Rectangle((x0, y0, x1, y1), interior_color="000000",
                                                        border_color="000000")
                elif kind == "highlight":
                    annot = Highlight(rect=(x0, y0, x1, y1), quad_points=quads, highlight_color="000000")
                elif kind == "sticky_note":
                    person = people[page_no * PER_PAGE + k]
                    annot = Text(rect=(x1 + 170, y0, x1 + 180, y1), text=f"Call back {person.name} about the hearing")
                else:  # an unapplied redaction mark: the text is still there until someone applies it
                    annot = DictionaryObject({
                        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Redact"),
                        NameObject("/Rect"): RectangleObject((x0, y0, x1, y1)), NameObject("/QuadPoints"): quads,
                        NameObject("/IC"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(0)]),
                    })
                writer.add_annotation(page_no, annot)
        return _written(writer)

    return build


def _metadata(people: list[Person]) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_plain_list(people[:0] or people[:1], show_names=False))))
    listing = "; ".join(p.name for p in people)
    writer.add_metadata({"/Author": people[0].name, "/Subject": f"Applicants: {listing}",
                         "/Keywords": ", ".join(p.a_number for p in people)})
    items = "".join(f"<rdf:li>{p.name}</rdf:li>" for p in people)
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
        f"{items}</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    ).encode()
    stream = DecodedStreamObject()
    stream.set_data(xmp)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)  # noqa: SLF001
    return _written(writer)


def roster_csv(people: list[Person]) -> bytes:
    rows = ["name,date_of_birth,a_number,country"] + [f"{p.name},{p.dob},{p.a_number},{p.country}" for p in people]
    return ("\n".join(rows) + "\n").encode()


def _attachment(people: list[Person]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_plain_list(people[:1], show_names=False))))
    writer.add_attachment("applicants.csv", roster_csv(people))
    return _written(writer)


def _incremental(people: list[Person]) -> bytes:
    """Revision 1 lists the names; revision 2, appended by an incremental save, replaces each with [withheld]."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    first = _plain_list(people)
    second = PdfReader(io.BytesIO(_plain_list(people, show_names=False)))
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    for page, newer in zip(writer.pages, second.pages, strict=True):
        stream = StreamObject()
        stream.set_data(newer.get_contents().get_data())  # type: ignore[union-attr]
        page[NameObject("/Contents")] = writer._add_object(stream)  # noqa: SLF001
    return _written(writer)


def _form_fields(people: list[Person]) -> bytes:
    canvas, buf = _canvas()
    form = canvas.acroForm
    for start in range(0, len(people), PER_PAGE):
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(LEFT, PAGE_H - 36, "Intake form")
        for offset, person in enumerate(people[start:start + PER_PAGE]):
            y = TOP - offset * LEADING
            canvas.setFont("Helvetica", SIZE)
            canvas.drawString(LEFT, y, f"{start + offset + 1:03d}  Applicant:")
            form.textfield(name=f"applicant_{start + offset + 1}", value=person.name, x=LEFT + 80, y=y - 2,
                           width=160, height=LEADING - 1, fontSize=6, borderWidth=0)
        canvas.showPage()
    return _finish(canvas, buf)


def _table(people: list[Person]) -> bytes:
    canvas, buf = _canvas()
    columns = [("Name", 0), ("Date of birth", 150), ("A-number", 230), ("Country of citizenship", 310)]
    for start in range(0, len(people), PER_PAGE - 2):
        canvas.setFont("Helvetica-Bold", SIZE)
        for title, dx in columns:
            canvas.drawString(LEFT + dx, TOP, title)
        canvas.setFont("Helvetica", SIZE)
        for offset, p in enumerate(people[start:start + PER_PAGE - 2]):
            y = TOP - (offset + 1) * LEADING
            for (_, dx), value in zip(columns, (p.name, p.dob, p.a_number, p.country), strict=True):
                canvas.drawString(LEFT + dx, y, value[:30])
        canvas.showPage()
    return _finish(canvas, buf)


def ruled_landscape_table(people: list[Person]) -> bytes:
    """A landscape roster with cell rules and names wrapped over two lines, drawn the way office suites do it:
    portrait media box, content turned 90 degrees, /Rotate 270 so viewers show it landscape."""
    from pypdf import PdfReader, PdfWriter

    canvas, buf = _canvas()
    edges = [40, 90, 190, 260, 340, 460]
    titles = ["No.", "Name", "Date of birth", "A-number", "Country"]
    canvas.translate(0, PAGE_H)
    canvas.rotate(-90)  # now x runs down the portrait page: a 792 x 612 landscape drawing area
    top, row_h = PAGE_W - 40, 22
    rows = [titles] + [[str(i + 1), p.name, p.dob, p.a_number, p.country[:18]] for i, p in enumerate(people[:20])]
    canvas.setLineWidth(0.5)
    for r, values in enumerate(rows):
        y = top - r * row_h
        canvas.line(edges[0], y, edges[-1], y)
        for c, value in enumerate(values):
            words = value.split(" ", 1) if c == 1 else [value]
            for k, part in enumerate(words):  # names wrap inside their cell
                canvas.drawString(edges[c] + 2, y - 8 - k * 9, part)
    bottom = top - len(rows) * row_h
    canvas.line(edges[0], bottom, edges[-1], bottom)
    for x in edges:
        canvas.line(x, top, x, bottom)
    canvas.showPage()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_finish(canvas, buf))))
    writer.pages[0].rotate(270)
    return _written(writer)


def _control_header_bar(people: list[Person]) -> bytes:
    """A legitimate dark table header: the box is drawn first, the white text on top of it (nothing is hidden)."""
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        c.setFillColorRGB(0.1, 0.1, 0.3)
        c.rect(x - 2, y - 2.5, 300, SIZE + 2.5, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(x, y, f"Row {i + 1:03d}: summary of pending reviews")

    _lines(canvas, people[: max(1, len(people) // 20)], draw, title="Statistics")
    return _finish(canvas, buf)


def _control_whitespace(people: list[Person]) -> bytes:
    canvas, buf = _canvas()

    def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
        vx = _label_then(c, f"{i + 1:03d}  Applicant:", x, y)
        c.drawString(vx, y, " " * 20)
        _box(c, vx, y, _name_width(c, " " * 20), (0, 0, 0))

    _lines(canvas, people, draw)
    return _finish(canvas, buf)


def _image_only(people: list[Person], stamp: str = "") -> bytes:
    from reportlab.lib.utils import ImageReader

    canvas, buf = _canvas()
    lines = [f"{k + 1:03d}  Applicant: {p.name}" for k, p in enumerate(people[:PER_PAGE])]
    canvas.drawImage(ImageReader(_scan_image(lines)), 0, 0, PAGE_W, PAGE_H)
    if stamp:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(PAGE_W - 120, 20, stamp)  # a Bates number stamped on the scan: not its text
    canvas.showPage()
    return _finish(canvas, buf)


def _under_box(field: str, per_line: bool) -> Callable[[list[Person]], bytes]:
    """A dark box drawn *under* black text: the page looks redacted, the text copies out. `field` is what the box
    sits under ("name", or "line" for the whole row); `per_line` draws one text object per row instead of one per
    cell. The status and birth date stay visible beside the hidden name."""

    def build(people: list[Person]) -> bytes:
        canvas, buf = _canvas()

        def draw(c: Canvas, i: int, p: Person, x: float, y: float) -> None:
            number = f"{i + 1:03d}"
            if field == "line":
                _box(c, x, y, 380, (0, 0, 0))
            if per_line:
                line = f"{number}  {p.name}  {p.dob}  Credible fear: positive"
                if field == "name":
                    start = x + c.stringWidth(f"{number}  ", "Helvetica", SIZE)
                    _box(c, start, y, _name_width(c, p.name), (0, 0, 0))
                c.drawString(x, y, line)
                return
            c.drawString(x, y, number)
            if field == "name":
                _box(c, x + 24, y, _name_width(c, p.name), (0, 0, 0))
            c.drawString(x + 24, y, p.name)
            c.drawString(x + 160, y, p.dob)
            c.drawString(x + 230, y, "Credible fear: positive")

        _lines(canvas, people, draw, title="Credible fear detention log")
        return _finish(canvas, buf)

    return build


def _outline(people: list[Person]) -> bytes:
    """An ordinary report whose bookmarks (the outline beside the pages) name each person with their status."""
    canvas, buf = _canvas()
    for k, p in enumerate(people):
        canvas.setFont("Helvetica", SIZE)
        canvas.drawString(LEFT, TOP, f"Case summary {k + 1}")
        key = f"case{k}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(f"{p.name} ({p.dob}) - asylum claim", key, level=0)
        canvas.showPage()
    return _finish(canvas, buf)


def shaded_report(people: list[Person], mode: str = "after") -> bytes:
    """A statistics report with a light-blue shaded table column (UNHCR style): the shading drawn `before` the
    figures, `after` them as an opaque tint, or `multiply` (after them with a blend mode, as layout programs
    export it). No person is in it: nothing may come out as hidden or redacted."""
    canvas, buf = _canvas()
    countries = ["Afghanistan", "Syrian Arab Republic", "Venezuela", "South Sudan", "Myanmar", "Ukraine"]
    rng = random.Random(len(people))
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(LEFT, PAGE_H - 36, "Refugees and asylum-seekers by country of origin, end-2023")
    top = TOP - 20

    def shade() -> None:
        canvas.saveState()
        if mode == "multiply":
            canvas.setBlendMode("Multiply")
        canvas.setFillColorRGB(0.92, 0.95, 0.99)  # #EBF2FC: light enough that a luminance cut took it for white
        canvas.rect(LEFT + 150, top - len(countries) * LEADING - 4, 90, (len(countries) + 1) * LEADING + 4,
                    stroke=0, fill=1)
        canvas.restoreState()

    if mode == "before":
        shade()
    canvas.setFont("Helvetica-Bold", SIZE)
    for title, dx in (("Country of origin", 0), ("Refugees", 160), ("Asylum-seekers", 250)):
        canvas.drawString(LEFT + dx, top, title)
    canvas.setFont("Helvetica", SIZE)
    for k, country in enumerate(countries, start=1):
        y = top - k * LEADING
        canvas.drawString(LEFT, y, country)
        canvas.drawString(LEFT + 160, y, f"{rng.randint(10_000, 6_000_000):,}")
        canvas.drawString(LEFT + 250, y, f"{rng.randint(1_000, 900_000):,}")
    if mode != "before":
        shade()
    canvas.showPage()
    return _finish(canvas, buf)


# vector name -> (builder, visibility the hidden data must come out with, what is hidden: "name" or "dob")
VECTORS: dict[str, tuple[Callable[[list[Person]], bytes], str, str]] = {
    "box_re": (_boxed((0, 0, 0)), "under-redaction", "name"),
    "box_path": (_boxed((0, 0, 0), path=True), "under-redaction", "name"),
    "box_white": (_boxed((1, 1, 1)), "under-redaction", "name"),
    "annot_square": (_annotated("square"), "under-redaction", "name"),
    "dob_box": (_boxed((0, 0, 0), field="dob"), "under-redaction", "dob"),
    "marker_stroke": (_marker, "under-redaction", "name"),
    "image_box": (_pasted_image(dark=True), "under-redaction", "name"),
    "white_text": (_white_text, "invisible-text", "name"),
    "ocr_layer": (_ocr_layer, "invisible-text", "name"),
    "off_page": (_off_page, "off-page", "name"),
    "outside_crop": (_outside_crop, "off-page", "name"),
    "hidden_layer": (_hidden_layer, "hidden-layer", "name"),
    "sticky_note": (_annotated("sticky_note"), "annotation", "name"),
    "annot_highlight": (_annotated("highlight"), "under-redaction", "name"),
    "annot_redact": (_annotated("redact"), "under-redaction", "name"),
    "metadata": (_metadata, "metadata", "name"),
    "attachment": (_attachment, "attachment", "name"),
    "incremental": (_incremental, "earlier-revision", "name"),
    "form_field": (_form_fields, "form-field", "name"),
    "table": (_table, "visible", "name"),
}

# Hiding places found after the x-ray comparison (issue 12): kept apart so the benchmark stays comparable.
MORE_VECTORS: dict[str, tuple[Callable[[list[Person]], bytes], str, str]] = {
    "box_under_names": (_under_box("name", per_line=False), "under-redaction", "name"),
    "box_under_names_one_object": (_under_box("name", per_line=True), "under-redaction", "name"),
    "box_under_lines": (_under_box("line", per_line=False), "under-redaction", "name"),
    "outline": (_outline, "visible", "name"),
}

# Properly redacted documents and legitimate layouts: no text may come out as hidden under a box.
CONTROLS: dict[str, Callable[[list[Person]], bytes]] = {
    "control_removed": lambda people: _plain_list(people, show_names=False, box=True),
    "control_whitespace": _control_whitespace,
    "control_header_bar": _control_header_bar,
    "control_plain": _plain_list,
    "control_signature": _pasted_image(dark=False),
}
SHADING = {f"control_shading_{mode}": (lambda people, mode=mode: shaded_report(people, mode))
           for mode in ("after", "multiply", "before")}

EXTRA: dict[str, Callable[[list[Person]], bytes]] = {"image_only": _image_only,
                                                     "scan_with_stamp": lambda p: _image_only(p, "DHS-000123"),
                                                     "ruled_landscape_table": ruled_landscape_table}


def make_pdf(vector: str, people: int = 200, seed: int = 0) -> tuple[bytes, list[Person]]:
    crowd = people_for(people, seed)
    if vector in VECTORS or vector in MORE_VECTORS:
        return {**VECTORS, **MORE_VECTORS}[vector][0](crowd), crowd
    if vector in CONTROLS or vector in SHADING:
        return {**CONTROLS, **SHADING}[vector](crowd), crowd
    return EXTRA[vector](crowd), crowd


def write_pdf(path: str | Path, vector: str, people: int = 200, seed: int = 0) -> list[Person]:
    blob, crowd = make_pdf(vector, people, seed)
    Path(path).write_bytes(blob)
    return crowd


def text_pdf(pages: int = 300, seed: int = 0) -> bytes:
    """A long plain-text report (for timing): `pages` pages of prose lines, no hidden content."""
    rng = random.Random(seed)
    words = "the review of applications during the quarter showed that processing times fell across".split()
    canvas, buf = _canvas()
    for _ in range(pages):
        canvas.setFont("Helvetica", 9)
        for k in range(60):
            canvas.drawString(LEFT, TOP - k * 11.5, " ".join(rng.choice(words) for _ in range(12)))
        canvas.showPage()
    return _finish(canvas, buf)


def deflate_bomb(decompressed_mb: int = 600) -> bytes:
    """A one-page PDF whose content stream inflates to `decompressed_mb` MB of spaces.

    Built in milliseconds: after a full flush a deflate block sequence does not refer back, so one compressed
    megabyte is repeated (the trailing checksum is then wrong, which only matters after the whole bomb inflated)."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    head = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    body = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    data = head + body * (decompressed_mb - 1) + z.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    return assemble(objs)


def assemble(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def many_pages(count: int) -> bytes:
    """A PDF whose page tree claims `count` pages (all the same empty page object)."""
    kids = b" ".join(b"3 0 R" for _ in range(count))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return assemble(objs)
