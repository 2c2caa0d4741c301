"""Ink outside the type area (5.2.1): measured on a raster of each page, not from text boxes,
so a picture (a chart drawn as an image in the DOCX) that runs into the margin is caught.

The margins may hold only the page number (7.5) and the 示例数据 mark qdocs prints on
documents built from sample data; everything else stays inside 156 mm × 225 mm.
"""

from __future__ import annotations

from PIL import ImageDraw

from qdocs.check.pdfink import InkReader
from qdocs.check.pdfparts import Parts
from qdocs.check.records import Check, mm, pages_text, verdict
from qdocs.profile import Profile

# Resolution of the raster: 150 dpi is 0.17 mm a pixel, inside the tolerance below.
DPI = 150
# Ink this close outside the type area is antialiasing of a glyph or rule on its edge.
TOL_MM = 0.5
# Around the page number and the sample mark (its border and padding): left to them.
PART_MARGIN_MM = 3.0


def ink_checks(parts: Parts, profile: Profile, ink: InkReader) -> list[Check]:
    """ink.type_area"""
    ta = profile.type_area
    scale = DPI / 72
    pt = 72 / 25.4
    expected = (f"no ink outside the type area ({ta.left_mm:g}–{ta.left_mm + ta.width_mm:g} mm "
                f"across, {ta.top_mm:g}–{ta.top_mm + ta.height_mm:g} mm down, ± {TOL_MM}) but "
                "the page number and the 示例数据 mark")
    area = ((ta.left_mm - TOL_MM) * pt, (ta.top_mm - TOL_MM) * pt,
            (ta.left_mm + ta.width_mm + TOL_MM) * pt, (ta.top_mm + ta.height_mm + TOL_MM) * pt)
    pad = PART_MARGIN_MM * pt
    bad, worst = [], []
    for page in parts.geometry.pages:
        mask = ink.page_mask(page.index, DPI)
        draw = ImageDraw.Draw(mask)
        keep_out = [area] + [(s.x0 - pad, s.em_top - pad, s.x1 + pad, s.em_bottom + pad)
                             for s in parts.page_numbers.get(page.index, [])
                             + _sample_marks(page, profile)]
        for x0, top, x1, bottom in keep_out:
            draw.rectangle([x0 * scale, top * scale, x1 * scale, bottom * scale], fill=0)
        box = mask.getbbox()
        if box is not None:
            bad.append(page.index + 1)
            x0, top, x1, bottom = (v / scale for v in box)
            worst.append(f"page {page.index + 1}: ink at {mm(x0):.1f}–{mm(x1):.1f} mm across, "
                         f"{mm(top):.1f}–{mm(bottom):.1f} mm down")
    measured = f"outside on pages {pages_text(bad)}" if bad else "none outside"
    return [Check("ink.type_area", "5.2.1", expected, measured, verdict(not bad),
                  "; ".join(worst[:3]))]


def _sample_marks(page, profile: Profile) -> list:
    return [s for s in page.segments if s.text == profile.sample_mark.text]
