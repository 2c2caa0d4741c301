"""The PDF checks of the page and the running text: page size, type area, body size,
line pitch, lines per page, characters per full line and the flush right edge.

Each check compares a measurement of the file with a number of the profile (the one
place a layout number lives); the tolerances below are the checker's own and named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qdocs.check.pdfmeasure import Segment
from qdocs.check.pdfparts import (
    NEXT_LINE_PITCHES,
    Parts,
    body_lines_by_page,
    is_size,
)
from qdocs.check.records import (
    FAIL,
    NOT_VERIFIED,
    PT_PER_MM,
    Check,
    fmt_mm,
    fmt_num,
    mm,
    na,
    pages_text,
    unverified,
    verdict,
)
from qdocs.profile import Profile

PAGE_TOL_MM = 0.5      # paper size
EDGE_TOL_MM = 1.0      # type-area edges (the issue's ± 1 mm)
SIZE_TOL_PT = 0.1      # font sizes
PITCH_TOL_PT = 0.1     # line pitch
FLUSH_TOL_MM = 0.5     # a full line's last character against the right edge
CHARS_EPS = 0.05       # advance widths are stored to 1/1000 em

# GB/T 15834 and JLREQ line-breaking rules: marks that may not start a line (避头) and
# marks that may not end one (避尾). They bind to their neighbour, so the first
# unbreakable unit of a line can be wider than one character ("作。", "《2020").
NO_LINE_START = set("，。、；：？！）］｝〕〉》」』】〗’”…—·%‰～,.;:?!)]}")
NO_LINE_END = set("（［｛〔〈《「『【〖‘“([{")


def page_checks(parts: Parts, profile: Profile) -> list[Check]:
    """Page size and the four edges of the type area."""
    return [_page_size(parts, profile), *_type_area(parts, profile)]


def text_checks(parts: Parts, profile: Profile, *, office_rendering: bool = False,
                remedy: bool = False) -> list[Check]:
    """Body size, line pitch, lines per page, characters per full line, flush right.

    In LibreOffice's rendering of a DOCX the characters per line are not the DOCX's:
    LibreOffice breaks Chinese at dictionary words and spaces CJK from digits whatever
    the file says (w:autoSpaceDN off), where Word and WPS break between any two
    characters. That check is then "not verified", never "pass"; flush right still counts.

    `remedy`: the source applied the 7.3.5.1 remedy (data-tight): lines may be as close as
    the profile's remedy pitch and hold up to its remedy characters a line.
    """
    full = full_lines(parts, profile)
    checks = [_body_size(parts, profile), _line_pitch(parts, profile, remedy),
              _lines_per_page(parts, profile),
              *_full_line_checks(parts, profile, full, remedy)]
    if office_rendering:
        checks = [_not_verified_in_office(c) if c.rule == "body.chars_per_line" else c
                  for c in checks]
    return checks


def _not_verified_in_office(check: Check) -> Check:
    if check.status != FAIL:
        return check
    return Check(check.rule, check.clause, check.expected, check.measured, NOT_VERIFIED,
                 "LibreOffice breaks Chinese lines at dictionary words (Word does not): "
                 + check.detail)


def _page_size(parts: Parts, profile: Profile) -> Check:
    expected = f"{fmt_num(profile.page.width_mm)} × {fmt_num(profile.page.height_mm)} mm"
    sizes = Counter((round(mm(p.width), 1), round(mm(p.height), 1))
                    for p in parts.geometry.pages)
    if not sizes:
        return unverified("page.size", "5.1", expected, "the file has no pages")
    bad = [p.index + 1 for p in parts.geometry.pages
           if abs(mm(p.width) - profile.page.width_mm) > PAGE_TOL_MM
           or abs(mm(p.height) - profile.page.height_mm) > PAGE_TOL_MM]
    measured = "; ".join(f"{w:.1f} × {h:.1f} mm" for (w, h), _ in sizes.most_common())
    detail = f"pages {pages_text(bad)} differ" if bad else f"all {len(parts.geometry.pages)} pages"
    return Check("page.size", "5.1", f"{expected} ± {PAGE_TOL_MM}", measured,
                 verdict(not bad), detail)


def _boxes(parts: Parts, profile: Profile, page: int) -> list[tuple[float, ...]]:
    """(left, top, right, bottom) of everything drawn in a page's type area, the page
    number and the sample mark excepted: a line of text at or above the body size its
    line box (its em box centred in the line pitch, or in its own size when larger:
    a title on the grid, the masthead), smaller text (tables, a chart's labels) its em
    box; rules and pictures as drawn."""
    pitch = profile.body.line_pitch_pt
    boxes = []
    for seg in parts.content[page]:
        if seg.size >= profile.body.font_size_pt - SIZE_TOL_PT and not parts.in_table(seg):
            half = max(pitch, seg.size) / 2
            top, bottom = seg.em_middle - half, seg.em_middle + half
        else:
            top, bottom = seg.em_top, seg.em_bottom
        boxes.append((seg.x0, top, seg.x1, bottom))
    boxes += [(b.x0, b.top, b.x1, b.bottom) for b in parts.bands[page]]
    boxes += [(b.x0, b.top, b.x1, b.bottom) for b in parts.pictures.get(page, [])]
    return boxes


def _extents(parts: Parts, profile: Profile):
    """Per page with ink: the (left, top, right, bottom) of all of it (see _boxes)."""
    out = {}
    for page in parts.geometry.pages:
        boxes = _boxes(parts, profile, page.index)
        if boxes:
            out[page.index] = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                               max(b[2] for b in boxes), max(b[3] for b in boxes))
    return out


def _must_open_at_top(parts: Parts, page: int) -> bool:
    """Every page's first ink is at the top of the type area (5.2.1), except the first
    page of a document with a 发文机关标志 (7.2.2 places it 35 mm lower) and a page that
    holds the 版记 alone (7.4.1 places it at the foot)."""
    if page == 0 and parts.masthead:
        return False
    return not (parts.imprint is not None and parts.imprint.page == page
                and parts.imprint_alone())


def _type_area(parts: Parts, profile: Profile) -> list[Check]:
    ta = profile.type_area
    # side: (expected mm, index in an extent box (left, top, right, bottom))
    edges = {"left": (ta.left_mm, 0), "right": (ta.left_mm + ta.width_mm, 2),
             "bottom": (ta.top_mm + ta.height_mm, 3)}
    extents = _extents(parts, profile)
    must_fill = bool(full_pages(parts, profile)) or parts.imprint is not None
    checks = []
    for side, (expected_mm, i) in edges.items():
        expected = f"{expected_mm:.1f} mm ± {EDGE_TOL_MM}"
        rule = f"type_area.{side}"
        if not extents:
            checks.append(unverified(rule, "5.2.1", expected, "nothing is drawn"))
            continue
        values = {page: box[i] for page, box in extents.items()}
        pick = min if side == "left" else max
        page = pick(values, key=lambda p: values[p])
        measured = mm(values[page])
        ok = abs(measured - expected_mm) <= EDGE_TOL_MM
        beyond = (measured < expected_mm) == (side == "left")
        if ok:
            detail = f"page {page + 1}"
        elif beyond:
            detail = f"content beyond the edge on page {page + 1}"
        elif side == "bottom" and not must_fill:
            # Tables break by rows and the last page ends where the text ends: only a
            # page the running text fills, or the 版记, must reach the foot.
            ok = True
            detail = f"within; no page must reach the foot (lowest: page {page + 1})"
        else:
            detail = f"no page reaches the edge (nearest: page {page + 1})"
        checks.append(Check(rule, "5.2.1", expected, f"{measured:.1f} mm", verdict(ok), detail))
    checks.insert(2, _top(parts, profile, extents))
    return checks


def _top(parts: Parts, profile: Profile, extents) -> Check:
    """type_area.top: no ink above the type area, and every page that must (see
    _must_open_at_top) opens at its top: its first line box, rule or picture."""
    expected_mm = profile.type_area.top_mm
    expected = f"{expected_mm:.1f} mm ± {EDGE_TOL_MM}"
    if not extents:
        return unverified("type_area.top", "5.2.1", expected, "nothing is drawn")
    tops = {page: mm(box[1]) for page, box in extents.items()}
    high = min(tops, key=lambda p: tops[p])
    opening = {p: t for p, t in tops.items() if _must_open_at_top(parts, p)}
    low = [p for p, t in sorted(opening.items()) if t - expected_mm > EDGE_TOL_MM]
    if expected_mm - tops[high] > EDGE_TOL_MM:
        measured, ok, detail = tops[high], False, f"content beyond the edge on page {high + 1}"
    elif low:
        measured, ok = opening[low[0]], False
        detail = "below the top: " + ", ".join(f"page {p + 1} opens at {opening[p]:.1f} mm"
                                               for p in low)
    elif not opening:
        # one page under a 发文机关标志 (masthead.top places it), perhaps a 版记 page
        measured, ok = tops[high], True
        detail = "no page must open at the top (a 发文机关标志 page, the 版记 alone)"
    else:
        lowest = max(opening, key=lambda p: opening[p])
        measured, ok = opening[lowest], True
        detail = f"every page opens at the top (lowest: page {lowest + 1})"
    return Check("type_area.top", "5.2.1", expected, f"{measured:.1f} mm", verdict(ok), detail)


def _title_like(parts: Parts) -> set[int]:
    """Segments that are not body text by role: masthead, titles, labels, 版记."""
    ids = {id(s) for s in parts.masthead}
    for annex in parts.annexes:
        ids.update(id(s) for s in annex.title)
    if parts.imprint is not None:
        ids.update(id(s) for s in parts.imprint.segments)
    if parts.red_rule is not None:
        after = [s for s in parts.content.get(0, []) if s.baseline > parts.red_rule.bottom]
        if after:
            size = after[0].size
            for seg in after:
                if seg.size != size:
                    break
                ids.add(id(seg))          # the 标题 under the red rule
    return ids


def _body_size(parts: Parts, profile: Profile) -> Check:
    expected = f"{fmt_num(profile.body.font_size_pt)} pt (3号)"
    skip = _title_like(parts)
    sizes: Counter = Counter()
    for seg in parts.reading_order():
        if id(seg) not in skip and not parts.in_table(seg):
            sizes.update(round(g.size, 1) for g in seg.glyphs if g.text.strip())
    if not sizes:
        return na("body.size", "5.2.2", expected, "no text outside tables")
    size, count = sizes.most_common(1)[0]
    share = count / sum(sizes.values())
    ok = abs(size - profile.body.font_size_pt) <= SIZE_TOL_PT
    return Check("body.size", "5.2.2", expected, f"{fmt_num(size)} pt", verdict(ok),
                 f"{share:.0%} of the text outside titles and tables")


def _line_pitch(parts: Parts, profile: Profile, remedy: bool = False) -> Check:
    pitch = profile.body.line_pitch_pt
    low_ok = profile.remedy_line_pitch_pt if remedy else pitch
    expected = f"{fmt_num(pitch)} pt ± {PITCH_TOL_PT}" + (
        f"; down to {fmt_num(low_ok)} pt where the 7.3.5.1 remedy tightened the text"
        if remedy else "")
    gaps = []
    for page, lines in body_lines_by_page(parts, profile).items():
        first = {}
        for seg in sorted(lines, key=lambda s: (s.baseline, s.x0)):
            first.setdefault(round(seg.baseline, 2), seg)
        baselines = sorted(first)
        for a, b in zip(baselines, baselines[1:], strict=False):
            if b - a < NEXT_LINE_PITCHES * pitch:
                gaps.append((b - a, page, first[b]))
    if not gaps:
        return na("body.line_pitch", "5.2.3", expected, "no two consecutive body lines")
    def off(gap: float) -> float:
        return 0.0 if low_ok - PITCH_TOL_PT <= gap <= pitch + PITCH_TOL_PT else abs(gap - pitch)

    worst = max(gaps, key=lambda g: off(g[0]))
    low, high = min(g[0] for g in gaps), max(g[0] for g in gaps)
    ok = off(worst[0]) == 0.0
    measured = f"{low:.2f} pt" if high - low < 0.005 else f"{low:.2f}–{high:.2f} pt"
    detail = f"{len(gaps)} line gaps" + (
        "" if ok else f"; worst {worst[0]:.2f} pt on page {worst[1] + 1}, above "
                      f"{_quote(worst[2].text)}")
    return Check("body.line_pitch", "5.2.3", expected, measured, verdict(ok), detail)


def full_pages(parts: Parts, profile: Profile) -> list[int]:
    """Pages of running text that the text fills: only body-size lines outside tables,
    and the same flow goes on at the top of the next page."""
    body = profile.body.font_size_pt
    imprint = parts.imprint.page if parts.imprint else None
    annex_pages = {a.label.page for a in parts.annexes}
    out = []
    for page in parts.geometry.pages[:-1]:
        i = page.index
        content, after = parts.content[i], parts.content[i + 1]
        if (not content or not after or parts.tables[i] or i == imprint or i + 1 == imprint
                or i + 1 in annex_pages or parts.masthead and i == 0):
            continue
        if not all(is_size(s, body) for s in content) or not is_size(after[0], body):
            continue
        if parts.in_table(after[0]) or parts.tables[i + 1] and after[0].baseline > min(
                t[1] for t in parts.tables[i + 1]):
            continue
        out.append(i)
    return out


def _lines_per_page(parts: Parts, profile: Profile) -> Check:
    want = profile.body.lines_per_page
    expected = f"{want} on a full page, ≤ {want} on any"
    counts = {page: len({round(s.baseline) for s in lines})
              for page, lines in body_lines_by_page(parts, profile).items()}
    if not counts:
        return na("body.lines_per_page", "5.2.3", expected, "no body text outside tables")
    full = full_pages(parts, profile)
    over = [p for p, n in counts.items() if n > want]
    short = [p for p in full if counts.get(p, 0) != want]
    if full:
        seen = sorted({counts[p] for p in full})
        measured = f"{'/'.join(map(str, seen))} on {len(full)} full pages"
    else:
        measured = f"at most {max(counts.values())}"
    problems = []
    if short:
        problems.append(f"full pages {pages_text([p + 1 for p in short])} hold "
                        + ", ".join(str(counts.get(p, 0)) for p in short[:8]))
    if over:
        problems.append(f"pages {pages_text([p + 1 for p in over])} hold more than {want}")
    detail = "; ".join(problems) or (f"full pages: {pages_text([p + 1 for p in full])}"
                                     if full else "no full page of running text")
    return Check("body.lines_per_page", "5.2.3", expected, measured,
                 verdict(not problems), detail)


@dataclass(frozen=True)
class FullLine:
    """A line that is not the last of its paragraph, with its width in characters
    (the indent counted) and the line after it."""

    line: Segment
    worth: float
    after: Segment

    def next_unit(self) -> float:
        """Width in characters of the first unit the next line starts with that could not
        be broken: opening marks, a character or a run of half-width digits and letters,
        then the closing marks that may not start a line. A line is full when this unit
        did not fit (5.2.3 "撑满版心"; the breaking rules allow the short line)."""
        glyphs = [g for g in self.after.glyphs if g.text.strip()]
        i, width = 0, 0.0

        def take() -> None:
            nonlocal i, width
            width += (glyphs[i].x1 - glyphs[i].x0) / glyphs[i].size
            i += 1

        while i < len(glyphs) and glyphs[i].text in NO_LINE_END:
            take()
        if i < len(glyphs):
            if _in_number(glyphs[i].text):
                while i < len(glyphs) and _in_number(glyphs[i].text):
                    take()
            else:
                take()
        while i < len(glyphs) and glyphs[i].text in NO_LINE_START:
            take()
        return width


def _in_number(ch: str) -> bool:
    """Part of a run that does not break: Latin letters, digits, a sign, a decimal point."""
    return (ch.isascii() and ch.isalnum()) or ch in ".,%+-−±/"


def full_lines(parts: Parts, profile: Profile) -> list[FullLine]:
    """Running-text lines that are not the last line of their paragraph: the next line
    of the flow starts at the left edge (a new paragraph would be indented)."""
    lines = parts.running
    if not lines:
        return []
    left = min(s.x0 for s in lines)
    char = profile.char_pt
    pitch = profile.body.line_pitch_pt
    out = []
    for line, nxt in zip(lines, lines[1:], strict=False):
        if abs(nxt.x0 - left) > char / 4:
            continue
        if nxt.page == line.page:
            if not 0 < nxt.baseline - line.baseline < NEXT_LINE_PITCHES * pitch:
                continue
        elif nxt.page == line.page + 1:
            later = [s for s in parts.content[line.page] if s.baseline > line.baseline]
            if later or parts.content[nxt.page][0] is not nxt:
                continue
        else:
            continue
        out.append(FullLine(line, (line.x0 - left) / char + line.advance_ems, nxt))
    return out


def _full_line_checks(parts: Parts, profile: Profile, full: list[FullLine],
                      remedy: bool = False) -> list[Check]:
    n = profile.body.chars_per_line
    most = profile.signature.remedy_chars_per_line if remedy else n
    right_mm = profile.type_area.left_mm + profile.type_area.width_mm
    exp_chars = f"{n} characters-worth: no room left for the next line's first unit" + (
        f"; up to {most} where the 7.3.5.1 remedy tightened the text" if remedy else "")
    exp_flush = f"{right_mm:.1f} mm ± {FLUSH_TOL_MM}"
    if not full:
        return [na("body.chars_per_line", "5.2.3", exp_chars, "no full line of running text"),
                na("body.flush_right", "5.2.3", exp_flush, "no full line of running text")]
    short = [f for f in full
             if f.worth > most + CHARS_EPS or n - f.worth >= f.next_unit() - CHARS_EPS]
    worths = [f.worth for f in full]
    measured = f"{fmt_num(min(worths), 1)}–{fmt_num(max(worths), 1)}"
    if short:
        worst = max(short, key=lambda f: abs(f.worth - n))
        detail = (f"{len(short)} of {len(full)} full lines off; worst {fmt_num(worst.worth, 1)}"
                  f" on page {worst.line.page + 1}: {_quote(worst.line.text)}")
    else:
        kinsoku = sum(1 for f in full if f.worth < n - 1 + CHARS_EPS)
        detail = f"{len(full)} full lines" + (
            f", {kinsoku} a character short by the breaking rules (避头/避尾, numbers)"
            if kinsoku else "")
    chars = Check("body.chars_per_line", "5.2.3", exp_chars, measured, verdict(not short),
                  detail)
    edge = right_mm * PT_PER_MM
    offs = [(f.line.x1 - edge, f.line) for f in full]
    worst_off, worst_line = max(offs, key=lambda o: abs(o[0]))
    bad = [(off, line) for off, line in offs if abs(mm(off)) > FLUSH_TOL_MM]
    hanging = [line for off, line in bad if off > 0 and line.text[-1] in NO_LINE_START]
    measured = f"{mm(edge + worst_off):.2f} mm (worst)"
    if bad:
        detail = (f"{len(bad)} of {len(full)} full lines off; worst on page "
                  f"{worst_line.page + 1}: {_quote(worst_line.text)}")
        if hanging:
            detail += (f"; {len(hanging)} end with punctuation hanging beyond the edge "
                       "(标点溢出边界)")
    else:
        detail = f"{len(full)} full lines within {fmt_mm(abs(worst_off), 2)}"
    flush = Check("body.flush_right", "5.2.3", exp_flush, measured, verdict(not bad), detail)
    return [chars, flush]


def _quote(text: str, limit: int = 14) -> str:
    return f"({text[:limit]}…)" if len(text) > limit else f"({text})"
