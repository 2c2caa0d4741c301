"""Filling score sheets as a user would, and re-saving them through LibreOffice Calc."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

KEY_COLUMN, INPUT_COLUMN, NOTE_COLUMN = 9, 5, 8   # restated here, not read from the package




def rows_by_key(ws) -> dict[str, int]:
    """The hidden row key (column I) → row number."""
    return {ws.cell(r, KEY_COLUMN).value: r for r in range(1, ws.max_row + 1)
            if ws.cell(r, KEY_COLUMN).value}


def edit(path: Path, changes: dict[str, object], notes: dict[str, object] | None = None,
         dest: Path | None = None) -> Path:
    """Set the input cell (and note) of the rows with the given keys; save to `dest`."""
    wb = openpyxl.load_workbook(path)
    ws = wb["考核表"]
    where = rows_by_key(ws)
    for key, value in changes.items():
        ws.cell(where[key], INPUT_COLUMN).value = value
    for key, value in (notes or {}).items():
        ws.cell(where[key], NOTE_COLUMN).value = value
    out = dest or path
    wb.save(out)
    return out


def calc_available() -> bool:
    if not shutil.which("soffice"):
        return False
    return any(Path(d).glob("libsclo.so") for d in ("/usr/lib/libreoffice/program",))


needs_calc = pytest.mark.skipif(not calc_available(), reason="LibreOffice Calc is not installed "
                                "(scripts/setup.sh --test installs libreoffice-calc-nogui)")


def calc_resave(files: list[Path], out_dir: Path) -> list[Path]:
    """Open and save each file with LibreOffice Calc headless, as a user's office suite would."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo-qdocs-sheets-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
             *map(str, files)],
            check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / f.name for f in files]
    missing = [p for p in out if not p.is_file()]
    assert not missing, f"Calc wrote nothing for {missing}"
    return out
