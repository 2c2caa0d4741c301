"""Reproducible outputs: the same content gives byte-identical files whatever -j is and
whenever it is built."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import copy_example

from qdocs.pipeline import build


def _outputs(build_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build_dir)): p.read_bytes()
            for fmt in ("pdf", "docx", "html") for p in sorted((build_dir / fmt).glob("*"))
            if p.is_file()}   # not the review site's folder under html/


def test_one_worker_later_gives_the_same_bytes_as_two_workers(built_example, tmp_path,
                                                               monkeypatch):
    """built_example ran with -j 2; this build runs with -j 1, in another folder, at least
    2.1 s later (ZIP entries keep time in 2 s steps, PDF dates in seconds), so a date
    taken from the clock or an id that depends on the worker would show."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    time.sleep(2.1)
    content = copy_example(tmp_path)
    report = build(content, tmp_path / "build", jobs=1)
    assert report.ok, report.failed
    first, second = _outputs(built_example), _outputs(tmp_path / "build")
    assert len(first) == 21 * 3 + 1   # every target in three formats, and the index
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
