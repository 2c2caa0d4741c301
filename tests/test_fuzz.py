"""Property tests: no input makes `qdocs validate` print a traceback; the engine never raises.

Random YAML (text, structures, and mutations of the example content) goes through
`qdocs validate` in-process: it must end with exit 0 and nothing on stderr, or
exit 2 and only located messages (`<file>[:line[:col]]: …`). Random *valid*
schemes and assessments — valid as the loader decides — go through the scoring
engine and the annex wording, which must not raise and must keep their sums.
"""

from __future__ import annotations

import contextlib
import io
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import copy_example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qdocs.cli import main
from qdocs.content.located import validate_document
from qdocs.content.scoring_checks import check_assessment, check_rules
from qdocs.content.scoring_load import load_scoring
from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.content.yamlsource import YamlDocument
from qdocs.scoring import describe
from qdocs.scoring.engine import score_all

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FILES = ["qdocs.yaml", "notice.yaml", "action_plan.yaml", "departments.yaml", "regions.yaml",
         "scoring_rules.yaml", "bulletin.yaml", "assessments/420500.yaml"]


# --- `qdocs validate` on random input ------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_example(tmp_path_factory.mktemp("fuzz"))


def validate_with(project: Path, changes: dict[str, bytes]) -> tuple[int, str]:
    """Run `qdocs validate` with some files replaced; put them back afterwards."""
    saved = {name: (project / name).read_bytes() for name in changes}
    try:
        for name, data in changes.items():
            (project / name).write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["validate", "--content", str(project)])
            except SystemExit as exc:
                code = exc.code
        return code, err.getvalue()
    finally:
        for name, data in saved.items():
            (project / name).write_bytes(data)


def assert_clean_outcome(project: Path, code: int, err: str) -> None:
    """Exit 0 in silence, or exit 2 with every line a located message."""
    assert "Traceback" not in err
    if code == 0:
        assert err == ""
        return
    assert code == 2, err
    located = re.compile(rf"^(error: )?{re.escape(str(project))}/[\w./-]+"
                         r"(:\d+(:\d+)?)?: \S.*$")
    lines = err.splitlines()
    assert lines, "exit 2 without a message"
    for line in lines:
        assert located.match(line), line


YAML_BITS = list(":-[]{}#&*!|>'\"%@`,? \n\t") + ["ab", "１２", "中", ".5", "~", "<<", "\ufeff",
                                                   "\u202e", "\u200b", "\u2028", "𪚥", "\u00ad"]
scalars = (st.none() | st.booleans() | st.integers() | st.text(max_size=20)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.sampled_from(["８", "９７．２", "1e999999999", "-0", "0x1F", "1:30", "2014-05-06",
                              "../x", "a/b", "", "\x00", "{{ x }}", "<script>"]))
structures = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(["points", "code", "id", "items"]),
                      inner, max_size=4),
    max_leaves=20)


@FUZZ
@given(name=st.sampled_from(FILES),
       text=st.text(max_size=300) | st.lists(st.sampled_from(YAML_BITS), max_size=80).map("".join))
def test_random_text_never_gives_a_traceback(project, name, text):
    code, err = validate_with(project, {name: text.encode("utf-8", "surrogatepass")})
    assert_clean_outcome(project, code, err)


@FUZZ
@given(name=st.sampled_from(FILES), data=st.binary(max_size=200))
def test_random_bytes_never_give_a_traceback(project, name, data):
    code, err = validate_with(project, {name: data})
    assert_clean_outcome(project, code, err)


@FUZZ
@given(name=st.sampled_from(FILES), value=structures)
def test_random_documents_never_give_a_traceback(project, name, value):
    text = yaml.safe_dump(value, allow_unicode=True)
    code, err = validate_with(project, {name: text.encode("utf-8", "surrogatepass")})
    assert_clean_outcome(project, code, err)


def _paths(data: Any, here: tuple = ()) -> list[tuple]:
    out = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, here + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, here + (i,))
    return out


