"""Issue 12, finding 8: the generated rule sentences end with 。, and the restored plan
reads only what the seed supports (2011—2020年; task 六's list closes without a note)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
import yaml

from qdocs.build.targets import plan_targets
from qdocs.lint.punctuation import find_missing_final
from qdocs.pipeline import load_and_score
from qdocs.profile import load_profile
from qdocs.render.html import render_html
from qdocs.render.templates import make_environment, template_dirs
from qdocs.scoring import describe

EXAMPLE = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def scored():
    return load_and_score(EXAMPLE)


@pytest.mark.parametrize("placement, ending", [("unranked", "，不参加排名。"),
                                               ("in_place", "仍按得分参加排名。"),
                                               ("last", "排名列于末位。")])
def test_the_grade_veto_and_final_sentences_end_with_a_full_stop(scored, placement, ending):
    rules = scored[0].scoring
    rules = rules.model_copy(update={"veto": rules.veto.model_copy(
        update={"placement": placement})})
    grades, veto = describe.describe_grades(rules), describe.describe_veto(rules)
    assert grades.endswith("四个等次。") and not grades.endswith("。。")
    assert veto.endswith(ending)
    assert describe.describe_final(rules).endswith("。")


def test_every_body_paragraph_of_annex_2_ends_its_sentence(scored):
    project, results = scored
    profile = load_profile()
    env = make_environment(template_dirs(EXAMPLE))
    spec = next(s for s in plan_targets(project, profile, results) if s.name == "annex-2")
    html = render_html(env, spec.template, spec.context, "", profile, spec.sample,
                       datetime(2014, 1, 1))
    paragraphs = [p.text_content().strip() for p in lxml.html.fromstring(html).xpath(
        '//p[contains(concat(" ", @class, " "), " body ")]')]
    assert any(p.endswith("四个等次。") for p in paragraphs)
    assert any(p.endswith("不参加排名。") for p in paragraphs)
    unended = [p for p in paragraphs if list(find_missing_final(p))]
    assert unended == []


def test_the_plan_reads_what_the_seed_supports():
    plan = yaml.safe_load((EXAMPLE / "action_plan.yaml").read_text(encoding="utf-8"))
    preamble = plan["preamble"][0]
    # seed line 8: 《质量发展纲要(2011-2020年)》和…《质量兴省战略发展纲要(20112020年)》
    assert preamble.count("（2011—2020年）") == 2 and "20112020" not in preamble
    six = plan["tasks"][5]
    assert six["heading"] == "促进服务业质量提升。"
    # seed line 14 ends …省工商局、省质监局(/p>, i.e. 省质监局）</p>: no 等负责
    assert six["departments"][-1] == "省质监局" and six["departments_note"] == ""
