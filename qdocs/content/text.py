"""Text hygiene: characters that change what a reader sees without showing themselves.

A bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE …) placed before the year of
a 发文字号 prints its year and serial reversed (〔2014〕12号 as 号21〕4102〔): the document
says something other than the file. An invisible format character (Unicode category
Cf: U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, a stray U+FEFF …) makes an
empty field look filled and two equal names look different. Chinese office text
needs none of them, so every one is refused wherever it stands (keys too), named
by its code point. One exception: U+200D ZERO WIDTH JOINER between two symbols,
where it joins an emoji sequence (👨‍👩‍👧) — the glyph check decides whether it prints.
A BOM at the start of a file is taken away by the reader before this runs.

Single-line fields (发文字号, titles, 署名, 主送机关, names, codes, ids, dates …) hold
no line break: a break there would print inside a title line or a table cell.
Paragraph fields, named in PARAGRAPH_KEYS, keep their line breaks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"     # embeddings and overrides
    "\u2066\u2067\u2068\u2069"           # isolates
    "\u200e\u200f\u061c")                # marks (LRM, RLM, ALM)

# What Python's str.splitlines() takes for a line break, which is what a printer does.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")

# Keys whose text is prose: a break inside is the author's. Every other string is one line.
PARAGRAPH_KEYS = frozenset({
    "body", "preamble", "closing", "content", "note", "event", "reason", "evidence"})

_ZWJ = "\u200d"


def text_problems(data: Any) -> Iterator[tuple[tuple, str]]:
    """(field path, message) for every string leaf or key of `data` that breaks a rule."""
    yield from _walk(data, ())


def _walk(data: Any, field: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                message = check_text(key, single_line=True)
                if message:
                    yield field + (key,), f"the key {message}"
                    continue
            yield from _walk(value, field + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, field + (i,))
    elif isinstance(data, str):
        message = check_text(data, single_line=not _in_paragraph(field))
        if message:
            yield field, message


def _in_paragraph(field: tuple) -> bool:
    """Whether the nearest named key above the value is a paragraph field."""
    names = [part for part in field if isinstance(part, str)]
    return bool(names) and names[-1] in PARAGRAPH_KEYS


def check_text(text: str, *, single_line: bool) -> str | None:
    """What is wrong with `text`, in the words of someone editing it; None if nothing."""
    hidden = [(i, ch) for i, ch in enumerate(text) if _invisible(text, i)]
    if hidden and not _visible(text):
        return f"must not be empty (it holds only the invisible {_names(ch for _, ch in hidden)})"
    for i, ch in hidden:
        where = _near(text, i)
        if ch in BIDI_CONTROLS:
            return (f"{_name(ch)} is a bidirectional control: it makes the text print in "
                    f"another order than it is written; delete it ({where})")
        return f"{_name(ch)} is invisible; delete it ({where})"
    body = text.strip()
    if single_line:
        for i, ch in enumerate(body):
            if ch in LINE_BREAKS:
                return ("must be one line; it holds a line break "
                        f"({_near(body, i)}): join the lines")
    return None


def _invisible(text: str, i: int) -> bool:
    ch = text[i]
    if ch in BIDI_CONTROLS:
        return True
    if unicodedata.category(ch) != "Cf":
        return False
    return not (ch == _ZWJ and _symbol(text, i - 1) and _symbol(text, i + 1))


def _symbol(text: str, i: int) -> bool:
    """A pictograph (So), or the emoji variation selector / skin tone that follows one."""
    if not 0 <= i < len(text):
        return False
    return unicodedata.category(text[i]) == "So" or text[i] == "\ufe0f" or (
        0x1F3FB <= ord(text[i]) <= 0x1F3FF)


def _visible(text: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}"


def _names(chars: Iterator[str]) -> str:
    return ", ".join(_name(ch) for ch in dict.fromkeys(chars))


def _near(text: str, i: int) -> str:
    """Where in `text` position i stands: after the text before it, or at the start."""
    before = "".join(ch for ch in text[max(0, i - 8):i] if not _hidden_char(ch)).lstrip()
    if before:
        return f"after {before!r}"
    after = "".join(ch for ch in text[i + 1:i + 9] if not _hidden_char(ch)).rstrip()
    return f"before {after!r}" if after else "at the start"


def _hidden_char(ch: str) -> bool:
    return ch in BIDI_CONTROLS or ch in LINE_BREAKS or unicodedata.category(ch) == "Cf"
