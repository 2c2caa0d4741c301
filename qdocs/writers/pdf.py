"""Semantic HTML → PDF through WeasyPrint, with inter-character justification.

WeasyPrint's `text-align: justify` stretches only spaces, so CJK lines stay ragged
and end short of the type area. GB/T 9704 wants every full line flush with both
edges. So the document is laid out once, each full line's slack is measured from
the box tree, and each line's characters get the letter-spacing that spreads
that slack; the second layout is the one written. The parsed tree is reused, so
the second pass costs a layout, not a parse.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from qdocs.profile import Profile
from qdocs.writers.glyphs import MissingGlyphs, missing_in_layout

# Blocks whose full lines are spread to the right edge of the type area.
JUSTIFIED_CLASSES = {"body", "heading-1", "heading-2", "heading-3", "heading-4"}

# Calibration: each spread line is left this much short of the edge so the second
# layout breaks it at the same place (measured: at 0.02 pt, 2 of 130 lines with a break
# hint and a span edge near their end re-broke; at 0.1 pt, none).
SAFETY_PT = 0.1

PX_PER_PT = 96 / 72


@dataclass
class _Line:
    text: str
    slack_pt: float


def render_pdf(html: str, profile: Profile, *, base_url: str, url_fetcher) -> bytes:
    """Lay out `html` twice (measure, then spread full lines) and return the PDF bytes."""
    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    _allow_breaks_at_quotes(document)
    lines = _measure(document, base_url, url_fetcher)
    max_slack = profile.body.justify_max_slack_chars * profile.char_pt
    for element, element_lines in lines.items():
        # a block tightened by the 7.3.5 remedy spreads from its own spacing
        base_spacing = (profile.remedy_letter_spacing_pt if element.get("data-tight")
                        else profile.body.letter_spacing_pt)
        extras = [
            (line.slack_pt - SAFETY_PT) / (len(line.text.rstrip(" " + _ZWSP)) - 1)
            if i < len(element_lines) - 1 and SAFETY_PT < line.slack_pt < max_slack
            and len(line.text.rstrip(" " + _ZWSP)) > 1
            else 0.0
            for i, line in enumerate(element_lines)
        ]
        if any(extras):
            _spread(element, element_lines, extras, base_spacing)
    rendered = document.render(font_config=font_config())
    missing = missing_in_layout(rendered)
    if missing:
        raise MissingGlyphs(missing, "pdf")
    return rendered.write_pdf()


# Chinese typesetting breaks before “ and after ” (避头尾 only keeps “ off a line's end and
# ” off its start), but Unicode line breaking (UAX #14, Pango) never breaks beside a quote
# mark, gluing “查建材、保安全” to its neighbours; measured: a 24-character line in the
# notice. A zero-width space gives the break opportunity; it draws nothing.
_ZWSP = "\u200b"
_BEFORE_OPEN = re.compile(r"(?<=[^\s“‘（《〔【])(?=[“‘])")
_AFTER_CLOSE = re.compile(r"(?<=[”’])(?=[^\s”’）》〕】，。、；：！？…—])")


def _allow_breaks_at_quotes(document) -> None:
    for element in document.etree_element.iter():
        if element.get("class") is None or not _justified(element):
            continue
        for node in element.iter():
            if node.text:
                node.text = _with_breaks(node.text)
            if node is not element and node.tail:
                node.tail = _with_breaks(node.tail)


def _with_breaks(text: str) -> str:
    return _AFTER_CLOSE.sub(_ZWSP, _BEFORE_OPEN.sub(_ZWSP, text))


# Not done, measured on the example's 21 documents (2026-11-30): a per-worker cache of font
# subsets keyed by font and glyph set would find 16 of 84 subsets already made, worth
# 0.03 s of the 2.9 s spent subsetting (each card sets other characters); and zlib level
# 6 for the streams instead of pydyf's fixed level 9 would save 0.19 s of 12.2 s (1.5%)
# for 0.3% larger files, through a patch of pydyf that WeasyPrint offers no option for.
@cache
def font_config() -> FontConfiguration:
    """One font configuration per process, shared by every render: WeasyPrint then keeps
    its font caches instead of building them per document (measured by the benchmarks:
    a worker's memory grows 112 kB a document instead of 355 kB, and 5–10% less CPU)."""
    return FontConfiguration()


def _measure(document: HTML, base_url: str, url_fetcher) -> dict[ET.Element, list[_Line]]:
    """Lay out a document of the justified blocks alone and read their lines.

    Their lines break the same way wherever they stand (same width, same fonts, no
    rule of the stylesheet depends on their ancestors), and the tables, charts and
    masthead around them would only cost time: measured, a card's measuring layout
    takes 0.02 s this way, 0.1 s with the rest hidden by CSS, 0.23 s in full.
    """
    root = document.etree_element
    blocks = [el for el in root.iter() if _justified(el)]
    if not blocks:
        return {}
    style = "".join(el.text or "" for el in root.iter("style"))
    # The style element is raw text: it came from one, so it holds no "</style".
    html = (f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
            + "".join(_plain_html(el, tail=False) for el in blocks) + "</body></html>")
    alone = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    by_copy = _measure_lines(alone.render(font_config=font_config()))
    copies = [el for el in alone.etree_element.iter() if _justified(el)]
    return {block: by_copy[copy] for block, copy in zip(blocks, copies, strict=True)
            if copy in by_copy}


def _plain_html(element: ET.Element, tail: bool = True) -> str:
    """An element (of the parser's ElementTree) as HTML text."""
    tag = element.tag.rsplit("}", 1)[-1]
    attrs = "".join(f' {k}="{_escape_attr(v)}"' for k, v in element.attrib.items())
    inner = _escape_text(element.text or "") + "".join(_plain_html(c) for c in element)
    out = f"<{tag}{attrs}>{inner}</{tag}>"
    return out + (_escape_text(element.tail or "") if tail else "")


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;")


def _measure_lines(doc) -> dict[ET.Element, list[_Line]]:
    """For each justified block element, its lines in order with their slack in pt."""
    found: dict[ET.Element, list[_Line]] = {}
    for page in doc.pages:
        _walk(page._page_box, None, found)
    return found


def _walk(box, block, found) -> None:
    element = getattr(box, "element", None)
    if isinstance(box, boxes.BlockContainerBox) and element is not None and _justified(element):
        block = box
    if isinstance(box, boxes.LineBox):
        if block is not None:
            texts = list(_text_boxes(box))
            if texts:
                right = max(t.position_x + t.margin_width() for t in texts)
                limit = block.content_box_x() + block.width
                found.setdefault(block.element, []).append(
                    _Line("".join(t.text for t in texts), (limit - right) / PX_PER_PT))
        return
    for child in getattr(box, "children", ()):
        _walk(child, block, found)


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child)


