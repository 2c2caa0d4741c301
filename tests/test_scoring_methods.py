"""The seven scoring methods at their edges, by hand, plus properties that must always hold.

Every expected number below is worked out in the comment beside it, never taken
from the engine.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdocs.content.scoring_models import (
    Binary,
    Item,
    ItemInput,
    PerMissing,
    PerOccurrence,
    Proportional,
    Rank,
    TargetDeduct,
    Tiered,
)
from qdocs.scoring.describe import describe_item
from qdocs.scoring.methods import (
    competition_ranks,
    divide_half_up,
    num,
    score_binary,
    score_per_missing,
    score_per_occurrence,
    score_proportional,
    score_rank,
    score_target_deduct,
    score_tiered,
)

P = D("0.01")
RATE = TargetDeduct(kind="target_deduct", measure="合格率", unit="%", target=D(98),
                    step=D("0.5"), deduct=D(1))
DEATHS = TargetDeduct(kind="target_deduct", measure="万台死亡人数", unit="人", target=D("0.4"),
                      step=D("0.1"), deduct=D(1), better="lower")
LEVELS = Tiered(kind="tiered", levels={"好": D(6), "较好": D("4.5"), "一般": D(3), "差": D(0)})
ELEMENTS = PerMissing(kind="per_missing", elements=["报告", "计划", "台账"], deduct=D("1.5"))
EVENTS = PerOccurrence(kind="per_occurrence", event="问题未按期整改", deduct=D(1))
SATISFACTION = Proportional(kind="proportional", measure="满意度", unit="分", zero_at=D(80),
                            full_at=D(90))
RANK = Rank(kind="rank", measure="满意度", unit="分", better="higher",
            bands=[{"up_to": 3, "points": 6}, {"up_to": 8, "points": 5},
                   {"up_to": 13, "points": 4}], rest=D(3))


def value(v: str) -> ItemInput:
    return ItemInput(value=D(v))


# --- binary, tiered ----------------------------------------------------------------------------

def test_binary_done_scores_full_and_not_done_nothing():
    assert score_binary(Binary(kind="binary"), D(4), ItemInput(done=True)).score == D(4)
    out = score_binary(Binary(kind="binary"), D(4), ItemInput(done=False))
    assert (out.score, out.reason, out.shown) == (D(0), "未完成，扣4分", "未完成")


def test_tiered_gives_the_level_points():
    assert score_tiered(LEVELS, D(6), ItemInput(level="好")).reason == ""
    out = score_tiered(LEVELS, D(6), ItemInput(level="较好"))
    assert (out.score, out.reason) == (D("4.5"), "评定为“较好”，得4.5分，扣1.5分")
    assert score_tiered(LEVELS, D(6), ItemInput(level="差")).score == D(0)


# --- per_missing -------------------------------------------------------------------------------

def test_per_missing_deducts_per_element_down_to_zero():
    assert score_per_missing(ELEMENTS, D(4), ItemInput(missing=[])).score == D(4)
    one = score_per_missing(ELEMENTS, D(4), ItemInput(missing=["计划"]))
    assert (one.score, one.shown) == (D("2.5"), "缺1项")          # 4 − 1.5
    assert one.reason == "缺少要素：计划，每项扣1.5分，扣1.5分"
    two = score_per_missing(ELEMENTS, D(4), ItemInput(missing=["报告", "台账"]))
    assert two.score == D(1)                                        # 4 − 3
    three = score_per_missing(ELEMENTS, D(4), ItemInput(missing=["报告", "计划", "台账"]))
    assert three.score == D(0)                                      # 4.5 > 4: floor
    assert three.reason == "缺少要素：报告、计划、台账，每项扣1.5分，扣4分（扣完为止）"


def test_per_missing_exactly_used_up_is_not_cut():
    m = PerMissing(kind="per_missing", elements=["甲", "乙"], deduct=D(2))
    out = score_per_missing(m, D(4), ItemInput(missing=["甲", "乙"]))
    assert (out.score, out.reason) == (D(0), "缺少要素：甲、乙，每项扣2分，扣4分")


# --- target_deduct -----------------------------------------------------------------------------

@pytest.mark.parametrize("v, expected", [
    ("98", "8"),        # exactly at target
    ("99.5", "8"),      # above: still full, never more
    ("97.9", "7"),      # 0.1 short: a part step counts as a whole step
    ("97.5", "7"),      # exactly one step short
    ("97.4", "6"),      # one step and a bit: two steps
    ("97.2", "6"),      # 0.8 short → 2 steps → −2
    ("94", "0"),        # 4 short → 8 steps → −8 = all 8 points
    ("90", "0"),        # 16 steps → −16, floor 0
])
def test_target_deduct_edges(v, expected):
    assert score_target_deduct(RATE, D(8), value(v)).score == D(expected)


def test_target_deduct_reason_text():
    assert score_target_deduct(RATE, D(8), value("97.2")).reason == (
        "合格率97.2%，低于目标98%，扣2分")
    assert score_target_deduct(RATE, D(8), value("90")).reason == (
        "合格率90%，低于目标98%，扣8分（扣完为止）")
    assert score_target_deduct(RATE, D(8), value("98.0")).reason == ""


@pytest.mark.parametrize("v, expected", [
    ("0.4", "3"), ("0.2", "3"),   # at or under the ceiling: full
    ("0.45", "2"),                # 0.05 over → one step
    ("0.5", "2"),                 # exactly one step over
    ("0.51", "1"),                # two steps
    ("0.7", "0"), ("2", "0"),     # three steps = all 3 points; more: floor
])
def test_target_deduct_lower_is_better(v, expected):
    assert score_target_deduct(DEATHS, D(3), value(v)).score == D(expected)


def test_target_deduct_lower_reason():
    assert score_target_deduct(DEATHS, D(3), value("0.5")).reason == (
        "万台死亡人数0.5人，高于目标0.4人，扣1分")


# --- proportional ------------------------------------------------------------------------------

@pytest.mark.parametrize("v, expected", [
    ("90", "10"), ("95", "10"),   # at and above full_at
    ("85", "5.00"),               # halfway: 10 × 5/10
    ("80", "0"), ("70", "0"),     # at and below zero_at
    ("83.3", "3.30"),             # 10 × 3.3/10
])
def test_proportional_edges(v, expected):
    assert score_proportional(SATISFACTION, D(10), value(v), P).score == D(expected)


def test_proportional_rounds_an_endless_quotient_half_up():
    m = Proportional(kind="proportional", measure="合格率", unit="%", zero_at=D(90),
                     full_at=D(97))
    out = score_proportional(m, D(6), value("95.5"), P)
    assert out.score == D("4.71")            # 6 × 5.5 / 7 = 4.714285… → 4.71
    assert out.reason == "合格率95.5%，按90%至97%之间的比例得4.71分，扣1.29分"
    assert score_proportional(m, D(6), value("96"), P).score == D("5.14")   # 36/7 = 5.1428…


def test_proportional_half_is_rounded_up_not_to_even():
    m = Proportional(kind="proportional", measure="x", zero_at=D(0), full_at=D(8))
    # 1 × 0.04 / 8 = 0.005 exactly: half-up gives 0.01 (banker's rounding would give 0.00)
    assert score_proportional(m, D(1), value("0.04"), P).score == D("0.01")


def test_proportional_lower_is_better_and_zero_reason():
    m = Proportional(kind="proportional", measure="投诉率", unit="%", zero_at=D(10),
                     full_at=D(0))
    assert score_proportional(m, D(4), value("2.5"), P).score == D(3)   # 4 × 7.5/10
    out = score_proportional(m, D(4), value("12"), P)
    assert (out.score, out.reason) == (D(0), "投诉率12%，不低于10%，不得分，扣4分")
    below = score_proportional(SATISFACTION, D(10), value("80"), P)
    assert below.reason == "满意度80分，不高于80分，不得分，扣10分"


def test_divide_half_up_is_exact():
    assert divide_half_up(D("2.675"), D(1), P) == D("2.68")     # the float 2.675 is 2.67499…
    assert divide_half_up(D("-0.005"), D(1), P) == D("-0.01")
    assert divide_half_up(D(100), D(3), P) == D("33.33")
    assert divide_half_up(D(200), D(3), P) == D("66.67")
    assert divide_half_up(D(1), D(3), D(1)) == D(0)


# --- per_occurrence ----------------------------------------------------------------------------

@pytest.mark.parametrize("count, expected", [(0, "5"), (2, "3"), (5, "0"), (6, "0")])
def test_per_occurrence_edges(count, expected):
    assert score_per_occurrence(EVENTS, D(5), ItemInput(count=count)).score == D(expected)


def test_per_occurrence_reason():
    out = score_per_occurrence(EVENTS, D(5), ItemInput(count=6))
    assert out.reason == "问题未按期整改6起，每起扣1分，扣5分（扣完为止）"
    assert out.shown == "6起"


# --- rank --------------------------------------------------------------------------------------

def test_ties_share_a_rank():
    assert competition_ranks([D(90), D(85), D("85.0"), D(80)], "higher") == [1, 2, 2, 4]
    assert competition_ranks([D(80), D(85), D(85), D(90)], "lower") == [1, 2, 2, 4]
    assert competition_ranks([D(7), D(7), D(7)], "higher") == [1, 1, 1]


@pytest.mark.parametrize("rank, expected", [(1, "6"), (3, "6"), (4, "5"), (8, "5"), (9, "4"),
                                            (13, "4"), (14, "3"), (17, "3")])
def test_rank_bands(rank, expected):
    assert score_rank(RANK, D(6), value("80"), rank).score == D(expected)


def test_rank_reason():
    out = score_rank(RANK, D(6), value("82.3"), 5)
    assert out.reason == "满意度82.3分，列第5名，得5分，扣1分"
    assert out.shown == "82.3分（第5名）"


def test_num_prints_plain_numbers():
    assert [num(D("97.20")), num(D(100)), num(D("0.00")), num(D("1E+1"))] == [
        "97.2", "100", "0", "10"]


# --- describe ----------------------------------------------------------------------------------

def _item(method) -> Item:
    return Item(id="X1", name="测试", points=D(8), content="内容", method=method,
                evidence=["材料"], assessment=["材料审核"], departments=["省质监局"], tasks=[1])


@pytest.mark.parametrize("method, text", [
    (RATE, "合格率达到目标值98%得满分，每低0.5个百分点扣1分，不足0.5个百分点的按0.5个百分点计，"
           "扣完为止"),
    (DEATHS, "万台死亡人数不高于目标值0.4人得满分，每高0.1人扣1分，不足0.1人的按0.1人计，扣完为止"),
    (SATISFACTION, "满意度达到90分及以上得满分，80分及以下不得分，"
                   "其间按比例计分（得分四舍五入保留两位小数）"),
    (LEVELS, "按评定等次计分：好得6分，较好得4.5分，一般得3分，差不得分"),
    (ELEMENTS, "须具备报告、计划、台账，每缺一项扣1.5分，扣完为止"),
    (EVENTS, "问题未按期整改的，每起扣1分，扣完为止"),
    (Binary(kind="binary"), "完成的得8分，未完成的不得分"),
    (RANK, "按满意度在各地排名计分（高者在前，数值相同的名次并列）：第1至3名得6分，第4至8名得5分，"
           "第9至13名得4分，其余得3分"),
])
def test_describe_item(method, text):
    assert describe_item(_item(method), P, "half_up") == text


# --- properties --------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100, places=2)
positive = st.decimals(min_value=D("0.1"), max_value=20, places=1)


@st.composite
def target_methods(draw):
    return TargetDeduct(kind="target_deduct", measure="m", target=draw(amounts),
                        step=draw(positive), deduct=draw(positive),
                        better=draw(st.sampled_from(["higher", "lower"])))


@given(target_methods(), positive, amounts, amounts)
def test_target_deduct_stays_in_range_and_rewards_achievement(m, points, a, b):
    low, high = sorted([a, b])
    worse, better = (low, high) if m.better == "higher" else (high, low)
    s_worse = score_target_deduct(m, points, ItemInput(value=worse)).score
    s_better = score_target_deduct(m, points, ItemInput(value=better)).score
    assert D(0) <= s_worse <= s_better <= points


@given(amounts, amounts, positive, amounts, amounts)
def test_proportional_stays_in_range_and_rewards_achievement(zero, full, points, a, b):
    if zero == full:
        return
    m = Proportional(kind="proportional", measure="m", zero_at=zero, full_at=full)
    low, high = sorted([a, b])
    worse, better = (low, high) if full > zero else (high, low)
    s_worse = score_proportional(m, points, ItemInput(value=worse), P).score
    s_better = score_proportional(m, points, ItemInput(value=better), P).score
    assert D(0) <= s_worse <= s_better <= points


@given(positive, positive, st.sets(st.sampled_from("甲乙丙丁戊")),
       st.sets(st.sampled_from("甲乙丙丁戊")))
def test_per_missing_fewer_missing_never_scores_less(points, deduct, a, b):
    m = PerMissing(kind="per_missing", elements=list("甲乙丙丁戊"), deduct=deduct)
    more, fewer = a | b, a
    s_more = score_per_missing(m, points, ItemInput(missing=sorted(more))).score
    s_fewer = score_per_missing(m, points, ItemInput(missing=sorted(fewer))).score
    assert D(0) <= s_more <= s_fewer <= points


@given(positive, positive, st.integers(0, 50), st.integers(0, 50))
def test_per_occurrence_fewer_events_never_score_less(points, deduct, a, b):
    m = PerOccurrence(kind="per_occurrence", event="e", deduct=deduct)
    low, high = sorted([a, b])
    s_high = score_per_occurrence(m, points, ItemInput(count=high)).score
    s_low = score_per_occurrence(m, points, ItemInput(count=low)).score
    assert D(0) <= s_high <= s_low <= points


@given(st.integers(1, 40), st.integers(1, 40))
def test_rank_a_better_place_never_scores_less(a, b):
    better, worse = sorted([a, b])
    s_better = score_rank(RANK, D(6), value("1"), better).score
    s_worse = score_rank(RANK, D(6), value("1"), worse).score
    assert D(0) <= s_worse <= s_better <= D(6)


@given(st.lists(st.decimals(min_value=0, max_value=10, places=1), min_size=1, max_size=30),
       st.sampled_from(["higher", "lower"]))
def test_competition_ranks_match_their_definition(values, better):
    def beats(x, y):
        return x > y if better == "higher" else x < y
    expected = [1 + sum(beats(o, v) for o in values) for v in values]
    assert competition_ranks(values, better) == expected


@given(st.decimals(min_value=-1000, max_value=1000, places=4),
       st.decimals(min_value=D("0.1"), max_value=100, places=1),
       st.sampled_from([D(1), D("0.1"), D("0.01")]))
def test_divide_half_up_is_within_half_a_quantum(n, d, q):
    exact = Fraction(n) / Fraction(d)
    got = Fraction(divide_half_up(n, d, q))
    assert abs(got - exact) <= Fraction(q) / 2
    if abs(got - exact) == Fraction(q) / 2:     # a tie goes away from zero
        assert abs(got) > abs(exact)
