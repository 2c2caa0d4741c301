"""Score every region: checked rules and assessments → frozen, exact `Results`.

The rules, decided here and restated in the generated annex text (describe.py):

- base = the sum of item scores; bonus = min(sum of bonus lines, bonus cap), each
  line min(count × points, the item's max); penalty likewise with its own cap.
- final = max(0, base + bonus − penalty). It is not cut at the full score: a
  region at full marks with bonuses shows e.g. 103 (at most full + bonus cap).
- The grade is the first band whose lower bound (inclusive) the *unrounded*
  final reaches; a veto forces the lowest band whatever the score.
- Ranks are competition ranks (1, 2, 2, 4) on the unrounded final; a vetoed
  region takes a place only when the scheme says `veto.ranked: true`, else it
  has no rank and is listed last.
- Province averages are over all regions, vetoed ones included (their scores are
  real; only their grade is forced), rounded half-up to the precision.
- An item's input is the reported one unless a verification adjustment replaced it.

Everything runs in a decimal context that traps `Inexact`, so no sum is ever
silently rounded; the only rounding is deliberate (`divide_half_up`, `display`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, localcontext

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
    category_id: str
    method: str
    points: Decimal
    score: Decimal
    lost: Decimal
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
    score: Decimal
    lost: Decimal


@dataclass(frozen=True)
class ClaimLine:
    """One bonus or penalty claimed by a region."""

    id: str
    name: str
    count: int
    each: Decimal
    raw: Decimal        # count × each
    points: Decimal     # raw, cut at the item's max
    note: str


@dataclass(frozen=True)
class ClaimsResult:
    """Bonuses or penalties of one region: lines, their sum, the cap and what counts."""

    lines: tuple[ClaimLine, ...]
    raw: Decimal
    cap: Decimal
    total: Decimal
    capped: bool        # raw > cap: the cap cut something off


@dataclass(frozen=True)
class VetoResult:
    """A veto condition met, with the event that met it."""

    id: str
    name: str
    event: str


@dataclass(frozen=True)
class AdjustmentResult:
    """核查调整: what was reported, what verification found, why, and the score either way."""

    item_id: str
    item_name: str
    reported: str
    verified: str
    reason: str
    reported_score: Decimal | None   # None for rank items (another value moves every rank)
    verified_score: Decimal


@dataclass(frozen=True)
class RegionResult:
    """Everything a report card shows about one region."""

    code: str
    sample: bool
    items: tuple[ItemResult, ...]
    categories: tuple[Subtotal, ...]
    blocks: tuple[Subtotal, ...]
    base: Decimal
    bonus: ClaimsResult
    penalty: ClaimsResult
    vetoes: tuple[VetoResult, ...]
    vetoed: bool
    adjustments: tuple[AdjustmentResult, ...]
    final: Decimal          # unrounded: grades and ranks use this
    final_display: Decimal  # rounded half-up to the precision: documents print this
    grade: GradeBand
    rank: int | None        # None: vetoed and the scheme does not rank vetoed regions


@dataclass(frozen=True)
class Averages:
    """Province averages over `count` regions (vetoed included), rounded half-up."""

    count: int
    categories: dict[str, Decimal]
    blocks: dict[str, Decimal]
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    final: Decimal


@dataclass(frozen=True)
class Results:
    """All regions scored and ranked, with province averages (what the bulletin shows)."""

    precision: Decimal
    full_score: Decimal
    max_score: Decimal              # full score + bonus cap
    grades: tuple[GradeBand, ...]
    vetoed_ranked: bool
    regions: tuple[RegionResult, ...]   # in the order given (publication order)
    ranking: tuple[str, ...]            # codes by rank, ties in given order, unranked last
    averages: Averages
    grade_counts: dict[str, int]        # grade code → number of regions, every grade listed
    by_code: dict[str, RegionResult]    # the same results, by region code

    def region(self, code: str) -> RegionResult:
        """The result of region `code` (KeyError if it was not scored)."""
        return self.by_code[code]


def display(value: Decimal, precision: Decimal) -> Decimal:
    """`value` rounded half-up to `precision` (85.675 → 85.68), as documents print it."""
    return value.quantize(precision, rounding=ROUND_HALF_UP, context=Context(prec=60))


def score_all(
    rules: ScoringRules, region_codes: Sequence[str], assessments: Mapping[str, Assessment]
) -> Results:
    """Score every region in `region_codes` (checked by load_scoring) and rank them."""
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        ranks = _item_ranks(rules, region_codes, assessments)
        scored = [_score_region(rules, assessments[c], ranks[c]) for c in region_codes]
        ranked = [r for r in scored if rules.veto.ranked or not r.vetoed]
        places = dict(zip((r.code for r in ranked),
                          competition_ranks([r.final for r in ranked], "higher"), strict=True))
        regions = tuple(replace(r, rank=places.get(r.code)) for r in scored)
        order = sorted(regions, key=lambda r: (r.rank is None, r.rank or 0))
        grades = tuple(GradeBand(g.code, g.name, g.min) for g in rules.grades)
        return Results(
            precision=rules.precision,
            full_score=rules.full_score,
            max_score=rules.full_score + rules.bonus.cap,
            grades=grades,
            vetoed_ranked=rules.veto.ranked,
            regions=regions,
            ranking=tuple(r.code for r in order),
            averages=_averages(regions, rules.precision),
            grade_counts={g.code: sum(r.grade.code == g.code for r in regions) for g in grades},
            by_code={r.code: r for r in regions},
        )


def effective_input(assessment: Assessment, item_id: str) -> ItemInput:
    """The verified input if an adjustment replaced the reported one."""
    for adj in assessment.adjustments:
        if adj.item == item_id:
            return adj.input
    return assessment.items[item_id]


def score_item(item: Item, given: ItemInput, precision: Decimal, rank: int | None) -> Scored:
    """Dispatch to the item's method."""
    m = item.method
    if m.kind == "binary":
        return methods.score_binary(m, item.points, given)
    if m.kind == "tiered":
        return methods.score_tiered(m, item.points, given)
    if m.kind == "per_missing":
        return methods.score_per_missing(m, item.points, given)
    if m.kind == "target_deduct":
        return methods.score_target_deduct(m, item.points, given)
    if m.kind == "proportional":
        return methods.score_proportional(m, item.points, given, precision)
    if m.kind == "per_occurrence":
        return methods.score_per_occurrence(m, item.points, given)
    if rank is None:
        raise ValueError(f"item {item.id} is ranked but no rank was computed")
    return methods.score_rank(m, item.points, given, rank)


