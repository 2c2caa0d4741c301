"""GB/T 15834-2011 punctuation in Chinese text: full-width forms, pairs, doubles, dangling marks.

Each finder yields (start, end, replacement or None, words) over one text. "Chinese
text" means a mark touching a Han character or a full-width mark: ids, codes and
Latin text are left alone.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
FULL_MARKS = "，、；：。？！“”‘’（）《》〈〉【】〔〕…—"
_CHINESE = f"[{HAN}{FULL_MARKS}×]"
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！",
            "(": "（", ")": "）", ".": "。"}

_BETWEEN = re.compile(rf"(?<=[{HAN}])[ \t]*([,:])[ \t]*(?=[{HAN}])")
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")
_QUOTE_PAIR = re.compile(r'"([^"\n]*)"')
_DOTS = re.compile(rf"(?<={_CHINESE})\.{{3,6}}|\.{{3,6}}(?={_CHINESE})")
_SINGLE = re.compile(rf"(?<={_CHINESE})[ \t]*([,;:?!.])[ \t]*|[ \t]*([,;:?!])[ \t]*(?={_CHINESE})")

PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "〈": "〉", "【": "】", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}

_CLAUSE_MARKS = "，、；：。"
_DOUBLED = re.compile(rf"([{_CLAUSE_MARKS}？！])\1+|[{_CLAUSE_MARKS}][{_CLAUSE_MARKS}？！]"
                      rf"|[？！][{_CLAUSE_MARKS}]")
_DANGLING = (
    (re.compile(r"^[，、；：。？！）》”’]"), "at the start of the text"),
    (re.compile(r"[、，；：](?=[）》”’】〕])"), "before a closing mark"),
    (re.compile(r"(?<=[（《“‘【〔])[，、；：。]"), "after an opening mark"),
    (re.compile(r"[、，；“‘《（【〔]$"), "at the end of the text"),
)
_FINAL_OK = "。？！：…"
_CLOSING = "”’）》"


def _chinese(text: str, start: int, end: int) -> bool:
    """Does the span touch or hold Chinese?"""
    inside = re.search(_CHINESE, text[start:end]) is not None
    before = start > 0 and re.match(_CHINESE, text[start - 1]) is not None
    after = end < len(text) and re.match(_CHINESE, text[end]) is not None
    return inside or before or after


def find_between_cjk(text: str):
    """An ASCII comma or colon between two Han characters (the commonest scrape damage)."""
    for m in _BETWEEN.finditer(text):
        mark = m.group(1)
        yield m.start(), m.end(), _TO_FULL[mark], {"found": mark, "fix": _TO_FULL[mark]}


def find_halfwidth(text: str):
    """Other half-width marks in Chinese text: , ; : ? ! . ... ( ) and straight quotes."""
    taken: set[int] = {m.start(1) for m in _BETWEEN.finditer(text)}
    for m in _PAREN_PAIR.finditer(text):
        if _chinese(text, m.start(), m.end()):
            taken.update((m.start(), m.end() - 1))
            yield m.start(), m.start() + 1, "（", {"found": "(", "fix": "（"}
            yield m.end() - 1, m.end(), "）", {"found": ")", "fix": "）"}
    for m in _QUOTE_PAIR.finditer(text):
        if _chinese(text, m.start(), m.end()):
            taken.update((m.start(), m.end() - 1))
            yield m.start(), m.start() + 1, "“", {"found": '"', "fix": "“"}
            yield m.end() - 1, m.end(), "”", {"found": '"', "fix": "”"}
    for m in _DOTS.finditer(text):   # ... for the 省略号 (GB/T 15834-2011 4.11)
        taken.update(range(m.start(), m.end()))
        yield m.start(), m.end(), "……", {"found": m.group(), "fix": "……"}
    for m in _SINGLE.finditer(text):
        group = 1 if m.group(1) else 2
        mark = m.group(group)
        if m.start(group) in taken:
            continue
        if mark == "." and not _sentence_end(text, m.start(group)):
            continue
        yield m.start(), m.end(), _TO_FULL[mark], {"found": mark, "fix": _TO_FULL[mark]}


def _sentence_end(text: str, at: int) -> bool:
    """A '.' after Chinese ends a sentence unless a digit or letter follows (1.5, 第1.2条)."""
    nxt = text[at + 1: at + 2]
    return not (nxt.isascii() and nxt.isalnum())


def find_unpaired(text: str):
    """An opening mark never closed, or a closing mark never opened (“” 《》 （） …)."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if any(o == opener for o, _ in stack):
                while stack[-1][0] != opener:
                    o, at = stack.pop()
                    yield at, at + 1, None, {"found": o, "partner": PAIRS[o]}
                stack.pop()
            else:
                yield i, i + 1, None, {"found": ch, "partner": opener}
    for o, at in stack:
        yield at, at + 1, None, {"found": o, "partner": PAIRS[o]}


def find_doubled(text: str):
    """Two clause marks in a row: ，， 。。 ，。 、、 … (？！ together is allowed)."""
    for m in _DOUBLED.finditer(text):
        found = m.group()
        same = len(set(found)) == 1
        yield (m.start(), m.end(), found[0] if same else None,
               {"found": found, "fix_hint": f" ({found[0]})" if same else ""})


def find_dangling(text: str):
    """A clause mark with nothing to separate: at the start, before a closing mark, …"""
    for pattern, where in _DANGLING:
        for m in pattern.finditer(text):
            yield m.start(), m.end(), None, {"found": m.group(), "where": where}


def find_missing_final(text: str):
    """A paragraph's last sentence ends with 。 (or ？！, or ： before a list)."""
    body = text.rstrip()
    if not body:
        return
    end = len(body)
    last = body[-1]
    if last in _FINAL_OK or last in ".:?!":   # a half-width end is punct-fullwidth's finding
        return
    if last in _CLOSING and len(body) > 1 and body[-2] in _FINAL_OK:
        return
    mechanical = re.match(rf"[{HAN}\d×{_CLOSING}]", last) is not None
    yield end, end, "。" if mechanical else None, {}
