"""Score every region: checked rules and assessments → frozen, exact `Results`.

The rules, decided here and restated in the generated annex text (describe.py):

- An item's score is exact (`rounding.items: exact`, the default) or rounded
  half-up to the precision (`half_up`) before anything is added up.
- base = the sum of item scores; bonus = min(sum of bonus lines, bonus cap), each
  line min(count × points, the item's max); penalty likewise with its own cap.
- final = max(0, base + bonus − penalty), exact; it is published rounded half-up
  to the precision. It is not cut at the full score: a region at full marks with
  bonuses shows e.g. 103 (at most full + bonus cap).
- Grade and rank go by the published final (`basis: published`, the default) or
  by the exact one (`basis: exact`). The grade is the first band whose lower
  bound (inclusive) the final reaches; a veto forces the lowest band.
- Ranks are competition ranks (1, 2, 2, 4). A vetoed region is, by
  `veto.placement`: unranked (no rank, listed last), last (ranked after every
  other region, by score among the vetoed), or in_place (ranked by its score).
- Averages over the whole area are over all regions, vetoed ones included (their
  scores are real; only their grade is forced), rounded half-up to the precision.
- An item's input is the reported one unless a verification adjustment replaced it.

Exact values are `Fraction`s (a proportional quotient such as 10 × 2/3 does not
end); every input and every published figure is a `Decimal`. Decimal arithmetic
runs in a context that traps `Inexact`, so no sum is ever silently rounded; the
only rounding is deliberate (`divide_half_up`, `display`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

from qdocs.content.scoring_models import Assessment, Claim, Claims, Item, ItemInput, ScoringRules
from qdocs.scoring import methods
from qdocs.scoring.methods import ZERO, Scored, competition_ranks, divide_half_up


@dataclass(frozen=True)
class GradeBand:
    """A grade of the scheme: 优秀 (A) from 90, lower bound inclusive."""

    code: str
    name: str
    min: Decimal


@dataclass(frozen=True)
class ItemResult:
    """One item for one region; `reason` says why `lost` points were lost ("" if none)."""

    id: str
    name: str
    block_id: str
    category_id: str | None   # None in a block without categories
    method: str
    points: Decimal
    score: Fraction       # exact, or rounded half-up when the scheme rounds items
    lost: Fraction
    reason: str
    shown: str            # the input as a card prints it: "97.2%", "较好", "缺2项", "2起"
    rank: int | None      # the region's rank among all regions, for `rank` items
    note: str | None      # the assessment's note on this input
    adjusted: bool        # the input is the verified one (see RegionResult.adjustments)


@dataclass(frozen=True)
class Subtotal:
    """A category's or block's total."""

    id: str
    name: str
    points: Decimal
    score: Fraction
    lost: Fraction


@dataclass(frozen=True)
class ClaimLine:
    """One bonus or penalty claimed by a region."""

    id: str
    name: str
    count: int
    each: Decimal
    raw: Decimal        # count × each
    points: Decimal     # raw, cut at the item's max
    note: str | None
    capped: bool = False  # raw > the item's max


@dataclass(frozen=True)
class ClaimsResult:
    """Bonuses or penalties of one region: lines, their sum, the cap and what counts."""

    lines: tuple[ClaimLine, ...]
    raw: Decimal
    cap: Decimal | None  # None: the scheme has no such items
    total: Decimal
    capped: bool        # raw > cap: the cap cut something off


@dataclass(frozen=True)
class VetoResult:
    """A veto condition met, with the event that met it."""

    id: str
    name: str           # the condition's name, "" when it has none
    event: str


@dataclass(frozen=True)
class AdjustmentResult:
    """核查调整: what was reported, what verification found, why, and the score either way."""

    item_id: str
    item_name: str
    reported: str
    verified: str
    reason: str
    reported_score: Fraction | None   # None for rank items (another value moves every rank)
    verified_score: Fraction


@dataclass(frozen=True)
class RegionResult:
    """Everything a report card shows about one region."""

    code: str
    sample: bool
    items: tuple[ItemResult, ...]
    categories: tuple[Subtotal, ...]
    blocks: tuple[Subtotal, ...]
    base: Fraction
    bonus: ClaimsResult
    penalty: ClaimsResult
    vetoes: tuple[VetoResult, ...]
    vetoed: bool
    adjustments: tuple[AdjustmentResult, ...]
    final: Fraction         # exact
    final_display: Decimal  # rounded half-up to the precision: documents print this
    grade: GradeBand
    rank: int | None        # None: vetoed and the scheme does not rank vetoed regions


@dataclass(frozen=True)
class Averages:
    """Averages over all `count` regions (vetoed included), rounded half-up."""

    count: int
    categories: dict[str, Decimal]
    blocks: dict[str, Decimal]
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    final: Decimal


@dataclass(frozen=True)
class Results:
    """All regions scored and ranked, with averages (what the bulletin shows)."""

    precision: Decimal
    full_score: Decimal
    max_score: Decimal              # full score + bonus cap
    grades: tuple[GradeBand, ...]
    veto_placement: str             # unranked, last or in_place
    basis: str                      # published or exact: what grades and ranks go by
    regions: tuple[RegionResult, ...]   # in the order given (publication order)
    ranking: tuple[str, ...]            # codes by rank, ties in given order, unranked last
    averages: Averages
    grade_counts: dict[str, int]        # grade code → number of regions, every grade listed
    by_code: dict[str, RegionResult]    # the same results, by region code

    def region(self, code: str) -> RegionResult:
        """The result of region `code` (KeyError if it was not scored)."""
        return self.by_code[code]


def display(value: Decimal | Fraction, precision: Decimal) -> Decimal:
    """`value` rounded half-up to `precision` (85.675 → 85.68), as documents print it."""
    return divide_half_up(value, 1, precision)


def exact_text(value: Decimal | Fraction) -> str:
    """An exact value as text: 85.675, or 170/3 when its decimals do not end."""
    f = Fraction(value)
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{f.numerator}/{f.denominator}"
    digits = 0
    while (f * 10 ** digits).denominator != 1:
        digits += 1
    return str(Decimal(f.numerator * 10 ** digits // f.denominator).scaleb(-digits))


def score_all(
    rules: ScoringRules, region_codes: Sequence[str], assessments: Mapping[str, Assessment]
) -> Results:
    """Score every region in `region_codes` (checked by load_scoring) and rank them."""
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        ranks = _item_ranks(rules, region_codes, assessments)
        scored = [_score_region(rules, assessments[c], ranks[c]) for c in region_codes]
        regions = tuple(replace(r, rank=place) for r, place in zip(
            scored, overall_ranks(rules, scored), strict=True))
        order = sorted(regions, key=lambda r: (r.rank is None, r.rank or 0))
        grades = tuple(GradeBand(g.code, g.name, g.min) for g in rules.grades)
        return Results(
            precision=rules.precision,
            full_score=rules.full_score,
            max_score=rules.full_score + (rules.bonus.cap if rules.bonus else 0),
            grades=grades,
            veto_placement=placement(rules),
            basis=rules.basis,
            regions=regions,
            ranking=tuple(r.code for r in order),
            averages=_averages(regions, rules.precision),
            grade_counts={g.code: sum(r.grade.code == g.code for r in regions) for g in grades},
            by_code={r.code: r for r in regions},
        )


def placement(rules: ScoringRules) -> str:
    """Where vetoed regions stand (unranked when the scheme has no veto)."""
    return rules.veto.placement if rules.veto else "unranked"


def basis_value(rules: ScoringRules, r: RegionResult) -> Decimal | Fraction:
    """The final that grades and ranks go by: as published, or exact."""
    return r.final_display if rules.basis == "published" else r.final


def overall_ranks(rules: ScoringRules, scored: Sequence[RegionResult]) -> list[int | None]:
    """Competition ranks on the basis value; vetoed regions placed as the scheme says."""
    where = placement(rules)
    clear = [r for r in scored if where == "in_place" or not r.vetoed]
    places: dict[str, int | None] = dict(zip(
        (r.code for r in clear),
        competition_ranks([basis_value(rules, r) for r in clear], "higher"), strict=True))
    if where == "last":
        vetoed = [r for r in scored if r.vetoed]
        places.update(zip((r.code for r in vetoed), (len(clear) + k for k in competition_ranks(
            [basis_value(rules, r) for r in vetoed], "higher")), strict=True))
    return [places.get(r.code) for r in scored]


def effective_input(assessment: Assessment, item_id: str) -> ItemInput:
    """The verified input if an adjustment replaced the reported one."""
    for adj in assessment.adjustments:
        if adj.item == item_id:
            return adj.input
    return assessment.items[item_id]


def score_item(item: Item, given: ItemInput, precision: Decimal, rank: int | None,
               rounding: str = "exact") -> Scored:
    """Dispatch to the item's method; with `rounding` half_up the score is rounded half-up to
    the precision (its reason says the same figure), else kept exact."""
    s = _score_method(item, given, precision, rank, rounding == "exact")
    if rounding == "half_up":
        return Scored(Fraction(display(s.score, precision)), s.reason, s.shown)
    return Scored(Fraction(s.score), s.reason, s.shown)


def _score_method(item: Item, given: ItemInput, precision: Decimal, rank: int | None,
                  exact: bool) -> Scored:
    m = item.method
    if m.kind == "binary":
        return methods.score_binary(m, item.points, given)
    if m.kind == "tiered":
        return methods.score_tiered(m, item.points, given)
    if m.kind == "per_missing":
        return methods.score_per_missing(m, item.points, given)
    if m.kind == "target_deduct":
        return methods.score_target_deduct(m, item.points, given, precision)
    if m.kind == "proportional":
        return methods.score_proportional(m, item.points, given, precision, exact)
    if m.kind == "per_occurrence":
        return methods.score_per_occurrence(m, item.points, given)
    if rank is None:
        raise ValueError(f"item {item.id} is ranked but no rank was computed")
    return methods.score_rank(m, item.points, given, rank)


def score_claims(claims: Claims | None, lines: Sequence[Claim]) -> ClaimsResult:
    """Bonus or penalty lines: each cut at its item's max, the sum cut at the cap."""
    if claims is None:
        return ClaimsResult((), ZERO, None, ZERO, False)
    by_id = {c.id: c for c in claims.items}
    out = []
    for line in lines:
        item = by_id[line.item]
        raw = item.points * line.count
        points = raw if item.max is None else min(raw, item.max)
        out.append(ClaimLine(item.id, item.name, line.count, item.points, raw, points, line.note,
                             points < raw))
    total = sum((c.points for c in out), ZERO)
    return ClaimsResult(tuple(out), total, claims.cap, min(total, claims.cap), total > claims.cap)


