"""`qdocs sheets in`: read every file, check every cell, then write all or nothing.

Region sheets replace a region's reported inputs, claims and veto events; its
adjustments stay. Department sheets add or replace that department's
adjustments and verifications. While any cell is wrong nothing is written and
the command exits 2; `--dry-run` shows per region and item what would change
(old → new) and how the scores would move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qdocs.content.scoring_models import Adjustment, Assessment
from qdocs.errors import ContentError, Problem, display_path
from qdocs.sheets import department as D
from qdocs.sheets import layout as L
from qdocs.sheets.diff import describe_changes, score_movements
from qdocs.sheets.project import SheetsProject, load_sheets_project
from qdocs.sheets.read import RegionInputs, read_region
from qdocs.sheets.workbook import SheetProblems, open_sheets
from qdocs.sheets.write import write_text
from qdocs.sheets.yamlwrite import assessment_yaml


@dataclass
class Intake:
    """Everything read from the files, before anything is written."""

    regions: dict[str, RegionInputs] = field(default_factory=dict)
    findings: list[D.Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_files(project: SheetsProject, files: list[Path]) -> tuple[Intake, list[Problem]]:
    """Read and check every file: what was read, and every bad cell of all of them."""
    intake, problems = Intake(), []
    for path in files:
        report = SheetProblems(display_path(path))
        grids = open_sheets(path, report, {L.SHEET: L.READ_COLUMNS})
        if grids is not None:
            _read_one(project, path, grids, report, intake)
        problems += report.problems
        intake.notices += report.notices
    return intake, problems


def _read_one(project, path: Path, grids, report: SheetProblems, intake: Intake) -> None:
    if L.SHEET in grids:
        got = read_region(grids[L.SHEET], path.stem, project, report)
        if got is None:
            return
        if got.code in intake.regions:
            report.at(L.SHEET, L.CELL_CODE, (
                f"region {got.code} is also read from {intake.regions[got.code].source}; "
                "give one sheet per region"))
            return
        intake.regions[got.code] = got
    elif D.SHEET in grids:
        found = D.read_department(grids[D.SHEET], project, report)
        if found is not None:
            intake.findings += found
    else:
        report.at(None, None, (
            f"no sheet named {L.SHEET} (region sheet) or {D.SHEET} (department sheet); "
            f"found: {', '.join(grids) or 'none'} — was the sheet renamed? name it back"))


def merge(project: SheetsProject, intake: Intake) -> dict[str, Assessment]:
    """The new assessment of every region the files touch (unchanged ones included)."""
    out: dict[str, Assessment] = {}
    for code, got in intake.regions.items():
        old = project.assessments.get(code)
        # A confirmation (核实无误) holds for the input confirmed: a new report reopens it.
        verified = [v for v in (old.verified if old else [])
                    if _same_input(old.items.get(v.item), got.items.get(v.item))]
        out[code] = Assessment(
            sample=old.sample if old else False, region=code, items=got.items,
            bonuses=got.bonuses, penalties=got.penalties, vetoes=got.vetoes,
            adjustments=old.adjustments if old else [], verified=verified)
    problems: list[Problem] = []
    for f in intake.findings:
        base = out.get(f.code) or project.assessments[f.code]
        adjustments = list(base.adjustments)
        verified = [v for v in base.verified
                    if not (v.item == f.change.item and v.department == f.change.department)]
        clash = next((x for x in adjustments if x.item == f.change.item
                      and x.department != f.change.department), None)
        if clash is not None:
            problems.append(Problem(f.where, None, None, "", (
                f"{f.change.item} of {f.code} was already adjusted by "
                f"{clash.department or 'hand'} ({clash.reason}); one verified value per item")))
            continue
        adjustments = [x for x in adjustments if x.item != f.change.item]
        if isinstance(f.change, Adjustment):
            adjustments.append(f.change)
        else:
            verified.append(f.change)
        out[f.code] = base.model_copy(update={"adjustments": adjustments, "verified": verified})
    if problems:
        raise ContentError(problems)
    return out


def _same_input(a, b) -> bool:
    """The same input, notes aside."""
    return a is not None and b is not None and \
        a.model_dump(exclude={"note"}) == b.model_dump(exclude={"note"})


def sheets_in(content_dir: Path, files: list[Path], dry_run: bool,
              echo: Callable[[str], None]) -> None:
    """Read `files`; print what changes; write the assessments unless `dry_run`."""
    project = load_sheets_project(content_dir)
    intake, problems = read_files(project, files)
    for line in intake.notices:
        echo(f"note: {line}")
    if problems:
        raise ContentError(problems)
    new = merge(project, intake)
    changed = {c: a for c, a in new.items() if project.assessments.get(c) != a}
    for code in project.codes:
        if code in new:
            lines = describe_changes(project, code, project.assessments.get(code), new[code])
            echo(f"{code} {project.region_name(code)}: "
                 f"{'unchanged' if not lines else f'{len(lines)} change(s)'}")
            for line in lines:
                echo(f"  {line}")
    for line in score_movements(project, changed):
        echo(line)
    if dry_run:
        echo(f"dry run: {len(changed)} assessment file(s) would be written; nothing written")
        return
    texts = {}
    for code, a in changed.items():
        path = project.assessment_path(code)
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        heading = (f"{project.region_name(code)} {project.settings.year}年度考核填报数据"
                   "（由 qdocs sheets in 读入）")
        texts[path] = assessment_yaml(text, project.assessments.get(code), a, heading)
    for path, text in texts.items():
        write_text(path, text)
        echo(f"wrote {display_path(path)}")


def sheets_out(content_dir: Path, out_dir: Path, codes: list[str], by_department: bool,
               echo: Callable[[str], None]) -> list[Path]:
    """Write region sheets (or department sheets) into `out_dir`."""
    from qdocs.errors import UsageError
    from qdocs.sheets.out import write_region_sheets

    project = load_sheets_project(content_dir)
    unknown = [c for c in codes if c not in project.codes]
    if unknown:
        raise UsageError(f"no region {', '.join(unknown)} in regions.yaml")
    if by_department:
        paths = D.write_department_sheets(project, out_dir)
    else:
        paths = write_region_sheets(project, codes or project.codes, out_dir)
    echo(f"wrote {len(paths)} sheet(s) to {display_path(out_dir)}")
    return paths
