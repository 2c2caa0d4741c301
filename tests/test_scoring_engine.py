"""The engine: totals, caps, grades, ranks, vetoes and averages — on small hand-made schemes and
on the bundled content, whose 宜昌市 card is recomputed by hand below.
"""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdocs.content.scoring_load import load_scoring
from qdocs.content.scoring_models import Assessment, Claims, ScoringRules
from qdocs.scoring.engine import score_all, score_claims

CONTENT = Path(__file__).resolve().parent.parent / "content"
CODES = ["420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900",
         "421000", "421100", "421200", "421300", "422800", "429004", "429005", "429006",
         "429021"]
TASKS = 14  # the bundled action plan's tasks (task numbers 1–14 are valid)
DEPARTMENTS = {"省发改委", "省经信委", "省农业厅", "省商务厅", "省住建厅", "省工商局", "省质监局",
               "省食药局", "省环保厅", "省旅游局", "省安监局", "省卫计委", "省质兴办", "省统计局",
               "省交通运输厅", "省水利厅", "省公安厅", "省教育厅", "省委宣传部", "省财政厅"}


def tiny_rules(*, placement: str = "unranked", levels: dict | None = None,
               basis: str = "exact") -> ScoringRules:
    """One 100-point tiered item whose levels are the scores a test needs, one ranked item."""
    levels = levels or {"full": 100, "a": 90, "b": "89.99", "c": "89.995", "d": 80,
                        "e": "79.99", "f": 60, "g": "59.99", "h": 5, "zero": 0}
    item = {"name": "n", "content": "c", "evidence": ["e"], "assessment": ["材料审核"],
            "departments": ["省质监局"], "tasks": [1]}
    claim = {"content": "c", "evidence": ["e"], "departments": ["省质监局"]}
    return ScoringRules.model_validate({
        "notice": "test", "title": "t", "full_score": 100, "precision": "0.01",
        "grades": [{"code": c, "name": n, "min": m}
                   for c, n, m in [("A", "优秀", 90), ("B", "良好", 80), ("C", "合格", 60),
                                   ("D", "不合格", 0)]],
        "blocks": [{"id": "T", "name": "目标", "points": 100, "categories": [
            {"id": "TA", "name": "甲", "points": 100, "items": [
                {**item, "id": "L", "points": 100, "method": {"kind": "tiered", "levels": levels}},
            ]}]}],
        "bonus": {"cap": 5, "items": [{**claim, "id": "B1", "name": "奖", "points": 2},
                                      {**claim, "id": "B2", "name": "标准", "points": "0.5",
                                       "max": 1}]},
        "penalty": {"cap": 10, "items": [{**claim, "id": "P1", "name": "事故", "points": 3},
                                         {**claim, "id": "P2", "name": "曝光", "points": 1}]},
        "basis": basis,
        "veto": {"placement": placement, "conditions": [{"id": "V1", "name": "事件", "content": "c",
                                                   "departments": ["省质监局"]}]},
    })


def region(code: str, level: str, bonuses=(), penalties=(), vetoes=()) -> Assessment:
    return Assessment.model_validate({
        "region": code, "items": {"L": {"level": level}},
        "bonuses": [{"item": i, "count": n, "note": "x"} for i, n in bonuses],
        "penalties": [{"item": i, "count": n, "note": "x"} for i, n in penalties],
        "vetoes": [{"condition": v, "event": "x"} for v in vetoes],
    })


def score(*regions: Assessment, rules: ScoringRules | None = None):
    rules = rules or tiny_rules()
    return score_all(rules, [r.region for r in regions], {r.region: r for r in regions})


# --- grades on the unrounded score -------------------------------------------------------------

@pytest.mark.parametrize("level, grade", [
    ("full", "A"), ("a", "A"),           # 90 is A: lower bound inclusive
    ("b", "B"), ("c", "B"),              # 89.99 and 89.995 are B
    ("d", "B"), ("e", "C"), ("f", "C"), ("g", "D"), ("zero", "D")])
def test_grade_bands(level, grade):
    assert score(region("100001", level)).regions[0].grade.code == grade


def test_display_rounds_half_up_but_the_grade_uses_the_unrounded_score():
    r = score(region("100001", "c")).regions[0]
    assert (r.final, r.final_display, r.grade.code) == (D("89.995"), D("90.00"), "B")


# --- caps ---------------------------------------------------------------------------------------

def test_bonus_cap_exactly_reached_is_not_cut():
    r = score(region("100001", "d", bonuses=[("B1", 2), ("B2", 2)])).regions[0]
    # B1 2 × 2 = 4; B2 2 × 0.5 = 1 (its max) → 5 = cap
    assert (r.bonus.raw, r.bonus.total, r.bonus.capped) == (D(5), D(5), False)
    assert r.final == D(85)


