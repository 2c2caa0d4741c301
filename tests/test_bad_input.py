"""The bad-input corpus: every case gets one exact, located message and exit status 2.

Each case edits a private copy of the example project the way office staff do
(a typo, a file saved as GBK, a pasted alias bomb), then runs the CLI in-process.
It asserts the exact text on stderr (`content/<file>:<line>:<col>: <field.path>:
<message>`), exit status 2, no traceback, and that a previous build is left
byte for byte as it was (DESIGN.md, "Errors and safety").

A location is written `content/<file>:«needle»`: the line and column where the
text `needle` first stands in the edited file (`«needle#2»`: its second
occurrence; a `|` in the needle marks the exact character). In the message,
`«line:needle»` is the line number alone and `«at:needle»` reads `line L, column C`.
So the cases keep their meaning when comments of the example move.

Decisions the corpus pins down: a UTF-8 BOM is accepted silently (Notepad writes
one; it changes nothing), GBK is refused with the way to re-save as UTF-8 (a
guess at the encoding could print the wrong characters in an official document),
and a number typed in full-width digits is refused, saying what to type (one
rule for whole numbers and decimals; `"8"` in ASCII stays accepted).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_example

from qdocs.cli import main

Edit = Callable[[Path], None]


# --- edits ------------------------------------------------------------------------------------

def sub(file: str, old: str, new: str) -> Edit:
    """Replace the first `old` in content/`file` by `new` (`old` must be there)."""
    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}: the example changed"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def put(file: str, data: str | bytes) -> Edit:
    """Overwrite (or create) content/`file`."""
    def edit(root: Path) -> None:
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return edit


def recode(file: str, encoding: str) -> Edit:
    """Save content/`file` again in another encoding (as Notepad or WPS would)."""
    def edit(root: Path) -> None:
        path = root / file
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    return edit


def rm(file: str) -> Edit:
    def edit(root: Path) -> None:
        (root / file).unlink()
    return edit


def copy(src: str, dest: str) -> Edit:
    def edit(root: Path) -> None:
        shutil.copyfile(root / src, root / dest)
    return edit


# Alias bombs, pasted into the notice (“billion laughs”): 9^8 copies of two strings.
BOMB = "lol: &a [x, x]\n" + "".join(
    f"l{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True))
MANY_ALIASES = "x: &x 1\nmany: [" + ", ".join(["*x"] * 101) + "]\n"
TEMPLATE_SYNTAX = '{% extends "base.html.j2" %}\n{% block content %}\n{% if %}\n{% endblock %}\n'


# --- the corpus --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and the exact lines the user reads."""

    id: str
    edits: tuple[Edit, ...]
    expected: tuple[str, ...]
    args: tuple[str, ...] = ()      # extra build arguments (a bad command line)
    validate: bool = True           # also run `qdocs validate` (content cases)
    xfail: str = ""


def case(id: str, edits: Edit | tuple[Edit, ...], *expected: str, args: tuple[str, ...] = (),
         validate: bool = True, xfail: str = "") -> Case:
    edits = edits if isinstance(edits, tuple) else (edits,)
    return Case(id, edits, expected, args, validate, xfail)


R, N, S = "content/regions.yaml", "content/notice.yaml", "content/scoring_rules.yaml"
ITEM0 = "blocks[0].categories[0].items[0]"

