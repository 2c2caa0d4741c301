"""Build progress: a rich progress bar on a terminal, one summary line otherwise."""

from __future__ import annotations

import sys

import click


class BuildProgress:
    """Callbacks for `pipeline.build`: start, one advance per finished target, finish."""

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self._bar = None
        self._task = None

    def start(self, jobs, skipped) -> None:
        if self.interactive and jobs:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("", total=len(jobs))

    def advance(self, outcome) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=outcome.name)

    def finish(self, report) -> None:
        if self._bar is not None:
            self._bar.stop()
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        for job in report.rebuilt:
            mark = "FAILED" if job.name in report.failed else "built"
            click.echo(f"{mark:>7} {job.name}: {job.reason}")
        for name, error in report.failed.items():
            click.echo(f"error: {name}: {error}", err=True)
        for change in report.score_changes:
            click.echo(f"  score {change['text']}")
        built = sum(job.name not in report.failed for job in report.rebuilt)
        click.echo(f"{built} built, {len(report.skipped)} skipped, {len(report.failed)} failed "
                   f"in {report.seconds:.2f} s")
