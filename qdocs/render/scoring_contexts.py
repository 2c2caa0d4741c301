"""Contexts of the scoring documents: annex 2 (the rules), one card per region, the bulletin.

Numbers reach the templates as text already rounded half-up to the scheme's
precision (`engine.display`), so every document prints the same figures and a
test can add up what a card prints.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from qdocs.content import Project
from qdocs.fonts import FALLBACK_FAMILY, PREFERENCES
from qdocs.profile import Profile
from qdocs.render.contexts import notice_parts
from qdocs.render.numbering import chinese_number, heading_number
from qdocs.scoring import describe
from qdocs.scoring.engine import display
from qdocs.scoring.methods import num


def scoring_annex(project: Project, results) -> dict[str, dict[str, Any]]:
    """附件2: the scheme as tables, its texts generated from the rules the engine reads.

    Every section number (一、 for blocks, then bonus, penalty and veto; （一） for categories)
    comes from the order of what the scheme has; optional filler left empty prints nothing.
    """
    rules = project.scoring
    section = iter(range(1, 100))

    def entry(it) -> dict[str, Any]:
        return {"id": it.id, "name": it.name, "points": num(it.points), "content": it.content,
                "method": describe.describe_item(it, rules.precision, rules.rounding.items),
                "evidence": list(it.evidence), "assessment": "、".join(it.assessment),
                "departments": "、".join(it.departments),
                "tasks": "、".join(chinese_number(t) for t in it.tasks)}

    blocks = []
    for block in rules.blocks:
        groups = []
        for c, (cat, items) in enumerate(block.groups(), start=1):
            groups.append({
                "number": heading_number(2, c) if cat else "", "name": cat.name if cat else None,
                "points": num(cat.points) if cat else "",
                "entries": [entry(it) for it in items]})
        blocks.append({"number": heading_number(1, next(section)), "name": block.name,
                       "points": num(block.points), "categories": groups})

    def claims(kind, sign):
        if kind is None:
            return None
        return {"number": heading_number(1, next(section)),
                "cap": describe.describe_cap(kind, sign), "entries": [
                    {"id": it.id, "name": it.name, "content": it.content,
                     "method": describe.describe_claim_item(it, sign),
                     "evidence": list(it.evidence), "departments": "、".join(it.departments)}
                    for it in kind.items]}

    bonus, penalty = claims(rules.bonus, "加"), claims(rules.penalty, "扣")
    veto = None
    if rules.veto is not None:
        veto = {"number": heading_number(1, next(section)),
                "text": describe.describe_veto(rules), "conditions": [
                    {"id": v.id, "name": v.name or "", "content": v.content,
                     "departments": "、".join(v.departments)} for v in rules.veto.conditions]}
    data = {
        "notice": rules.notice if rules.sample else None,
        "full_score": num(rules.full_score),
        "final": describe.describe_final(rules),
        "grades": describe.describe_grades(rules),
        "blocks": blocks, "bonus": bonus, "penalty": penalty, "veto": veto,
    }
    return {rules.id: {"kind": "scoring_rules", "title": rules.title, "data": data}}


def average_label(project: Project) -> str:
    """全市平均, 全国平均 … from the project's `scope`; 平均 alone without one."""
    return f"{project.settings.scope or ''}平均"


