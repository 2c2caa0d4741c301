"""Reading the semantic HTML for the DOCX writer: what an element is, and the errors.

An element is known by its tag and class (docs/html-subset.md); marker classes, which
only name a part for scripts and tests, are left out of that key. Anything else is an
`UnknownElementError` with the line it stands on, so a template change that the writer
does not follow fails the build instead of losing text.
"""

from __future__ import annotations

import math
import re

from qdocs.errors import QdocsError

# Characters XML 1.0, and so WordprocessingML, cannot hold.
NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")

# Classes that name a part for scripts and tests (tests/test_cards.py reads the cards'
# figures by them) and change nothing in Word. Any other class is unknown.
MARKERS = {
    "table": frozenset({"items", "claims", "comparison", "rules", "findings"}),
    "tr": frozenset({"item", "bonus", "penalty", "block", "category", "base",
                     "bonus-total", "penalty-total"}),
    "span": frozenset({"final-score"}),
}


class DocxError(QdocsError):
    """The HTML cannot be written as DOCX (a malformed table, a chart without data)."""


class UnknownElementError(DocxError):
    """An element or class outside docs/html-subset.md: never dropped silently."""


def key(el) -> tuple[str, str]:
    """(tag, class) of an element, marker classes left out."""
    markers = MARKERS.get(el.tag, frozenset())
    return el.tag, " ".join(c for c in el.get("class", "").split() if c not in markers)


def describe(el) -> str:
    """Where and what an element is, for messages: line 12: <p class='body'>."""
    tag, cls = key(el)
    return f"line {el.sourceline}: <{tag}{f' class={cls!r}' if cls else ''}>"


def unknown(el, where: str) -> UnknownElementError:
    """The error for an element or class the writer does not know."""
    return UnknownElementError(
        f"{describe(el)} is not part of the HTML subset the DOCX writer knows "
        f"(docs/html-subset.md) inside {where}")


def elements(parent):
    """The element children of a block container; text there would be lost, so it is
    an error, and comments are skipped."""
    if (parent.text or "").strip():
        raise UnknownElementError(f"{describe(parent)}: loose text {parent.text.strip()!r}")
    for child in parent:
        if isinstance(child.tag, str):
            yield child
        if (child.tail or "").strip():
            raise UnknownElementError(
                f"{describe(parent)}: loose text {child.tail.strip()!r}")


def spans(el, classes: tuple[str, ...]) -> list:
    """The spans of a structured paragraph (附件说明 item, 印发 line), exactly these."""
    found = list(elements(el))
    if [key(s) for s in found] != [("span", c) for c in classes]:
        raise UnknownElementError(
            f"{describe(el)} must hold exactly " + ", ".join(f"span.{c}" for c in classes))
    return found


def rows(table):
    """(tr, is_header) in order: thead rows are header rows; tbody, tfoot and bare
    rows are not. A colgroup (the widths for WeasyPrint) is checked and passed over:
    Word takes the widths from data-widths-mm."""
    widths = len(table.get("data-widths-mm", "").split(","))
    for part in elements(table):
        if part.tag == "colgroup" and not part.get("class"):
            cols = list(elements(part))
            if any(col.tag != "col" or len(col) for col in cols) or len(cols) != widths:
                raise DocxError(f"{describe(part)}: one empty col a data-widths-mm width")
        elif part.tag == "tr":
            yield part, False
        elif part.tag in ("thead", "tbody", "tfoot") and not part.get("class"):
            for tr in elements(part):
                if tr.tag != "tr":
                    raise unknown(tr, part.tag)
                yield tr, part.tag == "thead"
        else:
            raise unknown(part, "table.grid")


def chars_attr(el, name: str, default: float | None) -> float:
    """A length in body characters (data-right-chars may be fractional: 2.5)."""
    value = el.get(name)
    if value is None and default is not None:
        return default
    try:
        chars = float(value)
    except (TypeError, ValueError):
        raise DocxError(f"{describe(el)}: {name} must be a number of characters") from None
    if not 0 <= chars < math.inf:
        raise DocxError(f"{describe(el)}: {name} out of range")
    return chars


def int_attr(el, name: str, default: int | None) -> int:
    """A positive whole number (colspan, rowspan)."""
    value = el.get(name)
    if value is None and default is not None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DocxError(f"{describe(el)}: {name} must be a whole number") from None
    if number < 1:
        raise DocxError(f"{describe(el)}: {name} out of range")
    return number
