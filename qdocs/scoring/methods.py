"""The seven scoring methods: one function each, (method, points, input) → score and reason.

Each function is exact: addition, subtraction, multiplication and `divmod` on
`Decimal`. A quotient that may not end (`proportional`, a `pro_rata` part step:
10 × 2/3) is a `Fraction`, kept exact, or — when the scheme rounds items —
rounded half-up to its precision in integers, so a 0.005 is never rounded down
by a 28-digit approximation. A score never leaves [0, points]. The reason says
why points were lost, in the words a report card prints
("合格率97.2%，低于目标98%，扣2分"); it is empty at full points.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from qdocs.content.numbers import num
from qdocs.content.scoring_models import (
    Binary,
    ItemInput,
    PerMissing,
    PerOccurrence,
    Proportional,
    Rank,
    TargetDeduct,
    Tiered,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class Scored:
    """One item's outcome: its score, why points were lost ("" if none), the input as shown."""

    score: Decimal | Fraction
    reason: str
    shown: str


def with_unit(value: Decimal, unit: str) -> str:
    return f"{num(value)}{unit}"


def gap_unit(unit: str) -> str:
    """A difference of percentages is in 个百分点, not in %."""
    return "个百分点" if unit == "%" else unit


def divide_half_up(numerator, denominator, quantum: Decimal) -> Decimal:
    """numerator / denominator rounded half-up (away from zero at .5) to a multiple of quantum.

    In integers, so exact: n/d in quanta is top/bottom; half-up is ⌊(2·|top| + bottom) /
    (2·bottom)⌋. Takes Decimal, int or Fraction.
    """
    an, ad = Fraction(numerator).as_integer_ratio()
    bn, bd = (Fraction(denominator) * Fraction(quantum)).as_integer_ratio()
    top, bottom = an * bd, ad * bn
    if bottom < 0:
        top, bottom = -top, -bottom
    steps = (2 * abs(top) + bottom) // (2 * bottom)
    return Decimal(steps if top >= 0 else -steps) * quantum


def score_binary(method: Binary, points: Decimal, given: ItemInput) -> Scored:
    """Done → full points, otherwise nothing."""
    if given.done:
        return Scored(points, "", "已完成")
    return Scored(ZERO, f"未完成，扣{num(points)}分", "未完成")


def score_tiered(method: Tiered, points: Decimal, given: ItemInput) -> Scored:
    """The assessed level's points (checks made sure the level exists and ≤ points)."""
    level = given.level or ""
    score = method.levels[level]
    if score >= points:
        return Scored(points, "", level)
    return Scored(score, f"评定为“{level}”，得{num(score)}分，扣{num(points - score)}分", level)


def missing_elements(method: PerMissing, given: ItemInput) -> list[str]:
    """The required elements missing, from `missing:` or, by the method's `input`, `present:`."""
    if method.input == "present":
        present = set(given.present or [])
        return [e for e in method.elements if e not in present]
    return list(given.missing or [])


def score_per_missing(method: PerMissing, points: Decimal, given: ItemInput) -> Scored:
    """`deduct` per missing required element, never below 0; 0 if none is present and the
    method says `zero_if_none`."""
    missing = missing_elements(method, given)
    if not missing:
        return Scored(points, "", "齐全")
    names = "、".join(missing)
    shown = f"缺{len(missing)}项"
    if method.zero_if_none and len(missing) == len(method.elements):
        return Scored(ZERO, f"缺少全部要素：{names}，不得分，扣{num(points)}分", shown)
    raw = method.deduct * len(missing)
    lost = min(raw, points)
    reason = f"缺少要素：{names}，每项扣{num(method.deduct)}分，扣{num(lost)}分"
    if raw > points:
        reason += "（扣完为止）"
    return Scored(points - lost, reason, shown)


def shown_points(value: Decimal | Fraction, precision: Decimal) -> str:
    """Points as a card prints them: exact when they end within the precision, else rounded."""
    if isinstance(value, Decimal) and value.as_tuple().exponent >= precision.as_tuple().exponent:
        return num(value)
    return num(divide_half_up(value, 1, precision))