def _mutate(data: Any, path: tuple, how: str, new: Any) -> Any:
    """`data` with the value at `path` deleted, replaced, renamed, doubled or wrapped."""
    if not path:
        return new if how == "replace" else [data]
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = new
    elif how == "wrap":
        parent[last] = [parent[last]]
    elif how == "double" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif how == "rename" and isinstance(parent, dict):
        parent[str(new)[:12] or "x"] = parent.pop(last)
    return data


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_mutations_of_the_example_never_give_a_traceback(project, name, data):
    original = yaml.safe_load((project / name).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(original)), label="path")
        how = data.draw(st.sampled_from(["delete", "replace", "wrap", "double", "rename"]))
        original = _mutate(original, path, how, data.draw(structures, label="new"))
    text = yaml.safe_dump(original, allow_unicode=True, sort_keys=False)
    code, err = validate_with(project, {name: text.encode("utf-8", "surrogatepass")})
    assert_clean_outcome(project, code, err)


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_edits_of_the_example_text_never_give_a_traceback(project, name, data):
    """What an editor does: lines dropped, doubled, swapped or cut, characters typed."""
    lines = (project / name).read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        how = data.draw(st.sampled_from(["drop", "double", "swap", "cut", "type"]))
        if how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i])
        elif how == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "cut":
            lines = lines[:i] + [lines[i][:data.draw(st.integers(0, len(lines[i])))]]
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            typed = data.draw(st.sampled_from(YAML_BITS) | st.text(max_size=3))
            lines[i] = lines[i][:at] + typed + lines[i][at:]
    code, err = validate_with(project, {name: "".join(lines).encode("utf-8", "surrogatepass")})
    assert_clean_outcome(project, code, err)


# --- the engine on random valid schemes and assessments -----------------------------------------

@pytest.fixture(scope="module")
def example_rules(tmp_path_factory) -> tuple[dict, list[str], set[str]]:
    """The example scheme as plain data, the region codes and the departments."""
    root = copy_example(tmp_path_factory.mktemp("rules"))
    regions = yaml.safe_load((root / "regions.yaml").read_text(encoding="utf-8"))
    codes = [r["code"] for r in regions["regions"]]
    depts = yaml.safe_load((root / "departments.yaml").read_text(encoding="utf-8"))
    names = {d["name"] for d in depts["departments"]}
    plan = yaml.safe_load((root / "action_plan.yaml").read_text(encoding="utf-8"))
    rules, _ = load_scoring(root, codes, names, len(plan["tasks"]))
    return rules.model_dump(mode="python", exclude_none=True), codes, names


BIG = Decimal(10**12) - 1      # the largest number a content file may hold (located.py)


def decimals(low, high, places: int = 2):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places,
                       allow_nan=False, allow_infinity=False)


def positive(high, places: int = 2):
    return decimals(Decimal(1).scaleb(-places), high, places)


@st.composite
def schemes(draw, base: dict) -> dict:
    """The example scheme with every method parameter, cap, grade and precision redrawn."""
    rules = {**base}
    rules["precision"] = draw(st.sampled_from(["1", "0.1", "0.01", "0.001"]))
    rules["rounding"] = {"items": draw(st.sampled_from(["exact", "half_up"]))}
    rules["basis"] = draw(st.sampled_from(["published", "exact"]))
    for key in ("bonus", "penalty"):
        claims = {**rules[key], "cap": draw(positive(30))}
        claims["items"] = [{**c, "points": draw(positive(5)),
                            "max": draw(st.none() | positive(10))} for c in claims["items"]]
        rules[key] = {k: v for k, v in claims.items()}
        for c in rules[key]["items"]:
            if c["max"] is None:
                del c["max"]
    placements = st.sampled_from(["unranked", "last", "in_place"])
    rules["veto"] = {**rules["veto"], "placement": draw(placements)}
    top = rules["full_score"]
    mins = sorted(draw(st.lists(decimals("0.01", top), min_size=3, max_size=3, unique=True)),
                  reverse=True)
    rules["grades"] = [{**g, "min": m} for g, m in zip(rules["grades"], mins + [Decimal(0)],
                                                       strict=True)]
    rules["blocks"] = [{**b, "categories": [{**c, "items": [
        {**i, "method": draw(methods(i))} for i in c["items"]]} for c in b["categories"]]}
        for b in rules["blocks"]]
    return rules


