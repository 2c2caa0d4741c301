"""The content reference (docs/content.md), generated from the models.

Nothing about a field is typed twice: the tables come from the JSON Schema of
each file (itself the pydantic model's), the examples from the skeleton that
`qdocs init` writes and from the bundled example, the worked scoring examples
from the engine. A test regenerates the reference and compares it with the
committed file, so the two cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qdocs.content.scoring_models import ScoringRules
from qdocs.content.yamlsource import read_yaml
from qdocs.errors import QdocsError
from qdocs.init import SKELETON_DIR, YEAR_MARK, bundled_example_dir
from qdocs.reference.fields import collect, field_rows, inline, one_line, table
from qdocs.reference.methods import FORMULAS, worked_examples
from qdocs.reference.policy import policy_part
from qdocs.reference.schemas import CONTENT_FILES, ContentFile, file_schema

HEADER = ["field", "type", "required / default", "description", "example"]

INTRO = """\
# Content reference

<!-- Generated from the models by `qdocs schema --reference docs/content.md`
     (or `python -m qdocs.reference`). Do not edit: tests/test_reference.py fails
     when this file and the models disagree. -->

A qdocs project is a folder of YAML files. `qdocs init DIR` writes one that builds
at once (`DIR/content/`), with a JSON Schema per file in `DIR/schemas/`; every file
starts with a line such as

    # yaml-language-server: $schema=../schemas/notice.schema.json

so editors with YAML language support (VS Code's *YAML* extension, Neovim, JetBrains)
complete field names and mark mistakes while you type. `qdocs schema --out DIR`
writes the schemas again, for example after upgrading qdocs.

Rules that hold in every file:

- Unknown fields are errors (a misspelt `pionts:` is refused, never ignored).
- Numbers that score are exact: `97.2` is read as the decimal 97.2, never a binary
  fraction; a value such as `precision` may be written as text, `"0.01"`.
- Region codes are text: write them in quotes, `"420100"`.
- Text fields may not be empty; surrounding spaces are dropped.
- `sample: true` marks sample content; the documents built from it say so.

In the tables, *type* says what a value must be, *required / default* whether it can
be left out and what it then is, and *example* shows a value from the skeleton that
`qdocs init` writes or, where the skeleton has none, from the bundled example
(`qdocs init --example`); `__YEAR__` in the skeleton stands for the year `qdocs init`
writes in its place. `a[]` means every element of the list `a`; `a.*` every value
of the mapping `a`.
"""


def reference_text() -> str:
    """The whole reference as Markdown."""
    skeleton = _content_data(SKELETON_DIR / "content", drop_mark=True)
    bundled = _content_data(bundled_example_dir(), drop_mark=False)
    lines = [INTRO, "## Files", ""]
    lines += table(["file", "what it holds", "needed"], [
        [f"[`{spec.pattern}`](#{_file_anchor(spec)})",
         one_line(file_schema(spec).get("description", "")),
         spec.needed] for spec in CONTENT_FILES])
    unions = []
    for spec in CONTENT_FILES:
        examples = [*skeleton.get(spec.pattern, []), *bundled.get(spec.pattern, [])]
        file_lines, file_unions = _file_section(spec, examples)
        lines += ["", *file_lines]
        unions += [(u, examples) for u in file_unions]
    lines += ["", *_methods_part(unions)]
    rules = next(s for s in CONTENT_FILES if s.model is ScoringRules)
    lines += ["", *policy_part(SKELETON_DIR / "content" / rules.pattern, file_schema(rules))]
    return "\n".join(lines).rstrip() + "\n"


def write_reference(path: Path) -> None:
    """Write the reference to `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(reference_text(), encoding="utf-8")
    except OSError as exc:
        raise QdocsError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _file_section(spec: ContentFile, examples: list[Any]) -> tuple[list[str], list]:
    schema = file_schema(spec)
    defs = schema.get("$defs", {})
    stem = spec.schema_name.removesuffix(".schema.json")
    sections, unions = collect(schema, stem)
    links = {s.ref: s.anchor for s in sections if s.ref}
    lines = [f'<a id="{_file_anchor(spec)}"></a>', f"## `{spec.pattern}`", "",
             one_line(schema.get("description", ""))]
    if spec.depth:
        lines += ["", f"One file per region, named after its code: `{spec.pattern}`."]
    for section in sections:
        if section.path:
            lines += ["", f'<a id="{section.anchor}"></a>', f"### `{section.path}`", ""]
            if section.schema.get("description"):
                lines += [one_line(section.schema["description"]), ""]
            if section.also:
                lines += ["Also at " + ", ".join(f"`{p}`" for p in section.also) + ".", ""]
        else:
            lines += ["", f'<a id="{section.anchor}"></a>', "### Top-level fields", ""]
        lines += table(HEADER, field_rows(section, defs, links, examples))
    text = _skeleton_text(spec)
    if text:
        lines += ["", f"Example (the skeleton's `{_example_name(spec)}`):", "", "```yaml",
                  text.rstrip(), "```"]
    return lines, unions


