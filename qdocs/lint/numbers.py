"""Figures in 公文 text: 发文字号, dates, spans of years, half-width digits.

GB/T 9704-2012 fixes the 发文字号 (year in 〔〕, no 第, no leading zero) and the
成文日期 (Arabic numerals, no leading zero); GB/T 15834-2011 4.13 joins a span of
years with the 一字线 —; GB/T 15835-2011 writes Arabic digits half-width.
"""

from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_YEAR = r"(?:1[89]|20)\d\d"

_DOC_NUMBER = re.compile(
    rf"(?<=[{_HAN}])(?P<open>[\[［【(（〔{{｛<〈])\s*(?P<year>{_YEAR})\s*"
    rf"(?P<close>[\]］】)）〕}}｝>〉])\s*(?P<di>第?)\s*(?P<serial>\d+|×+)\s*号")

_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")
_CN_DIGITS = "〇零○一二三四五六七八九"
_CN_YEAR = str.maketrans(_CN_DIGITS, "000123456789")
_CN_DATE = re.compile(
    rf"(?P<y>[{_CN_DIGITS}]{{4}})年(?P<m>[一二三四五六七八九十]{{1,2}})月"
    rf"(?:(?P<d>[一二三四五六七八九十]{{1,3}})日)?")
_DASHED_DATE = re.compile(
    rf"(?<![\d.\-/])(?P<y>{_YEAR})(?P<sep>[-./])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})"
    r"(?![\d.\-/])")

_DASHES = r"(?:\s*[-~～－–―〜﹣]\s*|\s*——\s*|\s+—\s*|\s*—\s+)"
_RANGE = re.compile(
    rf"(?<![\dA-Za-z/.])(?P<a>{_YEAR})(?P<y1>年?){_DASHES}(?P<b>{_YEAR})(?P<after>年|(?=[)）]))")
_RUN_TOGETHER = re.compile(rf"(?<!\d)(?P<a>{_YEAR})(?P<b>{_YEAR})(?=年)")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]+")
_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")


def find_doc_numbers(text: str):
    """某政发[2020]012号, 某政发（2020）第5号 → 某政发〔2020〕5号."""
    for m in _DOC_NUMBER.finditer(text):
        problems = []
        if m["open"] != "〔" or m["close"] != "〕":
            problems.append("the year takes 〔〕 (六角括号)")
        if m["di"]:
            problems.append("the serial number takes no 第")
        serial = m["serial"]
        if serial.startswith("0") and serial.strip("0"):
            problems.append("the serial number takes no leading zero (不编虚位)")
            serial = serial.lstrip("0")
        if problems:
            fix = f"〔{m['year']}〕{serial}号"
            yield m.start(), m.end(), fix, {"found": m.group(), "problem": "; ".join(problems),
                                            "fix": fix}


def find_dates(text: str):
    """Dates in Arabic numerals without leading zeros: 2020年5月6日."""
    for m in _DATE.finditer(text):
        parts = [m["m"], m["d"]] if m["d"] else [m["m"]]
        if any(p.startswith("0") for p in parts):
            fix = _date(m["y"], *(str(int(p)) for p in parts))
            yield m.start(), m.end(), fix, {
                "found": m.group(), "fix": fix,
                "problem": "month and day take no leading zero (不编虚位)"}
    for m in _CN_DATE.finditer(text):
        year = m["y"].translate(_CN_YEAR)
        parts = [str(_cn_number(m["m"]))] + ([str(_cn_number(m["d"]))] if m["d"] else [])
        fix = _date(year, *parts)
        yield m.start(), m.end(), fix, {"found": m.group(), "fix": fix,
                                        "problem": "write dates in Arabic numerals"}
    for m in _DASHED_DATE.finditer(text):
        if not (1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31):
            continue
        fix = _date(m["y"], str(int(m["m"])), str(int(m["d"])))
        yield m.start(), m.end(), fix, {"found": m.group(), "fix": fix,
                                        "problem": "write dates as 年月日"}


def _date(year: str, month: str, day: str | None = None) -> str:
    return f"{year}年{month}月" + (f"{day}日" if day else "")


def _cn_number(text: str) -> int:
    """一 … 三十一 → 1 … 31."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in text:
        return digits[text]
    tens, _, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def find_year_ranges(text: str):
    """2011-2020年, 2011~2020年, 20112020年 → 2011—2020年."""
    for m in _RANGE.finditer(text):
        dash = text[m.end("y1"):m.start("b")]
        fix = f"{m['a']}{m['y1']}—{m['b']}{m['after']}"
        yield m.start(), m.end(), fix, {"found": m.group(), "fix": fix,
                                        "problem": f"joined by {dash.strip() or 'spaces'!r}"}
    for m in _RUN_TOGETHER.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if a < b <= a + 50:
            fix = f"{m['a']}—{m['b']}"
            yield m.start(), m.end(), fix, {
                "found": m.group() + "年", "fix": fix + "年",
                "problem": "two years run together (a lost dash)"}


def find_fullwidth_digits(text: str):
    """０-９ → 0-9."""
    for m in _FULLWIDTH_DIGITS.finditer(text):
        fix = m.group().translate(_TO_HALF)
        yield m.start(), m.end(), fix, {"found": m.group(), "fix": fix}
