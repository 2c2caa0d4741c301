"""`qdocs lint` and `qdocs build --strict`: print the findings, choose the exit status.

0 when the text is clean, 1 when findings remain, 2 on bad input (raised as
ContentError and mapped by the CLI).
"""

from __future__ import annotations

from pathlib import Path

import click

from qdocs.errors import EXIT_FAILED, QdocsError
from qdocs.lint.rules import RULES
from qdocs.lint.run import Finding, lint_project


class LintFindings(QdocsError):
    """`build --strict` refused: the content has lint findings (exit 1)."""

    exit_code = EXIT_FAILED


def run_lint_command(content_dir: Path, *, fix: bool) -> int:
    """Lint (after fixing, with --fix) and print; the exit status."""
    if fix:
        from qdocs.lint.fix import fix_project

        report = fix_project(content_dir)
        for shown, count in report.fixed.items():
            click.echo(f"fixed {count} in {shown}", err=True)
        for shown, why in report.skipped.items():
            click.echo(f"not fixed: {shown}: {why}", err=True)
    findings = lint_project(content_dir)
    for finding in findings:
        click.echo(str(finding))
    click.echo(summary(content_dir, findings), err=True)
    return EXIT_FAILED if findings else 0


def print_rules() -> int:
    """`qdocs lint --rules`: each rule's id, whether --fix can fix it, and its source."""
    for rule in RULES:
        click.echo(f"{rule.id:<18} {'fix' if rule.fixable else '   '}  {rule.clause}")
    return 0


def summary(content_dir: Path, findings: list[Finding]) -> str:
    if not findings:
        return f"{content_dir}: lint-clean"
    files = len({f.file for f in findings})
    fixable = sum(f.fixable for f in findings)
    return (f"{len(findings)} finding{'s' * (len(findings) != 1)} in {files} "
            f"file{'s' * (files != 1)}; {fixable} can be fixed with `qdocs lint --fix`")


def refuse_unless_clean(content_dir: Path) -> None:
    """For `build --strict`: raise LintFindings (listing them) unless the text is clean."""
    findings = lint_project(content_dir)
    if findings:
        lines = [str(f) for f in findings]
        raise LintFindings("\n".join(lines + [
            f"build --strict refused: {summary(content_dir, findings)}"]))
