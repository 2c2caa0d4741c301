"""The scoring rules in words (评分方法), generated from the same parameters the engine reads.

Annex 2 prints these texts. Writing them by hand in the YAML would let the
published rule and the computed score disagree; generated, they cannot. The
wording restates each decision of methods.py and engine.py: a part step counts
whole, a proportional score is rounded half-up, ties share a rank.
"""

from __future__ import annotations

from decimal import Decimal

from qdocs.content.scoring_models import ClaimItem, Claims, Item, ScoringRules
from qdocs.scoring.methods import gap_unit, num, with_unit

_DIGITS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}


def describe_item(item: Item, precision: Decimal) -> str:
    """The 评分方法 of one item, e.g. 合格率达到目标值93%得满分，每低0.5个百分点扣1分，…"""
    m, p = item.method, num(item.points)
    if m.kind == "binary":
        return f"完成的得{p}分，未完成的不得分"
    if m.kind == "tiered":
        parts = [f"{name}{_gets(points)}" for name, points in m.levels.items()]
        return f"按评定等次计分：{'，'.join(parts)}"
    if m.kind == "per_missing":
        return (f"须具备{'、'.join(m.elements)}，每缺一项扣{num(m.deduct)}分，扣完为止")
    if m.kind == "target_deduct":
        step = f"{num(m.step)}{gap_unit(m.unit)}"
        target = with_unit(m.target, m.unit)
        if m.better == "higher":
            head, side = f"{m.measure}达到目标值{target}得满分", "低"
        else:
            head, side = f"{m.measure}不高于目标值{target}得满分", "高"
        return (f"{head}，每{side}{step}扣{num(m.deduct)}分，不足{step}的按{step}计，扣完为止")
    if m.kind == "proportional":
        full, zero = with_unit(m.full_at, m.unit), with_unit(m.zero_at, m.unit)
        if m.full_at > m.zero_at:
            ends = f"{m.measure}达到{full}及以上得满分，{zero}及以下不得分"
        else:
            ends = f"{m.measure}不高于{full}得满分，{zero}及以上不得分"
        return f"{ends}，其间按比例计分（得分{_rounding(precision)}）"
    if m.kind == "per_occurrence":
        return f"{m.event}的，每{m.unit}扣{num(m.deduct)}分，扣完为止"
    order = "高者在前" if m.better == "higher" else "低者在前"
    bands, start = [], 1
    for band in m.bands:
        ranks = f"第{start}名" if band.up_to == start else f"第{start}至{band.up_to}名"
        bands.append(f"{ranks}{_gets(band.points)}")
        start = band.up_to + 1
    bands.append(f"其余{_gets(m.rest)}")
    return (f"按{m.measure}在各地排名计分（{order}，数值相同的名次并列）：{'，'.join(bands)}")


def describe_claim_item(item: ClaimItem, sign: str) -> str:
    """A bonus (sign '加') or penalty (sign '扣') item: 每项加2分，本项最多加4分."""
    text = f"每{item.unit}{sign}{num(item.points)}分"
    if item.max is not None:
        text += f"，本项最多{sign}{num(item.max)}分"
    return text


def describe_cap(claims: Claims, sign: str) -> str:
    """加分项合计最多加5分 / 扣分项合计最多扣10分."""
    kind = "加分项" if sign == "加" else "扣分项"
    return f"{kind}合计最多{sign}{num(claims.cap)}分"


def describe_final(rules: ScoringRules) -> str:
    """How the final score is formed and shown."""
    return (f"考核得分＝各项得分之和＋加分（合计最多{num(rules.bonus.cap)}分）"
            f"－扣分（合计最多{num(rules.penalty.cap)}分），最低为0分；"
            f"得分{_rounding(rules.precision)}显示，等次按未经四舍五入的得分评定，"
            "得分相同的名次并列。")


def describe_grades(rules: ScoringRules) -> str:
    """优秀（A，90分及以上）、良好（B，80分至不足90分）、…"""
    parts, upper = [], None
    for g in rules.grades:
        if upper is None:
            span = f"{num(g.min)}分及以上"
        elif g.min == 0:
            span = f"不足{num(upper)}分"
        else:
            span = f"{num(g.min)}分至不足{num(upper)}分"
        parts.append(f"{g.name}（{g.code}，{span}）")
        upper = g.min
    return f"考核结果分为{'、'.join(parts)}{_count(len(parts))}个等次。"


def describe_veto(rules: ScoringRules) -> str:
    """What a veto does, including whether the region keeps a place in the ranking."""
    lowest = rules.grades[-1]
    ranked = "仍按得分参加排名" if rules.veto.ranked else "不参加排名"
    return f"有下列情形之一的，考核等次直接确定为{lowest.name}（{lowest.code}），{ranked}。"


def _gets(points: Decimal) -> str:
    return "不得分" if points == 0 else f"得{num(points)}分"


def _rounding(precision: Decimal) -> str:
    places = -precision.as_tuple().exponent
    if places == 0:
        return "四舍五入取整数"
    return f"四舍五入保留{_DIGITS.get(places, str(places))}位小数"


def _count(n: int) -> str:
    return {2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}.get(n, str(n))
