"""`qdocs init` writes a project that validates and builds at once, from the skeleton or the
bundled example, with a schema line editors follow at the top of every YAML file."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from cli_run import run

REPO = Path(__file__).resolve().parent.parent
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")




def yaml_files(project: Path) -> list[Path]:
    return sorted(project.glob("content/**/*.yaml"))


def test_skeleton_validates_scores_and_builds_html_and_pdf(tmp_path, capsys):
    project = tmp_path / "new"
    code, out, _ = run(["init", str(project)], capsys)
    assert code == 0, out
    content = project / "content"
    code, out, err = run(["validate", "--content", str(content)], capsys)
    assert code == 0, err
    assert out.strip().endswith("valid (2 tasks, 1 regions, scored)")

    # One item of each method, scored by hand from the skeleton's assessment:
    # binary done 10; tiered 较好 10; per_missing 1 of 3 missing 10 − 4 = 6;
    # target_deduct 95 − 94.2 = 0.8 → 2 steps of 0.5 → 20 − 2×2 = 16;
    # proportional 15 × (93 − 80)/(100 − 80) = 9.75; per_occurrence 1 → 15 − 5 = 10;
    # rank 1st of 1 → 15. Base 76.75, bonus 2 → 78.75, grade B (75 ≤ 78.75 < 90).
    code, out, err = run(["scores", "--content", str(content), "--json"], capsys)
    assert code == 0, err
    (row,) = json.loads(out)
    assert Decimal(row["base"]) == Decimal("76.75")
    assert Decimal(row["final"]) == Decimal("78.75")
    assert row["grade"] == "B"

    code, out, err = run(["lint", "--content", str(content)], capsys)
    assert (code, (out + err).strip()) == (0, f"{content}: lint-clean")
    code, out, err = run(["build", "--content", str(content), "--format", "html,pdf",
                          "-j", "2"], capsys)
    assert code == 0, out + err
    for target in ("notice", "annex-1", "annex-2", "card-100001", "bulletin"):
        for fmt in ("html", "pdf"):
            out_file = project / "build" / fmt / f"{target}.{fmt}"
            assert out_file.stat().st_size > 1000, out_file
    assert (project / "build" / "pdf" / "card-100001.pdf").read_bytes().startswith(b"%PDF")


def test_every_file_names_its_schema_and_the_year_is_filled(tmp_path, capsys):
    project = tmp_path / "p"
    assert run(["init", str(project)], capsys)[0] == 0
    files = yaml_files(project)
    assert {f.relative_to(project / "content").as_posix() for f in files} == {
        "qdocs.yaml", "notice.yaml", "action_plan.yaml", "departments.yaml", "regions.yaml",
        "scoring_rules.yaml", "bulletin.yaml", "assessments/100001.yaml"}
    for f in files:
        text = f.read_text(encoding="utf-8")
        m = SCHEMA_LINE.match(text)
        assert m, f"{f} does not start with the schema line"
        schema = (f.parent / m[1]).resolve()
        assert schema.is_file() and schema.parent == (project / "schemas").resolve()
        assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("https://")
        assert "__YEAR__" not in text
        assert "sample: true" in text or f.name in {"qdocs.yaml", "departments.yaml",
                                                    "regions.yaml", "action_plan.yaml"}


def test_a_folder_that_is_not_empty_is_refused_unless_forced(tmp_path, capsys):
    project = tmp_path / "busy"
    project.mkdir()
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(["init", str(project)], capsys)
    assert code == 2
    assert "is not empty" in err and "--force" in err
    assert not (project / "content").exists()
    code, _, _ = run(["init", "--force", str(project)], capsys)
    assert code == 0
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (project / "content" / "qdocs.yaml").is_file()


def test_a_file_in_the_way_is_refused(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(["init", str(target)], capsys)
    assert code == 2
    assert "is not a folder" in err


def test_example_is_the_bundled_example_and_builds(tmp_path, capsys):
    project = tmp_path / "ex"
    assert run(["init", "--example", str(project)], capsys)[0] == 0
    content = project / "content"
    for original in sorted((REPO / "content").rglob("*")):
        if original.is_file():
            copy = content / original.relative_to(REPO / "content")
            text = copy.read_text(encoding="utf-8")
            if original.suffix == ".yaml":
                assert SCHEMA_LINE.match(text), copy
                text = SCHEMA_LINE.sub("", text, count=1)
            assert text == original.read_text(encoding="utf-8"), copy
    code, out, err = run(["validate", "--content", str(content)], capsys)
    assert code == 0, err
    code, out, err = run(["build", "--content", str(content), "--format", "html", "-j", "2"],
                         capsys)
    assert code == 0, out + err
    assert len(list((project / "build" / "html").glob("card-*.html"))) == len(
        list((REPO / "content" / "assessments").glob("*.yaml")))


def test_force_never_writes_through_a_link(tmp_path, capsys):
    project = tmp_path / "p"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project.mkdir()
    (project / "content").symlink_to(elsewhere)
    code, _, err = run(["init", "--force", str(project)], capsys)
    assert code == 2
    assert "is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []


def test_schemas_into_a_file_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "schemas"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(["schema", "--out", str(blocker)], capsys)
    assert code == 1
    assert err.startswith(f"error: cannot write the schemas into {blocker}: ")
    assert "Traceback" not in err
