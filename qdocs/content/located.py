"""Validate a parsed YAML file against a model and say where each fault stands.

Pydantic reports a fault at a `loc` such as ('method', 'target_deduct', 'step'),
where 'target_deduct' is the member of a tagged union it tried, not a key in the
file. Walking the file's own data along the loc drops such segments, so the
user reads `file:line:col items[3].method.step: must be greater than 0` — the
path they can find in their editor — and every fault of the file at once.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from qdocs.content.yamlsource import YamlDocument
from qdocs.errors import ContentError, Problem

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: YamlDocument, model: type[M]) -> M:
    """`model` validated from `doc.data`; or ContentError with every located problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_problem(doc, model, err) for err in exc.errors()]
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ContentError(problems) from None


def _problem(doc: YamlDocument, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    field = _file_path(doc.data, err["loc"])
    kind = err["type"]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field += (err["ctx"]["discriminator"].strip("'"),)
    message = _message(err)
    if kind == "extra_forbidden":
        known = _fields_at(model, err["loc"][:-1])
        guess = difflib.get_close_matches(str(err["loc"][-1]), sorted(known), n=1, cutoff=0.6)
        if guess:
            message += f" (did you mean {guess[0]!r}?)"
        elif known:
            message += f"; expected one of: {', '.join(sorted(known))}"
    return doc.problem(field, message)


def _file_path(data: Any, loc: tuple) -> tuple:
    """The loc's segments that are keys or indexes of the file's data (plus a missing last key)."""
    out: list = []
    node = data
    for n, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif n == len(loc) - 1 and isinstance(node, dict):
            pass  # a missing field: report it under its parent's position
        else:
            continue  # a union member's tag, not a place in the file
        out.append(part)
    return tuple(out)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _message(err: dict[str, Any]) -> str:
    """What was expected, in the words of someone editing YAML."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    simple = {
        "missing": "missing required field",
        "extra_forbidden": "unknown field",
        "finite_number": "must be a finite number",
        "list_type": f"must be a list; got {_shown(got)}",
        "dict_type": f"must be a mapping (key: value lines); got {_shown(got)}",
        "model_type": f"must be a mapping (key: value lines); got {_shown(got)}",
        "model_attributes_type": f"must be a mapping (key: value lines); got {_shown(got)}",
        "string_type": f"must be text; got {_shown(got)}",
        "bool_type": f"must be true or false; got {_shown(got)}",
        "bool_parsing": f"must be true or false; got {_shown(got)}",
        "int_type": f"must be a whole number; got {_shown(got)}",
        "int_parsing": f"must be a whole number; got {_shown(got)}",
        "int_from_float": f"must be a whole number; got {_shown(got)}",
        "decimal_type": f"must be a number; got {_shown(got)}",
        "decimal_parsing": f"must be a number; got {_shown(got)}",
        "string_too_short": "must not be empty",
        "union_tag_not_found": "missing required field",
    }
    if kind in simple:
        return simple[kind]
    bounds = {"greater_than": ("gt", "greater than"),
              "greater_than_equal": ("ge", "at least"),
              "less_than": ("lt", "less than"),
              "less_than_equal": ("le", "at most")}
    if kind in bounds:
        key, words = bounds[kind]
        return f"must be {words} {ctx[key]}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} entr{'y' if n == 1 else 'ies'}"
    if kind == "literal_error":
        return f"must be {ctx['expected']}; got {_shown(got)}"
    if kind == "union_tag_invalid":
        return f"must be one of {ctx['expected_tags']}; got {ctx['tag']!r}"
    msg = err["msg"]
    if kind == "value_error" and msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    return msg[:1].lower() + msg[1:]


def _fields_at(model: type[BaseModel], loc: tuple) -> set[str]:
    """Field names the model allows at `loc` (for 'did you mean'); empty if unknown."""
    candidates: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for tp in _expand(candidates):
            following.extend(_step(tp, part))
        candidates = following
    return {name for tp in _expand(candidates) if _is_model(tp) for name in tp.model_fields}


def _step(tp: Any, part: Any) -> list[Any]:
    if _is_model(tp):
        if isinstance(part, str) and part in tp.model_fields:
            return [tp.model_fields[part].annotation]
        kind = tp.model_fields.get("kind")
        if kind is not None and part in typing.get_args(kind.annotation):
            return [tp]  # the tag pydantic puts in a tagged union's loc
        return []
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (list, tuple) and isinstance(part, int) and args:
        return [args[0]]
    if origin is dict and len(args) == 2:
        return [args[1]]
    return []


def _expand(tps: list[Any]) -> list[Any]:
    """Unwrap Annotated[...] and unions into their members."""
    out: list[Any] = []
    for tp in tps:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            out.extend(_expand([typing.get_args(tp)[0]]))
        elif origin in (typing.Union, types.UnionType):
            out.extend(_expand(list(typing.get_args(tp))))
        else:
            out.append(tp)
    return out


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