def score_claims(claims: Claims, lines: Sequence[Claim]) -> ClaimsResult:
    """Bonus or penalty lines: each cut at its item's max, the sum cut at the cap."""
    by_id = {c.id: c for c in claims.items}
    out = []
    for line in lines:
        item = by_id[line.item]
        raw = item.points * line.count
        points = raw if item.max is None else min(raw, item.max)
        out.append(ClaimLine(item.id, item.name, line.count, item.points, raw, points, line.note))
    total = sum((c.points for c in out), ZERO)
    return ClaimsResult(tuple(out), total, claims.cap, min(total, claims.cap), total > claims.cap)


def _all_items(rules: ScoringRules):
    for block in rules.blocks:
        for category in block.categories:
            for item in category.items:
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
    for block, category, item in _all_items(rules):
        given = effective_input(a, item.id)
        s = score_item(item, given, rules.precision, ranks.get(item.id))
        items.append(ItemResult(
            item.id, item.name, block.id, category.id, item.method.kind, item.points, s.score,
            item.points - s.score, s.reason, s.shown, ranks.get(item.id), given.note,
            item.id in adjusted))
        if item.id in adjusted:
            reported = a.items[item.id]
            before = None if item.method.kind == "rank" else score_item(
                item, reported, rules.precision, None)
            adjustments.append(AdjustmentResult(
                item.id, item.name,
                before.shown if before else methods.with_unit(reported.value, item.method.unit),
                s.shown, adjusted[item.id].reason,
                before.score if before else None, s.score))
    categories = tuple(_subtotal(c.id, c.name, c.points, [i for i in items
                                 if i.category_id == c.id])
                       for b in rules.blocks for c in b.categories)
    blocks = tuple(_subtotal(b.id, b.name, b.points, [i for i in items if i.block_id == b.id])
                   for b in rules.blocks)
    base = sum((i.score for i in items), ZERO)
    bonus = score_claims(rules.bonus, a.bonuses)
    penalty = score_claims(rules.penalty, a.penalties)
    names = {v.id: v.name for v in rules.veto.conditions}
    vetoes = tuple(VetoResult(v.condition, names[v.condition], v.event) for v in a.vetoes)
    final = max(ZERO, base + bonus.total - penalty.total)
    grade = rules.grades[-1] if vetoes else next(g for g in rules.grades if final >= g.min)
    return RegionResult(
        code=a.region, sample=a.sample, items=tuple(items), categories=categories,
        blocks=blocks, base=base, bonus=bonus, penalty=penalty, vetoes=vetoes,
        vetoed=bool(vetoes), adjustments=tuple(adjustments), final=final,
        final_display=display(final, rules.precision),
        grade=GradeBand(grade.code, grade.name, grade.min), rank=None)


def _subtotal(id_: str, name: str, points: Decimal, items: list[ItemResult]) -> Subtotal:
    score = sum((i.score for i in items), ZERO)
    return Subtotal(id_, name, points, score, points - score)


def _averages(regions: Sequence[RegionResult], precision: Decimal) -> Averages:
    n = Decimal(len(regions))
    if not regions:
        return Averages(0, {}, {}, ZERO, ZERO, ZERO, ZERO)

    def avg(values) -> Decimal:
        return divide_half_up(sum(values, ZERO), n, precision)

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
