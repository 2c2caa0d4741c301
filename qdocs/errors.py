"""The errors qdocs reports to its users.

A `QdocsError` is an expected failure with a message for an office user, never a
traceback. `ContentError` carries every located problem found in one run, so the
user fixes them all at once (MkDocs' Config.validate does the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class QdocsError(Exception):
    """An expected failure: the message is for the user; exit status is `exit_code`."""

    exit_code = EXIT_FAILED


@dataclass(frozen=True)
class Problem:
    """One located problem: `file:line:col: field.path: message`."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(QdocsError):
    """Bad input: one or more located problems. Exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(QdocsError):
    """A bad command line (unknown format or target, unsafe output directory). Exit 2."""

    exit_code = EXIT_BAD_INPUT


class OutputError(QdocsError):
    """An output cannot be written (read-only folder, disk full). Exit 1."""


def display_path(path: Path | str) -> str:
    """Path as the user typed it: relative to the working directory where possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
