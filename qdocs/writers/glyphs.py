"""Characters no font can draw: found after layout, reported instead of printed as boxes.

Pango picks a font for each run of text (the role's face, the CJK fallback, then any
installed face). When none has the character, it shapes a placeholder — a glyph id
with PANGO_GLYPH_UNKNOWN_FLAG set, or .notdef (glyph id 0) — and WeasyPrint draws an
empty box: 𪚥, an emoji or Tibetan text would print as □ with exit status 0. So the
laid-out PDF is walked glyph by glyph, exactly as WeasyPrint's draw code reads it
(the first line of each text box's Pango layout), before anything is written.

A DOCX names the standard faces and Word draws it on another machine, so its check is
coverage: every character of its text must be in the character map of a resolved
role file or of a CJK fallback face (any role's: Word falls back per character too).
"""

from __future__ import annotations

import bisect
import functools
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from qdocs.errors import QdocsError

PANGO_GLYPH_EMPTY = 0x0FFFFFFF
PANGO_GLYPH_UNKNOWN_FLAG = 0x10000000


_NONE = {"pdf": "no installed font",
         "docx": "none of the DOCX's fonts (the role faces and the CJK fallback)"}


class MissingGlyphs(QdocsError):
    """Characters of a target that no configured font can draw (the target fails)."""

    def __init__(self, chars: Iterable[str], fmt: str, context: Mapping | None = None):
        self.chars = list(dict.fromkeys(chars))
        self.fmt = fmt
        shown = ", ".join(f"U+{ord(c):04X} {c}" for c in self.chars[:12])
        more = f" and {len(self.chars) - 12} more" if len(self.chars) > 12 else ""
        fields = found_in(self.chars, context) if context is not None else []
        where = f" (in {', '.join(fields[:5])})" if fields else ""
        super().__init__(
            f"{_NONE[fmt]} has a glyph for {shown}{more}{where}: the {fmt.upper()} would "
            "print empty boxes; replace the characters, or install a face that has them "
            "and name it for its role in qdocs.yaml `fonts:` (`qdocs fonts` lists the faces "
            "in use)")

    def located(self, context: Mapping) -> MissingGlyphs:
        """The same fault, naming the context fields that hold the characters."""
        return MissingGlyphs(self.chars, self.fmt, context)


# --- PDF: the glyphs Pango shaped ---------------------------------------------------------------

def missing_in_layout(document) -> list[str]:
    """Characters drawn with no glyph in a laid-out WeasyPrint document, in order."""
    found: dict[str, None] = {}
    for page in document.pages:
        for box in _text_boxes(page._page_box):
            found.update(dict.fromkeys(_missing_in_box(box)))
    return list(found)


def _text_boxes(box) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    stack = [box]
    while stack:
        node = stack.pop()
        if isinstance(node, boxes.TextBox):
            yield node
        stack.extend(reversed(getattr(node, "children", ())))


def _missing_in_box(box) -> Iterator[str]:
    from weasyprint.text.ffi import pango

    layout = getattr(box, "pango_layout", None)
    if layout is None or not box.text.strip():
        return
    # After layout WeasyPrint keeps the text, not the Pango objects; it shapes the
    # text again to draw it, the same way (draw/text.py): so does this check.
    layout.reactivate(box.style)
    try:
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        line, _ = layout.get_first_line()
        yield from _missing_in_line(line, layout.text.encode("utf-8"))
    finally:
        layout.deactivate()


def _missing_in_line(line, raw: bytes) -> Iterator[str]:
    from weasyprint.text.ffi import ffi

    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        glyphs = item.glyphs
        for i in range(glyphs.num_glyphs):
            glyph = glyphs.glyphs[i].glyph
            if glyph & PANGO_GLYPH_UNKNOWN_FLAG and glyph != PANGO_GLYPH_EMPTY:
                yield chr(glyph & ~PANGO_GLYPH_UNKNOWN_FLAG)
            elif glyph == 0:
                start = item.item.offset + glyphs.log_clusters[i]
                char = raw[start:start + 4].decode("utf-8", "ignore")[:1]
                if char and not _drawless(char):
                    yield char


def _drawless(char: str) -> bool:
    """Characters that draw nothing in any font: spaces, controls, format characters."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Mn", "Zs")


# --- DOCX: coverage of the resolved files ------------------------------------------------------

def missing_in_fonts(text: str, files: Iterable[str]) -> list[str]:
    """Characters of `text` that no face of `files` maps to a glyph."""
    tables = [_charset(file) for file in dict.fromkeys(files)]
    return [c for c in dict.fromkeys(text)
            if not _drawless(c) and not any(_covers(t, ord(c)) for t in tables)]


def _covers(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    at = bisect.bisect_right(ranges, (code, 0x10FFFF + 1)) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


@functools.cache
def _charset(file: str) -> tuple[tuple[int, int], ...]:
    """The code points the faces of `file` map to glyphs, as sorted (first, last) ranges.

    fontconfig's charset — what Pango itself consults — read by `fc-query` in C:
    measured 0.07 s for a Noto CJK collection, where fontTools takes 3 s to decode it.
    """
    try:
        out = subprocess.run(["fc-query", "--format", "%{charset}\n", file],
                             capture_output=True, text=True, check=False, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    ranges = []
    for part in out.split():
        first, _, last = part.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    return tuple(sorted(ranges))


def docx_font_files(fonts: Mapping[str, Any]) -> tuple[str, ...]:
    """The files a DOCX's text is checked against: each role's face and the CJK fallback."""
    from qdocs.fonts import FALLBACK_FAMILY, installed_files

    roles = [f.file for f in fonts.values() if f.file]
    return tuple(dict.fromkeys(roles + installed_files(FALLBACK_FAMILY)))


def check_docx_text(html: str, files: Iterable[str]) -> None:
    """Raise MissingGlyphs for characters of the document's text that no font file has."""
    import lxml.etree
    import lxml.html

    try:
        body = lxml.html.document_fromstring(html).body
    except (ValueError, lxml.etree.ParserError):
        return          # the DOCX writer says what is wrong with the HTML
    for junk in body.iter("style", "script"):
        junk.text = ""
    missing = missing_in_fonts(body.text_content(), files)
    if missing:
        raise MissingGlyphs(missing, "docx")


# --- where the characters came from ------------------------------------------------------------

def found_in(chars: list[str], context: Mapping) -> list[str]:
    """Paths in the target's context (`regions[3].name`) of strings holding any of `chars`."""
    wanted = set(chars)
    out: list[str] = []
    seen: set[int] = set()

    def walk(value: Any, path: str, depth: int) -> None:
        if depth > 12 or len(out) >= 5 or id(value) in seen:
            return
        if isinstance(value, str):
            if wanted.intersection(value):
                out.append(path)
            return
        seen.add(id(value))
        if isinstance(value, Mapping):
            items: Iterable = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif hasattr(value, "__dict__") or hasattr(type(value), "model_fields"):
            fields = getattr(type(value), "model_fields", None) or vars(value)
            items = ((f"{path}.{k}", getattr(value, k, None)) for k in fields)
        else:
            return
        for sub_path, sub in items:
            walk(sub, sub_path, depth + 1)

    walk(context, "", 0)
    return out
