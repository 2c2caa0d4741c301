"""Issue 9, content half: spoofing characters, duplicates, missing glyphs, all problems at once.

The cases run like the bad-input corpus (tests/test_bad_input.py): each edits a copy of
the example, runs `qdocs build` and `qdocs validate` in-process, and asserts the exact
located lines on stderr, exit status 2, and that an earlier build is left byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import EXAMPLE, copy_example
from test_bad_input import (
    Case,
    N,
    R,
    S,
    case,
    previous_build,
    put,
    resolve,
    run,
    shown,
    snapshot,
    sub,
)

from qdocs.content.located import validate_document
from qdocs.content.models import ActionPlan, Bulletin, Departments, Notice, Regions, Settings
from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.content.text import check_text
from qdocs.content.yamlsource import YamlDocument, read_yaml
from qdocs.errors import ContentError
from qdocs.writers.glyphs import found_in, missing_in_fonts

__all__ = ["previous_build"]     # the fixture, shared with the corpus

A, P = "content/assessments/420100.yaml", "content/action_plan.yaml"
ITEM0 = "blocks[0].categories[0].items[0]"
RLO = "U+202E RIGHT-TO-LEFT OVERRIDE is a bidirectional control: it makes the text print in " \
      "another order than it is written; delete it"

CASES = [
    # --- spoofing: bidi controls, invisible characters, line breaks ------------------------------
    case("bidi-doc-number",
         sub("notice.yaml", "doc_number: 鄂政办发〔2014〕××号",
             'doc_number: "鄂政办发\\u202e〔2014〕12号"'),
         f"{N}:«doc_number»: doc_number: {RLO} (after '鄂政办发')"),
    case("bidi-isolate-in-paragraph",
         sub("action_plan.yaml", "    body: 强化民生产品质量安全监管。",
             "    body: \u2067强化民生产品质量安全监管。"),
         f"{P}:«body: \u2067»: tasks[0].body: U+2067 RIGHT-TO-LEFT ISOLATE is a bidirectional "
         "control: it makes the text print in another order than it is written; delete it "
         "(before '强化民生产品质量')"),
    case("bidi-mark-in-region-name",
         sub("regions.yaml", "    name: 武汉市", '    name: "武汉\\u200f市"'),
         f"{R}:«name: \"武汉»: regions[0].name: U+200F RIGHT-TO-LEFT MARK is a bidirectional "
         "control: it makes the text print in another order than it is written; delete it "
         "(after '武汉')"),
    case("bidi-in-assessment-note",
         sub("assessments/420100.yaml", "    note: 辖区企业获第一届中国质量奖提名奖",
             '    note: "辖区企业\\u202d获奖"'),
         f"{A}:«note: \"辖区»: bonuses[0].note: U+202D LEFT-TO-RIGHT OVERRIDE is a bidirectional "
         "control: it makes the text print in another order than it is written; delete it "
         "(after '辖区企业')"),
    case("bidi-in-a-key",
         sub("assessments/420100.yaml", "  T2: {value: 97.8}", '  "T2\\u061c": {value: 97.8}'),
         f"{A}:«\"T2»: items['T2\\u061c']: the key U+061C ARABIC LETTER MARK is a bidirectional "
         "control: it makes the text print in another order than it is written; delete it "
         "(after 'T2')"),
    case("only-invisible-signature",
         sub("notice.yaml", "signature: 湖北省人民政府办公厅", 'signature: "\\u200b\\u2060"'),
         f"{N}:«signature»: signature: must not be empty (it holds only the invisible "
         "U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER)"),
    case("zero-width-in-grade-name",
         sub("scoring_rules.yaml", "{code: A, name: 优秀", '{code: A, name: "优\\u200b秀"'),
         f"{S}:«name: \"优»: grades[0].name: U+200B ZERO WIDTH SPACE is invisible; delete it "
         "(after '优')"),
    case("bom-inside-a-department-name",
         sub("departments.yaml", "name: 省经信委", 'name: "省经信委\\ufeff"'),
         "content/departments.yaml:«name: \"省经信委»: departments[0].name: U+FEFF ZERO WIDTH "
         "NO-BREAK SPACE is invisible; delete it (after '省经信委')"),
    case("soft-hyphen-in-title",
         sub("action_plan.yaml", "title: 湖北省贯彻", "title: 湖北\u00ad省贯彻"),
         f"{P}:«title»: title: U+00AD SOFT HYPHEN is invisible; delete it (after '湖北')"),
    case("newline-in-doc-number",
         sub("notice.yaml", "doc_number: 鄂政办发〔2014〕××号",
             "doc_number: |\n  鄂政办发\n  〔2014〕12号"),
         f"{N}:«doc_number»: doc_number: must be one line; it holds a line break "
         "(after '鄂政办发'): join the lines"),
    case("newline-in-signature",
         sub("notice.yaml", "signature: 湖北省人民政府办公厅",
             'signature: "湖北省人民政府\\n办公厅"'),
         f"{N}:«signature»: signature: must be one line; it holds a line break "
         "(after '湖北省人民政府'): join the lines"),
    case("line-separator-in-region-code",
         sub("regions.yaml", 'code: "420100"', 'code: "4201\\u202800"'),
         f"{R}:«code: \"4201»: regions[0].code: must be one line; it holds a line break "
         "(after '4201'): join the lines"),
    case("newline-in-grade-name",
         sub("scoring_rules.yaml", "{code: A, name: 优秀", '{code: A, name: "优\\n秀"'),
         f"{S}:«name: \"优»: grades[0].name: must be one line; it holds a line break "
         "(after '优'): join the lines"),
    # --- duplicates in keyed lists; targets outside their unit ------------------------------
    case("duplicate-grade-code",
         sub("scoring_rules.yaml", "{code: B, name: 良好", "{code: A, name: 良好"),
         f"{S}:«code: A#2»: grades[1].code: duplicate grade code 'A' "
         "(first at grades[0].code, line «line:code: A»)"),
    case("duplicate-grade-name",
         sub("scoring_rules.yaml", "{code: D, name: 不合格", "{code: D, name: 合格"),
         f"{S}:«name: 合格#2»: grades[3].name: duplicate grade name '合格' "
         "(first at grades[2].name, line «line:name: 合格»)"),
    case("duplicate-item-name",
         sub("scoring_rules.yaml", "name: 主要农产品质量安全监测合格率",
             "name: 制造业产品质量合格率"),
         f"{S}:«name: 制造业产品质量合格率#2»: blocks[0].categories[0].items[1].name: duplicate "
         "item name '制造业产品质量合格率' (first at blocks[0].categories[0].items[0].name, "
         "line «line:name: 制造业产品质量合格率»)"),
    case("duplicate-penalty-name",
         sub("scoring_rules.yaml", "name: 考核数据失实", "name: 发生较大质量安全事故"),
         f"{S}:«name: 发生较大质量安全事故#2»: penalty.items[3].name: duplicate penalty item "
         "name '发生较大质量安全事故' (first at penalty.items[0].name, "
         "line «line:name: 发生较大质量安全事故»)"),
    case("duplicate-veto-name",
         sub("scoring_rules.yaml", "name: 考核中弄虚作假情节严重",
             "name: 发生区域性、系统性质量安全事件"),
         f"{S}:«name: 发生区域性、系统性质量安全事件#2»: veto.conditions[1].name: duplicate veto "
         "condition name '发生区域性、系统性质量安全事件' (first at veto.conditions[0].name, "
         "line «line:name: 发生区域性、系统性质量安全事件»)"),
    case("duplicate-region-name",
         sub("regions.yaml", "    name: 黄石市\n    full_name: 黄石市",
             "    name: 武汉市\n    full_name: 黄石市"),
         f"{R}:«name: 武汉市#3»: regions[1].name: duplicate region name '武汉市' "
         "(first at regions[0].name, line «line:name: 武汉市»)"),
    case("duplicate-task-heading",
         sub("action_plan.yaml", "heading: 深入开展重点产品质量安全整治提升行动。",
             "heading: 强化民生产品和服务的质量监管。"),
         f"{P}:«heading: 强化民生产品和服务的质量监管。#2»: tasks[1].heading: duplicate task "
         "heading '强化民生产品和服务的质量监管。' (first at tasks[0].heading, "
         "line «line:heading: 强化»)"),
    case("veto-listed-twice",
         sub("assessments/420100.yaml", "vetoes: []",
             "vetoes:\n  - {condition: V1, event: 甲}\n  - {condition: V1, event: 乙}"),
         f"{A}:«condition: V1#2»: vetoes[1].condition: duplicate veto condition 'V1' "
         "(first at vetoes[0].condition, line «line:condition: V1»)"),
    case("percent-target-over-100",
         sub("scoring_rules.yaml", "              target: 93", "              target: 150"),
         f"{S}:«target: 150»: {ITEM0}.method.target: a percentage must lie between 0 and 100; "
         "got 150"),
    case("percent-step-over-100",
         sub("scoring_rules.yaml", "              step: 0.5", "              step: 120"),
         f"{S}:«step: 120»: {ITEM0}.method.step: a step of percentage points must be at most "
         "100; got 120"),
    case("percent-zero-at-below-0",
         sub("scoring_rules.yaml", "              zero_at: 90", "              zero_at: -5"),
         f"{S}:«zero_at: -5»: blocks[0].categories[0].items[2].method.zero_at: a percentage "
         "must lie between 0 and 100; got -5"),
    # --- a paragraph YAML read as key: value ---------------------------------------------------
    case("paragraph-read-as-mapping",
         sub("notice.yaml", "  - 《湖北省贯彻实施", "  - 一是: 《湖北省贯彻实施"),
         f"{N}:«一是»: body[0]: this line was read as `key: value` (the key '一是'); put the "
         "paragraph in quotes"),
    case("preamble-read-as-mapping",
         sub("action_plan.yaml", "  - 为贯彻落实", "  - 总体要求: 为贯彻落实"),
         f"{P}:«总体要求»: preamble[0]: this line was read as `key: value` (the key '总体要求'); "
         "put the paragraph in quotes"),
    case("heading-with-a-typo-is-still-a-heading",
         sub("notice.yaml", "  - 《湖北省贯彻实施",
             "  - heading: 一、总体要求\n    lvl: 2\n  - 《湖北省贯彻实施"),
         f"{N}:«lvl»: body[0].lvl: unknown field (did you mean 'level'?)"),
    # --- every problem of every file in one run -----------------------------------------------
    case("errors-in-every-stage-at-once",
         (sub("regions.yaml", "    kind: 市\n", "    knd: 市\n"),
          sub("scoring_rules.yaml", "{code: B, name: 良好", "{code: A, name: 良好"),
          sub("assessments/420100.yaml", "  T1: {value: 95.1}", "  T1: {value: 195.1}"),
          sub("assessments/420200.yaml", "sample: true", "sample: true\nregion_name: x")),
         f"{R}:«knd: 市»: regions[0].knd: unknown field (did you mean 'kind'?)",
         f"{S}:«code: A#2»: grades[1].code: duplicate grade code 'A' "
         "(first at grades[0].code, line «line:code: A»)",
         f"{A}:«value: 195.1»: items.T1.value: a percentage must lie between 0 and 100; got 195.1",
         "content/assessments/420200.yaml:«region_name»: region_name: unknown field (did you "
         "mean 'region'?)"),
    case("base-file-unreadable-still-checks-scoring",
         (put("departments.yaml", "departments: [\n"),
          sub("scoring_rules.yaml", "{code: B, name: 良好", "{code: A, name: 良好")),
         "content/departments.yaml:2:1: invalid YAML: expected the node content, but found "
         "the end of the file",
         f"{S}:«code: A#2»: grades[1].code: duplicate grade code 'A' "
         "(first at grades[0].code, line «line:code: A»)"),
]


@pytest.mark.parametrize("bad", [pytest.param(c, id=c.id) for c in CASES])
def test_bad_content(bad: Case, tmp_path, monkeypatch, capsys, previous_build):
    content = copy_example(tmp_path)
    shutil.copytree(previous_build, tmp_path / "build")
    before = snapshot(tmp_path / "build")
    for edit in bad.edits:
        edit(content)
    monkeypatch.chdir(tmp_path)
    expected = shown([resolve(line, content) for line in bad.expected])

    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out, err) == (2, "", expected)
    code, out, err = run(["build", "--content", "content", "-j", "1", "--format", "html",
                          "--out", "build"], capsys)
    assert (code, err) == (2, expected)
    assert "Traceback" not in out
    assert snapshot(tmp_path / "build") == before, "a failed build touched the outputs"


# --- text rules, unit by unit ---------------------------------------------------------------

def test_an_emoji_sequence_keeps_its_joiner():
    """ZWJ between pictographs is part of one emoji (the glyph check decides if it prints)."""
    assert check_text("家庭👨\u200d👩\u200d👧", single_line=True) is None
    assert check_text("质量\u200d工作", single_line=True) == (
        "U+200D ZERO WIDTH JOINER is invisible; delete it (after '质量')")


def test_paragraphs_keep_their_line_breaks():
    assert check_text("第一段。\n第二段。", single_line=False) is None
    assert check_text("标题\n", single_line=True) is None     # YAML's `|` adds a final break


def test_ideographic_space_is_text_not_an_invisible():
    """U+3000 (全角空格) is a visible space in Chinese text: not a Cf character."""
    assert check_text("第一章\u3000总则", single_line=True) is None
    assert check_text("\u3000", single_line=True) is None   # empty: pydantic's own rule says so


def test_every_bidi_control_is_refused():
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        message = check_text(f"甲{chr(code)}乙", single_line=False)
        assert message == (f"U+{code:04X} {unicodedata.name(chr(code))} is a bidirectional "
                           "control: it makes the text print in another order than it is "
                           "written; delete it (after '甲')")


# --- no pydantic internals in any message ------------------------------------------------------

MODELS = {"qdocs.yaml": Settings, "notice.yaml": Notice, "bulletin.yaml": Bulletin,
          "action_plan.yaml": ActionPlan, "departments.yaml": Departments,
          "regions.yaml": Regions, "scoring_rules.yaml": ScoringRules,
          "assessments/420100.yaml": Assessment}
WRONG = [{"一是": "加强监管"}, {"a": 1, "b": 2}, ["x"], 7, True, None, "", "\u200b", [{"k": "v"}]]
INTERNAL = ("constrained-str", "function-after", "function-before", "function-wrap",
            "function-plain", "tagged-union", "json-or-python", "lax-or-strict", "nullable",
            "[key]", "union[", "list[", "dict[", "str]", "is-instance", "model-fields")


def _paths(data, here=()):
    yield here
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, here + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, here + (i,))


def _replaced(data, path, new):
    if not path:
        return new
    if isinstance(data, dict):
        return {k: _replaced(v, path[1:], new) if k == path[0] else v for k, v in data.items()}
    return [_replaced(v, path[1:], new) if i == path[0] else v for i, v in enumerate(data)]


def test_no_message_shows_pydantic_internal_names():
    """Every place of every file given each wrong shape: field paths and messages stay the
    user's words (no `constrained-str`, `function-after[…]`, model class names)."""
    classes = {cls.__name__ for module in ("models", "scoring_models")
               for cls in vars(__import__(f"qdocs.content.{module}", fromlist=["x"])).values()
               if isinstance(cls, type) and hasattr(cls, "model_fields")}
    checked = 0
    for name, model in MODELS.items():
        data = read_yaml(EXAMPLE / name).data      # numbers exact, as the loader reads them
        paths = list(_paths(data))
        # Every place of the small files; an even spread of 60 of the large ones (speed).
        for n, path in enumerate(paths[::max(1, len(paths) // 60)]):
            for new in (WRONG[0], WRONG[n % len(WRONG)]):
                doc = YamlDocument(Path(name), _replaced(data, path, new), {})
                try:
                    validate_document(doc, model)
                    continue
                except ContentError as exc:
                    problems = exc.problems
                for p in problems:
                    shown_text = f"{p.field}: {p.message}"
                    checked += 1
                    assert not any(bit in shown_text for bit in INTERNAL), shown_text
                    words = set(shown_text.replace(".", " ").replace("[", " ").split())
                    assert not words & classes, shown_text
    assert checked > 400


# --- missing glyphs ------------------------------------------------------------------------------

# Characters no font of this machine has (checked first: a machine with such a face skips).
NO_GLYPH = {"𪚥": "2a6a5", "🚀": "1f680", "ཀ": "0f40", "ᠮ": "182e"}


def _without_glyph(chars: dict[str, str]) -> None:
    for char, code in chars.items():
        found = subprocess.run(["fc-list", f":charset={code}", "family"], capture_output=True,
                               text=True, check=True).stdout.strip()
        if found:
            pytest.skip(f"{char} has a glyph in {found.splitlines()[0]} here")


def _build(root: Path, capsys, fmt: str, *targets: str) -> tuple[int, str]:
    code, _, err = run(["build", "--content", str(root / "content"), "--out", str(root / "b"),
                        "-j", "1", "--format", fmt, *targets], capsys)
    return code, err


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_character_no_font_has_fails_the_target(tmp_path, capsys, fmt):
    _without_glyph(NO_GLYPH)
    content = copy_example(tmp_path)
    assert _build(tmp_path, capsys, fmt, "notice")[0] == 0
    before = snapshot(tmp_path / "b")
    sub("notice.yaml", "signature: 湖北省人民政府办公厅",
        "signature: 湖北省人民政府办公厅𪚥🚀ཀᠮ")(content)

    code, err = _build(tmp_path, capsys, fmt, "notice")

    fonts = {"pdf": "no installed font",
             "docx": "none of the DOCX's fonts (the role faces and the CJK fallback)"}[fmt]
    assert code == 1
    assert err == (
        f"error: notice: {fonts} has a glyph for U+2A6A5 𪚥, U+1F680 🚀, U+0F40 ཀ, U+182E ᠮ "
        f"(in notice.signature): the {fmt.upper()} would print empty boxes; replace the "
        "characters, or install a face that has them and name it for its role in qdocs.yaml "
        "`fonts:` (`qdocs fonts` lists the faces in use)\n")
    after = snapshot(tmp_path / "b")
    report = after.pop("changes.json")      # the build's report says what failed
    # A build that writes anything first drops the no-op stamp (qdocs/build/stamp.py).
    assert after == {k: v for k, v in before.items() if k not in ("changes.json", "stamp.json")}
    assert b"U+2A6A5" in report


def test_docx_coverage_reads_the_font_files():
    from qdocs.fonts import resolve_fonts

    files = [f.file for f in resolve_fonts().values() if f.file]
    assert files, "no role font installed"
    assert missing_in_fonts("湖北省人民政府办公厅，2014年", files) == []
    assert missing_in_fonts("办公厅𪚥", files) == ["𪚥"]
    assert missing_in_fonts("𪚥", []) == ["𪚥"]


def test_the_field_of_a_missing_character_is_named():
    context = {"notice": {"title": "通知", "copy_to": ["甲", "乙𪚥"]},
               "results": [{"name": "武汉市"}, {"name": "ཀ"}]}
    assert found_in(["𪚥", "ཀ"], context) == ["notice.copy_to[1]", "results[1].name"]
