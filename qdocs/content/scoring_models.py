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

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from qdocs.content.models import Strict, Text, check_key, check_safe_id


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
FileId = Annotated[str, AfterValidator(check_safe_id)]
Key = Annotated[str, AfterValidator(check_key)]
Better = Literal["higher", "lower"]


def _quantum(value: object) -> object:
    """precision: text naming the step of published scores; a YAML number is ambiguous."""
    if not isinstance(value, str):
        raise ValueError(
            f'must be the step of published scores written as text in quotes, "1", "0.1" or '
            f'"0.01"; got {value}')
    return value


# JSON Schema (editors, docs/content.md): precision is text such as "0.01", never a number.
QUANTUM_SCHEMA = WithJsonSchema({"type": "string", "pattern": r"^(1|0\.0*1)$"})


# --- scoring methods (the `method:` of an item; `kind` says which) ----------------------------

class Binary(Strict):
    """Done → the item's full points; not done → 0."""

    kind: Literal["binary"] = Field(description="done → full points, not done → 0")


class Tiered(Strict):
    """A named level (评定等次) → its points, e.g. {好: 6, 较好: 4, 一般: 2, 差: 0}."""

    kind: Literal["tiered"] = Field(description="a named level → its points")
    levels: dict[Text, NonNegative] = Field(
        min_length=2, description="level name → points, best first; the best gives full points")


class PerMissing(Strict):
    """Full points when every required element is present; `deduct` per missing one, floor 0."""

    kind: Literal["per_missing"] = Field(description="deduct per required element missing")
    elements: list[Text] = Field(min_length=1, description="the required elements")
    deduct: Points = Field(description="points lost per missing element")
    input: Literal["missing", "present"] = Field(
        default="missing",
        description="what assessments list: the elements missing (missing:) or present "
                    "(present:)")
    zero_if_none: bool = Field(
        default=False, description="true: no element present scores 0 whatever the deductions")

    @field_validator("elements")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = sorted({e for e in v if v.count(e) > 1})
        if dup:
            raise ValueError(f"elements must differ; repeated: {'、'.join(dup)}")
        return v


class TargetDeduct(Strict):
    """Full at `target`; `deduct` per `step` short of it, floor 0; `partial` says what a part
    step costs."""

    kind: Literal["target_deduct"] = Field(description="deduct per step short of a target")
    measure: Text = Field(description="what the value is, e.g. 合格率")
    unit: str = Field(default="", description="'%' (steps read 个百分点) or a unit such as 人")
    target: Exact = Field(description="the value that earns full points")
    step: Points = Field(description="the size of one step short of the target")
    deduct: Points = Field(description="points lost per step")
    better: Better = Field(default="higher", description="higher: more is better; lower: less")
    partial: Literal["whole", "ignore", "pro_rata"] = Field(
        default="whole",
        description="a part step: whole counts it as a full step, ignore drops it, pro_rata "
                    "deducts its share")


class Proportional(Strict):
    """Linear from 0 points at `zero_at` to full at `full_at`, clamped; lower-better if zero_at
    > full_at. The quotient is kept exact or rounded, as `rounding.items` says."""

    kind: Literal["proportional"] = Field(description="linear between two values")
    measure: Text = Field(description="what the value is, e.g. 办结率")
    unit: str = Field(default="", description="'%' or a unit such as 分")
    zero_at: Exact = Field(description="the value scoring 0 (and anything worse)")
    full_at: Exact = Field(description="the value scoring full points (and anything better)")

    @field_validator("full_at")
    @classmethod
    def _differs(cls, v: Decimal, info) -> Decimal:
        if info.data.get("zero_at") == v:
            raise ValueError(f"must differ from zero_at ({v}); the line between them needs length")
        return v


class PerOccurrence(Strict):
    """`deduct` per counted event within the item (e.g. 每起扣1分), floor 0."""

    kind: Literal["per_occurrence"] = Field(description="deduct per counted event")
    event: Text = Field(description="what is counted, e.g. 督查发现的问题未按期整改")
    unit: Text = Field(default="起", description="the measure word: 起, 次, 批次")
    deduct: Points = Field(description="points lost per event")


class RankBand(Strict):
    """Ranks up to `up_to` (inclusive, after the previous band) score `points`."""

    up_to: int = Field(ge=1, description="the last rank of this band")
    points: NonNegative = Field(description="the points of every rank in this band")


