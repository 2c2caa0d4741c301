"""Assessments written back as YAML: the existing file edited in place, comments kept.

The YAML stays the reviewed, versioned record, so an import touches only what
changed: ruamel.yaml's round trip keeps the file's comments, order, quoting and
flow style, and an input equal to the one on file (96 vs 96.0) is left as
typed. A region without a file gets a new one in the layout of the example.
"""

from __future__ import annotations

import io
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
    y = _yaml()
    if text is None:
        doc = CommentedMap()
        doc.yaml_set_start_comment(heading)
        if new.sample:
            doc["sample"] = True
        doc["region"] = DoubleQuotedScalarString(new.region)
        doc["items"] = CommentedMap()
    else:
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
    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
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
