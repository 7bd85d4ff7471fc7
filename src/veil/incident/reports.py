"""An incident's figures and its three reports.

    oversight  exact figures (oversight is entitled to them): exposed rows, identified and unidentified people,
               holds, notices, downloaders, statuses (removed before the exposure, after it and before notice,
               released, in custody review), by nationality and by language
    centre     the national incident centre's fields (clocks.centre_report) with the totals
    public     the same totals for a public statement: every count the small-cell rule calls small
               (`veil.detectors.small_cells`, the one rule) is shown as a band ("fewer than 10"); in a breakdown with
               a single small cell the next smallest is banded too, so it cannot be worked out from the total. The
               exported bytes must pass `veil check` (`veil.pipeline.check_bytes`), or the export is refused.

Formats: json, xlsx, pdf. Figures are counts only: no report names a person.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veil.detectors.small_cells import is_small, small_range
from veil.findings import Verdict
from veil.incident import access_logs, clocks
from veil.incident.incidents import aware, exposed_files
from veil.incident.letters import language_code
from veil.incident.notifications import ISSUED
from veil.policy import Policy, load_policy
from veil.store.models_incident import (
    IrAffected,
    IrHold,
    IrIncident,
    IrNotification,
    IrReviewItem,
    IrRosterPerson,
)
from veil.workflow.errors import Invalid, Refused

KINDS = ("oversight", "centre", "public")
FORMATS = ("json", "xlsx", "pdf")
BREAKDOWNS = ("nationality", "facility", "status", "basis")
OVERSIGHT_MARK = "For oversight: exact figures, including small counts. Not for publication."
STATUS_FIELDS = {
    "removed_before_exposure": "removed-before-exposure",
    "removed_after_exposure_before_notice": "removed-after-exposure-before-notice",
    "removed_after_notice": "removed-after-notice",
    "released": "released",
    "custody_review": "custody-review",
    "in_custody": "in-custody",
}


@dataclass
class Figures:
    """What the incident page shows: totals, breakdowns and notification progress by day."""

    incident_id: int
    title: str
    affected: int
    held: int
    notified: int
    breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    progress: list[tuple[date, int]] = field(default_factory=list)  # (day, people notified by its end)


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


def figures(session: Session, incident: IrIncident) -> Figures:
    counters: dict[str, Counter[str]] = {b: Counter() for b in BREAKDOWNS}
    for name, column in (
        ("nationality", IrRosterPerson.nationality),
        ("facility", IrRosterPerson.facility),
        ("status", IrAffected.status),
        ("basis", IrAffected.basis),
    ):
        for key, n in session.execute(
            select(column, func.count())
            .select_from(IrAffected)
            .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
            .where(IrAffected.incident_id == incident.id)
            .group_by(column)
        ):
            counters[name][key or "unknown"] += int(n)
    days: Counter[date] = Counter(
        aware(n).date()
        for n in session.scalars(
            select(IrAffected.notified).where(IrAffected.incident_id == incident.id, IrAffected.notified.is_not(None))
        )
        if n is not None
    )
    progress, running = [], 0
    for day in sorted(days):
        running += days[day]
        progress.append((day, running))
    # 'removed after the exposure, before notice' is listed even at zero: it is the figure oversight asks for.
    counters["status"].setdefault("removed-after-exposure-before-notice", 0)
    affected = sum(counters["basis"].values())
    return Figures(
        incident.id,
        incident.title,
        affected,
        _held(session, incident.id),
        running,
        {b: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for b, c in counters.items()},
        progress,
    )


def _held(session: Session, incident_id: int) -> int:
    return _count(
        session,
        select(func.count())
        .select_from(IrHold)
        .join(IrAffected)
        .where(IrAffected.incident_id == incident_id, IrHold.lifted.is_(None)),
    )


def oversight_figures(session: Session, incident: IrIncident) -> dict[str, Any]:
    """Every figure of the oversight report, exact."""
    files = exposed_files(session, incident.id)
    fig = figures(session, incident)
    mine = IrAffected.incident_id == incident.id
    review_states = {
        state: int(n)
        for state, n in session.execute(
            select(IrReviewItem.state, func.count())
            .where(IrReviewItem.incident_id == incident.id)
            .group_by(IrReviewItem.state)
        )
    }
    notices = Counter(
        {
            (r, s): int(n)
            for r, s, n in session.execute(
                select(IrNotification.recipient, IrNotification.status, func.count())
                .join(IrAffected)
                .where(mine)
                .group_by(IrNotification.recipient, IrNotification.status)
            )
        }
    )
    by_language: Counter[str] = Counter()
    for raw, n in session.execute(
        select(IrRosterPerson.language, func.count())
        .join(IrAffected, IrAffected.person_id == IrRosterPerson.id)
        .where(mine)
        .group_by(IrRosterPerson.language)
    ):
        by_language[language_code(raw or "")] += int(n)  # 'Haitian Creole', 'haitian cr' and 'ht' are one
    statuses = dict(fig.breakdowns["status"])
    start = min((aware(f.exposure_start) for f in files), default=None)
    ends = [aware(f.exposure_end) for f in files if f.exposure_end]
    downloaders = {r.ip for r in access_logs.requesters(session, incident.id) if r.got_copy}
    out: dict[str, Any] = {
        "incident_id": incident.id,
        "exposed_files": len(files),
        "exposed_rows": sum(f.rows for f in files),
        "identified": _count(
            session, select(func.count()).select_from(IrAffected).where(mine, IrAffected.exposed_row.is_not(None))
        ),
        "unidentified": sum(review_states.get(s, 0) for s in ("pending", "none", "rejected")),
        "pending_review": review_states.get("pending", 0),
        "group_exposure": dict(fig.breakdowns["basis"]).get("group-exposure", 0),
        "affected": fig.affected,
        "held": fig.held,
        "notified_persons": sum(notices[("person", s)] for s in ISSUED),
        "notified_attorneys": sum(notices[("attorney", s)] for s in ISSUED),
        "delivered_persons": fig.notified,
        "waiting_notices": notices[("person", "waiting")] + notices[("attorney", "waiting")],
        "downloaders": len(downloaders),
    }
    out.update({name: statuses.get(status, 0) for name, status in STATUS_FIELDS.items()})
    out["by_nationality"] = dict(fig.breakdowns["nationality"])
    out["by_language"] = dict(sorted(by_language.items(), key=lambda kv: (-kv[1], kv[0])))
    out["by_status"] = {k: v for k, v in fig.breakdowns["status"]}
    end = max(ends) if ends and len(ends) == len(files) else None
    out["exposure"] = {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "hours": round((end - start).total_seconds() / 3600, 2) if start and end else None,
        "start_source": min(files, key=lambda f: aware(f.exposure_start)).exposure_start_source if files else None,
    }
    out["discovered"] = aware(incident.discovered).isoformat()
    out["oversight_basis"] = incident.oversight_basis
    out["deadlines"] = [c.as_dict() for c in clocks.deadlines(incident)]
    return out


def _band(value: int, policy: Policy) -> int | str:
    return f"fewer than {small_range(policy)[1]}" if is_small(value, policy) else value


def _range_band(value: int, width: int) -> str:
    low = value // width * width
    return f"{low} to {low + width - 1}"


def banded(figs: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The figures for a public statement: small counts as bands, with secondary banding in breakdowns."""
    width = small_range(policy)[1]
    out: dict[str, Any] = {}
    for key, value in figs.items():
        if isinstance(value, bool) or key in ("incident_id", "exposed_files"):
            out[key] = value
        elif isinstance(value, int):
            out[key] = _band(value, policy)
        elif isinstance(value, dict) and key.startswith("by_"):
            cells: dict[str, int | str] = {k: _band(v, policy) for k, v in value.items()}
            small = [k for k, v in cells.items() if isinstance(v, str)]
            exact = sorted((v, k) for k, v in value.items() if not isinstance(cells[k], str) and v)
            if len(small) == 1 and exact:
                cells[exact[0][1]] = _range_band(exact[0][0], width)
            out[key] = cells
        elif key in ("exposure", "discovered"):
            out[key] = value
    return out


