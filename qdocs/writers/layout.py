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

The 署名 and 成文日期 stand on the page of the last body line (7.3.5.1): the stylesheet keeps
them with the text above, so when they do not fit there the last lines of text go over
with them. The standard's first remedy is to adjust line and character spacing: when the
layout shows text carried over, the text blocks of the two pages concerned get
`data-tight` (the profile's remedy line pitch and letter-spacing, 7.3.5.1) and are laid
out again; if the 署名 then stands on the page of the last body line the tightened HTML
is kept, else the carried-over layout stays (the fallback).

The PDF (print.css.j2) and the DOCX (docx_page, docx) read the attributes, so they agree;
the layout costs one WeasyPrint pass (two when the remedy is tried), for documents with a
版记 or a 署名 only.
"""

from __future__ import annotations

import re

from qdocs.profile import Profile

PX_PER_PT = 96 / 72
PX_PER_MM = 96 / 25.4

FOOT, NEXT_PAGE, AFTER_BLANK = "foot", "next-page", "after-blank"
PLACES = (FOOT, NEXT_PAGE, AFTER_BLANK)

_IMPRINT_TAG = re.compile(r'<div class="imprint"(?P<attrs>[^>]*)>')
# The text blocks the remedy may tighten, as the templates write them (docs/html-subset.md).
_TEXT_TAG = re.compile(r'<(?:p|h[2-5]) class="(?:body|heading-[1-4])"')
_TEXT_CLASSES = {"body", "heading-1", "heading-2", "heading-3", "heading-4"}


def settle_html(html: str, profile: Profile, *, base_url: str, url_fetcher) -> str:
    """`html` with the 7.3.5 remedy tried and the 版记's place decided (unchanged when it
    has neither a 署名 nor a 版记)."""
    imprint = _IMPRINT_TAG.search(html)
    signature = 'class="signature-block"' in html and ' data-tight="' not in html
    if not signature and (imprint is None or "data-place=" in imprint.group("attrs")):
        return html

    def lay_out(text: str):
        from weasyprint import HTML

        from qdocs.writers.pdf import font_config

        return [p._page_box for p in HTML(string=text, base_url=base_url,
                                          url_fetcher=url_fetcher).render(
            font_config=font_config()).pages]

    pages = lay_out(html)
    if signature:
        html, pages = _remedy(html, pages, profile, lay_out)
    imprint = _IMPRINT_TAG.search(html)
    if imprint is None or "data-place=" in imprint.group("attrs"):
        return html
    place, pad_pt = imprint_place(pages, profile)
    attrs = f' data-place="{place}"'
    if place == FOOT:
        attrs += f' data-pad-pt="{pad_pt:.2f}" style="padding-top: {pad_pt:.2f}pt"'
    return html[:imprint.start()] + f'<div class="imprint"{attrs}{imprint.group("attrs")}>' + (
        html[imprint.end():])


def _remedy(html: str, pages: list, profile: Profile, lay_out) -> tuple[str, list]:
    """7.3.5.1: tighten the text of the two pages around a carried-over 署名 (see the
    module docstring); the original when nothing was carried or tightening does not do."""
    at = _carried(pages, profile)
    if at is None:
        return html, pages
    blocks = [b for page in pages for b in _text_blocks(page)]
    order = list(dict.fromkeys(b.element for b in blocks))
    chosen = {b.element for page in pages[at - 1:at + 1] for b in _text_blocks(page)}
    wanted = {i for i, element in enumerate(order) if element in chosen}
    matches = list(_TEXT_TAG.finditer(html))
    if len(matches) != len(order) or not wanted:
        return html, pages   # the HTML is not the templates' shape: leave it as it is
    out, last = [], 0
    for i, match in enumerate(matches):
        if i in wanted:
            out += [html[last:match.end()], ' data-tight="1"']
            last = match.end()
    tight = "".join(out) + html[last:]
    tight_pages = lay_out(tight)
    if _carried(tight_pages, profile) is not None:
        return html, pages    # the bounds do not suffice: text carried over, as before
    return tight, tight_pages


def _carried(pages: list, profile: Profile) -> int | None:
    """The page the signature block stands on when text went over with it (the page
    before ends a line or more short of the type area's foot), else None."""
    at = next((i for i, page in enumerate(pages) if _find(page, "signature-block")), None)
    if not at:
        return None
    bottom = _content_bottom(pages[at - 1])
    area_bottom = (profile.type_area.top_mm + profile.type_area.height_mm) * PX_PER_MM
    pitch = profile.remedy_line_pitch_pt * PX_PER_PT
    if bottom is None or area_bottom - bottom < pitch:
        return None
    return at


def _text_blocks(page) -> list:
    found: list = []

    def walk(box) -> None:
        element = getattr(box, "element", None)
        classes = set((element.get("class") or "").split()) if element is not None else set()
        if classes & _TEXT_CLASSES and getattr(box, "element_tag", None) in (
                "p", "h2", "h3", "h4", "h5"):
            found.append(box)
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page)
    return found


def imprint_place(pages: list, profile: Profile) -> tuple[str, float]:
    """(place, space above the 版记 in pt when it goes at the foot) from the laid-out
    pages (WeasyPrint page boxes)."""
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
    gap = profile.imprint.min_space_above_mm * PX_PER_MM
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
