"""The GB/T 9704-2012 layout profile: every layout number of qdocs, typed.

The YAML file beside this module is the one place a number lives; the print
stylesheet, the DOCX writer and the checker read it through `load_profile()`.
A mistyped key fails at load (extra keys are forbidden), not in a template.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

PROFILE_PATH = Path(__file__).with_name("gbt9704-2012.yaml")

MM_PER_PT = Decimal("25.4") / Decimal(72)


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Group):
    width_mm: float
    height_mm: float


class TypeArea(_Group):
    width_mm: float
    height_mm: float
    top_mm: float
    left_mm: float
    right_mm: float
    bottom_mm: float


class Body(_Group):
    font_size_pt: float
    role: str
    lines_per_page: int
    chars_per_line: int
    line_pitch_pt: float
    letter_spacing_pt: float
    first_line_indent_chars: int
    justify_max_slack_chars: float


class Heading(_Group):
    role: str


class Headings(_Group):
    level1: Heading
    level2: Heading
    level3: Heading
    level4: Heading


class Masthead(_Group):
    top_below_type_area_mm: float
    role: str
    font_size_pt: float
    color: str
    blank_lines_after: int


class DocNumber(_Group):
    role: str
    year_brackets: str


class RedRule(_Group):
    below_doc_number_mm: float
    thickness_mm: float
    color: str
    blank_lines_after: int


class Title(_Group):
    font_size_pt: float
    role: str
    blank_lines_after: int
    min_line_fraction: float = Field(gt=0, le=1)


class Signature(_Group):
    blank_lines_before: int
    date_right_chars: int
    remedy_lines_per_page: int = Field(gt=0)
    remedy_chars_per_line: int = Field(gt=0)


class Attachments(_Group):
    blank_lines_before: int
    indent_chars: int


class Note(_Group):
    indent_chars: int


class Annex(_Group):
    label_role: str
    title_line: int


class Imprint(_Group):
    font_size_pt: float
    role: str
    indent_chars: int
    line_pitch_pt: float
    outer_rule_mm: float
    inner_rule_mm: float
    min_space_above_mm: float = Field(ge=0)


class PageNumber(_Group):
    font_size_pt: float
    role: str
    dash: str
    below_type_area_mm: float
    inset_chars: int


class Table(_Group):
    font_size_pt: float
    line_pitch_pt: float
    header_role: str
    cell_padding_mm: float
    rule_mm: float
    compact_font_size_pt: float
    compact_line_pitch_pt: float


class SampleMark(_Group):
    text: str
    color: str
    font_size_pt: float


class Profile(_Group):
    """The whole profile; see the YAML file for each number's clause."""

    page: Page
    type_area: TypeArea
    body: Body
    headings: Headings
    masthead: Masthead
    doc_number: DocNumber
    red_rule: RedRule
    title: Title
    attachments: Attachments
    signature: Signature
    note: Note
    annex: Annex
    imprint: Imprint
    page_number: PageNumber
    table: Table
    sample_mark: SampleMark

    @property
    def char_pt(self) -> float:
        """Width of one body character cell: the type-area width over 28 (推算)."""
        return self.type_area.width_mm / 25.4 * 72 / self.body.chars_per_line

    @property
    def remedy_line_pitch_pt(self) -> float:
        """7.3.5 remedy: the tightest line pitch, the type area over remedy_lines_per_page
        less the same grid rounding as the body's (28.95 for 22 lines of 28.99)."""
        natural = self.type_area.height_mm / 25.4 * 72 / self.body.lines_per_page
        return (self.type_area.height_mm / 25.4 * 72 / self.signature.remedy_lines_per_page
                - (natural - self.body.line_pitch_pt))

    @property
    def remedy_letter_spacing_pt(self) -> float:
        """7.3.5 remedy: the tightest letter-spacing, so remedy_chars_per_line characters
        fill the line (as the body's −0.22 pt does for 28)."""
        per_char = self.type_area.width_mm / 25.4 * 72 / self.signature.remedy_chars_per_line
        return per_char - self.body.font_size_pt + (self.body.letter_spacing_pt
                                                    - (self.char_pt - self.body.font_size_pt))


@cache
def load_profile(path: Path = PROFILE_PATH) -> Profile:
    """Read and validate the profile (cached: it is read by every writer)."""
    with open(path, encoding="utf-8") as f:
        return Profile.model_validate(yaml.safe_load(f))
