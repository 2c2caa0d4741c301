"""Where ink really is: a small region of a page rendered and its marked pixels found.

The standard places glyphs, not boxes: the masthead's "上边缘" is the top of its ink,
the page number's 一字线 is a stroke. A font's boxes say little about its ink (the
em box of Noto CJK Bold sits 1.7 mm below its ink at 36 pt), so these two are
measured on a rendering (pypdfium2, which pdfplumber already depends on).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

# Rendering resolution: 600 dpi puts a pixel at 0.04 mm, well inside every tolerance.
DPI = 600

# A pixel is ink when it is darker than this (0–255 grey), or, for a colour, when each
# channel is within this distance of the colour.
DARK_BELOW = 128
COLOUR_DISTANCE = 48
# Any ink at all (a light grey bar of a chart included): darker than this.
NOT_WHITE_BELOW = 230


class InkReader:
    """Renders regions of one PDF; open once per file, close when done."""

    def __init__(self, path: Path):
        self._doc = pdfium.PdfDocument(str(path))

    def close(self) -> None:
        """Release the document."""
        self._doc.close()

    def __enter__(self) -> InkReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ink_box(self, page: int, box: tuple[float, float, float, float],
                color: tuple[float, float, float] | None = None
                ) -> tuple[float, float, float, float] | None:
        """The bounding box (x0, top, x1, bottom, in points from the top-left) of the ink
        inside `box` on `page` (0-based): dark pixels, or pixels of `color` when given.
        None when the region holds no ink."""
        pdf_page = self._doc[page]
        try:
            width, height = pdf_page.get_size()
            x0, top, x1, bottom = (max(0.0, box[0]), max(0.0, box[1]),
                                   min(width, box[2]), min(height, box[3]))
            if x1 <= x0 or bottom <= top:
                return None
            scale = DPI / 72
            bitmap = pdf_page.render(scale=scale,
                                     crop=(x0, height - bottom, width - x1, top))
            image = bitmap.to_pil().convert("RGB")
        finally:
            pdf_page.close()
        found = _mask(image, color).getbbox()
        if found is None:
            return None
        left, upper, right, lower = found
        return (x0 + left / scale, top + upper / scale, x0 + right / scale, top + lower / scale)


    def page_mask(self, page: int, dpi: float) -> Image.Image:
        """The whole page at `dpi` as an L image, 255 where there is ink (dark or coloured:
        any pixel not near white)."""
        pdf_page = self._doc[page]
        try:
            image = pdf_page.render(scale=dpi / 72).to_pil().convert("L")
        finally:
            pdf_page.close()
        return image.point(lambda v: 255 if v < NOT_WHITE_BELOW else 0)


def _mask(image: Image.Image, color: tuple[float, float, float] | None) -> Image.Image:
    """A 1-bit-like L image: 255 where the pixel is ink."""
    if color is None:
        return image.convert("L").point(lambda v: 255 if v < DARK_BELOW else 0)
    channels = image.split()
    mask = None
    for channel, target in zip(channels, color, strict=True):
        want = round(target * 255)
        near = channel.point(lambda v, w=want: 255 if abs(v - w) <= COLOUR_DISTANCE else 0)
        mask = near if mask is None else ImageChops.multiply(mask, near)
    return mask
