"""Validate a parsed YAML file against a model and say where each fault stands.

Pydantic reports a fault at a `loc` such as ('method', 'target_deduct', 'step'),
where 'target_deduct' is the member of a tagged union it tried, not a key in the
file. Walking the file's own data along the loc drops such segments, so the
user reads `file:line:col items[3].method.step: must be greater than 0` — the
path they can find in their editor — and every fault of the file at once. A
misspelt field is one fault (`pionts: unknown field (did you mean 'points'?)`),
not two; numbers in full-width digits or of absurd size are refused before
pydantic sees them, with what to type instead.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
import unicodedata
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from qdocs.content.text import text_problems
from qdocs.content.yamlsource import YamlDocument
from qdocs.errors import ContentError, Problem

M = TypeVar("M", bound=BaseModel)

# The largest number a content file may hold: 12 digits before the point, 6 after. Far
# beyond any score, count or percentage, and small enough that the engine's exact sums
# (60 digits, Inexact trapped) and the checks' default context never overflow.
MAX_WHOLE = 12
MAX_PLACES = 6


def validate_document(doc: YamlDocument, model: type[M]) -> M:
    """`model` validated from `doc.data`; or ContentError with every located problem."""
    problems = _number_problems(doc, model)
    taken = {p.field for p in problems}
    problems += [p for field, message in text_problems(doc.data)
                 if (p := doc.problem(field, message)).field not in taken]
    validated = None
    try:
        validated = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = _one_reading(doc.data, model, exc.errors())
        # `pionts:` is one mistake, not two: its "missing points" goes with "did you mean".
        typos = {(tuple(e["loc"][:-1]), _guess(model, e["loc"])) for e in errors
                 if e["type"] == "extra_forbidden"}
        taken = {p.field for p in problems}
        problems += [p for err in errors
                     if not (err["type"] == "missing"
                             and (tuple(err["loc"][:-1]), err["loc"][-1]) in typos)
                     and (p := _problem(doc, model, err)).field not in taken]
    if validated is not None and not problems:
        return validated
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    raise ContentError(problems) from None


def _one_reading(data: Any, model: type[BaseModel], errors: list[dict]) -> list[dict]:
    """One fault per place where a mapping stands instead of text.

    `- 一是: 加强…` is a paragraph YAML read as `key: value` (a mapping). Where the place
    also takes a model (a body item is text or a heading), pydantic reports each reading;
    keep the one the user meant: the model's if a key is one of its fields, else one
    message saying what happened.
    """
    pairs: dict[tuple, dict] = {}
    dropped: list[dict] = []
    for err in errors:
        if err["type"] != "string_type" or not isinstance(err.get("input"), dict):
            continue
        where = _file_path(data, err["loc"], err["type"])
        if set(map(str, err["input"])) & _fields_at(model, where):
            dropped.append(err)        # a heading with a fault: its own messages say which
        else:
            pairs[where] = err
    out = []
    for err in errors:
        if any(err is d for d in dropped):
            continue
        where = _file_path(data, err["loc"], err["type"])
        owner = next((p for p in pairs if where[:len(p)] == p), None)
        if owner is None:
            out.append(err)
        elif pairs[owner] is err:
            out.append({**err, "type": "key_value"})
    return out


def _problem(doc: YamlDocument, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    kind = err["type"]
    field = _file_path(doc.data, err["loc"], kind)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field += (err["ctx"]["discriminator"].strip("'"),)
    message = _message(err)
    if kind == "extra_forbidden":
        guess = _guess(model, err["loc"])
        known = _fields_at(model, err["loc"][:-1])
        if guess:
            message += f" (did you mean {guess!r}?)"
        elif known:
            message += f"; expected one of: {', '.join(sorted(known))}"
    return doc.problem(field, message)


def _guess(model: type[BaseModel], loc: tuple) -> str | None:
    """The allowed field name closest to the unknown one at `loc`, if one is close."""
    known = _fields_at(model, loc[:-1])
    guess = difflib.get_close_matches(str(loc[-1]), sorted(known), n=1, cutoff=0.6)
    return guess[0] if guess else None


def _number_problems(doc: YamlDocument, model: type[BaseModel]) -> list[Problem]:
    """Where the model wants a number: full-width digits, and sizes no content needs.

    `"８"` or `９７．２` is refused, saying what to type: pydantic would take `"８"` as a
    Decimal but not as an int, and one rule for every number is easier to explain
    than two. A number longer than MAX_WHOLE digits before the point or MAX_PLACES
    after it is a slip (or hostile): it would overflow, or make the exact engine's
    sums inexact, far from the line that caused it.
    """
    out = []
    for field, value in _leaves(doc.data, ()):
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            continue
        if not _wants_number(model, field):
            continue
        if isinstance(value, str):
            typed = _halfwidth(value)
            if typed is not None:
                out.append(doc.problem(field, (
                    f"must be a number in half-width digits: type {typed}, not {value!r}")))
                continue
        if _too_long(value):
            shown = _plain_number(value)
            shown = shown if len(shown) <= 24 else shown[:20] + "…"
            out.append(doc.problem(field, (
                f"must be a number of at most {MAX_WHOLE} digits before the point and "
                f"{MAX_PLACES} after it; got {shown}")))
    return out


def _too_long(value: str | int | Decimal) -> bool:
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except ArithmeticError:
        return False          # not a number at all: pydantic says so
    if not number.is_finite():
        return False          # pydantic refuses infinity and NaN in its own words
    _, digits, exponent = number.as_tuple()     # not normalize(): it would overflow
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0 and exponent < 0:   # 8.50 has 1 place
        digits.pop()
        exponent += 1
    return -exponent > MAX_PLACES or len(digits) + exponent > MAX_WHOLE


def _plain_number(value: str | int | Decimal) -> str:
    """As typed: `0.0000001`, not Decimal's `1E-7` (unless it is absurdly long)."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value.as_tuple().exponent) < 40:
        return format(value, "f")
    return str(value).strip()


def _leaves(data: Any, field: tuple) -> typing.Iterator[tuple[tuple, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, field + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, field + (i,))
    else:
        yield field, data


def _halfwidth(text: str) -> str | None:
    """`"９７．２"` → `"97.2"`: the number in ASCII, when `text` is one typed otherwise."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)
    if folded != text.strip() and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", folded):
        return folded
    return None


def _wants_number(model: type[BaseModel], field: tuple) -> bool:
    """Whether the model reads a whole number or a decimal at the file path `field`."""
    candidates: list[Any] = [model]
    for part in field:
        candidates = [nxt for tp in _expand(candidates) for nxt in _step(tp, part)]
    return any(tp in (int, Decimal) for tp in _expand(candidates))


def _file_path(data: Any, loc: tuple, kind: str) -> tuple:
    """The loc's segments that are keys or indexes of the file's data (plus a missing field).

    Other segments are pydantic's names for the member of a union it tried
    (`constrained-str`, `function-after[…]`, `Heading`, `[key]`): never shown.
    """
    out: list = []
    node = data
    for n, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif n == len(loc) - 1 and isinstance(node, dict) and kind == "missing":
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
    if kind == "key_value":
        key = next(iter(got), "") if isinstance(got, dict) else ""
        if isinstance(got, dict) and len(got) == 1:
            return (f"this line was read as `key: value` (the key {str(key)!r}); "
                    "put the paragraph in quotes")
        return ("must be text; got a mapping (key: value lines); if it is a paragraph "
                "holding ': ', put it in quotes")
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
        # A segment no member knows is pydantic's name for a union member: stay put.
        candidates = following or candidates
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