def test_bonus_cap_exceeded_is_cut():
    r = score(region("100001", "d", bonuses=[("B1", 3), ("B2", 4)])).regions[0]
    # B1 3 × 2 = 6; B2 4 × 0.5 = 2, cut to its max 1 → 7 > cap 5
    assert [(x.raw, x.points) for x in r.bonus.lines] == [(D(6), D(6)), (D(2), D(1))]
    assert (r.bonus.raw, r.bonus.total, r.bonus.capped) == (D(7), D(5), True)
    assert r.final == D(85)                                   # 80 + 5


def test_penalty_cap_exactly_reached_and_exceeded():
    exact = score(region("100001", "full", penalties=[("P1", 3), ("P2", 1)])).regions[0]
    # 3 × 3 + 1 × 1 = 10 = cap: nothing cut
    assert (exact.penalty.total, exact.penalty.capped, exact.final) == (D(10), False, D(90))
    over = score(region("100001", "full", penalties=[("P1", 4)])).regions[0]
    assert (over.penalty.raw, over.penalty.total, over.penalty.capped) == (D(12), D(10), True)
    assert over.final == D(90)                               # 100 − 10, still A


def test_final_may_pass_the_full_score_with_bonus_but_never_falls_below_zero():
    top = score(region("100001", "full", bonuses=[("B1", 3)])).regions[0]
    assert top.final == D(105)                               # 100 + min(6, 5)
    above = score(region("100001", "h", penalties=[("P1", 1)])).regions[0]
    assert above.final == D(2)                               # 5 − 3
    floor = score(region("100001", "h", penalties=[("P1", 2)])).regions[0]
    assert floor.final == D(0)                               # 5 − 6 → clamped to 0


@given(st.lists(st.tuples(st.sampled_from(["B1", "B2"]), st.integers(1, 20)), max_size=2,
                unique_by=lambda c: c[0]))
def test_bonus_never_exceeds_its_cap(lines):
    rules = tiny_rules()
    claims = region("100001", "d", bonuses=lines).bonuses
    out = score_claims(rules.bonus, claims)
    assert D(0) <= out.total <= rules.bonus.cap
    assert out.total == min(out.raw, rules.bonus.cap)


def test_score_claims_reads_points_each_and_max():
    claims = Claims.model_validate({"cap": 3, "items": [
        {"id": "X", "name": "x", "content": "c", "points": "0.5", "max": 2, "evidence": ["e"],
         "departments": ["d"]}]})
    out = score_claims(claims, region("100001", "d", bonuses=[("X", 5)]).bonuses)
    assert (out.raw, out.total) == (D(2), D(2))            # 5 × 0.5 = 2.5 → max 2


# --- veto, ranks, averages ---------------------------------------------------------------------

def test_veto_forces_the_lowest_grade_and_drops_the_rank():
    res = score(region("100001", "full", vetoes=["V1"]), region("100002", "d"))
    vetoed = res.region("100001")
    assert (vetoed.final, vetoed.grade.code, vetoed.vetoed, vetoed.rank) == (D(100), "D", True,
                                                                            None)
    assert res.region("100002").rank == 1
    assert res.ranking == ("100002", "100001")               # unranked listed last


def test_veto_ranked_when_the_scheme_says_so():
    res = score(region("100001", "full", vetoes=["V1"]), region("100002", "d"),
                rules=tiny_rules(placement="in_place"))
    assert (res.region("100001").rank, res.region("100001").grade.code) == (1, "D")


def test_final_ties_share_a_rank():
    res = score(region("100001", "d"), region("100002", "full"), region("100003", "d"),
                region("100004", "f"))
    assert [res.region(c).rank for c in ("100002", "100001", "100003", "100004")] == [1, 2, 2, 4]
    assert res.ranking == ("100002", "100001", "100003", "100004")


def test_averages_count_vetoed_regions_and_round_half_up():
    res = score(region("100001", "full"), region("100002", "zero"),
                region("100003", "zero", vetoes=["V1"]))
    assert res.averages.count == 3
    assert res.averages.final == D("33.33")                  # 100 / 3 = 33.333…
    assert res.averages.categories == {"TA": D("33.33")}
    res2 = score(region("100001", "full"), region("100002", "full"), region("100003", "zero"))
    assert res2.averages.blocks == {"T": D("66.67")}         # 200 / 3 = 66.666…
    assert res2.grade_counts == {"A": 2, "B": 0, "C": 0, "D": 1}


def test_results_are_frozen_plain_data():
    res = score(region("100001", "d"))
    assert pickle.loads(pickle.dumps(res)) == res
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.regions[0].final = D(1)


# --- the bundled content -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    rules, assessments = load_scoring(CONTENT, CODES, DEPARTMENTS, TASKS)
    return rules, assessments, score_all(rules, CODES, assessments)


