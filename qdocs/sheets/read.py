"""Sheets in: one returned region sheet → the region's inputs, or every bad cell located.

Nothing is guessed. The header says whose sheet it is and which scheme it was
made from; the hidden key of every row must stand where the scheme puts it;
only then are the input cells read, each through its method's entry in
`inputs.py`. Every problem is reported as `420500.xlsx!考核表!E12: message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from qdocs.content.scoring_models import Claim, ItemInput, ScoringRules, VetoEvent
from qdocs.sheets import layout as L
from qdocs.sheets.inputs import NO, YES, CellError, blank, input_kind, read_choice, read_whole
from qdocs.sheets.project import SheetsProject
from qdocs.sheets.workbook import Grid, SheetProblems


@dataclass
class RegionInputs:
    """What one region sheet says: inputs per item, claims, veto events."""

    code: str
    source: str
    items: dict[str, ItemInput] = field(default_factory=dict)
    bonuses: list[Claim] = field(default_factory=list)
    penalties: list[Claim] = field(default_factory=list)
    vetoes: list[VetoEvent] = field(default_factory=list)


def read_region(grid: Grid, stem: str, project: SheetsProject,
                report: SheetProblems) -> RegionInputs | None:
    """The region's inputs, or None when anything is wrong (all of it reported)."""
    code = _whose(grid, stem, project, report)
    if code is None or not _same_scheme(grid, project.rules, report):
        return None
    rows = L.region_rows(project.rules)
    if not _rows_in_place(grid, rows, report):
        return None
    before = len(report.problems)
    out = RegionInputs(code, report.shown)
    for row in rows:
        if row.kind == "item" and row.part == 0:
            _read_item(grid, row, out, report)
        elif row.kind in ("bonus", "penalty"):
            _read_claim(grid, row, out, report)
        elif row.kind == "veto":
            _read_veto(grid, row, out, report)
    return out if len(report.problems) == before else None


def _whose(grid: Grid, stem: str, project: SheetsProject, report: SheetProblems) -> str | None:
    code = grid.text(*_rc(L.CELL_CODE))
    if code not in project.codes:
        report.at(grid.name, L.CELL_CODE, (
            f"region code {code!r} is not in regions.yaml" if code else
            "the region code is missing; this is not a sheet written by qdocs sheets out"))
        return None
    if re.fullmatch(r"\d{6}", stem) and stem != code:
        report.at(grid.name, L.CELL_CODE, (
            f"this is the sheet of {code} {project.region_name(code)}, but the file is named "
            f"{stem}.xlsx ({_name(project, stem)}); file it under {code}.xlsx or send "
            f"{stem} its own sheet"))
        return None
    return code


def _name(project: SheetsProject, code: str) -> str:
    return project.region_name(code) if code in project.codes else "no such region"


def _same_scheme(grid: Grid, rules: ScoringRules, report: SheetProblems) -> bool:
    """The sheet was made from this version of the scheme; else say which items changed."""
    found = grid.text(*_rc(L.CELL_FINGERPRINT))
    now = L.scheme_fingerprint(rules)
    if found == now:
        return True
    then = {}
    for (r, c), cell in grid.cells.items():
        if c == L.COL_KEY and "/" not in str(cell.value):
            then[str(cell.value)] = grid.text(r, L.COL_HASH)
    current = {i.id: L.item_fingerprint(i) for i in L.scheme_items(rules)}
    for kind, claims in L.claim_groups(rules):
        current.update({f"{kind}:{c.id}": L.claim_fingerprint(kind, c) for c in claims.items})
    current.update({f"veto:{v.id}": "" for v in L.veto_conditions(rules)})
    then = {k: v for k, v in then.items() if not k.endswith(":")}
    changed = [k for k in current if k in then and then[k] != current[k]]
    parts = []
    for label, keys in (("changed", changed), ("new", [k for k in current if k not in then]),
                        ("removed", [k for k in then if k not in current])):
        if keys:
            parts.append(f"{label}: {', '.join(keys)}")
    detail = "; ".join(parts) or "the grades, caps or precision changed"
    report.at(grid.name, L.CELL_FINGERPRINT, (
        f"this sheet was made for another version of the scheme (fingerprint {found or 'none'},"
        f" now {now}) — {detail}; send a new sheet (qdocs sheets out) and copy the inputs over"))
    return False


