"""DOCX → PDF through LibreOffice, headless, so a DOCX is judged as a reader sees it.

LibreOffice keeps a user profile that two running instances must not share, and a
conversion can hang on a bad file (DESIGN.md, pitfalls): each call gets its own
profile directory (removed afterwards) and a timeout. All files of a run go through
one process, since starting LibreOffice costs more than converting a document.

The DOCX names the standard faces (仿宋_GB2312, 方正小标宋简体 …), which a government
PC has and this machine usually has not; fontconfig would then set the whole document
in one unrelated CJK face. So the conversion runs with a fontconfig file that maps
each standard face to the font serving its role in the PDF (`qdocs.fonts`), the
reader's view with the same substitutes the PDF embeds; the report names them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from qdocs.check.fontrules import STANDARD_ALIASES
from qdocs.fonts import resolve_fonts

SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"

# Seconds allowed for starting LibreOffice, and for each file converted.
TIMEOUT_START_S = 120
TIMEOUT_PER_FILE_S = 30

_CANDIDATES = ("soffice", "libreoffice")


def find_office() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    override = os.environ.get("QDOCS_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Conversion:
    """The outcome of converting one DOCX: the PDF, or why there is none."""

    source: Path
    pdf: Path | None
    error: str = ""


def convert_to_pdf(docx_files: list[Path], out_dir: Path) -> dict[Path, Conversion]:
    """Convert every file in `docx_files` to PDF under `out_dir` (one LibreOffice process
    a batch of distinct file names, its own profile directory, a timeout). Returns a
    Conversion per input file."""
    office = find_office()
    if office is None:
        return {f: Conversion(f, None, "LibreOffice (soffice) is not installed")
                for f in docx_files}
    batches: list[list[Path]] = []
    for f in docx_files:              # LibreOffice names each PDF after its file's stem
        for batch in batches:
            if all(g.stem != f.stem for g in batch):
                batch.append(f)
                break
        else:
            batches.append([f])
    out: dict[Path, Conversion] = {}
    for n, batch in enumerate(batches):
        out.update(_convert_batch(office, batch, out_dir / f"batch-{n}"))
    return out


# Keep the blank pages Writer inserts for an even-page section start (the 版记's), as a
# printer would: by default the PDF export drops them and the 版记 lands on an odd page.
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def _convert_batch(office: str, docx_files: list[Path], out_dir: Path
                   ) -> dict[Path, Conversion]:
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="qdocs-lo-"))
    timeout = TIMEOUT_START_S + TIMEOUT_PER_FILE_S * len(docx_files)
    command = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER,
               "--outdir", str(out_dir), *[str(f) for f in docx_files]]
    env = {**os.environ, "FONTCONFIG_FILE": str(_write_fontconfig(profile))}
    error = ""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                check=False, stdin=subprocess.DEVNULL, env=env)
        if result.returncode != 0:
            error = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
            error = f"LibreOffice exited with {result.returncode}: {error[0]}"
    except subprocess.TimeoutExpired:
        error = f"LibreOffice did not finish within {timeout} s"
    except OSError as exc:
        error = f"LibreOffice could not start: {exc}"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = {}
    for f in docx_files:
        pdf = out_dir / (f.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            out[f] = Conversion(f, pdf)
        else:
            out[f] = Conversion(f, None, error or "LibreOffice wrote no PDF")
    return out


def fontconfig_aliases() -> str:
    """fontconfig rules mapping every name of a standard face to the installed font
    that serves its role (with its weight: 小标宋 is often a bold cut)."""
    rules = []
    for role, font in resolve_fonts().items():
        if font.family is None:
            continue
        weight = ('<edit name="weight" mode="assign" binding="strong"><const>bold</const>'
                  '</edit>' if font.weight == "bold" else "")
        for name in STANDARD_ALIASES[role]:
            if name == font.family:
                continue
            rules.append(
                f'<match target="pattern"><test name="family" compare="eq"><string>'
                f'{escape(name)}</string></test><edit name="family" mode="assign" '
                f'binding="strong"><string>{escape(font.family)}</string></edit>{weight}</match>')
    return "\n".join(rules)


def _write_fontconfig(directory: Path) -> Path:
    path = directory / "fonts.conf"
    system = os.environ.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f'<fontconfig>\n<include ignore_missing="yes">{escape(system)}</include>\n'
        f"{fontconfig_aliases()}\n</fontconfig>\n", encoding="utf-8")
    return path
