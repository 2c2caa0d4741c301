"""The PDF checks of the 公文's parts: the masthead and red rule (版头), the 发文字号,
the 附件说明, 署名 and 成文日期, and the annex label and title.

A check applies when the document's source holds the part (see `pdfparts`); a part
the source has but the PDF lacks fails, a part the document kind never has is n/a.
"""

from __future__ import annotations

import re

from qdocs.check.fontrules import font_roles
from qdocs.check.pdfink import InkReader
from qdocs.check.pdfparts import Parts, hex_rgb, is_size
from qdocs.check.records import (
    FAIL,
    PT_PER_MM,
    Check,
    fmt_num,
    mm,
    na,
    verdict,
)
from qdocs.fonts import ROLE_NAMES
from qdocs.profile import Profile

POSITION_TOL_MM = 0.5   # horizontal places of parts (date, 附件, labels)
PLACE_TOL_MM = 1.0      # vertical places measured on ink (masthead, title line)
RULE_TOL_MM = 0.05      # thickness of rules
LINE_TOL = 0.1          # blank lines, in pitches

# 7.2.3: 机关代字〔年份〕序号号 — 六角括号, the year in full, no 第, no leading zero.
DOC_NUMBER_RE = re.compile(r"^(?P<org>[^〔〕\[\]【】（）()第]+)〔(?P<year>\d{4})〕"
                           r"(?P<serial>[1-9]\d*|×+)号$")
# 7.3.5.4 / 7.4.3: the year in full, month and day without a leading zero.
DATE_FORM_RE = re.compile(r"^(?P<y>\d{4})年(?P<m>[1-9]|1[0-2]|×{1,2})月"
                          r"(?P<d>[1-9]|[12]\d|3[01]|×{1,2})日(印发)?$")
ITEM_RE = re.compile(r"^(附件[：:])?\s*(\d+)[.．]\s*")


def part_checks(parts: Parts, profile: Profile, ink: InkReader) -> list[Check]:
    """Masthead, 发文字号, red rule, 附件说明, 署名/成文日期, annex label and title."""
    return [*_masthead(parts, profile, ink), _doc_number(parts), *_red_rule(parts, profile),
            *_attachments(parts, profile), *_signature(parts, profile), _dates(parts),
            *_annex(parts, profile)]


def _missing(rule: str, clause: str, expected: str, what: str) -> Check:
    return Check(rule, clause, expected, "not found", FAIL,
                 f"the source has {what}; the PDF shows none")


def _absent(parts: Parts, rule: str, clause: str, expected: str, what: str) -> Check:
    return na(rule, clause, expected, f"{parts.kind}: no {what}")


def _masthead(parts: Parts, profile: Profile, ink: InkReader) -> list[Check]:
    ta = profile.type_area
    top_mm = ta.top_mm + profile.masthead.top_below_type_area_mm
    exp_top = f"{top_mm:.1f} mm ({fmt_num(profile.masthead.top_below_type_area_mm)} mm " \
              f"below the type area) ± {PLACE_TOL_MM}"
    centre_mm = ta.left_mm + ta.width_mm / 2
    exp_centre = f"centred on {centre_mm:.1f} mm ± {POSITION_TOL_MM}"
    if "issuer-mark" not in parts.expected:
        return [_absent(parts, "masthead.top", "7.2.2", exp_top, "发文机关标志"),
                _absent(parts, "masthead.centred", "7.2.2", exp_centre, "发文机关标志")]
    if not parts.masthead:
        return [_missing("masthead.top", "7.2.2", exp_top, "发文机关标志 (no red mark)"),
                _missing("masthead.centred", "7.2.2", exp_centre, "发文机关标志")]
    first = parts.masthead[0]
    region = (0, first.em_top - first.size / 2, parts.geometry.pages[0].width,
              max(s.em_bottom for s in parts.masthead) + first.size / 4)
    box = ink.ink_box(0, region, hex_rgb(profile.masthead.color))
    if box is None:
        top = Check("masthead.top", "7.2.2", exp_top, "no ink", FAIL,
                    "the red glyphs draw nothing")
    else:
        ok = abs(mm(box[1]) - top_mm) <= PLACE_TOL_MM
        top = Check("masthead.top", "7.2.2", exp_top, f"{mm(box[1]):.2f} mm", verdict(ok),
                    f"top of the red ink; {mm(box[1]) - ta.top_mm:.2f} mm below the type "
                    f"area (the em box top is at {mm(first.em_top):.2f} mm)")
    centre = (min(s.x0 for s in parts.masthead) + max(s.x1 for s in parts.masthead)) / 2
    ok = abs(mm(centre) - centre_mm) <= POSITION_TOL_MM
    centred = Check("masthead.centred", "7.2.2", exp_centre, f"{mm(centre):.2f} mm",
                    verdict(ok), f"{first.text}, {fmt_num(first.size)} pt")
    return [top, centred]