class Rank(Strict):
    """Points by the region's rank among all regions on its value; ties share a rank."""

    kind: Literal["rank"] = Field(description="points by rank among all regions")
    measure: Text = Field(description="what is ranked, e.g. 新增品牌数")
    unit: str = Field(default="", description="'%' or a unit such as 个")
    better: Better = Field(description="higher: the largest value ranks first; lower: smallest")
    bands: list[RankBand] = Field(min_length=1, description="rank bands, best first")
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

    id: Key = Field(description="the item's number as printed, e.g. T1 or 1.1")
    name: Text = Field(description="考核项目")
    points: Points = Field(description="the item's full points")
    content: Text = Field(description="考核内容")
    method: Method = Field(description="how the item is scored: kind and its parameters")
    evidence: list[Text] = Field(default_factory=list, description="佐证材料, optional")
    assessment: list[Text] = Field(
        default_factory=list, description="考核方式, optional, free text such as 材料审核")
    departments: list[Text] = Field(
        default_factory=list, description="责任单位 (short names from departments.yaml), optional")
    tasks: list[int] = Field(
        default_factory=list, description="action-plan task numbers checked, optional")


class Category(Strict):
    """A category of a block (质量宏观管理, …): items whose points add up to its own."""

    id: Key = Field(description="the category's id, unique in the scheme")
    name: Text = Field(description="the category's name")
    points: Points = Field(description="its items' points added up")
    items: list[Item] = Field(min_length=1, description="the items of the category")


class Block(Strict):
    """A block of the scheme (质量目标, 质量措施, …): items, or categories of items."""

    id: Key = Field(description="the block's id, unique in the scheme")
    name: Text = Field(description="the block's name")
    points: Points = Field(description="its categories' (or items') points added up")
    categories: list[Category] | None = Field(
        default=None, description="three levels: block → categories → items")
    items: list[Item] | None = Field(
        default=None, description="two levels: block → items (give this or categories)")

    @model_validator(mode="after")
    def _one_level(self) -> Block:
        if self.items is not None and self.categories is not None:
            raise ValueError("give a block either categories: or items:, not both")
        if self.items is None and self.categories is None:
            raise ValueError("give the block its items: (or categories: of items)")
        if not (self.items if self.categories is None else self.categories):
            raise ValueError("must list at least one item or category")
        return self

    def groups(self) -> list[tuple[Category | None, list[Item]]]:
        """(category, its items), or one (None, the block's items) when it has no categories."""
        if self.categories is not None:
            return [(c, list(c.items)) for c in self.categories]
        return [(None, list(self.items or []))]


class ClaimItem(Strict):
    """A bonus (加分项) or penalty (扣分项) item: `points` per occurrence, at most `max`."""

    id: Key = Field(description="the item's id, e.g. B1")
    name: Text = Field(description="the item's name")
    content: Text = Field(description="what earns (or costs) the points")
    points: Points = Field(description="points per occurrence")
    unit: Text = Field(default="项", description="measure word of one occurrence: 项, 起, 次")
    max: Points | None = Field(default=None, description="the most this item can add or take")
    evidence: list[Text] = Field(default_factory=list, description="佐证材料, optional")
    departments: list[Text] = Field(default_factory=list, description="责任单位, optional")


class Claims(Strict):
    """The bonus or the penalty items, with the cap on their total."""

    cap: Points = Field(description="the most all items of this kind together can add or take")
    items: list[ClaimItem] = Field(min_length=1, description="the items")


class VetoCondition(Strict):
    """One 否决项 condition, e.g. a regional or systemic quality-safety incident."""

    id: Key = Field(description="the condition's id, e.g. V1")
    name: Text | None = Field(default=None, description="a short name, optional")
    content: Text = Field(description="the condition as the annex prints it")
    departments: list[Text] = Field(default_factory=list, description="责任单位, optional")


class Veto(Strict):
    """否决项: any one condition met forces the lowest grade."""

    placement: Literal["unranked", "last", "in_place"] = Field(
        default="unranked",
        description="where a vetoed region stands: unranked (no rank, listed last), last "
                    "(ranked after every other region), in_place (ranked by its score)")
    conditions: list[VetoCondition] = Field(min_length=1, description="the conditions")


class Grade(Strict):
    """A grade band; listed best first, the last starting at 0."""

    code: Text = Field(description="a short code printed with the name, e.g. A")
    name: Text = Field(description="the grade's name, e.g. 优秀")
    min: NonNegative = Field(description="lower bound, inclusive")