CASES = [
    # --- YAML that does not parse -------------------------------------------------------------
    case("yaml-unclosed-bracket",
         sub("notice.yaml", "attachments: [annex-1, annex-2]", "attachments: [annex-1, annex-2"),
         f"{N}:«signature|:»: invalid YAML: expected ',' or ']', but got ':' "
         "(in the [ ] list that begins at «at:attachments: |[»)"),
    case("yaml-colon-in-value",
         sub("notice.yaml", "addressees: 各市、州", "addressees: 各市: 州"),
         f"{N}:«: 州»: invalid YAML: mapping values are not allowed here; a text holding ': ' "
         "must be put in quotes"),
    case("yaml-bad-indentation",
         sub("regions.yaml", "    name: 武汉市", "   name: 武汉市"),
         f"{R}:«name: 武汉市»: invalid YAML: expected the end of the indented block, but "
         "found a more indented key (in the indented block that begins at «at:|- code»)"),
    case("yaml-tab-indentation",
         sub("regions.yaml", "    kind: 市", "\tkind: 市"),
         f"{R}:«\tkind»: invalid YAML: a tab character; YAML indentation must use spaces"),
    case("yaml-unclosed-quote",
         sub("qdocs.yaml", "build_dir: build", 'build_dir: "build'),
         "content/qdocs.yaml:«(全省平均)\n|»: invalid YAML: found unexpected end of stream "
         "(in the quoted text that begins at «at:\"build»)"),
    case("yaml-unclosed-quote-inside",
         sub("regions.yaml", 'code: "420100"', 'code: "420100'),
         f"{R}:«code: \"|420200»: invalid YAML: expected the end of the indented block, but "
         "found more text (in the block of key: value lines that begins at «at:code: \"»)"),
    case("duplicate-key",
         sub("notice.yaml", "signature:", "title: 通知\nsignature:"),
         f"{N}:«title: 通知»: title: duplicate key (first given on line «line:\n|title:»)"),
    case("duplicate-key-nested",
         sub("scoring_rules.yaml", "            points: 8\n",
             "            points: 8\n            points: 6\n"),
         f"{S}:«points: 6»: {ITEM0}.points: duplicate key (first given on line "
         "«line:points: 8»)"),
    case("python-object-tag",
         sub("notice.yaml", "title: 湖北", "title: !!python/object/apply:os.system [ls]\nx: 湖北"),
         f"{N}:«!!python»: the tag !!python/object/apply:os.system is not allowed: write "
         "plain text, numbers, true/false, lists and key: value lines"),
    case("merge-key",
         sub("qdocs.yaml", "build_dir: build", "base: &b {x: 1}\nother:\n  <<: *b"),
         "content/qdocs.yaml:«<<»: other: merge keys (<<) are not supported; write the fields out"),
    case("key-not-text",
         sub("qdocs.yaml", "build_dir: build", "? [a, b]\n: 1"),
         "content/qdocs.yaml:«[a, b]»: a key must be plain text"),
    # --- whole files: empty, missing, encoding, size, alias bombs -----------------------------
    case("empty-file", put("departments.yaml", ""),
         "content/departments.yaml:1:1: file is empty; expected a YAML mapping"),
    case("comments-only", put("departments.yaml", "# to do\n"),
         "content/departments.yaml:1:1: file holds no YAML document"),
    case("top-level-list", put("departments.yaml", "- 省质监局\n- 省统计局\n"),
         "content/departments.yaml:1:1: must be a mapping (key: value lines); got a list"),
    case("missing-file", rm("notice.yaml"), "content/notice.yaml: file not found"),
    case("missing-assessment", rm("assessments/420500.yaml"),
         "content/assessments/420500.yaml: missing: region 420500 has no assessment file"),
    case("gbk-encoding", recode("regions.yaml", "gbk"),
         "content/regions.yaml:«市»: file is not UTF-8 (it looks like GBK/GB18030); "
         "in WPS or Notepad use 另存为 → 编码 UTF-8 and save again"),
    case("utf16-encoding", recode("qdocs.yaml", "utf-16"),
         "content/qdocs.yaml: file contains NUL bytes (saved as UTF-16?); save it as UTF-8"),
    case("alias-bomb", sub("notice.yaml", "printer:", BOMB + "printer:"),
         f"{N}:«*h»: aliases (*name) expand to more than 200,000 values: "
         "refused as a possible alias bomb"),
    case("too-many-aliases", sub("notice.yaml", "printer:", MANY_ALIASES + "printer:"),
         f"{N}:«*x#101»: more than 100 aliases (*name): refused as a possible alias bomb"),
    case("nested-too-deep", sub("notice.yaml", "printer:", "x: " + "[" * 100 + "]" * 100
                                + "\nprinter:"),
         f"{N}:«x: {'[' * 63}|[»: lists and mappings nested more than 64 levels deep"),
    case("control-character", sub("notice.yaml", "title: 湖北省", "title: 湖北\x1b省"),
         f"{N}:«湖北|\x1b»: an invisible control character (U+001B) that YAML does not allow; "
         "delete it"),
    case("number-thousands-of-digits", sub("scoring_rules.yaml", "            points: 8\n",
                                           "            points: " + "9" * 5000 + "\n"),
         f"{S}:«points: |9»: invalid YAML: a number thousands of digits long"),
    case("file-too-large", sub("notice.yaml", "printer:", "#" + "质" * 700_000 + "\nprinter:"),
         "content/notice.yaml: file is {size} bytes, over the limit of 2,097,152; "
         "split it or remove what does not belong"),
    # --- fields: unknown, misspelt, wrong type, missing ---------------------------------------
    case("misspelt-field", sub("scoring_rules.yaml", "            points: 8\n",
                               "            pionts: 8\n"),
         f"{S}:«pionts»: {ITEM0}.pionts: unknown field (did you mean 'points'?)"),
    case("misspelt-top-field", sub("notice.yaml", "title:", "titel:"),
         f"{N}:«titel»: titel: unknown field (did you mean 'title'?)"),
    case("unknown-field", sub("regions.yaml", "    kind: 市", "    kind: 市\n    population: 1"),
         f"{R}:«population»: regions[0].population: unknown field; expected one of: code, "
         "full_name, government, kind, name"),
    case("number-as-words", sub("scoring_rules.yaml", "            points: 8\n",
                                "            points: 八\n"),
         f"{S}:«points: 八»: {ITEM0}.points: must be a number; got '八'"),
    case("text-for-list", sub("action_plan.yaml",
                              "departments: [省经信委, 省安监局, 省工商局, 省质监局, "
                              "湖北出入境检验检疫局]",
                              "departments: 省经信委"),
         "content/action_plan.yaml:«departments: 省经信委»: tasks[0].departments: "
         "must be a list; got '省经信委'"),
    case("list-for-text", sub("notice.yaml", "signature: 湖北省人民政府办公厅",
                              "signature: [湖北省人民政府办公厅, 省质兴办]"),
         f"{N}:«signature»: signature: must be text; got a list"),
    case("year-in-words", sub("qdocs.yaml", "year: 2014", "year: 二〇一四"),
         "content/qdocs.yaml:«year»: year: must be a whole number; got '二〇一四'"),
    case("bool-in-words", sub("notice.yaml", "sample: false", "sample: 否"),
         f"{N}:«sample»: sample: must be true or false; got '否'"),
    case("missing-field", sub("notice.yaml", "title:", "# title:"),
         f"{N}:«sample»: title: missing required field"),
    case("missing-nested-field", sub("regions.yaml", "    government: 武汉市人民政府\n", ""),
         f"{R}:«code: \"420100\"»: regions[0].government: missing required field"),
    case("empty-text", sub("notice.yaml", "signature: 湖北省人民政府办公厅", 'signature: ""'),
         f"{N}:«signature»: signature: must not be empty"),
    case("negative-points", sub("scoring_rules.yaml", "            points: 8\n",
                                "            points: -8\n"),
         f"{S}:«points: -8»: {ITEM0}.points: must be greater than 0"),
    case("unknown-choice", sub("scoring_rules.yaml", "better: lower", "better: less"),
         f"{S}:«better: less»: blocks[0].categories[1].items[1].method.better: must be 'higher' "
         "or 'lower'; got 'less'"),
    case("unknown-format-setting", sub("qdocs.yaml", "[pdf, docx, html]", "[pdf, odt]"),
         "content/qdocs.yaml:«odt»: formats[1]: must be 'pdf', 'docx' or 'html'; got 'odt'"),
    case("unknown-method", sub("scoring_rules.yaml", "kind: target_deduct", "kind: linear"),
         f"{S}:«kind: linear»: {ITEM0}.method.kind: must be one of 'binary', 'tiered', "
         "'per_missing', 'target_deduct', 'proportional', 'per_occurrence', 'rank'; "
         "got 'linear'"),
    case("doc-number-with-di", sub("notice.yaml", "〔2014〕××号", "〔2014〕第12号"),
         f"{N}:«doc_number»: doc_number: must read like 某政办发〔2020〕12号: the year in 〔〕 "
         "(六角括号), then the serial number and 号; got '鄂政办发〔2014〕第12号'"),
    case("date-iso", sub("notice.yaml", "date: 2014年×月×日", "date: 2014-05-06"),
         f"{N}:«date: 2014-05-06»: date: must read like 2020年5月6日 (Arabic numerals); "
         "got '2014-05-06'"),
    case("number-too-large", sub("scoring_rules.yaml", "full_score: 100",
                                 "full_score: 1e999999999"),
         f"{S}:«full_score: 1e»: full_score: must be a number of at most 12 digits before the "
         "point and 6 after it; got 1e999999999"),
    case("number-too-precise", sub("assessments/420500.yaml", "T1: {value: 93.2}",
                                   "T1: {value: 93.20000000000000000000000000000000000001}"),
         "content/assessments/420500.yaml:«value: 93.2»: items.T1.value: must be a number of at "
         "most 12 digits before the point and 6 after it; got 93.20000000000000000…"),
    case("key-with-a-space", sub("notice.yaml", "doc_number:", "doc number:"),
         f"{N}:«doc number»: ['doc number']: unknown field (did you mean 'doc_number'?)"),
    case("full-width-colon", sub("notice.yaml", "title: 湖北", "title：湖北"),
         f"{N}:«title|：»: invalid YAML: a full-width colon ：; after a key type a half-width "
         "colon and a space (: )"),
    # --- numbers typed with full-width digits: refused, saying what to type -------------------
    case("fullwidth-points", sub("scoring_rules.yaml", "            points: 8\n",
                                 '            points: "８"\n'),
         f"{S}:«points: \"８\"»: {ITEM0}.points: must be a number in half-width digits: "
         "type 8, not '８'"),
    case("fullwidth-year", sub("qdocs.yaml", "year: 2014", "year: ２０１４"),
         "content/qdocs.yaml:«year»: year: must be a number in half-width digits: "
         "type 2014, not '２０１４'"),
    case("fullwidth-value", sub("assessments/420500.yaml", "T1: {value: 93.2}",
                                'T1: {value: "９３．２"}'),
         "content/assessments/420500.yaml:«value: \"９»: items.T1.value: must be a number in "
         "half-width digits: type 93.2, not '９３．２'"),
    case("fullwidth-task-number", sub("scoring_rules.yaml", "tasks: [1, 2]", "tasks: [1, ２]"),
         f"{S}:«２»: {ITEM0}.tasks[1]: must be a number in half-width digits: type 2, not '２'"),
    # --- region codes and ids that become file names ------------------------------------------
    case("duplicate-region-code", sub("regions.yaml", 'code: "420200"', 'code: "420100"'),
         f"{R}:«code: \"420100\"#2»: regions[1].code: duplicate region code '420100' "
         "(first at regions[0].code, line «line:code: \"420100\"»)",
         "content/assessments/420200.yaml: no region 420200 in regions.yaml; name each "
         "assessment file after a region code"),
    case("region-code-dotdot", sub("regions.yaml", 'code: "420100"', 'code: "../x"'),
         f"{R}:«code: \"../x\"»: regions[0].code: must be a six-digit GB/T 2260 code, as text in "
         "quotes; got '../x'"),
    case("region-code-slash", sub("regions.yaml", 'code: "420100"', 'code: "a/b"'),
         f"{R}:«code: \"a/b\"»: regions[0].code: must be a six-digit GB/T 2260 code, as text in "
         "quotes; got 'a/b'"),
    case("region-code-empty", sub("regions.yaml", 'code: "420100"', 'code: ""'),
         f"{R}:«code: \"\"»: regions[0].code: must be a six-digit GB/T 2260 code, as text in "
         "quotes; got ''"),
    case("region-code-nul", sub("regions.yaml", 'code: "420100"', 'code: "4201\\0"'),
         f"{R}:«code: \"4201»: regions[0].code: must be a six-digit GB/T 2260 code, as text in "
         "quotes; got '4201\\x00'"),
    case("region-code-unquoted", sub("regions.yaml", 'code: "420100"', "code: 420100"),
         f"{R}:«code: 420100»: regions[0].code: must be the region code in quotes, "
         "e.g. \"420100\"; "
         "got 420100"),
    case("annex-id-dotdot", sub("action_plan.yaml", "id: annex-1", "id: ../annex-1"),
         "content/action_plan.yaml:«id: ../annex-1»: id: must be 1–64 ASCII letters, digits, '-' "
         "or '_', starting with a letter or digit (it becomes a file name); got '../annex-1'"),
    case("annex-id-empty", sub("action_plan.yaml", "id: annex-1", 'id: ""'),
         "content/action_plan.yaml:«id: \"\"»: id: must be 1–64 ASCII letters, digits, '-' "
         "or '_', starting with a letter or digit (it becomes a file name); got ''"),
    case("item-id-space", sub("scoring_rules.yaml", "- id: T1\n", "- id: T 1\n"),
         f"{S}:«id: T 1»: {ITEM0}.id: must be 1–32 characters without spaces, commas, colons "
         "or '#', such as 1.1 or T1; got 'T 1'"),
    case("scheme-id-nul", sub("scoring_rules.yaml", "id: annex-2", 'id: "annex\\0"'),
         f"{S}:«id: \"annex»: id: must be 1–64 ASCII letters, digits, '-' or '_', starting with a "
         "letter or digit (it becomes a file name); got 'annex\\x00'"),
    # --- references across files --------------------------------------------------------------
    case("assessment-names-other-region", sub("assessments/420500.yaml", 'region: "420500"',
                                              'region: "429999"'),
         "content/assessments/420500.yaml:«region: \"429999»: region: says 429999 but the file is "
         "named 420500.yaml; name each file after its region code"),
    case("assessment-for-unknown-region", copy("assessments/420500.yaml",
                                               "assessments/429999.yaml"),
         "content/assessments/429999.yaml: no region 429999 in regions.yaml; name each "
         "assessment file after a region code"),
    case("unknown-item", sub("assessments/420500.yaml", "  T7:", "  T9:"),
         "content/assessments/420500.yaml:«T9»: items.T9: no item 'T9' (did you mean 'T7'?)",
         "content/assessments/420500.yaml:«\n|items:»: items: missing item T7 "
         "(空气质量优良天数比例)"),
    case("unknown-level", sub("assessments/420500.yaml", "M1-3: {level: 好}",
                              "M1-3: {level: 很好}"),
         "content/assessments/420500.yaml:«level: 很好»: items.M1-3.level: no level '很好' in "
         "item M1-3; expected one of: 好, 较好, 一般, 差"),
    case("unknown-element", sub("assessments/420500.yaml", "[产品伤害监测报告]", "[伤害监测]"),
         "content/assessments/420500.yaml:«伤害监测]»: items.M2-3.missing[0]: no required "
         "element '伤害监测' in item M2-3; expected one of: 年度风险监测计划, 风险预警信息发布, "
         "隐患排查治理台账, 产品伤害监测报告"),
    case("unknown-bonus", sub("assessments/420500.yaml", "- item: B2", "- item: b2"),
         "content/assessments/420500.yaml:«item: b2»: bonuses[0].item: no bonus item 'b2' "
         "(did you mean 'B2'?)"),
    case("unknown-veto", sub("assessments/420500.yaml", "vetoes: []",
                             "vetoes:\n  - {condition: v1, event: 发生事故}"),
         "content/assessments/420500.yaml:«condition: v1»: vetoes[0].condition: no veto "
         "condition 'v1' (did you mean 'V1'?)"),
    case("wrong-input-field", sub("assessments/420500.yaml", "T1: {value: 93.2}",
                                  "T1: {level: 好}"),
         "content/assessments/420500.yaml:«level: 好»: items.T1.level: item T1 is scored by "
         "target_deduct, which reads value: (a number), not level:",
         "content/assessments/420500.yaml:«T1»: items.T1: item T1 is scored by target_deduct, "
         "which reads value: (a number); none given"),
    case("percentage-over-100", sub("assessments/420500.yaml", "T1: {value: 93.2}",
                                    "T1: {value: 932}"),
         "content/assessments/420500.yaml:«value: 932»: items.T1.value: a percentage must lie "
         "between 0 and 100; got 932"),
    case("unknown-department", sub("action_plan.yaml", "[省经信委, 省安监局", "[省经委, 省安监局"),
         "content/action_plan.yaml:«省经委»: tasks[0].departments[0]: unknown department "
         "'省经委'; add it to departments.yaml or fix the name"),
    case("unknown-department-in-rules", sub("scoring_rules.yaml", "[省质监局, 省统计局]",
                                            "[省质监局, 统计局]"),
         f"{S}:«统计局]»: {ITEM0}.departments[1]: unknown department '统计局'; add it to "
         "departments.yaml or fix the name"),
    case("duplicate-department", sub("departments.yaml", "  - name: 省安监局",
                                     "  - name: 省经信委\n  - name: 省安监局"),
         "content/departments.yaml:«name: 省经信委#2»: departments[1].name: duplicate "
         "department '省经信委' (first at departments[0].name, line «line:name: 省经信委»)"),
    case("unknown-annex", sub("notice.yaml", "[annex-1, annex-2]", "[annex-1, annex-3]"),
         f"{N}:«annex-3»: attachments[1]: unknown annex 'annex-3'; known: annex-1, annex-2"),
    case("no-such-task", sub("scoring_rules.yaml", "tasks: [1, 2]", "tasks: [1, 15]"),
         f"{S}:«15»: {ITEM0}.tasks[1]: no task 15 in the action plan; tasks are numbered 1–14"),
    case("duplicate-id", sub("scoring_rules.yaml", "- id: V2\n", "- id: V1\n"),
         f"{S}:«id: V1#2»: veto.conditions[1].id: duplicate id 'V1' "
         "(first used on line «line:id: V1»)"),
    # --- a scheme whose points do not add up --------------------------------------------------
    case("items-do-not-add-up", sub("scoring_rules.yaml", "            points: 8\n",
                                    "            points: 9\n"),
         f"{S}:«points: 20»: blocks[0].categories[0].points: items of 产品质量 add up to 21, "
         "not 20"),
    case("blocks-do-not-add-up", sub("scoring_rules.yaml", "full_score: 100", "full_score: 90"),
         f"{S}:«full_score: 90»: full_score: blocks add up to 100, not 90"),
    case("level-over-item-points", sub("scoring_rules.yaml", "{好: 5, 较好: 4, 一般: 2, 差: 0}",
                                       "{好: 6, 较好: 4, 一般: 2, 差: 0}"),
         f"{S}:«好: 6»: blocks[1].categories[0].items[2].method.levels.好: 6 points exceed "
         "the item's 5"),
    # --- templates (project overrides in content/templates/) ----------------------------------
    case("template-syntax-error", put("templates/notice.html.j2", TEMPLATE_SYNTAX),
         "content/templates/notice.html.j2:3: template syntax error: Expected an expression, "
         "got 'end of statement block'",
         validate=False),
    case("template-missing-include",
         put("templates/notice.html.j2", '{% extends "base.html.j2" %}\n{% block content %}\n'
             '{% include "parts/nope.html.j2" %}\n{% endblock %}\n'),
         "content/templates/notice.html.j2: includes 'parts/nope.html.j2', which no template "
         "folder holds",
         validate=False),
    # --- the command line ---------------------------------------------------------------------
    case("unknown-format-option", (), "unknown format 'odt'; choose from pdf, docx, html",
         args=("--format", "html,odt"), validate=False),
    case("unknown-target", (), "unknown target 'card-999999'; known targets: notice, annex-1, "
         "annex-2, card-420100, card-420200, card-420300, card-420500, card-420600, "
         "card-420700, card-420800, card-420900, card-421000, card-421100, card-421200, "
         "card-421300, card-422800, card-429004, card-429005, card-429006, card-429021, bulletin",
         args=("card-999999",), validate=False),
    case("out-inside-content", (), "the output directory content/build must not be inside (or "
         "contain) the content directory content",
         args=("--out", "content/build"), validate=False),
    case("out-is-content", (), "the output directory content must not be inside (or contain) "
         "the content directory content",
         args=("--out", "content"), validate=False),
    case("out-contains-content", (), "the output directory . must not be inside (or contain) "
         "the content directory content",
         args=("--out", "."), validate=False),
]