def report(session: Session, incident: IrIncident, kind: str, policy: Policy | None = None) -> dict[str, Any]:
    """The report's content, ready for JSON."""
    if kind not in KINDS:
        raise Invalid(f"a report is one of {', '.join(KINDS)}")
    figs = oversight_figures(session, incident)
    if kind == "oversight":
        return {"kind": "oversight", "note": OVERSIGHT_MARK, **figs}
    if kind == "centre":
        centre = clocks.centre_report(session, incident)
        return {
            "kind": "centre",
            **centre,
            **{
                k: figs[k]
                for k in ("exposed_rows", "identified", "unidentified", "held", "notified_persons", "downloaders")
            },
        }
    return {"kind": "public", **banded(figs, policy or load_policy())}


def export(session: Session, incident: IrIncident, kind: str, fmt: str, policy: Policy | None = None) -> bytes:
    """The report as `fmt` bytes. A public statement must pass `veil check`, or it is refused."""
    if fmt not in FORMATS:
        raise Invalid(f"a report's format is one of {', '.join(FORMATS)}")
    policy = policy or load_policy()
    content = report(session, incident, kind, policy)
    blob = {"json": _json, "xlsx": _xlsx, "pdf": _pdf}[fmt](content)
    if kind == "public":
        from veil.pipeline import check_bytes  # the checker is heavy: only public statements need it

        result = check_bytes(blob, f"incident-{incident.id}-public.{fmt}", policy=policy)
        if result.verdict is not Verdict.PASS:
            kinds = sorted({str(f.kind) for f in result.findings})
            raise Refused(
                f"the public statement is refused: veil check says {result.verdict.value}"
                + (f" ({', '.join(kinds)})" if kinds else "")
            )
    return blob