def test_yichang_by_hand(bundled):
    """宜昌市 (420500), every item recomputed from content/assessments/420500.yaml."""
    _, _, res = bundled
    r = res.region("420500")
    scores = {i.id: i.score for i in r.items}
    expected = {
        "T1": D(6),        # reported 93.2, verified 92.2: 0.8 under 93 → 2 steps of 0.5 → 8 − 2
        "T2": D(6),        # 96.4 ≥ 96
        "T3": D("4.71"),   # 6 × (95.5 − 90)/(97 − 90) = 33/7 = 4.714… → 4.71
        "T4": D(5),        # 100 = target
        "T5": D(3),        # 0.3 ≤ 0.4 (lower is better)
        "T6": D(6),        # 84.2: only 武汉 86.4 higher; tied with 襄阳 84.2 → rank 2 → band 1–3
        "T7": D("1.32"),   # 6 × (64.4 − 60)/(80 − 60) = 1.32
        "M1-1": D(4), "M1-2": D(4), "M1-3": D(5), "M1-4": D(4), "M1-5": D(3),   # all full: 20
        "M2-1": D("4.5"),  # 较好
        "M2-2": D(5),      # no event
        "M2-3": D(3),      # 1 element missing × 1
        "M2-4": D("3.67"), # 5 × (96 − 85)/(100 − 85) = 11/3 = 3.666… → 3.67
        "M2-5": D(5),      # 好
        "M3-1": D(4),      # 25 brands: 武汉 42, 襄阳 30 higher → rank 3 → band 1–5
        "M3-2": D(3), "M3-3": D(2), "M3-4": D(3), "M3-5": D(3),                 # all full: 15
    }
    assert scores == expected
    # T: TA 6 + 6 + 4.71 = 16.71, TB 5 + 3 = 8, TC 6, TD 1.32 → 32.03
    # M: M1 20, M2 4.5 + 5 + 3 + 3.67 + 5 = 21.17, M3 15 → 56.17
    assert [(c.id, c.score) for c in r.categories] == [
        ("TA", D("16.71")), ("TB", D(8)), ("TC", D(6)), ("TD", D("1.32")),
        ("M1", D(20)), ("M2", D("21.17")), ("M3", D(15))]
    assert [(b.id, b.score, b.lost) for b in r.blocks] == [
        ("T", D("32.03"), D("7.97")), ("M", D("56.17"), D("3.83"))]
    assert r.base == D("88.20")                                     # 32.03 + 56.17
    # bonus: B2 2 + B3 6 × 0.5 = 3 cut to its max 2 + B4 1 = 5: exactly the cap, not cut
    assert (r.bonus.raw, r.bonus.total, r.bonus.capped) == (D(5), D(5), False)
    assert (r.penalty.total, r.vetoed) == (D(1), False)             # P4 × 1
    assert (r.final, r.final_display, r.grade.code) == (D("92.20"), D("92.20"), "A")
    assert r.rank == 4                  # behind 武汉 97.40, 十堰 93.31, 襄阳 92.69
    adj = r.adjustments[0]
    assert (adj.item_id, adj.reported, adj.verified) == ("T1", "93.2%", "92.2%")
    assert (adj.reported_score, adj.verified_score) == (D(8), D(6))
    lost = {i.id: i.reason for i in r.items if i.lost}
    assert lost["T1"] == "合格率92.2%，低于目标93%，扣2分"
    assert lost["M2-3"] == "缺少要素：产品伤害监测报告，每项扣1分，扣1分"


def test_bundled_content_shows_every_case(bundled):
    rules, assessments, res = bundled
    kinds = {i.method.kind for b in rules.blocks for c in b.categories for i in c.items}
    assert kinds == {"binary", "tiered", "per_missing", "target_deduct", "proportional",
                     "per_occurrence", "rank"}
    assert all(a.sample for a in assessments.values()) and rules.sample
    assert res.region("420100").bonus.capped                       # 6.5 claimed, 5 counted
    assert res.region("421100").penalty.capped                     # 11 claimed, 10 counted
    tianmen = res.region("429006")
    assert (tianmen.vetoed, tianmen.grade.code, tianmen.rank) == (True, "D", None)
    assert tianmen.final >= 80                                      # a B score, forced to D
    t6 = {r.code: next(i.rank for i in r.items if i.id == "T6") for r in res.regions}
    assert (t6["420100"], t6["420500"], t6["420600"], t6["420300"]) == (1, 2, 2, 4)
    assert res.region("420200").final == res.region("420800").final == D("81.02")
    assert res.region("420200").rank == res.region("420800").rank == 7
    assert res.region("429004").rank == 9
    assert res.ranking[-1] == "429006"