# --- running -----------------------------------------------------------------------------------

def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
        raise SystemExit(0)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def shown(lines: list[str]) -> str:
    """stderr as the CLI prints a QdocsError: each problem a line prefixed `error: `."""
    return "".join(f"error: {line}\n" for line in lines)


_LOCATION = re.compile(r"^(content/[^:]+):«([^»]+)»")
_IN_TEXT = re.compile(r"«(line|at):([^»]+)»")


def _find(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column (in characters) of `needle` in `text`; see the module doc."""
    nth = re.fullmatch(r"(.+)#(\d+)", needle, re.S)
    needle, count = (nth[1], int(nth[2])) if nth else (needle, 1)
    offset = max(needle.find("|"), 0)
    needle = needle.replace("|", "")
    at = -1
    for _ in range(count):
        at = text.index(needle, at + 1)
    at += offset
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def resolve(line: str, root: Path) -> str:
    """`content/f.yaml:«needle»: … «line:n»` → `content/f.yaml:<line>:<col>: … <line of n>`."""
    m = _LOCATION.match(line)
    if not m:
        return line
    raw = (root.parent / m[1]).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")        # the GBK case: find the needle all the same

    def inside(found: re.Match) -> str:
        at_line, at_col = _find(text, found[2])
        return str(at_line) if found[1] == "line" else f"line {at_line}, column {at_col}"

    at_line, at_col = _find(text, m[2])
    return f"{m[1]}:{at_line}:{at_col}" + _IN_TEXT.sub(inside, line[m.end():])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden temporaries too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory) -> Path:
    """The example built once as HTML: what every bad run must leave untouched."""
    root = tmp_path_factory.mktemp("previous")
    content = copy_example(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        try:
            main(["build", "--content", "content", "--out", "build", "--format", "html",
                  "-j", "1"])
        except SystemExit as exc:
            assert not exc.code, "the example must build"
    assert content.is_dir() and (root / "build" / "manifest.json").is_file()
    return root / "build"


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else []
        yield pytest.param(c, id=c.id, marks=marks)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", list(_params()))
def test_bad_input(bad: Case, tmp_path, monkeypatch, capsys, previous_build):
    content = copy_example(tmp_path)
    shutil.copytree(previous_build, tmp_path / "build")
    before = snapshot(tmp_path / "build")
    for edit in bad.edits:
        edit(content)
    monkeypatch.chdir(tmp_path)
    expected = shown([resolve(line, content) for line in bad.expected])
    if "{size}" in expected:        # the oversize file: its size as the message prints it
        expected = expected.replace("{size}", f"{(content / 'notice.yaml').stat().st_size:,}")

    args = list(bad.args) if bad.args else ["--format", "html"]
    if "--out" not in args:
        args += ["--out", "build"]
    code, out, err = run(["build", "--content", "content", "-j", "1", *args], capsys)
    assert "Traceback" not in out + err
    assert err == expected
    assert code == 2
    assert snapshot(tmp_path / "build") == before, "a failed build touched the outputs"
    assert not (content / "build").exists()

    if bad.validate:
        code, out, err = run(["validate", "--content", "content"], capsys)
        assert (code, out, err) == (2, "", expected)


def test_a_bom_is_accepted(example, capsys):
    """Windows Notepad saves UTF-8 with a BOM: harmless, so read as if it were not there."""
    for path in example.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = run(["validate", "--content", str(example)], capsys)
    assert (code, err) == (0, "")
    assert out.endswith("valid (14 tasks, 17 regions, scored)\n")


def test_halfwidth_numbers_in_quotes_are_accepted(example, capsys):
    """Only full-width digits are refused: `points: "8"` is a number typed in quotes."""
    rules = example / "scoring_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("            points: 8\n", '            points: "8"\n', 1),
                     encoding="utf-8")
    code, _, err = run(["validate", "--content", str(example)], capsys)
    assert (code, err) == (0, "")


def test_every_problem_of_a_run_is_listed_once(example, monkeypatch, capsys):
    """Two files wrong at once: both reported, in one run, then exit 2."""
    for edit in (sub("notice.yaml", "title:", "titel:"),
                 sub("qdocs.yaml", "[pdf, docx, html]", "[pdf, odt]")):
        edit(example)
    monkeypatch.chdir(example.parent)
    code, _, err = run(["validate", "--content", "content"], capsys)
    assert code == 2
    assert err == shown([
        resolve("content/qdocs.yaml:«odt»: formats[1]: must be 'pdf', 'docx' or 'html'; "
                "got 'odt'", example),
        resolve(f"{N}:«titel»: titel: unknown field (did you mean 'title'?)", example),
    ])


def test_a_missing_content_folder_is_one_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["validate", "--content", "nowhere"], capsys)
    assert (code, err) == (2, "error: nowhere: no such folder; give --content the folder that "
                              "holds qdocs.yaml\n")
