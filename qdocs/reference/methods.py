"""The scoring-methods part of the reference: formula, parameters and a worked example each.

The parameters come from the method's model; the formula is written here, once,
in the words of `qdocs.scoring.methods`; the worked example (worked_examples.yaml)
is computed twice — step by step below and by the scoring engine — and the
reference is not written if the two disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from qdocs.content.numbers import num
from qdocs.content.scoring_models import Item, ItemInput, Method
from qdocs.content.yamlsource import read_yaml
from qdocs.scoring.engine import score_item
from qdocs.scoring.methods import competition_ranks

WORKED_FILE = Path(__file__).resolve().parent / "worked_examples.yaml"

# Parameters of a method are written `like_this`; tests check that every parameter of
# every method's model is named in its formula, so a new parameter cannot go unexplained.
FORMULAS = {
    "binary": (
        "score = `points` when the region's `done` is `true`, else 0.",
        "done"),
    "tiered": (
        "score = the points `levels` gives the region's `level` (a name listed in `levels`), "
        "never more than the item's `points`.",
        "level"),
    "per_missing": (
        "score = max(0, `points` − `deduct` × the number of names in `missing`); each missing "
        "name must be one of `elements`.",
        "missing"),
    "target_deduct": (
        "shortfall = `target` − value when `better` is `higher` (value − `target` when "
        "`lower`); score = `points` when the shortfall is 0 or less, else max(0, `points` − "
        "`deduct` × ⌈shortfall ÷ `step`⌉) — a part step counts as a whole one. `measure` and "
        "`unit` only word the reason (a difference of `%` reads 个百分点).",
        "value"),
    "proportional": (
        "score = `points` × (value − `zero_at`) ÷ (`full_at` − `zero_at`), kept within 0 and "
        "`points` and rounded half-up to the scheme's `precision`; `zero_at` above `full_at` "
        "means lower is better. `measure` and `unit` only word the reason.",
        "value"),
    "per_occurrence": (
        "score = max(0, `points` − `deduct` × `count`), where `count` is how many times the "
        "`event` happened; `unit` is its measure word (起, 次).",
        "count"),
    "rank": (
        "rank = 1 + the number of regions whose value is strictly better (higher when "
        "`better` is `higher`, lower when `lower`), so equal values share a rank (1, 2, 2, 4); "
        "score = the `points` of the first of `bands` whose `up_to` ≥ rank, else `rest`, "
        "never more than the item's `points`. Every region takes part, vetoed or not. "
        "`measure` and `unit` only word the reason.",
        "value"),
}


@dataclass(frozen=True)
class Worked:
    """One worked example: the method, the input, the steps, and the engine's outcome."""

    kind: str
    points: Decimal
    method: dict[str, Any]
    given: dict[str, Any]
    others: list[Any]
    steps: list[str]
    score: Decimal
    reason: str


def worked_examples() -> dict[str, Worked]:
    """Every worked example, each checked against the scoring engine."""
    data = read_yaml(WORKED_FILE).data
    precision = Decimal(data["precision"])
    out = {}
    for kind, example in data["examples"].items():
        method = TypeAdapter(Method).validate_python(example["method"])
        given = ItemInput.model_validate(example["input"])
        points = Decimal(example["points"])
        others = [Decimal(v) for v in example.get("others", [])]
        rank = None
        if kind == "rank":
            rank = competition_ranks([given.value, *others], method.better)[0]
        item = Item.model_construct(id="example", name="example", points=points, method=method)
        scored = score_item(item, given, precision, rank)
        steps, score = _by_hand(kind, method, points, given, precision, rank)
        if score != scored.score:
            raise RuntimeError(f"worked example {kind}: the steps give {score}, the engine "
                               f"{scored.score}; fix the reference or the engine")
        out[kind] = Worked(kind, points, example["method"], example["input"],
                           example.get("others", []), steps, scored.score, scored.reason)
    return out


def _by_hand(kind: str, m: Any, points: Decimal, given: ItemInput, precision: Decimal,
             rank: int | None) -> tuple[list[str], Decimal]:
    """The formula's steps in numbers, computed apart from the engine."""
    p = num(points)
    if kind == "binary":
        score = points if given.done else Decimal(0)
        return [f"`done` is `{str(bool(given.done)).lower()}` → score = {num(score)}"], score
    if kind == "tiered":
        score = min(m.levels[given.level], points)
        return [f"`levels`[{given.level}] = {num(m.levels[given.level])} → score = "
                f"min({num(m.levels[given.level])}, {p}) = {num(score)}"], score
    if kind == "per_missing":
        n = len(given.missing or [])
        score = max(Decimal(0), points - m.deduct * n)
        return [f"{n} missing → score = max(0, {p} − {num(m.deduct)} × {n}) = {num(score)}"], score
    if kind == "target_deduct":
        gap = m.target - given.value if m.better == "higher" else given.value - m.target
        if gap <= 0:
            return [f"shortfall = {num(gap)} ≤ 0 → score = {p}"], points
        steps = (gap / m.step).to_integral_value(rounding=ROUND_CEILING)
        score = max(Decimal(0), points - m.deduct * steps)
        return [f"shortfall = {num(gap)}",
                f"steps = ⌈{num(gap)} ÷ {num(m.step)}⌉ = {num(steps)}",
                f"score = max(0, {p} − {num(m.deduct)} × {num(steps)}) = {num(score)}"], score
    if kind == "proportional":
        raw = points * (given.value - m.zero_at) / (m.full_at - m.zero_at)
        score = min(max(raw, Decimal(0)), points).quantize(precision, rounding=ROUND_HALF_UP)
        return [f"{p} × ({num(given.value)} − {num(m.zero_at)}) ÷ ({num(m.full_at)} − "
                f"{num(m.zero_at)}) = {num(raw)}",
                f"rounded half-up to {num(precision)} → score = {num(score)}"], score
    if kind == "per_occurrence":
        score = max(Decimal(0), points - m.deduct * given.count)
        return [f"score = max(0, {p} − {num(m.deduct)} × {given.count}) = {num(score)}"], score
    if kind == "rank":
        band = next((b for b in m.bands if rank <= b.up_to), None)
        score = min(band.points if band else m.rest, points)
        where = f"band up to {band.up_to}" if band else "below the last band: `rest`"
        return [f"rank = {rank}", f"{where} → score = {num(score)}"], score
    raise ValueError(f"no worked steps for method {kind!r}; add them to reference/methods.py")
