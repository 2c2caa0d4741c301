"""The PDF checks of titles (7.3.1): how a multi-line title is broken.

7.3.1: 回行时，要做到词意完整，排列对称，长短适宜，间距恰当，使用梯形或菱形. Measured on
the page: the title's lines (2号 lines under the red rule, or an annex's title), their
widths (梯形 or 菱形, no line under the profile's fraction of the longest) and each
break (never inside a word of the segmenter's dictionary, a project term listed by the
source HTML's `data-keep`, a 《…》 name or a number with its unit).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from qdocs.check.pdfmeasure import Segment
from qdocs.check.pdfparts import Parts, is_size
from qdocs.check.records import Check, na, unverified, verdict
from qdocs.profile import Profile

_KEEP_RE = re.compile(r'<h1 class="(?:title|annex-title)" data-keep="([^"]*)"')


def title_terms(html: Path | None) -> list[str]:
    """The project terms the source HTML lists on its titles (`data-keep`)."""
    if html is None or not html.is_file():
        return []
    text = html.read_text(encoding="utf-8", errors="replace")
    return sorted({t for value in _KEEP_RE.findall(text)
                   for t in html_lib.unescape(value).split("|") if t})


def title_lines(parts: Parts, profile: Profile) -> list[tuple[str, list[Segment]]]:
    """Each title of the document with its lines: the main title (first page, title size,
    below the masthead's red rule when there is one) and every annex's."""
    found = []
    size = profile.title.font_size_pt
    first = parts.content.get(0, [])
    below = parts.red_rule.bottom if parts.red_rule else 0.0
    masthead = {id(s) for s in parts.masthead}
    main: list[Segment] = []
    for seg in first:
        if id(seg) in masthead or seg.baseline <= below:
            continue
        if is_size(seg, size) and not (parts.annexes and parts.annexes[0].label.page == 0):
            main.append(seg)
        elif main:
            break
    if main:
        found.append(("title", main))
    found += [(f"附件{a.number} title", a.title) for a in parts.annexes if a.title]
    return found


def title_checks(parts: Parts, profile: Profile, html: Path | None) -> list[Check]:
    """title.shape and title.breaks"""
    fraction = profile.title.min_line_fraction
    exp_shape = (f"a 梯形 or 菱形: each line no longer than the one above, or longer towards "
                 f"the middle; none under {fraction:g} of the longest")
    exp_breaks = "between words: none inside a dictionary word, a project term, 《…》 or a " \
                 "number with its unit"
    titles = title_lines(parts, profile)
    if not titles:
        if parts.kind in ("notice", "bulletin", "card", "annex"):
            return [unverified("title.shape", "7.3.1", exp_shape, "no title found"),
                    unverified("title.breaks", "7.3.1", exp_breaks, "no title found")]
        return [na("title.shape", "7.3.1", exp_shape, f"{parts.kind}: no title"),
                na("title.breaks", "7.3.1", exp_breaks, f"{parts.kind}: no title")]
    from qdocs.render.titles import in_word, shape_ok

    terms = title_terms(html)
    shapes, breaks, bad_shape, bad_breaks = [], [], [], []
    for name, lines in titles:
        widths = [seg.advance_ems for seg in lines]
        shapes.append(f"{name}: " + " / ".join(f"{w:.1f}" for w in widths) + " em")
        problem = shape_ok(widths, fraction)
        if problem:
            bad_shape.append(f"{name}: {problem}")
        text = "".join(seg.text for seg in lines)
        at = 0
        for seg in lines[:-1]:
            at += len(seg.text)
            mark = f"{text[max(0, at - 4):at]}|{text[at:at + 4]}"
            breaks.append(mark)
            if in_word(text, at, terms):
                bad_breaks.append(f"{name}: {mark}")
    shape = Check("title.shape", "7.3.1", exp_shape, "; ".join(shapes), verdict(not bad_shape),
                  "; ".join(bad_shape))
    measured = "; ".join(breaks) if breaks else "every title on one line"
    brk = Check("title.breaks", "7.3.1", exp_breaks, measured, verdict(not bad_breaks),
                ("inside a word: " + "; ".join(bad_breaks)) if bad_breaks else "")
    return [shape, brk]
