"""Aggregate figures of an incident (by nationality, facility, status, basis; notification progress over time) and
their export as CSV, XLSX or PDF.

Figures are counts only. An export for outside use must pass two checks first, or it is refused: the small-cell
rule here (no count from 1 to threshold-1 in a breakdown; the policy's `small_cells.threshold`) and `veil check`
itself on the exported bytes (`veil.pipeline.check_bytes` must say `pass`). Internal exports are always allowed and
are marked INTERNAL in the file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.findings import Verdict
from veil.policy import Policy, load_policy
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrRosterPerson
from veil.workflow.errors import Invalid, Refused

INTERNAL_MARK = "INTERNAL - contains small counts; not for release outside the organisation"
FORMATS = ("csv", "xlsx", "pdf")
BREAKDOWNS = ("nationality", "facility", "status", "basis")


@dataclass
class Figures:
    incident_id: int
    title: str
    affected: int
    held: int
    notified: int
    breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # (day, people notified by the end of that day) for each day with a delivery
    progress: list[tuple[date, int]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, int]]:
        out = [("total", "affected", self.affected), ("total", "held", self.held),
               ("total", "notified", self.notified)]
        for name, pairs in self.breakdowns.items():
            out += [(name, k, v) for k, v in pairs]
        out += [("notified by", d.isoformat(), n) for d, n in self.progress]
        return out


def figures(session: Session, incident: IrIncident) -> Figures:
    rows = session.execute(select(IrAffected, IrRosterPerson).join(IrRosterPerson,
                                                                   IrRosterPerson.id == IrAffected.person_id)
                           .where(IrAffected.incident_id == incident.id)).all()
    held = {a for (a,) in session.execute(select(IrHold.affected_id).join(IrAffected)
                                          .where(IrAffected.incident_id == incident.id, IrHold.lifted.is_(None)))}
    counters: dict[str, Counter[str]] = {b: Counter() for b in BREAKDOWNS}
    days: Counter[date] = Counter()
    for affected, person in rows:
        counters["nationality"][person.nationality or "unknown"] += 1
        counters["facility"][person.facility or "unknown"] += 1
        counters["status"][affected.status] += 1
        counters["basis"][affected.basis] += 1
        if affected.notified is not None:
            days[affected.notified.date()] += 1
    progress, running = [], 0
    for day in sorted(days):
        running += days[day]
        progress.append((day, running))
    # 'removed after the exposure, before notice' is listed even at zero: it is the figure oversight asks for.
    counters["status"].setdefault("removed-after-exposure-before-notice", 0)
    return Figures(incident.id, incident.title, len(rows), len(held), running,
                   {b: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for b, c in counters.items()}, progress)


def small_cells(fig: Figures, threshold: int) -> list[str]:
    """Breakdown cells with a count from 1 to threshold-1 (status zeroes are fine: nobody is in them)."""
    return [f"{name}: {key}" for name in ("nationality", "facility", "status", "basis")
            for key, n in fig.breakdowns.get(name, []) if 0 < n < threshold]


# --- rendering ------------------------------------------------------------------------------------------------

def _csv(fig: Figures, internal: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if internal:
        writer.writerow([f"# {INTERNAL_MARK}"])
    writer.writerow(["table", "category", "count"])
    writer.writerows(fig.rows())
    return out.getvalue().encode("utf-8")


def _xlsx(fig: Figures, internal: bool) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Summary")
    r = 0
    if internal:
        sheet.write(r, 0, INTERNAL_MARK, bold)
        r += 2
    sheet.write_row(r, 0, ["Incident", fig.incident_id], bold)
    for label, value in (("Affected", fig.affected), ("Held", fig.held), ("Notified", fig.notified)):
        r += 1
        sheet.write_row(r, 0, [label, value])
    for name, pairs in fig.breakdowns.items():
        ws = book.add_worksheet(f"By {name}"[:31])
        ws.write_row(0, 0, [name, "people"], bold)
        for i, (k, v) in enumerate(pairs, start=1):
            ws.write_row(i, 0, [k, v])
    ws = book.add_worksheet("Notified over time")
    ws.write_row(0, 0, ["date", "people notified"], bold)
    for i, (d, n) in enumerate(fig.progress, start=1):
        ws.write_row(i, 0, [d.isoformat(), n])
    book.close()
    return out.getvalue()


def _pdf(fig: Figures, internal: bool) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, title=f"Incident {fig.incident_id} figures", author="Veil")
    story: list[object] = []
    if internal:
        story.append(Paragraph(INTERNAL_MARK, styles["Heading4"]))
    story.append(Paragraph(f"Incident {fig.incident_id}: aggregate figures", styles["Title"]))
    data = [["", "people"], ["affected", fig.affected], ["under protective hold", fig.held],
            ["notified", fig.notified]]
    for name, pairs in fig.breakdowns.items():
        data.append([f"by {name}", ""])
        data += [[f"   {k}", v] for k, v in pairs]
    data.append(["notified by date", ""])
    data += [[f"   {d.isoformat()}", n] for d, n in fig.progress]
    table = Table(data, colWidths=[320, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    story += [Spacer(1, 8), table]
    for name in ("nationality", "status"):
        pairs = [(k, v) for k, v in fig.breakdowns.get(name, []) if v][:15]
        if pairs:
            story.append(KeepTogether([Paragraph(f"People by {name}", styles["Heading3"]), _bars(pairs)]))
    if len(fig.progress) > 1:
        story.append(KeepTogether([Paragraph("People notified over time", styles["Heading3"]),
                                   _progress(fig.progress)]))
    doc.build(story)
    return out.getvalue()


def _bars(pairs: list[tuple[str, int]]) -> object:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing

    height = 30 + 16 * len(pairs)
    drawing = Drawing(440, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 10, 270, height - 20
    chart.data = [[v for _, v in reversed(pairs)]]
    chart.categoryAxis.categoryNames = [k[:30] for k, _ in reversed(pairs)]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    drawing.add(chart)
    return drawing


def _progress(points: list[tuple[date, int]]) -> object:
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, String

    drawing = Drawing(440, 170)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 50, 30, 370, 120
    first = points[0][0]
    plot.data = [[((d - first).days, n) for d, n in points]]
    plot.xValueAxis.valueMin = 0
    plot.yValueAxis.valueMin = 0
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    drawing.add(plot)
    drawing.add(String(50, 5, f"days since {first.isoformat()}", fontSize=7))
    return drawing


def export(fig: Figures, fmt: str, *, outside: bool, policy: Policy | None = None) -> bytes:
    """The figures as `fmt` bytes. `outside=True` refuses (Refused) unless the small-cell rule and `veil check`
    both pass; internal exports are marked INTERNAL."""
    if fmt not in FORMATS:
        raise Invalid(f"export format is one of {', '.join(FORMATS)}")
    render = {"csv": _csv, "xlsx": _xlsx, "pdf": _pdf}[fmt]
    if not outside:
        return render(fig, True)
    policy = policy or load_policy()
    small = small_cells(fig, policy.small_cell_threshold)
    if small:
        listed = "; ".join(small[:5]) + (f" and {len(small) - 5} more" if len(small) > 5 else "")
        raise Refused(f"not for outside use: {len(small)} count(s) under {policy.small_cell_threshold} "
                      f"({listed}); export it as internal or wait for larger groups")
    blob = render(fig, False)
    from veil.pipeline import check_bytes

    result = check_bytes(blob, f"incident-{fig.incident_id}-figures.{fmt}", policy=policy)
    if result.verdict is not Verdict.PASS:
        kinds = sorted({str(f.kind) for f in result.findings})
        raise Refused(f"not for outside use: veil check says {result.verdict.value}"
                      + (f" ({', '.join(kinds)})" if kinds else ""))
    return blob