def _rows_in_place(grid: Grid, rows: list[L.Row], report: SheetProblems) -> bool:
    where = {}
    for (r, c), cell in grid.cells.items():
        if c == L.COL_KEY:
            where.setdefault(str(cell.value), r)
    ok = True
    for row in rows:
        if row.key not in where:
            report.at(grid.name, f"A{row.number}", (
                f"the row of {_label(row)} is missing (deleted?); restore it or write a new "
                "sheet with qdocs sheets out"))
            ok = False
    if not ok:
        return False
    for row in rows:
        if where[row.key] != row.number:
            report.at(grid.name, f"A{row.number}", (
                f"the row of {_label(row)} is at row {where[row.key]}, not row {row.number}: "
                "rows were inserted, deleted or moved; put them back as sheets out wrote them"))
            return False
    return True


def _label(row: L.Row) -> str:
    if row.kind == "section":
        return f"the {row.key.rstrip(':')} heading"
    name = f"{row.item.id} {row.item.name or row.item.content}"
    if row.kind == "item" and row.parts > 1:
        return f"{name} ({row.prompt.split('：')[0]})"
    return name


def _read_item(grid: Grid, row: L.Row, out: RegionInputs, report: SheetProblems) -> None:
    item, kind = row.item, input_kind(row.item)
    cells = [grid.get(row.number + k, L.COL_INPUT) for k in range(row.parts)]
    notes: list = []
    try:
        value = kind.read(item.method, cells, notes)
    except CellError as exc:
        report.at(grid.name, _ref(L.COL_INPUT, row.number + exc.part), exc.message)
        return
    for part, text in notes:
        report.note(grid.name, _ref(L.COL_INPUT, row.number + part), text)
    note = _note(grid, row.number)
    try:
        out.items[item.id] = ItemInput(**{kind.field_of(item.method): value}, note=note)
    except ValidationError as exc:
        report.at(grid.name, _ref(L.COL_NOTE, row.number), _first_error(exc))


def _read_claim(grid: Grid, row: L.Row, out: RegionInputs, report: SheetProblems) -> None:
    item, r = row.item, row.number
    notes: list = []
    try:
        count = read_whole(grid.get(r, L.COL_INPUT), item.unit, notes, empty_is_zero=True)
    except CellError as exc:
        report.at(grid.name, _ref(L.COL_INPUT, r), exc.message)
        return
    for _, text in notes:
        report.note(grid.name, _ref(L.COL_INPUT, r), text)
    if count == 0:
        return
    note = _note(grid, r)
    what = "bonus" if row.kind == "bonus" else "penalty"
    if note is None and Claim.model_fields["note"].is_required():
        report.at(grid.name, _ref(L.COL_NOTE, r), (
            f"{count}{item.unit} of {what} {item.id} claimed without a note; say in 备注 what "
            "it is for"))
        return
    try:
        claim = Claim(item=item.id, count=count, note=note)
    except ValidationError as exc:
        report.at(grid.name, _ref(L.COL_NOTE, r), _first_error(exc))
        return
    (out.bonuses if row.kind == "bonus" else out.penalties).append(claim)


def _read_veto(grid: Grid, row: L.Row, out: RegionInputs, report: SheetProblems) -> None:
    r, cell = row.number, grid.get(row.number, L.COL_INPUT)
    if blank(cell):
        return
    try:
        met = read_choice(cell, (YES, NO)) == YES
    except CellError as exc:
        report.at(grid.name, _ref(L.COL_INPUT, r), exc.message)
        return
    if not met:
        return
    event = _note(grid, r)
    if event is None:
        report.at(grid.name, _ref(L.COL_NOTE, r), (
            f"veto {row.item.id} is marked 是 without the event; describe it in 备注"))
        return
    try:
        out.vetoes.append(VetoEvent(condition=row.item.id, event=event))
    except ValidationError as exc:
        report.at(grid.name, _ref(L.COL_NOTE, r), _first_error(exc))


def _note(grid: Grid, r: int) -> str | None:
    text = grid.text(r, L.COL_NOTE)
    return text or None


def _first_error(exc: ValidationError) -> str:
    return exc.errors()[0]["msg"]


def _ref(col: int, row: int) -> str:
    return f"{'ABCDEFGHIJ'[col - 1]}{row}"


def _rc(ref: str) -> tuple[int, int]:
    return int(ref[1:]), ord(ref[0]) - ord("A") + 1
