"""Chart geometry: NPS with its margin band and gaps, Kaplan-Meier steps with bands, heatmap shades."""

from datetime import date

import pytest

from loyalty.insights.charts import HEIGHT, RIGHT, WIDTH, Scale, nps_chart, shade, sparkline, survival_chart
from loyalty.insights.metrics import Nps


def test_a_scale_maps_the_data_range_onto_the_drawing_range_and_can_run_upwards():
    y = Scale(-100, 100, 200, 0)
    assert (y(-100), y(0), y(100), y(50)) == (200, 100, 0, 50)
    assert Scale(5, 5, 0, 10)(5) == 5  # one value: the middle, never a division by zero


def month(number, nps):
    return {"month": date(2026, number, 1), "nps": nps}


def test_the_nps_line_skips_months_without_answers_and_its_band_is_the_margin_clipped_to_the_scale():
    rows = [
        month(1, Nps(4, 4, 0, 0)),  # +100 with no spread
        month(2, Nps(0, 0, 0, 0)),  # no answers: a gap
        month(3, Nps(2, 1, 0, 1)),  # 0 with a margin wider than 100
    ]
    chart = nps_chart(rows, "NPS")
    (series,) = chart.series

    assert series.path.count("M") == 2 and "L" not in series.path  # two separate points, no line across
    y = Scale(-100, 100, HEIGHT - 28, 12)
    assert series.path.startswith(f"M44,{y(100):g}")
    band = [tuple(map(float, point.split(","))) for point in series.band.split()]
    assert min(point[1] for point in band) == y(100) and max(point[1] for point in band) == y(-100)
    assert chart.zero == y(0)
    assert [label for _, label in chart.x_ticks] == ["Jan 26", "Feb 26", "Mar 26"]
    assert "Mar 2026: 0 ±" in series.points[1][2]


def test_an_nps_chart_without_any_answers_draws_no_line():
    chart = nps_chart([month(1, Nps(0, 0, 0, 0))], "NPS")
    assert chart.series[0].path == "" and chart.series[0].band == ""


def test_survival_curves_are_steps_with_a_band_per_level():
    cell = lambda retained, low, high: {"retained": retained, "low": low, "high": high}  # noqa: E731
    table = {
        "levels": ["high", "none"],
        "rows": [
            {"month": 0, "cells": [cell(100, 100, 100), cell(100, 100, 100)]},
            {"month": 1, "cells": [cell(50, 20, 80), cell(100, 100, 100)]},
        ],
    }
    chart = survival_chart(table, "Retention")
    high, none = chart.series
    y = Scale(20, 100, HEIGHT - 28, 12)  # the scale starts at the tens below the lowest band edge
    end = WIDTH - RIGHT

    # month 0 at 100%, across to month 1 still at 100%, then down to 50%
    assert high.path == f"M44,{y(100):g} L{end},{y(100):g} L{end},{y(50):g}"
    assert none.path == f"M44,{y(100):g} L{end},{y(100):g} L{end},{y(100):g}"
    assert f"{end},{y(80):g}" in high.band and f"{end},{y(20):g}" in high.band
    assert [label for _, label in chart.y_ticks] == ["20%", "40%", "60%", "80%", "100%"]
    assert (high.colour, none.colour) == ("#2a9d8f", "#d1495b")


@pytest.mark.parametrize(
    ("value", "largest", "expected"), [(0, 10, 0.0), (5, 10, 0.5), (10, 10, 1.0), (3, 0, 0.0)]
)
def test_heatmap_cells_are_shaded_by_their_share_of_the_largest(value, largest, expected):
    assert shade(value, largest) == expected


def test_curves_that_all_stay_high_are_drawn_on_a_zoomed_scale():
    table = {
        "levels": ["low"],
        "rows": [
            {"month": 0, "cells": [{"retained": 100, "low": 100, "high": 100}]},
            {"month": 1, "cells": [{"retained": 97, "low": 93.5, "high": 99}]},
        ],
    }
    chart = survival_chart(table, "Retention")
    assert [label for _, label in chart.y_ticks] == ["90%", "92.5%", "95%", "97.5%", "100%"]
    assert chart.y_ticks[0][0] == HEIGHT - 28 and chart.y_ticks[-1][0] == 12


def test_the_sparkline_draws_months_with_answers_in_a_small_box():
    rows = [month(1, Nps(1, 1, 0, 0)), month(2, Nps(0, 0, 0, 0)), month(3, Nps(1, 0, 0, 1))]
    assert sparkline(rows, width=120, height=28) == "M2,2 L118,26"  # +100 top left to -100 bottom right
    assert sparkline([month(1, Nps(0, 0, 0, 0))]) == ""