def _all_items(rules: ScoringRules):
    for block in rules.blocks:
        for category, items in block.groups():
            for item in items:
                yield block, category, item


def _item_ranks(rules, region_codes, assessments) -> dict[str, dict[str, int]]:
    """Per region, its rank on every `rank` item (all regions take part, vetoed or not)."""
    ranks: dict[str, dict[str, int]] = {c: {} for c in region_codes}
    for _, _, item in _all_items(rules):
        if item.method.kind != "rank":
            continue
        values = [effective_input(assessments[c], item.id).value for c in region_codes]
        for code, place in zip(region_codes, competition_ranks(values, item.method.better),
                               strict=True):
            ranks[code][item.id] = place
    return ranks


def _score_region(rules: ScoringRules, a: Assessment, ranks: dict[str, int]) -> RegionResult:
    """A region's result without its overall rank, which needs every region's final."""
    items = []
    adjusted = {adj.item: adj for adj in a.adjustments}
    adjustments = []
    rounding = rules.rounding.items
    for block, category, item in _all_items(rules):
        given = effective_input(a, item.id)
        s = score_item(item, given, rules.precision, ranks.get(item.id), rounding)
        items.append(ItemResult(
            item.id, item.name, block.id, category.id if category else None, item.method.kind,
            item.points, s.score, Fraction(item.points) - s.score, s.reason, s.shown,
            ranks.get(item.id), given.note, item.id in adjusted))
        if item.id in adjusted:
            reported = a.items[item.id]
            before = None if item.method.kind == "rank" else score_item(
                item, reported, rules.precision, None, rounding)
            adjustments.append(AdjustmentResult(
                item.id, item.name,
                before.shown if before else methods.with_unit(reported.value, item.method.unit),
                s.shown, adjusted[item.id].reason,
                before.score if before else None, s.score))
    categories = tuple(_subtotal(c.id, c.name, c.points, [i for i in items
                                 if i.category_id == c.id])
                       for b in rules.blocks for c in b.categories or [])
    blocks = tuple(_subtotal(b.id, b.name, b.points, [i for i in items if i.block_id == b.id])
                   for b in rules.blocks)
    base = sum((i.score for i in items), Fraction(0))
    bonus = score_claims(rules.bonus, a.bonuses)
    penalty = score_claims(rules.penalty, a.penalties)
    names = {v.id: v.name or "" for v in rules.veto.conditions} if rules.veto else {}
    vetoes = tuple(VetoResult(v.condition, names[v.condition], v.event) for v in a.vetoes)
    final = max(Fraction(0), base + Fraction(bonus.total) - Fraction(penalty.total))
    shown = display(final, rules.precision)
    decides = shown if rules.basis == "published" else final
    grade = rules.grades[-1] if vetoes else next(g for g in rules.grades if decides >= g.min)
    return RegionResult(
        code=a.region, sample=a.sample, items=tuple(items), categories=categories,
        blocks=blocks, base=base, bonus=bonus, penalty=penalty, vetoes=vetoes,
        vetoed=bool(vetoes), adjustments=tuple(adjustments), final=final,
        final_display=shown,
        grade=GradeBand(grade.code, grade.name, grade.min), rank=None)


def _subtotal(id_: str, name: str, points: Decimal, items: list[ItemResult]) -> Subtotal:
    score = sum((i.score for i in items), Fraction(0))
    return Subtotal(id_, name, points, score, Fraction(points) - score)


def _averages(regions: Sequence[RegionResult], precision: Decimal) -> Averages:
    n = Decimal(len(regions))
    if not regions:
        return Averages(0, {}, {}, ZERO, ZERO, ZERO, ZERO)

    def avg(values) -> Decimal:
        return divide_half_up(sum((Fraction(v) for v in values), Fraction(0)), n, precision)

    first = regions[0]
    return Averages(
        count=len(regions),
        categories={c.id: avg(r.categories[k].score for r in regions)
                    for k, c in enumerate(first.categories)},
        blocks={b.id: avg(r.blocks[k].score for r in regions) for k, b in enumerate(first.blocks)},
        base=avg(r.base for r in regions),
        bonus=avg(r.bonus.total for r in regions),
        penalty=avg(r.penalty.total for r in regions),
        final=avg(r.final for r in regions),
    )
