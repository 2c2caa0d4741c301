"""Font checks: every font embedded, and which face serves each role, substitutes named.

A PDF that leans on the reader's fonts prints in whatever face the printer has; the
standard's roles (仿宋 body, 黑体 and 楷体 headings, 小标宋 titles, 宋体 page numbers)
are only kept when the faces travel with the file. The role of a font is read from
its name against the preference lists of `qdocs.fonts`, so a PDF made on another
machine (with the standard faces, or with other substitutes) is judged the same way.
"""

from __future__ import annotations

import re

from qdocs.check.pdfmeasure import PdfGeometry
from qdocs.check.records import Check, unverified, verdict
from qdocs.fonts import FALLBACK_FAMILY, OPEN_SUBSTITUTE_PREFIXES, PREFERENCES, ROLE_NAMES

# What the DOCX names and the PDF may carry under other spellings: PostScript names of
# the standard faces (Windows and the FZ foundry).
STANDARD_ALIASES = {
    "fang": ("FangSong_GB2312", "FangSong", "仿宋_GB2312", "仿宋"),
    "kai": ("KaiTi_GB2312", "KaiTi", "楷体_GB2312", "楷体"),
    "hei": ("SimHei", "黑体"),
    "song": ("SimSun", "NSimSun", "宋体"),
    "xiaobiaosong": ("FZXiaoBiaoSong-B05S", "FZXBSJW--GB1-0", "方正小标宋简体"),
}


# Noto CJK collections hold one face a region (SC, TC, JP, KR, HK); LibreOffice may
# embed the face under another region's PostScript name (NotoSerifCJKjp-Bold).
_NOTO_REGION = re.compile(r"^(noto(?:serif|sans)cjk)(sc|tc|jp|kr|hk)")


def _norm(name: str) -> str:
    flat = "".join(ch for ch in name.lower() if ch.isalnum())
    return _NOTO_REGION.sub(r"\1", flat)


def font_roles(font_name: str) -> list[tuple[str, bool]]:
    """The roles a font (by its PDF name) can serve, each with whether it is a
    substitute for the standard face; [] when it serves none."""
    base = _norm(font_name)
    found: list[tuple[str, bool]] = []
    for role, prefs in PREFERENCES.items():
        names = [(f, s) for f, s in prefs] + [(a, None) for a in STANDARD_ALIASES[role]]
        for family, style in names:
            key = _norm(family)
            if not base.startswith(key):
                continue
            rest = base[len(key):]
            if style is None or rest.startswith(_norm(style)) or (
                    style == "Regular" and not rest.startswith(("bold", "light", "medium"))):
                found.append((role, family.startswith(OPEN_SUBSTITUTE_PREFIXES)))
                break
    return found


def is_fallback(font_name: str) -> bool:
    """Whether the font is the per-character fallback face (qdocs.fonts.FALLBACK_FAMILY,
    its regular cut)."""
    base, key = _norm(font_name), _norm(FALLBACK_FAMILY)
    return base.startswith(key) and base[len(key):] in ("", "regular")


def font_checks(geometry: PdfGeometry) -> list[Check]:
    """fonts.embedded and fonts.roles."""
    return [_embedded(geometry), _roles(geometry)]


def _embedded(geometry: PdfGeometry) -> Check:
    expected = "every font embedded"
    if not geometry.fonts:
        return unverified("fonts.embedded", "5.2.2", expected, "the file uses no fonts")
    missing = [f for f in geometry.fonts if not f.embedded]
    measured = (f"{len(geometry.fonts) - len(missing)} of {len(geometry.fonts)} embedded")
    detail = ("not embedded: " + ", ".join(f"{f.name} ({f.subtype})" for f in missing)
              if missing else ", ".join(f.name for f in geometry.fonts))
    return Check("fonts.embedded", "5.2.2", expected, measured, verdict(not missing), detail)


def _roles(geometry: PdfGeometry) -> Check:
    expected = "each font serves a role; substitutes named"
    if not geometry.fonts:
        return unverified("fonts.roles", "5.2.2", expected, "the file uses no fonts")
    served, unknown = [], []
    for font in geometry.fonts:
        roles = font_roles(font.name)
        if not roles:
            unknown.append(font.name)
            continue
        role, substitute = roles[0]
        note = " (substitute)" if substitute else ""
        if is_fallback(font.name):
            note += " (also the per-character fallback)"
        served.append(f"{ROLE_NAMES[role]} ← {_pretty(font.name)}{note}")
    measured = "; ".join(served) if served else "none"
    detail = ("serving no role: " + ", ".join(unknown)) if unknown else ""
    return Check("fonts.roles", "5.2.2", expected, measured, verdict(not unknown), detail)


def _pretty(name: str) -> str:
    return re.sub(r"-", " ", name)
