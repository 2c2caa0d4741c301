"""Pydantic models of the content files (the user's interface: keep them stable).

Every model forbids unknown fields, so `pionts:` is an error and not a silent
default, and is frozen, so later stages cannot change what was validated.
Scoring models live in `scoring_models.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# Region codes and annex ids become file names: letters, digits, '-' and '_' only.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Item, block, claim and veto ids are only printed and referred to: "1.1", "T1", "三(2)".
KEY = re.compile(r"^[^\s,:#]{1,32}$")


class Strict(BaseModel):
    """Base of every content model: unknown fields are errors; values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def check_safe_id(value: str) -> str:
    """Refuse ids that would make unsafe or surprising file names."""
    if not SAFE_ID.match(value):
        raise ValueError(
            "must be 1–64 ASCII letters, digits, '-' or '_', starting with a letter or "
            f"digit (it becomes a file name); got {value!r}")
    return value


def check_key(value: str) -> str:
    """Refuse ids that cannot be written or referred to plainly (spaces, commas, colons)."""
    if not KEY.match(value):
        raise ValueError(
            "must be 1–32 characters without spaces, commas, colons or '#', "
            f"such as 1.1 or T1; got {value!r}")
    return value


# --- qdocs.yaml -------------------------------------------------------------------------------

Format = Literal["pdf", "docx", "html"]


class Settings(Strict):
    """Project settings (qdocs.yaml)."""

    project: Text = Field(description="the project's name, shown in the review index")
    year: int = Field(ge=1949, le=2100, description="the assessed year, printed in card titles")
    issuer: Text = Field(description="the issuing office")
    scope: Text | None = Field(
        default=None,
        description="the word for the whole area assessed, as averages print it: 全市, 全区, "
                    "全国; without it the documents say 平均 alone")
    formats: list[Format] = Field(default_factory=lambda: ["pdf", "docx", "html"], min_length=1,
                                  description="the output formats built")
    build_dir: Text = Field(default="build", description="where outputs go, inside the project")
    fonts: dict[Literal["xiaobiaosong", "fang", "hei", "kai", "song"], list[Text]] = Field(
        default_factory=dict,
        description="per role, font families to try before the built-in preference list")


# --- departments.yaml, regions.yaml ---------------------------------------------------------

class Department(Strict):
    """One department, by the short name the documents use."""

    name: Text = Field(description="the short name used in the documents, e.g. 市市场监管局")
    full_name: Text | None = Field(default=None, description="the full name, if different")


class Departments(Strict):
    """The registry of department names (departments.yaml): every name used is checked."""

    departments: list[Department] = Field(min_length=1, description="every department named")


class Region(Strict):
    """One region assessed: its code, names and the government assessed."""

    code: str = Field(description="GB/T 2260 code, six digits, in quotes")
    name: Text = Field(description="the short name in tables, e.g. 东城区")
    full_name: Text = Field(description="the name in a card's title")
    government: Text = Field(description="the body assessed (考核对象), e.g. 东城区人民政府")
    kind: Text | None = Field(default=None, description="free text such as 市, 州, 区, 县")

    @field_validator("code", mode="before")
    @classmethod
    def _quoted(cls, v: object) -> object:
        # YAML reads 420100 unquoted as a number; a code is text (it may become a file name).
        if isinstance(v, int) and not isinstance(v, bool):
            raise ValueError(f'must be the region code in quotes, e.g. "{v}"; got {v}')
        return v

    @field_validator("code")
    @classmethod
    def _six_digits(cls, v: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]{5}", v):
            raise ValueError(f"must be a six-digit GB/T 2260 code, as text in quotes; got {v!r}")
        return check_safe_id(v)


class Regions(Strict):
    """The regions assessed (regions.yaml), in the order documents list them."""

    regions: list[Region] = Field(min_length=1, description="every region assessed, in order")


# --- notice.yaml ----------------------------------------------------------------------------

