"""How each scoring method is asked for and read back: one table, one entry per method.

An entry says how many input cells the method needs on a region sheet (one per
required element for `per_missing`), the prompt and data validation of each, how
to pre-fill them from an assessment, and how to read them back into the one
`ItemInput` field the method reads — plus the one-cell form a department's
verification sheet uses. A new way of giving an input is one new entry.

Reading is strict and says what it did: a percentage typed as 95%, as 95 or in a
cell formatted as a percentage is read as 95 and reported; 0.95 for a percentage
is ambiguous (95% or 0.95%) and refused; full-width digits are read and reported;
anything else that is not a number is an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from qdocs.content.numbers import num

YES, NO = "是", "否"
HAVE, LACK = "有", "无"
COMPLETE = "齐全"


class CellError(Exception):
    """A cell that cannot be read; `part` is the cell's index within the item's cells."""

    def __init__(self, message: str, part: int = 0):
        super().__init__(message)
        self.message, self.part = message, part


@dataclass(frozen=True)
class Cell:
    """A cell as read: its value and number format (openpyxl's)."""

    value: object
    number_format: str = "General"


@dataclass(frozen=True)
class Rule:
    """A data validation: a list of choices, or a number kind with an operator and bounds."""

    type: str                       # list | decimal | whole | textLength
    formula1: str
    formula2: str | None = None
    operator: str | None = None
    hint: str = ""


def blank(cell: Cell) -> bool:
    return cell.value is None or (isinstance(cell.value, str) and cell.value.strip() == "")


def _text(cell: Cell) -> str:
    return unicodedata.normalize("NFKC", str(cell.value)).strip()


def choices_rule(options) -> Rule:
    joined = ",".join(options)
    # An inline list takes at most 255 characters and cannot hold a comma or quote.
    if len(joined) > 250 or any("," in o or '"' in o for o in options):
        return Rule("textLength", "0", operator="greaterThanOrEqual",
                    hint=f"填写其一：{'、'.join(options)}")
    return Rule("list", f'"{joined}"', hint=f"从下拉列表选择：{'、'.join(options)}")


def read_choice(cell: Cell, options, part: int = 0) -> str:
    """One of `options`, exactly (after NFKC: full-width letters and spaces are forgiven)."""
    if blank(cell):
        raise CellError(f"empty; choose one of: {', '.join(options)}", part)
    text = _text(cell)
    if text not in options:
        raise CellError(f"{str(cell.value).strip()!r} is not in the list; "
                        f"choose one of: {', '.join(options)}", part)
    return text


def read_number(cell: Cell, unit: str, notes: list, part: int = 0) -> Decimal:
    """An exact number in `unit` from whatever the sheet holds; notes say how it was read."""
    value, fmt = cell.value, cell.number_format or "General"
    if blank(cell):
        raise CellError("empty; a number is required" + (f" (in {unit})" if unit else ""), part)
    if isinstance(value, bool):
        raise CellError(f"{str(value).upper()} is not a number", part)
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in fmt:
            shown = number * 100
            if unit != "%":
                raise CellError(f"the cell shows {num(shown)}% but the unit is {unit or 'none'}; "
                                "type the number without %", part)
            notes.append((part, f"read {num(shown)}% (a cell formatted as a percentage) "
                                f"as {num(shown)}"))
            return _in_range(shown, unit, part)
        return _in_range(_not_fraction(number, unit, part), unit, part)
    raw = str(value).strip()
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if text != raw.replace(" ", "") and re.search(r"[０-９．％]", raw):
        notes.append((part, f"read full-width {raw!r} as {text!r}"))
    if text.endswith("%"):
        if unit != "%":
            raise CellError(f"{raw!r} has a % sign but the unit is {unit or 'none'}", part)
        number = _decimal(text[:-1], raw, part)
        notes.append((part, f"read {text!r} as {num(number)} (%)"))
        return _in_range(number, unit, part)
    if unit and unit != "%" and text.endswith(unit):
        number = _decimal(text[: -len(unit)], raw, part)
        notes.append((part, f"read {text!r} as {num(number)} ({unit})"))
        return _in_range(number, unit, part)
    return _in_range(_not_fraction(_decimal(text, raw, part), unit, part), unit, part)


def read_whole(cell: Cell, unit: str, notes: list, part: int = 0, empty_is_zero: bool = False):
    """A whole number ≥ 0 (a count of events or claims)."""
    if blank(cell) and empty_is_zero:
        return 0
    if blank(cell):
        raise CellError(f"empty; a whole number of {unit} is required (0 if none)", part)
    number = read_number(cell, "", notes, part)
    if number != number.to_integral_value():
        raise CellError(f"must be a whole number of {unit} (0 or more); got {num(number)}", part)
    return int(number)


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _decimal(text: str, raw: str, part: int) -> Decimal:
    if not _NUMBER.fullmatch(text):
        raise CellError(f"not a number: {raw!r}; type digits such as 95.5", part)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise CellError(f"not a number: {raw!r}", part) from None


def _not_fraction(number: Decimal, unit: str, part: int) -> Decimal:
    """0 < x ≤ 1 in a percentage cell could be a fraction (95%) or a small percentage."""
    if unit == "%" and 0 < number <= 1:
        raise CellError(f"{num(number)} is ambiguous: type {num(number * 100)} for "
                        f"{num(number * 100)}%, or {num(number)}% if you mean {num(number)} "
                        "per cent", part)
    return number


def _in_range(number: Decimal, unit: str, part: int) -> Decimal:
    if unit == "%" and not 0 <= number <= 100:
        raise CellError(f"a percentage must lie between 0 and 100; got {num(number)}", part)
    if unit != "%" and number < 0:
        raise CellError(f"must be 0 or more; got {num(number)}", part)
    return number


CLAIM_RULE = Rule("whole", "0", operator="greaterThanOrEqual", hint="填整数，没有留空或填0")


def number_rule(unit: str) -> Rule:
    if unit == "%":
        return Rule("decimal", "0", "100", "between", hint="填0至100之间的数（95表示95%）")
    return Rule("decimal", "0", operator="greaterThanOrEqual", hint="填不小于0的数")


# --- the table ------------------------------------------------------------------------------

class _Binary:
    def field_of(self, m):
        return "done"

    def prompts(self, m):
        return ["是否完成：是/否"]

    def rules(self, m):
        return [choices_rule((YES, NO))]

    def fill(self, m, given):
        return [None if given is None or given.done is None else (YES if given.done else NO)]

    def read(self, m, cells, notes):
        return read_choice(cells[0], (YES, NO)) == YES

    def show(self, m, given):
        return YES if given.done else NO

    one_rule = rules

    def one_fill(self, m, given):
        return self.fill(m, given)[0]

    def one_read(self, m, cell, notes):
        return self.read(m, [cell], notes)


class _Tiered:
    def field_of(self, m):
        return "level"

    def prompts(self, m):
        return [f"评定等次：{'/'.join(m.levels)}"]

    def rules(self, m):
        return [choices_rule(list(m.levels))]

    def fill(self, m, given):
        return [None if given is None else given.level]

    def read(self, m, cells, notes):
        return read_choice(cells[0], list(m.levels))

    def show(self, m, given):
        return given.level or ""

    one_rule = rules

    def one_fill(self, m, given):
        return given.level

    def one_read(self, m, cell, notes):
        return read_choice(cell, list(m.levels))


class _PerMissing:
    """One 有/无 cell per required element on a region sheet; a list of missing ones in one cell
    on a department sheet (齐全 when none is missing). A scheme may have assessments list the
    elements present instead (`input: present`); the sheets look the same either way."""

    def field_of(self, m):
        return getattr(m, "input", "missing")

    def _missing(self, m, given) -> list[str] | None:
        """The elements missing according to `given`, whichever list it holds."""
        if self.field_of(m) == "present":
            present = getattr(given, "present", None)
            return None if present is None else [e for e in m.elements if e not in present]
        return given.missing

    def _value(self, m, missing: list[str]) -> list[str]:
        """What the item's input field holds for these missing elements."""
        if self.field_of(m) == "present":
            return [e for e in m.elements if e not in missing]
        return missing

    def prompts(self, m):
        return [f"{e}：有/无" for e in m.elements]

    def rules(self, m):
        return [choices_rule((HAVE, LACK))] * len(m.elements)

    def fill(self, m, given):
        missing = None if given is None else self._missing(m, given)
        if missing is None:
            return [None] * len(m.elements)
        return [LACK if e in missing else HAVE for e in m.elements]

    def read(self, m, cells, notes):
        got = [read_choice(c, (HAVE, LACK), part) for part, c in enumerate(cells)]
        return self._value(m, [e for e, g in zip(m.elements, got, strict=True) if g == LACK])

    def show(self, m, given):
        missing = self._missing(m, given)
        return f"缺：{'、'.join(missing)}" if missing else COMPLETE

    def one_rule(self, m):
        return [Rule("textLength", "0", operator="greaterThanOrEqual",
                     hint=f"填缺少的要素，用顿号分隔；不缺填“{COMPLETE}”")]

    def one_fill(self, m, given):
        missing = self._missing(m, given)
        return "、".join(missing) if missing else COMPLETE

    def one_read(self, m, cell, notes):
        if blank(cell):
            raise CellError(f"empty; list the missing elements or write {COMPLETE}")
        text = _text(cell)
        if text in (COMPLETE, LACK):
            return self._value(m, [])
        names = [n for n in re.split(r"[、,;；\s]+", re.sub(r"^缺[:：]?", "", text)) if n]
        for name in names:
            if name not in m.elements:
                raise CellError(f"{name!r} is not a required element; expected some of: "
                                f"{'、'.join(m.elements)}, or {COMPLETE}")
        if len(set(names)) != len(names):
            raise CellError("an element is listed twice")
        return self._value(m, [e for e in m.elements if e in names])


class _Value:
    def field_of(self, m):
        return "value"

    def prompts(self, m):
        unit = f"单位：{m.unit}；" if m.unit else ""
        span = "0至100" if m.unit == "%" else "不小于0"
        return [f"{m.measure}（{unit}{span}）"]

    def rules(self, m):
        return [number_rule(m.unit)]

    def fill(self, m, given):
        return [None if given is None else given.value]

    def read(self, m, cells, notes):
        return read_number(cells[0], m.unit, notes)

    def show(self, m, given):
        return f"{num(given.value)}{m.unit}"

    one_rule = rules

    def one_fill(self, m, given):
        return given.value

    def one_read(self, m, cell, notes):
        return read_number(cell, m.unit, notes)


class _Count:
    def field_of(self, m):
        return "count"

    def prompts(self, m):
        return [f"{m.event}的{m.unit}数（整数，没有填0）"]

    def rules(self, m):
        return [Rule("whole", "0", operator="greaterThanOrEqual", hint=f"填整数（{m.unit}），≥0")]

    def fill(self, m, given):
        return [None if given is None else given.count]

    def read(self, m, cells, notes):
        return read_whole(cells[0], m.unit, notes)

    def show(self, m, given):
        return f"{given.count}{m.unit}"

    one_rule = rules

    def one_fill(self, m, given):
        return given.count

    def one_read(self, m, cell, notes):
        return read_whole(cell, m.unit, notes)


INPUTS = {
    "binary": _Binary(),
    "tiered": _Tiered(),
    "per_missing": _PerMissing(),
    "target_deduct": _Value(),
    "proportional": _Value(),
    "rank": _Value(),
    "per_occurrence": _Count(),
}


def input_kind(item):
    """The table entry for `item`'s method."""
    return INPUTS[item.method.kind]
