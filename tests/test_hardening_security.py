"""Security: templates run in a sandbox; content never decides where outputs go.

A project template that reaches for Python internals (server-side template injection)
fails its target with the template file and line, `validate` refuses it, and no code
runs. `build_dir` in qdocs.yaml stays inside the project; a link in the build folder
never turns a build into a write elsewhere (into the content, say).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
from hardening import (
    clone,
    intact,
    manifest,
    mismatches,
    no_traceback,
    run,
    snapshot,
)
from jinja2.sandbox import SecurityError

from qdocs.render.templates import bundled_templates_dir, make_environment

BUNDLED = bundled_templates_dir()


@pytest.fixture
def project(built_html, tmp_path, monkeypatch) -> Path:
    """A private copy of the built project, as the working directory."""
    root = clone(built_html, tmp_path / "p")
    monkeypatch.chdir(root)
    return root


def override(root: Path, template: str, line: str) -> int:
    """Copy a bundled template into the project with `line` after its `{% block content %}`
    line (or first line); return the number of the added line."""
    lines = (BUNDLED / template).read_text(encoding="utf-8").splitlines(keepends=True)
    at = next((i + 1 for i, ln in enumerate(lines) if "{% block content %}" in ln), 1)
    lines.insert(at, line + "\n")
    dest = root / "content" / "templates" / template
    dest.parent.mkdir(exist_ok=True)
    dest.write_text("".join(lines), encoding="utf-8")
    return at + 1


# --- the sandbox itself ------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "{{ x.__class__ }}",
    "{{ x.__class__.__mro__[1].__subclasses__() }}",
    "{{ f.__globals__ }}",
    "{{ y.append(1) }}",                      # immutable: no mutation of a context value
    "{{ y.__getitem__(0) }}",
])
def test_the_environment_refuses_python_internals(source):
    env = make_environment([BUNDLED])
    with pytest.raises(SecurityError):
        env.from_string(source).render(x="text", f=make_environment, y=[1])


def test_the_environment_has_only_the_listed_globals_and_filters():
    env = make_environment([BUNDLED])
    assert set(env.globals) == {"range", "namespace"}
    with pytest.raises(jinja2.UndefinedError):          # lipsum, cycler, joiner are gone
        env.from_string('{{ lipsum.__globals__["os"] }}').render()
    assert env.from_string("{{ ['a', 'b'] | join('、') }}").render() == "a、b"


# --- server-side template injection through a project template ---------------------------------

SSTI = [
    ('{{ lipsum.__globals__["os"].popen("touch PWNED").read() }}', "'__globals__'"),
    ("{{ doc_title.__class__.__mro__[1].__subclasses__() }}", "'__class__'"),
]


@pytest.mark.parametrize(("payload", "named"), SSTI)
def test_validate_refuses_an_unsafe_template(project, capsys, payload, named):
    line = override(project, "notice.html.j2", payload)
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert code == 2 and out == ""
    assert err == (f"error: content/templates/notice.html.j2:{line}: reads {named}: templates "
                   "run in a sandbox and may not use internal attributes\n")
    assert not Path("PWNED").exists()


def test_validate_renders_templates_so_a_refusal_at_render_time_is_found(project, capsys):
    line = override(project, "notice.html.j2", "{% set xs = [1] %}{{ xs.append(2) }}")
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert code == 2 and "valid" not in out
    assert err.startswith(f"error: content/templates/notice.html.j2:{line}: refused by the "
                          "template sandbox: access to attribute 'append' of 'list' object "
                          "is unsafe")


def test_build_fails_the_target_of_an_unsafe_template_and_keeps_the_rest(project, capsys):
    before = snapshot(Path("build"))
    entry = manifest(Path("build"))["targets"]["notice"]
    line = override(project, "notice.html.j2", SSTI[1][0])
    code, out, err = run(["build", "--content", "content", "--out", "build", "--format", "html",
                          "-j", "1", "--force", "notice", "annex-1"], capsys)
    assert code == 1
    assert (f"error: notice: content/templates/notice.html.j2:{line}: refused by the template "
            "sandbox: access to attribute '__class__' of 'str' object is unsafe.") in err
    assert "1 built, 0 skipped, 1 failed" in out
    no_traceback(out, err)
    # notice keeps its previous output and its manifest entry; annex-1 was rebuilt
    # byte-identical; the manifest vouches only for true files.
    now = snapshot(Path("build"))
    for name in ("html/notice.html", "html/annex-1.html", "html/card-420100.html"):
        assert now[name] == before[name]
    assert manifest(Path("build"))["targets"]["notice"] == entry
    assert mismatches(Path("build")) == []


def test_a_template_linking_outside_its_folder_is_refused(project, tmp_path, capsys):
    secret = tmp_path / "secret.html.j2"
    secret.write_text("{{ doc_title }} outside\n", encoding="utf-8")
    (project / "content" / "templates").mkdir()
    os.symlink(secret, project / "content" / "templates" / "notice.html.j2")
    before = snapshot(Path("build"))
    for argv in (["validate", "--content", "content"],
                 ["build", "--content", "content", "--out", "build", "--format", "html",
                  "-j", "1", "--force", "notice"]):
        code, out, err = run(argv, capsys)
        assert code == 2, err
        assert err == (f"error: content/templates/notice.html.j2: is a link to {secret}, "
                       "outside the template folder content/templates; refused\n")
    intact(Path("build"), before)


def test_a_template_folder_linking_outside_the_project_is_refused(project, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project / "content" / "templates")
    code, _, err = run(["validate", "--content", "content"], capsys)
    assert code == 2
    assert err == (f"error: content/templates: is a link to {elsewhere}, outside the project; "
                   "refused: templates must live in the project\n")


# --- where outputs go --------------------------------------------------------------------------

@pytest.mark.parametrize("build_dir", ["../../../../tmp/qdocs-escape", "/tmp/qdocs-abs",
                                       "build/../../escape"])
def test_build_dir_leading_out_of_the_project_is_a_located_error(project, capsys, build_dir):
    qdocs_yaml = project / "content" / "qdocs.yaml"
    qdocs_yaml.write_text(qdocs_yaml.read_text(encoding="utf-8").replace(
        "build_dir: build", f"build_dir: {build_dir}"), encoding="utf-8")
    target = (project / build_dir).resolve()
    before = snapshot(project)
    for argv in (["validate", "--content", "content"],
                 ["build", "--content", "content", "--format", "html", "-j", "1"]):
        code, out, err = run(argv, capsys)
        assert code == 2, err
        assert err == (f"error: content/qdocs.yaml:6:1: build_dir: must be a folder inside the "
                       f"project {project} (it leads to {target}); use `--out` to build "
                       "elsewhere\n")
    assert not Path("/tmp/qdocs-escape").exists() and not Path("/tmp/qdocs-abs").exists()
    assert not (project.parent / "escape").exists()
    assert snapshot(project) == before


def test_build_dir_inside_the_project_is_used(project, capsys):
    qdocs_yaml = project / "content" / "qdocs.yaml"
    qdocs_yaml.write_text(qdocs_yaml.read_text(encoding="utf-8").replace(
        "build_dir: build", "build_dir: out/docs"), encoding="utf-8")
    code, _, err = run(["build", "--content", "content", "--format", "html", "-j", "1",
                        "annex-1"], capsys)
    assert (code, err) == (0, "")
    assert (project / "out" / "docs" / "html" / "annex-1.html").is_file()


def test_out_on_the_command_line_may_go_outside_the_project(project, tmp_path, capsys):
    out_dir = tmp_path / "elsewhere" / "out"
    code, _, err = run(["build", "--content", "content", "--out", str(out_dir), "--format",
                        "html", "-j", "1", "annex-1"], capsys)
    assert (code, err) == (0, "")
    assert (out_dir / "html" / "annex-1.html").is_file()


def test_out_inside_the_content_is_refused(project, capsys):
    code, _, err = run(["build", "--content", "content", "--out", "content/build", "--format",
                        "html", "-j", "1"], capsys)
    assert code == 2
    assert "must not be inside (or contain) the content directory" in err
    assert not (project / "content" / "build").exists()


def test_a_format_folder_linking_into_the_content_is_refused(project, capsys):
    html = project / "build" / "html"
    shutil.rmtree(html)
    os.symlink(project / "content", html)
    content_before = snapshot(project / "content")
    manifest_before = (project / "build" / "manifest.json").read_bytes()
    code, out, err = run(["build", "--content", "content", "--out", "build", "--format", "html",
                          "-j", "1", "--force"], capsys)
    assert code == 2
    assert err == (f"error: the html output folder build/html is a link (to {project}/content); "
                   "qdocs writes only into real folders: remove the link\n")
    assert snapshot(project / "content") == content_before         # not one file written
    assert (project / "build" / "manifest.json").read_bytes() == manifest_before


def test_an_output_file_that_is_a_link_is_refused(project, tmp_path, capsys):
    target = tmp_path / "victim.txt"
    target.write_text("keep me", encoding="utf-8")
    out = project / "build" / "html" / "notice.html"
    out.unlink()
    os.symlink(target, out)
    code, _, err = run(["build", "--content", "content", "--out", "build", "--format", "html",
                        "-j", "1", "--force", "notice"], capsys)
    assert code == 2
    assert err == (f"error: build/html/notice.html is a link (to {target}); qdocs writes its "
                   "outputs only as plain files: remove the link\n")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_build_dir_inside_the_content_is_a_located_error(project, capsys):
    qdocs_yaml = project / "content" / "qdocs.yaml"
    qdocs_yaml.write_text(qdocs_yaml.read_text(encoding="utf-8").replace(
        "build_dir: build", "build_dir: content/out"), encoding="utf-8")
    code, out, err = run(["build", "--content", "content", "--format", "html", "-j", "1"], capsys)
    assert (code, out) == (2, "")
    assert err == ("error: content/qdocs.yaml:6:1: build_dir: the output directory content/out "
                   "must not be inside (or contain) the content directory content\n")
    assert not (project / "content" / "out").exists()
