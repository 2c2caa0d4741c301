"""The second example (examples/city-districts): a city's scheme of another shape.

Two levels without categories, dotted item ids, its own grade names, a veto ranked
last, no action plan, one annex, all seven methods. Its scores are worked out by hand
below (in the comments, from the YAML), never read back from the engine; the whole
project builds, passes `qdocs check`, and no output carries a string of the bundled
example.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
import yaml
from check_fixtures import card_pages

from qdocs.check.office import find_office
from qdocs.cli import main
from qdocs.pipeline import load_and_score

REPO = Path(__file__).resolve().parent.parent
CITY = REPO / "examples" / "city-districts" / "content"
BUNDLED = REPO / "content"


@pytest.fixture(scope="module")
def scored():
    project, results = load_and_score(CITY)
    return project, results


def item(results, code: str, item_id: str):
    return next(i for i in results.region(code).items if i.id == item_id)


# --- one item per method, by hand ---------------------------------------------------------------

def test_target_deduct_counts_a_part_step_whole(scored):
    # 1.1 鲤城区: target 95%, 94.2% → 0.8 short = 1 step of 0.5 and a part → 2 steps × 1.5 = 3
    it = item(scored[1], "350502", "1.1")
    assert (it.score, it.lost) == (12, 3)
    assert it.reason == "合格率94.2%，低于目标95%，扣3分"


def test_target_deduct_pro_rata(scored):
    # 1.4 丰泽区: target 98%, 97.825% → 0.175 short; step 1 costs 2 → 0.175 × 2 = 0.35
    it = item(scored[1], "350503", "1.4")
    assert it.score == D("14.65")


def test_proportional_is_kept_exact(scored):
    # 1.2 鲤城区: 0 at 95%, full (10) at 98%; 97% → 10 × 2/3 = 20/3, not rounded (items: exact)
    it = item(scored[1], "350502", "1.2")
    assert it.score == Fraction(20, 3)
    assert it.reason == "抽检合格率97%，按95%至98%之间的比例得6.7分，扣3.3分"


def test_rank_bands(scored):
    # 1.3 新增商标: 晋江300 惠安200 石狮180 南安160 丰泽150 鲤城120 安溪90 泉港80 永春70
    # 洛江60 德化50. 鲤城 is 6th → band up_to 6 → 7 points; 德化 11th → rest 2.
    assert (item(scored[1], "350502", "1.3").rank, item(scored[1], "350502", "1.3").score) == (
        6, 7)
    assert item(scored[1], "350526", "1.3").score == 2


def test_per_missing_from_present_elements_and_zero_if_none(scored):
    # 2.1: 4 elements, 2 per missing one. 丰泽区 lists 3 present → 1 missing → 10 − 2 = 8.
    # 安溪县 lists none: 4 × 2 = 8 would leave 2, but zero_if_none makes it 0.
    assert item(scored[1], "350503", "2.1").score == 8
    assert item(scored[1], "350524", "2.1").score == 0


def test_per_missing_from_missing_elements(scored):
    # 2.5 石狮市: missing [认证认可] → 5 − 2 = 3
    assert item(scored[1], "350581", "2.5").score == 3


def test_tiered_binary_and_per_occurrence(scored):
    # 2.2 永春县 一般 → 7; 2.4 洛江区 not done → 0 of 5; 2.3 安溪县 6 events × 2 = 12 > 10 → 0
    assert item(scored[1], "350525", "2.2").score == 7
    assert item(scored[1], "350504", "2.4").score == 0
    occ = item(scored[1], "350524", "2.3")
    assert occ.score == 0 and occ.reason.endswith("（扣完为止）")


# --- claims, tie, veto, grades ------------------------------------------------------------------

def test_claims_cut_at_the_item_max_and_the_cap(scored):
    # 石狮市: B1 1 × 2 = 2; B2 4 × 0.5 = 2 → its max 1.5; 3.5 claimed → cap 3
    r = scored[1].region("350581")
    assert [(ln.raw, ln.points) for ln in r.bonus.lines] == [(2, 2), (2, D("1.5"))]
    assert (r.bonus.raw, r.bonus.total, r.bonus.capped) == (D("3.5"), 3, True)


def test_the_tie_is_decided_by_the_printed_score(scored):
    # 鲤城区: 12 + 20/3 + 7 + 15 + 10 + 11 + 10 + 5 + 5 = 245/3 = 81.666… → printed 81.7
    # 丰泽区: 15 + 10 + 7 + 14.65 + 8 + 11 + 6 + 5 + 5 = 81.65 → printed 81.7 (half-up)
    # Ranked above them: 石狮 99, 泉港 94, 德化 92, 惠安 90.0, 南安 83 → both 6th; 永春 8th.
    results = scored[1]
    a, b = results.region("350502"), results.region("350503")
    assert a.final == Fraction(245, 3) and b.final == D("81.65")
    assert a.final_display == b.final_display == D("81.7")
    assert (a.rank, b.rank, results.region("350525").rank) == (6, 6, 8)


def test_the_grade_goes_by_the_printed_score(scored):
    # 惠安县: 13.5 + 10 + 10 + 14.96 + 10 + 11 + 10 + 5 + 5 = 89.46, + bonus 0.5 = 89.96,
    # printed 90.0 → 优秀 (basis: published), though the exact score is under 90.
    r = scored[1].region("350521")
    assert (r.final, r.final_display, r.grade.name) == (D("89.96"), D("90.0"), "优秀")


def test_the_vetoed_region_is_ranked_last_with_the_lowest_grade(scored):
    # 晋江市: every item full (100) + B1 2 = 102, the best score; vetoed (V1) → 较差 (D),
    # placed after the 10 other regions: 11th, listed last.
    results = scored[1]
    r = results.region("350582")
    assert (r.final, r.grade.code, r.grade.name, r.rank) == (102, "D", "较差", 11)
    assert results.ranking[-1] == "350582"


def test_the_whole_league_table(scored):
    # By hand (printed finals): 石狮 96 + 3 = 99; 泉港 94; 德化 92; 惠安 90.0; 南安 85 − 2 = 83;
    # 鲤城 81.7; 丰泽 81.7; 永春 15 + 8 + 4 + 15 + 10 + 7 + 4 + 5 + 5 = 73; 洛江
    # 9 + 5 + 2 + 11 + 6 + 7 + 8 + 0 + 3 = 51 − 2 = 49; 安溪 15 + 2 + 4 + 15 + 0 + 0 + 0 + 5 + 5
    # = 46; 晋江 102 (vetoed, last).
    results = scored[1]
    table = [(results.region(c).rank, c, str(results.region(c).final_display),
              results.region(c).grade.code) for c in results.ranking]
    assert table == [
        (1, "350581", "99.0", "A"), (2, "350505", "94.0", "A"), (3, "350526", "92.0", "A"),
        (4, "350521", "90.0", "A"), (5, "350583", "83.0", "B"), (6, "350502", "81.7", "B"),
        (6, "350503", "81.7", "B"), (8, "350525", "73.0", "C"), (9, "350504", "49.0", "D"),
        (10, "350524", "46.0", "D"), (11, "350582", "102.0", "D")]


# --- built, checked, and free of the bundled example --------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from qdocs.pipeline import build

    out = tmp_path_factory.mktemp("city") / "build"
    report = build(CITY, out, formats=["pdf", "docx", "html"], jobs=2)
    assert report.ok, report.failed
    return out


def test_every_document_passes_check(built):
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), pytest.raises(SystemExit) as info:
        main(["check", "--content", str(CITY), "--out", str(built), "--json", "--no-office"])
    documents = json.loads(stdout.getvalue())
    failed = [(d["document"], c["rule"], c["measured"]) for d in documents for c in d["checks"]
              if c["status"] == "fail"]
    assert failed == []
    assert info.value.code == (1 if failed else 0)
    names = {Path(d["document"]).name for d in documents}
    assert {"notice.pdf", "annex-2.pdf", "bulletin.pdf", "card-350582.docx"} <= names
    assert not any(n.startswith("annex-1") for n in names)       # no action plan, no annex 1


@pytest.mark.parametrize("office", [False, True], ids=["pdf", "LibreOffice"])
def test_every_card_is_at_most_two_pages(built, tmp_path, office):
    if office and find_office() is None:
        pytest.skip("LibreOffice is not installed")
    pages = card_pages(built, tmp_path, office=office)
    assert len(pages) == 11
    assert max(pages.values()) <= 2, pages


@pytest.mark.skipif(find_office() is None, reason="LibreOffice is not installed")
def test_every_docx_passes_check_through_libreoffice_too(built):
    """The slower half: LibreOffice renders each DOCX and the rendering is checked as well.

    Known limit (README): LibreOffice 7.4 puts a fifth of an em between CJK and digits
    whatever the file says (its DOCX import drops w:autoSpaceDE/DN), so under a date
    written in digits (2021年3月8日 — the bundled example's dates are 2014年×月×日) its 署名
    stands off the date's centre. That rule, on the two documents signed under such a
    date, is the only failure allowed; the PDF and the DOCX XML pass every check (the test
    above).
    """
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), pytest.raises(SystemExit):
        main(["check", "--content", str(CITY), "--out", str(built), "--json"])
    documents = json.loads(stdout.getvalue())
    failed = sorted((Path(d["document"].split(" ")[0]).name, c["rule"])
                    for d in documents for c in d["checks"] if c["status"] == "fail")
    # LibreOffice's own CJK–digit spacing moves the 署名 of the two documents with a 版头
    # off the date's centre (see README, known limits); nothing else may fail, and the
    # fix of these fails the test too.
    assert failed == [("bulletin.docx", "signature.centred"), ("notice.docx", "signature.centred")]
    assert all("(LibreOffice)" in d["document"]
               for d in documents if any(c["status"] == "fail" for c in d["checks"]))
    assert sum(d["document"].endswith("(LibreOffice)") for d in documents) == 14


def _bundled_strings() -> set[str]:
    """What must not leak from the bundled example: province, its 鄂, year, 全省, cities."""
    regions = yaml.safe_load((BUNDLED / "regions.yaml").read_text(encoding="utf-8"))
    names = {r["name"] for r in regions["regions"]}
    # 武汉市 → 武汉 as well: a city named without 市 would leak too
    names |= {n[:-1] for n in names if n.endswith(("市", "州")) and len(n) > 2}
    return {"湖北", "鄂", "2014", "全省"} | names


def _texts(build: Path):
    for path in sorted(build.rglob("*")):
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                yield path, "".join(page.extract_text() or "" for page in pdf.pages)
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                yield path, "".join(z.read(n).decode("utf-8") for n in z.namelist()
                                    if n.endswith(".xml"))
        elif path.suffix == ".html":
            yield path, path.read_text(encoding="utf-8")


def test_no_output_carries_a_string_of_the_bundled_example(built):
    banned = _bundled_strings()
    assert {"湖北", "武汉", "神农架林区", "全省"} <= banned
    seen = 0
    for path, text in _texts(built):
        seen += 1
        plain = re.sub(r"\s+", "", text)
        found = sorted(s for s in banned if s in plain)
        assert not found, f"{path.name} prints {found}"
    assert seen >= 14 * 3 + 1          # 14 targets in three formats, and the review pages


def test_the_documents_say_what_the_city_scheme_says(built):
    card = (built / "html" / "card-350582.html").read_text(encoding="utf-8")
    assert "全市平均" in card
    assert "依照评分细则，考核等级定为较差（D），排名列于末位" in card
    annex = re.sub(r"<[^>]+>", "", (built / "html" / "annex-2.html").read_text(encoding="utf-8"))
    # two blocks, then bonus, penalty and veto: 一、 to 五、, each once
    for n, name in enumerate(["质量发展指标", "质量工作措施", "加分项", "扣分项", "否决项"]):
        assert annex.count(f"{'一二三四五'[n]}、{name}") == 1
    assert "对应行动计划" not in annex                                     # no action plan
    assert "各项得分不作四舍五入，直接相加" in annex
    assert "不足1个百分点的按比例扣分" in annex
    assert "等次和名次按公布的得分评定" in annex


# --- scores --json and explain ------------------------------------------------------------------

def _cli(args: list[str]) -> tuple[int, str]:
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), pytest.raises(SystemExit) as info:
        main(args)
        raise SystemExit(0)
    return info.value.code, stdout.getvalue()


def test_scores_json_carries_every_step():
    code, out = _cli(["scores", "--content", str(CITY), "--json"])
    assert code == 0
    rows = {r["code"]: r for r in json.loads(out)}
    li = rows["350502"]
    # 鲤城区, by hand above: 245/3 exact, 81.7 published, 6th, 良好
    assert (li["final_exact"], li["final"], li["rank"], li["grade_name"]) == (
        "245/3", "81.7", 6, "良好")
    share = next(i for i in li["items"] if i["id"] == "1.2")
    assert share["input"] == {"value": "97.0"}
    assert share["score"] == {"published": "6.7", "exact": "20/3"}
    assert share["lost"] == {"published": "3.3", "exact": "10/3"}
    assert share["reason"].startswith("抽检合格率97%")
    assert [b["score"]["published"] for b in li["blocks"]] == ["40.7", "41.0"]   # 12+20/3+7+15
    shi = rows["350581"]["bonus_lines"]
    assert [(ln["claimed"], ln["counted"], ln["cut_at_item_max"]) for ln in shi["lines"]] == [
        ("2", "2", False), ("2.0", "1.5", True)]
    assert (shi["claimed"], shi["cap"], shi["total"], shi["cut_at_cap"]) == ("3.5", "3", "3", True)
    assert rows["350582"]["vetoes"][0]["condition"] == "V1"
    assert rows["350582"]["rank"] == 11


def test_explain_a_region_and_an_item():
    code, out = _cli(["explain", "--content", str(CITY), "鲤城区"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "鲤城区（350502）2021年度考核得分的计算"
    assert "      失分原因：合格率94.2%，低于目标95%，扣3分" in lines
    assert "      得分：20/3（≈6.6667）分（显示为6.7分）" in lines
    assert lines[-3:] == [
        "最终得分：基本分81.7分＋加分0分－扣分0分＝245/3（≈81.6667）分，四舍五入后公布为81.7分",
        "等级：按公布的得分81.7分，不低于良好（B）的下限80分，定为良好（B）",
        "名次：按公布的得分在11个参加排名的地区中，排在前面的有5个，列第6名（得分相同的名次并列）"]
    code, out = _cli(["explain", "--content", str(CITY), "350524", "2.1"])
    assert out.splitlines()[-2:] == [
        "  失分原因：缺少全部要素：领导小组、年度工作计划、工作经费、专职人员，不得分，扣10分",
        "  得分：0.0分"]


def test_explain_names_what_exists_when_asked_for_what_does_not(capsys):
    with pytest.raises(SystemExit) as info:
        main(["explain", "--content", str(CITY), "350599"])
    assert info.value.code == 2
    assert "no region '350599'; give a code or a name: 350502 鲤城区" in capsys.readouterr().err
