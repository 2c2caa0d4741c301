"""Content for the benchmarks: copies of the example, a one-rule edit, synthetic regions.

Synthetic projects are the bundled example with `regions.yaml` replaced by N regions
(GB/T 2260-like codes XXYY00, names 测试市0001, kind 市) and one assessment per
region, copied round-robin from the example's 17 with the region changed and the
two rank inputs (T6, M3-1) nudged, so every file validates and ranks spread out.
Everything is written under a temporary directory; nothing large is committed.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content"

# The largest province code used (two digits) and cities per province (01–99).
_FIRST_PROVINCE, _LAST_PROVINCE, _CITIES = 11, 89, 99
MAX_REGIONS = (_LAST_PROVINCE - _FIRST_PROVINCE + 1) * _CITIES

# The one-rule edit: a point moves between two items of 产品质量 (TA: T1 8, T2 6, T3 6),
# so every sum still holds (items → 20, categories → 40, blocks → 100).
EDIT_ITEMS = ("T1", "T2")


def copy_example(dest: Path) -> Path:
    """A private copy of the bundled example content (the edit benchmark changes it)."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("build"))
    return dest


def region_code(i: int) -> str:
    """The i-th synthetic code (0-based): province 11…89, city 01…99, county 00."""
    if not 0 <= i < MAX_REGIONS:
        raise ValueError(f"at most {MAX_REGIONS} synthetic regions")
    return f"{_FIRST_PROVINCE + i // _CITIES}{i % _CITIES + 1:02d}00"


def make_synthetic(dest: Path, count: int) -> list[str]:
    """Write a project with `count` synthetic regions under `dest`; return the codes."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("build", "assessments",
                                                                 "regions.yaml"))
    sources = sorted((EXAMPLE / "assessments").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    codes = [region_code(i) for i in range(count)]
    lines = ["# Synthetic regions for the benchmarks (generated; not real divisions).",
             "regions:"]
    for i, code in enumerate(codes, start=1):
        name = f"测试市{i:04d}"
        lines += [f'  - code: "{code}"', f"    name: {name}", f"    full_name: {name}",
                  f"    government: {name}人民政府", "    kind: 市"]
    (dest / "regions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = dest / "assessments"
    folder.mkdir()
    for i, code in enumerate(codes):
        text = texts[i % len(texts)]
        round_ = i // len(texts)
        text = _set_region(text, code)
        text = _nudge(text, "T6", Decimal("0.1") * (round_ % 10))
        text = _nudge(text, "M3-1", Decimal(round_ % 5))
        (folder / f"{code}.yaml").write_text(text, encoding="utf-8")
    return codes


def _set_region(text: str, code: str) -> str:
    new, n = re.subn(r'^region: "\d{6}"', f'region: "{code}"', text, count=1, flags=re.M)
    if n != 1:
        raise ValueError("an example assessment without a `region:` line")
    return new


def _nudge(text: str, item: str, delta: Decimal) -> str:
    """Add `delta` to `item`'s {value: N} (a rank input: any number validates)."""
    pattern = re.compile(rf"^(  {re.escape(item)}: \{{value: )([0-9.]+)(\}})", re.M)

    def repl(m: re.Match) -> str:
        return f"{m[1]}{Decimal(m[2]) + delta}{m[3]}"

    return pattern.sub(repl, text, count=1)


def edit_one_rule(content: Path, forward: bool) -> str:
    """Move one point from T1 to T2 (forward) or back; return a description of the edit."""
    path = content / "scoring_rules.yaml"
    text = path.read_text(encoding="utf-8")
    delta = 1 if forward else -1
    for item, sign in zip(EDIT_ITEMS, (-1, 1), strict=True):
        pattern = re.compile(
            rf"(- id: {re.escape(item)}\n(?:[ \t]+[^\n]*\n)*?[ \t]+points: )(\d+)", re.M)
        m = pattern.search(text)
        if m is None:
            raise ValueError(f"no `points:` for item {item} in {path}")
        text = text[:m.start(2)] + str(int(m[2]) + sign * delta) + text[m.end(2):]
    path.write_text(text, encoding="utf-8")
    a, b = EDIT_ITEMS if forward else EDIT_ITEMS[::-1]
    return f"one point moved from {a} to {b} in scoring_rules.yaml"