def _methods_part(unions: list) -> list[str]:
    lines = ['<a id="scoring-methods"></a>', "## Scoring methods", "",
             "An item's `method:` says how its points are earned: `kind` names the method, the "
             "other fields are its parameters. Each method below gives its formula exactly as "
             "the engine computes it, its parameters, and worked examples computed by the "
             "engine. `points` is the item's points; *value*, `done`, `level`, `missing` or "
             "`present`, and `count` are the region's input in its assessment file "
             "(`items.<id>`).", ""]
    worked = worked_examples()
    for union, examples in unions:
        for kind, variant in union.variants.items():
            lines += _method_section(union, kind, variant, examples, worked.get(kind, []))
    return lines


def _method_section(union, kind: str, variant: dict[str, Any], examples: list[Any],
                    worked) -> list[str]:
    if kind not in FORMULAS or not worked:
        raise QdocsError(f"scoring method {kind!r} has no formula or worked example in "
                         "qdocs/reference; add them before generating the reference")
    formula, reads = FORMULAS[kind]
    schema = {**variant, "$defs": union.defs}
    sections, _ = collect(schema, f"method-{kind}")
    for section in sections:
        inner = [section.data_path, *section.also_data]
        places = [union.data_path, *union.also_data]
        paths = [p + ((union.key, kind),) + i for p in places for i in inner]
        section.data_path, section.also_data = paths[0], paths[1:]
    links = {s.ref: s.anchor for s in sections if s.ref}
    lines = [f'<a id="method-{kind}"></a>', f"### `{kind}`", "",
             one_line(variant.get("description", "")), "", f"**Formula.** {formula}", "",
             f"**Input** (assessment): `{reads}`.", "", "**Parameters:**", ""]
    for section in sections:
        if section.path:
            lines += ["", f'<a id="{section.anchor}"></a>', f"`{section.path}`:", ""]
        lines += table(HEADER, field_rows(section, schema["$defs"], links, examples))
    main_example, *variants = worked
    lines += ["", "**Worked example.**", ""] + _worked_lines(main_example)
    for other in variants:
        lines += [f"**The same with {_difference(main_example, other)}.**", ""]
        lines += _worked_lines(other)
    return lines


def _worked_lines(worked) -> list[str]:
    lines = ["```yaml", f"points: {inline(worked.points)}",
             f"method: {inline(worked.method)}",
             f"# assessment: items.<id>: {inline(worked.given)}"]
    if worked.others:
        lines.append(f"# the other regions' values: {inline(worked.others)}")
    if worked.rounding != "exact":
        lines.append(f"# scoring_rules.yaml: rounding: {{items: {worked.rounding}}}")
    lines += ["```", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(worked.steps, 1)]
    lines += ["", f"The engine gives **{worked.shown}** of {inline(worked.points)}"
              + (f"; the report card says: {worked.reason}" if worked.reason else "")
              + ".", ""]
    return lines


def _difference(first, other) -> str:
    """What sets a further worked example apart from the first, e.g. `partial: ignore`."""
    changed = [f"`{k}: {inline(v)}`" for k, v in other.method.items()
               if first.method.get(k) != v]
    changed += [f"input `{inline(other.given)}`" for _ in [0] if other.given != first.given]
    if other.rounding != first.rounding:
        changed.append(f"`rounding.items: {other.rounding}`")
    return " and ".join(changed) or "the same data"


def _content_data(root: Path, *, drop_mark: bool) -> dict[str, list[Any]]:
    """The data of each kind of content file under `root` (every assessment)."""
    out = {}
    for spec in CONTENT_FILES:
        data = [read_yaml(path).data for path in sorted(root.glob(spec.pattern))]
        out[spec.pattern] = [_drop_marked(d) for d in data] if drop_mark else data
    return out


def _drop_marked(data: Any) -> Any:
    """The skeleton's data without values that hold the year mark (shown from elsewhere)."""
    if isinstance(data, dict):
        return {k: _drop_marked(v) for k, v in data.items() if YEAR_MARK not in inline(v)}
    if isinstance(data, list):
        return [_drop_marked(v) for v in data]
    return data


def _skeleton_text(spec: ContentFile) -> str:
    paths = sorted((SKELETON_DIR / "content").glob(spec.pattern))
    return paths[0].read_text(encoding="utf-8") if paths else ""


def _example_name(spec: ContentFile) -> str:
    paths = sorted((SKELETON_DIR / "content").glob(spec.pattern))
    return paths[0].relative_to(SKELETON_DIR / "content").as_posix() if paths else spec.pattern


def _file_anchor(spec: ContentFile) -> str:
    return "file-" + spec.schema_name.removesuffix(".schema.json").replace("_", "-")
