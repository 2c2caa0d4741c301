"""The Dask executor: the same bytes as the local pool, fonts checked, failures per target."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qdocs.build import dask_executor
from qdocs.build.dask_executor import Bundle, _prepare, make_bundle
from qdocs.errors import QdocsError
from qdocs.pipeline import build

TARGETS = ["annex-1", "card-420100", "card-429021"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path, object]:
    from tests.conftest import copy_example

    root = tmp_path_factory.mktemp("dask")
    content = copy_example(root)
    local = build(content, root / "local", targets=TARGETS, jobs=2)
    assert local.ok, local.failed
    dask = build(content, root / "dask", targets=TARGETS, executor="dask")
    return root / "local", root / "dask", dask


def test_dask_outputs_are_byte_identical_to_the_local_pool(two_builds):
    local, dask, report = two_builds
    assert report.ok, report.failed
    assert sorted(j.name for j in report.rebuilt) == sorted(TARGETS)
    for fmt in ("pdf", "docx", "html"):
        for name in TARGETS:
            a = (local / fmt / f"{name}.{fmt}").read_bytes()
            b = (dask / fmt / f"{name}.{fmt}").read_bytes()
            assert a == b, f"{fmt}/{name} differs between -j 2 and Dask"


def test_dask_manifest_records_the_same_hashes(two_builds):
    import json

    local, dask, _ = two_builds
    a = json.loads((local / "manifest.json").read_text())["targets"]
    b = json.loads((dask / "manifest.json").read_text())["targets"]
    assert {n: t["outputs"] for n, t in a.items()} == {n: t["outputs"] for n, t in b.items()}


def test_a_worker_with_other_fonts_is_refused(tmp_path):
    from qdocs.build.runner import WorkerConfig
    from qdocs.render.templates import template_dirs

    config = WorkerConfig(tuple(template_dirs(None)), "", "file:///nowhere/", _date())
    bundle = make_bundle(config)
    other = Bundle(bundle.config, bundle.templates, "0" * 64, "other-fonts")
    refusal = _prepare(other)
    assert "other fonts" in refusal and "its PDFs would differ" in refusal
    assert _prepare(bundle) == ""


def test_no_worker_with_these_fonts_stops_the_build(tmp_path, monkeypatch, example):
    # The planning process believes it has other fonts than every worker of the cluster.
    real = dask_executor.make_bundle

    def odd_bundle(config):
        return replace(real(config), fonts="f" * 64)

    monkeypatch.setattr(dask_executor, "make_bundle", odd_bundle)
    with pytest.raises(QdocsError, match="no Dask worker .* has this machine's fonts"):
        build(example, tmp_path / "out", targets=["annex-1"], executor="dask")
    assert not list((tmp_path / "out").rglob("annex-1.*"))  # nothing written


def _date():
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)
