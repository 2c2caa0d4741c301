"""The reference's part on totals, grades and ranks: what annex 2 prints for each setting.

The settings are the scheme's fields with a fixed set of values outside its lists
(`rounding.items`, `basis`, `veto.placement`, …), found in the JSON Schema; the
sentences are the ones annex 2 prints, made by `qdocs.scoring.describe` from the
skeleton's scheme with one setting changed at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qdocs.content.located import validate_document
from qdocs.content.scoring_models import ScoringRules
from qdocs.content.yamlsource import read_yaml
from qdocs.reference.fields import table
from qdocs.scoring.describe import describe_final, describe_grades, describe_veto


def policy_part(rules_file: Path, schema: dict[str, Any]) -> list[str]:
    """Markdown: the skeleton's annex-2 rule sentences, then one row per other setting value."""
    rules = validate_document(read_yaml(rules_file), ScoringRules)
    base = _sentences(rules)
    lines = ['<a id="totals"></a>', "## Totals, grades and ranks", "",
             "Annex 2 states how item scores become the published score, the grade and the "
             "rank; qdocs writes these sentences from the scheme's settings, and the engine "
             "follows the same settings. For the skeleton's `scoring_rules.yaml` annex 2 says:",
             ""]
    lines += ["\n>\n".join(f"> {s}" for s in base), ""]
    rows = []
    for path, values in settings(schema):
        current = _get(rules, path)
        for value in values:
            if value == current or current is None:
                continue
            changed = _sentences(_set(rules, path, value))
            said = " ".join(s for s in changed if s not in base)
            rows.append([f"`{'.'.join(path)}: {value}`", said or "(the same sentences)"])
    lines += ["With one setting changed, the sentence that changes reads:", ""]
    lines += table(["setting", "annex 2 then says"], rows)
    return lines


def settings(schema: dict[str, Any]) -> list[tuple[tuple[str, ...], list[str]]]:
    """(path, allowed values) of every enumerated field reachable without passing a list."""
    defs = schema.get("$defs", {})
    out = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        for branch in node.get("anyOf", []):
            if branch.get("type") != "null":
                walk(branch, path)
        if "enum" in node and len(node["enum"]) > 1:
            out.append((path, list(node["enum"])))
        for name, prop in node.get("properties", {}).items():
            walk(prop, path + (name,))

    walk(schema, ())
    return out


def _sentences(rules: ScoringRules) -> list[str]:
    texts = [describe_final(rules), describe_grades(rules)]
    if rules.veto is not None:
        texts.append(describe_veto(rules))
    return texts


def _get(model: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        model = getattr(model, name, None)
    return model


def _set(model: BaseModel, path: tuple[str, ...], value: Any) -> BaseModel:
    if len(path) == 1:
        return model.model_copy(update={path[0]: value})
    inner = getattr(model, path[0])
    return model.model_copy(update={path[0]: _set(inner, path[1:], value)})
