"""The review site: what a build made and changed, for people to look at before printing.

build → plain SiteInput → page images (pages.py) and static pages (site.py) in
`build/html`. The server (`qdocs serve`) only serves these files and reloads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qdocs.review.pages import PageImager
from qdocs.review.site import (
    SiteInput,
    check_data,
    staging_dir,
    update_site,
    write_check_page,
)

__all__ = ["PageImager", "SiteInput", "check_data", "refresh_check_page", "site_input",
           "start_page_images", "update_site", "write_check_page", "write_review_site"]


def start_page_images(build_dir: Path, formats: list[str]) -> PageImager | None:
    """A background renderer of page images while the build runs, when the build makes
    both the PDFs and the site (HTML)."""
    if "pdf" in formats and "html" in formats:
        return PageImager(staging_dir(build_dir))
    return None


def site_input(project, results, specs, formats: list[str], changes: dict[str, Any],
               outputs: dict[str, dict[str, Any]]) -> SiteInput:
    """Plain data for the site from the build's project, results, targets and manifest
    entries (`outputs`: target → {"outputs": {format: {"sha256"}}})."""
    league, cards = None, {}
    names = {s.name for s in specs}
    if results is not None:
        from qdocs.scoring.league import league_rows

        grades = [{"code": g.code, "name": g.name, "count": results.grade_counts.get(g.code, 0)}
                  for g in results.grades]
        league = {"rows": league_rows(project, results), "grades": grades}
        cards = {r.code: f"card-{r.code}" for r in project.regions.regions
                 if f"card-{r.code}" in names}
    hashes = {s.name: ((outputs.get(s.name) or {}).get("outputs") or {}).get("pdf", {})
              .get("sha256") for s in specs}
    return SiteInput(
        project=project.settings.project, formats=list(formats),
        targets=[{"name": s.name, "title": str(s.context.get("doc_title", s.name))}
                 for s in specs],
        pdf_hashes=hashes, changes=changes, league=league, cards=cards)


def refresh_check_page(content_dir: Path, build_dir: Path) -> None:
    """The check page again, after `qdocs check` saved its report (the project's own
    templates first, as in a build)."""
    from qdocs.render.templates import make_environment, template_dirs

    write_check_page(make_environment(template_dirs(content_dir)), build_dir)


def write_review_site(env, build_dir: Path, *args: Any,
                      staged: dict[str, str] | None = None) -> None:
    """`site_input(*args)`, then `update_site`."""
    update_site(env, build_dir, site_input(*args), staged)
