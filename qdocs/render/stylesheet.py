"""The print stylesheet, rendered from the profile and the resolved fonts.

The calibrations below are measured on the fonts the setup installs (Fandol,
Noto CJK) with pdfplumber; they place glyphs, not boxes, where the standard says.
"""

from __future__ import annotations

from qdocs.fonts import ResolvedFont, css_family
from qdocs.profile import Profile

# Calibration: the middle of the em-dash "—" stands this many em above the top of
# a line box whose line-height equals the font size (FandolSong, measured 0.5 em
# box middle; the dash's stroke sits at the box middle within 0.1 mm).
DASH_CENTRE_EM = 0.5

# Calibration: in a line box whose line-height equals the font size, the top of the
# masthead's ink (GB/T 9704 7.2.2 measures the mark's upper edge) stands this far below
# the box top. Measured on a render of a ten-character 发文机关标志 in Noto Serif CJK SC Bold
# at 36 pt: 1.045 mm = 2.96 pt = 0.0823 em. (pdfplumber's character box top, 0.2185 em,
# is not the ink.)
MASTHEAD_GLYPH_TOP_EM = 0.0823


def stylesheet_context(profile: Profile, fonts: dict[str, ResolvedFont]) -> dict:
    """Template variables of print.css.j2."""
    return {
        "p": profile,
        "f": {role: css_family(font) for role, font in fonts.items()},
        "fw": {role: font.weight for role, font in fonts.items()},
        "dash_centre_em": DASH_CENTRE_EM,
        "masthead_glyph_top_em": MASTHEAD_GLYPH_TOP_EM,
        "mm_pt": 72 / 25.4,
    }
