"""The pure-Python Kaplan-Meier estimate and its band give the figures lifelines' KaplanMeierFitter reports.

lifelines is only a development dependency, kept for these comparisons: each test imports it with
``pytest.importorskip`` and fits the same grouped counts (durations, events, weights) on the same
timeline, with lifelines' defaults (exponential Greenwood band at alpha = 0.05).
"""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.insights.survival import kaplan_meier

TOLERANCE = 1e-9


def lifelines_fit(rows, timeline):
    """(survival, low, high) per timeline point, as lifelines' KaplanMeierFitter reports them."""
    lifelines = pytest.importorskip("lifelines")
    durations, events, weights = zip(*rows, strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's divide-by-zero notices where S reaches 0
        fitted = lifelines.KaplanMeierFitter().fit(durations, events, weights=weights, timeline=timeline)
    survival = fitted.survival_function_.iloc[:, 0].tolist()
    band = fitted.confidence_interval_survival_function_.values.tolist()
    return [(value, low, high) for value, (low, high) in zip(survival, band, strict=True)]


def assert_matches_lifelines(rows, timeline):
    ours = kaplan_meier(rows, timeline)
    theirs = lifelines_fit(rows, timeline)
    assert len(ours) == len(theirs) == len(timeline)
    for month, mine, reference in zip(timeline, ours, theirs, strict=True):
        assert mine == pytest.approx(reference, abs=TOLERANCE, rel=0), f"month {month}"


def test_the_hand_computed_case_gives_kaplan_meier_and_greenwood_figures():
    # 4 members: two leave in month 1, one in month 3, one is still a member after month 6.
    rows = [(1, 1, 2), (3, 1, 1), (6, 0, 1)]
    curve = kaplan_meier(rows, range(8))

    assert [survival for survival, _, _ in curve] == [1.0, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25]
    assert curve[0] == (1.0, 1.0, 1.0)
    # Month 3: Greenwood's sum is 2/(4*2) + 1/(2*1) = 0.75; the band is S ** exp(∓1.96 * sqrt(0.75) / log S).
    z = 1.959963984540054
    spread = z * math.sqrt(0.75) / math.log(0.25)
    assert curve[3] == pytest.approx((0.25, 0.25 ** math.exp(-spread), 0.25 ** math.exp(spread)))


def test_the_hand_computed_case_matches_lifelines():
    assert_matches_lifelines([(1, 1, 2), (3, 1, 1), (6, 0, 1)], list(range(13)))


def test_the_band_matches_lifelines_when_events_and_censoring_tie():
    # Members censored in a month are still at risk for that month's events.
    rows = [(1, 1, 3), (1, 0, 2), (2, 1, 1), (2, 0, 1), (4, 1, 2), (4, 0, 3), (7, 0, 1)]
    assert_matches_lifelines(rows, list(range(10)))

    curve = kaplan_meier(rows, [1])
    assert curve[0][0] == pytest.approx(1 - 3 / 13)


def test_the_curve_stays_at_one_with_a_band_of_one_when_nobody_leaves():
    rows = [(2, 0, 5), (6, 0, 3)]

    assert kaplan_meier(rows, range(8)) == [(1.0, 1.0, 1.0)] * 8
    assert_matches_lifelines(rows, list(range(8)))


def test_the_curve_drops_to_zero_with_a_band_of_zero_when_everyone_leaves():
    rows = [(1, 1, 2), (3, 1, 2)]
    curve = kaplan_meier(rows, range(6))

    assert [survival for survival, _, _ in curve] == [1.0, 0.5, 0.5, 0.0, 0.0, 0.0]
    assert curve[3:] == [(0.0, 0.0, 0.0)] * 3
    assert_matches_lifelines(rows, list(range(6)))


def test_everyone_leaving_in_the_first_month_gives_zero_from_month_zero():
    rows = [(0, 1, 4)]

    assert kaplan_meier(rows, range(3)) == [(0.0, 0.0, 0.0)] * 3
    assert_matches_lifelines(rows, list(range(3)))


@pytest.mark.parametrize("left", [0, 1], ids=["still a member", "left"])
def test_a_single_member_matches_lifelines(left):
    assert_matches_lifelines([(3, left, 1)], list(range(7)))


def test_the_band_matches_lifelines_with_a_hundred_thousand_members():
    rows = [
        (0, 1, 1_200),
        (1, 1, 7_345),
        (1, 0, 2_000),
        (3, 1, 11_111),
        (5, 0, 40_000),
        (6, 1, 1),
        (12, 0, 38_343),
    ]
    assert sum(weight for _, _, weight in rows) == 100_000

    assert_matches_lifelines(rows, list(range(13)))
    survival, low, high = kaplan_meier(rows, [12])[0]
    assert high - low < 0.01  # so many members: a narrow band


def test_timeline_points_past_the_last_observation_carry_the_last_estimate():
    rows = [(1, 1, 1), (2, 0, 3)]
    curve = kaplan_meier(rows, range(12))

    assert curve[2:] == [curve[2]] * 10
    assert_matches_lifelines(rows, list(range(12)))


def test_a_timeline_between_and_before_the_durations_matches_lifelines():
    rows = [(2, 1, 3), (5, 1, 2), (5, 0, 4), (9, 0, 2)]
    assert_matches_lifelines(rows, [0, 1, 1.5, 2, 4.99, 5, 8, 9, 20])


grouped_rows = st.lists(
    st.tuples(st.integers(0, 24), st.integers(0, 1), st.integers(1, 100_000)), min_size=1, max_size=30
)


@settings(max_examples=300, deadline=None)
@given(rows=grouped_rows, months=st.integers(0, 30))
def test_random_grouped_counts_match_lifelines(rows, months):
    # Rows may repeat a (duration, event) pair, as two snapshot queries' rows can.
    assert_matches_lifelines(rows, list(range(months + 1)))


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 1), st.integers(1, 5)), min_size=1, max_size=12
    )
)
def test_small_groups_match_lifelines(rows):
    # Few members: many steps end with everyone at risk leaving (S = 0) or nobody left at risk.
    assert_matches_lifelines(rows, list(range(16)))