@st.composite
def methods(draw, item: dict) -> dict:
    m, points = dict(item["method"]), item["points"]
    kind = m["kind"]
    if kind == "target_deduct":
        percent = m.get("unit") == "%"        # a percentage lies in 0–100 (unique.py)
        m.update(target=draw(decimals(0, 100) if percent else decimals(-BIG, BIG)),
                 step=draw(positive(10) | positive(100 if percent else BIG, 6)),
                 deduct=draw(positive(points * 2)),
                 better=draw(st.sampled_from(["higher", "lower"])),
                 partial=draw(st.sampled_from(["whole", "ignore", "pro_rata"])))
    elif kind == "proportional":
        span = decimals(0, 100, 6) if m.get("unit") == "%" else (
            decimals(0, 1000) | decimals(-BIG, BIG, 6))
        zero, full = draw(st.lists(span, min_size=2, max_size=2, unique=True))
        m.update(zero_at=zero, full_at=full)
    elif kind in ("per_missing", "per_occurrence"):
        m["deduct"] = draw(positive(points * 2))
    elif kind == "tiered":
        names = list(m["levels"])
        values = [points] + [draw(decimals(0, points)) for _ in names[1:]]
        m["levels"] = dict(zip(names, values, strict=True))
    elif kind == "rank":
        ups = sorted(draw(st.lists(st.integers(1, 20), min_size=1, max_size=4, unique=True)))
        pts = [points] + sorted((draw(decimals(0, points)) for _ in ups[1:]), reverse=True)
        m["bands"] = [{"up_to": u, "points": p} for u, p in zip(ups, pts, strict=True)]
        m["rest"] = draw(decimals(0, pts[-1]))
    return m


def item_inputs(draw, item, percent: bool) -> dict:
    m = item.method
    if m.kind == "binary":
        return {"done": draw(st.booleans())}
    if m.kind == "tiered":
        return {"level": draw(st.sampled_from(list(m.levels)))}
    if m.kind == "per_missing":
        return {"missing": draw(st.lists(st.sampled_from(m.elements), unique=True))}
    if m.kind == "per_occurrence":
        return {"count": draw(st.integers(0, 10**6) | st.integers(0, int(BIG)))}
    if percent:
        return {"value": draw(decimals(0, 100, draw(st.integers(0, 6))))}
    return {"value": draw(decimals(-BIG, BIG, draw(st.integers(0, 6))))}


@st.composite
def assessments(draw, rules: ScoringRules, code: str) -> dict:
    items = [i for b in rules.blocks for c in b.categories for i in c.items]
    percent = {i.id: getattr(i.method, "unit", "") == "%" for i in items}

    def claims(known):
        ids = draw(st.lists(st.sampled_from([c.id for c in known.items]), unique=True))
        return [{"item": i, "count": draw(st.integers(1, 1000) | st.integers(1, int(BIG))),
                 "note": "n"} for i in ids]

    adjusted = draw(st.lists(st.sampled_from([i.id for i in items]), unique=True, max_size=3))
    by_id = {i.id: i for i in items}
    return {
        "sample": draw(st.booleans()),
        "region": code,
        "items": {i.id: item_inputs(draw, i, percent[i.id]) for i in items},
        "bonuses": claims(rules.bonus),
        "penalties": claims(rules.penalty),
        "vetoes": [{"condition": v, "event": "e"} for v in draw(
            st.lists(st.sampled_from([c.id for c in rules.veto.conditions]), max_size=2,
                     unique=True))],
        "adjustments": [{"item": i, "input": item_inputs(draw, by_id[i], percent[i]),
                         "reason": "r"} for i in adjusted],
    }