def _justified(element) -> bool:
    return bool(JUSTIFIED_CLASSES & set((element.get("class") or "").split()))


def _counts(ch: str) -> bool:
    """Characters the layout keeps at a line's end (it drops spaces there)."""
    return not ch.isspace()


def _spread(element: ET.Element, lines: list[_Line], extras: list[float], base: float) -> None:
    """Wrap each line's characters in spans whose letter-spacing spreads that line.

    The slack goes to every character but the line's last: letter-spacing follows a
    glyph, so the last glyph's spacing would only push the box edge, not the ink, past
    the glyph (measured: lines 1.3 pt short when it was spread over all of them).
    """
    # Non-space characters per line: the layout drops spaces at line ends, the tree not.
    quotas = [sum(1 for ch in line.text if _counts(ch)) for line in lines]
    # Break hints left at a line's end come after its last glyph: they take no extra.
    trailing = [len(line.text.rstrip()) - len(line.text.rstrip().rstrip(_ZWSP)) for line in lines]
    state = {"line": 0, "left": quotas[0] if quotas else 0}

    def segments(text: str) -> list[tuple[str, tuple[int, bool]]]:
        out: list[tuple[str, tuple[int, bool]]] = []
        for ch in text:
            while state["left"] == 0 and _counts(ch) and state["line"] < len(quotas) - 1:
                state["line"] += 1
                state["left"] = quotas[state["line"]]
            if _counts(ch):
                state["left"] -= 1
            key = (state["line"], _counts(ch) and state["left"] <= trailing[state["line"]])
            if out and out[-1][1] == key:
                out[-1] = (out[-1][0] + ch, key)
            else:
                out.append((ch, key))
        return out

    def spans(parts: list[tuple[str, tuple[int, bool]]]) -> list[ET.Element]:
        made = []
        for text, (index, last) in parts:
            span = ET.Element("span")
            if extras[index] and not last:
                span.set("style", f"letter-spacing: {base + extras[index]:.4f}pt")
            span.text = text
            made.append(span)
        return made

    def visit(node: ET.Element) -> None:
        children = list(node)
        if node.text:
            new = spans(segments(node.text))
            node.text = None
            for i, span in enumerate(new):
                node.insert(i, span)
        for child in children:
            visit(child)
            if child.tail:
                new = spans(segments(child.tail))
                child.tail = None
                at = list(node).index(child) + 1
                for i, span in enumerate(new):
                    node.insert(at + i, span)

    visit(element)
