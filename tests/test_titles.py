"""Titles break between words into a 梯形 or 菱形 (GB/T 9704-2012 7.3.1).

The standard's numbers are restated: a 2号 (22 pt) title in the 156 mm line holds 20
characters (156 mm = 442.2 pt; 442.2 / 22 = 20.1), and no line may be shorter than half
the longest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdocs.render.titles import (
    TitleRules,
    break_title,
    in_word,
    shape_ok,
    title_markup,
    title_rules,
    width_em,
)

RULES = TitleRules(max_em=20.0, min_fraction=0.5)
REPO = Path(__file__).resolve().parent.parent


def test_the_profile_gives_20_characters_and_half():
    from qdocs.profile import load_profile

    assert title_rules(load_profile()) == RULES


@pytest.mark.parametrize("title, terms, lines", [
    # annex 1: before, 计|划 with 划 alone on line 2; the cited 《质量发展纲要》 stays whole
    ("湖北省贯彻实施质量发展纲要2014年行动计划", ["质量发展纲要"],
     ["湖北省贯彻实施质量发展纲要", "2014年行动计划"]),
    # the bulletin: before, 工|作
    ("湖北省人民政府办公厅关于2014年度质量工作考核结果的通报", ["湖北省人民政府办公厅"],
     ["湖北省人民政府办公厅关于2014年度", "质量工作考核结果的通报"]),
    # card-422800: before, 考|核; the region's name is one term
    ("2014年度恩施土家族苗族自治州质量工作考核结果报告单", ["恩施土家族苗族自治州"],
     ["2014年度恩施土家族苗族自治州", "质量工作考核结果报告单"]),
    # the notice: before, 实|施; four lines of a 菱形, the issuer whole
    ("湖北省人民政府办公厅关于印发湖北省贯彻实施质量发展纲要2014年行动计划及2014年度"
     "湖北省质量工作考核评分细则的通知", ["湖北省人民政府办公厅", "质量发展纲要"],
     ["湖北省人民政府办公厅关于", "印发湖北省贯彻实施质量发展纲要",
      "2014年行动计划及2014年度湖北省", "质量工作考核评分细则的通知"]),
])
def test_the_example_titles_break_between_words(title, terms, lines):
    got = break_title(title, terms, RULES)
    assert got == lines
    assert "".join(got) == title
    widths = [width_em(line) for line in got]
    assert max(widths) <= 20
    assert min(widths) >= max(widths) / 2
    assert shape_ok(widths, 0.5) == ""


def test_a_card_title_breaks_between_its_phrases_rather_than_inside_质量工作():
    """card-429021: before, 2014年度神农架林区质量|工作考核结果报告单 (the segmenter cuts
    质量|工作, one term to a reader); the card's context names its title's phrases, and a
    break inside one costs more, so the break moves after 质量工作 where the shape allows."""
    from qdocs.build.targets import plan_targets
    from qdocs.pipeline import load_and_score
    from qdocs.profile import load_profile

    project, results = load_and_score(REPO / "content")
    (spec,) = plan_targets(project, load_profile(), results, {"card-429021"})
    title, terms = spec.context["doc_title"], spec.context["title_terms"]
    phrases = spec.context["title_phrases"]
    assert "质量工作" in phrases and "质量工作" not in terms
    assert break_title(title, terms, RULES) == ["2014年度神农架林区质量", "工作考核结果报告单"]
    assert break_title(title, terms, RULES, phrases) == [
        "2014年度神农架林区质量工作", "考核结果报告单"]
    # where no other break gives a 梯形 (line 2 would be under half of line 1), the
    # phrase yields: a preference, not a rule
    assert break_title("2021年度泉州市鲤城区质量工作考核结果报告单", ["泉州市鲤城区"], RULES,
                       phrases) == ["2021年度泉州市鲤城区质量", "工作考核结果报告单"]


def test_a_title_that_fits_stays_on_one_line():
    assert break_title("2014年度武汉市质量工作考核结果报告单", ["武汉市"], RULES) == [
        "2014年度武汉市质量工作考核结果报告单"]


def test_a_number_with_its_unit_and_a_bracketed_name_are_never_broken():
    title = "关于做好《中华人民共和国产品质量法》实施二十周年宣传工作和2015年度检查的通知"
    lines = break_title(title, [], RULES)
    assert "".join(lines) == title
    joins = [len("".join(lines[:i + 1])) for i in range(len(lines) - 1)]
    inside_name = range(title.index("《") + 1, title.index("》") + 1)
    inside_year = range(title.index("2015") + 1, title.index("2015年") + 6)
    assert not any(j in inside_name or j in inside_year for j in joins), lines


def test_a_project_term_moves_the_break():
    title = "湖北省人民政府办公厅关于转发省质监局省发展改革委质量强省建设工作方案的通知"
    # the segmenter alone reads 省|发展|改革委 and breaks inside the department's name
    assert break_title(title, [], RULES)[0].endswith("省质监局省")
    assert break_title(title, ["省发展改革委", "省质监局", "湖北省人民政府办公厅"], RULES) == [
        "湖北省人民政府办公厅", "关于转发省质监局省发展改革委", "质量强省建设工作方案的通知"]


def test_an_upturned_or_ragged_shape_is_refused():
    assert shape_ok([12, 16, 15, 13], 0.5) == ""           # 菱形
    assert shape_ok([16, 11], 0.5) == ""                   # 梯形
    assert "under 0.5" in shape_ok([19.2, 1], 0.5)         # 划 alone
    assert "upturned" in shape_ok([9, 11], 0.5)
    assert "neither" in shape_ok([16, 10, 14], 0.5)


def test_markup_escapes_and_marks_each_break():
    title = "关于<b>&评选2014年度湖北省质量工作先进单位和先进个人的通知"
    html = str(title_markup(title, [], RULES))
    assert "&lt;b&gt;&amp;" in html
    assert html.count('<br class="title-break">') == 1


WORDS = ["湖北省", "质量", "工作", "考核", "结果", "报告单", "关于", "印发", "行动计划",
         "2014年", "标准化", "监督", "检查", "的", "通知", "专项", "整治", "食品安全"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=6, max_size=24))
def test_every_break_falls_between_words_and_lines_fit(words):
    title = "".join(words)
    lines = break_title(title, [], RULES)
    assert "".join(lines) == title
    assert all(width_em(line) <= 20 for line in lines)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert not in_word(title, at), (lines, at)


def test_a_build_with_nothing_to_do_never_loads_the_segmenter(tmp_path):
    """The segmenter is loaded when a title is rendered, not when keys are computed."""
    first = f"""
from pathlib import Path
from qdocs.pipeline import build
build(Path({str(REPO / 'content')!r}), Path({str(tmp_path / 'build')!r}), formats=["html"],
      targets=["annex-1"])
"""
    subprocess.run([sys.executable, "-c", first], check=True, cwd=tmp_path)
    again = f"""
import sys
from pathlib import Path
from qdocs.pipeline import build
report = build(Path({str(REPO / 'content')!r}), Path({str(tmp_path / 'build')!r}),
               formats=["html"], targets=["annex-1"])
assert not report.rebuilt, report.rebuilt
print("rjieba" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", again], check=True, cwd=tmp_path,
                         capture_output=True, text=True).stdout.strip()
    assert out == "False"
    html = (tmp_path / "build" / "html" / "annex-1.html").read_text(encoding="utf-8")
    assert '<br class="title-break">' in html