def _doc_number(parts: Parts) -> Check:
    expected = "机关代字〔2020〕N号: 六角括号, no 第, no leading zero"
    if "doc-number" not in parts.expected:
        return _absent(parts, "doc_number.form", "7.2.3", expected, "发文字号")
    if parts.doc_number is None:
        return _missing("doc_number.form", "7.2.3", expected, "发文字号")
    text = parts.doc_number.text.replace(" ", "")
    ok = DOC_NUMBER_RE.match(text) is not None
    detail = "serial is a placeholder" if ok and "×" in text else ""
    if not ok:
        detail = _doc_number_problem(text)
    return Check("doc_number.form", "7.2.3", expected, text, verdict(ok), detail)


def _doc_number_problem(text: str) -> str:
    if "〔" not in text:
        return "the year is not in 六角括号 〔〕"
    if "第" in text:
        return "a 第 before the serial"
    if re.search(r"〕0", text):
        return "a leading zero in the serial"
    if not re.search(r"〔\d{4}〕", text):
        return "the year is not given in full"
    return "not 机关代字〔年份〕序号号"


def _red_rule(parts: Parts, profile: Profile) -> list[Check]:
    ta = profile.type_area
    exp_width = f"{ta.left_mm:.1f}–{ta.left_mm + ta.width_mm:.1f} mm ± {POSITION_TOL_MM}"
    exp_place = f"{fmt_num(profile.red_rule.below_doc_number_mm)} mm below the 发文字号 " \
                f"± {POSITION_TOL_MM}"
    exp_thick = f"{fmt_num(profile.red_rule.thickness_mm)} mm ± {RULE_TOL_MM}"
    rules = [("red_rule.width", exp_width), ("red_rule.place", exp_place),
             ("red_rule.thickness", exp_thick)]
    if "red-rule" not in parts.expected:
        return [_absent(parts, r, "7.2.5", e, "red rule") for r, e in rules]
    rule = parts.red_rule
    if rule is None:
        return [_missing(r, "7.2.5", e, "red rule") for r, e in rules]
    x0, x1 = mm(rule.x0), mm(rule.x1)
    ok = (abs(x0 - ta.left_mm) <= POSITION_TOL_MM
          and abs(x1 - ta.left_mm - ta.width_mm) <= POSITION_TOL_MM)
    width = Check("red_rule.width", "7.2.5", exp_width, f"{x0:.1f}–{x1:.1f} mm", verdict(ok),
                  f"{x1 - x0:.1f} mm long")
    if parts.doc_number is None:
        place = _missing("red_rule.place", "7.2.5", exp_place, "发文字号 above the rule")
    else:
        gap = mm(rule.top - parts.doc_number.em_bottom)
        ok = abs(gap - profile.red_rule.below_doc_number_mm) <= POSITION_TOL_MM
        place = Check("red_rule.place", "7.2.5", exp_place, f"{gap:.2f} mm", verdict(ok),
                      "from the foot of the 发文字号's em box to the top of the rule")
    thick = mm(rule.height)
    ok = abs(thick - profile.red_rule.thickness_mm) <= RULE_TOL_MM
    thickness = Check("red_rule.thickness", "7.2.5 (推荐)", exp_thick, f"{thick:.2f} mm",
                      verdict(ok))
    return [width, place, thickness]