def score_target_deduct(
    method: TargetDeduct, points: Decimal, given: ItemInput, precision: Decimal = Decimal("0.01")
) -> Scored:
    """Full at the target; `deduct` per `step` short of it; a part step counts as `partial`
    says (whole step, nothing, or its share)."""
    value = _value(given)
    shown = with_unit(value, method.unit)
    gap = method.target - value if method.better == "higher" else value - method.target
    if gap <= 0:
        return Scored(points, "", shown)
    whole, part = divmod(gap, method.step)
    raw: Decimal | Fraction
    if method.partial == "pro_rata":
        raw = Fraction(gap) / Fraction(method.step) * Fraction(method.deduct)
    else:
        steps = whole + (1 if part and method.partial == "whole" else 0)
        raw = steps * method.deduct
    if raw == 0:
        return Scored(points, "", shown)
    lost = min(raw, points)
    side = "低于" if method.better == "higher" else "高于"
    reason = (f"{method.measure}{shown}，{side}目标{with_unit(method.target, method.unit)}，"
              f"扣{shown_points(lost, precision)}分")
    if raw > points:
        reason += "（扣完为止）"
    return Scored(Fraction(points) - Fraction(lost), reason, shown)


def score_proportional(
    method: Proportional, points: Decimal, given: ItemInput, precision: Decimal,
    exact: bool = False,
) -> Scored:
    """Linear between zero_at (0) and full_at (full points), clamped; the quotient exact
    (a Fraction) or rounded half-up to the precision."""
    value = _value(given)
    shown = with_unit(value, method.unit)
    score: Decimal | Fraction
    if exact:
        score = (Fraction(points) * Fraction(value - method.zero_at)
                 / Fraction(method.full_at - method.zero_at))
    else:
        score = divide_half_up(points * (value - method.zero_at),
                               method.full_at - method.zero_at, precision)
    if score >= points:
        return Scored(points, "", shown)
    zero_at = with_unit(method.zero_at, method.unit)
    rising = method.full_at > method.zero_at
    if (value <= method.zero_at) if rising else (value >= method.zero_at):
        side = "不高于" if rising else "不低于"
        return Scored(ZERO, f"{method.measure}{shown}，{side}{zero_at}，不得分，扣{num(points)}分",
                      shown)
    score = max(score, ZERO)
    full_at = with_unit(method.full_at, method.unit)
    got = shown_points(score, precision)
    lost = num(points - Decimal(got))   # what is printed adds up: 得 + 扣 = the item's points
    return Scored(score, (f"{method.measure}{shown}，按{zero_at}至{full_at}之间的比例得"
                          f"{got}分，扣{lost}分"), shown)


def score_per_occurrence(method: PerOccurrence, points: Decimal, given: ItemInput) -> Scored:
    """`deduct` per counted event, never below 0."""
    count = given.count or 0
    shown = f"{count}{method.unit}"
    if count == 0:
        return Scored(points, "", shown)
    raw = method.deduct * count
    lost = min(raw, points)
    reason = (f"{method.event}{count}{method.unit}，每{method.unit}扣{num(method.deduct)}分，"
              f"扣{num(lost)}分")
    if raw > points:
        reason += "（扣完为止）"
    return Scored(points - lost, reason, shown)


def score_rank(method: Rank, points: Decimal, given: ItemInput, rank: int) -> Scored:
    """The points of the band `rank` falls in; `rest` below the last band."""
    value = _value(given)
    shown = f"{with_unit(value, method.unit)}（第{rank}名）"
    score = next((b.points for b in method.bands if rank <= b.up_to), method.rest)
    score = min(score, points)
    if score >= points:
        return Scored(points, "", shown)
    return Scored(score, (f"{method.measure}{with_unit(value, method.unit)}，列第{rank}名，"
                          f"得{num(score)}分，扣{num(points - score)}分"), shown)


def competition_ranks(values: Sequence[Decimal], better: str) -> list[int]:
    """Standard competition ranks (1, 2, 2, 4): 1 + how many values are strictly better."""
    ordered = sorted(values)
    n = len(ordered)
    if better == "higher":
        return [1 + n - bisect.bisect_right(ordered, v) for v in values]
    return [1 + bisect.bisect_left(ordered, v) for v in values]


def _value(given: ItemInput) -> Decimal:
    if given.value is None:  # checks.py refuses this before scoring; say so if skipped
        raise ValueError("no value given; run the checks before scoring")
    return given.value
