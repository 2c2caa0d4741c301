"""The PDF checks of the foot of the document: page numbers (7.5) and the 版记 (7.4).

Page numbers count from 1 in each file; the 版记 page and a blank page before it
carry none. The 版记 stands on the last page, an even one, its last rule on the foot
of the type area, its first and last rules thicker than the ones between.
"""

from __future__ import annotations

import re

from qdocs.check.fontrules import font_roles
from qdocs.check.pdfink import InkReader
from qdocs.check.pdfparts import Parts, is_size
from qdocs.check.records import (
    FAIL,
    Check,
    fmt_num,
    mm,
    na,
    pages_text,
    unverified,
    verdict,
)
from qdocs.fonts import ROLE_NAMES
from qdocs.profile import Profile

POSITION_TOL_MM = 0.5   # horizontal place of the page number, 版记 indents, rule ends
HEIGHT_TOL_MM = 1.0     # the page number's dashes (the issue's ± 1 mm)
FOOT_TOL_MM = 0.5       # the 版记's last rule against the foot of the type area
RULE_TOL_MM = 0.05      # rule thickness


def foot_checks(parts: Parts, profile: Profile, ink: InkReader) -> list[Check]:
    """page_number.*, imprint.* and pages.no_waste"""
    return [*_page_numbers(parts, profile, ink), *_imprint(parts, profile),
            _wasted_pages(parts, profile)]


def _wasted_pages(parts: Parts, profile: Profile) -> Check:
    """No needless page: a blank page only right before a 版记 that could not stand at the
    foot of the last (even) text page, and no 版记 alone on a page when it fits there."""
    ta = profile.type_area
    gap = profile.imprint.min_space_above_mm * 72 / 25.4
    expected = ("no blank page but one before a 版记 that does not fit below the text of an "
                "even last page; the 版记 at the foot of that page when it fits")
    imp = parts.imprint
    allowed = {imp.page - 1} if imp is not None else set()
    problems = [f"blank page {p + 1}" for p in parts.blank_pages if p not in allowed]
    measured = f"{len(parts.geometry.pages)} pages, blank: " + (
        pages_text([p + 1 for p in parts.blank_pages]) if parts.blank_pages else "none")
    if imp is not None and imp.rules and _alone(parts, imp):
        text_page = imp.page - 1 - (imp.page - 1 in parts.blank_pages)
        bottom = _content_bottom(parts, text_page)
        height = imp.rules[-1].bottom - imp.rules[0].top
        room = (ta.top_mm + ta.height_mm) * 72 / 25.4 - bottom if bottom is not None else 0
        if (text_page + 1) % 2 == 0 and room - height >= gap:
            problems.append(f"the 版记 ({mm(height):.1f} mm) fits below the text of page "
                            f"{text_page + 1} ({mm(room):.1f} mm free) yet stands on page "
                            f"{imp.page + 1}")
        measured += f"; 版记 alone on page {imp.page + 1}"
    return Check("pages.no_waste", "7.4.1, 7.5", expected, measured, verdict(not problems),
                 "; ".join(problems))


def _alone(parts: Parts, imp) -> bool:
    """Whether the 版记 page holds nothing but the 版记."""
    return parts.imprint is imp and parts.imprint_alone()


def _content_bottom(parts: Parts, page: int) -> float | None:
    """The lowest ink of a page's text and rules, in pt from the top (None: nothing)."""
    bottoms = [s.em_bottom for s in parts.content.get(page, [])]
    bottoms += [b.bottom for b in parts.bands.get(page, [])]
    return max(bottoms) if bottoms else None


def unnumbered_pages(parts: Parts) -> set[int]:
    """7.5 read literally: only when a blank page stands before the 版记 page do both go
    unnumbered; a 版记 page that follows a text page is numbered."""
    if parts.imprint is None or parts.imprint.page - 1 not in parts.blank_pages:
        return set()
    return {parts.imprint.page, parts.imprint.page - 1}


def _number(parts: Parts, page: int):
    segs = parts.page_numbers.get(page, [])
    return segs[0] if segs else None


