"""Checks across places and files that a model alone cannot make, each a located Problem.

The engine trusts what passes here: points add up, every id is unique, every
department and task exists, each assessment names its region by file name,
gives every item exactly the input its method reads, and refers only to levels,
elements, bonus and penalty items and veto conditions that exist. Every problem
is collected; the caller raises once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal

from qdocs.content.numbers import num
from qdocs.content.scoring_models import (
    Assessment,
    Claim,
    Claims,
    Item,
    ItemInput,
    ScoringRules,
)
from qdocs.content.unique import assessment_repeats, rules_repeats, unit_bounds
from qdocs.content.yamlsource import YamlDocument
from qdocs.errors import Problem

# task_count when action_plan.yaml exists but did not validate: task numbers go unchecked.
TASKS_UNCHECKED = -1

# The one field of ItemInput each method reads, and what it should hold.
NEEDS = {
    "binary": ("done", "true or false"),
    "tiered": ("level", "one of the item's levels"),
    "per_missing": ("missing", "the list of missing elements, [] if none"),
    "target_deduct": ("value", "a number"),
    "proportional": ("value", "a number"),
    "per_occurrence": ("count", "a whole number of events"),
    "rank": ("value", "a number"),
}
_INPUT_FIELDS = ("value", "level", "done", "missing", "present", "count")


def needs(item: Item) -> tuple[str, str]:
    """The input field the item's method reads, and what it should hold."""
    m = item.method
    if m.kind == "per_missing" and m.input == "present":
        return "present", "the list of elements present, [] if none"
    return NEEDS[m.kind]


def item_places(rules: ScoringRules):
    """(path in scoring_rules.yaml, block, category or None, item) for every item."""
    for b, block in enumerate(rules.blocks):
        for c, (category, items) in enumerate(block.groups()):
            where = ("blocks", b) + (("categories", c) if category is not None else ())
            for i, item in enumerate(items):
                yield where + ("items", i), block, category, item


def check_rules(
    doc: YamlDocument, rules: ScoringRules, departments: set[str] | None, task_count: int | None
) -> list[Problem]:
    """Problems of scoring_rules.yaml: sums, ids, departments, tasks, method vs points.

    `task_count` is None when the project has no action plan: then no item may name a task.
    """
    out: list[Problem] = []
    total = sum((b.points for b in rules.blocks), Decimal(0))
    if total != rules.full_score:
        out.append(doc.problem(("full_score",), (
            f"blocks add up to {num(total)}, not {num(rules.full_score)}")))
    for b, block in enumerate(rules.blocks):
        here = ("blocks", b)
        parts = block.categories if block.categories is not None else block.items or []
        total = sum((c.points for c in parts), Decimal(0))
        if total != block.points:
            what = "categories" if block.categories is not None else "items"
            out.append(doc.problem(here + ("points",), (
                f"{what} of {block.name} add up to {num(total)}, not {num(block.points)}")))
        for c, category in enumerate(block.categories or []):
            total = sum((i.points for i in category.items), Decimal(0))
            if total != category.points:
                out.append(doc.problem(here + ("categories", c, "points"), (
                    f"items of {category.name} add up to {num(total)}, "
                    f"not {num(category.points)}")))
    for path, _, _, item in item_places(rules):
        out += _check_method(doc, path, item)
        out += _check_departments(doc, path, item.departments, departments)
        for t, task in enumerate(item.tasks):
            if task_count == TASKS_UNCHECKED:
                continue
            if task_count is None:
                out.append(doc.problem(path + ("tasks", t), (
                    "the project has no action_plan.yaml, so an item names no task; "
                    "remove tasks:")))
            elif not 1 <= task <= task_count:
                out.append(doc.problem(path + ("tasks", t), (
                    f"no task {task} in the action plan; tasks are numbered "
                    f"1–{task_count}")))
    for key in ("bonus", "penalty"):
        claims = getattr(rules, key)
        for k, claim in enumerate(claims.items if claims else []):
            out += _check_departments(doc, (key, "items", k), claim.departments, departments)
    for k, cond in enumerate(rules.veto.conditions if rules.veto else []):
        out += _check_departments(doc, ("veto", "conditions", k), cond.departments, departments)
    out += _check_ids(doc, rules) + rules_repeats(doc, rules) + unit_bounds(doc, rules)
    top = rules.full_score + (rules.bonus.cap if rules.bonus else 0)
    for g, grade in enumerate(rules.grades):
        if grade.min > top:
            out.append(doc.problem(("grades", g, "min"), (
                f"no score can reach {num(grade.min)}: the most is {num(top)}")))
    return out


