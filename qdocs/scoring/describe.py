"""The scoring rules in words (评分方法), generated from the same parameters the engine reads.

Annex 2 prints these texts. Writing them by hand in the YAML would let the
published rule and the computed score disagree; generated, they cannot. The
wording restates each decision of methods.py and engine.py and each policy
setting of the scheme: how a part step counts, whether item scores are rounded,
what grades and ranks go by, where a vetoed region stands.
"""

from __future__ import annotations

from decimal import Decimal

from qdocs.content.scoring_models import ClaimItem, Claims, Item, ScoringRules
from qdocs.scoring.methods import gap_unit, num, with_unit

_DIGITS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}


def describe_item(item: Item, precision: Decimal, rounding: str = "exact") -> str:
    """The 评分方法 of one item, e.g. 合格率达到目标值93%得满分，每低0.5个百分点扣1分，…"""
    m, p = item.method, num(item.points)
    if m.kind == "binary":
        return f"完成的得{p}分，未完成的不得分"
    if m.kind == "tiered":
        parts = [f"{name}{_gets(points)}" for name, points in m.levels.items()]
        return f"按评定等次计分：{'，'.join(parts)}"
    if m.kind == "per_missing":
        text = f"须具备{'、'.join(m.elements)}，每缺一项扣{num(m.deduct)}分，扣完为止"
        return text + ("，均不具备的不得分" if m.zero_if_none else "")
    if m.kind == "target_deduct":
        step = f"{num(m.step)}{gap_unit(m.unit)}"
        target = with_unit(m.target, m.unit)
        if m.better == "higher":
            head, side = f"{m.measure}达到目标值{target}得满分", "低"
        else:
            head, side = f"{m.measure}不高于目标值{target}得满分", "高"
        part = {"whole": f"不足{step}的按{step}计",
                "ignore": f"不足{step}的不扣分",
                "pro_rata": f"不足{step}的按比例扣分"}[m.partial]
        return f"{head}，每{side}{step}扣{num(m.deduct)}分，{part}，扣完为止"
    if m.kind == "proportional":
        full, zero = with_unit(m.full_at, m.unit), with_unit(m.zero_at, m.unit)
        if m.full_at > m.zero_at:
            ends = f"{m.measure}达到{full}及以上得满分，{zero}及以下不得分"
        else:
            ends = f"{m.measure}不高于{full}得满分，{zero}及以上不得分"
        kept = f"得分{_rounding(precision)}" if rounding == "half_up" else "得分不作四舍五入"
        return f"{ends}，其间按比例计分（{kept}）"
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


def describe_cap(claims: Claims | None, sign: str) -> str:
    """加分项合计最多加5分 / 扣分项合计最多扣10分."""
    kind = "加分项" if sign == "加" else "扣分项"
    if claims is None:
        return ""
    return f"{kind}合计最多{sign}{num(claims.cap)}分"


def describe_final(rules: ScoringRules) -> str:
    """How the final score is formed, rounded and published, and what grades and ranks go by."""
    formula = "考核得分＝各项得分之和"
    if rules.bonus is not None:
        formula += f"＋加分（合计最多{num(rules.bonus.cap)}分）"
    if rules.penalty is not None:
        formula += f"－扣分（合计最多{num(rules.penalty.cap)}分）"
    if rules.penalty is not None:
        formula += "，最低为0分"
    rounding = _rounding(rules.precision)
    if rules.rounding.items == "half_up":
        items = f"各项得分{rounding}后相加"
    else:
        items = "各项得分不作四舍五入，直接相加"
    if rules.basis == "published":
        basis = "等次和名次按公布的得分评定，公布得分相同的名次并列"
    else:
        basis = "等次和名次按未经四舍五入的得分评定，得分相同的名次并列"
    return f"{formula}；{items}，考核得分{rounding}后公布；{basis}。"


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


PLACEMENT = {"unranked": "不参加排名", "last": "排名列于末位", "in_place": "仍按得分参加排名"}


def describe_veto(rules: ScoringRules) -> str:
    """What a veto does, including where the region stands in the ranking."""
    lowest = rules.grades[-1]
    placement = PLACEMENT[rules.veto.placement if rules.veto else "unranked"]
    return f"有下列情形之一的，考核等次直接确定为{lowest.name}（{lowest.code}），{placement}。"


def describe_veto_outcome(rules: ScoringRules) -> str:
    """The sentence a card and the bulletin print for a vetoed region."""
    lowest = rules.grades[-1]
    placement = PLACEMENT[rules.veto.placement if rules.veto else "unranked"]
    return f"依照评分细则，考核等级定为{lowest.name}（{lowest.code}），{placement}"


def _gets(points: Decimal) -> str:
    return "不得分" if points == 0 else f"得{num(points)}分"


def _rounding(precision: Decimal) -> str:
    places = -precision.as_tuple().exponent
    if places == 0:
        return "四舍五入取整数"
    return f"四舍五入保留{_DIGITS.get(places, str(places))}位小数"


def _count(n: int) -> str:
    return {2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}.get(n, str(n))
