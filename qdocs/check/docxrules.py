"""The static DOCX checks, read from the WordprocessingML itself: page setup, the
document grid, the styles' East Asian fonts and sizes, odd/even footers with PAGE
fields, and repeating table header rows.

These are what Word and WPS obey when they lay the file out; the layout itself is
judged on LibreOffice's rendering (`office`, `pdfcheck`). A DOCX that cannot be read
fails every check with the reason, rather than passing any.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from qdocs.check.records import FAIL, Check, fmt_num, na, verdict
from qdocs.fonts import STANDARD_FACES
from qdocs.profile import Profile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
TWIPS_PER_MM = 1440 / 25.4

PAGE_TOL_MM = 0.1        # twips round to 0.018 mm; 0.1 mm is the writer's rounding room
PITCH_TOL_TWIPS = 1      # the grid pitch is stored in whole twips
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class _Package:
    """The parts of a DOCX the checks read."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            self.document = etree.fromstring(z.read("word/document.xml"))
            self.styles = (etree.fromstring(z.read("word/styles.xml"))
                           if "word/styles.xml" in names else None)
            self.settings = (etree.fromstring(z.read("word/settings.xml"))
                             if "word/settings.xml" in names else None)
            rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
            self.parts: dict[str, etree._Element] = {}
            for rel in rels:
                target = rel.get("Target", "")
                path_in_zip = "word/" + target.lstrip("/").removeprefix("word/")
                if path_in_zip in names and target.endswith(".xml"):
                    self.parts[rel.get("Id")] = etree.fromstring(z.read(path_in_zip))

    def sections(self) -> list[etree._Element]:
        return self.document.findall(".//w:sectPr", NS)


def docx_checks(path: Path, profile: Profile, expected_parts: set[str]) -> list[Check]:
    """Every static check of the DOCX at `path`."""
    try:
        pkg = _Package(path)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        reason = f"cannot read the DOCX: {exc}"
        return [Check(rule, clause, "a readable DOCX", "unreadable", FAIL, reason)
                for rule, clause in (("docx.page_setup", "5.1, 5.2.1"), ("docx.grid", "5.2.3"),
                                     ("docx.styles", "5.2.2"), ("docx.footers", "7.5"),
                                     ("docx.table_headers", "8"))]
    imprint = "imprint" in expected_parts
    return [_page_setup(pkg, profile), _grid(pkg, profile, imprint), _styles(pkg, profile),
            _footers(pkg, profile, imprint), _table_headers(pkg)]


def _int(el, attr: str) -> int | None:
    if el is None:
        return None
    value = el.get(_w(attr))
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _page_setup(pkg: _Package, profile: Profile) -> Check:
    ta, page = profile.type_area, profile.page
    want = {"w": page.width_mm, "h": page.height_mm, "top": ta.top_mm, "left": ta.left_mm,
            "right": ta.right_mm, "bottom": ta.bottom_mm}
    expected = (f"{fmt_num(page.width_mm)} × {fmt_num(page.height_mm)} mm; margins "
                f"{fmt_num(ta.top_mm)}/{fmt_num(ta.left_mm)}/{fmt_num(ta.right_mm)}/"
                f"{fmt_num(ta.bottom_mm)} mm (top/left/right/bottom) ± {PAGE_TOL_MM}")
    sections = pkg.sections()
    if not sections:
        return Check("docx.page_setup", "5.1, 5.2.1", expected, "no section", FAIL)
    problems, seen = [], set()
    for i, sect in enumerate(sections, 1):
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        got = {"w": _int(size, "w"), "h": _int(size, "h"), "top": _int(mar, "top"),
               "left": _int(mar, "left"), "right": _int(mar, "right"),
               "bottom": _int(mar, "bottom")}
        for key, value in got.items():
            if value is None or abs(value / TWIPS_PER_MM - want[key]) > PAGE_TOL_MM:
                shown = "missing" if value is None else f"{value / TWIPS_PER_MM:.1f} mm"
                problems.append(f"section {i}: {key} {shown}")
        seen.add(tuple(round((v or 0) / TWIPS_PER_MM, 1) for v in got.values()))
    measured = "; ".join(f"{w} × {h} mm; {t}/{le}/{r}/{b} mm" for w, h, t, le, r, b in
                         sorted(seen))
    return Check("docx.page_setup", "5.1, 5.2.1", expected, measured, verdict(not problems),
                 "; ".join(problems[:6]) or f"{len(sections)} sections")


