"""Field tables of the content reference, read from the JSON Schemas (hence from the models).

Each content file becomes a section: its fields (name, type, required or default,
description, an example value), then one table per nested mapping, titled by the
path a user writes (`blocks[].categories[].items[]`), never by a model's name.
A discriminated union (an item's `method:`) is only named here; its variants are
the scoring methods, documented in their own part (`methods.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

NOT_FOUND = object()


@dataclass
class Section:
    """One table: the fields of a mapping at `path` in a file."""

    anchor: str
    path: str                       # user-facing: `blocks[].categories[]`, "" at the top
    data_path: tuple                # how to find its example values in a file's data
    schema: dict[str, Any]
    ref: str | None = None          # its definition's name in the schema, for links
    also: list[str] = field(default_factory=list)
    also_data: list[tuple] = field(default_factory=list)


@dataclass
class Union:
    """A field whose mapping takes one of several shapes, chosen by `key` (`kind:`)."""

    path: str
    data_path: tuple
    key: str
    variants: dict[str, dict[str, Any]]    # key value → its object schema
    defs: dict[str, Any]                   # the definitions the variants refer to
    also_data: list[tuple] = field(default_factory=list)


def collect(schema: dict[str, Any], stem: str) -> tuple[list[Section], list[Union]]:
    """Every mapping of a file's schema as a section, in order of first appearance."""
    defs = schema.get("$defs", {})
    sections: list[Section] = []
    unions: list[Union] = []
    by_ref: dict[str, Section] = {}

    def visit(node: dict[str, Any], path: str, data_path: tuple, ref: str | None) -> None:
        if ref is not None and ref in by_ref:
            # Met again at another path: note it, and look inside again only to note the
            # other paths of what it holds (examples are searched at all of them).
            if data_path in by_ref[ref].also_data or len(data_path) > 32:
                return
            by_ref[ref].also.append(path)
            by_ref[ref].also_data.append(data_path)
        else:
            section = Section(_anchor(stem, ref or "top"), path, data_path, node, ref)
            sections.append(section)
            if ref is not None:
                by_ref[ref] = section
        for name, prop in node.get("properties", {}).items():
            walk(prop, _join(path, name), data_path + (name,))

    def walk(node: dict[str, Any], path: str, data_path: tuple) -> None:
        if "$ref" in node:
            ref = node["$ref"].rsplit("/", 1)[-1]
            visit(defs[ref], path, data_path, ref)
        elif "discriminator" in node:
            key = node["discriminator"]["propertyName"]
            mapping = node["discriminator"]["mapping"]
            order = {v["$ref"]: n for n, v in enumerate(node["oneOf"])}
            variants = {value: defs[target.rsplit("/", 1)[-1]]
                        for value, target in sorted(mapping.items(),
                                                    key=lambda kv: order[kv[1]])}
            known = next((u for u in unions if u.key == key and u.variants == variants), None)
            if known is None:
                unions.append(Union(path, data_path, key, variants, defs))
            elif data_path != known.data_path and data_path not in known.also_data:
                known.also_data.append(data_path)
        elif node.get("type") == "array":
            walk(node.get("items", {}), path + "[]", data_path + ("[]",))
        elif node.get("type") == "object" and "additionalProperties" in node:
            extra = node["additionalProperties"]
            if isinstance(extra, dict):
                walk(extra, path + ".*", data_path + ("*",))
        for branch in node.get("anyOf", []):
            walk(branch, path, data_path)

    visit(schema, "", (), None)
    return sections, unions


def describe_type(node: dict[str, Any], defs: dict[str, Any], links: dict[str, str]) -> str:
    """A field's type in words: `text`, `exact number > 0`, `list of text (at least 1)`, …"""
    if "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        target = links.get(ref)
        return f"mapping ([fields](#{target}))" if target else "mapping"
    if "discriminator" in node:
        key = node["discriminator"]["propertyName"]
        order = {target: name for name, target in node["discriminator"]["mapping"].items()}
        kinds = ", ".join(f"`{order[v['$ref']]}`" for v in node["oneOf"])
        return (f"mapping chosen by `{key}`: {kinds} (see [scoring methods]"
                f"(#scoring-methods))")
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    branches = node.get("anyOf")
    if branches:
        kept = [b for b in branches if b.get("type") != "null"]
        if {b.get("type") for b in kept} == {"number", "string"} and len(kept) == 2:
            number = next(b for b in kept if b.get("type") == "number")
            words = "exact number" + _bounds(number) + " (e.g. `97.2` or `\"0.01\"`)"
            return words + (" or nothing" if len(kept) < len(branches) else "")
        text = " or ".join(describe_type(b, defs, links) for b in kept)
        return text + (" or nothing" if len(kept) < len(branches) and kept else "")
    kind = node.get("type")
    if kind == "string":
        words = "text"
        if node.get("minLength"):
            words += ", not empty"
        if node.get("pattern"):
            words += f", matching `{node['pattern']}`".replace("|", "\\|")
        return words
    if kind == "integer":
        return "whole number" + _bounds(node)
    if kind == "number":
        return "number" + _bounds(node)
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "array":
        words = "list of " + describe_type(node.get("items", {}), defs, links)
        if node.get("minItems"):
            words += f" (at least {node['minItems']})"
        return words
    if kind == "object":
        keys = node.get("propertyNames", {})
        key_words = describe_type({"type": "string", **keys}, defs, links)
        value = node.get("additionalProperties")
        value_words = describe_type(value, defs, links) if isinstance(value, dict) else "any"
        words = f"mapping of {key_words} → {value_words}"
        if node.get("minProperties"):
            words += f" (at least {node['minProperties']} entries)"
        return words
    return "any value"


