"""`qdocs lint --fix`: apply the mechanical fixes, keeping every comment and the layout.

The file is read back with ruamel.yaml's round-trip loader, only the changed strings
are replaced (in their own scalar style), and the file is written to a temporary
file and renamed into place. A file whose untouched round trip would not reproduce it
byte for byte is left alone and named, never rewritten in another layout.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qdocs.content.yamlsource import Path_
from qdocs.errors import QdocsError, display_path
from qdocs.lint.rules import RULES, TextContext
from qdocs.lint.run import is_paragraph, project_names, read_project, text_fields


@dataclass(frozen=True)
class FixReport:
    """What --fix did: fixes applied per file, and files it would not rewrite (with why)."""

    fixed: dict[str, int]
    skipped: dict[str, str]


def fix_text(text: str, ctx: TextContext) -> tuple[str, int]:
    """The text with every mechanical fix applied, and how many were applied."""
    count = 0
    # A fix can reveal another (，，，， → ，， → ，): repeat until none is left. Each pass
    # shortens or settles the text; the bound only guards against two rules undoing each
    # other.
    for _ in range(len(text) + 2):
        hits = [h for rule in RULES if rule.fixable and rule.scope == "field"
                for h in rule.find(text, ctx) if h.replacement is not None]
        if not hits:
            break
        applied_until = len(text) + 1
        for hit in sorted(hits, key=lambda h: (h.start, h.end), reverse=True):
            if hit.end > applied_until or (hit.end == applied_until and hit.start == hit.end):
                continue   # overlaps a fix already applied in this pass: next pass
            text = text[:hit.start] + hit.replacement + text[hit.end:]
            applied_until = hit.start
            count += 1
    return text, count


def fix_project(content_dir: Path) -> FixReport:
    """Fix every file of the project in place; returns what was done."""
    docs = read_project(content_dir)
    names = project_names(docs)
    fixed: dict[str, int] = {}
    skipped: dict[str, str] = {}
    for doc in docs:
        changes = {}
        for field, text in text_fields(doc.data):
            new, count = fix_text(text, TextContext(paragraph=is_paragraph(field), names=names))
            if count:
                changes[field] = (new, count)
        if not changes:
            continue
        shown = display_path(doc.path)
        why = _rewrite(doc.path, changes)
        if why:
            skipped[shown] = why
        else:
            fixed[shown] = sum(c for _, c in changes.values())
    return FixReport(fixed, skipped)


def _rewrite(path: Path, changes: dict[Path_, tuple[str, int]]) -> str | None:
    """Write the changed strings back with a ruamel.yaml round trip; None, or why not."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    source = raw.decode("utf-8-sig")
    crlf = "\r\n" in source        # Windows Notepad's line ends: kept as they were
    source = source.replace("\r\n", "\n")
    yaml = _faithful_yaml(source)
    if yaml is None:
        return ("ruamel.yaml cannot reproduce its layout exactly; apply the fixes by hand "
                "(see the findings)")
    data = yaml.load(source)
    for field, (new, _) in changes.items():
        parent = data
        for part in field[:-1]:
            parent = parent[part]
        old = parent[field[-1]]
        parent[field[-1]] = type(old)(new) if type(old) is not str else new
    text = _dump(yaml, data)
    if crlf:
        text = text.replace("\n", "\r\n")
    _write_atomically(path, ("\ufeff" if bom else "") + text)
    return None


def _faithful_yaml(source: str):
    """A round-trip YAML whose dump of the untouched file is the file itself, or None."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, guess, offset = load_yaml_guess_indent(source)
    tries = [(2, guess, offset or 0), (guess, guess, offset or 0)] + list(_INDENTS)
    for mapping, sequence, offset in tries:
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 1_000_000      # never fold a long line the user wrote on one line
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        if _dump(yaml, yaml.load(source)) == source:
            return yaml
    return None


# (mapping, sequence, offset) layouts people write: `- ` under its key or indented by 2.
_INDENTS = ((2, 2, 0), (2, 4, 2), (4, 4, 2), (4, 6, 4), (4, 4, 0))


def _dump(yaml, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _write_atomically(path: Path, text: str) -> None:
    """Temporary file beside the target, then rename: a failed write leaves the file intact."""
    try:
        mode = path.stat().st_mode & 0o777
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise QdocsError(f"{display_path(path)}: cannot write the fixed file: "
                         f"{exc.strerror or exc}") from None
