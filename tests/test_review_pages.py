"""Page images and their comparison: rasters from PDFs, changed areas outlined."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from qdocs.review.pages import changed_boxes, compare_pages, render_pages, replace_pages


def page(marks=(), size=(400, 560)) -> Image.Image:
    """A white page with black rectangles at `marks` (pixel boxes)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for box in marks:
        draw.rectangle(box, fill="black")
    return image


def write_pdf(path: Path, pages: list[Image.Image]) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=60)
    return path


def test_identical_pages_have_no_changed_area():
    assert changed_boxes(page([(50, 50, 100, 60)]), page([(50, 50, 100, 60)])) == []


def test_one_change_is_outlined_where_it_is():
    boxes = changed_boxes(page(), page([(100, 280, 199, 289)]))
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert (x0, x1) == (0.25, 0.5)                     # 100/400, 200/400
    assert 0.49 < y0 <= 0.5 and 0.51 <= y1 < 0.53      # 280/560 to 290/560


def test_distant_changes_are_separate_areas_and_near_ones_merge():
    old = page()
    new = page([(10, 10, 30, 14), (10, 20, 30, 24), (300, 500, 390, 510)])
    boxes = changed_boxes(old, new)
    assert len(boxes) == 2
    assert boxes[0][1] < 0.05 and boxes[1][1] > 0.85


def test_a_faint_difference_below_the_threshold_is_not_a_change():
    faint = Image.new("RGB", (400, 560), (250, 250, 250))
    assert changed_boxes(page(), faint) == []


def test_a_page_of_another_size_is_changed_whole():
    assert changed_boxes(page(), page(size=(560, 400))) == [(0.0, 0.0, 1.0, 1.0)]


def test_render_pages_writes_one_png_per_page(tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf", [page(), page([(0, 0, 50, 50)]), page()])
    assert render_pages(pdf, tmp_path / "pages") == 3
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["1.png", "2.png", "3.png"]
    # the mark on page 2 survives the round trip (dark top-left, white elsewhere)
    second = Image.open(tmp_path / "pages" / "2.png").convert("L")
    assert second.getpixel((5, 5)) < 60 and second.getpixel((second.width - 5, 300)) > 200


def test_replace_pages_keeps_the_previous_images_and_flags_what_changed(tmp_path):
    current, before = tmp_path / "pages" / "doc", tmp_path / "before" / "doc"
    first = write_pdf(tmp_path / "v1.pdf", [page(), page([(50, 50, 80, 80)])])
    assert replace_pages(first, current, before) is None          # a new document
    second = write_pdf(tmp_path / "v2.pdf",
                       [page(), page([(50, 50, 80, 80), (50, 400, 200, 420)]), page()])
    diffs = replace_pages(second, current, before)
    assert [(d.number, d.status) for d in diffs] == [(1, "same"), (2, "changed"), (3, "added")]
    assert len(diffs[1].boxes) == 1 and diffs[1].boxes[0][1] > 0.6
    assert sorted(p.name for p in before.iterdir()) == ["1.png", "2.png"]
    assert sorted(p.name for p in current.iterdir()) == ["1.png", "2.png", "3.png"]
    third = write_pdf(tmp_path / "v3.pdf", [page()])
    diffs = replace_pages(third, current, before)
    assert [(d.number, d.status) for d in diffs] == [(1, "same"), (2, "removed"),
                                                     (3, "removed")]


def test_compare_pages_reads_both_folders(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    page([(0, 0, 10, 10)]).save(tmp_path / "b" / "1.png")
    page().save(tmp_path / "a" / "1.png")
    page().save(tmp_path / "a" / "2.png")
    diffs = compare_pages(tmp_path / "a", tmp_path / "b")
    assert [d.status for d in diffs] == ["changed", "added"]


def test_the_imager_renders_in_the_background_and_stamps_each_folder(tmp_path):
    from qdocs.review.pages import STAMP, PageImager

    good = write_pdf(tmp_path / "a.pdf", [page(), page()])
    bad = tmp_path / "b.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really\n")
    imager = PageImager(tmp_path / "staged")
    imager.add("a", good, "sha-a")
    imager.add("b", bad, "sha-b")
    assert imager.finish() == {"a": "sha-a"}               # b failed: left to the site
    assert (tmp_path / "staged" / "a" / STAMP).read_text() == "sha-a"
    assert sorted(p.name for p in (tmp_path / "staged" / "a").glob("*.png")) == [
        "1.png", "2.png"]
    assert imager.cpu > 0


def test_replace_pages_takes_a_staged_folder(tmp_path):
    from qdocs.review.pages import STAMP, PageImager

    current, before = tmp_path / "pages" / "doc", tmp_path / "before" / "doc"
    replace_pages(write_pdf(tmp_path / "v1.pdf", [page()]), current, before)
    v2 = write_pdf(tmp_path / "v2.pdf", [page([(0, 0, 40, 40)])])
    imager = PageImager(tmp_path / "staged")
    imager.add("doc", v2, "x")
    imager.finish()
    diffs = replace_pages(v2, current, before, tmp_path / "staged" / "doc")
    assert [d.status for d in diffs] == ["changed"]
    assert not (tmp_path / "staged" / "doc").exists() and not (current / STAMP).exists()


def test_a_pdf_pdfium_cannot_read_is_one_error_not_a_crash(tmp_path):
    import pytest

    from qdocs.review.pages import PageImageError

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really\n")
    with pytest.raises(PageImageError, match="bad.pdf"):
        render_pages(bad, tmp_path / "pages")


def test_the_site_reports_an_unreadable_pdf_and_makes_the_others(tmp_path):
    from qdocs.build.keys import hash_file
    from qdocs.render.templates import make_environment, template_dirs
    from qdocs.review.site import SiteInput, update_site

    out = tmp_path / "build"
    (out / "pdf").mkdir(parents=True)
    good = write_pdf(out / "pdf" / "a.pdf", [page(), page()])
    bad = out / "pdf" / "b.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really\n")
    changes = {"rebuilt": [{"target": n, "reason": "new target", "status": "built"}
                           for n in "ab"],
               "skipped": [], "failed": {}, "score_changes": [], "item_changes": []}
    data = SiteInput(project="P", formats=["pdf"],
                     targets=[{"name": "a", "title": "A"}, {"name": "b", "title": "B"}],
                     pdf_hashes={"a": hash_file(good), "b": hash_file(bad)}, changes=changes)
    update_site(make_environment(template_dirs(None)), out, data)
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "no page images: b.pdf" in index
    assert 'src="review/pages/a/1.png?v=' in index and "a · 2 pages" in index


def test_the_site_does_not_write_through_a_link_in_the_build_folder(tmp_path):
    import os

    import pytest

    from qdocs.errors import UsageError
    from qdocs.render.templates import make_environment, template_dirs
    from qdocs.review.site import SiteInput, update_site

    out = tmp_path / "build"
    (out / "html").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "html" / "review")
    changes = {"rebuilt": [], "skipped": [], "failed": {}, "score_changes": [],
               "item_changes": []}
    data = SiteInput(project="P", formats=["html"], targets=[], pdf_hashes={}, changes=changes)
    with pytest.raises(UsageError, match="is a link"):
        update_site(make_environment(template_dirs(None)), out, data)
    assert list(elsewhere.iterdir()) == []
