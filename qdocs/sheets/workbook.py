"""Opening a returned workbook: every way it can fail becomes a message naming the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qdocs.errors import Problem
from qdocs.sheets.inputs import Cell
from qdocs.sheets.xlsxread import NotAWorkbook, read_cells


@dataclass
class SheetProblems:
    """Problems and notices of one file, each worded `file!sheet!E12: message`."""

    shown: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def at(self, sheet: str | None, ref: str | None, message: str) -> None:
        self.problems.append(Problem(_where(self.shown, sheet, ref), None, None, "", message))

    def note(self, sheet: str, ref: str, message: str) -> None:
        self.notices.append(f"{_where(self.shown, sheet, ref)}: {message}")


def _where(shown: str, sheet: str | None, ref: str | None) -> str:
    return "!".join(p for p in (shown, sheet, ref) if p)


@dataclass(frozen=True)
class Grid:
    """The cells of one sheet as read: (row, column) → Cell, 1-based, empty cells absent."""

    name: str
    cells: dict[tuple[int, int], Cell]

    def get(self, row: int, col: int) -> Cell:
        return self.cells.get((row, col), _EMPTY)

    def text(self, row: int, col: int) -> str:
        value = self.get(row, col).value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)   # a code re-saved as a number by an office suite
        return str(value).strip()


_EMPTY = Cell(None)


def open_sheets(path: Path, report: SheetProblems,
                columns: dict[str, str] | None = None) -> dict[str, Grid] | None:
    """Every sheet of the workbook at `path` as a Grid, or None with the reason reported;
    `columns` limits what is decoded per sheet (see xlsxread.read_cells)."""
    if path.suffix.lower() == ".xls":
        report.at(None, None, "an .xls (Excel 97–2003) file; save it as .xlsx (Excel 工作簿) "
                              "and read that")
        return None
    try:
        sheets = read_cells(path, columns)
    except FileNotFoundError:
        report.at(None, None, "file not found")
        return None
    except IsADirectoryError:
        report.at(None, None, "a folder, not a workbook")
        return None
    except OSError as exc:
        report.at(None, None, f"cannot read: {exc.strerror or exc}")
        return None
    except NotAWorkbook as exc:
        report.at(None, None, f"cannot read it as an .xlsx workbook ({exc}); save it from "
                              "Excel, WPS or Calc as .xlsx")
        return None
    return {name: Grid(name, cells) for name, cells in sheets.items()}
