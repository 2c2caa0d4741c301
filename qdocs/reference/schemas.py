"""JSON Schemas of the content files, generated from the pydantic models.

Editors that speak the yaml-language-server protocol (VS Code's YAML extension,
Neovim, JetBrains) read these to complete and check fields while a clerk types.
Nothing here restates a field: every schema is the model's own, with two
repairs pydantic leaves to the caller — defaults made by factories are shown,
and the `gt`/`ge` bounds of exact numbers become standard JSON Schema keywords.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from qdocs.content.models import ActionPlan, Bulletin, Departments, Notice, Regions, Settings
from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.errors import QdocsError

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# An exact number may be typed as text ("0.01"): digits, one optional point, a sign.
DECIMAL_TEXT = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


@dataclass(frozen=True)
class ContentFile:
    """One kind of content file: where it lives in a project and the model that reads it."""

    pattern: str          # path inside the content folder; `assessments/*.yaml` for many
    model: type[BaseModel]
    schema_name: str      # file name of its schema, e.g. notice.schema.json
    needed: str           # whether a project must have it, in the reference's words

    @property
    def depth(self) -> int:
        """How many folders below the content folder the file sits."""
        return self.pattern.count("/")


REQUIRED, OPTIONAL = "required", "optional"
PER_REGION = "one per region, with scoring_rules.yaml"

# The loader (qdocs.content) decides what is required; tests/test_reference.py checks
# this table against it by removing files from a project.
CONTENT_FILES = (
    ContentFile("qdocs.yaml", Settings, "qdocs.schema.json", REQUIRED),
    ContentFile("notice.yaml", Notice, "notice.schema.json", REQUIRED),
    ContentFile("departments.yaml", Departments, "departments.schema.json", REQUIRED),
    ContentFile("regions.yaml", Regions, "regions.schema.json", REQUIRED),
    ContentFile("action_plan.yaml", ActionPlan, "action_plan.schema.json", OPTIONAL),
    ContentFile("scoring_rules.yaml", ScoringRules, "scoring_rules.schema.json", OPTIONAL),
    ContentFile("assessments/*.yaml", Assessment, "assessment.schema.json", PER_REGION),
    ContentFile("bulletin.yaml", Bulletin, "bulletin.schema.json", OPTIONAL),
)


class _Generator(GenerateJsonSchema):
    """pydantic's generator, also showing defaults that a factory makes (formats: [pdf, …])."""

    def get_default_value(self, schema: Any) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()
        return super().get_default_value(schema)


def content_file(relative: str) -> ContentFile | None:
    """The kind of content file at `relative` (a path inside the content folder), if any."""
    for spec in CONTENT_FILES:
        folder, _, name = spec.pattern.rpartition("/")
        rel_folder, _, rel_name = relative.rpartition("/")
        if folder == rel_folder and (name == rel_name or (name == "*.yaml"
                                                          and rel_name.endswith(".yaml"))):
            return spec
    return None


def file_schema(spec: ContentFile) -> dict[str, Any]:
    """The JSON Schema of one content file."""
    schema = spec.model.model_json_schema(schema_generator=_Generator)
    _standardise(schema)
    return {"$schema": DRAFT, "title": spec.pattern, **{k: v for k, v in schema.items()
                                                        if k != "title"}}


def write_schemas(out_dir: Path) -> list[Path]:
    """Write one `<name>.schema.json` per content file into `out_dir`; the paths written."""
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for spec in CONTENT_FILES:
            path = out_dir / spec.schema_name
            text = json.dumps(file_schema(spec), ensure_ascii=False, indent=2)
            path.write_text(text + "\n", encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise QdocsError(f"cannot write the schemas into {out_dir}: "
                         f"{exc.strerror or exc}") from exc
    return written


def schema_comment(spec: ContentFile, schemas_from_content: str = "../schemas") -> str:
    """The first line of a content file that points editors at its schema.

    `schemas_from_content` is the schemas folder as seen from the content folder;
    yaml-language-server resolves the path from the file itself.
    """
    up = "../" * spec.depth
    return f"# yaml-language-server: $schema={up}{schemas_from_content}/{spec.schema_name}\n"


def _standardise(node: Any) -> None:
    """Turn pydantic's `gt`/`ge`/`lt`/`le` beside an `anyOf` of number and text into
    standard keywords on the number branch, and constrain the text branch to a number."""
    if isinstance(node, list):
        for child in node:
            _standardise(child)
        return
    if not isinstance(node, dict):
        return
    bounds = {k: node.pop(k) for k in ("gt", "ge", "lt", "le") if k in node}
    branches = node.get("anyOf", [])
    if any(b.get("type") == "number" for b in branches) and any(
            b.get("type") == "string" for b in branches):
        for branch in branches:
            if branch.get("type") == "number":
                branch.update({_KEYWORDS[k]: v for k, v in bounds.items()})
            elif branch.get("type") == "string" and "pattern" not in branch:
                branch["pattern"] = DECIMAL_TEXT
    elif bounds:
        node.update({_KEYWORDS[k]: v for k, v in bounds.items()})
    for child in node.values():
        _standardise(child)


_KEYWORDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum",
             "le": "maximum"}
