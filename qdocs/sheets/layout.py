"""The shape of a region's sheet, worked out from the scheme alone.

The same function lays the sheet out when it is written and when it is read
back, so a cell's meaning is never guessed from what the user left in it: row
12 is the second required element of item M1-1 because the scheme says so, and
the hidden key in column I must agree. Items are found by one walk of the
scheme (`scheme_items`), whatever its depth.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from qdocs.content.scoring_models import ClaimItem, Item, ScoringRules, VetoCondition
from qdocs.sheets.inputs import input_kind

SHEET = "考核表"
FIRST_ROW = 5            # rows 1–4: title, region/year/fingerprint, how to fill in, headers
HEADER_ROW = 4
# Columns of the region sheet; only E (填报值) and H (备注) take input.
COLUMNS = ("编号", "项目", "分值", "评分方法", "填报值", "填报要求", "佐证材料", "备注")
COL_ID, COL_NAME, COL_POINTS, COL_METHOD, COL_INPUT, COL_PROMPT, COL_EVIDENCE, COL_NOTE = (
    range(1, 9))
COL_KEY, COL_HASH = 9, 10   # hidden: the row's key and the item's fingerprint
WIDTHS = (7, 16, 6, 34, 11, 16, 22, 18)   # characters; A4 landscape fits about 135
READ_COLUMNS = "ADEHIJ"      # what sheets in reads: header, input, note, key, fingerprint
# Header cells (row 2): what they hold and where.
CELL_REGION, CELL_CODE, CELL_YEAR, CELL_FINGERPRINT = "B2", "D2", "F2", "H2"


def scheme_items(rules: ScoringRules) -> Iterator[Item]:
    """Every scored item, in the order annex 2 prints them, however deep the scheme nests."""
    def walk(node) -> Iterator[Item]:
        for child in getattr(node, "items", None) or ():
            yield child
        for key in ("blocks", "categories"):
            for child in getattr(node, key, None) or ():
                yield from walk(child)

    yield from walk(rules)


def item_fingerprint(item: Item) -> str:
    """What scores the item: id, points and method parameters (not its wording)."""
    return _hash({"id": item.id, "points": str(item.points),
                  "method": item.method.model_dump(mode="json")})


def claim_fingerprint(kind: str, item: ClaimItem) -> str:
    return _hash({"kind": kind, "id": item.id, "points": str(item.points),
                  "max": None if item.max is None else str(item.max)})


def scheme_fingerprint(rules: ScoringRules) -> str:
    """One short hash of everything that decides a score; a sheet carries it in its header."""
    return _cached(rules, "fingerprint", _scheme_fingerprint)


_CACHE: dict[tuple[int, str], tuple[ScoringRules, object]] = {}


def _cached(rules: ScoringRules, what: str, make):
    """`make(rules)` once per scheme object: thousands of sheets share one layout."""
    key = (id(rules), what)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not rules:
        if len(_CACHE) > 32:
            _CACHE.clear()
        hit = _CACHE[key] = (rules, make(rules))
    return hit[1]


def _scheme_fingerprint(rules: ScoringRules) -> str:
    # Whatever the scheme holds besides its wording and its lists of items — full score,
    # precision, grades, caps, rounding and veto policy — counts, whatever its fields are.
    wording = {"id", "notice", "sample", "title", "blocks", "bonus", "penalty", "veto"}
    parts: list = [rules.model_dump(mode="json", exclude=wording)]
    parts += [item_fingerprint(i) for i in scheme_items(rules)]
    for kind, claims in claim_groups(rules):
        parts += [kind, str(claims.cap)] + [claim_fingerprint(kind, c) for c in claims.items]
    if rules.veto is not None:
        parts.append(rules.veto.model_dump(mode="json", exclude={"conditions"}))
        parts += [f"veto:{v.id}" for v in veto_conditions(rules)]
    return _hash(parts)


def claim_groups(rules: ScoringRules) -> list[tuple[str, object]]:
    """("bonus", the bonus Claims) and ("penalty", …), for those the scheme has."""
    return [(kind, getattr(rules, kind)) for kind in ("bonus", "penalty")
            if getattr(rules, kind, None) is not None]


def veto_conditions(rules: ScoringRules) -> list[VetoCondition]:
    veto = getattr(rules, "veto", None)
    return list(veto.conditions) if veto is not None else []


def _hash(data) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Row:
    """One row of the region sheet: a section heading, an item's input row, a claim or a veto.

    `key` is written to the hidden column I and must be found there again on reading;
    `part` is the index of the row within its item (per_missing has one per element).
    """

    number: int
    key: str
    kind: str                    # section | item | bonus | penalty | veto
    item: Item | ClaimItem | VetoCondition | None = None
    part: int = 0
    parts: int = 1
    prompt: str = ""
    title: str = ""              # section rows: the heading text


def region_rows(rules: ScoringRules) -> list[Row]:
    """The rows of a region sheet from FIRST_ROW on, in order (the same list every call)."""
    return _cached(rules, "rows", _region_rows)


def _region_rows(rules: ScoringRules) -> list[Row]:
    from qdocs.scoring.describe import describe_cap, describe_veto

    rows: list[Row] = []

    def add(**kw) -> None:
        rows.append(Row(number=FIRST_ROW + len(rows), **kw))

    for item in scheme_items(rules):
        prompts = input_kind(item).prompts(item.method)
        for part, prompt in enumerate(prompts):
            key = item.id if part == 0 else f"{item.id}/{part + 1}"
            add(key=key, kind="item", item=item, part=part, parts=len(prompts), prompt=prompt)
    titles = {"bonus": ("加", "加分项"), "penalty": ("扣", "扣分项")}
    for kind, claims in claim_groups(rules):
        sign, title = titles[kind]
        cap = describe_cap(claims, sign).rstrip("。")
        add(key=f"{kind}:", kind="section",
            title=f"{title}（{cap}；填写次数或项数，无则留空或填0）")
        for c in claims.items:
            add(key=f"{kind}:{c.id}", kind=kind, item=c, prompt=f"整数≥0（{c.unit}）")
    if not veto_conditions(rules):
        return rows
    veto = describe_veto(rules).rstrip("。")
    add(key="veto:", kind="section", title=f"否决项（{veto}；有则填“是”）")
    for v in veto_conditions(rules):
        add(key=f"veto:{v.id}", kind="veto", item=v, prompt="是/否；选“是”须在备注写明事件")
    return rows
