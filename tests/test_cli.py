"""The CLI passes on to the library and maps failures to exit statuses."""

from __future__ import annotations

import json

from cli_run import run


def test_validate_the_example(example, capsys):
    code, out, _ = run(["validate", "--content", str(example)], capsys)
    assert code == 0
    assert out.strip().endswith("valid (14 tasks, 17 regions, scored)")


def test_scores_json_is_the_league_table(example, capsys):
    code, out, _ = run(["scores", "--content", str(example), "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 17
    assert [r["rank"] for r in rows[:3]] == [1, 2, 3]
    # ties share a rank: 黄石 and 荆门 both 81.02, both 7th; the next is 9th
    tied = [r for r in rows if r["final"] == "81.02"]
    assert [r["rank"] for r in tied] == [7, 7]
    assert rows[8]["rank"] == 9
    assert rows[-1]["vetoed"] is True and rows[-1]["rank"] is None


def test_unknown_format_is_a_usage_error(example, tmp_path, capsys):
    code, _, err = run(["build", "--content", str(example), "--out", str(tmp_path / "b"),
                        "--format", "pdf,odt"], capsys)
    assert code == 2
    assert err.strip() == "error: unknown format 'odt'; choose from pdf, docx, html"


def test_unknown_target_is_a_usage_error(example, tmp_path, capsys):
    code, _, err = run(["build", "--content", str(example), "--out", str(tmp_path / "b"),
                        "card-999999"], capsys)
    assert code == 2
    assert err.startswith("error: unknown target 'card-999999'; known targets: notice, ")


def test_fonts_names_a_file_per_role(capsys):
    code, out, _ = run(["fonts"], capsys)
    assert code == 0
    for role in ("小标宋", "仿宋", "黑体", "楷体", "宋体"):
        line = next(ln for ln in out.splitlines() if ln.startswith(role))
        assert "/" in line.split("→")[1]  # a real file path


def test_validate_parses_the_projects_templates(example, capsys):
    (example / "templates").mkdir()
    (example / "templates" / "card.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block content %}\n{% if %}\n{% endblock %}\n',
        encoding="utf-8")
    code, _, err = run(["validate", "--content", str(example)], capsys)
    assert code == 2
    assert err.strip().endswith("templates/card.html.j2:3: template syntax error: "
                                "Expected an expression, got 'end of statement block'")