def check_assessment(
    doc: YamlDocument, a: Assessment, rules: ScoringRules, file_code: str
) -> list[Problem]:
    """Problems of one assessments/<code>.yaml against the rules."""
    out: list[Problem] = []
    if a.region != file_code:
        out.append(doc.problem(("region",), (
            f"says {a.region} but the file is named {file_code}.yaml; "
            "name each file after its region code")))
    items = {item.id: item for _, _, _, item in item_places(rules)}
    for item_id, given in a.items.items():
        if item_id not in items:
            out.append(doc.problem(("items", item_id), _unknown("item", item_id, items)))
        else:
            out += check_input(doc, ("items", item_id), items[item_id], given)
    for item_id, item in items.items():
        if item_id not in a.items:
            out.append(doc.problem(("items",), f"missing item {item_id} ({item.name})"))
    out += _check_claims(doc, "bonuses", a.bonuses, rules.bonus)
    out += _check_claims(doc, "penalties", a.penalties, rules.penalty)
    out += assessment_repeats(doc, a)
    conditions = {v.id for v in rules.veto.conditions} if rules.veto else set()
    for k, event in enumerate(a.vetoes):
        if not conditions:
            out.append(doc.problem(("vetoes", k), (
                "scoring_rules.yaml has no veto:, so no condition can be met; remove vetoes:")))
        elif event.condition not in conditions:
            out.append(doc.problem(("vetoes", k, "condition"), _unknown(
                "veto condition", event.condition, conditions)))
    seen: dict[str, int] = {}
    for k, adj in enumerate(a.adjustments):
        if adj.item not in items:
            out.append(doc.problem(("adjustments", k, "item"), _unknown("item", adj.item, items)))
            continue
        if adj.item in seen:
            out.append(doc.problem(("adjustments", k, "item"), (
                f"item {adj.item} is adjusted twice (first at adjustments[{seen[adj.item]}])")))
        seen.setdefault(adj.item, k)
        out += check_input(doc, ("adjustments", k, "input"), items[adj.item], adj.input)
    for k, checked in enumerate(a.verified):
        if checked.item not in items:
            out.append(doc.problem(("verified", k, "item"), _unknown("item", checked.item, items)))
    return out


def check_input(doc: YamlDocument, path: tuple, item: Item, given: ItemInput) -> list[Problem]:
    """The input holds exactly the field the item's method reads, with a value that exists."""
    kind = item.method.kind
    needed, what = needs(item)
    out = [doc.problem(path + (f,), (
        f"item {item.id} is scored by {kind}, which reads {needed}: ({what}), not {f}:"))
        for f in _INPUT_FIELDS if f != needed and getattr(given, f) is not None]
    value = getattr(given, needed)
    if value is None:
        out.append(doc.problem(path, (
            f"item {item.id} is scored by {kind}, which reads {needed}: ({what}); none given")))
        return out
    m = item.method
    if kind == "tiered" and value not in m.levels:
        out.append(doc.problem(path + ("level",), _unknown(
            "level", value, list(m.levels), listed=True, where=f" in item {item.id}")))
    if kind == "per_missing":
        for k, element in enumerate(value):
            if element not in m.elements:
                out.append(doc.problem(path + (needed, k), _unknown(
                    "required element", element, m.elements, listed=True,
                    where=f" in item {item.id}")))
            elif value.index(element) < k:
                out.append(doc.problem(path + (needed, k), f"{element!r} is listed twice"))
    if needed == "value" and m.unit == "%" and not 0 <= value <= 100:
        out.append(doc.problem(path + ("value",), (
            f"a percentage must lie between 0 and 100; got {num(value)}")))
    return out