def _page_numbers(parts: Parts, profile: Profile, ink: InkReader) -> list[Check]:
    pn = profile.page_number
    ta = profile.type_area
    dash = re.escape(pn.dash)
    form = re.compile(rf"^{dash}\s?(\d+)\s?{dash}$")
    song = ROLE_NAMES[pn.role]
    exp_format = f"{pn.dash} N {pn.dash}, {fmt_num(pn.font_size_pt)} pt {song}, N = the page"
    inset = mm(pn.inset_chars * pn.font_size_pt)
    right_mm = ta.left_mm + ta.width_mm - inset
    left_mm = ta.left_mm + inset
    exp_side = (f"odd: right end at {right_mm:.1f} mm; even: left end at {left_mm:.1f} mm "
                f"± {POSITION_TOL_MM}")
    height_mm = ta.top_mm + ta.height_mm + pn.below_type_area_mm
    exp_height = (f"dashes' middle at {height_mm:.1f} mm ({fmt_num(pn.below_type_area_mm)} mm "
                  f"below the type area) ± {HEIGHT_TOL_MM}")
    skip = unnumbered_pages(parts)
    exp_presence = ("on every page but a blank page before the 版记 and that 版记 page "
                    "(7.5 read literally)")
    pages = [p.index for p in parts.geometry.pages]
    want = [p for p in pages if p not in skip]
    have = [p for p in pages if _number(parts, p) is not None]
    missing = [p for p in want if p not in have]
    extra = [p for p in have if p in skip]
    problems = []
    if missing:
        problems.append(f"none on pages {pages_text([p + 1 for p in missing])}")
    if extra:
        problems.append(f"a number on the 版记/blank pages {pages_text([p + 1 for p in extra])}")
    presence = Check("page_number.presence", "7.5", exp_presence,
                     f"{len(have)} of {len(pages)} pages numbered", verdict(not problems),
                     "; ".join(problems) or (f"unnumbered: {pages_text([p + 1 for p in skip])}"
                                             if skip else ""))
    numbered = [(p, _number(parts, p)) for p in have if p not in skip]
    if not numbered:
        return [unverified("page_number.format", "7.5", exp_format, "no page number found"),
                unverified("page_number.side", "7.5", exp_side, "no page number found"),
                unverified("page_number.height", "7.5", exp_height, "no page number found"),
                presence]
    bad_form, bad_side, bad_height, heights = [], [], [], []
    sides = {"odd": [], "even": []}
    for page, seg in numbered:
        match = form.match(seg.text)
        roles = [r for f in seg.fonts[:1] for r, _ in font_roles(f)]
        digits_ok = match is not None and match.group(1).isascii()
        if (not digits_ok or int(match.group(1)) != page + 1
                or not is_size(seg, pn.font_size_pt) or pn.role not in roles):
            bad_form.append(page + 1)
        if (page + 1) % 2:
            pos = mm(seg.x1)
            sides["odd"].append(pos)
            ok = abs(pos - right_mm) <= POSITION_TOL_MM
        else:
            pos = mm(seg.x0)
            sides["even"].append(pos)
            ok = abs(pos - left_mm) <= POSITION_TOL_MM
        if not ok:
            bad_side.append(page + 1)
        middle = _dash_middle(ink, page, seg)
        if middle is None or abs(mm(middle) - height_mm) > HEIGHT_TOL_MM:
            bad_height.append(page + 1)
        if middle is not None:
            heights.append(mm(middle))
    first = numbered[0][1]
    fmt = Check("page_number.format", "7.5", exp_format,
                f"{first.text}, {fmt_num(first.size)} pt {first.fonts[0]}", verdict(not bad_form),
                f"wrong on pages {pages_text(bad_form)}" if bad_form else
                f"{len(numbered)} pages")
    measured = "; ".join(f"{k}: {_span(v)} mm" for k, v in sides.items() if v)
    side = Check("page_number.side", "7.5", exp_side, measured, verdict(not bad_side),
                 f"wrong on pages {pages_text(bad_side)}" if bad_side else "")
    height = Check("page_number.height", "7.5", exp_height,
                   f"{_span(heights, 2)} mm" if heights else "no ink",
                   verdict(not bad_height),
                   f"wrong on pages {pages_text(bad_height)}" if bad_height
                   else "middle of the dash's ink")
    return [fmt, side, height, presence]


def _span(values: list[float], digits: int = 1) -> str:
    low, high = min(values), max(values)
    if round(low, digits) == round(high, digits):
        return f"{low:.{digits}f}"
    return f"{low:.{digits}f}–{high:.{digits}f}"


def _dash_middle(ink: InkReader, page: int, seg) -> float | None:
    """The vertical middle of the first dash's ink."""
    glyph = seg.glyphs[0]
    box = ink.ink_box(page, (glyph.x0, seg.em_top - seg.size / 2, glyph.x1,
                             seg.em_bottom + seg.size / 2))
    return None if box is None else (box[1] + box[3]) / 2


