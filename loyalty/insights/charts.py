"""Chart geometry for the Insights page: pure functions from figures to SVG coordinates.

The page draws them as inline SVG (no JavaScript, no CDN, readable by screen readers through
each chart's title and the data table beside it). Coordinates are in a fixed ``viewBox``
(``WIDTH`` x ``HEIGHT``), so the browser scales the chart to the page.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 12, 28  # room for the axis labels
LEVEL_COLOURS = {"high": "#2a9d8f", "low": "#e9a23b", "none": "#d1495b"}


@dataclass(frozen=True)
class Scale:
    """A linear map from data values ``low``..``high`` to SVG coordinates ``start``..``end``."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return round(self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start), 1)


@dataclass
class Series:
    label: str
    colour: str
    path: str  # an SVG path: the line (gaps start a new "M")
    band: str = ""  # an SVG polygon's points: the confidence band
    points: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, title) markers


@dataclass
class Chart:
    title: str
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    zero: float | None = None  # the y of a reference line (NPS 0)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def _x_scale(count: int) -> Scale:
    return Scale(0, max(count - 1, 1), LEFT, WIDTH - RIGHT)


def _path(points: list[tuple[float, float] | None]) -> str:
    """A polyline as an SVG path; ``None`` breaks it (a month without data)."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]:g},{point[1]:g}")
        pen_down = True
    return " ".join(parts)


def _band(upper: list[tuple[float, float]], lower: list[tuple[float, float]]) -> str:
    """A polygon around a band: along the upper edge, then back along the lower one."""
    return " ".join(f"{x:g},{y:g}" for x, y in [*upper, *reversed(lower)])


def nps_chart(rows: list[dict], title: str) -> Chart:
    """NPS per month (-100..+100) with its 95% margin as a band; months without answers leave a gap."""
    x, y = _x_scale(len(rows)), Scale(-100, 100, HEIGHT - BOTTOM, TOP)
    line, upper, lower, markers = [], [], [], []
    for index, row in enumerate(rows):
        nps = row["nps"]
        if nps.score is None:
            line.append(None)
            continue
        line.append((x(index), y(nps.score)))
        upper.append((x(index), y(min(nps.score + nps.margin, 100))))
        lower.append((x(index), y(max(nps.score - nps.margin, -100))))
        markers.append(
            (
                x(index),
                y(nps.score),
                f"{row['month']:%b %Y}: {nps.score:.0f} ± {nps.margin:.0f} ({nps.responses})",
            )
        )
    series = Series("NPS", "#1d3557", _path(line), _band(upper, lower) if upper else "", markers)
    return Chart(
        title=title,
        series=[series],
        x_ticks=[(x(index), f"{row['month']:%b %y}") for index, row in enumerate(rows)],
        y_ticks=[(y(value), str(value)) for value in (-100, -50, 0, 50, 100)],
        zero=y(0),
    )


def _steps(values: list[float], x: Scale, y: Scale) -> list[tuple[float, float]]:
    """A step function: each value holds until the next month, as survival curves are drawn."""
    points: list[tuple[float, float]] = []
    for month, value in enumerate(values):
        if points:
            points.append((x(month), points[-1][1]))
        points.append((x(month), y(value)))
    return points


def survival_chart(table: dict, title: str) -> Chart:
    """Kaplan-Meier retention per engagement level (0-100%), as steps with their 95% bands."""
    rows = table["rows"]
    lowest = min((cell["low"] for row in rows for cell in row["cells"]), default=0)
    floor = max(0, min(int(lowest // 10) * 10, 90))  # zoom in on the top of the scale when all stay
    x, y = _x_scale(len(rows)), Scale(floor, 100, HEIGHT - BOTTOM, TOP)
    series = []
    for index, level in enumerate(table["levels"]):
        cells = [row["cells"][index] for row in rows]
        line = _steps([cell["retained"] for cell in cells], x, y)
        band = _band(
            _steps([cell["high"] for cell in cells], x, y), _steps([cell["low"] for cell in cells], x, y)
        )
        markers = [
            (
                x(month),
                y(cell["retained"]),
                f"{table.get('labels', {}).get(level, level)}, {month}: {cell['retained']:.1f}%",
            )
            for month, cell in enumerate(cells)
        ]
        label = str(table.get("labels", {}).get(level, level))
        series.append(Series(label, LEVEL_COLOURS.get(level, "#555"), _path(line), band, markers))
    return Chart(
        title=title,
        series=series,
        x_ticks=[(x(row["month"]), str(row["month"])) for row in rows],
        y_ticks=[(y(value), f"{value:g}%") for value in (floor + (100 - floor) * i / 4 for i in range(5))],
    )


def shade(value: int | float | None, largest: int | float) -> float:
    """The opacity (0..1) of a heatmap cell: its share of the largest value."""
    if not value or not largest:
        return 0.0
    return round(min(value / largest, 1.0), 2)


def sparkline(rows: list[dict], *, width: int = 120, height: int = 28) -> str:
    """NPS per month as a tiny trend line (an SVG path in a ``width`` x ``height`` box), joined across
    months without answers."""
    x = Scale(0, max(len(rows) - 1, 1), 2, width - 2)
    y = Scale(-100, 100, height - 2, 2)
    points = [(x(i), y(row["nps"].score)) for i, row in enumerate(rows) if row["nps"].score is not None]
    return _path(points)
