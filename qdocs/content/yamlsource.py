"""Read one YAML file safely and remember where every value stands.

`yaml.safe_load` semantics only (no Python objects, no tags beyond the core
schema), plus what safe_load lacks for user-edited files: duplicate keys are an
error, aliases are counted (an alias bomb is refused), files over a size limit,
nesting deeper than PyYAML's recursion can take and control characters are
refused, the encoding must be UTF-8 (a BOM is fine, GBK is refused with the way
to fix it). PyYAML's messages are reworded where office users meet them (a tab,
a full-width colon, an unclosed bracket or quote: where it began). The result is
the plain data and a map from field path (a tuple of keys and indexes) to (line,
column), 1-based, so a validation error can say `file:line:col field.path: message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qdocs.errors import ContentError, Problem, display_path

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: the Python reader alone
    CParser = None

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 100
MAX_NODES = 200_000
MAX_DEPTH = 64          # content files nest about 8 deep; PyYAML composes recursively

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its data and where each field path stands in it."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]]

    def locate(self, field: Path_) -> tuple[int | None, int | None]:
        """Line and column of `field`, or of its nearest located ancestor."""
        for n in range(len(field), -1, -1):
            pos = self.positions.get(tuple(field[:n]))
            if pos is not None:
                return pos
        return (None, None)

    def problem(self, field: Path_, message: str) -> Problem:
        line, col = self.locate(field)
        return Problem(display_path(self.path), line, col, format_field(field), message)


def format_field(field: Path_) -> str:
    """('categories', 1, 'items', 3, 'points') → 'categories[1].items[3].points'."""
    out = ""
    for part in field:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(str(part)) and str(part).isprintable():
            out += ("." if out else "") + str(part)
        else:  # spaces, punctuation, invisibles, or an empty key: show exactly what it is
            out += f"[{str(part)!r}]"
    return out


_PLAIN_KEY = re.compile(r"[^\s.\[\]:'\"]+")


class _Checks:
    """PyYAML's Python composer, counting aliases and depth as it composes and
    remembering where each alias stands."""

    def _start_checks(self, shown: str) -> None:
        self.shown = shown
        self.aliases: list[tuple[Any, Node]] = []   # (mark of the *name, the node it names)
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.depth >= MAX_DEPTH:
            raise ContentError([_at(self.shown, self.peek_event().start_mark, (
                f"lists and mappings nested more than {MAX_DEPTH} levels deep"))])
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if len(self.aliases) >= MAX_ALIASES:
                raise ContentError([_at(self.shown, event.start_mark, (
                    f"more than {MAX_ALIASES} aliases (*name): refused as a possible "
                    "alias bomb"))])
            node = self.anchors.get(event.anchor)
            if node is not None:
                self.aliases.append((event.start_mark, node))
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_Checks, yaml.SafeLoader):
    """The pure-Python reader: its messages are the ones users see."""

    def __init__(self, stream: str, shown: str):
        yaml.SafeLoader.__init__(self, stream)
        self._start_checks(shown)


if CParser is not None:
    class _FastLoader(_Checks, yaml.composer.Composer, CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser under the same Python composer and checks (about 4×
        faster). Any fault is read again by _Loader, so every message stays the same."""

        def __init__(self, stream: str, shown: str):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._start_checks(shown)


def _at(shown: str, mark, message: str) -> Problem:
    """A problem at a PyYAML mark (0-based) of file `shown`."""
    return Problem(shown, mark.line + 1, mark.column + 1, "", message)


# PyYAML's words for where a fault began and what it found, in the words of someone
# editing the file.
_TOKENS = {
    "<block end>": "the end of the indented block",
    "'<block mapping start>'": "a more indented key",
    "'<block sequence start>'": "a more indented list ('- ')",
    "'<scalar>'": "more text",
    "'<stream end>'": "the end of the file",
}
_CONTEXTS = {
    "while parsing a flow sequence": "the [ ] list",
    "while parsing a flow mapping": "the { } mapping",
    "while scanning a quoted scalar": "the quoted text",
    "while parsing a block mapping": "the block of key: value lines",
    "while parsing a block collection": "the indented block",
    "while scanning a simple key": "the key",
}


def read_yaml(path: Path, *, required: bool = True) -> YamlDocument:
    """Parse `path` into a YamlDocument; raise ContentError with a location on any fault."""
    shown = display_path(path)
    if not path.is_file():
        raise ContentError([Problem(shown, None, None, "", "file not found")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError([Problem(shown, None, None, "", (
            f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
            "split it or remove what does not belong"))])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, None, None, "", (
            f"cannot read the file: {exc.strerror or exc}"))]) from None
    text = _decode(raw, shown)
    _check_printable(text, shown)
    if text.strip() == "":
        raise ContentError([Problem(shown, 1, 1, "", "file is empty; expected a YAML mapping")])
    if CParser is not None:
        try:
            return _parse(_FastLoader(text, shown), path, shown)
        except ContentError:
            pass  # read again below, for the message
    return _parse(_Loader(text, shown), path, shown)


def _parse(loader, path: Path, shown: str) -> YamlDocument:
    """Compose with `loader`, check aliases, depth and keys, index positions, construct."""
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(shown, 1, 1, "", "file holds no YAML document")])
        sizes: dict[int, int] = {}
        if loader.aliases and _expanded_size(node, sizes) > MAX_NODES:
            # Point at the alias that copies the most: the line that makes the bomb.
            mark, _ = max(loader.aliases, key=lambda use: sizes.get(id(use[1]), 0))
            raise ContentError([_at(shown, mark, (
                f"aliases (*name) expand to more than {MAX_NODES:,} values: refused as a "
                "possible alias bomb"))])
        positions: dict[Path_, tuple[int, int]] = {}
        _check_and_index(node, (), positions, shown, set())
        data = _construct(loader, node)
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_yaml_problem(shown, exc)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, None, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, positions)