def _imprint(parts: Parts, profile: Profile) -> list[Check]:
    im = profile.imprint
    ta = profile.type_area
    foot_mm = ta.top_mm + ta.height_mm
    exp_page = "the last page, an even one"
    exp_foot = f"last rule's foot at {foot_mm:.1f} mm ± {FOOT_TOL_MM}"
    exp_rules = (f"first and last {fmt_num(im.outer_rule_mm)} mm, between "
                 f"{fmt_num(im.inner_rule_mm)} mm (± {RULE_TOL_MM}); {fmt_num(ta.width_mm)} mm "
                 f"long")
    inset = mm(im.indent_chars * im.font_size_pt)
    exp_indent = (f"抄送 and 印发机关 at {ta.left_mm + inset:.1f} mm, 印发日期 ending at "
                  f"{ta.left_mm + ta.width_mm - inset:.1f} mm ± {POSITION_TOL_MM}")
    names = [("imprint.page", "7.4.1, 7.5", exp_page), ("imprint.foot", "7.4.1", exp_foot),
             ("imprint.rules", "7.4.1", exp_rules), ("imprint.indent", "7.4.2, 7.4.3",
                                                     exp_indent)]
    if "imprint" not in parts.expected:
        return [na(r, c, e, f"{parts.kind}: no 版记") for r, c, e in names]
    imp = parts.imprint
    if imp is None:
        return [Check(r, c, e, "not found", FAIL, "the source has a 版记")
                for r, c, e in names]
    total = len(parts.geometry.pages)
    number = imp.page + 1
    page = Check("imprint.page", "7.4.1, 7.5", exp_page, f"page {number} of {total}",
                 verdict(number == total and number % 2 == 0))
    if not imp.rules:
        foot = Check("imprint.foot", "7.4.1", exp_foot, "no rules", FAIL)
        rules = Check("imprint.rules", "7.4.1", exp_rules, "no rules", FAIL)
    else:
        last = mm(imp.rules[-1].bottom)
        foot = Check("imprint.foot", "7.4.1", exp_foot, f"{last:.2f} mm",
                     verdict(abs(last - foot_mm) <= FOOT_TOL_MM))
        rules = _rules(imp.rules, profile)
    return [page, foot, rules, _indent(imp, profile, exp_indent)]


def _rules(bands, profile: Profile) -> Check:
    im = profile.imprint
    ta = profile.type_area
    want = [im.outer_rule_mm] + [im.inner_rule_mm] * (len(bands) - 2) + [im.outer_rule_mm]
    got = [mm(b.height) for b in bands]
    problems = []
    if len(bands) < 2:
        problems.append("fewer than two rules")
    elif any(abs(g - w) > RULE_TOL_MM for g, w in zip(got, want, strict=True)):
        problems.append("thickness")
    if any(abs(mm(b.x0) - ta.left_mm) > POSITION_TOL_MM
           or abs(mm(b.x1) - ta.left_mm - ta.width_mm) > POSITION_TOL_MM for b in bands):
        problems.append("not the width of the type area")
    lengths = {f"{mm(b.width):.1f}" for b in bands}
    measured = " / ".join(f"{g:.2f}" for g in got) + f" mm; {', '.join(sorted(lengths))} mm long"
    return Check("imprint.rules", "7.4.1", f"{_rules_expected(want)}; "
                 f"{fmt_num(ta.width_mm)} mm long", measured, verdict(not problems),
                 "; ".join(problems))


def _rules_expected(want: list[float]) -> str:
    return " / ".join(fmt_num(w) for w in want) + " mm"


def _indent(imp, profile: Profile, expected: str) -> Check:
    im = profile.imprint
    ta = profile.type_area
    inset = mm(im.indent_chars * im.font_size_pt)
    left, right = ta.left_mm + inset, ta.left_mm + ta.width_mm - inset
    cc = [s for s in imp.segments if s.text.startswith("抄送")]
    dates = [s for s in imp.segments if s.text.endswith("印发")]
    printer = [s for s in imp.segments if dates and abs(s.baseline - dates[-1].baseline) < 1
               and s is not dates[-1]]
    found, problems = [], []
    for name, segs, edge, target in (("抄送", cc, "x0", left), ("印发机关", printer, "x0", left),
                                     ("印发日期", dates, "x1", right)):
        if not segs:
            continue
        pos = mm(getattr(segs[0], edge))
        found.append(f"{name} {pos:.1f}")
        if abs(pos - target) > POSITION_TOL_MM:
            problems.append(name)
    if not found:
        return unverified("imprint.indent", "7.4.2, 7.4.3", expected, "no 抄送 or 印发 line")
    return Check("imprint.indent", "7.4.2, 7.4.3", expected, "; ".join(found) + " mm",
                 verdict(not problems), ("off: " + ", ".join(problems)) if problems else "")