def _grid(pkg: _Package, profile: Profile, has_imprint: bool) -> Check:
    pitch = round(profile.body.line_pitch_pt * 20)
    expected = (f"document grid of lines, pitch {pitch} twips ({fmt_num(pitch / 20)} pt), "
                "in every section of text")
    problems, found = [], set()
    sections = pkg.sections()
    if has_imprint and len(sections) > 1:
        sections = sections[:-1]          # the 版记's own section holds no running text
    for i, sect in enumerate(sections, 1):
        grid = sect.find("w:docGrid", NS)
        kind = grid.get(_w("type")) if grid is not None else None
        line = _int(grid, "linePitch")
        found.add(f"{kind or 'none'} {line if line is not None else '—'}")
        if kind not in ("lines", "linesAndChars", "snapToChars"):
            problems.append(f"section {i}: no line grid")
        elif line is None or abs(line - pitch) > PITCH_TOL_TWIPS:
            problems.append(f"section {i}: pitch {line}")
    if not found:
        return Check("docx.grid", "5.2.3", expected, "no section", FAIL)
    return Check("docx.grid", "5.2.3", expected, "; ".join(sorted(found)),
                 verdict(not problems), "; ".join(problems[:6]))


def _style_roles(profile: Profile) -> dict[str, tuple[str, float]]:
    """Style name → (role, size pt), for the styles of docs/html-subset.md."""
    body, size = profile.body.role, profile.body.font_size_pt
    title = (profile.title.role, profile.title.font_size_pt)
    h = profile.headings
    return {
        "QD Body": (body, size), "QD Addressee": (body, size), "QD Attachment": (body, size),
        "QD Signature": (body, size), "QD Date": (body, size), "QD Note": (body, size),
        "QD Doc Number": (profile.doc_number.role, size),
        "QD Issuer Mark": (profile.masthead.role, profile.masthead.font_size_pt),
        "QD Title": title, "QD Annex Title": title,
        "QD Heading 1": (h.level1.role, size), "QD Heading 2": (h.level2.role, size),
        "QD Heading 3": (h.level3.role, size), "QD Heading 4": (h.level4.role, size),
        "QD Annex Label": (profile.annex.label_role, size),
        "QD Imprint": (profile.imprint.role, profile.imprint.font_size_pt),
        "QD Page Number": (profile.page_number.role, profile.page_number.font_size_pt),
        "QD Table Header": (profile.table.header_role, profile.table.font_size_pt),
    }


def _styles(pkg: _Package, profile: Profile) -> Check:
    expected = "each QD style: its role's standard face as w:eastAsia, its size; no theme fonts"
    if pkg.styles is None:
        return Check("docx.styles", "5.2.2", expected, "no styles part", FAIL)
    by_id = {s.get(_w("styleId")): s for s in pkg.styles.findall("w:style", NS)}
    by_name = {}
    for sid, style in by_id.items():
        name = style.find("w:name", NS)
        if name is not None:
            by_name[name.get(_w("val"))] = sid
    defaults = pkg.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)

    def resolve(sid: str | None, tag: str, attr: str) -> str | None:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = by_id.get(sid)
            if style is None:
                break
            el = style.find(f"w:rPr/w:{tag}", NS)
            if el is not None and el.get(_w(attr)) is not None:
                return el.get(_w(attr))
            based = style.find("w:basedOn", NS)
            sid = based.get(_w("val")) if based is not None else None
        el = defaults.find(f"w:{tag}", NS) if defaults is not None else None
        return el.get(_w(attr)) if el is not None else None

    problems, checked = [], []
    for name, (role, size) in _style_roles(profile).items():
        sid = by_name.get(name)
        if sid is None:
            continue
        face = resolve(sid, "rFonts", "eastAsia")
        half_points = resolve(sid, "sz", "val")
        checked.append(f"{name}: {face} {fmt_num(int(half_points) / 2) if half_points else '?'}")
        if face != STANDARD_FACES[role]:
            problems.append(f"{name} East Asian font {face or 'unset'} (want "
                            f"{STANDARD_FACES[role]})")
        if half_points is None or abs(int(half_points) / 2 - size) > 0.01:
            problems.append(f"{name} size {half_points and int(half_points) / 2} pt (want "
                            f"{fmt_num(size)})")
    themed = sorted({s.find("w:name", NS).get(_w("val")) for s in by_id.values()
                     if s.find("w:name", NS) is not None
                     and s.find("w:name", NS).get(_w("val"), "").startswith("QD ")
                     and any(el.get(_w(a)) for el in s.iter(_w("rFonts")) for a in THEME_ATTRS)})
    if defaults is not None and any(el.get(_w(a)) for el in defaults.iter(_w("rFonts"))
                                    for a in THEME_ATTRS):
        themed.append("docDefaults")
    if themed:
        problems.append("theme fonts in " + ", ".join(themed))
    if not checked:
        return Check("docx.styles", "5.2.2", expected, "no QD styles", FAIL)
    return Check("docx.styles", "5.2.2", expected, f"{len(checked)} styles",
                 verdict(not problems), "; ".join(problems[:6]) or "; ".join(checked[:4]) + " …")


