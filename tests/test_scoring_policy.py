"""The scheme's scoring policy settings: rounding, basis, veto placement, per_missing input,
target_deduct part steps, precision as text — each decides the score, and annex 2 says so.

Expected scores are worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.scoring import describe
from qdocs.scoring.engine import score_all

GRADES = [{"code": "A", "name": "甲", "min": 90}, {"code": "B", "name": "乙", "min": 60},
          {"code": "C", "name": "丙", "min": 0}]


def rules(items: list[dict], **policy) -> ScoringRules:
    """A two-level scheme (block → items) of the given items, without filler."""
    total = sum(D(str(i["points"])) for i in items)
    data = {"title": "t", "full_score": total, "precision": "0.1", "grades": GRADES,
            "blocks": [{"id": "1", "name": "指标", "points": total, "items": [
                {"id": f"1.{k}", "name": f"项{k}", "content": "c", **i}
                for k, i in enumerate(items, start=1)]}],
            "veto": {"placement": policy.pop("placement", "unranked"),
                     "conditions": [{"id": "V1", "content": "事故"}]}}
    data.update(policy)
    return ScoringRules.model_validate(data)


def score(r: ScoringRules, inputs: list[dict], vetoed=()):
    codes = [f"1000{k:02d}" for k in range(1, len(inputs) + 1)]
    found = {c: Assessment.model_validate({
        "region": c, "items": {f"1.{k}": v for k, v in enumerate(given, start=1)},
        "vetoes": [{"condition": "V1", "event": "e"}] if c in vetoed else []})
        for c, given in zip(codes, inputs, strict=True)}
    return score_all(r, codes, found)


PROPORTIONAL = {"points": 10, "method": {"kind": "proportional", "measure": "率",
                                         "zero_at": 0, "full_at": 3}}
LEVELS = {"points": 90, "method": {"kind": "tiered", "levels": {
    "a": 90, "b": "89.95", "c": "59.96", "d": "59.94", "e": 50, "f": 0}}}


# --- rounding and basis -------------------------------------------------------------------------

def test_items_exact_by_default_and_half_up_when_asked():
    # three proportional items at 1 of 3: 10/3 each. Exact: 10 → 10.0. Rounded first: 3.3 × 3
    # = 9.9.
    three = [PROPORTIONAL] * 3
    exact = score(rules(three), [[{"value": 1}] * 3]).regions[0]
    assert exact.final == 10 and exact.final_display == D("10.0")
    assert exact.items[0].score == Fraction(10, 3)
    rounded = score(rules(three, rounding={"items": "half_up"}), [[{"value": 1}] * 3]).regions[0]
    assert rounded.final == D("9.9")


def test_grade_and_rank_go_by_the_printed_score_unless_told_otherwise():
    # 89.95 prints 90.0 (precision 0.1): 甲 by the printed score, 乙 by the exact one.
    # 90 and 89.95 both print 90.0: one rank by the printed score, 1st and 2nd by the exact.
    inputs = [[{"level": "a"}], [{"level": "b"}]]
    printed = score(rules([LEVELS]), inputs)
    assert [r.grade.code for r in printed.regions] == ["A", "A"]
    assert [r.rank for r in printed.regions] == [1, 1]
    exact = score(rules([LEVELS], basis="exact"), inputs)
    assert [r.grade.code for r in exact.regions] == ["A", "B"]
    assert [r.rank for r in exact.regions] == [1, 2]


@pytest.mark.parametrize("placement, ranks, order", [
    # scores 90, 50 (vetoed), 0: unranked → no rank, listed last; last → after the others;
    # in_place → by its score.
    ("unranked", [1, None, 2], ["100001", "100003", "100002"]),
    ("last", [1, 3, 2], ["100001", "100003", "100002"]),
    ("in_place", [1, 2, 3], ["100001", "100002", "100003"]),
])
def test_veto_placement(placement, ranks, order):
    res = score(rules([LEVELS], placement=placement),
                [[{"level": "a"}], [{"level": "e"}], [{"level": "f"}]], vetoed={"100002"})
    assert [r.rank for r in res.regions] == ranks
    assert list(res.ranking) == order
    assert res.regions[1].grade.code == "C"


# --- method policies ----------------------------------------------------------------------------

@pytest.mark.parametrize("partial, score_", [
    # target 98, step 1, deduct 2; value 96.5 → 1.5 short: whole → 2 steps = 4 → 6;
    # ignore → 1 step = 2 → 8; pro_rata → 1.5 × 2 = 3 → 7.
    ("whole", 6), ("ignore", 8), ("pro_rata", 7)])
def test_target_deduct_part_steps(partial, score_):
    item = {"points": 10, "method": {"kind": "target_deduct", "measure": "率", "unit": "%",
                                     "target": 98, "step": 1, "deduct": 2, "partial": partial}}
    assert score(rules([item]), [[{"value": "96.5"}]]).regions[0].items[0].score == score_


def test_per_missing_reads_present_and_zero_if_none():
    # elements a, b, c; 3 per missing one, 10 points. present [a] → 2 missing → 4.
    # present [] → 3 missing → 1, but zero_if_none → 0.
    item = {"points": 10, "method": {"kind": "per_missing", "elements": ["a", "b", "c"],
                                     "deduct": 3, "input": "present", "zero_if_none": True}}
    res = score(rules([item]), [[{"present": ["a"]}], [{"present": []}]])
    assert [r.items[0].score for r in res.regions] == [4, 0]


@pytest.mark.parametrize("value", [1, "0.05", D("0.1")])
def test_precision_is_a_quantum_written_as_text(value):
    item = {"points": 10, "method": {"kind": "binary"}}
    with pytest.raises(ValidationError, match="precision"):
        ScoringRules.model_validate({**rules([item]).model_dump(), "precision": value})


def test_annex_text_follows_each_setting():
    item = {"points": 10, "method": {"kind": "binary"}}
    assert "各项得分不作四舍五入" in describe.describe_final(rules([item]))
    assert "各项得分四舍五入保留一位小数后相加" in describe.describe_final(
        rules([item], rounding={"items": "half_up"}))
    assert "按未经四舍五入的得分评定" in describe.describe_final(rules([item], basis="exact"))
    assert describe.describe_veto(rules([item], placement="last")).endswith(
        "考核等次直接确定为丙（C），排名列于末位。")


# --- properties: what is printed decides --------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=2, max_size=8),
       st.sampled_from(["1", "0.1"]))
def test_equal_printed_finals_share_a_rank_and_sit_in_their_band(values, precision):
    # 100 and 0 always: a tiered item needs two levels even when every value is 100
    levels = {f"l{k}": v for k, v in enumerate(dict.fromkeys([D(100), D(0), *values]))}
    item = {"points": 100, "method": {"kind": "tiered", "levels": levels}}
    names = {v: k for k, v in levels.items()}
    res = score(rules([item], precision=precision), [[{"level": names[v]}] for v in values])
    by_printed: dict[D, set] = {}
    for r in res.regions:
        by_printed.setdefault(r.final_display, set()).add(r.rank)
        band = [g for g in res.grades if g.code == r.grade.code][0]
        above = [g.min for g in res.grades if g.min > band.min]
        assert band.min <= r.final_display and (not above or r.final_display < min(above))
    assert all(len(ranks) == 1 for ranks in by_printed.values())