def _attachments(parts: Parts, profile: Profile) -> list[Check]:
    char = profile.char_pt
    ta = profile.type_area
    indent_mm = ta.left_mm + mm(profile.attachments.indent_chars * char)
    exp_place = (f"附件 at {indent_mm:.1f} mm ({profile.attachments.indent_chars} characters "
                 f"in) ± {POSITION_TOL_MM}; {profile.attachments.blank_lines_before} blank "
                 f"line below the text")
    exp_align = "numbers at one x; names and wrapped lines at one x; no blank lines"
    exp_number = "1. 2. … in order for several; no number for one"
    names = [("attachments.place", exp_place), ("attachments.align", exp_align),
             ("attachments.numbering", exp_number)]
    if "attachments" not in parts.expected:
        return [_absent(parts, r, "7.3.4", e, "附件说明") for r, e in names]
    block = parts.attachments
    if not block:
        return [_missing(r, "7.3.4", e, "附件说明") for r, e in names]
    first = block[0]
    order = parts.reading_order()
    above = order[order.index(first) - 1] if order.index(first) > 0 else None
    x_ok = abs(mm(first.x0) - indent_mm) <= POSITION_TOL_MM
    measured = f"{mm(first.x0):.1f} mm"
    problems = [] if x_ok else ["附件 not two characters in"]
    if above is not None and above.page == first.page:
        blank = (first.baseline - above.baseline) / profile.body.line_pitch_pt - 1
        measured += f"; {fmt_num(blank, 1)} blank lines"
        if abs(blank - profile.attachments.blank_lines_before) > LINE_TOL:
            problems.append("not one blank line below the text")
    place = Check("attachments.place", "7.3.4", exp_place, measured, verdict(not problems),
                  "; ".join(problems))
    numbers, names_x, wrapped = [], [], []
    for seg in block:
        match = ITEM_RE.match(seg.text)
        if match:
            numbers.append((int(match.group(2)), seg.glyphs[match.start(2)].x0))
            names_x.append(_x_at(seg, match.end()))
        elif seg is first:
            names_x.append(_x_at(seg, len("附件：")))
        else:
            wrapped.append(seg.x0)
    xs = names_x + wrapped
    spread = mm(max(xs) - min(xs)) if xs else 0.0
    num_spread = mm(max(x for _, x in numbers) - min(x for _, x in numbers)) if numbers else 0
    pitch = profile.body.line_pitch_pt
    blanks = sum(1 for a, b in zip(block, block[1:], strict=False)
                 if a.page == b.page and (b.baseline - a.baseline) / pitch - 1 > LINE_TOL)
    ok = spread <= POSITION_TOL_MM and num_spread <= POSITION_TOL_MM and not blanks
    measured = f"names {fmt_num(spread, 2)} mm apart, numbers {fmt_num(num_spread, 2)} mm"
    if blanks:
        measured += f"; {blanks} blank line{'s' if blanks > 1 else ''} inside"
    align = Check("attachments.align", "7.3.4", exp_align, measured, verdict(ok),
                  f"{len(names_x)} items, {len(wrapped)} wrapped lines")
    seen = [n for n, _ in numbers]
    items = len(names_x)
    ok = seen == list(range(1, items + 1)) if items > 1 else not seen
    numbering = Check("attachments.numbering", "7.3.4", exp_number,
                      ", ".join(f"{n}." for n in seen) or "none", verdict(ok),
                      f"{items} item{'s' if items != 1 else ''}")
    return [place, align, numbering]


def _x_at(seg, index: int) -> float:
    """The left edge of the glyph at `index` of the segment's text (its end if none)."""
    return seg.glyphs[index].x0 if index < len(seg.glyphs) else seg.x1


def _signature(parts: Parts, profile: Profile) -> list[Check]:
    ta = profile.type_area
    char = profile.char_pt
    right_mm = ta.left_mm + ta.width_mm - mm(profile.signature.date_right_chars * char)
    exp_date = (f"right end at {right_mm:.1f} mm ({profile.signature.date_right_chars} "
                f"characters in) ± {POSITION_TOL_MM}")
    exp_centre = f"署名 centred over the 成文日期 ± {POSITION_TOL_MM}"
    exp_page = (f"on the page of the text above, {profile.signature.blank_lines_before} "
                f"blank lines below it")
    names = [("signature.date_right", exp_date), ("signature.centred", exp_centre),
             ("signature.place", exp_page)]
    if "date" not in parts.expected:
        return [_absent(parts, r, "7.3.5.1", e, "成文日期") for r, e in names]
    date, sig = parts.date, parts.signature
    if date is None or sig is None:
        return [_missing(r, "7.3.5.1", e, "署名 and 成文日期") for r, e in names]
    ok = abs(mm(date.x1) - right_mm) <= POSITION_TOL_MM
    in_chars = (ta.left_mm + ta.width_mm - mm(date.x1)) / mm(char)
    right = Check("signature.date_right", "7.3.5.1", exp_date,
                  f"{mm(date.x1):.1f} mm ({fmt_num(in_chars, 2)} characters in)", verdict(ok),
                  date.text)
    off = mm((sig.x0 + sig.x1) / 2 - (date.x0 + date.x1) / 2)
    centred = Check("signature.centred", "7.3.5.1", exp_centre, f"{off:+.2f} mm off centre",
                    verdict(abs(off) <= POSITION_TOL_MM), sig.text)
    above = parts.text_above_signature
    if above is None:
        place = _missing("signature.place", "7.3.5.1, 7.3.5.5", exp_page, "text above the 署名")
    elif above.page != sig.page:
        place = Check("signature.place", "7.3.5.1, 7.3.5.5", exp_page,
                      f"署名 on page {sig.page + 1}, the text ends on page {above.page + 1}",
                      FAIL, "the seal must stand within a line of the text above it")
    else:
        blank = (sig.baseline - above.baseline) / profile.body.line_pitch_pt - 1
        ok = abs(blank - profile.signature.blank_lines_before) <= LINE_TOL
        place = Check("signature.place", "7.3.5.1, 7.3.5.5", exp_page,
                      f"page {sig.page + 1}, {fmt_num(blank, 1)} blank lines", verdict(ok))
    return [right, centred, place]


