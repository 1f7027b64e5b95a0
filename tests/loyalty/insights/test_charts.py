"""Chart geometry: NPS with its margin band and gaps, Kaplan-Meier steps with bands, heatmap shades."""

from datetime import date

import pytest

from loyalty.insights.charts import HEIGHT, Scale, nps_chart, shade, survival_chart
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
    y = Scale(0, 100, HEIGHT - 28, 12)

    # month 0 at 100%, across to month 1 still at 100%, then down to 50%
    assert high.path == f"M44,{y(100):g} L628,{y(100):g} L628,{y(50):g}"
    assert none.path == f"M44,{y(100):g} L628,{y(100):g} L628,{y(100):g}"
    assert f"628,{y(80):g}" in high.band and f"628,{y(20):g}" in high.band
    assert (high.colour, none.colour) == ("#2a9d8f", "#d1495b")


@pytest.mark.parametrize(
    ("value", "largest", "expected"), [(0, 10, 0.0), (5, 10, 0.5), (10, 10, 1.0), (3, 0, 0.0)]
)
def test_heatmap_cells_are_shaded_by_their_share_of_the_largest(value, largest, expected):
    assert shade(value, largest) == expected
