"""Font roles: which face each GB/T 9704 role asks for, and which file really serves it.

A government PC has the standard faces (方正小标宋简体, 仿宋_GB2312, 黑体,
楷体_GB2312, 宋体); this machine usually has open substitutes from Debian packages.
The DOCX names the standard faces (Word and WPS substitute on their own); the PDF
embeds what is installed, so `resolve_fonts()` walks each role's preference list
against fontconfig and says which file serves it and whether it is a substitute.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROLES = ("xiaobiaosong", "fang", "hei", "kai", "song")

ROLE_NAMES = {
    "xiaobiaosong": "小标宋", "fang": "仿宋", "hei": "黑体", "kai": "楷体", "song": "宋体"}

# The face the standard's users have; the DOCX names these.
STANDARD_FACES = {
    "xiaobiaosong": "方正小标宋简体",
    "fang": "仿宋_GB2312",
    "hei": "黑体",
    "kai": "楷体_GB2312",
    "song": "宋体",
}

# Preference lists: the standard faces (and their common Windows names) first, then the
# open substitutes the setup installs (Fandol from texlive-lang-chinese, fonts-noto-cjk,
# fonts-lxgw-wenkai, fonts-arphic-ukai). Each entry: (family, style or None).
PREFERENCES: dict[str, list[tuple[str, str | None]]] = {
    "xiaobiaosong": [("方正小标宋简体", None), ("FZXiaoBiaoSong-B05S", None),
                     ("Noto Serif CJK SC", "Bold")],
    "fang": [("仿宋_GB2312", None), ("FangSong_GB2312", None), ("仿宋", None),
             ("FangSong", None), ("FandolFang", "Regular")],
    "hei": [("黑体", None), ("SimHei", None), ("FandolHei", "Regular"),
            ("Noto Sans CJK SC", "Regular")],
    "kai": [("楷体_GB2312", None), ("KaiTi_GB2312", None), ("楷体", None), ("KaiTi", None),
            ("FandolKai", "Regular"), ("LXGW WenKai", "Regular"), ("AR PL UKai CN", None)],
    "song": [("宋体", None), ("SimSun", None), ("FandolSong", "Regular"),
             ("Noto Serif CJK SC", "Regular")],
}

# The open faces the setup installs; any of them serving a role is a substitute.
OPEN_SUBSTITUTE_PREFIXES = ("Fandol", "Noto ", "LXGW ", "AR PL ")

# Per-character fallback for what a GB2312 face lacks (rare characters, some symbols).
FALLBACK_FAMILY = "Noto Serif CJK SC"


@dataclass(frozen=True)
class ResolvedFont:
    """One role: what the standard asks for and what this machine will embed."""

    role: str
    requested: str
    family: str | None
    weight: str  # CSS font-weight for the chosen style
    file: str | None
    substitute: bool


@cache
def _installed() -> tuple[tuple[str, str, str], ...]:
    """(family, style, file) of every installed font, from fc-list."""
    if shutil.which("fc-list") is None:
        return ()
    out = subprocess.run(
        ["fc-list", "--format", "%{family}\t%{style}\t%{file}\n"],
        capture_output=True, text=True, check=False).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        families, styles, file = parts
        for fam in families.split(","):
            for style in styles.split(","):
                rows.append((fam.strip(), style.strip(), file))
    return tuple(sorted(set(rows)))


def _find(family: str, style: str | None) -> str | None:
    for fam, sty, file in _installed():
        if fam == family and (style is None or sty == style):
            return file
    return None


@cache
def resolve_fonts(
    overrides: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> dict[str, ResolvedFont]:
    """Resolve every role to an installed file (None when nothing is installed)."""
    extra = dict(overrides)
    result = {}
    for role in ROLES:
        prefs = [(f, None) for f in extra.get(role, ())] + PREFERENCES[role]
        chosen = (None, None, None)
        for family, style in prefs:
            file = _find(family, style)
            if file:
                chosen = (family, style, file)
                break
        family, style, file = chosen
        result[role] = ResolvedFont(
            role=role,
            requested=STANDARD_FACES[role],
            family=family,
            weight="bold" if style == "Bold" else "normal",
            file=file,
            substitute=family is None or family.startswith(OPEN_SUBSTITUTE_PREFIXES),
        )
    return result


def css_family(font: ResolvedFont) -> str:
    """A CSS font-family list: the resolved face, then the per-character fallback."""
    names = [font.family] if font.family else []
    names.append(FALLBACK_FAMILY)
    return ", ".join(f'"{n}"' for n in names)


def fonts_fingerprint(fonts: dict[str, ResolvedFont]) -> str:
    """A hash of the font files in use, for build keys (a font update rebuilds)."""
    h = hashlib.sha256()
    for file in font_files(fonts):
        st = Path(file).stat()
        h.update(f"{file}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def font_files(fonts: dict[str, ResolvedFont]) -> list[str]:
    """Every font file a build may draw with: each role's, and the fallback family's."""
    return sorted({f.file for f in fonts.values() if f.file} | set(_fallback_files()))


def _fallback_files() -> list[str]:
    return installed_files(FALLBACK_FAMILY)


def installed_files(family: str) -> list[str]:
    """The files of every installed style of `family`."""
    return sorted({file for fam, _sty, file in _installed() if fam == family})


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz only when libharfbuzz-subset is installed;
    without it, fontTools makes an 8-page CJK notice ~50× slower."""
    return ctypes.util.find_library("harfbuzz-subset") is not None
