"""Pydantic models of scoring_rules.yaml and assessments/<code>.yaml (keep them stable).

A model checks what one place in one file can show: types, signs, the order of a
rank method's bands. Whatever needs two places at once — points adding up, a
level named in an assessment existing in the rules, a department being in the
registry — is a cross-file check in `qdocs.content.scoring_checks`, which can point at
the exact line. Numbers are `Decimal`; a binary float is refused, so no value
is ever off by 0.000000000000001.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from qdocs.content.models import Strict, Text, check_safe_id


def _refuse_inexact(value: object) -> object:
    """YAML numbers arrive as int or Decimal; a float or a bool here is a mistake."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number; got {str(value).lower()}")
    if isinstance(value, float):
        raise ValueError(f"must be an exact number such as 97.2, not a binary float; got {value}")
    return value


Exact = Annotated[Decimal, BeforeValidator(_refuse_inexact)]
Points = Annotated[Exact, Field(gt=0)]
NonNegative = Annotated[Exact, Field(ge=0)]
Id = Annotated[str, AfterValidator(check_safe_id)]
Better = Literal["higher", "lower"]
AssessmentMethod = Literal["材料审核", "实地核查", "数据核对", "满意度测评"]


# --- scoring methods (the `method:` of an item; `kind` says which) ----------------------------

class Binary(Strict):
    """Done → the item's full points; not done → 0."""

    kind: Literal["binary"]


class Tiered(Strict):
    """A named level (评定等次) → its points, e.g. {好: 6, 较好: 4, 一般: 2, 差: 0}."""

    kind: Literal["tiered"]
    levels: dict[Text, NonNegative] = Field(min_length=2)


class PerMissing(Strict):
    """Full points when every required element is present; `deduct` per missing one, floor 0."""

    kind: Literal["per_missing"]
    elements: list[Text] = Field(min_length=1)
    deduct: Points

    @field_validator("elements")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = sorted({e for e in v if v.count(e) > 1})
        if dup:
            raise ValueError(f"elements must differ; repeated: {'、'.join(dup)}")
        return v


class TargetDeduct(Strict):
    """Full at `target`; `deduct` per `step` short of it (a part step counts whole), floor 0."""

    kind: Literal["target_deduct"]
    measure: Text = Field(description="what the value is, e.g. 合格率")
    unit: str = Field(default="", description="'%' (steps read 个百分点) or a unit such as 人")
    target: Exact
    step: Points
    deduct: Points
    better: Better = "higher"


class Proportional(Strict):
    """Linear from 0 points at `zero_at` to full at `full_at`, clamped; lower-better if zero_at
    > full_at. The quotient is rounded half-up to the scheme's precision (it may not end)."""

    kind: Literal["proportional"]
    measure: Text
    unit: str = ""
    zero_at: Exact
    full_at: Exact

    @field_validator("full_at")
    @classmethod
    def _differs(cls, v: Decimal, info) -> Decimal:
        if info.data.get("zero_at") == v:
            raise ValueError(f"must differ from zero_at ({v}); the line between them needs length")
        return v


class PerOccurrence(Strict):
    """`deduct` per counted event within the item (e.g. 每起扣1分), floor 0."""

    kind: Literal["per_occurrence"]
    event: Text = Field(description="what is counted, e.g. 督查发现的问题未按期整改")
    unit: Text = Field(default="起", description="the measure word: 起, 次, 批次")
    deduct: Points


class RankBand(Strict):
    """Ranks up to `up_to` (inclusive, after the previous band) score `points`."""

    up_to: int = Field(ge=1)
    points: NonNegative


class Rank(Strict):
    """Points by the region's rank among all regions on its value; ties share a rank."""

    kind: Literal["rank"]
    measure: Text
    unit: str = ""
    better: Better
    bands: list[RankBand] = Field(min_length=1)
    rest: NonNegative = Field(default=Decimal(0), description="points below the last band")

    @field_validator("bands")
    @classmethod
    def _ordered(cls, v: list[RankBand]) -> list[RankBand]:
        for a, b in zip(v, v[1:], strict=False):
            if b.up_to <= a.up_to:
                raise ValueError("up_to must increase from band to band")
            if b.points > a.points:
                raise ValueError("a lower band cannot score more than a higher one")
        return v

    @field_validator("rest")
    @classmethod
    def _rest_lowest(cls, v: Decimal, info) -> Decimal:
        bands = info.data.get("bands") or []
        if bands and v > bands[-1].points:
            raise ValueError(f"cannot exceed the last band's {bands[-1].points} points")
        return v


Method = Annotated[
    Binary | Tiered | PerMissing | TargetDeduct | Proportional | PerOccurrence | Rank,
    Field(discriminator="kind"),
]
METHOD_KINDS = ("binary", "tiered", "per_missing", "target_deduct", "proportional",
                "per_occurrence", "rank")


# --- scoring_rules.yaml -------------------------------------------------------------------------

