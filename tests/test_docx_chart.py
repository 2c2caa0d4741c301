"""The DOCX chart's PNG (qdocs/writers/docx_chart.py): written by qdocs for speed, it
must hold exactly the pixels drawn, at the chart's DPI, as any PNG reader sees them."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from qdocs.writers.docx_chart import png_bytes


def _drawing() -> Image.Image:
    image = Image.new("RGB", (97, 31), "white")  # odd sizes: rows are not word-aligned
    draw = ImageDraw.Draw(image)
    draw.rectangle([3, 4, 60, 12], fill="#1F4E79")
    draw.line([0, 30, 96, 0], fill="#C00000", width=3)
    draw.text((5, 15), "4.5 x", fill="#000000")  # anti-aliased edges: many colours
    return image


def test_png_holds_the_pixels_and_the_dpi():
    image = _drawing()
    data = png_bytes(image, 200)
    Image.open(io.BytesIO(data)).verify()  # chunk lengths and CRCs
    back = Image.open(io.BytesIO(data))
    assert back.format == "PNG" and back.mode == "RGB" and back.size == image.size
    assert back.tobytes() == image.tobytes()
    assert [round(v) for v in back.info["dpi"]] == [200, 200]


def test_png_refuses_a_mode_it_does_not_write():
    with pytest.raises(ValueError, match="RGB"):
        png_bytes(_drawing().convert("RGBA"), 200)
