"""Decisions that need the laid-out pages, recorded in the semantic HTML for every format.

Where the 版记 goes (7.4.1, 7.5) depends on where the text ends: the standard puts it at
the foot of the last page, an even one. qdocs lays the document out once with WeasyPrint
and writes its decision on the `div.imprint` as `data-place`:

- `foot`: the text ends on an even page with room for the 版记 below it: at the foot of
  that page (`data-pad-pt` is the space above it), no page added;
- `next-page`: the text ends on an odd page: the 版记 alone on the next (even) page,
  which follows a text page and so carries its number (7.5 read literally);
- `after-blank`: the text ends on an even page without room: a blank page, then the
  版记 on the next even page; both go unnumbered (7.5: 版记页前有空白页的，空白页和版记页
  均不编排页码).

The PDF (print.css.j2) and the DOCX (docx_page) read the attribute, so they agree; the
layout costs one WeasyPrint pass, for documents with a 版记 only.
"""

from __future__ import annotations

import re

from qdocs.profile import Profile

PX_PER_PT = 96 / 72
PX_PER_MM = 96 / 25.4

FOOT, NEXT_PAGE, AFTER_BLANK = "foot", "next-page", "after-blank"
PLACES = (FOOT, NEXT_PAGE, AFTER_BLANK)

_IMPRINT_TAG = re.compile(r'<div class="imprint"(?P<attrs>[^>]*)>')


def settle_html(html: str, profile: Profile, *, base_url: str, url_fetcher) -> str:
    """`html` with the 版记's place decided (unchanged when it has no 版记 or says already)."""
    match = _IMPRINT_TAG.search(html)
    if match is None or "data-place=" in match.group("attrs"):
        return html
    place, pad_pt = imprint_place(html, profile, base_url=base_url, url_fetcher=url_fetcher)
    attrs = f' data-place="{place}"'
    if place == FOOT:
        attrs += f' data-pad-pt="{pad_pt:.2f}" style="padding-top: {pad_pt:.2f}pt"'
    return html[:match.start()] + f'<div class="imprint"{attrs}{match.group("attrs")}>' + (
        html[match.end():])


def imprint_place(html: str, profile: Profile, *, base_url: str,
                  url_fetcher) -> tuple[str, float]:
    """(place, space above the 版记 in pt when it goes at the foot) from one layout."""
    from weasyprint import HTML

    from qdocs.writers.pdf import font_config

    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render(
        font_config=font_config())
    pages = [p._page_box for p in document.pages]
    at = next((i for i, page in enumerate(pages) if _find(page, "imprint")), None)
    if at is None:
        return NEXT_PAGE, 0.0
    imprint = _find(pages[at], "imprint")
    rows = [c for c in imprint.children if getattr(c, "element", None) is not None]
    height = (max(c.position_y + c.margin_height() for c in rows)
              - min(c.position_y for c in rows)) if rows else 0.0
    last = max((i for i in range(at) if _content_bottom(pages[i]) is not None), default=None)
    if last is None:
        return NEXT_PAGE, 0.0
    if (last + 1) % 2:
        return NEXT_PAGE, 0.0
    area_bottom = (profile.type_area.top_mm + profile.type_area.height_mm) * PX_PER_MM
    room = area_bottom - _content_bottom(pages[last])
    gap = profile.imprint.min_space_above_lines * profile.body.line_pitch_pt * PX_PER_PT
    if room - height >= gap:
        return FOOT, (room - height) / PX_PER_PT
    return AFTER_BLANK, 0.0


def _find(box, cls: str):
    element = getattr(box, "element", None)
    if element is not None and cls in (element.get("class") or "").split():
        return box
    for child in getattr(box, "children", ()):
        found = _find(child, cls)
        if found is not None:
            return found
    return None


def _content_bottom(page) -> float | None:
    """The lowest margin-box bottom of the page's content (the root and body boxes span
    pages, so they are not content), or None on a blank page."""
    bottoms: list[float] = []

    def walk(box, depth: int) -> None:
        tag = getattr(box, "element_tag", None)
        element = getattr(box, "element", None)
        if element is not None and "sample-mark" in (element.get("class") or "").split():
            return  # fixed: it stands on every page, blank ones too
        if depth > 0 and tag not in ("html", "body") and box.margin_height() > 0:
            bottoms.append(box.position_y + box.margin_height())
        for child in getattr(box, "children", ()):
            walk(child, depth + 1)

    for child in page.children:
        if getattr(child, "element_tag", None) == "html":
            walk(child, 0)
    return max(bottoms) if bottoms else None
