"""The review site a build writes into build/html: index, league table, comparisons of
the rebuilt documents' pages, score movements item by item, the last check report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from review_fixtures import move_a_point, small_example

from qdocs.pipeline import build

SOME = ["annex-1", "card-420100", "card-420200"]


def files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A cold build of three targets, then a rule edit rebuilt: (content, build, states)."""
    root = tmp_path_factory.mktemp("review")
    content = small_example(root)
    out = root / "build"
    first = build(content, out, formats=["pdf", "html"], targets=SOME, jobs=2)
    assert first.ok, first.failed
    cold = {"index": (out / "html" / "index.html").read_text(encoding="utf-8"),
            "state": json.loads((out / "html" / "review" / "state.json").read_text()),
            "files": files(out / "html" / "review"),
            "compare": sorted(p.name for p in (out / "html" / "review").glob("compare-*"))}
    move_a_point(content)
    second = build(content, out, formats=["pdf", "html"], targets=SOME, jobs=2)
    assert second.ok, second.failed
    return content, out, cold, second


def test_a_cold_build_makes_images_of_every_built_pdf_and_no_comparison(site):
    _, out, cold, _ = site
    state = cold["state"]
    assert set(state["targets"]) == set(SOME)
    for name in SOME:
        pages = state["targets"][name]["pages"]
        assert pages >= 1
        assert {f"pages/{name}/{n}.png" for n in range(1, pages + 1)} <= set(cold["files"])
    assert all(c["pages"] is None for c in state["compared"].values())
    assert cold["compare"] == []
    assert not (out / "html" / "review" / "staged").exists()     # every staged folder taken
    assert cold["index"].count('class="mark new"') == len(SOME)


def test_the_index_lists_every_document_with_thumbnail_pages_and_links(site):
    _, out, _, _ = site
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    for name in ("notice", "annex-1", "annex-2", "card-420100", "card-420500", "bulletin"):
        assert f'id="doc-{name}"' in index        # every target, built in this folder or not
    assert 'src="review/pages/card-420100/1.png?v=' in index
    assert 'href="../pdf/card-420100.pdf"' in index and 'href="../html/card-420100.html"' in index
    assert 'href="../pdf/notice.pdf"' not in index          # never built here: no link
    pages = json.loads((out / "html" / "review" / "state.json").read_text())["targets"]
    assert f"card-420100 · {pages['card-420100']['pages']} pages" in re.sub(r"\s+", " ", index)


def test_a_rule_edit_recompares_only_the_rebuilt_documents(site):
    _, out, cold, report = site
    assert {j.name for j in report.rebuilt} == {"card-420100", "card-420200"}
    review = out / "html" / "review"
    now = files(review)
    annex = {k: v for k, v in cold["files"].items() if k.startswith("pages/annex-1/")}
    assert annex and all(now[k] == v for k, v in annex.items())   # not rendered again
    state = json.loads((review / "state.json").read_text())
    assert set(state["compared"]) == {"card-420100", "card-420200"}
    for name in ("card-420100", "card-420200"):
        pages = state["compared"][name]["pages"]
        changed = [p for p in pages if p["status"] == "changed"]
        assert changed and all(p["boxes"] for p in changed)
        assert (review / "before" / name / "1.png").is_file()
        assert state["compared"][name]["before"] == cold["state"]["targets"][name]["pdf"]
    assert sorted(p.name for p in review.glob("compare-*")) == [
        "compare-card-420100.html", "compare-card-420200.html"]


def test_the_comparison_page_shows_before_and_after_with_outlines(site):
    _, out, _, _ = site
    page = (out / "html" / "review" / "compare-card-420100.html").read_text(encoding="utf-8")
    state = json.loads((out / "html" / "review" / "state.json").read_text())
    pages = state["compared"]["card-420100"]["pages"]
    changed = sum(p["status"] != "same" for p in pages)
    assert f"{changed} of {len(pages)} pages changed." in page
    assert page.count('class="box"') == 2 * sum(len(p["boxes"]) for p in pages)
    assert 'src="before/card-420100/1.png?v=' in page and 'src="pages/card-420100/1.png?v=' in page
    same = [p["number"] for p in pages if p["status"] == "same"]
    for n in same:                                # unchanged pages are folded away
        assert f'id="page-{n}" data-status="same">' in page
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert f'href="review/compare-card-420100.html">{changed} page' in index


def test_changes_json_moves_item_by_item_with_the_reason(site):
    _, out, _, report = site
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    moves = {(m["region"], m.get("item")): m for m in data["item_changes"]}
    t1 = moves[("420100", "T1")]
    assert (t1["old"], t1["new"]) == ("8", "7") and "points 8 → 7" in t1["why"]
    t3 = moves[("420100", "T3")]
    assert "points 6 → 7" in t3["why"] and t3["old"] != t3["new"]
    assert data["item_changes"] == report.item_changes
    page = (out / "html" / "review" / "changes.html").read_text(encoding="utf-8")
    assert 'id="items-420100"' in page and "points 8 → 7" in page
    finals = [c for c in data["score_changes"] if c["field"] == "final"]
    assert finals and all(f"<td class=\"num\">{c['new']}</td>" in page for c in finals)


def test_the_league_table_links_every_card_and_counts_grades(site):
    _, out, _, _ = site
    page = (out / "html" / "review" / "league.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-code="(\d+)">', page)
    assert sorted(rows) == ["420100", "420200", "420300", "420500"]
    for code in rows:
        assert f'href="../card-{code}.html"' in page
    counts = [int(n) for n in re.findall(r"<b>(\d+)</b>", page)]
    assert sum(counts) == 4


def test_check_saves_its_report_and_the_site_shows_it_per_document(site, tmp_path, capsys):
    from qdocs.check.command import run_check_command
    from qdocs.review import refresh_check_page

    content, built, _, _ = site
    out = tmp_path / "build"
    shutil.copytree(built, out)
    pdf = out / "pdf" / "annex-1.pdf"
    run_check_command([pdf], out, as_json=True, office=False)
    saved = json.loads((out / "check.json").read_text(encoding="utf-8"))
    assert [d["target"] for d in saved["documents"]] == ["annex-1"]
    assert saved["documents"][0]["checks"] == json.loads(capsys.readouterr().out)[0]["checks"]
    refresh_check_page(content, out)
    page = (out / "html" / "review" / "check.html").read_text(encoding="utf-8")
    assert 'id="check-annex-1"' in page and "changed since this check" not in page
    rule = saved["documents"][0]["checks"][0]["rule"]
    assert f"<td>{rule}</td>" in page
    pdf.write_bytes(pdf.read_bytes() + b"\n%edited\n")
    refresh_check_page(content, out)
    assert "the file changed since this check" in (
        out / "html" / "review" / "check.html").read_text(encoding="utf-8")


def test_check_of_a_file_outside_the_build_folder_saves_nothing(site, tmp_path, capsys):
    from qdocs.check.command import run_check_command

    _, built, _, _ = site
    out = tmp_path / "build"
    shutil.copytree(built, out)
    (out / "check.json").unlink(missing_ok=True)
    elsewhere = tmp_path / "elsewhere.pdf"
    shutil.copy(out / "pdf" / "annex-1.pdf", elsewhere)
    run_check_command([elsewhere], out, as_json=True, office=False)
    assert not (out / "check.json").exists()
