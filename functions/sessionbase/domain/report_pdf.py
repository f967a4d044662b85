"""The printable period report of an athlete, laid out as a PDF with ReportLab.

ReportLab (and Pillow under it) is imported inside ``render`` only: the API's cold start must not
pay for it (tests/unit checks that the REST function imports no heavy module). Pure otherwise:
the figures come from ``domain.reports.figures``, the bytes go back to the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from sessionbase.domain.reports import PeriodFigures, hours_minutes, local, when
from sessionbase.models.sessions import SessionRecord

TABLE_HEADER = ("Date", "Type", "Event", "Status", "Duration (min)", "Motion IQ", "Score %")


@dataclass(frozen=True)
class Rendered:
    """The PDF's bytes and how many pages it has."""

    data: bytes
    pages: int


def table_rows(sessions: Sequence[SessionRecord], tz: ZoneInfo) -> list[list[str]]:
    """The sessions table, oldest first: only what each session records (empty otherwise)."""

    def number(value: float | int | None) -> str:
        return "" if value is None else f"{value:g}"

    return [
        [
            local(when(s), tz) or "",
            str(s.sessionType or ""),
            s.event or "",
            str(s.status or ""),
            "" if s.durationSeconds is None else f"{s.durationSeconds / 60:.0f}",
            number(s.motionIQ),
            number(s.scorePercentage),
        ]
        for s in sessions
    ]


def render(
    *,
    athlete: str,
    zone: str,
    first: date,
    last: date,
    figures: PeriodFigures,
    rows: list[list[str]],
    generated: datetime,
    compress: bool = True,
) -> Rendered:
    """The period report: a title, the period's figures, the sessions-per-week chart (and the
    Motion IQ chart when any session was analysed), then the table of sessions.

    ``compress=False`` leaves the page streams readable (tests search their text).
    """
    from io import BytesIO

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    styles = getSampleStyleSheet()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Period report: {athlete}",
        author="Sessionbase",
        pageCompression=1 if compress else 0,
        invariant=1,  # the same input gives the same bytes (no timestamp or random id inside)
    )
    width = A4[0] - 30 * mm
    story: list[Any] = [
        Paragraph(escape(f"Period report: {athlete}"), styles["Title"]),
        Paragraph(
            escape(
                f"{first.isoformat()} to {last.isoformat()} · times in {zone} · "
                f"generated {local(generated, ZoneInfo(zone))}"
            ),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
        _figures_table(figures, width),
        Spacer(1, 6 * mm),
        Paragraph("Sessions per week", styles["Heading2"]),
        _weekly_chart(figures, width),
    ]
    if figures.motion_iq:
        story += [
            Paragraph("Motion IQ of each analysed session", styles["Heading2"]),
            _motion_iq_chart(figures, width, first),
        ]
    story += [Spacer(1, 4 * mm), Paragraph("Sessions", styles["Heading2"])]
    if rows:
        table = LongTable([list(TABLE_HEADER), *rows], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("No sessions in this period.", styles["Normal"]))
    doc.build(story)
    return Rendered(out.getvalue(), doc.page)


def _figures_table(figures: PeriodFigures, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    def mean_of(value: float | None, count: int) -> str:
        return "—" if value is None else f"{value:g} (of {count} sessions)"

    types = ", ".join(f"{name} {count}" for name, count in figures.by_type.items()) or "—"
    duration = (
        f"{hours_minutes(figures.total_seconds)} (of {figures.timed_sessions} sessions)"
        if figures.timed_sessions
        else "—"
    )
    rows = [
        ["Sessions", str(figures.sessions)],
        ["Completed", str(figures.completed)],
        ["Cancelled", str(figures.cancelled)],
        ["By type", types],
        ["Recorded duration", duration],
        ["Mean Motion IQ", mean_of(figures.mean_motion_iq, figures.analysed)],
        ["Mean practice score %", mean_of(figures.mean_score, figures.scored)],
    ]
    table = Table(rows, colWidths=[width * 0.35, width * 0.65])
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    return table


def _weekly_chart(figures: PeriodFigures, width: float) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing

    height = 150.0
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 30
    chart.width, chart.height = int(width - 40), int(height - 45)
    counts = [count for _, count in figures.per_week]
    chart.data = [counts or [0]]
    every = max(1, len(counts) // 13)  # at most ~13 labels: a week's Monday, as MM-DD
    chart.categoryAxis.categoryNames = [
        monday.strftime("%m-%d") if i % every == 0 else ""
        for i, (monday, _) in enumerate(figures.per_week)
    ] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 45
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*counts, 1])
    chart.valueAxis.valueStep = max(1, chart.valueAxis.valueMax // 5)
    chart.valueAxis.labels.fontSize = 7
    drawing.add(chart)
    return drawing


def _motion_iq_chart(figures: PeriodFigures, width: float, first: date) -> Any:
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing

    height = 140.0
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 30, 25
    plot.width, plot.height = int(width - 40), int(height - 35)
    start = first.toordinal()
    plot.data = [[(moment.date().toordinal() - start, iq) for moment, iq in figures.motion_iq]]
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 20
    plot.xValueAxis.labelTextFormat = lambda day: date.fromordinal(int(day) + start).strftime(
        "%m-%d"
    )
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fontSize = 7
    plot.lines[0].symbol = None
    drawing.add(plot)
    return drawing