def _valid(model, data: dict, name: str):
    """Validated exactly as the loader validates a file (number checks included)."""
    return validate_document(YamlDocument(Path(name), data, {}), model)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_engine_never_raises_on_valid_input(example_rules, data):
    base, codes, departments = example_rules
    rules = _valid(ScoringRules, data.draw(schemes(base), label="scheme"), "scoring_rules.yaml")
    doc = YamlDocument(Path("scoring_rules.yaml"), {}, {})
    assert check_rules(doc, rules, departments, 14) == []
    found = {}
    for code in codes:
        raw = data.draw(assessments(rules, code), label=code)
        a = _valid(Assessment, raw, f"{code}.yaml")
        assert check_assessment(YamlDocument(Path(f"{code}.yaml"), raw, {}), a, rules, code) == []
        found[code] = a

    results = score_all(rules, codes, found)

    for block in rules.blocks:
        for category in block.categories:
            for item in category.items:
                assert describe.describe_item(item, rules.precision, rules.rounding.items)
    assert describe.describe_grades(rules) and describe.describe_final(rules)
    top = rules.full_score + rules.bonus.cap
    lowest = results.grades[-1]
    for r in results.regions:
        assert all(0 <= i.score <= i.points and i.lost == Fraction(i.points) - i.score
                   for i in r.items)
        assert r.base == sum((i.score for i in r.items), Fraction(0))
        assert r.bonus.total <= rules.bonus.cap and r.penalty.total <= rules.penalty.cap
        assert r.final == max(Fraction(0), r.base + Fraction(r.bonus.total - r.penalty.total))
        assert 0 <= r.final <= top
        decides = r.final_display if rules.basis == "published" else r.final
        if r.vetoed:
            assert r.grade == lowest
        else:
            assert r.grade == next(g for g in results.grades if decides >= g.min)
    assert sorted(results.ranking) == sorted(codes)


def test_the_generators_cover_every_method(example_rules):
    """The example scheme uses all seven methods, so the engine test draws them all."""
    base, _, _ = example_rules
    kinds = {i["method"]["kind"] for b in base["blocks"] for c in b["categories"]
             for i in c["items"]}
    assert kinds == {"binary", "tiered", "per_missing", "target_deduct", "proportional",
                     "per_occurrence", "rank"}


# --- `qdocs build --format html` on random input -----------------------------------------------

BUILD_FUZZ = settings(max_examples=10, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                             HealthCheck.function_scoped_fixture])
# A few targets that read every file: the notice, the scheme, one card, the bulletin.
BUILD_TARGETS = ["notice", "annex-2", "card-420500", "bulletin"]


def build_with(project: Path, out: Path, changes: dict[str, bytes]) -> tuple[int, str]:
    """`qdocs build --format html` of a few targets with some files replaced (then restored)."""
    saved = {name: (project / name).read_bytes() for name in changes}
    try:
        for name, data in changes.items():
            (project / name).write_bytes(data)
        err = io.StringIO()
        code = 0
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                main(["build", "--content", str(project), "--out", str(out), "-j", "1",
                      "--format", "html", *BUILD_TARGETS])
            except SystemExit as exc:
                code = exc.code
        return code, err.getvalue()
    finally:
        for name, data in saved.items():
            (project / name).write_bytes(data)


def assert_clean_build(code: int, err: str) -> None:
    """Built (0), a target failed with its message (1), or bad input located (2)."""
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 1, 2), err
    if code:
        assert err.startswith("error: ") or "\nerror: " in err, err


@BUILD_FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_builds_of_mutated_content_never_give_a_traceback(project, tmp_path_factory, name, data):
    original = yaml.safe_load((project / name).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(original)), label="path")
        how = data.draw(st.sampled_from(["delete", "replace", "wrap", "double", "rename"]))
        original = _mutate(original, path, how, data.draw(structures, label="new"))
    text = yaml.safe_dump(original, allow_unicode=True, sort_keys=False)
    out = tmp_path_factory.mktemp("out")
    assert_clean_build(*build_with(project, out, {name: text.encode("utf-8", "surrogatepass")}))


@BUILD_FUZZ
@given(name=st.sampled_from(FILES), data=st.binary(max_size=200) | st.text(max_size=200).map(
    lambda t: t.encode("utf-8", "surrogatepass")))
def test_builds_of_random_bytes_never_give_a_traceback(project, tmp_path_factory, name, data):
    out = tmp_path_factory.mktemp("out")
    assert_clean_build(*build_with(project, out, {name: data}))