def cards_and_bulletin(project: Project, profile: Profile, results,
                       only: set[str] | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """(target name, template, context) for every region's card, then the bulletin
    (or only those named in `only`)."""
    regions = {r.code: r for r in project.regions.regions}
    p = results.precision
    ranked = sum(1 for r in results.regions if r.rank is not None)
    year = project.settings.year
    averages = results.averages
    out = []
    for result in results.regions:
        if only is not None and f"card-{result.code}" not in only:
            continue
        region = regions[result.code]
        # The title's phrases: a line breaks between them rather than inside one (7.3.1).
        phrases = [f"{year}年度", region.full_name, "质量工作", "考核结果报告单"]
        out.append((f"card-{region.code}", "card.html.j2", {
            "target": f"card-{region.code}",
            "doc_title": "".join(phrases), "title_phrases": phrases[2:],
            "card": _card(project, result, region, p, ranked, averages)}))
    if project.bulletin is not None and (only is None or "bulletin" in only):
        out.append(("bulletin", "bulletin.html.j2",
                    _bulletin(project, profile, results, regions)))
    return out


def _fmt(value: Decimal, precision: Decimal) -> str:
    return str(display(value, precision))


def _sections(*present: tuple[str, bool]) -> dict[str, str]:
    """The 一、 二、 … of a document's headings, numbered over the sections it has."""
    shown = [name for name, has in present if has]
    return {name: heading_number(1, k) for k, name in enumerate(shown, start=1)}


def _card(project, r, region, p, ranked: int, averages) -> dict[str, Any]:
    rules = project.scoring
    label = average_label(project)
    entries: dict[str, dict[str, Any]] = {}
    for it in r.items:
        entries[it.id] = {
            "id": it.id, "name": it.name, "points": num(it.points), "score": _fmt(it.score, p),
            "lost": _lost(it.points, it.score, p), "shown": it.shown, "reason": it.reason,
            "note": it.note or "", "adjusted": it.adjusted}
    cat_results = {c.id: c for c in r.categories}
    block_results = {b.id: b for b in r.blocks}
    blocks, comparison, labels, mine, avg = [], [], [], [], []
    for block in rules.blocks:
        groups = []
        for cat, items in block.groups():
            sub = cat_results[cat.id] if cat else block_results[block.id]
            groups.append({"name": cat.name if cat else None,
                           "entries": [entries[it.id] for it in items],
                           "points": num(sub.points), "score": _fmt(sub.score, p),
                           "lost": _lost(sub.points, sub.score, p)})
            a = averages.categories[cat.id] if cat else averages.blocks[block.id]
            comparison.append({"name": sub.name, "points": num(sub.points),
                               "score": _fmt(sub.score, p), "average": _fmt(a, p),
                               "diff": _signed(display(sub.score, p) - a)})
            labels.append(sub.name)
            mine.append(str(display(sub.score * 100 / Fraction(sub.points), Decimal("0.1"))))
            avg.append(str(display(a * 100 / sub.points, Decimal("0.1"))))
        sub = block_results[block.id]
        blocks.append({"name": block.name, "categories": groups, "points": num(sub.points),
                       "score": _fmt(sub.score, p), "lost": _lost(sub.points, sub.score, p)})

    def claims(c):
        if c.cap is None:
            return None
        return {"lines": [{"name": ln.name, "count": ln.count, "each": num(ln.each),
                           "raw": _fmt(ln.raw, p), "points": _fmt(ln.points, p),
                           "note": ln.note or ""} for ln in c.lines],
                "raw": _fmt(c.raw, p), "cap": num(c.cap), "total": _fmt(c.total, p),
                "capped": c.capped}

    chart = {"kind": "bar", "labels": labels, "max": "100",
             "series": [{"name": region.name, "values": mine},
                        {"name": label, "values": avg}]}
    bonus, penalty = claims(r.bonus), claims(r.penalty)
    return {
        "region": {"code": region.code, "name": region.name, "full_name": region.full_name,
                   "government": region.government},
        "year": project.settings.year,
        "full_score": num(rules.full_score),
        "final": _fmt(r.final, p), "base": _fmt(r.base, p),
        "grade": {"code": r.grade.code, "name": r.grade.name},
        "rank": r.rank, "ranked": ranked, "vetoed": r.vetoed,
        "vetoes": [{"name": v.name, "event": v.event} for v in r.vetoes],
        "veto_outcome": describe.describe_veto_outcome(rules),
        "average_label": label,
        "blocks": blocks,
        "bonus": bonus, "penalty": penalty,
        "adjustments": [{"item": a.item_name, "reported": a.reported, "verified": a.verified,
                         "reason": a.reason} for a in r.adjustments],
        "lost_items": [i for i in entries.values() if i["reason"]],
        "findings": _findings(r, p),
        "full_table": rules.card.full_table,
        "sections": _sections(("comparison", True), ("findings", True), ("detail", True)),
        "comparison": comparison,
        "average_final": _fmt(averages.final, p),
        "final_diff": _signed(display(r.final, p) - averages.final),
        "chart": {"json": json.dumps(chart, ensure_ascii=False, sort_keys=True),
                  "svg": chart_svg(chart), "caption": f"各类别得分率与{label}（%）"},
    }


def _findings(r, p) -> list[dict[str, str]]:
    """The points lost, one row each, the way a 反馈意见 lists them: every item below its
    full points (what was found, and what verification changed), then every deduction
    claimed against the region."""
    adjusted = {a.item_id: a for a in r.adjustments}
    out = []
    for it in r.items:
        if not it.lost:
            continue
        # The reason names what was found and what it cost; the cost has its own column.
        found = re.sub(r"，扣[0-9.]+分$", "", it.reason or it.shown)
        if it.id in adjusted:
            a = adjusted[it.id]
            found += f"（核查调整：自评{a.reported}，核查认定{a.verified}）"
        out.append({"name": it.name, "found": found, "lost": _lost(it.points, it.score, p)})
    for ln in r.penalty.lines:
        times = f"{ln.count}次"      # a claim's note is optional
        out.append({"name": f"扣分：{ln.name}",
                    "found": f"{ln.note}（{times}）" if ln.note else times,
                    "lost": _fmt(ln.points, p)})
    return out


def _lost(points: Decimal, score, p: Decimal) -> str:
    """Points lost as printed: the full points less the score as printed, so the two
    printed figures always add up to the item's points (10.28 + 4.72, never 4.73)."""
    return str(display(points, p) - display(score, p))


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _bulletin(project, profile, results, regions) -> dict[str, Any]:
    p = results.precision
    year = project.settings.year
    rules = project.scoring
    rows = []
    for code in results.ranking:
        r = results.by_code[code]
        rows.append({"rank": r.rank if r.rank is not None else "—",
                     "name": regions[code].name, "final": _fmt(r.final, p),
                     "grade": f"{r.grade.code}（{r.grade.name}）", "base": _fmt(r.base, p),
                     "bonus": _fmt(r.bonus.total, p), "penalty": _fmt(r.penalty.total, p),
                     "vetoed": r.vetoed})
    counts = [{"code": g.code, "name": g.name, "count": results.grade_counts[g.code]}
              for g in results.grades]
    vetoed = [{"name": regions[r.code].name, "events": "；".join(v.event for v in r.vetoes)}
              for r in results.regions if r.vetoed]
    b = project.bulletin
    return {
        "target": "bulletin", "doc_title": b.title,
        "notice": notice_parts(b, profile, annex_names=[]),
        "year": year, "rows": rows, "counts": counts, "vetoed": vetoed,
        "count": len(results.regions), "average_final": _fmt(results.averages.final, p),
        "average_label": average_label(project),
        "has_bonus": rules.bonus is not None, "has_penalty": rules.penalty is not None,
        "veto_outcome": describe.describe_veto_outcome(rules),
        "sections": _sections(("results", True), ("veto", rules.veto is not None),
                              ("closing", bool(b.closing))),
    }


def chart_svg(chart: dict[str, Any]) -> str:
    """The card's bar chart as SVG markup (vector in PDF and HTML); DOCX draws the same JSON.

    Geometry in user units of 0.1 mm, the type area 1560 wide.
    """
    from markupsafe import escape

    labels, series = chart["labels"], chart["series"]
    top = Decimal(chart["max"])
    # A bar band 1.6 mm, the bar 1.2 mm of it: slim enough for the card's two pages, and
    # thicker than 3 pt, which `qdocs check` takes for a rule (pdfmeasure.RULE_MAX_PT).
    width, label_w, value_w, bar, gap = 1560, 300, 140, 16, 5
    colours = ("#1F4E79", "#A6A6A6")
    legend = 40
    group = bar * len(series) + gap
    height = legend + group * len(labels) + 10
    span = width - label_w - value_w
    # The SVG is drawn apart from the page's CSS: it names the 仿宋 role's faces itself.
    family = ", ".join(f"'{name}'" for name, _ in PREFERENCES["fang"]) + f", '{FALLBACK_FAMILY}'"
    # Its size in mm too: with only a viewBox, the page breaker sees no height.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width / 10}mm" height="{height / 10}mm" '
             f'role="img" font-size="30" font-family="{family}">']
    for k, s in enumerate(series):
        x = label_w + k * 420
        parts.append(f'<rect x="{x}" y="6" width="24" height="24" fill="{colours[k]}"/>')
        parts.append(f'<text x="{x + 34}" y="28">{escape(s["name"])}</text>')
    for i, label in enumerate(labels):
        y0 = legend + i * group
        parts.append(f'<text x="{label_w - 12}" y="{y0 + bar + 8}" text-anchor="end">'
                     f'{escape(label)}</text>')
        for k, s in enumerate(series):
            value = Decimal(s["values"][i])
            w = int(span * min(value, top) / top)
            y = y0 + k * bar
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar - 4}" '
                         f'fill="{colours[k]}"/>')
            parts.append(f'<text x="{label_w + w + 8}" y="{y + bar - 4}" font-size="20">'
                         f'{value}</text>')
    parts.append(f'<line x1="{label_w}" y1="{legend - 6}" x2="{label_w}" '
                 f'y2="{height - 4}" stroke="#000" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