def _yaml_problem(shown: str, exc: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's fault at its mark, saying where an unclosed list or quote began."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    message = exc.problem or str(exc)
    if "found character '\\t'" in message or "\t" in message:
        return Problem(shown, line, col, "", (
            "invalid YAML: a tab character; YAML indentation must use spaces"))
    if message.startswith("could not determine a constructor for the tag"):
        tag = message.split("'")[1].replace("tag:yaml.org,2002:", "!!")
        return Problem(shown, line, col, "", (
            f"the tag {tag} is not allowed: write plain text, numbers, true/false, "
            "lists and key: value lines"))
    begun = exc.context_mark
    if message == "could not find expected ':'" and begun is not None and begun.buffer:
        # The Chinese input method's ： is the commonest cause: point at it.
        start = begun.pointer - begun.column
        end = begun.buffer.find("\n", start)
        line_text = begun.buffer[start:end if end >= 0 else None]
        if "：" in line_text:
            return Problem(shown, begun.line + 1, line_text.index("：") + 1, "", (
                "invalid YAML: a full-width colon ：; after a key type a half-width colon "
                "and a space (: )"))
    if message == "mapping values are not allowed here":
        # `title: 关于: 通知`: a second ': ' on a line whose value is plain text.
        message += "; a text holding ': ' must be put in quotes"
    for token, words in _TOKENS.items():
        message = message.replace(token, words)
    if exc.context and begun is not None and mark is not None and begun.line != mark.line:
        what = _CONTEXTS.get(exc.context, exc.context.removeprefix("while parsing "))
        message += f" (in {what} that begins at line {begun.line + 1}, column {begun.column + 1})"
    return Problem(shown, line, col, "", f"invalid YAML: {message}")


def _check_printable(text: str, shown: str) -> None:
    """YAML forbids control characters; they come with text pasted from PDFs and web pages."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        at = bad.start()
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise ContentError([Problem(shown, line, col, "", (
            f"an invisible control character (U+{ord(bad.group()):04X}) that YAML does not "
            "allow; delete it"))])


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8 only. A BOM is accepted (Windows Notepad writes one); GBK is refused with advice."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise ContentError([Problem(shown, None, None, "", (
            "file contains NUL bytes (saved as UTF-16?); save it as UTF-8"))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # The column in characters: what precedes the bad byte on its line is valid UTF-8.
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8")) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " (it looks like GBK/GB18030)"
        except UnicodeDecodeError:
            pass
        raise ContentError([Problem(shown, line, col, "", (
            f"file is not UTF-8{hint}; in WPS or Notepad use 另存为 → 编码 UTF-8 and save again"
        ))]) from None


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """How many values the document holds once aliases are expanded (memoised: linear)."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = 1  # a recursive alias counts once, then resolves to the node
    if isinstance(node, MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def _check_and_index(node: Node, field: Path_, positions, shown: str, seen: set[int]) -> None:
    """Record the position of every node; reject duplicate keys and non-scalar keys."""
    if id(node) in seen:  # an alias: its node was indexed where it was defined
        return
    seen.add(id(node))
    positions.setdefault(field, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, MappingNode):
        keys_seen: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ContentError([Problem(
                    shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    _fmt(field), "a key must be plain text")])
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ContentError([Problem(
                    shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    _fmt(field), "merge keys (<<) are not supported; write the fields out")])
            key = key_node.value
            if key in keys_seen:
                first = keys_seen[key].start_mark.line + 1
                raise ContentError([Problem(
                    shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    _fmt(field + (key,)), f"duplicate key (first given on line {first})")])
            keys_seen[key] = key_node
            child = field + (key,)
            positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _check_and_index(value_node, child, positions, shown, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _check_and_index(item, field + (i,), positions, shown, seen)


def _fmt(field: Path_) -> str:
    return format_field(field)


def _construct(loader: _Loader, node: Node) -> Any:
    """Build plain Python data; every key is kept as text, timestamps stay text."""
    constructor = _TextConstructor()
    return constructor.construct_document(node)


class _TextConstructor(SafeConstructor):
    """SafeConstructor that keeps dates as text and keys as strings.

    Office users write `2020年5月6日` or `2020-05-06`; the model decides what a
    date is, not YAML's timestamp resolver.
    """

    def construct_yaml_timestamp(self, node):  # noqa: D102 - PyYAML hook
        return self.construct_scalar(node)

    def construct_yaml_int(self, node):  # noqa: D102 - PyYAML hook
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses to read an int of more than 4300 digits
            raise yaml.constructor.ConstructorError(
                None, None, "a number thousands of digits long", node.start_mark) from None

    def construct_yaml_float(self, node):  # noqa: D102 - PyYAML hook
        # Scores are exact: 0.1 in a file is Decimal("0.1"), never a binary float.
        text = self.construct_scalar(node).replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return super().construct_yaml_float(node)


_TextConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _TextConstructor.construct_yaml_timestamp)
_TextConstructor.add_constructor(
    "tag:yaml.org,2002:int", _TextConstructor.construct_yaml_int)
_TextConstructor.add_constructor(
    "tag:yaml.org,2002:float", _TextConstructor.construct_yaml_float)
