"""Figures beside their targets: a compact table on stdout and the same as JSON.

A figure with no target is shown for context ("info"); a figure that could not be
measured says so ("not measured"), never "met".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure: value in `unit`, and the target it is held to (if any)."""

    name: str
    value: float | None
    unit: str
    op: str | None = None          # "<=" or ">=" (None: shown for context only)
    target: float | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.value is None:
            return "not measured"
        if self.op is None or self.target is None:
            return "info"
        met = self.value <= self.target if self.op == "<=" else self.value >= self.target
        return "met" if met else "NOT MET"

    def shown_value(self) -> str:
        return "—" if self.value is None else f"{_number(self.value)} {self.unit}".strip()

    def shown_target(self) -> str:
        if self.op is None or self.target is None:
            return ""
        return f"{'≤' if self.op == '<=' else '≥'} {_number(self.target)} {self.unit}".strip()


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def print_table(figures: list[Figure], out=None) -> None:
    """figure | measured | target | status, then each figure's note below the table."""
    rows = [("figure", "measured", "target", "status")]
    rows += [(f.name, f.shown_value(), f.shown_target(), f.status) for f in figures]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i], right=i in (1, 2))
                               for i, cell in enumerate(row)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    print("\n".join(lines), file=out)
    notes = [(i, f) for i, f in enumerate(figures, start=1) if f.note]
    if notes:
        print(file=out)
        for _, f in notes:
            print(f"- {f.name}: {f.note}", file=out)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def write_json(path: Path, machine: dict, options: dict, figures: list[Figure],
               extra: dict) -> None:
    data = {
        "machine": machine,
        "options": options,
        "figures": [{**asdict(f), "status": f.status} for f in figures],
        **extra,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n",
                    encoding="utf-8")
