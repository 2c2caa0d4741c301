"""`validate` finds template faults that show only when a template is compiled or
rendered: an unknown filter or test, a loop of includes or extends. Each is a located
message and exit 2 — not "valid" followed by a build that fails with RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example
from hardening import no_traceback, run


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    content = copy_example(tmp_path)
    (content / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return content


def put(content: Path, name: str, text: str) -> None:
    (content / "templates" / name).write_text(text, encoding="utf-8")


CARD = '{% extends "base.html.j2" %}\n{% block content %}\n'


@pytest.mark.parametrize(("body", "message"), [
    ("{{ doc_title | shout }}\n", "template error: No filter named 'shout'."),
    ("{% if doc_title is loud %}x{% endif %}\n", "template error: No test named 'loud'."),
    ("{{ doc_title | lipsum }}\n", "template error: No filter named 'lipsum'."),
])
def test_an_unknown_filter_or_test_is_located(content, capsys, body, message):
    put(content, "card.html.j2", CARD + body + "{% endblock %}\n")
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out) == (2, "")
    assert err == f"error: content/templates/card.html.j2:3: {message}\n"


def test_an_include_loop_is_located_in_validate_and_build(content, capsys):
    put(content, "card.html.j2", CARD + '{% include "loop-a.html.j2" %}\n{% endblock %}\n')
    put(content, "loop-a.html.j2", '{% include "loop-b.html.j2" %}\n')
    put(content, "loop-b.html.j2", 'b\n{% include "loop-a.html.j2" %}\n')
    expected = ("error: content/templates/loop-b.html.j2: templates include or extend each "
                "other in a loop: loop-a.html.j2 → loop-b.html.j2 → loop-a.html.j2\n")
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out, err) == (2, "", expected)
    code, out, err = run(["build", "--content", "content", "--out", "build", "--format", "html",
                          "-j", "1", "card-420100"], capsys)
    assert (code, err) == (2, expected)
    assert not Path("build").exists()
    no_traceback(out, err)


def test_an_extends_loop_is_located(content, capsys):
    put(content, "base.html.j2", '{% extends "card.html.j2" %}\n')
    put(content, "card.html.j2", CARD + "x\n{% endblock %}\n")
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out) == (2, "")
    assert "templates include or extend each other in a loop: " in err
    assert "base.html.j2 → card.html.j2 → base.html.j2" in err or (
        "card.html.j2 → base.html.j2 → card.html.j2" in err)


def test_a_template_that_fails_at_render_is_not_valid(content, capsys):
    put(content, "card.html.j2", CARD + "{{ no_such_variable }}\n{% endblock %}\n")
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out) == (2, "")
    assert err == ("error: content/templates/card.html.j2:3: UndefinedError: "
                   "'no_such_variable' is undefined\n")
