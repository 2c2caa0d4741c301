"""Lint a content project: every text field of every YAML file, every rule, located findings.

Positions come from the project's located reader (content/yamlsource.py): the field's
line and column, then the hit's place inside the value found in the file's text, so a
finding points at the very character (`notice.yaml:9:31`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qdocs.content.yamlsource import Path_, YamlDocument, read_yaml
from qdocs.errors import ContentError, Problem, display_path
from qdocs.lint import registry
from qdocs.lint.rules import RULES, Hit, Rule, TextContext

# Fields that hold whole paragraphs (their last sentence takes 。): list items under
# these keys, and these keys themselves.
_PARAGRAPH_LISTS = {"body", "closing", "preamble"}
_PARAGRAPH_FIELDS = {"content", "notice"}
_TASK_FIELDS = {"heading", "body"}


@dataclass(frozen=True)
class Finding:
    """One broken norm at one place: `file:line:col rule-id: message → suggestion`."""

    file: str
    line: int | None
    column: int | None
    rule: str
    message: str
    suggestion: str
    fixable: bool

    def __str__(self) -> str:
        where = self.file + "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{where} {self.rule}: {self.message} → {self.suggestion}"


def content_files(content_dir: Path) -> list[Path]:
    """The project's YAML files, in a stable order."""
    return sorted(content_dir.glob("*.yaml")) + sorted((content_dir / "assessments").glob("*.yaml"))


def read_project(content_dir: Path) -> list[YamlDocument]:
    """Read every file; all unreadable files are reported at once (exit 2)."""
    if not content_dir.is_dir():
        raise ContentError([Problem(display_path(content_dir), None, None, "",
                                    "not a content folder")])
    docs, problems = [], []
    for path in content_files(content_dir):
        try:
            docs.append(read_yaml(path))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    if not docs:
        raise ContentError([Problem(display_path(content_dir), None, None, "",
                                    "no YAML files to lint")])
    return docs


def project_names(docs: list[YamlDocument]) -> registry.Names:
    by_name = {d.path.name: d.data for d in docs if d.path.parent == docs[0].path.parent}
    return registry.registry_names(by_name.get("departments.yaml"), by_name.get("regions.yaml"))


def lint_project(content_dir: Path) -> list[Finding]:
    """Every finding of every rule in the project, by file, line and column."""
    docs = read_project(content_dir)
    names = project_names(docs)
    findings: list[Finding] = []
    for doc in docs:
        findings.extend(lint_document(doc, names))
    return findings


def lint_document(doc: YamlDocument, names: registry.Names) -> list[Finding]:
    """The findings of one file."""
    source = doc.path.read_text(encoding="utf-8-sig")
    shown = display_path(doc.path)
    out = []
    for field, text, hit, rule in document_hits(doc.data, names):
        line, col = _place(doc, source, field, text, hit)
        words = {"found": text[hit.start:hit.end], **hit.words}
        out.append(Finding(shown, line, col, rule.id, rule.message.format(**words),
                           rule.suggestion.format(**words),
                           rule.fixable and hit.replacement is not None))
    return sorted(out, key=lambda f: (f.line or 0, f.column or 0, f.rule))


def document_hits(data, names: registry.Names) -> Iterator[tuple[Path_, str, Hit, Rule]]:
    """(field, text, hit, rule) for every text field of one file's data."""
    for field, text in text_fields(data):
        ctx = TextContext(paragraph=is_paragraph(field), names=names)
        for rule in RULES:
            if rule.scope == "field":
                for hit in rule.find(text, ctx):
                    yield field, text, hit, rule
    for group in sibling_texts(data):
        joined = "\n".join(text for _, text in group)
        starts, at = [], 0
        for _, text in group:
            starts.append(at)
            at += len(text) + 1
        for rule in RULES:
            if rule.scope != "siblings":
                continue
            for hit in rule.find(joined, TextContext(names=names)):
                k = max(i for i, s in enumerate(starts) if s <= hit.start)
                field, text = group[k]
                yield field, text, Hit(hit.start - starts[k], hit.end - starts[k], None,
                                       hit.words), rule


def text_fields(data, field: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string value (not keys), with its field path."""
    if isinstance(data, str):
        yield field, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from text_fields(value, field + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_fields(value, field + (i,))


def sibling_texts(data, field: Path_ = ()) -> Iterator[list[tuple[Path_, str]]]:
    """Groups whose typed ordinals form one sequence: a list of strings, or a lone string."""
    if isinstance(data, str):
        yield [(field, data)]
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from sibling_texts(value, field + (key,))
    elif isinstance(data, list):
        if data and all(isinstance(v, str) for v in data):
            yield [(field + (i,), v) for i, v in enumerate(data)]
        else:
            for i, value in enumerate(data):
                yield from sibling_texts(value, field + (i,))


def is_paragraph(field: Path_) -> bool:
    """Does this field hold a paragraph, whose last sentence ends with 。?"""
    if len(field) >= 2 and isinstance(field[-1], int) and field[-2] in _PARAGRAPH_LISTS:
        return True
    if len(field) == 3 and field[0] == "tasks" and field[2] in _TASK_FIELDS:
        return True
    return bool(field) and field[-1] in _PARAGRAPH_FIELDS


def _place(doc: YamlDocument, source: str, field: Path_, text: str,
           hit: Hit) -> tuple[int | None, int | None]:
    """Line and column of the hit's first character in the file (the field's, if not found)."""
    line, col = doc.locate(field)
    if line is None:
        return line, col
    lines = source.split("\n")
    origin = sum(len(s) + 1 for s in lines[:line - 1]) + (col or 1) - 1
    seg_start = text.rfind("\n", 0, hit.start) + 1
    seg_end = text.find("\n", hit.start)
    seg_end = len(text) if seg_end < 0 else seg_end
    lo = max(seg_start, hit.start - 12)
    snippet = text[lo:min(seg_end, max(hit.end, hit.start + 1) + 12)]
    found = source.find(snippet, origin) if snippet else -1
    if found < 0:
        return line, col
    at = found + hit.start - lo
    line_no = source.count("\n", 0, at) + 1
    return line_no, at - (source.rfind("\n", 0, at) + 1) + 1
