"""A returned .xlsx read straight from its XML: values and number formats, nothing else.

openpyxl builds a full object model with styles for every cell, which costs about
five times the 20 ms a sheet may take; reading back needs only each cell's value
and whether its number format shows a percentage. The parts read are the ones
every SpreadsheetML writer (Excel, WPS, Calc, openpyxl) must produce: the
workbook's sheet list and relationships, the shared strings, the cell formats
and the sheets. A formula cell gives its cached result, as the user saw it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from html import unescape
from xml.etree import ElementTree as ET

from qdocs.sheets.inputs import Cell

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PERCENT_FORMATS = {9: "0%", 10: "0.00%"}     # built-in numFmtIds (ECMA-376 §18.8.30)
_REF = re.compile(r"([A-Z]+)(\d+)")
MAX_PART_BYTES = 50 * 1024 * 1024            # a score sheet is ~60 kB; refuse zip bombs


class NotAWorkbook(Exception):
    """The file is not a readable .xlsx; the message says why."""


def read_cells(path, columns: dict[str, str] | None = None
               ) -> dict[str, dict[tuple[int, int], Cell]]:
    """Sheet name → {(row, column): Cell} of the non-empty cells, in workbook order.

    `columns` may name, per sheet, the only column letters worth decoding ("BDEHIJ"):
    the locked text of a region sheet is never read back, and skipping it halves the time.
    """
    try:
        with zipfile.ZipFile(path) as z:
            return _read(z, columns or {})
    except zipfile.BadZipFile as exc:
        raise NotAWorkbook(f"BadZipFile: {exc}") from None
    except KeyError as exc:
        raise NotAWorkbook(f"a part is missing: {exc.args[0]}") from None
    except ET.ParseError as exc:
        raise NotAWorkbook(f"damaged XML: {exc}") from None


def _raw(z: zipfile.ZipFile, name: str) -> bytes:
    if z.getinfo(name).file_size > MAX_PART_BYTES:
        raise NotAWorkbook(f"{name} is larger than {MAX_PART_BYTES // 2**20} MB")
    return z.read(name)


def _part(z: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(_raw(z, name))


def _read(z: zipfile.ZipFile, columns: dict[str, str]) -> dict[str, dict[tuple[int, int], Cell]]:
    names = set(z.namelist())
    workbook = _part(z, "xl/workbook.xml")
    rels = _part(z, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    shared = _shared_strings(z) if "xl/sharedStrings.xml" in names else []
    formats = _formats(z) if "xl/styles.xml" in names else []
    out = {}
    for sheet in workbook.iter(f"{M}sheet"):
        target = targets[sheet.get(R_ID)]
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        name = sheet.get("name")
        raw = _raw(z, part)
        scanned = _scan(raw, shared, formats, columns.get(name))
        out[name] = scanned if scanned is not None else _cells(
            ET.fromstring(raw), shared, formats, columns.get(name))
    return out


def _text(node: ET.Element) -> str:
    """The text of a string item: its <t>, or its rich-text runs' <t>s joined."""
    return "".join(t.text or "" for t in node.iter(f"{M}t"))


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    return [_text(si) for si in _part(z, "xl/sharedStrings.xml").iter(f"{M}si")]


def _formats(z: zipfile.ZipFile) -> list[str]:
    """Number format code of each cell format (cellXfs), by index."""
    styles = _part(z, "xl/styles.xml")
    codes = dict(PERCENT_FORMATS)
    for fmt in styles.iter(f"{M}numFmt"):
        codes[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "General")
    xfs = styles.find(f"{M}cellXfs")
    if xfs is None:
        return []
    return [codes.get(int(xf.get("numFmtId", "0")), "General") for xf in xfs.iter(f"{M}xf")]


def _cells(root: ET.Element, shared: list[str], formats: list[str], wanted: str | None):
    cells = {}
    for c in root.iter(f"{M}c"):
        m = _REF.fullmatch(c.get("r", ""))
        if m is None or (wanted is not None and m[1] not in wanted):
            continue
        kind = c.get("t", "n")
        v = c.find(f"{M}v")
        if kind == "inlineStr":
            node = c.find(f"{M}is")
            value = _text(node) if node is not None else None
        elif v is None or v.text is None:
            continue
        elif kind == "s":
            value = shared[int(v.text)]
        elif kind == "b":
            value = v.text.strip() == "1"
        elif kind in ("str", "e", "d"):
            value = v.text
        else:
            value = float(v.text) if any(ch in v.text for ch in ".eE") else int(v.text)
        if value is None or value == "":
            continue
        style = int(c.get("s", "0"))
        fmt = formats[style] if style < len(formats) else "General"
        cells[(int(m[2]), _column(m[1]))] = Cell(value, fmt)
    return cells


# The cells of a sheet in the default namespace, as Excel, WPS, Calc and openpyxl write
# them: <c r="E5" s="8" t="s"><v>3</v></c>, <c r="E5" t="inlineStr"><is><t>是</t></is></c>,
# or <c r="E5" s="8"/>. A sheet written with prefixed names (<x:c>) or anything this does not
# recognise goes through ElementTree instead.
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ATTR = re.compile(rb'\b([st])="([^"]*)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>|<t\s*/>")


def _scan(raw: bytes, shared: list[str], formats: list[str], wanted: str | None):
    """The cells by regular expression (ElementTree builds every element: 3× slower), or None
    when the sheet does not look as expected."""
    if b"<sheetData" not in raw or b"<c " in raw and not _CELL.search(raw):
        return None
    wanted_b = wanted.encode() if wanted is not None else None
    cells = {}
    for m in _CELL.finditer(raw):
        if wanted_b is not None and m[1] not in wanted_b:
            continue
        attrs = dict(_ATTR.findall(m[3]))
        kind, body = attrs.get(b"t", b"n"), m[4]
        if body is None:
            continue
        if kind == b"inlineStr":
            value = "".join(unescape(t.decode("utf-8")) for t in _T.findall(body))
        else:
            v = _V.search(body)
            if v is None:
                continue
            text = unescape(v[1].decode("utf-8"))
            if kind == b"s":
                value = shared[int(text)]
            elif kind == b"b":
                value = text.strip() == "1"
            elif kind in (b"str", b"e", b"d"):
                value = text
            else:
                value = float(text) if any(ch in text for ch in ".eE") else int(text)
        if value is None or value == "":
            continue
        style = int(attrs.get(b"s", b"0"))
        fmt = formats[style] if style < len(formats) else "General"
        cells[(int(m[2]), _column(m[1].decode()))] = Cell(value, fmt)
    return cells


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
