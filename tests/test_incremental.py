"""Incremental builds: exactly the affected targets are rebuilt, and nothing else is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from qdocs.pipeline import build

CARDS = {f"card-{c}" for c in (
    "420100 420200 420300 420500 420600 420700 420800 420900 421000 421100 421200 421300 "
    "422800 429004 429005 429006 429021").split()}


def snapshot(build_dir: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file with its inode, mtime and bytes: any write shows."""
    out = {}
    for path in sorted(build_dir.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[str(path.relative_to(build_dir))] = (st.st_ino, st.st_mtime_ns, path.read_bytes())
    return out


def html_build(content: Path, out: Path, **kw):
    report = build(content, out, formats=["html"], jobs=1, **kw)
    assert report.ok, report.failed
    return report


@pytest.fixture
def built(example, tmp_path):
    out = tmp_path / "build"
    first = html_build(example, out)
    assert {j.name for j in first.rebuilt} == {"notice", "annex-1", "annex-2", "bulletin"} | CARDS
    return example, out


def set_points(text: str, item_name: str, old: int, new: int) -> str:
    """The scoring rules with one item's points changed (the item found by its name)."""
    before = f"name: {item_name}\n            points: {old}\n"
    assert before in text
    return text.replace(before, f"name: {item_name}\n            points: {new}\n", 1)


def rebuilt(report) -> set[str]:
    return {j.name for j in report.rebuilt}


def test_a_second_build_writes_nothing(built):
    content, out = built
    before = snapshot(out)
    report = html_build(content, out)
    assert report.rebuilt == []
    assert snapshot(out) == before


def test_one_rule_edit_rebuilds_annex2_notice_cards_bulletin_not_annex1(built):
    content, out = built
    rules = content / "scoring_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    # Move one point from T1 (8) to T3 (6, scored in proportion): the category still adds
    # up to 20, and every region's T3 score, so the bulletin's figures, change.
    text = set_points(text, "制造业产品质量合格率", 8, 7)
    text = set_points(text, "食品安全监督抽检合格率", 6, 7)
    rules.write_text(text, encoding="utf-8")
    report = html_build(content, out)
    assert rebuilt(report) == {"annex-2", "notice", "bulletin"} | CARDS
    assert all(j.reason == "content changed: scoring_rules.yaml" for j in report.rebuilt)
    assert report.score_changes  # the change report names who moved


def test_an_edit_that_changes_no_printed_figure_of_a_target_skips_it(built):
    """Keys hash the context, not the files: T1 8→7, T2 6→7 leaves every final score as it
    was (no region hits T1's floor), so the bulletin, whose table holds only finals and
    totals, is byte-identical and not rebuilt."""
    content, out = built
    rules = content / "scoring_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = set_points(text, "制造业产品质量合格率", 8, 7)
    text = set_points(text, "主要农产品质量安全监测合格率", 6, 7)
    rules.write_text(text, encoding="utf-8")
    report = html_build(content, out)
    assert rebuilt(report) == {"annex-2", "notice"} | CARDS
    assert report.score_changes == []


def test_editing_the_copy_to_line_rebuilds_only_the_notice(built):
    content, out = built
    notice = content / "notice.yaml"
    text = notice.read_text(encoding="utf-8")
    assert "省检察院" in text
    notice.write_text(text.replace("省检察院", "省人民检察院", 1), encoding="utf-8")
    report = html_build(content, out)
    assert rebuilt(report) == {"notice"}
    assert report.rebuilt[0].reason == "content changed: notice.yaml"


def test_a_comment_edit_rebuilds_nothing(built):
    content, out = built
    notice = content / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + "# a note to self\n",
                      encoding="utf-8")
    assert html_build(content, out).rebuilt == []


def test_editing_a_template_rebuilds_only_its_users(built):
    content, out = built
    (content / "templates").mkdir()
    bundled = Path(__file__).resolve().parent.parent / "templates" / "card.html.j2"
    (content / "templates" / "card.html.j2").write_text(
        bundled.read_text(encoding="utf-8").replace("分项得分", "分项得分（修订）"),
        encoding="utf-8")
    report = html_build(content, out)
    assert rebuilt(report) == CARDS
    assert report.rebuilt[0].reason == "template changed: card.html.j2"
    assert "（修订）" in (out / "html" / "card-420100.html").read_text(encoding="utf-8")


def test_a_deleted_or_altered_output_is_rebuilt(built):
    content, out = built
    (out / "html" / "annex-1.html").unlink()
    altered = out / "html" / "bulletin.html"
    altered.write_bytes(altered.read_bytes() + b"<!-- edited by hand -->")
    report = html_build(content, out)
    reasons = {j.name: j.reason for j in report.rebuilt}
    assert reasons == {"annex-1": "html output missing",
                       "bulletin": "html output altered since the last build"}


def test_force_rebuilds_everything(built):
    content, out = built
    report = html_build(content, out, force=True)
    assert len(report.rebuilt) == 21 and {j.reason for j in report.rebuilt} == {"forced"}


def test_score_changes_name_exactly_the_regions_that_moved(built):
    content, out = built
    assessment = content / "assessments" / "421200.yaml"   # 咸宁, 86.36, B, 5th
    text = assessment.read_text(encoding="utf-8")
    before = html_build(content, out)  # nothing to do, but proves the state
    assert before.rebuilt == []
    import yaml
    data = yaml.safe_load(text)
    data["penalties"] = (data.get("penalties") or []) + [
        {"item": "P1", "note": "测试扣分"}]
    assessment.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = html_build(content, out)
    changed = {(c["region"], c["field"]) for c in report.score_changes}
    assert ("421200", "final") in changed
    assert all(code == "421200" or field == "rank" for code, field in changed)
    assert (out / "changes.json").exists()


def test_metadata_date_honours_source_date_epoch(example, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1400000000")
    html_build(example, tmp_path / "b", targets=["annex-1"])
    text = (tmp_path / "b" / "html" / "annex-1.html").read_text(encoding="utf-8")
    assert 'content="2014-05-13T16:53:20Z"' in text