def _dates(parts: Parts) -> Check:
    expected = "2020年7月1日: Arabic numerals, year in full, no leading zeros"
    texts = []
    if "date" in parts.expected and parts.date is not None:
        texts.append(parts.date.text)
    if "imprint" in parts.expected and parts.imprint is not None:
        texts += [s.text for s in parts.imprint.segments if s.text.endswith("印发")]
    if not texts:
        if {"date", "imprint"} & parts.expected:
            return _missing("date.form", "7.3.5.4, 7.4.3", expected, "dates")
        return _absent(parts, "date.form", "7.3.5.4, 7.4.3", expected, "dates")
    bad = [t for t in texts if not DATE_FORM_RE.match(t.replace(" ", ""))]
    detail = "placeholders ×" if not bad and any("×" in t for t in texts) else ""
    if bad:
        detail = "not in the standard's form: " + ", ".join(bad)
    return Check("date.form", "7.3.5.4, 7.4.3", expected, "; ".join(texts),
                 verdict(not bad), detail)


def _annex(parts: Parts, profile: Profile) -> list[Check]:
    ta = profile.type_area
    pitch = profile.body.line_pitch_pt
    centre_mm = ta.left_mm + ta.width_mm / 2
    hei = ROLE_NAMES[profile.annex.label_role]
    exp_label = (f"附件N, {fmt_num(profile.body.font_size_pt)} pt {hei}, line 1 at "
                 f"{ta.left_mm:.1f} mm ± {POSITION_TOL_MM}")
    exp_title = (f"{fmt_num(profile.title.font_size_pt)} pt, centred on {centre_mm:.1f} mm "
                 f"± {PLACE_TOL_MM}, first line on line {profile.annex.title_line}")
    if "annex-label" not in parts.expected:
        return [_absent(parts, "annex.label", "7.3.7", exp_label, "annexes"),
                _absent(parts, "annex.title", "7.3.7", exp_title, "annexes")]
    if not parts.annexes:
        return [_missing("annex.label", "7.3.7", exp_label, "an annex (附件N)"),
                _missing("annex.title", "7.3.7", exp_title, "an annex title")]
    top = ta.top_mm * PT_PER_MM

    def line_of(seg) -> int:
        return int((seg.em_middle - top) // pitch) + 1

    labels, label_bad, titles, title_bad = [], [], [], []
    for annex in parts.annexes:
        lab = annex.label
        roles = [r for f in lab.fonts[:1] for r, _ in font_roles(f)]
        ok = (abs(mm(lab.x0) - ta.left_mm) <= POSITION_TOL_MM and line_of(lab) == 1
              and is_size(lab, profile.body.font_size_pt)
              and profile.annex.label_role in roles)
        labels.append(f"{lab.text}: {mm(lab.x0):.1f} mm, line {line_of(lab)}, {lab.fonts[0]}")
        if not ok:
            label_bad.append(lab.text)
        if not annex.title:
            titles.append(f"{lab.text}: no title")
            title_bad.append(lab.text)
            continue
        offs = [mm((s.x0 + s.x1) / 2) - centre_mm for s in annex.title]
        worst = max(offs, key=abs)
        first_line = line_of(annex.title[0])
        ok = (abs(worst) <= PLACE_TOL_MM and first_line == profile.annex.title_line
              and all(is_size(s, profile.title.font_size_pt) for s in annex.title))
        titles.append(f"{lab.text}: line {first_line}, {worst:+.2f} mm off centre")
        if not ok:
            title_bad.append(lab.text)
    label = Check("annex.label", "7.3.7", exp_label, "; ".join(labels), verdict(not label_bad),
                  ("wrong: " + ", ".join(label_bad)) if label_bad else "")
    title = Check("annex.title", "7.3.7", exp_title, "; ".join(titles), verdict(not title_bad),
                  ("wrong: " + ", ".join(title_bad)) if title_bad else "")
    return [label, title]
