"""The engines' own time for the HTML a build wrote: `python -m benchmarks.engine REQUEST.json`.

For each HTML file, sequentially in one warm process: WeasyPrint's own
`HTML(string=html).write_pdf()` (one layout, the floor), and on request qdocs' PDF
writer (two layouts: measure, then spread the lines) and qdocs' DOCX writer, each on
the same HTML. The import and the first (warm-up) document are timed apart, since a
build's workers pay them too.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path


def measure(files: list[str], base_url: str, qdocs_pdf: bool, docx: bool) -> dict:
    t = time.perf_counter()
    from weasyprint import HTML

    imported = time.perf_counter() - t
    t = time.perf_counter()
    HTML(string="<p>预热 warm-up</p>").write_pdf()
    warmup = time.perf_counter() - t
    render_pdf = profile = fetcher = write_docx_bytes = None
    if qdocs_pdf:
        from qdocs.profile import load_profile
        from qdocs.render.templates import template_dirs
        from qdocs.writers.fetcher import make_url_fetcher
        from qdocs.writers.pdf import render_pdf

        profile = load_profile()
        fetcher = make_url_fetcher(template_dirs(None))
    if docx:
        write_docx_bytes = _docx_writer()
    per_file = {}
    for name in files:
        html = Path(name).read_text(encoding="utf-8")
        row = {}
        _timed(row, "weasyprint", _weasyprint_alone, HTML, html, base_url)
        if render_pdf is not None:
            _timed(row, "qdocs_pdf", render_pdf, html, profile, base_url=base_url,
                   url_fetcher=fetcher)
        if write_docx_bytes is not None:
            _timed(row, "qdocs_docx", write_docx_bytes, html)
            pictures = _chart_pictures(html)  # drawn beforehand: the floor adds them only
            _timed(row, "python_docx", _python_docx_alone, html, pictures)
        per_file[Path(name).stem] = row
    totals = {k: sum(r.get(k, 0.0) for r in per_file.values())
              for k in ("weasyprint", "qdocs_pdf", "qdocs_docx", "weasyprint_cpu",
                        "qdocs_pdf_cpu", "qdocs_docx_cpu", "python_docx", "python_docx_cpu")}
    return {"import_seconds": imported, "warmup_seconds": warmup, "files": per_file,
            "totals": totals, "count": len(per_file)}


def _weasyprint_alone(html_class, html: str, base_url: str) -> bytes:
    return html_class(string=html, base_url=base_url).write_pdf()


def _timed(row: dict, key: str, fn, *args, **kwargs) -> None:
    """Wall seconds as `key`, CPU seconds of this process as `key`_cpu."""
    t, c = time.perf_counter(), time.process_time()
    fn(*args, **kwargs)
    row[key] = time.perf_counter() - t
    row[key + "_cpu"] = time.process_time() - c


_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "table", "figure")


def _chart_pictures(html: str) -> list[bytes]:
    """Each figure.chart of `html` as the PNG qdocs draws (outside the floor's time)."""
    import lxml.html

    from qdocs.fonts import resolve_fonts
    from qdocs.profile import load_profile
    from qdocs.writers.docx_chart import draw_chart

    font = next((resolve_fonts()[r].file for r in ("hei", "fang") if resolve_fonts()[r].file),
                None)
    root = lxml.html.document_fromstring(html)
    return [draw_chart(f.get("data-chart"), load_profile(), font)
            for f in root.iter("figure") if f.get("data-chart")]


def _python_docx_alone(html: str, pictures: list[bytes]) -> bytes:
    """The DOCX writer's floor: python-docx alone writing the same paragraphs and runs
    (cut where qdocs changes the run's style, line breaks within the run),
    tables (cell by cell, spans merged, so as many w:tc as qdocs writes) and chart
    pictures in its default styles, saved once. No page setup, footers or styles."""
    import io

    import docx
    import lxml.html

    root = lxml.html.document_fromstring(html)
    document = docx.Document()
    charts = iter(pictures)
    for part in root.body.xpath('.//div[@class="screen-only"]'):  # qdocs leaves it out too
        part.drop_tree()
    for el in root.body.iter(*_BLOCKS):
        if el.tag == "table":
            layout, width = _grid(el)
            table = document.add_table(rows=len(layout), cols=width)
            _span(table, layout)
            for row, cells in zip(table.rows, layout, strict=True):
                grid = row.cells
                for col, _, _, src in cells:
                    paragraph = grid[col].paragraphs[0]
                    for text in _pieces(src):
                        paragraph.add_run(text)
        elif el.tag == "figure":
            picture = next(charts, None)
            if picture is not None:
                document.add_picture(io.BytesIO(picture))
        elif el.getparent() is not None and el.getparent().tag not in ("td", "th", "figure"):
            paragraph = document.add_paragraph()
            for text in _pieces(el):
                paragraph.add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Spans qdocs writes as runs of their own (a character style, a no-break run); other
# inline elements (line breaks, marker spans) stay within the run, as there.
_RUN_SPANS = frozenset({"lead-1", "lead-2", "nowrap"})


def _pieces(el) -> list[str]:
    """The text of `el` as qdocs cuts it into runs, a line break as "\\n"."""
    pieces, current = [], [el.text or ""]
    for child in el:
        if child.tag == "span" and child.get("class") in _RUN_SPANS:
            pieces += ["".join(current), child.text_content()]
            current = []
        else:
            current.append("\n" if child.tag == "br" else child.text_content())
        current.append(child.tail or "")
    pieces.append("".join(current))
    return [p for p in pieces if p.strip()]


def _span(table, layout: list[list[tuple]]) -> None:
    """Spanned cells as python-docx's merge() leaves them (w:gridSpan, w:vMerge, the
    covered w:tc gone), set through its element API: merge() itself costs ~3 ms a span,
    which would make the floor slower than writing the same table needs."""
    rows = list(table.rows)
    grid = [row._tr.tc_lst for row in rows]  # each row's w:tc by column, before spans
    for i, cells in enumerate(layout):
        for col, span, down, _ in cells:
            for j in range(i, i + down):
                for covered in grid[j][col + 1:col + span]:
                    covered.getparent().remove(covered)
                if span > 1:
                    grid[j][col].grid_span = span
                if down > 1:
                    grid[j][col].vMerge = "restart" if j == i else "continue"


def _grid(table) -> tuple[list[list[tuple]], int]:
    """Each row's cells as (column, colspan, rowspan, element), and the columns."""
    layout: list[list[tuple]] = []
    covered: dict[int, int] = {}  # column -> rows it is still covered by a rowspan
    width = 0
    for tr in table.iter("tr"):
        cells, col = [], 0
        for td in tr.iterchildren("td", "th"):
            while covered.get(col):
                col += 1
            span, down = int(td.get("colspan", 1)), int(td.get("rowspan", 1))
            cells.append((col, span, down, td))
            for c in range(col, col + span):
                covered[c] = down
            col += span
        covered = {c: n - 1 for c, n in covered.items() if n > 1}
        width = max(width, col, *(c + 1 for c in covered))
        layout.append(cells)
    return layout, max(width, 1)


def _docx_writer():
    """qdocs' DOCX writer as html → bytes, whichever of its entry points exists."""
    from qdocs.writers import docx

    created = dt.datetime(2014, 1, 1, tzinfo=dt.UTC)
    if hasattr(docx, "docx_bytes"):
        return lambda html: docx.docx_bytes(html, title="benchmark", created=created)

    def via_file(html: str) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "out.docx"
            docx.write_docx(html, dest, title="benchmark", created=created)
            return dest.read_bytes()

    return via_file


def main(argv: list[str]) -> None:
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = measure(request["files"], request["base_url"], request.get("qdocs_pdf", False),
                     request.get("docx", False))
    Path(request["result"]).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