def find_example(data: Any, data_path: tuple) -> Any:
    """The first value at `data_path` in `data` (`[]` any list element, `*` any mapping value,
    `{key=value}` only mappings whose key has that value); NOT_FOUND if none."""
    if not data_path:   # an empty list or mapping shows nothing: look further
        return NOT_FOUND if data in ([], {}, None) else data
    step, rest = data_path[0], data_path[1:]
    if isinstance(step, tuple):                       # (key, value): a union variant
        if isinstance(data, dict) and data.get(step[0]) == step[1]:
            return find_example(data, rest)
        return NOT_FOUND
    if step == "[]" and isinstance(data, list):
        candidates = data
    elif step == "*" and isinstance(data, dict):
        candidates = list(data.values())
    elif isinstance(data, dict) and step in data:
        candidates = [data[step]]
    else:
        return NOT_FOUND
    for candidate in candidates:
        found = find_example(candidate, rest)
        if found is not NOT_FOUND:
            return found
    return NOT_FOUND


def show_value(value: Any, limit: int = 48) -> str:
    """A value as a table cell: inline YAML-like, cut with … when long."""
    if value is NOT_FOUND:
        return ""
    text = inline(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return f"`{text}`"


def field_rows(section: Section, defs: dict[str, Any], links: dict[str, str],
               examples: list[Any]) -> list[list[str]]:
    """Rows of a field table: field, type, required or default, description, example."""
    rows = []
    required = set(section.schema.get("required", []))
    for name, prop in section.schema.get("properties", {}).items():
        if name in required:
            need = "required"
        elif "default" in prop:
            need = "default " + show_value(prop["default"])
        else:
            need = "optional"
        example = NOT_FOUND
        for data, where in ((d, w) for d in examples
                            for w in [section.data_path, *section.also_data]):
            example = find_example(data, where + (name,))
            if example is not NOT_FOUND:
                break
        if isinstance(example, dict) and not _is_scalar_map(example) or (
                isinstance(example, list) and any(isinstance(e, dict) for e in example)):
            example = NOT_FOUND       # the nested table shows its fields' examples
        description = prop.get("description") or _ref_description(prop, defs)
        rows.append([f"`{name}`", describe_type(prop, defs, links), need,
                     one_line(description),
                     show_value(example)])
    return rows


def one_line(text: str) -> str:
    """A docstring or description as one table cell or paragraph."""
    return " ".join(text.split()).replace("|", "\\|")


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _is_scalar_map(value: dict) -> bool:
    return not any(isinstance(v, dict | list) for v in value.values())


def _ref_description(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    target = prop.get("$ref") or prop.get("items", {}).get("$ref")
    if target:
        return defs[target.rsplit("/", 1)[-1]].get("description", "")
    return ""


def _bounds(node: dict[str, Any]) -> str:
    words = []
    for key, sign in (("exclusiveMinimum", ">"), ("minimum", "≥"),
                      ("exclusiveMaximum", "<"), ("maximum", "≤")):
        if key in node:
            words.append(f"{sign} {node[key]}")
    return (" " + ", ".join(words)) if words else ""


def _anchor(stem: str, ref: str) -> str:
    return f"{stem}-{ref}".lower().replace("_", "-")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def inline(value: Any) -> str:
    """A value in YAML's flow style, as a user would type it on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and _needs_quotes(value):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _needs_quotes(text: str) -> bool:
    """Whether YAML would read `text`, unquoted in a flow collection, as something else."""
    if not text or text != text.strip() or any(c in text for c in ",[]{}#&*!|>'\"%@`"):
        return True
    if ": " in text or text.endswith(":") or text.startswith(("- ", "?")):
        return True
    try:
        return yaml.safe_load(text) != text
    except yaml.YAMLError:
        return True
