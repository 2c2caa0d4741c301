"""The check report for people (a table per document) and for scripts (JSON).

The table puts the verdict first and keeps expected beside measured, so a failing
row reads as "wanted X, got Y"; the summary line counts every status, so checks that
were not verified are as visible as failures.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table

from qdocs.check.records import FAIL, NOT_APPLICABLE, NOT_VERIFIED, PASS, DocumentReport

_STYLE = {PASS: "green", FAIL: "bold red", NOT_VERIFIED: "yellow", NOT_APPLICABLE: "dim"}

# Width of the table when the output is not a terminal (a log, a pipe): wide enough
# that expected and measured values are not folded into narrow columns.
PLAIN_WIDTH = 200


def write_json(reports: list[DocumentReport], out: TextIO | None = None) -> None:
    """A JSON list of {document, kind, checks: [{rule, clause, expected, measured, status,
    detail}]}."""
    out = out or sys.stdout
    json.dump([r.as_dict() for r in reports], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_tables(reports: list[DocumentReport], out: TextIO | None = None,
                 *, hide_na: bool = False) -> None:
    """One table per document, then a summary line."""
    out = out or sys.stdout
    terminal = out.isatty() if hasattr(out, "isatty") else False
    console = Console(file=out, width=None if terminal else PLAIN_WIDTH,
                      no_color=not terminal, highlight=False, soft_wrap=False)
    for report in reports:
        table = Table(title=f"{report.document} ({report.kind})", title_justify="left",
                      show_lines=False, expand=False)
        for name, kw in (("status", {"no_wrap": True}), ("rule", {"no_wrap": True}),
                         ("clause", {"no_wrap": True}), ("expected", {"ratio": 3}),
                         ("measured", {"ratio": 3}), ("detail", {"ratio": 4})):
            table.add_column(name, **kw)
        for check in report.checks:
            if hide_na and check.status == NOT_APPLICABLE:
                continue
            table.add_row(f"[{_STYLE[check.status]}]{check.status}[/]", check.rule,
                          check.clause, check.expected, check.measured, check.detail)
        console.print(table)
        console.print()
    console.print(summary(reports))


def summary(reports: list[DocumentReport]) -> str:
    """"3 documents, 120 checks: 100 pass, 2 fail, 3 not verified, 15 n/a", and the
    documents that failed."""
    counts = Counter(c.status for r in reports for c in r.checks)
    total = sum(counts.values())
    parts = [f"{counts.get(s, 0)} {s}" for s in (PASS, FAIL, NOT_VERIFIED, NOT_APPLICABLE)]
    failed = [r.document for r in reports if r.failed]
    documents = f"{len(reports)} document" + ("" if len(reports) == 1 else "s")
    line = f"{documents}, {total} checks: " + ", ".join(parts)
    if failed:
        line += "\nfailing: " + ", ".join(failed)
    return line