class Item(Strict):
    """One scored item of the scheme (one row of annex 2)."""

    id: Id
    name: Text
    points: Points
    content: Text = Field(description="考核内容")
    method: Method
    evidence: list[Text] = Field(min_length=1, description="佐证材料")
    assessment: list[AssessmentMethod] = Field(min_length=1, description="考核方式")
    departments: list[Text] = Field(min_length=1, description="责任单位 (short names)")
    tasks: list[int] = Field(min_length=1, description="action-plan task numbers checked")


class Category(Strict):
    """A category of a block (质量宏观管理, …): items whose points add up to its own."""

    id: Id
    name: Text
    points: Points
    items: list[Item] = Field(min_length=1)


class Block(Strict):
    """质量目标 or 质量措施: categories whose points add up to the block's."""

    id: Id
    name: Text
    points: Points
    categories: list[Category] = Field(min_length=1)


class ClaimItem(Strict):
    """A bonus (加分项) or penalty (扣分项) item: `points` per occurrence, at most `max`."""

    id: Id
    name: Text
    content: Text
    points: Points
    unit: Text = Field(default="项", description="measure word of one occurrence: 项, 起, 次")
    max: Points | None = None
    evidence: list[Text] = Field(min_length=1)
    departments: list[Text] = Field(min_length=1)


class Claims(Strict):
    """The bonus or the penalty items, with the cap on their total."""

    cap: Points = Field(description="the most all items of this kind together can add or take")
    items: list[ClaimItem] = Field(min_length=1)


class VetoCondition(Strict):
    """One 否决项 condition, e.g. a regional or systemic quality-safety incident."""

    id: Id
    name: Text
    content: Text
    departments: list[Text] = Field(min_length=1)


class Veto(Strict):
    """否决项: any one condition met forces the lowest grade."""

    ranked: bool = Field(description="whether a vetoed region still takes a place in the ranking")
    conditions: list[VetoCondition] = Field(min_length=1)


class Grade(Strict):
    """A grade band; listed best first, the last starting at 0."""

    code: Text = Field(description="A, B, C, D")
    name: Text = Field(description="优秀, 良好, …")
    min: NonNegative = Field(description="lower bound, inclusive, on the unrounded score")


class CardSettings(Strict):
    """How the report cards are printed."""

    full_table: bool = Field(
        default=False, description="print the item-by-item table in the PDF and DOCX cards too "
        "(the HTML card always has it); without it they hold the summary, the table by "
        "category, the points lost and the chart")


class ScoringRules(Strict):
    """The whole scheme (annex 2)."""

    id: Id = "annex-2"
    notice: Text = Field(description="where the scheme comes from; shown to whoever edits it")
    sample: bool = False
    title: Text
    full_score: Points
    precision: Exact = Field(description="display rounding, half-up: 1, 0.1, 0.01, …")
    grades: list[Grade] = Field(min_length=2)
    blocks: list[Block] = Field(min_length=1)
    bonus: Claims
    penalty: Claims
    veto: Veto
    card: CardSettings = CardSettings()

    @field_validator("precision")
    @classmethod
    def _power_of_ten(cls, v: Decimal) -> Decimal:
        if not (v > 0 and v.as_tuple().digits == (1,) and v.as_tuple().exponent <= 0):
            raise ValueError(f"must be 1, 0.1, 0.01 or another power of ten ≤ 1; got {v}")
        return v

    @field_validator("grades")
    @classmethod
    def _bands(cls, v: list[Grade]) -> list[Grade]:
        for a, b in zip(v, v[1:], strict=False):
            if b.min >= a.min:
                raise ValueError("list grades from best to worst, each min lower than the last")
        if v[-1].min != 0:
            raise ValueError(f"the last grade must start at 0 so every score has a grade; "
                             f"got {v[-1].min}")
        return v


# --- assessments/<code>.yaml --------------------------------------------------------------------

class ItemInput(Strict):
    """A region's raw input for one item: the one field its method reads, plus a note."""

    value: Exact | None = Field(default=None, description="target_deduct, proportional, rank")
    level: Text | None = Field(default=None, description="tiered")
    done: bool | None = Field(default=None, description="binary")
    missing: list[Text] | None = Field(default=None, description="per_missing")
    count: int | None = Field(default=None, ge=0, description="per_occurrence")
    note: Text | None = None


class Claim(Strict):
    """One bonus or penalty claimed for a region, with what happened."""

    item: Text
    count: int = Field(default=1, ge=1)
    note: Text


class VetoEvent(Strict):
    """A veto condition met by the region, and what happened."""

    condition: Text
    event: Text


class Adjustment(Strict):
    """核查调整: on-site verification replaced the reported input of `item` with `input`."""

    item: Text
    input: ItemInput
    reason: Text


def _quoted_code(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'must be the region code in quotes, e.g. "{value}"; got {value}')
    return value


class Assessment(Strict):
    """One region's assessment: reported inputs, claims, veto events, verification changes."""

    sample: bool = False
    region: Annotated[str, BeforeValidator(_quoted_code)]
    items: dict[Text, ItemInput]
    bonuses: list[Claim] = Field(default_factory=list)
    penalties: list[Claim] = Field(default_factory=list)
    vetoes: list[VetoEvent] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)

    @field_validator("region")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]{5}", v):
            raise ValueError(f"must be a six-digit GB/T 2260 code; got {v!r}")
        return v
