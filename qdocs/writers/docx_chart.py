"""A figure.chart's data-chart JSON → a PNG bar chart, for the DOCX.

Word cannot show the inline SVG the PDF and HTML use, so the DOCX gets the same chart
drawn as a picture from the JSON beside it. The JSON (written by the templates):

    {"kind": "bar",                                  horizontal bars, one group a label
     "labels": ["组织领导", …],
     "series": [{"name": "得分", "values": ["4.5", …]}, …],   numbers or decimal strings
     "max": "10"}                                    optional: the scale's end

Values are drawn as written ("4.5" stays "4.5"): the figures are the report card's and
must read as in the PDF. The same input and font give the same bytes.
"""

from __future__ import annotations

import json
import struct
import zlib
from decimal import Decimal, InvalidOperation

from PIL import Image, ImageDraw, ImageFont

from qdocs.profile import Profile

DPI = 200  # prints sharp at the type-area width; ~60 kB a chart
BAR_MM = 1.6  # thickness of one bar (the SVG draws 1.2 mm in a 1.6 mm band)
GAP_MM = 0.6  # between label groups
LABEL_PT = 8.5  # the labels' size: the SVG's (font-size 30 of 0.1 mm), so both are as tall
PAD_MM = 2.0  # around labels and values
# Series colours: dark blue and mid grey read apart in greyscale print; then red, green.
COLOURS = ("#1F4E79", "#A6A6A6", "#C00000", "#548235")
INK = "#000000"


def draw_chart(data: str, profile: Profile, font_file: str | None) -> bytes:
    """PNG bytes of the chart `data` (JSON), as wide as the type area at DPI.

    Raises ValueError with a message for the user when the JSON is not a chart.
    """
    labels, series, top = _parse(data)
    if font_file is None:
        raise ValueError("no CJK font is installed to draw the chart's labels (qdocs fonts)")
    px = lambda mm: round(mm / 25.4 * DPI)  # noqa: E731
    font = ImageFont.truetype(font_file, round(LABEL_PT / 72 * DPI))
    width = px(profile.type_area.width_mm)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_w = lambda s: measure.textlength(s, font=font)  # noqa: E731
    line_h = round(font.size * 1.3)
    label_w = min(max(text_w(s) for s in labels) + px(PAD_MM), width * 0.35)
    lines = [_wrap(s, label_w - px(PAD_MM), text_w) for s in labels]
    value_w = max(text_w(v) for _, vs in series for v in vs) + px(PAD_MM)
    x0, x1 = label_w, width - value_w
    legend_h = line_h + px(PAD_MM) if len(series) > 1 else 0
    group_h = [max(len(series) * px(BAR_MM), len(ls) * line_h) + px(GAP_MM) for ls in lines]
    image = Image.new("RGB", (width, legend_h + sum(group_h) + px(PAD_MM)), "white")
    draw = ImageDraw.Draw(image)
    if legend_h:
        x = x0
        for (name, _), colour in zip(series, COLOURS, strict=False):
            draw.rectangle([x, px(PAD_MM) / 2, x + line_h / 2, px(PAD_MM) / 2 + line_h / 2],
                           fill=colour)
            draw.text((x + line_h * 0.7, px(PAD_MM) / 2 + line_h / 4), name, font=font,
                      fill=INK, anchor="lm")
            x += line_h + text_w(name) + px(PAD_MM) * 2
    y = legend_h + px(GAP_MM) / 2
    for i, ls in enumerate(lines):
        middle = y + (group_h[i] - px(GAP_MM)) / 2
        for j, text in enumerate(ls):
            draw.text((x0 - px(PAD_MM), middle + (j - (len(ls) - 1) / 2) * line_h), text,
                      font=font, fill=INK, anchor="rm")
        bar_y = middle - len(series) * px(BAR_MM) / 2
        for (_, values), colour in zip(series, COLOURS, strict=False):
            end = x0 + (x1 - x0) * float(min(Decimal(values[i]) / top, Decimal(1)))
            draw.rectangle([x0, bar_y, max(x0, end), bar_y + px(BAR_MM) - 1], fill=colour)
            draw.text((end + px(PAD_MM) / 2, bar_y + px(BAR_MM) / 2), values[i], font=font,
                      fill=INK, anchor="lm")
            bar_y += px(BAR_MM)
        y += group_h[i]
    draw.line([x0, legend_h, x0, image.height - px(PAD_MM) / 2], fill=INK, width=2)
    return png_bytes(image, DPI)


def png_bytes(image: Image.Image, dpi: int) -> bytes:
    """The RGB `image` as a PNG of `dpi`: rows unfiltered, deflated at level 1. Pillow's
    encoder tries five filters on every row, most of a chart's cost; a chart is flat
    colour, which deflate packs as small without them (the same pixels, 6% smaller)."""
    if image.mode != "RGB":
        raise ValueError(f"png_bytes writes RGB images, not {image.mode}")
    width, height = image.size
    raw = image.tobytes()
    stride = 3 * width
    rows = b"\0" + b"\0".join(raw[i:i + stride] for i in range(0, len(raw), stride))
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">2I5B", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">2IB", per_metre, per_metre, 1))
            + _chunk(b"IDAT", zlib.compress(rows, 1))
            + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _parse(data: str) -> tuple[list[str], list[tuple[str, list[str]]], Decimal]:
    """Labels, (name, values as written) per series and the scale's end."""
    try:
        chart = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ValueError(f"data-chart is not JSON: {exc}") from None
    if not isinstance(chart, dict) or chart.get("kind") != "bar":
        raise ValueError('data-chart must be an object with "kind": "bar"')
    labels = chart.get("labels")
    series = chart.get("series")
    if not labels or not all(isinstance(s, str) for s in labels):
        raise ValueError("data-chart labels must be a non-empty list of text")
    if not series or not all(isinstance(s, dict) for s in series):
        raise ValueError("data-chart series must be a non-empty list of objects")
    parsed = []
    for s in series:
        values = [str(v) for v in s.get("values", [])]
        if len(values) != len(labels):
            raise ValueError(f"data-chart series {s.get('name')!r}: one value a label")
        parsed.append((str(s.get("name", "")), values))
    try:
        numbers = [Decimal(v) for _, vs in parsed for v in vs]
        top = Decimal(str(chart["max"])) if "max" in chart else max(numbers)
    except (InvalidOperation, ValueError):
        raise ValueError("data-chart values and max must be numbers") from None
    if any(n < 0 for n in numbers) or top <= 0:
        raise ValueError("data-chart draws values from 0 up to a positive max")
    return labels, parsed, top


def _wrap(text: str, width: float, text_w) -> list[str]:
    """Break a label into lines no wider than `width` (CJK breaks anywhere)."""
    lines = [""]
    for ch in text:
        if lines[-1] and text_w(lines[-1] + ch) > width:
            lines.append("")
        lines[-1] += ch
    return lines
