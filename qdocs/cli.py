"""The command line: parse, call the library, map QdocsError to an exit status.

`main(argv)` can be called in-process by tests. No traceback reaches a user: an
expected failure prints its message and exits 2 (bad input) or 1 (failed); a fault
of the system (a file it cannot read or write) is a message and exit 1; anything else
is a bug, reported as "internal error" with exit 70 (`--debug` shows the traceback).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import traceback
from pathlib import Path

import click

from qdocs.errors import QdocsError, UsageError

CONTENT_OPTION = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
    show_default=True, help="the content project (its YAML files)")


EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE
_options = {"debug": False}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qdocs")
@click.option("--debug", is_flag=True, help="show the traceback of an internal error")
def cli(debug: bool) -> None:
    """qdocs: YAML content → GB/T 9704-2012 documents (PDF, DOCX, HTML)."""
    _options["debug"] = debug


@cli.command()
@CONTENT_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="output directory [default: the project's build_dir, build/]")
@click.option("--format", "formats", default=None, metavar="pdf,docx,html",
              help="formats to write, comma-separated [default: the project's]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="worker processes [default: the number of cores]")
@click.option("--force", is_flag=True, help="rebuild every target")
@click.option("--strict", is_flag=True,
              help="refuse to build (exit 1) while `qdocs lint` has findings")
@click.option("--no-wait", is_flag=True,
              help="when another build is writing the output folder, exit 2 instead of waiting")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="where targets run: a local process pool, or Dask")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="with --executor dask: the scheduler's address [default: a local cluster]")
@click.argument("targets", nargs=-1)
def build(content_dir: Path, out_dir: Path | None, formats: str | None, jobs: int | None,
          force: bool, strict: bool, no_wait: bool, executor: str, scheduler: str | None,
          targets: tuple[str, ...]) -> None:
    """Build the targets (default: all) that changed since the last build."""
    import time

    started = time.perf_counter()
    if strict:
        from qdocs.lint.command import refuse_unless_clean

        refuse_unless_clean(content_dir)
    fmt_list = None if formats is None else [f.strip() for f in formats.split(",") if f.strip()]
    # The no-op fast path: the standard library only, before any engine is imported.
    if not force and (formats is None or fmt_list):
        from qdocs.build.stamp import up_to_date

        counts = up_to_date(content_dir, out_dir, fmt_list, list(targets) or None)
        if counts is not None:
            click.echo(f"0 built, {counts['targets']} skipped, 0 failed in "
                       f"{time.perf_counter() - started:.2f} s (nothing changed)")
            return
    from qdocs.build.runner import default_jobs
    from qdocs.pipeline import build as run_build
    from qdocs.progress import BuildProgress

    if scheduler and executor != "dask":
        raise UsageError("--scheduler goes with --executor dask")
    progress = BuildProgress()
    report = run_build(content_dir, out_dir, formats=fmt_list, targets=list(targets) or None,
                       force=force, jobs=jobs or default_jobs(), on_start=progress.start,
                       on_outcome=progress.advance, wait=not no_wait,
                       on_wait=lambda text: click.echo(text, err=True),
                       executor=executor, scheduler=scheduler)
    progress.finish(report)
    if report.failed:
        sys.exit(1)


@cli.command()
@CONTENT_OPTION
def validate(content_dir: Path) -> None:
    """Check the content (and its templates) and report every problem with file:line:column."""
    from qdocs.pipeline import check_templates, load_and_score, output_folder

    project, results = load_and_score(content_dir)
    output_folder(content_dir, project, None)
    check_templates(content_dir, project, results)
    regions = len(project.regions.regions)
    tasks = f"{len(project.action_plan.tasks)} tasks, " if project.action_plan else ""
    click.echo(f"{content_dir}: valid ({tasks}"
               f"{regions} regions{', scored' if results is not None else ''})")


@cli.command()
@CONTENT_OPTION
@click.option("--json", "as_json", is_flag=True, help="print the table as JSON, for scripts")
def scores(content_dir: Path, as_json: bool) -> None:
    """Print the league table: rank, region, final score, grade, base, bonus, penalty."""
    from qdocs.pipeline import load_and_score
    from qdocs.scoring.league import league_rows

    project, results = load_and_score(content_dir)
    if results is None:
        raise QdocsError(f"{content_dir}: no scoring_rules.yaml, so nothing to score")
    rows = league_rows(project, results)
    if as_json:
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{project.settings.year} league table")
    for col, justify in (("rank", "right"), ("code", "left"), ("region", "left"),
                         ("final", "right"), ("grade", "left"), ("base", "right"),
                         ("bonus", "right"), ("penalty", "right"), ("veto", "left")):
        table.add_column(col, justify=justify)
    for r in rows:
        table.add_row(str(r["rank"] or "—"), r["code"], r["region"], r["final"],
                      f"{r['grade']} {r['grade_name']}", r["base"], r["bonus"], r["penalty"],
                      "veto" if r["vetoed"] else "")
    Console(width=120).print(table)


@cli.command()
@CONTENT_OPTION
@click.option("--fix", is_flag=True,
              help="apply the mechanical fixes in place (comments and layout kept), then lint")
@click.option("--rules", "list_rules", is_flag=True, help="list the rules and their sources")
def lint(content_dir: Path, fix: bool, list_rules: bool) -> None:
    """Check every text field against the writing norms (GB/T 15834, GB/T 9704)."""
    from qdocs.lint.command import print_rules, run_lint_command

    sys.exit(print_rules() if list_rules else run_lint_command(content_dir, fix=fix))


@cli.command()
@CONTENT_OPTION
@click.argument("region")
@click.argument("item", required=False)
def explain(content_dir: Path, region: str, item: str | None) -> None:
    """How REGION's score (or its ITEM's) was reached, step by step, in the card's words.

    REGION is a region's code or name, as the project's regions file lists it.
    """
    from qdocs.pipeline import load_and_score
    from qdocs.scoring.explain import explain as explain_lines

    project, results = load_and_score(content_dir)
    if results is None:
        raise QdocsError(f"{content_dir}: no scoring_rules.yaml, so nothing to explain")
    click.echo("\n".join(explain_lines(project, results, region, item)))


@cli.command()
@CONTENT_OPTION
def fonts(content_dir: Path) -> None:
    """Which font file serves each role, and whether WeasyPrint can subset fast."""
    from qdocs.fonts import ROLE_NAMES, harfbuzz_subset_available, resolve_fonts

    overrides: tuple = ()
    if (content_dir / "qdocs.yaml").exists():
        from qdocs.content.located import validate_document
        from qdocs.content.models import Settings
        from qdocs.content.yamlsource import read_yaml

        settings = validate_document(read_yaml(content_dir / "qdocs.yaml"), Settings)
        overrides = tuple(sorted((r, tuple(f)) for r, f in settings.fonts.items()))
    missing = False
    for role, font in resolve_fonts(overrides).items():
        if font.file is None:
            missing = True
            state = "MISSING: no installed font serves this role"
        else:
            state = f"{font.family} ({font.file})"
            if font.substitute:
                state += "  [substitute]"
        click.echo(f"{ROLE_NAMES[role]:<4} {role:<13} requested {font.requested:<8} → {state}")
    if harfbuzz_subset_available():
        click.echo("font subsetting: HarfBuzz (libharfbuzz-subset) — fast")
    else:
        click.echo("WARNING: libharfbuzz-subset is not installed: WeasyPrint falls back to "
                   "fontTools and CJK PDFs take ~50× longer (apt-get install libharfbuzz-subset0)")
    if missing:
        sys.exit(1)


@cli.command()
@CONTENT_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="the build directory to check [default: the project's build_dir]")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--no-office", is_flag=True, help="skip the LibreOffice rendering of DOCX files")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(content_dir: Path, out_dir: Path | None, as_json: bool, no_office: bool,
          paths: tuple[Path, ...]) -> None:
    """Measure PDF and DOCX outputs against GB/T 9704 (default: the whole build directory)."""
    from qdocs.check.command import run_check_command

    build_dir = out_dir or Path(content_dir).parent / "build"
    status = run_check_command(list(paths), build_dir, as_json=as_json, office=not no_office)
    from qdocs.review import refresh_check_page

    refresh_check_page(content_dir, build_dir)
    sys.exit(status)


@cli.command()
@CONTENT_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="output directory [default: the project's build_dir, build/]")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="port to listen on (0: any free port)")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to bind; anything but 127.0.0.1 shows the build to the network")
@click.option("--format", "formats", default=None, metavar="pdf,docx,html",
              help="formats to write, comma-separated [default: the project's]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="worker processes [default: the number of cores]")
def serve(content_dir: Path, out_dir: Path | None, port: int, host: str, formats: str | None,
          jobs: int | None) -> None:
    """Build, serve the review site, and rebuild (and reload open pages) on every save."""
    from qdocs.build.runner import default_jobs
    from qdocs.serve import serve as run_serve

    fmt_list = [f.strip() for f in formats.split(",") if f.strip()] if formats else None
    run_serve(content_dir, out_dir, host=host, port=port, formats=fmt_list,
              jobs=jobs or default_jobs(), echo=lambda line: click.echo(line))


# --- score sheets: out to Excel/WPS and back (qdocs/sheets/) ---------------------------------

@cli.group()
def sheets() -> None:
    """Score sheets: one .xlsx per region (or per verifying department), out and back in."""


@sheets.command("out")
@CONTENT_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("sheets"),
              show_default=True, help="where to write the .xlsx files")
@click.option("--by-department", is_flag=True,
              help="one verification sheet per department instead of one per region")
@click.argument("regions", nargs=-1)
def sheets_out_command(content_dir: Path, out_dir: Path, by_department: bool,
                       regions: tuple[str, ...]) -> None:
    """Write the score sheets, pre-filled from the current assessments."""
    from qdocs.sheets.apply import sheets_out

    sheets_out(content_dir, out_dir, list(regions), by_department, click.echo)


@sheets.command("in")
@CONTENT_OPTION
@click.option("--dry-run", is_flag=True, help="show what would change; write nothing")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def sheets_in_command(content_dir: Path, dry_run: bool, files: tuple[Path, ...]) -> None:
    """Read filled sheets into assessments/<code>.yaml (nothing written if any cell is bad)."""
    from qdocs.sheets.apply import sheets_in

    sheets_in(content_dir, list(files), dry_run, click.echo)


@cli.command()
@CONTENT_OPTION
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON")
def status(content_dir: Path, as_json: bool) -> None:
    """Per region: submitted or not, inputs missing, items awaiting verification, adjustments."""
    from qdocs.sheets.status import collection_status, status_lines

    rows = collection_status(content_dir)
    if as_json:
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for line in status_lines(rows):
        click.echo(line)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--example", is_flag=True,
              help="start from the bundled example instead of the skeleton")
@click.option("--force", is_flag=True, help="write into a folder that is not empty")
def init(folder: Path, example: bool, force: bool) -> None:
    """Write a new project into FOLDER: content/, schemas/ for editors, .gitignore."""
    from qdocs.init import init_project

    written = init_project(folder, example=example, force=force)
    click.echo(f"wrote {len(written)} files into {folder}; next: cd {folder} && "
               "qdocs validate && qdocs build")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("schemas"),
              show_default=True, help="folder for one JSON Schema per content file")
@click.option("--reference", "reference", type=click.Path(path_type=Path), default=None,
              help="also write the content reference (Markdown) to this file")
def schema(out_dir: Path, reference: Path | None) -> None:
    """Write JSON Schemas of the content files (for editors) and, optionally, the reference."""
    from qdocs.reference.markdown import write_reference
    from qdocs.reference.schemas import write_schemas

    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")
    if reference is not None:
        write_reference(reference)
        click.echo(f"wrote {reference}")


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: stop, keep earlier outputs and the manifest."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    """Entry point: a message and an exit status for every failure, never a traceback."""
    if hasattr(sys.stderr, "reconfigure"):  # a message is shown even on an ASCII terminal
        sys.stderr.reconfigure(errors="backslashreplace")
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: signals stay with whoever owns it
        _run(argv)
        return
    try:
        _run(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="qdocs", standalone_mode=False)
    except QdocsError as exc:
        for line in str(exc).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (click.Abort, KeyboardInterrupt) as exc:  # click turns Ctrl-C into Abort
        click.echo("interrupted: earlier outputs and the manifest are intact", err=True)
        term = isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated)
        sys.exit(128 + signal.SIGTERM if term else 130)
    except BrokenPipeError:
        # The reader went away (`qdocs build | head -1`): nothing more to say. Point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(128 + signal.SIGPIPE)
    except UnicodeEncodeError as exc:
        if not _narrow_stdout():
            _internal(exc)
        click.echo(f"error: the output encoding {sys.stdout.encoding} cannot show "
                   f"{exc.object[exc.start:exc.end]!r}; run with PYTHONIOENCODING=utf-8 or in "
                   "a UTF-8 locale (LANG=C.UTF-8)", err=True)
        sys.exit(1)
    except OSError as exc:  # a fault of the system: a file that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1 if exc.errno != errno.EPIPE else 128 + signal.SIGPIPE)
    except Exception as exc:  # noqa: BLE001 - a bug: one line, never a raw traceback
        _internal(exc)


def _narrow_stdout() -> bool:
    """Whether stdout's encoding cannot hold every character (ASCII, Latin-1…)."""
    try:
        "\U0010ffff".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def _internal(exc: BaseException) -> None:
    if _options["debug"]:
        traceback.print_exception(exc)
    click.echo(f"internal error: {type(exc).__name__}: {exc} (please report, with --debug "
               "for the traceback)", err=True)
    sys.exit(EXIT_INTERNAL)
