"""The YAML reader: located errors for what office users really do to files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qdocs.content.yamlsource import read_yaml
from qdocs.errors import ContentError


def _error(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    with pytest.raises(ContentError) as info:
        read_yaml(path)
    return str(info.value).replace(str(tmp_path) + "/", "")


def test_positions_are_recorded_per_field(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - {c: 2}\n", encoding="utf-8")
    doc = read_yaml(path)
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.locate(("b", 1, "c")) == (4, 6)
    assert doc.locate(("b", 1, "missing")) == (4, 5)  # its nearest located ancestor


def test_floats_are_exact_decimals(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("points: 0.1\n", encoding="utf-8")
    assert read_yaml(path).data["points"] == Decimal("0.1")


def test_duplicate_key(tmp_path):
    assert _error(tmp_path, b"a: 1\na: 2\n") == (
        "x.yaml:2:1: a: duplicate key (first given on line 1)")


def test_tab_indentation(tmp_path):
    assert _error(tmp_path, b"a:\n\t- 1\n") == (
        "x.yaml:2:1: invalid YAML: a tab character; YAML indentation must use spaces")


def test_gbk_file_is_refused_with_advice(tmp_path):
    message = _error(tmp_path, "名称: 武汉".encode("gbk"))
    assert message.startswith("x.yaml:1:1: file is not UTF-8 (it looks like GBK/GB18030)")
    assert "UTF-8" in message.split(";")[1]


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(path).data == {"a": 1}


def test_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    assert "alias bomb" in _error(tmp_path, bomb.encode())


def test_empty_file(tmp_path):
    assert _error(tmp_path, b"  \n") == "x.yaml:1:1: file is empty; expected a YAML mapping"


def test_missing_file(tmp_path):
    with pytest.raises(ContentError) as info:
        read_yaml(tmp_path / "nope.yaml")
    assert str(info.value).endswith("nope.yaml: file not found")


def test_libyaml_reads_the_example_as_the_python_reader_does():
    """The fast reader (libyaml's parser, PyYAML's composer) gives the same data and the
    same positions as the pure-Python reader on every content file."""
    from qdocs.content import yamlsource

    if yamlsource.CParser is None:
        pytest.skip("PyYAML without libyaml")
    files = sorted((Path(__file__).resolve().parent.parent / "content").rglob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = yamlsource._parse(yamlsource._FastLoader(text, path.name), path, path.name)
        slow = yamlsource._parse(yamlsource._Loader(text, path.name), path, path.name)
        assert fast.data == slow.data, path
        assert fast.positions == slow.positions, path
