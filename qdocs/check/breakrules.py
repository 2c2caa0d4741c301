"""Page breaks a reader rejects: a table's group heading row, or a heading, alone at the
foot of a page, cut off from the rows or text it heads.

GB/T 9704 says nothing of it in words; it is what "keep with next" is for, and the issue's
finding 4 (LibreOffice's rendering of the DOCX left （一）产品质量… alone on three pages).
A group heading row is a table row with one cell across the table (no vertical rule
inside it); a heading is a line of 黑体 or 楷体 starting with 一、 or （一）.
"""

from __future__ import annotations

import re

from qdocs.check.fontrules import font_roles
from qdocs.check.pdfparts import Parts, is_size
from qdocs.check.records import Check, pages_text, verdict
from qdocs.profile import Profile

HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
SAME_PT = 1.0  # rules this close are one rule (a border drawn per cell)


def break_checks(parts: Parts, profile: Profile) -> list[Check]:
    """pages.group_row_foot and pages.heading_foot"""
    pages = [p.index for p in parts.geometry.pages]
    rows, heads = [], []
    for page in pages[:-1]:      # the last page has nothing after it to be cut from
        if _group_row_last(parts, page):
            rows.append(page + 1)
        if _heading_last(parts, profile, page):
            heads.append(page + 1)
    row = Check("pages.group_row_foot", "8", "no group heading row (one cell across the "
                "table) as the last row of a page", f"on pages {pages_text(rows)}" if rows
                else "none", verdict(not rows))
    head = Check("pages.heading_foot", "7.3.3", "no 一、 or （一） heading as the last line "
                 "of a page", f"on pages {pages_text(heads)}" if heads else "none",
                 verdict(not heads))
    return [row, head]


def _group_row_last(parts: Parts, page: int) -> bool:
    bands = parts.bands.get(page, [])
    for x0, top, x1, bottom in parts.tables.get(page, []):
        inside = [b for b in bands if b.x0 >= x0 - 2 and b.x1 <= x1 + 2
                  and top - 2 <= b.top <= bottom + 2]
        ys = sorted({round(b.top) for b in inside if b.is_hrule})
        lines = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > SAME_PT]
        if len(lines) < 2:
            continue
        mid = (lines[-2] + lines[-1]) / 2
        crossing = [b for b in inside if b.is_vrule and b.top < mid < b.bottom]
        if len(crossing) <= 2:
            return True
    return False


def _heading_last(parts: Parts, profile: Profile, page: int) -> bool:
    lines = list(parts.content.get(page, []))
    if parts.imprint is not None:
        lines = [s for s in lines if s not in parts.imprint.segments]
    if not lines or not parts.content.get(page + 1):
        return False
    last = max(lines, key=lambda s: s.baseline)
    if parts.in_table(last) or any(b.top > last.baseline for b in parts.bands.get(page, [])):
        return False   # a table (or its rules) follows the heading on its page
    if not is_size(last, profile.body.font_size_pt) or not HEADING_RE.match(last.text):
        return False
    roles = {r for f in last.fonts for r, _ in font_roles(f)}
    return bool(roles) and roles <= {"hei", "kai"}
