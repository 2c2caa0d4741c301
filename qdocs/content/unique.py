"""Keyed lists: a code or a name given twice is an error at its second place.

Two grades coded A print `优秀（A）8个，良好（A）8个` and count regions twice; two
regions named alike, two items or conditions named alike make a report card or a
bulletin that cannot be read. Every list whose entries are told apart by a code,
an id or a name is checked here, each repeat located where it stands and naming
where the value was first given. A target outside what its unit allows (150 for
`%`) is checked here too: it is a value no input can meet, and the line says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from qdocs.content.numbers import num
from qdocs.content.yamlsource import YamlDocument, format_field
from qdocs.errors import Problem

Entry = tuple[Any, tuple]       # (the value that must not repeat, its field path)


def repeats(doc: YamlDocument, entries: Iterable[Entry], what: str) -> list[Problem]:
    """A problem at each entry whose value an earlier entry already had."""
    first: dict[Any, tuple] = {}
    out = []
    for value, path in entries:
        if value in first:
            line, _ = doc.locate(first[value])
            where = format_field(first[value]) + (f", line {line}" if line else "")
            out.append(doc.problem(path, f"duplicate {what} {value!r} (first at {where})"))
        first.setdefault(value, path)
    return out


def keyed(doc: YamlDocument, prefix: tuple, rows: list, keys: dict[str, str]) -> list[Problem]:
    """Repeats of each attribute in `keys` (attribute → what it is called) over `rows`."""
    return [p for attr, what in keys.items()
            for p in repeats(doc, ((getattr(row, attr), prefix + (i, attr))
                                   for i, row in enumerate(rows)), what)]


def rules_repeats(doc: YamlDocument, rules) -> list[Problem]:
    """Names in scoring_rules.yaml (ids have their own one-namespace check)."""
    out = keyed(doc, ("grades",), rules.grades, {"code": "grade code", "name": "grade name"})
    out += keyed(doc, ("blocks",), rules.blocks, {"name": "block name"})
    from qdocs.content.scoring_checks import item_places

    categories = [(category.name, ("blocks", b, "categories", c, "name"))
                  for b, block in enumerate(rules.blocks)
                  for c, category in enumerate(block.categories or [])]
    out += repeats(doc, categories, "category name")
    out += repeats(doc, ((item.name, path + ("name",))
                         for path, _, _, item in item_places(rules)), "item name")
    for key, what in (("bonus", "bonus item name"), ("penalty", "penalty item name")):
        claims = getattr(rules, key)
        if claims is not None:
            out += keyed(doc, (key, "items"), claims.items, {"name": what})
    if rules.veto is not None:
        # A condition's name is optional: only names given must differ.
        out += repeats(doc, ((v.name, ("veto", "conditions", k, "name"))
                             for k, v in enumerate(rules.veto.conditions) if v.name),
                       "veto condition name")
    return out


def assessment_repeats(doc: YamlDocument, assessment) -> list[Problem]:
    """A veto condition met twice by one region is one condition listed twice."""
    return repeats(doc, ((v.condition, ("vetoes", k, "condition"))
                         for k, v in enumerate(assessment.vetoes)), "veto condition")


def unit_bounds(doc: YamlDocument, rules) -> list[Problem]:
    """Targets a percentage can never take: outside 0–100, or a step wider than 100."""
    from qdocs.content.scoring_checks import item_places

    out = []
    for where, _, _, item in item_places(rules):
        m = item.method
        if getattr(m, "unit", "") != "%":
            continue
        path = where + ("method",)
        for name in ("target", "zero_at", "full_at"):
            value = getattr(m, name, None)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                out.append(doc.problem(path + (name,), (
                    f"a percentage must lie between 0 and 100; got {num(value)}")))
        step = getattr(m, "step", None)
        if step is not None and step > 100:
            out.append(doc.problem(path + ("step",), (
                f"a step of percentage points must be at most 100; got {num(step)}")))
    return out