class Rounding(Strict):
    """When scores are rounded half-up to `precision`."""

    items: Literal["exact", "half_up"] = Field(
        default="exact",
        description="exact: item scores are summed unrounded; half_up: each item score is "
                    "rounded before summing")
    final: Literal["half_up"] = Field(
        default="half_up", description="the final score is published rounded half-up")


class CardSettings(Strict):
    """How the report cards are printed."""

    full_table: bool = Field(
        default=False, description="print the item-by-item table in the PDF and DOCX cards too "
        "(the HTML card always has it); without it they hold the summary, the table by "
        "category, the points lost and the chart")


class ScoringRules(Strict):
    """The whole scheme (annex 2)."""

    id: FileId = Field(default="annex-2", description="annex id and output name")
    notice: Text | None = Field(
        default=None, description="a note printed at the top of the annex when sample: true")
    sample: bool = Field(default=False, description="true marks every scored document 示例数据")
    title: Text = Field(description="the annex's title")
    full_score: Points = Field(description="the blocks' points added up")
    precision: Annotated[Decimal, BeforeValidator(_quantum), QUANTUM_SCHEMA] = Field(
        description='the step of published scores, as text: "1", "0.1", "0.01"')
    rounding: Rounding = Field(default_factory=Rounding, description="when scores are rounded")
    basis: Literal["published", "exact"] = Field(
        default="published",
        description="published: grade and rank go by the final score as printed; exact: by "
                    "the unrounded final")
    grades: list[Grade] = Field(min_length=2, description="grade bands, best first")
    blocks: list[Block] = Field(min_length=1, description="the scored blocks, in order")
    bonus: Claims | None = Field(default=None, description="加分项, optional")
    penalty: Claims | None = Field(default=None, description="扣分项, optional")
    veto: Veto | None = Field(default=None, description="否决项, optional")
    card: CardSettings = Field(default_factory=CardSettings,
                               description="how the report cards are printed")

    @field_validator("precision")
    @classmethod
    def _power_of_ten(cls, v: Decimal) -> Decimal:
        if not (v > 0 and v.as_tuple().digits == (1,) and v.as_tuple().exponent <= 0):
            raise ValueError(f'must be "1", "0.1", "0.01" or another power of ten ≤ 1; got {v}')
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
    missing: list[Text] | None = Field(
        default=None, description="per_missing (input: missing): the elements missing")
    present: list[Text] | None = Field(
        default=None, description="per_missing (input: present): the elements present")
    count: int | None = Field(default=None, ge=0, description="per_occurrence")
    note: Text | None = Field(default=None, description="a note printed on the card")


class Claim(Strict):
    """One bonus or penalty claimed for a region, with what happened."""

    item: Text = Field(description="the bonus or penalty item's id")
    count: int = Field(default=1, ge=1, description="how many occurrences")
    note: Text | None = Field(default=None, description="what happened, printed on the card")


class VetoEvent(Strict):
    """A veto condition met by the region, and what happened."""

    condition: Text = Field(description="the veto condition's id")
    event: Text = Field(description="what happened, printed on the card and bulletin")


class Adjustment(Strict):
    """核查调整: on-site verification replaced the reported input of `item` with `input`."""

    item: Text = Field(description="the item's id")
    input: ItemInput = Field(description="the verified input")
    reason: Text = Field(description="why the input was changed")
    department: Text | None = Field(
        default=None, description="the verifying department that set this input, if one did")


class Verification(Strict):
    """A verifying department checked `item` and found the reported input right (核实无误)."""

    item: Text = Field(description="the item's id")
    department: Text = Field(description="the department that checked it")


def _quoted_code(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'must be the region code in quotes, e.g. "{value}"; got {value}')
    return value


class Assessment(Strict):
    """One region's assessment: reported inputs, claims, veto events, verification changes."""

    sample: bool = Field(default=False, description="true marks the region's card 示例数据")
    region: Annotated[str, BeforeValidator(_quoted_code)] = Field(
        description="the region code, as the file is named")
    items: dict[Text, ItemInput] = Field(description="item id → the input its method reads")
    bonuses: list[Claim] = Field(default_factory=list, description="bonus items claimed")
    penalties: list[Claim] = Field(default_factory=list, description="penalty items incurred")
    vetoes: list[VetoEvent] = Field(default_factory=list, description="veto conditions met")
    adjustments: list[Adjustment] = Field(
        default_factory=list, description="inputs replaced after verification (核查调整)")
    verified: list[Verification] = Field(
        default_factory=list, description="items a department checked and found as reported")

    @field_validator("region")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]{5}", v):
            raise ValueError(f"must be a six-digit GB/T 2260 code; got {v!r}")
        return v