def _check_method(doc: YamlDocument, path: tuple, item: Item) -> list[Problem]:
    """Full points reachable and never exceeded: the best level or band gives the item's points."""
    m, out = item.method, []
    if m.kind == "tiered":
        for name, points in m.levels.items():
            if points > item.points:
                out.append(doc.problem(path + ("method", "levels", name), (
                    f"{num(points)} points exceed the item's {num(item.points)}")))
        best = max(m.levels.values())
        if best < item.points:
            out.append(doc.problem(path + ("method", "levels"), (
                f"the best level gives {num(best)}, not the item's {num(item.points)} points")))
    if m.kind == "rank" and m.bands[0].points != item.points:
        out.append(doc.problem(path + ("method", "bands", 0, "points"), (
            f"the first band must give the item's {num(item.points)} points, "
            f"not {num(m.bands[0].points)}")))
    return out


def _check_departments(doc, path: tuple, names: list[str], known: set[str] | None) -> list:
    return [doc.problem(path + ("departments", d), (
        f"unknown department {name!r}; add it to departments.yaml or fix the name"))
        for d, name in enumerate(names) if known is not None and name not in known]


def _check_ids(doc: YamlDocument, rules: ScoringRules) -> list[Problem]:
    """One namespace for block, category, item, bonus, penalty and veto ids."""
    places: list[tuple[str, tuple]] = []
    for b, block in enumerate(rules.blocks):
        places.append((block.id, ("blocks", b, "id")))
        places += [(category.id, ("blocks", b, "categories", c, "id"))
                   for c, category in enumerate(block.categories or [])]
    places += [(item.id, path + ("id",)) for path, _, _, item in item_places(rules)]
    for key in ("bonus", "penalty"):
        claims = getattr(rules, key)
        places += [(x.id, (key, "items", k, "id"))
                   for k, x in enumerate(claims.items if claims else [])]
    if rules.veto:
        places += [(v.id, ("veto", "conditions", k, "id"))
                   for k, v in enumerate(rules.veto.conditions)]
    first: dict[str, tuple] = {}
    out = []
    for id_, path in places:
        if id_ in first:
            line, _ = doc.locate(first[id_])
            out.append(doc.problem(path, f"duplicate id {id_!r} (first used on line {line})"))
        first.setdefault(id_, path)
    return out


def _check_claims(doc, key: str, claims: list[Claim], rules: Claims | None) -> list[Problem]:
    kind = "bonus" if key == "bonuses" else "penalty"
    known = {c.id for c in rules.items} if rules else set()
    out, seen = [], {}
    for k, claim in enumerate(claims):
        if rules is None:
            out.append(doc.problem((key, k), (
                f"scoring_rules.yaml has no {kind}:, so nothing can be claimed; remove {key}:")))
        elif claim.item not in known:
            out.append(doc.problem((key, k, "item"), _unknown(f"{kind} item", claim.item, known)))
        elif claim.item in seen:
            out.append(doc.problem((key, k, "item"), (
                f"{claim.item} is claimed twice (first at {key}[{seen[claim.item]}]); "
                "give one line with count:")))
        seen.setdefault(claim.item, k)
    return out


def _unknown(what: str, name: str, known: Iterable[str], listed: bool = False,
             where: str = "") -> str:
    """"no item 'T9'" plus a close match or, for short closed lists, every choice."""
    known = list(known)
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    text = f"no {what} {name!r}{where}"
    if listed:
        return f"{text}; expected one of: {', '.join(known)}"
    if guess:
        return f"{text} (did you mean {guess[0]!r}?)"
    return f"{text}; known: {', '.join(sorted(known))}"
