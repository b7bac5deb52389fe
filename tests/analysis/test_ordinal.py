"""Ordinal measures pinned on hand-computed distributions, plus properties."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cop_widgets.analysis import ordinal
from cop_widgets.analysis.ordinal import (
    iqr,
    leik,
    mean_position,
    median,
    ordered_levels,
    pattern_agreement,
    percent_agreement,
    quantile,
    tastle_wierman,
    van_der_eijk,
)
from cop_widgets.scales import SCALES

LIKERT = np.arange(1, 6)


def values_for(k):
    return np.arange(1, k + 1)


# -- reference implementation of van der Eijk, written as the paper describes it ------------


def _reference_pattern_agreement(pattern):
    k = len(pattern)
    s = sum(pattern)
    if k == 2:
        return 1.0 if s == 1 else -1.0
    tu = tdu = 0
    for i, j, m in itertools.combinations(range(k), 3):
        triple = (pattern[i], pattern[j], pattern[m])
        if triple == (1, 0, 1):
            tdu += 1
        elif triple in ((1, 1, 0), (0, 1, 1)):
            tu += 1
    u = 1.0 if tu + tdu == 0 else ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * (tu + tdu))
    return u * (1 - (s - 1) / (k - 1))


def _reference_van_der_eijk(counts):
    remaining = [float(c) for c in counts]
    n = sum(remaining)
    total = 0.0
    while any(r > 0 for r in remaining):
        smallest = min(r for r in remaining if r > 0)
        pattern = [1 if r > 0 else 0 for r in remaining]
        total += smallest * sum(pattern) / n * _reference_pattern_agreement(pattern)
        remaining = [r - smallest if r > 0 else 0.0 for r in remaining]
    return total


# -- anchors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 5, 8])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_all_in_one_category(k, where):
    counts = np.zeros(k)
    pos = {"first": 0, "middle": k // 2, "last": k - 1}[where]
    counts[pos] = 7
    v = values_for(k)
    assert tastle_wierman(counts, v) == pytest.approx(1.0)
    assert van_der_eijk(counts) == pytest.approx(1.0)
    assert leik(counts) == pytest.approx(0.0)
    assert median(counts, v) == v[pos]
    assert iqr(counts, v) == 0.0


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_even_split_between_extremes(k):
    counts = np.zeros(k)
    counts[0] = counts[-1] = 4
    v = values_for(k)
    assert tastle_wierman(counts, v) == pytest.approx(0.0, abs=1e-12)
    assert van_der_eijk(counts) == pytest.approx(-1.0)
    assert leik(counts) == pytest.approx(1.0)
    # The exact tie puts the median midway between the two ends.
    assert median(counts, v) == pytest.approx((1 + k) / 2)
    assert iqr(counts, v) == k - 1
    assert mean_position(counts, v) == pytest.approx(0.0)


@pytest.mark.parametrize("k", [3, 4, 5, 8])
def test_uniform_has_zero_agreement(k):
    assert van_der_eijk(np.full(k, 3)) == pytest.approx(0.0, abs=1e-12)


def test_uniform_likert5_by_hand():
    # mu = 3, width 4: |X - mu| / 4 = 1/2, 1/4, 0, 1/4, 1/2.
    # TW = 1 + 1/5 (2 log2(1/2) + 2 log2(3/4) + log2 1) = 0.6 + 0.4 log2(0.75).
    u = np.ones(5)
    assert tastle_wierman(u, LIKERT) == pytest.approx(0.6 + 0.4 * math.log2(0.75))
    assert tastle_wierman(u, LIKERT) == pytest.approx(0.433985000288)
    # F = .2 .4 .6 .8 -> min(F, 1 - F) = .2 .4 .4 .2, sum 1.2; D = 2 * 1.2 / 4.
    assert leik(u) == pytest.approx(0.6)
    assert median(u, LIKERT) == 3
    # Q1: F(2) = .4 is the first to reach .25 -> 2; Q3: F(4) = .8 -> 4.
    assert iqr(u, LIKERT) == 2


def test_uniform_three_and_eight_levels_by_hand():
    # k = 3: mu = 2, width 2: distances 1/2, 0, 1/2 -> TW = 1 + (1/3)(-1 + 0 - 1) = 1/3.
    assert tastle_wierman(np.ones(3), values_for(3)) == pytest.approx(1 / 3)
    # F = 1/3, 2/3 -> sum of min = 2/3; D = 2 (2/3) / 2.
    assert leik(np.ones(3)) == pytest.approx(2 / 3)
    # k = 8: F = i/8 -> min = 1,2,3,4,3,2,1 (/8) = 2; D = 2 * 2 / 7.
    assert leik(np.ones(8)) == pytest.approx(4 / 7)


def test_three_categories_worked_by_hand():
    # counts (1, 3, 2), values 1, 2, 3, N = 6, p = 1/6, 1/2, 1/3.
    #
    # Tastle & Wierman: mu = (1*1 + 3*2 + 2*3) / 6 = 13/6, width = 2.
    #   |X - mu| / 2 = 7/12, 1/12, 5/12  ->  1 - that = 5/12, 11/12, 7/12
    #   TW = 1 + 1/6 log2(5/12) + 1/2 log2(11/12) + 1/3 log2(7/12)
    #      = 1 - 0.2105 - 0.0628 - 0.2592 = 0.4675
    #
    # van der Eijk, layers:
    #   smallest count 1: pattern 111, weight 3*1/6 = 1/2, S = k -> A = 0
    #   left (0, 2, 1), smallest 1: pattern 011, weight 2/6; the only triple is 011 -> TU = 1,
    #     TDU = 0, U = (1*1 - 0) / (1*1) = 1, A = 1 * (1 - (2-1)/(3-1)) = 1/2
    #   left (0, 1, 0): pattern 010, weight 1/6, A = 1
    #   A = 1/2*0 + 2/6*1/2 + 1/6*1 = 1/3
    #
    # Leik: F = 1/6, 4/6 -> min(F, 1-F) = 1/6, 2/6, sum 1/2; D = 2 * (1/2) / 2 = 1/2.
    #
    # Quartiles (cumulative 1, 4, 6 of 6): median target 3 -> level 2; Q1 target 1.5 ->
    #   level 2; Q3 target 4.5 -> level 3; IQR = 1.
    counts = [1, 3, 2]
    v = [1, 2, 3]
    tw = 1 + math.log2(5 / 12) / 6 + math.log2(11 / 12) / 2 + math.log2(7 / 12) / 3
    assert tastle_wierman(counts, v) == pytest.approx(tw)
    assert tw == pytest.approx(0.46753, abs=1e-5)
    assert van_der_eijk(counts) == pytest.approx(1 / 3)
    assert leik(counts) == pytest.approx(0.5)
    assert median(counts, v) == 2
    assert iqr(counts, v) == 1
    # mean 13/6 on 1..3 -> 2 * (13/6 - 1) / 2 - 1 = 1/6
    assert mean_position(counts, v) == pytest.approx(1 / 6)


def test_three_categories_polarised_pattern():
    # Pattern 101: TDU = 1, TU = 0, U = (0 - 2) / 1 = -2, A = -2 * (1 - 1/2) = -1.
    assert pattern_agreement([1, 0, 1]) == pytest.approx(-1.0)
    assert van_der_eijk([2, 0, 2]) == pytest.approx(-1.0)


def test_five_level_patterns_by_hand():
    # 01110 on k = 5: TU = 6 (011 x3 with position 0, 110 x3 with position 4), TDU = 0,
    # U = 1, S = 3 -> A = 1 - 2/4 = 1/2.
    assert pattern_agreement([0, 1, 1, 1, 0]) == pytest.approx(0.5)
    # 01010: TU = 2 (0,1,3 -> 011; 1,3,4 -> 110), TDU = 1 (1,2,3 -> 101):
    # U = (3*2 - 4*1) / (3*3) = 2/9, A = 2/9 * (1 - 1/4) = 1/6.
    assert pattern_agreement([0, 1, 0, 1, 0]) == pytest.approx(1 / 6)
    # (0, 1, 2, 1, 0): 3/4 of 01110 (1/2) + 1/4 of 00100 (1) = 5/8.
    assert van_der_eijk([0, 1, 2, 1, 0]) == pytest.approx(0.625)
    # 15 on "strongly disagree", 85 on "strongly agree": 30/100 of 10001 (-1) + 70/100 of
    # 00001 (1) = 0.4.
    assert van_der_eijk([15, 0, 0, 0, 85]) == pytest.approx(0.4)
    assert pattern_agreement([[1, 1, 1, 1, 1], [0, 0, 1, 0, 0]]) == pytest.approx([0, 1])


def test_two_levels_read_as_extremes():
    # A = 1 - 4 min(p1, p2): the value of the same shares on the ends of a longer scale.
    for a, b in [(1, 0), (3, 1), (1, 1), (7, 3), (0, 5)]:
        expected = 1 - 4 * min(a, b) / (a + b)
        assert van_der_eijk([a, b]) == pytest.approx(expected)
        assert van_der_eijk([a, 0, 0, 0, b]) == pytest.approx(expected)
        assert van_der_eijk([a, 0, 0, 0, 0, 0, 0, b]) == pytest.approx(expected)
    assert pattern_agreement([1, 1]) == -1.0
    assert pattern_agreement([0, 1]) == 1.0


def test_agree_disagree_scale():
    levels = ordered_levels(SCALES["agree_disagree"])
    assert levels.values.tolist() == [-1, 1]
    counts = [1, 3]  # 1 disagree, 3 agree
    assert percent_agreement(counts, levels.polarity) == 0.75
    assert percent_agreement(counts, levels.polarity, side=-1) == 0.25
    # mu = 0.5, width 2: distances 3/4 and 1/4 -> TW = 1 + 1/4 log2(1/4) + 3/4 log2(3/4).
    expected = 1 + 0.25 * math.log2(0.25) + 0.75 * math.log2(0.75)
    assert tastle_wierman(counts, levels.values) == pytest.approx(expected)
    assert leik(counts) == pytest.approx(0.5)  # 2 * min(1/4, 3/4) / 1
    # Q1: F(-1) = 1/4 exactly -> midpoint of -1 and 1 = 0; Q3 = 1.
    assert iqr(counts, levels.values) == 1.0
    assert median(counts, levels.values) == 1.0
    assert mean_position(counts, levels.values) == pytest.approx(0.5)


def test_kaner8_scale():
    levels = ordered_levels(SCALES["kaner8"])
    assert levels.values.tolist() == list(range(1, 9))
    # "Don't like it, but will support it" (3) is support; "More discussion needed" (4)
    # and "Abstain" (5) are categories of their own, out of the ordinal levels.
    assert levels.polarity.tolist() == [-1, -1, 1, 0, 0, 1, 1, 1]
    assert levels.ordinal.tolist() == [True, True, True, False, False, True, True, True]
    assert levels.categories[3:5] == ("more_discussion", "abstain")
    assert levels.apart[2] == "reluctant_support"
    assert levels.positions.tolist() == [1, 2, 3, 4, 5, 6]
    assert levels.ordinal_polarity.tolist() == [-1, -1, 1, 1, 1, 1]
    counts = [0, 0, 0, 4, 0, 4]  # on the ordinal levels: 4 with reservations, 4 endorse
    assert percent_agreement(counts, levels.ordinal_polarity) == pytest.approx(1.0)
    # cumulative 4, 8 of 8 on positions 4 and 6: Q1 (2) -> 4, median (4) -> 5, Q3 -> 6.
    assert median(counts, levels.positions) == 5
    assert iqr(counts, levels.positions) == 2
    assert van_der_eijk(counts) == pytest.approx(_reference_van_der_eijk(counts))


def test_ordered_levels_reverses_display_order():
    levels = ordered_levels(SCALES["likert5"])
    assert levels.values.tolist() == [1, 2, 3, 4, 5]
    assert levels.polarity.tolist() == [-1, -1, 0, 1, 1]
    assert levels.labels[0] == "Strongly disagree"


def test_quantile_ties_take_the_midpoint():
    # 2 on level 4, 2 on level 5: median exactly at the boundary -> 4.5.
    assert median([0, 0, 0, 2, 2], LIKERT) == 4.5
    assert quantile([0, 0, 0, 2, 2], LIKERT, 0.25) == 4
    with pytest.raises(ValueError):
        quantile([1, 1], [1, 2], 1.0)


def test_no_stances_give_nan():
    zero = np.zeros(5)
    for value in (tastle_wierman(zero, LIKERT), van_der_eijk(zero), leik(zero),
                  median(zero, LIKERT), iqr(zero, LIKERT), mean_position(zero, LIKERT),
                  percent_agreement(zero, [-1, -1, 0, 1, 1])):
        assert math.isnan(value)


def test_vectorised_rows_and_nan_rows():
    rows = np.array([[0, 0, 5, 0, 0], [5, 0, 0, 0, 5], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]])
    a = van_der_eijk(rows)
    assert a.shape == (4,)
    assert a[:3] == pytest.approx([1, -1, 0], abs=1e-12)
    assert np.isnan(a[3])
    assert leik(rows)[:3] == pytest.approx([0, 1, 0.6])
    assert iqr(rows, LIKERT)[:3].tolist() == [0, 4, 2]


def test_invalid_input():
    with pytest.raises(ValueError):
        leik([1, -1, 2])
    with pytest.raises(ValueError):
        leik([1, np.nan, 2])
    with pytest.raises(ValueError):
        median([1, 1, 1], [1, 2])
    with pytest.raises(ValueError):
        median([1, 1, 1], [3, 2, 1])
    with pytest.raises(ValueError):
        leik(np.ones((2, 2, 2)))
    with pytest.raises(ValueError):
        pattern_agreement([0, 0, 0])


def test_returns_plain_float_for_one_distribution():
    for value in (tastle_wierman([1, 2], [0, 1]), van_der_eijk([1, 2]), leik([1, 2]),
                  median([1, 2], [0, 1]), iqr([1, 2], [0, 1])):
        assert type(value) is float


# -- properties --------------------------------------------------------------------------------

counts_1d = st.integers(2, 9).flatmap(
    lambda k: hnp.arrays(np.int64, k, elements=st.integers(0, 40)).filter(lambda a: a.sum() > 0)
)
counts_2d = st.tuples(st.integers(1, 12), st.integers(2, 9)).flatmap(
    lambda shape: hnp.arrays(np.int64, shape, elements=st.integers(0, 30))
)


@given(counts_1d)
def test_ranges(counts):
    v = values_for(len(counts))
    assert -1e-12 <= tastle_wierman(counts, v) <= 1 + 1e-12
    assert -1 - 1e-12 <= van_der_eijk(counts) <= 1 + 1e-12
    assert -1e-12 <= leik(counts) <= 1 + 1e-12
    assert 1 <= median(counts, v) <= len(counts)
    assert 0 <= iqr(counts, v) <= len(counts) - 1
    assert -1 <= mean_position(counts, v) <= 1


@given(counts_1d, st.integers(2, 50))
def test_scaling_counts_changes_no_measure(counts, factor):
    v = values_for(len(counts))
    scaled = counts * factor
    for f in (tastle_wierman, median, iqr, mean_position):
        assert f(scaled, v) == pytest.approx(f(counts, v), abs=1e-12)
    for f in (van_der_eijk, leik):
        assert f(scaled) == pytest.approx(f(counts), abs=1e-12)
    pol = np.sign(np.arange(len(counts)) - (len(counts) - 1) / 2).astype(int)
    assert percent_agreement(scaled, pol) == pytest.approx(percent_agreement(counts, pol))


@given(counts_1d)
def test_reversing_the_scale_mirrors(counts):
    v = values_for(len(counts))
    rev = counts[::-1]
    assert tastle_wierman(rev, v) == pytest.approx(tastle_wierman(counts, v), abs=1e-12)
    assert van_der_eijk(rev) == pytest.approx(van_der_eijk(counts), abs=1e-12)
    assert leik(rev) == pytest.approx(leik(counts), abs=1e-12)
    top = len(counts) + 1
    assert median(rev, v) == pytest.approx(top - median(counts, v))
    assert iqr(rev, v) == pytest.approx(iqr(counts, v))


@given(counts_1d)
def test_van_der_eijk_matches_reference(counts):
    assert van_der_eijk(counts) == pytest.approx(_reference_van_der_eijk(counts), abs=1e-12)


@given(counts_1d, st.sampled_from([0.25, 0.5, 0.75, 0.1, 0.9]))
def test_quantile_matches_numpy_averaged_inverted_cdf(counts, q):
    v = values_for(len(counts)) * 10  # any increasing values
    expanded = np.repeat(v, counts)
    expected = np.quantile(expanded, q, method="averaged_inverted_cdf")
    assert quantile(counts, v, q) == pytest.approx(expected)


@given(counts_2d)
@settings(max_examples=60)
def test_vectorised_equals_row_by_row(rows):
    k = rows.shape[1]
    v = values_for(k)
    pol = np.sign(np.arange(k) - (k - 1) / 2).astype(int)
    for f, args in ((tastle_wierman, (v,)), (median, (v,)), (iqr, (v,)),
                    (mean_position, (v,)), (van_der_eijk, ()), (leik, ()),
                    (percent_agreement, (pol,))):
        whole = f(rows, *args)
        single = [f(row, *args) for row in rows]
        np.testing.assert_allclose(whole, single, atol=1e-12, equal_nan=True)


@given(counts_1d)
def test_shares_accept_proportions(counts):
    v = values_for(len(counts))
    p = counts / counts.sum()
    assert van_der_eijk(p) == pytest.approx(van_der_eijk(counts), abs=1e-9)
    assert median(p, v) == median(counts, v)
    assert iqr(p, v) == iqr(counts, v)


# -- every exported measure, through the package, on one distribution worked by hand ----------

# counts (0, 2, 3, 0, 0) on a five-level scale with values 10, 20, 30, 40, 50 (N = 5):
#
# - shares: disagreeing (levels 1-2) 2/5, neither (level 3) 3/5, agreeing 0.
# - quartiles: cumulative 0, 2, 5, 5, 5; Q1 target 1.25 -> 20, median target 2.5 -> 30,
#   Q3 target 3.75 -> 30; IQR = 30 - 20 = 10 (in the units of the values, not steps).
# - Tastle & Wierman: mu = (2*20 + 3*30) / 5 = 26, width of the *scale* 40;
#   |X - mu| / 40 = 6/40, 4/40 -> TW = 1 + 2/5 log2(0.85) + 3/5 log2(0.9) = 0.815012.
#   (The width of the answers, 10, would give 1 + 2/5 log2(0.4) + 3/5 log2(0.6) = 0.029.)
# - Leik: F = 0, 2/5, 1, 1 -> min(F, 1 - F) = 0, 2/5, 0, 0; D = 2 * (2/5) / 4 = 1/5.
# - van der Eijk: layer 01100 of weight 2*2/5: TU = 3 ((0,1,2) 011, (1,2,3) and (1,2,4) 110),
#   TDU = 0, U = 1, S = 2 -> A = 1 - 1/4 = 3/4; layer 00100 of weight 1/5, A = 1.
#   A = 4/5 * 3/4 + 1/5 = 4/5.
# - mean position: 2 (26 - 10) / 40 - 1 = -1/5.
WORKED = [0, 2, 3, 0, 0]
TENS = [10, 20, 30, 40, 50]
POLARITY5 = [-1, -1, 0, 1, 1]
BY_HAND = {
    "percent_agreement": ((WORKED, POLARITY5, -1), 0.4),
    "quantile": ((WORKED, TENS, 0.25), 20.0),
    "median": ((WORKED, TENS), 30.0),
    "iqr": ((WORKED, TENS), 10.0),
    "tastle_wierman": ((WORKED, TENS), 1 + 0.4 * math.log2(0.85) + 0.6 * math.log2(0.9)),
    "van_der_eijk": ((WORKED,), 0.8),
    "pattern_agreement": (([0, 1, 1, 0, 0],), 0.75),
    "leik": ((WORKED,), 0.2),
    "mean_position": ((WORKED, TENS), -0.2),
}


@pytest.mark.parametrize("name", sorted(BY_HAND))
def test_each_exported_measure_gives_the_hand_computed_value(name):
    args, expected = BY_HAND[name]
    assert getattr(ordinal, name)(*args) == pytest.approx(expected, abs=1e-12)


def test_worked_tastle_wierman_uses_the_width_of_the_scale():
    assert tastle_wierman(WORKED, TENS) == pytest.approx(0.815012, abs=1e-6)
    # The same answers on a scale twice as wide are closer together: more consensus.
    assert tastle_wierman([0, 2, 3, 0, 0, 0, 0, 0, 0], np.arange(1, 10) * 10) > 0.9


def test_every_exported_measure_is_worked_by_hand():
    measures = {name for name in ordinal.__all__
                if callable(getattr(ordinal, name)) and name[0].islower()
                and name != "ordered_levels"}
    assert measures == set(BY_HAND)
