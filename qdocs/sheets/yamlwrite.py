"""Assessments written back as YAML: the existing file edited in place, comments kept.

The YAML stays the reviewed, versioned record, so an import touches only what
changed: ruamel.yaml's round trip keeps the file's comments, order, quoting and
flow style, and an input equal to the one on file (96 vs 96.0) is left as
typed. A region without a file gets a new one in the layout of the example,
written directly (ruamel's emitter takes ~15 ms a file; the first collection
writes thousands); every string is plain only when YAML cannot read it as
anything else, otherwise double-quoted.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from qdocs.content.numbers import num
from qdocs.content.scoring_models import Assessment, ItemInput


def _decimal(representer, value: Decimal):
    text = num(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return representer.represent_scalar(tag, text)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(Decimal, _decimal)
    return y


def assessment_yaml(text: str | None, old: Assessment | None, new: Assessment,
                    heading: str) -> str:
    """The YAML of `new`: `text` (the file as it is, describing `old`) edited where they differ,
    or a new file headed by the comment `heading` when there is none."""
    if text is None:
        return new_assessment_yaml(new, heading)
    y = _yaml()
    doc = y.load(text)
    items = doc.setdefault("items", CommentedMap())
    for item_id, given in new.items.items():
        before = old.items.get(item_id) if old is not None else None
        if item_id not in items or before is None:
            items[item_id] = _flow_input(given)
        elif before != given:
            _edit_input(items[item_id], given, before)
    for key in ("bonuses", "penalties", "vetoes", "adjustments", "verified"):
        then, now = (getattr(old, key) if old is not None else []), getattr(new, key)
        if key == "verified" and key not in doc and not now:
            continue    # optional; written once a department has confirmed something
        if key not in doc or then != now:
            doc[key] = _list(doc.get(key), then, now, key)
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _flow_input(given: ItemInput) -> CommentedMap:
    node = CommentedMap()
    for key, value in given.model_dump(exclude_none=True).items():
        node[key] = _plain(value)
    node.fa.set_flow_style()
    return node


def _edit_input(node, given: ItemInput, before: ItemInput) -> None:
    """Change only the fields that differ, so an unchanged 96.0 stays 96.0."""
    wanted = given.model_dump(exclude_none=True)
    for key in [k for k in node if k not in wanted]:
        del node[key]
    for key, value in wanted.items():
        if key not in node or getattr(before, key) != value:
            node[key] = _plain(value)


def _plain(value):
    """A value for ruamel, quoted where PyYAML (YAML 1.1, which qdocs reads with) would take
    plain text for something else: ruamel writes `yes` plain, PyYAML reads it as true."""
    if isinstance(value, list):
        seq = CommentedSeq([_plain(v) for v in value])
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _scalar(value) != value:
        return DoubleQuotedScalarString(value)
    return value


def _list(node, then: list, now: list, key: str) -> CommentedSeq:
    """The list `now`, reusing the nodes (and their comments) of entries that did not change."""
    old_nodes = list(node) if isinstance(node, list) and len(node) == len(then) else []
    seq = CommentedSeq()
    for entry in now:
        if entry in then and old_nodes:
            seq.append(old_nodes[then.index(entry)])
            continue
        seq.append(_entry(entry, key))
    if not now:
        seq.fa.set_flow_style()
    return seq


def _entry(entry, key: str) -> CommentedMap:
    data = entry.model_dump(exclude_none=True, exclude_defaults=key != "adjustments")
    node = CommentedMap()
    for k, v in data.items():
        if k == "input":
            node[k] = _flow_input(entry.input)
        elif k == "count" and v == 1 and key != "adjustments":
            continue
        else:
            node[k] = _plain(v)
    return node


def new_assessment_yaml(a: Assessment, heading: str) -> str:
    """A new assessments/<code>.yaml for `a`, laid out as the example's files are."""
    lines = [f"# {line}" for line in heading.splitlines()]
    if a.sample:
        lines.append("sample: true")
    lines += [f"region: {json.dumps(a.region)}", "items:"]
    for item_id, given in a.items.items():
        lines.append(f"  {_scalar(item_id)}: {_flow(given.model_dump(exclude_none=True))}")
    for key in ("bonuses", "penalties", "vetoes", "adjustments", "verified"):
        entries = getattr(a, key)
        if key == "verified" and not entries:
            continue
        if not entries:
            lines.append(f"{key}: []")
            continue
        lines.append(f"{key}:")
        for entry in entries:
            data = entry.model_dump(exclude_none=True)
            if key in ("bonuses", "penalties") and data.get("count") == 1:
                del data["count"]
            for k, (name, value) in enumerate(data.items()):
                lead = "  - " if k == 0 else "    "
                shown = _flow(value) if isinstance(value, dict) else _value(value)
                lines.append(f"{lead}{name}: {shown}")
    return "\n".join(lines) + "\n"


def _flow(data: dict) -> str:
    return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in data.items()) + "}"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return num(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return _scalar(str(value))


# Plain only if it cannot be read as a number, bool, null, date or YAML syntax.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~][^:#,\[\]{}\n]*")
_SPECIAL = re.compile(r"(?i)(y|n|yes|no|true|false|on|off|null|~)")


def _scalar(text: str) -> str:
    if (_PLAIN.fullmatch(text) and not _SPECIAL.fullmatch(text) and text == text.strip()
            and ": " not in text and " #" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)
