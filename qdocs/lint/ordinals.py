"""Typed 结构层次序数 (GB/T 9704-2012 7.3.3: 一、 （一） 1. （1）) run without gaps or jumps.

qdocs numbers its own headings from their order; this rule is for ordinals typed
inside text (a paragraph that lists 一、…二、…, a list of paragraphs that begin
（一）（二）…). A higher level restarts every level below it.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十"
_START = r"(?:^|(?<=[。；：！？\s]))"
_TOKEN = re.compile(
    rf"{_START}(?:(?P<l1>[{_CN}]{{1,3}})、|[（(](?P<l2>[{_CN}]{{1,3}})[)）]"
    rf"|(?P<l3>\d{{1,2}})[.．](?!\d)|[（(](?P<l4>\d{{1,2}})[)）])")
_FORMS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}


def find_gaps(text: str):
    """Each typed ordinal must be the next of its level (the first being 1 or 一)."""
    last: dict[int, int] = {}
    for m in _TOKEN.finditer(text):
        level = next(n for n in (1, 2, 3, 4) if m[f"l{n}"])
        value = _value(m[f"l{level}"])
        if value is None:
            continue
        for lower in range(level + 1, 5):
            last.pop(lower, None)
        expected = last.get(level, 0) + 1
        if value != expected:
            if level in last:
                before = _form(level, last[level])
                problem = (f"follows {before}: {_form(level, expected)} is missing"
                           if value > expected else f"does not follow {before}")
            else:
                problem = "begins its level"
            yield m.start(), m.end(), None, {
                "found": m.group(), "problem": problem,
                "fix": f"from {_form(level, 1)} on, here {_form(level, expected)}"}
        last[level] = value


def _value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in text:
        return digits.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _form(level: int, value: int) -> str:
    return _FORMS[level].format(value if level in (3, 4) else _chinese(value))


def _chinese(n: int) -> str:
    ones = "〇一二三四五六七八九"
    if n < 10:
        return ones[n]
    tens, unit = divmod(n, 10)
    return ("" if tens == 1 else ones[tens]) + "十" + (ones[unit] if unit else "")
