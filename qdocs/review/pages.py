"""Page images of the PDFs and their comparison with the previous build's.

Each PDF page becomes a PNG with pypdfium2 (no poppler at run time), in grey: half
the cost of colour, and a review looks for what moved, not for the red of the
masthead. `PageImager` renders in a thread while the build's workers still run (pdfium
is called through ctypes, which lets the GIL go). Before a target's images are
replaced, the old ones move to `before/`, and each new page is compared with the old
page of the same number, raster against raster (Pillow). A changed page carries the
boxes, as fractions of the page, around the bands of rows that differ.
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# 60 dpi: a page is about 500 × 700 px, legible side by side; the benchmark harness
# measures what rendering costs beside a cold build (the target is at most 20%).
DPI = 60
STAMP = "pdf.sha256"   # in a staged folder: the PDF its images show, written last
# A channel must move by more than this to count: the same PDF renders identically,
# so this only absorbs anti-aliasing of a glyph that moved by a fraction of a pixel.
THRESHOLD = 24
STRIP_PX = 8        # rows are scanned in strips of this height
GAP_STRIPS = 2      # changed strips closer than this merge into one outlined area


class PageImageError(Exception):
    """A PDF pdfium cannot open or render (the message says why)."""


@dataclass
class PageDiff:
    """One page of the new build against the same page of the previous one."""

    number: int
    status: str                      # "same", "changed", "added", "removed"
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)


def render_pages(pdf: Path, folder: Path) -> int:
    """Write `folder/<n>.png` for every page of `pdf` (1-based); return the page count."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise PageImageError(f"{pdf.name}: {exc}") from None
    try:
        for index in range(len(doc)):
            page = doc[index]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image.save(folder / f"{index + 1}.png", compress_level=1)
            count += 1
    except pdfium.PdfiumError as exc:
        raise PageImageError(f"{pdf.name}: {exc}") from None
    finally:
        doc.close()
    return count


class PageImager:
    """Renders PDFs into `staging/<target>/` in one background thread, as the build's
    outcomes arrive; `finish()` waits and says which PDF each staged folder shows."""

    def __init__(self, staging: Path):
        self.staging = staging
        self._todo: queue.Queue = queue.Queue()
        self._done: dict[str, str] = {}
        self.cpu = 0.0          # CPU seconds of the rendering thread (the benchmarks read it)
        self._thread = threading.Thread(target=self._run, name="qdocs-pages", daemon=True)
        self._thread.start()

    def add(self, name: str, pdf: Path, sha: str) -> None:
        self._todo.put((name, pdf, sha))

    def finish(self) -> dict[str, str]:
        """Target → sha256 of the PDF its staged images show (failures left out: the site
        renders those itself and reports the error)."""
        self._todo.put(None)
        self._thread.join()
        return dict(self._done)

    def _run(self) -> None:
        try:
            self._render_all()
        finally:
            self.cpu = time.thread_time()

    def _render_all(self) -> None:
        while (job := self._todo.get()) is not None:
            name, pdf, sha = job
            folder = self.staging / name
            try:
                if folder.exists():
                    shutil.rmtree(folder)
                render_pages(pdf, folder)
                (folder / STAMP).write_text(sha, encoding="ascii")
                self._done[name] = sha
            except (OSError, PageImageError):
                continue


def replace_pages(pdf: Path, current: Path, before: Path,
                  staged: Path | None = None) -> list[PageDiff] | None:
    """Move `current`'s images to `before`, put `pdf`'s images in `current` (the folder
    `staged` already rendered, or render now), and compare the two; None when there was
    nothing to compare with (a new document)."""
    had_pages = current.is_dir() and any(current.glob("*.png"))
    if before.exists():
        shutil.rmtree(before)
    if had_pages:
        before.parent.mkdir(parents=True, exist_ok=True)
        current.rename(before)
    elif current.exists():
        shutil.rmtree(current)
    if staged is not None:
        current.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(current)
        (current / STAMP).unlink(missing_ok=True)
    else:
        render_pages(pdf, current)
    if not had_pages:
        return None
    return compare_pages(current, before)


def compare_pages(current: Path, before: Path) -> list[PageDiff]:
    """Each page `current/<n>.png` against `before/<n>.png`; pages only one side has are
    added or removed."""
    from PIL import Image

    new_count = len(list(current.glob("*.png")))
    old_count = len(list(before.glob("*.png")))
    diffs = []
    for number in range(1, max(new_count, old_count) + 1):
        if number > old_count:
            diffs.append(PageDiff(number, "added"))
        elif number > new_count:
            diffs.append(PageDiff(number, "removed"))
        else:
            with Image.open(before / f"{number}.png") as old, \
                    Image.open(current / f"{number}.png") as new:
                boxes = changed_boxes(old, new)
            diffs.append(PageDiff(number, "changed" if boxes else "same", boxes))
    return diffs


def changed_boxes(old, new) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, y0, x1, y1 as fractions of the page) around the areas that differ:
    rows are scanned in strips, and nearby changed strips form one area."""
    from PIL import ImageChops

    if old.size != new.size:
        return [(0.0, 0.0, 1.0, 1.0)]
    diff = ImageChops.difference(old.convert("L"), new.convert("L"))
    if diff.getbbox() is None:
        return []
    mask = diff.point(lambda v: 255 if v > THRESHOLD else 0)
    if mask.getbbox() is None:
        return []
    width, height = mask.size
    areas: list[list[int]] = []          # [x0, y0, x1, y1, last strip index]
    for strip, top in enumerate(range(0, height, STRIP_PX)):
        box = mask.crop((0, top, width, min(top + STRIP_PX, height))).getbbox()
        if box is None:
            continue
        x0, y0, x1, y1 = box[0], top + box[1], box[2], top + box[3]
        if areas and strip - areas[-1][4] <= GAP_STRIPS:
            a = areas[-1]
            a[0], a[2], a[3], a[4] = min(a[0], x0), max(a[2], x1), y1, strip
        else:
            areas.append([x0, y0, x1, y1, strip])
    return [(round(a[0] / width, 4), round(a[1] / height, 4),
             round(a[2] / width, 4), round(a[3] / height, 4)) for a in areas]