# --- rendering ------------------------------------------------------------------------------------------------

_TITLES = {
    "oversight": "Report to oversight",
    "centre": "Report to the national incident centre",
    "public": "Public statement: figures",
}


def _json(content: dict[str, Any]) -> bytes:
    return (json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def _rows(content: dict[str, Any]) -> tuple[list[tuple[str, Any]], dict[str, dict[str, Any]]]:
    scalars = [
        (k.replace("_", " "), v)
        for k, v in content.items()
        if isinstance(v, int | str) and not isinstance(v, bool) and k not in ("kind", "note", "title")
    ]
    window = content.get("exposure") or {}
    scalars += [
        (f"exposure {k.replace('_', ' ')}", v if k != "hours" else f"{v:g} h")
        for k, v in window.items()
        if v is not None
    ]
    tables = {k[3:].replace("_", " "): v for k, v in content.items() if k.startswith("by_") and isinstance(v, dict)}
    return scalars, tables


def _xlsx(content: dict[str, Any]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Summary")
    sheet.write(0, 0, _TITLES[content["kind"]], bold)
    if content.get("note"):
        sheet.write(1, 0, content["note"])
    scalars, tables = _rows(content)
    for r, (label, value) in enumerate(scalars, start=3):
        sheet.write_row(r, 0, [label, value])
    sheet.set_column(0, 0, 42)
    for name, cells in tables.items():
        ws = book.add_worksheet(f"By {name}"[:31])
        ws.write_row(0, 0, [name, "people"], bold)
        for i, (k, v) in enumerate(cells.items(), start=1):
            ws.write_row(i, 0, [k, v])
    book.close()
    return out.getvalue()


def _pdf(content: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    title = f"{_TITLES[content['kind']]}: incident {content['incident_id']}"
    doc = SimpleDocTemplate(out, pagesize=LETTER, title=title, author="Veil")
    story: list[object] = [Paragraph(title, styles["Title"])]
    if content.get("note"):
        story.append(Paragraph(content["note"], styles["Heading4"]))
    scalars, tables = _rows(content)
    data: list[list[object]] = [["", "count"], *[[label, value] for label, value in scalars]]
    for name, cells in tables.items():
        data.append([f"by {name}", ""])
        data += [[f"   {k}", v] for k, v in cells.items()]
    table = Table(data, colWidths=[330, 110], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story += [Spacer(1, 8), table]
    for name in ("nationality", "language"):
        pairs = [(k, v) for k, v in tables.get(name, {}).items() if isinstance(v, int) and v][:15]
        if pairs:
            story.append(KeepTogether([Paragraph(f"People by {name}", styles["Heading3"]), _bars(pairs)]))
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
