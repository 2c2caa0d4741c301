"""`qdocs explain REGION [ITEM]`: how a score was reached, step by step, in the card's words.

Every line restates a figure the card or the bulletin prints, and the rule (from
describe.py, the same text annex 2 prints) that produced it, so a clerk can
answer "why 81.7 and not 81.8?" without reading code.
"""

from __future__ import annotations

from decimal import Decimal

from qdocs.content.numbers import num
from qdocs.errors import UsageError
from qdocs.scoring import describe
from qdocs.scoring.engine import display, exact_text


def find_region(project, key: str):
    """The region whose code or name is `key` (a clear message otherwise)."""
    for region in project.regions.regions:
        if key in (region.code, region.name, region.full_name):
            return region
    known = "、".join(f"{r.code} {r.name}" for r in project.regions.regions)
    raise UsageError(f"no region {key!r}; give a code or a name: {known}")


def explain(project, results, region_key: str, item_id: str | None = None) -> list[str]:
    """The lines `qdocs explain` prints for one region, or for one of its items."""
    rules = project.scoring
    region = find_region(project, region_key)
    r = results.region(region.code)
    p = results.precision
    items = {i.id: i for b in rules.blocks for _, group in b.groups() for i in group}
    if item_id is not None:
        if item_id not in items:
            raise UsageError(f"no item {item_id!r}; items: {', '.join(items)}")
        result = next(i for i in r.items if i.id == item_id)
        return [f"{region.name}（{region.code}）{item_id} {result.name}",
                *_item_lines(rules, items[item_id], result, p, results, indent="")]
    out = [f"{region.name}（{region.code}）{project.settings.year}年度考核得分的计算"]
    for block in rules.blocks:
        out.append(f"{block.name}（{num(block.points)}分）")
        for cat, group in block.groups():
            if cat is not None:
                out.append(f"  {cat.name}（{num(cat.points)}分）")
            for it in group:
                result = next(i for i in r.items if i.id == it.id)
                out += _item_lines(rules, it, result, p, results, indent="    ")
            if cat is not None:
                sub = next(c for c in r.categories if c.id == cat.id)
                out.append(f"  {cat.name}小计：{_fig(sub.score, p)}分，失分{_fig(sub.lost, p)}分")
        sub = next(b for b in r.blocks if b.id == block.id)
        out.append(f"{block.name}合计：{_fig(sub.score, p)}分，失分{_fig(sub.lost, p)}分")
    out.append(f"基本分：{_fig(r.base, p)}分（满分{num(rules.full_score)}分）")
    for claims, sign, word in ((r.bonus, "加", "加分"), (r.penalty, "扣", "扣分")):
        if claims.cap is None:
            continue
        for ln in claims.lines:
            line = f"{word}：{ln.id} {ln.name}，{ln.count}×{num(ln.each)}分＝{num(ln.raw)}分"
            if ln.capped:
                line += f"，本项最多{sign}{num(ln.points)}分"
            out.append(line + (f"（{ln.note}）" if ln.note else ""))
        total = f"{word}合计：{num(claims.raw)}分"
        if claims.capped:
            total += f"，上限{num(claims.cap)}分，超出部分不计，计{num(claims.total)}分"
        out.append(total)
    formula = f"最终得分：基本分{_fig(r.base, p)}分"
    if r.bonus.cap is not None:
        formula += f"＋加分{num(r.bonus.total)}分"
    if r.penalty.cap is not None:
        formula += f"－扣分{num(r.penalty.total)}分"
    out.append(f"{formula}＝{_exact(r.final)}分，四舍五入后公布为{r.final_display}分")
    out += _grade_and_rank(rules, results, r)
    return out


def _item_lines(rules, item, result, p, results, indent: str) -> list[str]:
    lines = [f"{indent}{item.id} {item.name}（{num(item.points)}分）：{result.shown}"
             + ("（核查调整）" if result.adjusted else "")]
    lines.append(f"{indent}  评分方法：{describe.describe_item(item, p, rules.rounding.items)}")
    if result.rank is not None:
        lines.append(f"{indent}  在{len(results.regions)}个地区中列第{result.rank}名")
    if result.reason:
        lines.append(f"{indent}  失分原因：{result.reason}")
    shown = _fig(result.score, p)
    text = f"{indent}  得分：{shown}分"
    if display(result.score, p) != result.score:
        text = f"{indent}  得分：{_exact(result.score)}分（显示为{shown}分）"
    lines.append(text + ("（满分）" if not result.lost else ""))
    return lines


def _grade_and_rank(rules, results, r) -> list[str]:
    basis = "公布的得分" if rules.basis == "published" else "未经四舍五入的得分"
    value = str(r.final_display) if rules.basis == "published" else _exact(r.final)
    if r.vetoed:
        events = "；".join(f"{v.name + '——' if v.name else ''}{v.event}" for v in r.vetoes)
        out = [f"否决：{events}", f"{describe.describe_veto_outcome(rules)}"]
    else:
        g = r.grade
        out = [f"等级：按{basis}{value}分，不低于{g.name}（{g.code}）的下限{num(g.min)}分，"
               f"定为{g.name}（{g.code}）"]
    ranked = sum(1 for x in results.regions if x.rank is not None)
    if r.rank is None:
        out.append("名次：不参加排名")
    else:
        ahead = r.rank - 1
        out.append(f"名次：按{basis}在{ranked}个参加排名的地区中，排在前面的有{ahead}个，"
                   f"列第{r.rank}名（得分相同的名次并列）")
    return out


def _exact(value) -> str:
    """245/3（≈81.6667）when the decimals do not end, else the exact decimal."""
    text = exact_text(value)
    if "/" in text:
        return f"{text}（≈{display(value, Decimal('0.0001'))}）"
    return text


def _fig(value, p) -> str:
    return str(display(value, p))