class Heading(Strict):
    """A numbered heading paragraph in a body; the number comes from its position."""

    heading: Text = Field(description="the heading text, without its number")
    level: int = Field(default=1, ge=1, le=4, description="1 一、 2 （一） 3 1. 4 （1）")


BodyItem = Text | Heading


class Notice(Strict):
    """The 通知: 版头, 主体 and 版记 fields of GB/T 9704 §7."""

    sample: bool = Field(default=False, description="true marks the output 示例数据")
    masthead: Text = Field(description="发文机关标志, e.g. 某某市人民政府办公室文件")
    doc_number: Text = Field(description="发文字号, e.g. 某政办发〔2020〕12号")
    title: Text = Field(description="the document's title")
    addressees: Text = Field(description="主送机关, without the final colon")
    body: list[BodyItem] = Field(
        min_length=1, description="paragraphs (text) and headings ({heading: …, level: 1})")
    attachments: list[Text] = Field(
        default_factory=list, description="ids of the annexes named in 附件说明, in order")
    signature: Text = Field(description="发文机关署名")
    date: Text = Field(description="成文日期, e.g. 2020年5月6日 (Arabic numerals)")
    note: Text | None = Field(default=None, description="附注, without the parentheses")
    copy_to: list[Text] = Field(default_factory=list, description="抄送机关")
    printer: Text = Field(description="印发机关")
    print_date: Text = Field(description="印发日期, e.g. 2020年5月6日")

    @field_validator("doc_number")
    @classmethod
    def _doc_number_form(cls, v: str) -> str:
        # GB/T 9704 7.2.3: 年份用六角括号〔〕, 序号不编虚位 (no leading zeros), 不加"第"字.
        m = re.fullmatch(r"(?P<code>[^〔〕]+)〔(?P<year>\d{4})〕(?P<serial>\d+|×+)号", v)
        if not m:
            raise ValueError(
                "must read like 某政办发〔2020〕12号: the year in 〔〕 (六角括号), "
                f"then the serial number and 号; got {v!r}")
        if m["serial"].startswith("0"):
            raise ValueError(f"the serial number has a leading zero (不编虚位); got {v!r}")
        if "第" in m["code"]:
            raise ValueError(f"the serial number takes no 第; got {v!r}")
        return v

    @field_validator("date", "print_date")
    @classmethod
    def _date_form(cls, v: str) -> str:
        # 7.3.5.1: 成文日期用阿拉伯数字, 年份标全称, 月日不编虚位. × marks a lost figure.
        m = re.fullmatch(r"(\d{4})年(\d{1,2}|×)月(\d{1,2}|×)日", v)
        if not m:
            raise ValueError(f"must read like 2020年5月6日 (Arabic numerals); got {v!r}")
        for part in m.groups()[1:]:
            if part.startswith("0"):
                raise ValueError(f"month and day take no leading zero (不编虚位); got {v!r}")
        return v


class Bulletin(Notice):
    """The results 通报 (bulletin.yaml): a 通知's parts; the ranking table is generated."""

    closing: list[BodyItem] = Field(
        default_factory=list, description="paragraphs after the ranking table")


# --- action_plan.yaml -----------------------------------------------------------------------

class Task(Strict):
    """One numbered task of the action plan; its number (一、…) comes from its order."""

    heading: Text = Field(description="the task's heading sentence, with its final 。")
    body: Text = Field(description="the task's text")
    departments: list[Text] = Field(min_length=1, description="lead departments, in order")
    departments_note: str = Field(
        default="等负责", description="what follows the list inside the parentheses")


class ActionPlan(Strict):
    """action_plan.yaml, optional: the tasks scoring items refer to by number."""

    id: str = Field(default="annex-1", description="annex id and output name")
    title: Text = Field(description="the annex's title")
    preamble: list[Text] = Field(default_factory=list, description="paragraphs before the tasks")
    tasks: list[Task] = Field(min_length=1, description="the tasks, numbered from their order")
    closing: list[Text] = Field(default_factory=list, description="paragraphs after the tasks")

    @field_validator("id")
    @classmethod
    def _safe(cls, v: str) -> str:
        return check_safe_id(v)