def _footer_state(pkg: _Package, sect, kind: str) -> tuple[bool, str] | None:
    """(has a PAGE field, alignment) of the section's footer of `kind`, None if none."""
    for ref in sect.findall("w:footerReference", NS):
        if ref.get(_w("type")) == kind:
            part = pkg.parts.get(ref.get(f"{{{R}}}id"))
            if part is None:
                return None
            instr = " ".join(t.text or "" for t in part.iter(_w("instrText")))
            instr += " ".join(f.get(_w("instr"), "") for f in part.iter(_w("fldSimple")))
            jc = part.find(".//w:p/w:pPr/w:jc", NS)
            align = jc.get(_w("val")) if jc is not None else "left"
            return ("PAGE" in instr.split(), align)
    return None


def _footers(pkg: _Package, profile: Profile, has_imprint: bool) -> Check:
    expected = ("w:evenAndOddHeaders; odd footers right, even left, with a PAGE field; "
                "none on a 版记 section after a blank page (nextPage), numbered on when it "
                "follows a text page (evenPage) (7.5 read literally)")
    problems = []
    settings_ok = (pkg.settings is not None
                   and pkg.settings.find("w:evenAndOddHeaders", NS) is not None)
    if not settings_ok:
        problems.append("no w:evenAndOddHeaders in settings")
    sections = pkg.sections()
    numbered = sections[:-1] if has_imprint and len(sections) > 1 else sections
    states = []
    for i, sect in enumerate(numbered, 1):
        odd, even = _footer_state(pkg, sect, "default"), _footer_state(pkg, sect, "even")
        if odd is None and even is None and i > 1:
            continue                       # inherits the previous section's footers
        states.append(f"odd {odd[1] if odd else 'none'}, even {even[1] if even else 'none'}")
        if not odd or not odd[0] or odd[1] not in ("right", "end"):
            problems.append(f"section {i}: odd footer {odd}")
        if not even or not even[0] or even[1] not in ("left", "start"):
            problems.append(f"section {i}: even footer {even}")
    if has_imprint and len(sections) > 1:   # one section: the 版记 at the foot of its page
        last = sections[-1]
        start = last.find("w:type", NS)
        after_blank = (start.get(_w("val")) if start is not None else "nextPage") == "nextPage"
        refs = [_footer_state(pkg, last, k) for k in ("default", "even", "first")]
        if after_blank and any(r is not None and r[0] for r in refs):
            problems.append("the 版记 section after a blank page has a PAGE field")
        elif after_blank and all(r is None for r in refs):
            problems.append("the 版记 section after a blank page inherits the numbered footers")
        elif not after_blank and any(r is not None and not r[0] for r in refs):
            problems.append("the 版记 page after a text page has no page number")
        else:
            states.append("版记 after a blank page: none" if after_blank
                          else "版记: numbered on")
    return Check("docx.footers", "7.5", expected, "; ".join(dict.fromkeys(states)) or "none",
                 verdict(not problems), "; ".join(problems[:6]))


def _table_headers(pkg: _Package) -> Check:
    expected = "every table's header rows marked w:tblHeader (repeat on each page)"
    imprint = _style_id(pkg, "QD Imprint")
    tables = [t for t in pkg.document.findall(".//w:tbl", NS)
              if not _all_paragraphs_styled(t, imprint)]   # the 版记 is a layout table
    if not tables:
        return na("docx.table_headers", "8", expected, "no tables")
    bad = [i for i, tbl in enumerate(tables, 1)
           if (row := tbl.find("w:tr", NS)) is None
           or row.find("w:trPr/w:tblHeader", NS) is None
           or row.find("w:trPr/w:tblHeader", NS).get(_w("val"), "true") in ("0", "false")]
    return Check("docx.table_headers", "8", expected,
                 f"{len(tables) - len(bad)} of {len(tables)} tables", verdict(not bad),
                 f"tables without: {', '.join(map(str, bad[:8]))}" if bad else "")


def _style_id(pkg: _Package, name: str) -> str | None:
    if pkg.styles is None:
        return None
    for style in pkg.styles.findall("w:style", NS):
        el = style.find("w:name", NS)
        if el is not None and el.get(_w("val")) == name:
            return style.get(_w("styleId"))
    return None


def _all_paragraphs_styled(tbl, style_id: str | None) -> bool:
    if style_id is None:
        return False
    styles = [p.find("w:pPr/w:pStyle", NS) for p in tbl.iter(_w("p"))]
    return bool(styles) and all(s is not None and s.get(_w("val")) == style_id for s in styles)
