"""The scoring-methods part of the reference: formula, parameters and worked examples each.

The parameters come from the method's model; the formula is written here, once,
in the words of `qdocs.scoring.methods`; each worked example (worked_examples.yaml)
is computed twice — step by step below and by the scoring engine — and the
reference is not written if the two disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from qdocs.content.numbers import num
from qdocs.content.scoring_models import Item, ItemInput, Method
from qdocs.content.yamlsource import read_yaml
from qdocs.scoring.engine import display, exact_text, score_item
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
        "missing = the names the region lists under `missing` when `input` is `missing`, or "
        "the `elements` it does not list under `present` when `input` is `present`; score = "
        "max(0, `points` − `deduct` × the number missing), and 0 when every element is "
        "missing and `zero_if_none` is `true`.",
        "missing or present"),
    "target_deduct": (
        "shortfall = `target` − value when `better` is `higher` (value − `target` when "
        "`lower`); score = `points` when the shortfall is 0 or less, else max(0, `points` − "
        "`deduct` × steps), where steps = shortfall ÷ `step` rounded up when `partial` is "
        "`whole` (a part step counts as a whole one), rounded down when `ignore`, and kept "
        "exact when `pro_rata`. `measure` and `unit` only word the reason (a difference of "
        "`%` reads 个百分点).",
        "value"),
    "proportional": (
        "score = `points` × (value − `zero_at`) ÷ (`full_at` − `zero_at`), kept within 0 and "
        "`points`; exact unless the scheme's `rounding.items` is `half_up`, which rounds it "
        "half-up to the scheme's `precision`; `zero_at` above `full_at` means lower is "
        "better. `measure` and `unit` only word the reason.",
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
    rounding: str
    steps: list[str]
    score: Fraction
    reason: str

    @property
    def shown(self) -> str:
        """The score exactly (85.675, or 170/3 when its decimals do not end)."""
        return exact_text(self.score)


def worked_examples() -> dict[str, list[Worked]]:
    """Every worked example per method, each checked against the scoring engine."""
    data = read_yaml(WORKED_FILE).data
    precision = Decimal(data["precision"])
    out: dict[str, list[Worked]] = {}
    for kind, examples in data["examples"].items():
        for example in examples:
            out.setdefault(kind, []).append(_work(kind, example, precision))
    return out


def _work(kind: str, example: dict[str, Any], precision: Decimal) -> Worked:
    method = TypeAdapter(Method).validate_python(example["method"])
    given = ItemInput.model_validate(example["input"])
    points = Decimal(example["points"])
    others = [Decimal(v) for v in example.get("others", [])]
    rounding = example.get("rounding", "exact")
    rank = None
    if kind == "rank":
        rank = competition_ranks([given.value, *others], method.better)[0]
    item = Item.model_construct(id="example", name="example", points=points, method=method)
    scored = score_item(item, given, precision, rank, rounding)
    steps, score = _by_hand(kind, method, points, given, rank)
    if rounding == "half_up":
        rounded = Fraction(display(score, precision))
        steps.append(f"`rounding.items: half_up` → rounded half-up to {num(precision)}: "
                     f"{exact_text(rounded)}")
        score = rounded
    if score != Fraction(scored.score):
        raise RuntimeError(f"worked example {kind}: the steps give {score}, the engine "
                           f"{scored.score}; fix the reference or the engine")
    return Worked(kind, points, example["method"], example["input"],
                  example.get("others", []), rounding, steps, Fraction(scored.score),
                  scored.reason)


def _by_hand(kind: str, m: Any, points: Decimal, given: ItemInput,
             rank: int | None) -> tuple[list[str], Fraction]:
    """The formula's steps in numbers, computed apart from the engine (in fractions)."""
    p, zero = Fraction(points), Fraction(0)
    if kind == "binary":
        score = p if given.done else zero
        return [f"`done` is `{str(bool(given.done)).lower()}` → score = {_t(score)}"], score
    if kind == "tiered":
        level = Fraction(m.levels[given.level])
        score = min(level, p)
        return [f"`levels`[{given.level}] = {_t(level)} → score = min({_t(level)}, {_t(p)}) "
                f"= {_t(score)}"], score
    if kind == "per_missing":
        listed = given.missing if m.input == "missing" else given.present
        missing = (len(listed or []) if m.input == "missing"
                   else len([e for e in m.elements if e not in (listed or [])]))
        steps = [f"{missing} of {len(m.elements)} elements missing"]
        if m.zero_if_none and missing == len(m.elements):
            return steps + ["every element missing and `zero_if_none` → score = 0"], zero
        score = max(zero, p - Fraction(m.deduct) * missing)
        return steps + [f"score = max(0, {_t(p)} − {num(m.deduct)} × {missing}) = "
                        f"{_t(score)}"], score
    if kind == "target_deduct":
        value, target = Fraction(given.value), Fraction(m.target)
        gap = target - value if m.better == "higher" else value - target
        if gap <= 0:
            return [f"shortfall = {_t(gap)} ≤ 0 → score = {_t(p)}"], p
        ratio = gap / Fraction(m.step)
        steps = {"whole": Fraction(ceil(ratio)), "ignore": Fraction(floor(ratio)),
                 "pro_rata": ratio}[m.partial]
        how = {"whole": "⌈…⌉", "ignore": "⌊…⌋", "pro_rata": "exact"}[m.partial]
        score = max(zero, p - Fraction(m.deduct) * steps)
        return [f"shortfall = {_t(gap)}",
                f"steps = {_t(gap)} ÷ {num(m.step)} = {_t(ratio)}, `partial: {m.partial}` "
                f"({how}) → {_t(steps)}",
                f"score = max(0, {_t(p)} − {num(m.deduct)} × {_t(steps)}) = {_t(score)}"], score
    if kind == "proportional":
        value, lo, hi = Fraction(given.value), Fraction(m.zero_at), Fraction(m.full_at)
        raw = p * (value - lo) / (hi - lo)
        score = min(max(raw, zero), p)
        return [f"{_t(p)} × ({_t(value)} − {_t(lo)}) ÷ ({_t(hi)} − {_t(lo)}) = {_t(raw)}",
                f"kept within 0 and {_t(p)} → {_t(score)}"], score
    if kind == "per_occurrence":
        score = max(zero, p - Fraction(m.deduct) * given.count)
        return [f"score = max(0, {_t(p)} − {num(m.deduct)} × {given.count}) = {_t(score)}"], score
    if kind == "rank":
        band = next((b for b in m.bands if rank <= b.up_to), None)
        score = min(Fraction(band.points if band else m.rest), p)
        where = f"the band up to {band.up_to}" if band else "below the last band: `rest`"
        return [f"rank = {rank}", f"{where} → score = {_t(score)}"], score
    raise ValueError(f"no worked steps for method {kind!r}; add them to reference/methods.py")


def _t(value: Fraction) -> str:
    return exact_text(value)
