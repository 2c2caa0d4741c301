"""The DOCX package (qdocs/writers/docx_package.py): the one-pass zip holds what zipfile
writes, the frozen styles part cannot be edited, and documents written one after
another from the shared template do not leak into each other."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from qdocs.fonts import resolve_fonts
from qdocs.profile import load_profile
from qdocs.writers import docx as writer
from qdocs.writers.docx_package import ZIP_DATE, byte_parts, freeze_part, zip_bytes

CREATED = dt.datetime(2014, 5, 4, 9, 30)
CHART = ('{"kind": "bar", "labels": ["组织领导", "监督抽查"], "max": "10",'
         ' "series": [{"name": "得分", "values": ["4.5", "8"]}]}')


def _zipfile_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """What zipfile writes for the same members (as the writer did before)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            dst.writestr(info, data)
    return out.getvalue()


MEMBERS = [("[Content_Types].xml", b"<Types/>" * 50), ("word/document.xml", b"<w:p/>" * 999),
           ("word/media/图1.png", bytes(range(256)) * 40), ("empty.xml", b"")]


@pytest.mark.parametrize("repeated", [frozenset(), frozenset(n for n, _ in MEMBERS)])
def test_zip_holds_what_zipfile_writes(repeated):
    first = zip_bytes(MEMBERS, repeated)
    assert first == _zipfile_bytes(MEMBERS)
    assert zip_bytes(MEMBERS, repeated) == first  # the second time from the cache
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.testzip() is None
        assert [(i.filename, z.read(i)) for i in z.infolist()] == MEMBERS


def test_a_repeated_name_with_other_bytes_is_not_taken_from_the_cache():
    names = frozenset({"a.xml"})
    zip_bytes([("a.xml", b"<one/>")], names)
    with zipfile.ZipFile(io.BytesIO(zip_bytes([("a.xml", b"<two/>")], names))) as z:
        assert z.read("a.xml") == b"<two/>"


def test_a_frozen_part_keeps_its_bytes_and_refuses_edits():
    document = docx.Document()
    before = document.part.part_related_by(RT.STYLES).blob
    rids = list(document.part.rels)
    freeze_part(document.part, RT.STYLES)
    assert list(document.part.rels) == rids  # same relationship ids, same order
    assert document.part.part_related_by(RT.STYLES).blob == before
    assert "word/styles.xml" in byte_parts(document.part.package)
    with pytest.raises(AttributeError):
        document.styles.add_style("Edited", 1)  # python-docx's API cannot reach it
    saved = io.BytesIO()
    document.save(saved)
    assert zipfile.ZipFile(saved).read("word/styles.xml") == before


def _bytes(body: str, title: str = "t") -> bytes:
    return writer.docx_bytes(f"<html><body>{body}</body></html>", title=title,
                             created=CREATED)


@pytest.mark.skipif(not any(resolve_fonts()[r].file for r in ("hei", "fang")),
                    reason="no CJK font installed to draw chart labels")
def test_documents_written_in_turn_share_nothing_but_the_template(tmp_path):
    plain = _bytes('<p class="body">甲</p>')
    chart = _bytes(f"<figure class=\"chart\" data-chart='{CHART}'></figure>"
                   '<p class="sample-mark">示例数据</p><p class="body">乙</p>', "图")
    assert _bytes('<p class="body">甲</p>') == plain  # nothing left over from `chart`
    names = zipfile.ZipFile(io.BytesIO(plain)).namelist()
    assert not [n for n in names if n.startswith("word/media/")]
    assert [p.text for p in docx.Document(io.BytesIO(plain)).paragraphs] == ["甲"]
    again = docx.Document(io.BytesIO(chart))
    assert len(again.inline_shapes) == 1
    assert again.sections[0].header.paragraphs[0].text == "示例数据"
    template, _, _ = writer._styled_template(load_profile())
    assert len(template.element.body) == 1  # the template itself is never written into
